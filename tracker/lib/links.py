"""
Links to other sites: http and https only.

A stored URL is shown as a link on the site and given in the API, so a ``javascript:`` or
``data:`` address would run in a reader's browser. The rule is in three places, each for
the way a value arrives: the model field's validator (forms, imports, ``full_clean``), a
database check (anything else that writes: bulk SQL, a fixture, a mirror's load), and
``http_link`` where a URL is shown (the site's templates, the API's serializers), which
shows nothing for another scheme.
"""

from __future__ import annotations

from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

SCHEMES = ("http://", "https://")
MESSAGE = _("Give a web address that starts with http:// or https://.")

validate_http_url = URLValidator(schemes=["http", "https"], message=MESSAGE)


def http_link(value) -> str:
    """The URL if it is an http(s) address, else "" (never a link of another scheme)."""
    if isinstance(value, str) and value[:8].lower().startswith(SCHEMES):
        return value
    return ""


def http_constraint(field: str) -> models.CheckConstraint:
    """The database's check of a URL field: empty, or starting with http:// or https://."""
    return models.CheckConstraint(
        condition=models.Q(**{field: ""})
        | models.Q(**{f"{field}__istartswith": "http://"})
        | models.Q(**{f"{field}__istartswith": "https://"}),
        name=f"%(app_label)s_%(class)s_{field}_http",
        violation_error_message=MESSAGE,
    )
