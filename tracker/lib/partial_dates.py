"""
Partial, uncertain dates.

A partial date is stored as the text a source supports and nothing more: ``"2020"``,
``"2020-06"`` or ``"2020-06-25"`` (the ISO 8601 / EDTF level-0 forms). ``""`` means
unknown. The precision is the form itself, so no day or month is ever invented.

For filtering and ordering, each partial-date column has two companion columns that the
database itself computes (``GeneratedField``): the earliest and the latest day the value
can mean. "June 2020" spans 2020-06-01 to 2020-06-30. Because the database computes them,
they stay right whichever way a row is written: forms, imports, fixtures or raw SQL.

Use it in a model as::

    started_on = PartialDateField(_("start date"))
    started_on_earliest = earliest_of("started_on")
    started_on_latest = latest_of("started_on")

with ``partial_date_constraint("started_on")`` in ``Meta.constraints``.

**Dates the way people write them.** Editors type dates as their sources give them. The
admin's form field (``PartialDateFormField``) reads, besides the stored forms, ``25.06.2020``,
``06.2020``, ``June 2020``, ``Jun 2020``, ``чэрвень 2020``, ``июнь 2020``, ``25 June 2020``,
``25 чэрвеня 2020`` and ``25 июня 2020`` (``read_partial_date``): in any case, with spaces
around, whatever the language of the page, with ASCII digits only. It stores the same
text as ever, and shows it back in the normal form of the page's language
(``format_partial_date``): "25 June 2020", "25 чэрвеня 2020", "25 июня 2020"; "June 2020",
"чэрвень 2020", "июнь 2020"; "2020". The stored form alone is what the API, the files,
the database check and ``parse_partial_date`` accept: people's forms are for people.
Month names are in ``MONTH_NAMES``, per language: a new language of the admin adds its
names there.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.db import NotSupportedError, models
from django.db.models import F, Func
from django.utils import translation
from django.utils.translation import gettext_lazy as _

# ASCII digits only: Python's \d would also take other scripts' digits (٢٠٢٠, ２０２０).
PARTIAL_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$", re.ASCII)


class Precision(models.TextChoices):
    YEAR = "year", _("year")
    MONTH = "month", _("month")
    DAY = "day", _("day")


@dataclass(frozen=True)
class PartialDate:
    """A parsed partial date: the text, its precision and the days it can mean."""

    text: str
    precision: str
    earliest: datetime.date
    latest: datetime.date

    def __str__(self) -> str:
        return self.text

    def could_be_after(self, other: PartialDate) -> bool:
        """True when this date may fall on or after ``other`` (their spans overlap or follow)."""
        return self.latest >= other.earliest


def parse_partial_date(value: str) -> PartialDate | None:
    """
    Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; return None for "" (unknown).

    Raises ValidationError with a message an editor can act on for anything else.
    """
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValidationError(
            _("Enter a date as text: YYYY, YYYY-MM or YYYY-MM-DD."), code="invalid_partial_date"
        )
    match = PARTIAL_DATE_RE.match(value)
    if not match:
        raise ValidationError(
            _("“%(value)s” is not a date. Use YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2020-06."),
            code="invalid_partial_date",
            params={"value": value},
        )
    year, month, day = (int(part) if part else None for part in match.groups())
    if year < 1000:
        raise ValidationError(
            _("“%(value)s” has an impossible year. Use YYYY, YYYY-MM or YYYY-MM-DD."),
            code="invalid_partial_date",
            params={"value": value},
        )
    if month is not None and not 1 <= month <= 12:
        raise ValidationError(
            _("“%(value)s” has no month %(month)s. Use YYYY, YYYY-MM or YYYY-MM-DD."),
            code="invalid_partial_date",
            params={"value": value, "month": month},
        )
    if month is None:
        return PartialDate(
            value, Precision.YEAR, datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        )
    last_day = calendar.monthrange(year, month)[1]
    if day is None:
        return PartialDate(
            value,
            Precision.MONTH,
            datetime.date(year, month, 1),
            datetime.date(year, month, last_day),
        )
    if not 1 <= day <= last_day:
        raise ValidationError(
            _("“%(value)s” is not a day of the calendar. Use YYYY, YYYY-MM or YYYY-MM-DD."),
            code="invalid_partial_date",
            params={"value": value},
        )
    exact = datetime.date(year, month, day)
    return PartialDate(value, Precision.DAY, exact, exact)


def precision_of(value: str) -> str | None:
    """The precision of a stored partial date, or None when it is unknown."""
    parsed = parse_partial_date(value)
    return parsed.precision if parsed else None


def validate_partial_date(value: str) -> None:
    parse_partial_date(value)


# Dates the way people write them ------------------------------------------------------------

# Month names per language: the name of the month alone ("June 2020", nominative) and
# after a day ("25 June 2020", genitive in Belarusian and Russian).
MONTH_NAMES = {
    "en": {
        "alone": [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ],
    },
    "be": {
        "alone": [
            "студзень",
            "люты",
            "сакавік",
            "красавік",
            "травень",
            "чэрвень",
            "ліпень",
            "жнівень",
            "верасень",
            "кастрычнік",
            "лістапад",
            "снежань",
        ],
        "with_day": [
            "студзеня",
            "лютага",
            "сакавіка",
            "красавіка",
            "траўня",
            "чэрвеня",
            "ліпеня",
            "жніўня",
            "верасня",
            "кастрычніка",
            "лістапада",
            "снежня",
        ],
    },
    "ru": {
        "alone": [
            "январь",
            "февраль",
            "март",
            "апрель",
            "май",
            "июнь",
            "июль",
            "август",
            "сентябрь",
            "октябрь",
            "ноябрь",
            "декабрь",
        ],
        "with_day": [
            "января",
            "февраля",
            "марта",
            "апреля",
            "мая",
            "июня",
            "июля",
            "августа",
            "сентября",
            "октября",
            "ноября",
            "декабря",
        ],
    },
}
# English abbreviations people write: Jan, Feb, …, Sept.
_ABBREVIATIONS = {name[:3].casefold(): n for n, name in enumerate(MONTH_NAMES["en"]["alone"], 1)}
_ABBREVIATIONS["sept"] = 9


def _month_numbers() -> dict[str, int]:
    numbers = dict(_ABBREVIATIONS)
    for forms_ in MONTH_NAMES.values():
        for names in forms_.values():
            numbers.update({name.casefold(): n for n, name in enumerate(names, 1)})
    return numbers


MONTH_NUMBERS = _month_numbers()

_DOTTED = re.compile(r"^(?:([0-9]{1,2})\.)?([0-9]{1,2})\.([0-9]{4})$")
_WORDS = re.compile(r"^(?:([0-9]{1,2}) )?([^\W\d_]+)\.? ([0-9]{4})$")


def _accepted_forms() -> str:
    """The forms an editor may type, with examples in the page's language."""
    return _(
        "Write it as 2020; 06.2020 or %(month)s; 25.06.2020 or %(day)s (or 2020-06, 2020-06-25)."
    ) % {"month": format_partial_date("2020-06"), "day": format_partial_date("2020-06-25")}


def _not_a_date(value: str, message) -> ValidationError:
    return ValidationError(
        "%(problem)s %(forms)s",
        code="invalid_partial_date",
        params={"problem": message % {"value": value}, "forms": _accepted_forms()},
    )


def read_partial_date(value: str) -> str:
    """
    The stored form ("", "2020", "2020-06" or "2020-06-25") of a date as an editor writes
    it (see the module docstring). Raises ValidationError naming the accepted forms, and
    for a day that is not in the calendar (31.02.2020).
    """
    text = " ".join((value or "").split())
    if not text:
        return ""
    day = month = year = None
    if PARTIAL_DATE_RE.match(text):
        year, month, day = text[:4], text[5:7] or None, text[8:10] or None
    elif match := _DOTTED.match(text):
        day, month, year = match.groups()
    elif (match := _WORDS.match(text)) and match.group(2).casefold() in MONTH_NUMBERS:
        day, name, year = match.groups()
        month = MONTH_NUMBERS[name.casefold()]
    else:
        raise _not_a_date(value.strip(), _("“%(value)s” is not a date."))
    stored = f"{int(year):04d}"
    if month is not None:
        stored += f"-{int(month):02d}"
    if day is not None:
        stored += f"-{int(day):02d}"
    try:
        parse_partial_date(stored)
    except ValidationError:
        raise _not_a_date(value.strip(), _("“%(value)s” is not a date in the calendar.")) from None
    return stored


def format_partial_date(value: str, language: str | None = None, *, genitive: bool = False) -> str:
    """
    A stored partial date in the normal form of ``language`` (by default the active
    one): "25 June 2020", "June 2020", "2020". ``genitive``: a month alone in the form
    that follows "since" (be "з чэрвеня 2020", ru "с июня 2020"). A value that is not a
    stored partial date comes back unchanged.
    """
    try:
        parsed = parse_partial_date(value)
    except ValidationError:
        return value
    if parsed is None or parsed.precision == Precision.YEAR:
        return value or ""
    language = (language or translation.get_language() or "en").split("-")[0]
    names = MONTH_NAMES.get(language)
    if names is None:
        return value
    year, month = parsed.earliest.year, parsed.earliest.month
    if parsed.precision == Precision.MONTH and not genitive:
        return f"{names['alone'][month - 1]} {year}"
    if parsed.precision == Precision.MONTH:
        return f"{names.get('with_day', names['alone'])[month - 1]} {year}"
    month_name = names.get("with_day", names["alone"])[month - 1]
    return f"{parsed.earliest.day} {month_name} {year}"


class PartialDateFormField(forms.CharField):
    """
    A text input that reads a date the way people write it (``read_partial_date``),
    stores its ISO form and shows it back in the page's language.
    """

    def __init__(self, **kwargs):
        kwargs["max_length"] = 40  # "25 кастрычніка 2020" and spaces; stored in 10
        kwargs.setdefault(
            "help_text",
            _("As precise as the source: 2020, 06.2020, June 2020, 25.06.2020, 25 June 2020."),
        )
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("size", 18)

    def to_python(self, value):
        # Here, not in clean(), so that an unchanged date shown as "June 2020" is
        # unchanged for has_changed() too.
        return read_partial_date(super().to_python(value))

    def prepare_value(self, value):
        return format_partial_date(value) if isinstance(value, str) else value


class PartialDateField(models.CharField):
    """A date as precise as its source says: "", "YYYY", "YYYY-MM" or "YYYY-MM-DD"."""

    description = _("Partial date (YYYY, YYYY-MM or YYYY-MM-DD)")

    def __init__(self, *args, **kwargs):
        kwargs["max_length"] = 10
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)
        self.validators.append(validate_partial_date)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("max_length", None)
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PartialDateFormField, **kwargs})


class PartialDateBound(Func):
    """
    SQL for the earliest (or, with ``latest=True``, the latest) day a partial date can mean.

    Immutable on PostgreSQL (``make_date``, integer casts) and deterministic on SQLite
    (``date()`` without 'now'), as generated columns require. NULL for an unknown date.
    """

    output_field = models.DateField()
    arity = 1

    def __init__(self, expression, latest=False, **extra):
        if isinstance(expression, str):
            expression = F(expression)
        self.latest = latest
        super().__init__(expression, **extra)

    def _compile_source(self, compiler):
        return compiler.compile(self.get_source_expressions()[0])

    @staticmethod
    def _fill(template: str, sql: str, params) -> tuple[str, tuple]:
        return template.replace("{s}", sql), tuple(params) * template.count("{s}")

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = self._compile_source(compiler)
        if self.latest:
            template = (
                "(CASE length({s}) WHEN 4 THEN {s} || '-12-31' "
                "WHEN 7 THEN date({s} || '-01', '+1 month', '-1 day') "
                "WHEN 10 THEN {s} END)"
            )
        else:
            template = (
                "(CASE length({s}) WHEN 4 THEN {s} || '-01-01' "
                "WHEN 7 THEN {s} || '-01' WHEN 10 THEN {s} END)"
            )
        return self._fill(template, sql, params)

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = self._compile_source(compiler)
        year = "substr({s}, 1, 4)::integer"
        month = "substr({s}, 6, 2)::integer"
        day = "substr({s}, 9, 2)::integer"
        if self.latest:
            template = (
                f"(CASE length({{s}}) WHEN 4 THEN make_date({year}, 12, 31) "
                f"WHEN 7 THEN ((make_date({year}, {month}, 1) + interval '1 month')::date - 1) "
                f"WHEN 10 THEN make_date({year}, {month}, {day}) END)"
            )
        else:
            template = (
                f"(CASE length({{s}}) WHEN 4 THEN make_date({year}, 1, 1) "
                f"WHEN 7 THEN make_date({year}, {month}, 1) "
                f"WHEN 10 THEN make_date({year}, {month}, {day}) END)"
            )
        return self._fill(template, sql, params)

    def as_sql(self, compiler, connection, **extra_context):
        raise NotSupportedError("Partial dates support SQLite and PostgreSQL only.")


class IsPartialDate(Func):
    """
    SQL truth of "this column holds '' or a well-formed, real partial date".

    On SQLite, date(x, '+0 days') normalises 2020-02-30 to 2020-03-01, so comparing it
    with x rejects days that are not in the calendar.
    """

    output_field = models.BooleanField()
    arity = 1

    def __init__(self, expression, **extra):
        if isinstance(expression, str):
            expression = F(expression)
        super().__init__(expression, **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.get_source_expressions()[0])
        template = (
            "({s} = '' "
            "OR (length({s}) = 4 AND {s} GLOB '[1-9][0-9][0-9][0-9]') "
            "OR (length({s}) = 7 AND date({s} || '-01', '+0 days') IS {s} || '-01') "
            "OR (length({s}) = 10 AND date({s}, '+0 days') IS {s}))"
        )
        return PartialDateBound._fill(template, sql, params)

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.get_source_expressions()[0])
        # The generated bound columns call make_date(), which rejects 2021-02-30 as well.
        template = (
            "({s} = '' OR {s} ~ '^[1-9][0-9]{3}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$')"
        )
        return PartialDateBound._fill(template, sql, params)

    def as_sql(self, compiler, connection, **extra_context):
        raise NotSupportedError("Partial dates support SQLite and PostgreSQL only.")


def earliest_of(field_name: str) -> models.GeneratedField:
    return models.GeneratedField(
        expression=PartialDateBound(field_name),
        output_field=models.DateField(),
        db_persist=True,
        verbose_name=_("earliest possible day"),
    )


def latest_of(field_name: str) -> models.GeneratedField:
    return models.GeneratedField(
        expression=PartialDateBound(field_name, latest=True),
        output_field=models.DateField(),
        db_persist=True,
        verbose_name=_("latest possible day"),
    )


def partial_date_constraint(field_name: str) -> models.CheckConstraint:
    """The database's own check that a partial-date column is well formed."""
    return models.CheckConstraint(
        condition=models.Q(IsPartialDate(field_name)),
        name=f"%(app_label)s_%(class)s_{field_name}_is_partial_date",
        violation_error_message=_("Dates must be YYYY, YYYY-MM or YYYY-MM-DD."),
    )
