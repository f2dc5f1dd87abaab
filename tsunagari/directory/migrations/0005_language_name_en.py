"""English names of the languages a resource is offered in."""

from django.db import migrations, models

NAMES_EN = {
    "ja": "Japanese",
    "ja-x-easy": "Easy Japanese (yasashii nihongo)",
    "en": "English",
    "zh": "Chinese",
    "tl": "Tagalog",
    "vi": "Vietnamese",
    "es": "Spanish",
    "pt": "Portuguese",
    "ne": "Nepali",
    "th": "Thai",
    "ko": "Korean",
    "id": "Indonesian",
    "jsl": "Japanese Sign Language",
}


def load(apps, schema_editor):
    Language = apps.get_model("directory", "Language")
    for code, name_en in NAMES_EN.items():
        Language.objects.filter(code=code, name_en="").update(name_en=name_en)


class Migration(migrations.Migration):
    dependencies = [("directory", "0004_search_facets")]

    operations = [
        migrations.AddField(
            model_name="language",
            name="name_en",
            field=models.CharField(blank=True, max_length=60, verbose_name="英語名"),
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
