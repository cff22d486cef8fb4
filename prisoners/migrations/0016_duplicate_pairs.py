"""
Possible duplicates kept as pairs (``prisoners.duplicates``): each person's whole-name keys
and the pairs of people who share one. Editors see and dismiss the pairs; Reviewers also
merge them (which needs the right to delete people). The pairs of an existing database are
computed after ``migrate`` (``prisoners.apps``), or by ``manage.py find_duplicates``.
"""

import django.db.models.deletion
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models


def grant(apps, schema_editor):
    """Editors and Reviewers see possible duplicates and dismiss them (a change)."""
    app_config = apps.get_app_config("prisoners")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    wanted = Permission.objects.filter(
        content_type__app_label="prisoners",
        codename__in=["view_duplicatepair", "change_duplicatepair"],
    )
    for group in Group.objects.filter(name__in=["Editor", "Reviewer"]):
        group.permissions.add(*wanted)


class Migration(migrations.Migration):

    dependencies = [
        ('prisoners', '0015_versions_without_derived_status'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='DuplicatePair',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('score', models.FloatField(help_text='0.95: the same full birth date too.', verbose_name='score')),
                ('reason', models.CharField(choices=[('same_name', 'the same name, in any spelling'), ('same_name_birth_date', 'the same name and birth date')], max_length=32, verbose_name='reason')),
                ('spellings', models.CharField(help_text='A spelling of each person that has the same name key.', max_length=700, verbose_name='matching spellings')),
                ('status', models.CharField(choices=[('open', 'to be checked'), ('dismissed', 'dismissed: not the same person')], default='open', max_length=16, verbose_name='status')),
                ('found_at', models.DateTimeField(auto_now_add=True, verbose_name='found')),
                ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='dismissed on')),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='dismissed by')),
                ('person_a', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='prisoners.person', verbose_name='person')),
                ('person_b', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='prisoners.person', verbose_name='possibly the same as')),
            ],
            options={
                'verbose_name': 'possible duplicate',
                'verbose_name_plural': 'possible duplicates',
                'ordering': ['-score', 'person_a_id', 'person_b_id'],
                'indexes': [models.Index(fields=['status', '-score', 'person_a', 'person_b'], name='prisoners_duplicate_open_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(('status__in', ['open', 'dismissed'])), name='prisoners_duplicatepair_status_valid', violation_error_message='Unknown value for status.'), models.CheckConstraint(condition=models.Q(('reason__in', ['same_name', 'same_name_birth_date'])), name='prisoners_duplicatepair_reason_valid', violation_error_message='Unknown value for reason.'), models.UniqueConstraint(fields=('person_a', 'person_b'), name='prisoners_duplicatepair_unique', violation_error_message='This pair is already recorded.'), models.CheckConstraint(condition=models.Q(('person_a__lt', models.F('person_b'))), name='prisoners_duplicatepair_ordered', violation_error_message='A pair names the person with the lower id first.')],
            },
        ),
        migrations.CreateModel(
            name='NameKey',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(max_length=400, verbose_name='name key')),
                ('spelling', models.CharField(help_text='The spelling this is the key of.', max_length=300, verbose_name='spelling')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='prisoners.person', verbose_name='person')),
            ],
            options={
                'verbose_name': 'name key',
                'verbose_name_plural': 'name keys',
                'ordering': ['key', 'person_id'],
                'constraints': [models.UniqueConstraint(fields=('key', 'person'), name='prisoners_namekey_unique_per_person')],
            },
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
