from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrisonersConfig(AppConfig):
    name = "prisoners"
    verbose_name = _("Political prisoners")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import signals  # noqa: F401  (connects the status refresh)

        post_migrate.connect(_derive_missing_custody_periods, sender=self)
        post_migrate.connect(_find_missing_duplicates, sender=self)


def _derive_missing_custody_periods(using, **kwargs):
    """
    After ``migrate``: derive the custody periods of a database that has public detentions
    but no periods yet (one migrated from before they were stored). Later changes keep
    them in step (``prisoners.signals``).
    """
    from . import public
    from .models import CustodyPeriod, Detention
    from .services import refresh_statuses

    if CustodyPeriod.objects.using(using).exists():
        return
    dated = public.rows(Detention).using(using).filter(started_on_earliest__isnull=False)
    if dated.exists():
        refresh_statuses()


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
