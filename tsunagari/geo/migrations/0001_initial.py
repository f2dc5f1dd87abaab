import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies: list[tuple[str, str]] = []

    operations = [
        migrations.CreateModel(
            name="Municipality",
            fields=[
                ("code", models.CharField(max_length=6, primary_key=True, serialize=False, verbose_name="団体コード")),
                ("name", models.CharField(max_length=40, verbose_name="名称")),
                ("kind", models.CharField(choices=[("prefecture", "都道府県"), ("designated_city", "政令指定都市"), ("city", "市"), ("town", "町"), ("village", "村"), ("ward", "区")], max_length=20, verbose_name="種別")),
                ("parent", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="wards", to="geo.municipality", verbose_name="所属する市")),
            ],
            options={"verbose_name": "市町村", "verbose_name_plural": "市町村", "ordering": ["code"]},
        ),
    ]
