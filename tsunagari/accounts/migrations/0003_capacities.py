# One account, several capacities: Affiliation (staff of a member organisation) and
# Assignment (officer of a municipality) rows, and the secretariat as a flag.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_initial"),
        ("geo", "0002_load_kanagawa"),
        ("members", "0001_initial"),
    ]

    operations = [
        # Gone first, so that going back re-adds it only once every account has one role again.
        migrations.RemoveConstraint(model_name="user", name="user_role_binding"),
        migrations.AddField(
            model_name="user",
            name="secretariat",
            field=models.BooleanField(default=False, verbose_name="事務局"),
        ),
        migrations.CreateModel(
            name="Affiliation",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="登録日時")),
                ("organization", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="affiliations", to="members.organization", verbose_name="所属団体")),
                ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="affiliations", to=settings.AUTH_USER_MODEL, verbose_name="利用者")),
            ],
            options={
                "verbose_name": "所属",
                "verbose_name_plural": "所属",
                "constraints": [models.UniqueConstraint(fields=("user", "organization"), name="affiliation_once")],
            },
        ),
        migrations.CreateModel(
            name="Assignment",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="登録日時")),
                ("municipality", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="assignments", to="geo.municipality", verbose_name="担当市町村")),
                ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="assignments", to=settings.AUTH_USER_MODEL, verbose_name="利用者")),
            ],
            options={
                "verbose_name": "担当",
                "verbose_name_plural": "担当",
                "constraints": [models.UniqueConstraint(fields=("user", "municipality"), name="assignment_once")],
            },
        ),
    ]
