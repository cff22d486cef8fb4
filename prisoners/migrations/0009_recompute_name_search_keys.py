"""
Recompute every name variant's search columns after the changes to ``prisoners.names``:
щ in any spelling (shch, Łacinka šč, szcz, schtsch) has one key, and ь, ъ and an apostrophe
inside a word no longer split it (Татьяна is one word, like Tatiana). The same derivation
as ``PersonName.set_search_fields`` and ``manage.py refresh_search_keys``.
"""

from django.db import migrations

from prisoners import names


def recompute_search_fields(apps, schema_editor):
    PersonName = apps.get_model("prisoners", "PersonName")
    stale = []
    for variant in PersonName.objects.order_by("pk").iterator(chunk_size=2000):
        text = names.search_text(variant.name)
        key = names.search_key(variant.name, variant.language)
        if (variant.search_text, variant.search_key) != (text, key):
            variant.search_text, variant.search_key = text, key
            stale.append(variant)
    PersonName.objects.bulk_update(stale, ["search_text", "search_key"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("prisoners", "0008_parts_reviewed"),
    ]

    operations = [
        migrations.RunPython(recompute_search_fields, migrations.RunPython.noop),
    ]
