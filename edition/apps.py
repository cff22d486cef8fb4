from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EditionConfig(AppConfig):
    name = "edition"
    verbose_name = _("published edition")
    default_auto_field = "django.db.models.BigAutoField"
