"""
A published version no longer stores a person's status (``current_status``,
``status_since``): the edition derives it from the person's published records. Versions
written before keep it; without this, every person whose status the working copy derived
since would show as "changed since publication".
"""

from django.db import migrations

DERIVED = ("current_status", "status_since")


def forget_derived_status(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    PublishedVersion = apps.get_model("prisoners", "PublishedVersion")
    person = ContentType.objects.filter(app_label="prisoners", model="person").first()
    if person is None:
        return
    changed = []
    for version in PublishedVersion.objects.filter(content_type=person).iterator(chunk_size=2000):
        if any(key in version.data for key in DERIVED):
            for key in DERIVED:
                version.data.pop(key, None)
            changed.append(version)
        if len(changed) >= 2000:
            PublishedVersion.objects.bulk_update(changed, ["data"])
            changed = []
    if changed:
        PublishedVersion.objects.bulk_update(changed, ["data"])


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("prisoners", "0014_figure_texts"),
    ]

    operations = [migrations.RunPython(forget_derived_status, migrations.RunPython.noop)]
