from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrisonersConfig(AppConfig):
    name = "prisoners"
    verbose_name = _("Political prisoners")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import publishing, signals  # noqa: F401  (connects the status refresh)

        publishing.connect()
        post_migrate.connect(_build_missing_edition, sender=self)
        post_migrate.connect(_find_missing_duplicates, sender=self)


def _build_missing_edition(using, **kwargs):
    """
    After ``migrate``: a database with published records but no published versions (one
    migrated from before the edition existed) gets them, from its published rows, and
    its edition is derived from them. Later publications keep it in step.
    """
    from . import publishing

    publishing.bootstrap(using=using)


def _find_missing_duplicates(using, **kwargs):
    """
    After ``migrate``: find the possible duplicates of a database that has people but no
    name keys yet (one migrated from before they were stored). Later changes keep them in
    step (``prisoners.signals``); ``manage.py find_duplicates`` recomputes them all.
    """
    from . import duplicates
    from .models import NameKey, Person

    if using != "default" or NameKey.objects.using(using).exists():
        return
    if Person.objects.using(using).exists():
        duplicates.rebuild()
