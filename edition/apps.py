from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class EditionConfig(AppConfig):
    name = "edition"
    verbose_name = _("published edition")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        post_migrate.connect(_place, sender=self)


def _place(using, **kwargs):
    from .schema import place_edition

    place_edition(using)
