# Labels of the data in Belarusian, Russian and English (tracker.lib.languages): an
# article's title, a facility's name and city, an event's title. Each label that exists is
# moved to the field of the language it is written in (most are English); historical rows
# too, so that every earlier version keeps its label.

from django.db import migrations, models

from tracker.lib.languages import LANGUAGES, language_of

# model -> {label: (max_length, verbose name)}
LABELS = {
    "criminalarticle": {"title": (300, "title")},
    "facility": {"name": (300, "name"), "city": (100, "city")},
    "event": {"title": (300, "title")},
}
NAMES = {"be": "Belarusian", "ru": "Russian", "en": "English"}


def _field(max_length, verbose, language):
    return models.CharField(
        blank=True, max_length=max_length, verbose_name=f"{verbose} in {NAMES[language]}"
    )


def _operations():
    operations = [
        migrations.RemoveConstraint(
            model_name="facility", name="prisoners_facility_unique_name_city"
        )
    ]
    for model, labels in LABELS.items():
        for name in (model, f"historical{model}"):
            for label, (max_length, verbose) in labels.items():
                operations += [
                    migrations.RenameField(name, label, f"{label}_en"),
                    migrations.AlterField(name, f"{label}_en", _field(max_length, verbose, "en")),
                    migrations.AddField(name, f"{label}_be", _field(max_length, verbose, "be")),
                    migrations.AddField(name, f"{label}_ru", _field(max_length, verbose, "ru")),
                ]
    return operations


def move_to_their_language(apps, schema_editor):
    for model, labels in LABELS.items():
        for name in (model, f"historical{model}"):
            manager = apps.get_model("prisoners", name)._base_manager
            for label in labels:
                english = f"{label}_en"
                for pk, text in manager.exclude(**{english: ""}).values_list("pk", english):
                    language = language_of(text)
                    if language != "en":
                        manager.filter(pk=pk).update(**{english: "", f"{label}_{language}": text})


def back_to_one_field(apps, schema_editor):
    for model, labels in LABELS.items():
        for name in (model, f"historical{model}"):
            manager = apps.get_model("prisoners", name)._base_manager
            for label in labels:
                for row in manager.filter(**{f"{label}_en": ""}).values(
                    "pk", *(f"{label}_{language}" for language in LANGUAGES)
                ):
                    text = row[f"{label}_be"] or row[f"{label}_ru"]
                    if text:
                        manager.filter(pk=row["pk"]).update(**{f"{label}_en": text})


def _constraints():
    messages = {
        "facility": ("name", "Give the facility's name in at least one language."),
        "event": ("title", "Give the event's title in at least one language."),
    }
    operations = [
        migrations.AddConstraint(
            model_name=model,
            constraint=models.CheckConstraint(
                condition=~models.Q(**{f"{label}_{language}": "" for language in LANGUAGES}),
                name=f"prisoners_{model}_{label}_given",
                violation_error_message=message,
            ),
        )
        for model, (label, message) in messages.items()
    ]
    operations += [
        migrations.AddConstraint(
            model_name="facility",
            constraint=models.UniqueConstraint(
                condition=~models.Q(**{f"name_{language}": ""}),
                fields=(f"name_{language}", f"city_{language}"),
                name=f"prisoners_facility_unique_name_city_{language}",
                violation_error_message="A facility with this name in this city exists.",
            ),
        )
        for language in LANGUAGES
    ]
    return operations


class Migration(migrations.Migration):
    dependencies = [
        ("prisoners", "0009_recompute_name_search_keys"),
    ]

    operations = [
        *_operations(),
        migrations.AlterModelOptions(
            name="event",
            options={
                "ordering": ["-happened_on_earliest", "title_en", "id"],
                "verbose_name": "event",
                "verbose_name_plural": "events",
            },
        ),
        migrations.AlterModelOptions(
            name="facility",
            options={
                "ordering": ["name_en", "id"],
                "verbose_name": "facility",
                "verbose_name_plural": "facilities",
            },
        ),
        migrations.RunPython(move_to_their_language, back_to_one_field),
        *_constraints(),
    ]
