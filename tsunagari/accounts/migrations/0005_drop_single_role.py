# The single role and its two bindings are gone; capacities are rows now.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_copy_capacities")]

    operations = [
        # A default only so that going back can re-add the column to existing rows;
        # 0004's reverse then gives each account its role.
        migrations.AlterField(
            model_name="user",
            name="role",
            field=models.CharField(
                choices=[
                    ("secretariat", "事務局"),
                    ("municipality", "市町村担当者"),
                    ("member", "構成員団体の職員"),
                ],
                default="secretariat",
                max_length=20,
                verbose_name="役割",
            ),
        ),
        migrations.RemoveField(model_name="user", name="municipality"),
        migrations.RemoveField(model_name="user", name="organization"),
        migrations.RemoveField(model_name="user", name="role"),
    ]
