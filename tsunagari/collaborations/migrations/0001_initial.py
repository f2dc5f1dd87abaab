"""The collaborations that lived in matching, taken over as they are (issue 14).

Only Django's state is created: the tables keep their names. The content types and the
audit trail's object types move from matching to collaborations, so that permissions and
an object's history still find them.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


MOVED = ("collaboration", "collaborationmessage")


def move_labels(apps, schema_editor, old="matching", new="collaborations"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    for model in MOVED:
        if not ContentType.objects.filter(app_label=new, model=model).exists():
            ContentType.objects.filter(app_label=old, model=model).update(app_label=new)
        AuditEvent.objects.filter(object_type=f"{old}.{model}").update(
            object_type=f"{new}.{model}"
        )


def move_labels_back(apps, schema_editor):
    move_labels(apps, schema_editor, old="collaborations", new="matching")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('directory', '0006_schedule_ended_index'),
        ('matching', '0004_collaborations_leave'),
        ('audit', '0002_repair_snapshot_diffs'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('members', '0003_organization_is_sample'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
        migrations.CreateModel(
            name='Collaboration',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('proposal', '連携の提案'), ('response', 'ニーズへの申し出')], default='proposal', max_length=10, verbose_name='種類')),
                ('title', models.CharField(max_length=120, verbose_name='件名')),
                ('status', models.CharField(choices=[('proposed', '提案中'), ('accepted', '合意'), ('in_progress', '実施中'), ('completed', '完了'), ('declined', '見送り'), ('withdrawn', '取り下げ')], default='proposed', max_length=12, verbose_name='状態')),
                ('cross_sector', models.BooleanField(default=False, verbose_name='分野をこえた連携')),
                ('outcome', models.TextField(blank=True, verbose_name='成果')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('need', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='collaborations', to='matching.need', verbose_name='ニーズ')),
                ('partner', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='collaborations_received', to='members.organization', verbose_name='提案を受けた団体')),
                ('proposer', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='collaborations_proposed', to='members.organization', verbose_name='提案した団体')),
                ('resource', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='collaborations', to='directory.resource', verbose_name='シーズ（社会資源）')),
            ],
            options={
                'verbose_name': '連携・協働',
                'verbose_name_plural': '連携・協働',
                'db_table': 'matching_collaboration',
                'ordering': ['-updated_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='CollaborationMessage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('body', models.TextField(blank=True, max_length=4000, verbose_name='メッセージ')),
                ('status', models.CharField(blank=True, choices=[('proposed', '提案中'), ('accepted', '合意'), ('in_progress', '実施中'), ('completed', '完了'), ('declined', '見送り'), ('withdrawn', '取り下げ')], max_length=12)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('author', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('collaboration', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='messages', to='collaborations.collaboration')),
                ('organization', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='members.organization')),
            ],
            options={
                'verbose_name': '連携のメッセージ',
                'verbose_name_plural': '連携のメッセージ',
                'db_table': 'matching_collaborationmessage',
                'ordering': ['created_at', 'id'],
            },
        ),
        migrations.AddConstraint(
            model_name='collaboration',
            constraint=models.CheckConstraint(condition=models.Q(('proposer', models.F('partner')), _negated=True), name='not_with_itself'),
        ),
        migrations.AddConstraint(
            model_name='collaboration',
            constraint=models.CheckConstraint(condition=models.Q(('partner__isnull', False), ('kind', 'response'), _connector='OR'), name='partner_or_response'),
        ),
        migrations.AddConstraint(
            model_name='collaboration',
            constraint=models.UniqueConstraint(condition=models.Q(('kind', 'response'), ('status__in', ['proposed', 'accepted', 'in_progress'])), fields=('need', 'proposer'), name='one_open_response_per_need'),
        ),
            ],
        ),
        migrations.RunPython(move_labels, move_labels_back),
    ]
