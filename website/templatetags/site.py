"""Filters for the website's templates: dates, choices and terms in the reader's language."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from tracker.lib.languages import active_language, language_of
from tracker.lib.links import http_link

from .. import formatting

register = template.Library()


@register.filter
def link(value) -> str:
    """A URL to another site as an ``href``: only http(s); "" (no link) for another scheme."""
    return http_link(value)


@register.filter
def lang_attr(text) -> str:
    """
    ``lang="…"`` (with a space before it) for a free text of a record written in another
    language than the page's, by its letters (``tracker.lib.languages.language_of``: an
    editor's English note on a Belarusian page), so that a screen reader reads it in its
    language and the page does not pass it off as its own words; "" for a text in the
    page's language or without letters. ``<p{{ note|lang_attr }}>{{ note }}</p>``.
    """
    text = str(text or "")
    if not any(letter.isalpha() for letter in text):
        return ""
    language = language_of(text)
    return "" if language == active_language() else format_html(' lang="{}"', language)


@register.filter
def pdate(value) -> str:
    """A partial date ("2020-06" or the API's object) as text: "June 2020"."""
    return formatting.partial_date(value)


@register.filter
def since(value) -> str:
    """A partial date after "since": "since {{ date|since }}" (genitive month in be, ru)."""
    return formatting.partial_date(value, genitive=True)


@register.filter
def day(value) -> str:
    """A date or date-time as a day: "25 June 2020"."""
    return formatting.day(value)


@register.filter
def label(value, kind: str) -> str:
    """The reader's label of a stored choice: ``{{ status|label:"status" }}``."""
    return formatting.choice_label(value, kind)


@register.filter
def term(decision: dict) -> str:
    """A decision's term in words: "15 years", "4 years and 6 months"."""
    return formatting.term_in_words(decision.get("term_months"), decision.get("term_days"))


@register.filter
def number(value) -> str:
    """A whole number grouped as the language groups it: 1,197 (en), 1 197 (be, ru)."""
    return formatting.number_format(value, force_grouping=True) if value is not None else ""


@register.filter
def figure(value: dict) -> str:
    """A reported figure's number with its qualifier: "more than 13,000", "1,197"."""
    return formatting.figure_value(value.get("value"), value.get("qualifier"))


@register.filter
def source_names(sources: list[dict]) -> str:
    """Sources' titles, each a ``<cite>``, joined as the language joins a list: "A, B and
    C" (the titles escaped; the words between them are the catalogue's)."""
    titles = [format_html("<cite>{}</cite>", source.get("title", "")) for source in sources]
    return mark_safe(formatting.join_names(titles))  # noqa: S308
