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


def _build_missing_edition(using, **kwargs):
    """
    After ``migrate``: a database with published records but no published versions (one
    migrated from before the edition existed) gets them, from its published rows, and
    its edition is derived from them. Later publications keep it in step.
    """
    from . import publishing

    publishing.bootstrap(using=using)
