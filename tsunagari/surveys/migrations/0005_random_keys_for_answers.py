"""Answers and their tallies get random keys (UUID) instead of sequential ids.

Sequential ids keep the order in which answers came; next to a web server's log of
requests that order could tie an answer to an address (docs/security.md).
Existing rows get random keys (on PostgreSQL in one UPDATE with gen_random_uuid()), and
the answers of campaign responses follow their response's new key.
"""

import uuid

from django.db import migrations, models

import tsunagari.surveys.models

SIMPLE = ["selfcheckresponse", "selfchecktally", "selfcheckhelptally", "campaignanswer"]
BATCH = 2000


def fill_keys(apps, schema_editor):
    connection = schema_editor.connection
    for name in [*SIMPLE, "campaignresponse"]:
        model = apps.get_model("surveys", name)
        if connection.vendor == "postgresql":
            table = schema_editor.quote_name(model._meta.db_table)
            schema_editor.execute(f"UPDATE {table} SET uuid = gen_random_uuid()")
            continue
        rows = list(model.objects.only("pk"))
        for row in rows:
            row.uuid = uuid.uuid4()
        model.objects.bulk_update(rows, ["uuid"], batch_size=BATCH)
    # Each answer follows its response's new key.
    Response = apps.get_model("surveys", "CampaignResponse")
    Answer = apps.get_model("surveys", "CampaignAnswer")
    if connection.vendor == "postgresql":
        answers = schema_editor.quote_name(Answer._meta.db_table)
        responses = schema_editor.quote_name(Response._meta.db_table)
        schema_editor.execute(
            f"UPDATE {answers} SET response_uuid = r.uuid FROM {responses} r"
            f" WHERE {answers}.response_id = r.id"
        )
        # The updates queued deferred foreign-key checks; run them now, or the
        # ALTER TABLEs that follow are refused ("pending trigger events").
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        return
    keys = dict(Response.objects.values_list("pk", "uuid"))
    answers = list(Answer.objects.only("pk", "response_id"))
    for answer in answers:
        answer.response_uuid = keys[answer.response_id]
    Answer.objects.bulk_update(answers, ["response_uuid"], batch_size=BATCH)


def to_random_key(name):
    """Swap the model's id for its filled uuid column, which becomes `id`."""
    return [
        migrations.RemoveField(model_name=name, name="id"),
        migrations.AlterField(
            model_name=name,
            name="uuid",
            field=models.UUIDField(
                default=tsunagari.surveys.models.random_key,
                editable=False,
                primary_key=True,
                serialize=False,
            ),
        ),
        migrations.RenameField(model_name=name, old_name="uuid", new_name="id"),
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0004_help_tally"),
    ]

    operations = [
        *(
            migrations.AddField(model_name=name, name="uuid", field=models.UUIDField(null=True))
            for name in [*SIMPLE, "campaignresponse"]
        ),
        migrations.AddField(
            model_name="campaignanswer", name="response_uuid", field=models.UUIDField(null=True)
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop, elidable=False),
        migrations.RemoveConstraint(model_name="campaignanswer", name="one_answer_per_item"),
        migrations.RemoveField(model_name="campaignanswer", name="response"),
        *to_random_key("campaignresponse"),
        *(op for name in SIMPLE for op in to_random_key(name)),
        migrations.RenameField(
            model_name="campaignanswer", old_name="response_uuid", new_name="response"
        ),
        migrations.AlterField(
            model_name="campaignanswer",
            name="response",
            field=models.ForeignKey(
                on_delete=models.deletion.CASCADE,
                related_name="answers",
                to="surveys.campaignresponse",
            ),
        ),
        migrations.AddConstraint(
            model_name="campaignanswer",
            constraint=models.UniqueConstraint(
                fields=("response", "item"), name="one_answer_per_item"
            ),
        ),
    ]
