"""Collaborations with many parties (issue 14): CollaborationParty, and sector_count.

Every existing collaboration gets its proposer as the accepted lead and its partner as a
partner whose answer follows the collaboration: accepted if it was accepted, in progress
or completed; invited while proposed; declined if declined (and, for one withdrawn, as it
stood: accepted if the thread shows it was accepted, else invited). A response to a
resident's voice (no partner) has only its lead. Reversible: going back drops the parties.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

ANSWERED = {"accepted": "accepted", "in_progress": "accepted", "completed": "accepted", "declined": "declined"}


def add_parties(apps, schema_editor):
    Collaboration = apps.get_model("collaborations", "Collaboration")
    CollaborationParty = apps.get_model("collaborations", "CollaborationParty")
    Message = apps.get_model("collaborations", "CollaborationMessage")
    Organization = apps.get_model("members", "Organization")
    sectors = dict(Organization.objects.values_list("pk", "sector"))
    for c in Collaboration.objects.order_by("pk").iterator():
        parties = [
            CollaborationParty(
                collaboration=c,
                organization_id=c.proposer_id,
                role="lead",
                status="accepted",
                invited_at=c.created_at,
                responded_at=c.created_at,
                responded_by_id=c.created_by_id,
            )
        ]
        if c.partner_id is not None:
            status = ANSWERED.get(c.status)
            if status is None and c.status == "withdrawn":
                was_accepted = Message.objects.filter(collaboration=c, status="accepted").exists()
                status = "accepted" if was_accepted else "invited"
            status = status or "invited"
            answer = (
                Message.objects.filter(collaboration=c, status__in=("accepted", "declined"))
                .order_by("created_at", "pk")
                .first()
            )
            parties.append(
                CollaborationParty(
                    collaboration=c,
                    organization_id=c.partner_id,
                    role="partner",
                    status=status,
                    invited_at=c.created_at,
                    responded_at=(answer.created_at if answer else c.updated_at)
                    if status != "invited"
                    else None,
                    responded_by_id=answer.author_id if answer and status != "invited" else None,
                )
            )
        CollaborationParty.objects.bulk_create(parties)
        counted = {
            sectors.get(p.organization_id, "")
            for p in parties
            if p.status != "declined"
        } - {""}
        Collaboration.objects.filter(pk=c.pk).update(
            sector_count=len(counted), cross_sector=len(counted) >= 2
        )


def drop_parties(apps, schema_editor):
    apps.get_model("collaborations", "CollaborationParty").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ('collaborations', '0001_initial'),
        ('members', '0003_organization_is_sample'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='collaboration',
            name='sector_count',
            field=models.PositiveSmallIntegerField(default=0, verbose_name='分野の数'),
        ),
        migrations.CreateModel(
            name='CollaborationParty',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(choices=[('lead', '主体'), ('partner', '連携先'), ('funder', '資金提供'), ('venue', '会場提供'), ('advisor', '助言')], default='partner', max_length=10, verbose_name='連携での役割')),
                ('status', models.CharField(choices=[('invited', '招待中'), ('accepted', '参加'), ('declined', '辞退')], default='invited', max_length=10, verbose_name='参加の状態')),
                ('invited_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('responded_at', models.DateTimeField(blank=True, null=True)),
                ('collaboration', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='parties', to='collaborations.collaboration')),
                ('organization', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='collaboration_parties', to='members.organization', verbose_name='団体')),
                ('responded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': '連携の参加団体',
                'verbose_name_plural': '連携の参加団体',
                'ordering': ['invited_at', 'id'],
            },
        ),
        migrations.AddConstraint(
            model_name='collaborationparty',
            constraint=models.UniqueConstraint(fields=('collaboration', 'organization'), name='one_party_per_organization'),
        ),
        migrations.RunPython(add_parties, drop_parties),
    ]
