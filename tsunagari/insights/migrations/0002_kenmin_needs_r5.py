"""The 県民ニーズ調査 (基本調査) 令和5年度 result the network measures itself against."""

from decimal import Decimal

from django.db import migrations

SOURCE = (
    "神奈川県「県民ニーズ調査（基本調査）」令和5年度結果"
    "（かながわつながりネットワークの県資料に掲載）"
)


def load(apps, schema_editor):
    SurveyFigure = apps.get_model("insights", "SurveyFigure")
    SurveyFigure.objects.update_or_create(
        fiscal_year=2023,
        defaults={
            "fully": Decimal("1.3"),
            "fairly": Decimal("10.1"),
            "neutral": Decimal("45.9"),
            "hardly": Decimal("20.4"),
            "not_at_all": Decimal("8.4"),
            "unknown": Decimal("10.8"),
            "no_answer": Decimal("3.1"),
            "respondents": 1241,
            "source_name": SOURCE,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("insights", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
