"""Collaborations leave matching for their own app (issue 14): only Django's state forgets
them here; the tables matching_collaboration and matching_collaborationmessage stay, and
collaborations/0001 takes them over."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('matching', '0003_corpus_version'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
        migrations.RemoveConstraint(
            model_name='collaboration',
            name='not_with_itself',
        ),
        migrations.RemoveConstraint(
            model_name='collaboration',
            name='partner_or_response',
        ),
        migrations.RemoveConstraint(
            model_name='collaboration',
            name='one_open_response_per_need',
        ),
        migrations.RemoveField(
            model_name='collaboration',
            name='created_by',
        ),
        migrations.RemoveField(
            model_name='collaboration',
            name='need',
        ),
        migrations.RemoveField(
            model_name='collaboration',
            name='partner',
        ),
        migrations.RemoveField(
            model_name='collaboration',
            name='proposer',
        ),
        migrations.RemoveField(
            model_name='collaboration',
            name='resource',
        ),
        migrations.DeleteModel(
            name='CollaborationMessage',
        ),
        migrations.DeleteModel(
            name='Collaboration',
        ),
            ],
        ),
    ]
