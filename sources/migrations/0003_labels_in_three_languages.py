# An organisation's name and short name in Belarusian, Russian and English
# (tracker.lib.languages). Each name that exists is moved to the field of the language it
# is written in (most are English); historical rows too.

from django.db import migrations, models

from tracker.lib.languages import LANGUAGES, language_of

LABELS = {"name": (300, "name"), "short_name": (100, "short name")}
NAMES = {"be": "Belarusian", "ru": "Russian", "en": "English"}
MODELS = ("organisation", "historicalorganisation")


def _field(max_length, verbose, language):
    return models.CharField(
        blank=True, max_length=max_length, verbose_name=f"{verbose} in {NAMES[language]}"
    )


def _operations():
    operations = []
    for name in MODELS:
        for label, (max_length, verbose) in LABELS.items():
            operations += [
                migrations.RenameField(name, label, f"{label}_en"),
                migrations.AlterField(name, f"{label}_en", _field(max_length, verbose, "en")),
                migrations.AddField(name, f"{label}_be", _field(max_length, verbose, "be")),
                migrations.AddField(name, f"{label}_ru", _field(max_length, verbose, "ru")),
            ]
    return operations


def move_to_their_language(apps, schema_editor):
    for name in MODELS:
        manager = apps.get_model("sources", name)._base_manager
        for label in LABELS:
            english = f"{label}_en"
            for pk, text in manager.exclude(**{english: ""}).values_list("pk", english):
                language = language_of(text)
                if language != "en":
                    manager.filter(pk=pk).update(**{english: "", f"{label}_{language}": text})


def back_to_one_field(apps, schema_editor):
    for name in MODELS:
        manager = apps.get_model("sources", name)._base_manager
        for label in LABELS:
            for row in manager.filter(**{f"{label}_en": ""}).values(
                "pk", *(f"{label}_{language}" for language in LANGUAGES)
            ):
                text = row[f"{label}_be"] or row[f"{label}_ru"]
                if text:
                    manager.filter(pk=row["pk"]).update(**{f"{label}_en": text})


class Migration(migrations.Migration):
    dependencies = [
        ("sources", "0002_parts_reviewed"),
    ]

    operations = [
        *_operations(),
        migrations.AlterModelOptions(
            name="organisation",
            options={
                "ordering": ["name_en", "id"],
                "verbose_name": "organisation",
                "verbose_name_plural": "organisations",
            },
        ),
        migrations.RunPython(move_to_their_language, back_to_one_field),
        migrations.AddConstraint(
            model_name="organisation",
            constraint=models.CheckConstraint(
                condition=~models.Q(**{f"name_{language}": "" for language in LANGUAGES}),
                name="sources_organisation_name_given",
                violation_error_message="Give the organisation's name in at least one language.",
            ),
        ),
    ]
