"""What each object is counted under, for the dashboard's tallies kept in step.

The tallies themselves are built by `manage.py rebuild_tallies` (load_demo runs it); until
then the dashboard's counts are answered from the data directly (tallies.py falls back).
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("insights", "0002_kenmin_needs_r5")]

    operations = [
        migrations.CreateModel(
            name="Counted",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("source", models.CharField(max_length=20)),
                ("object_id", models.BigIntegerField()),
                ("cells", models.JSONField(default=list)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("source", "object_id"), name="counted_once"
                    )
                ],
            },
        ),
    ]
