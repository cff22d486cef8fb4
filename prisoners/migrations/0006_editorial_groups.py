"""
The editorial roles, as groups:

- Editor: views, adds and changes every record, and sends records to review; cannot
  publish or unpublish, and cannot delete.
- Reviewer: everything an Editor does, plus publishing, unpublishing and deleting (a
  deletion stays in the history).

Superusers can do everything. Permissions are normally created after migrations run, so
this migration creates them first.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

APPS = ("prisoners", "sources")


def create_groups(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ours = Permission.objects.filter(content_type__app_label__in=APPS)
    editing = ours.filter(codename__regex=r"^(view|add|change)_")
    editor, _ = Group.objects.get_or_create(name="Editor")
    editor.permissions.set(editing)
    reviewer, _ = Group.objects.get_or_create(name="Reviewer")
    reviewer.permissions.set(
        editing | ours.filter(codename__regex=r"^delete_") | ours.filter(codename="publish_records")
    )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editor", "Reviewer"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("prisoners", "0005_publish_permission"),
        ("sources", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
