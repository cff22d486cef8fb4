"""
The public website: server-rendered pages in Belarusian, Russian and English, for readers
rather than machines. Every read goes through ``prisoners.public`` (see ``selectors``) and
so reads only the published edition, whose texts are already redacted (see
``presenters``); a record that is not public answers the same 404 page as one that does
not exist.

Parameters: the list of people takes the API's filters (``filtersets``); a repeated,
empty-in-a-typed-field or malformed filter answers a 400 page that says which field is
wrong, never quoting the value; parameters a page does not take (``utm_source``, a
sharing site's click id) are ignored. Forms use GET and no page sets a cookie, so every
anonymous page can be cached (``tracker.caching``).
"""

from __future__ import annotations

import sys
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.core.paginator import EmptyPage, Paginator
from django.db.models import Min
from django.db.models.functions import Length, Substr
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse, translate_url
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_safe
from rest_framework.exceptions import ValidationError

from edition.models import Detention, Facility, Person
from prisoners import public, stats
from prisoners import selectors as api_selectors
from prisoners.choices import Status
from prisoners.exports import EXPORTS, dictionary
from prisoners.filtersets import SourceFilterSet
from tracker.lib import errors, languages
from tracker.lib.api_plumbing import (
    check_parameters,
    validate_filterset,
    validated_query,
    whole_number,
)

from . import chart, presenters, selectors
from .filtersets import (
    DATES,
    PAGE,
    BadQuery,
    PublicChoiceField,
    SitePersonFilterSet,
    as_day,
    filtered,
)

PAGE_SIZE = 50
LETTERS_PAGE_SIZE = 100
BIRTHDAYS_LIMIT = 200
SUPPORTED_LIMIT = 500
LATEST = 8
LETTERS_CACHED_PAGES = 3
HEADLINE_STATUSES = (Status.IN_CUSTODY, Status.RESTRICTED, Status.RELEASED, Status.EXILE)
# Open Graph's names of the page's languages.
OG_LOCALES = {"be": "be_BY", "ru": "ru_RU", "en": "en_GB"}


class BadPage(Exception):
    """``page`` is not a whole number from 1."""


# Pages ------------------------------------------------------------------------------------


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path)


def _in_api(path: str) -> str:
    """A link to the API or to a file, in the page's language (``lang``): its labels and
    messages then speak the reader's language, whatever their browser asks for."""
    return f"{path}?{urlencode({'lang': translation.get_language()})}"


def _alternates(request, query: list | None) -> list[dict]:
    """
    The page in each language, with the validated query only (never the raw one). Each
    language is named in itself (Беларуская, Русский, English), so that a reader who
    cannot read the current page still finds their own.
    """
    suffix = f"?{urlencode(query)}" if query else ""
    current = translation.get_language()
    alternates = []
    for code in languages.LANGUAGES:
        path = translate_url(request.path, code)
        alternates.append(
            {
                "code": code,
                "name": capfirst(translation.get_language_info(code)["name_local"]),
                "path": f"{path}{suffix}",
                "url": _absolute(request, f"{path}{suffix}"),
                "current": code == current,
                "og_locale": OG_LOCALES[code],
            }
        )
    return alternates


def page(
    request,
    template: str,
    context: dict,
    *,
    title: str,
    description: str = "",
    status: int = 200,
    query: list | None = None,
    section: str = "",
    og_type: str = "website",
):
    """
    Render a page with what every page has: its title, its description for sharing (Open
    Graph), its canonical URL and its URL in each language (``hreflang``), and which part
    of the site it belongs to (for the navigation).
    """
    alternates = _alternates(request, query) if status == 200 else []
    canonical = next((a["url"] for a in alternates if a["current"]), "")
    context = {
        **context,
        "page_title": title,
        "page_description": description
        or _(
            "Political prisoners: who is held, since when, where and on which charges, "
            "with the source of every fact."
        ),
        "alternates": alternates,
        "canonical": canonical,
        "x_default": next((a["url"] for a in alternates if a["code"] == "en"), ""),
        "og_type": og_type,
        "og_locale": OG_LOCALES.get(translation.get_language(), OG_LOCALES["en"]),
        "section": section,
    }
    return render(request, template, context, status=status)


def _page_number(request) -> int:
    values = request.GET.getlist(PAGE)
    if not values:
        return 1
    if len(values) > 1:
        raise BadPage
    try:
        number = whole_number(values[0])
    except ValueError:
        raise BadPage from None
    if number < 1:
        raise BadPage
    return number


def _paginate(queryset, number: int, size: int):
    """One page (a count and a slice), or 404 past the last page."""
    try:
        return Paginator(queryset, size).page(number)
    except EmptyPage:
        raise Http404 from None


def _page_links(path: str, query: list, page_obj) -> dict:
    def link(number):
        pairs = [*query, *([(PAGE, number)] if number > 1 else [])]
        return f"{path}?{urlencode(pairs)}" if pairs else path

    return {
        "previous": link(page_obj.previous_page_number()) if page_obj.has_previous() else "",
        "next": link(page_obj.next_page_number()) if page_obj.has_next() else "",
        "number": page_obj.number,
        "pages": page_obj.paginator.num_pages,
        "count": page_obj.paginator.count,
        "first": page_obj.start_index(),
        "last": page_obj.end_index(),
    }


def _bad_request(request, template: str, context: dict, title: str, **kwargs):
    return page(
        request, template, {**context, "bad_request": True}, title=title, status=400, **kwargs
    )


# Home -------------------------------------------------------------------------------------


@require_safe
def home(request):
    """
    The home page. Its content (the counts, the series, the figures, the latest people)
    depends on the edition alone, so it is rendered once per publication step, language
    and day (``stats.cached``), not on every request: at 100,000 people its queries and
    its template were most of the page's time (README, "Performance").
    """
    today = timezone.localdate()
    content = _rendered_once("home", today, "website/home_content.html", lambda: _home(today))
    return page(
        request,
        "website/home.html",
        {"content": content},
        title=_("Political prisoners"),
        section="home",
    )


def _rendered_once(name: str, today, template: str, context_of, *, keep: bool = True):
    """
    ``template`` rendered with ``context_of()``, for content that depends on the edition
    alone: kept in the shared cache once per publication step, language and day
    (``stats.cached``; ``name`` says what else it depends on), or, without ``keep``,
    rendered afresh on each request.
    """

    def render() -> str:
        return render_to_string(template, context_of())

    if keep:
        language = translation.get_language()
        html = stats.cached(f"website.{name}:{language}:{today.isoformat()}", render)
    else:
        html = render()
    return mark_safe(html)  # noqa: S308 -- our own template's output


def _home(today) -> dict:
    counts = selectors.status_counts()
    first = public.rows(Detention).aggregate(first=Min("started_on_earliest"))["first"]
    drawn = chart.draw(chart.series(first, today))
    latest = list(selectors.latest_people(LATEST))
    figures = list(selectors.figures(6))
    figure_sources = _sources_of(figures)
    return {
        "counts": [
            {"status": status, "label": status.label, "people": counts.get(status, 0)}
            for status in HEADLINE_STATUSES
        ],
        "total": sum(counts.values()),
        # The edition's latest publication.
        "last_change": public.last_change(),
        "chart": drawn,
        "latest": presenters.person_rows(latest, {}),
        "figures": [_figure(figure, figure_sources) for figure in figures],
        "table": [
            {
                "start": row["start"],
                "end": row["end"],
                "in_custody": row["in_custody"],
                "figures": [_figure(figure, {}) for figure in row["reported_figures"]],
            }
            for row in drawn.rows
        ],
    }


def _figure(figure, sources: dict) -> dict:
    return {
        "id": figure.pk,
        "value": figure.value,
        "qualifier": figure.qualifier,
        "counted": presenters.figure_text(figure, "counted"),
        "as_of": figure.as_of,
        "counted_by": presenters.figure_text(figure, "counted_by"),
        "sources": sources.get(figure.pk, []),
    }


def _sources_of(records) -> dict[int, list[dict]]:
    """The public sources cited for these records (one query), by record id."""
    found: dict[int, list[dict]] = {}
    for citation in public.citations_of(records).order_by("object_id", "pk"):
        source = citation.source
        found.setdefault(citation.object_id, []).append(
            {
                "id": source.pk,
                "title": source.title,
                "publisher": source.publisher,
                "published_on": source.published_on,
                "url": source.url,
                "quote": citation.quote,
            }
        )
    return found


# The list ---------------------------------------------------------------------------------


def _without_empty(request, dates=()):
    """
    The list's URL without empty parameters (a GET form sends every field), and with the
    ``dates`` written as people write them ("06.2020") as the days the API reads
    ("2020-06-01"), or None when it has neither.
    """
    pairs = [(key, value) for key, values in request.GET.lists() for value in values]
    kept = [
        (key, as_day(key, value) if key in dates else value) for key, value in pairs if value != ""
    ]
    if kept == pairs:
        return None
    return f"{request.path}?{urlencode(kept)}" if kept else request.path


def _known(request, names) -> tuple[object, bool]:
    """The query with only the parameters the page takes, and whether others were left out."""
    query = request.GET.copy()
    ignored = False
    for key in list(query):
        if key not in names:
            del query[key]
            ignored = True
    return query, ignored


def _alphabet(path: str, pairs: list) -> dict:
    """
    The list by the first letter of the name it shows (the API's ``letter``), in the
    alphabet of the page's language, each link keeping the other filters and the order;
    and the link back to every letter.
    """
    kept = [(key, value) for key, value in pairs if key != "letter"]
    chosen = next((value.upper() for key, value in pairs if key == "letter"), "")

    def link(extra):
        query = [*kept, *extra]
        return f"{path}?{urlencode(query)}" if query else path

    return {
        "letters": [
            {"letter": letter, "href": link([("letter", letter)]), "current": letter == chosen}
            for letter in languages.ALPHABETS[languages.active_language()]
        ],
        "every": link([]) if chosen else "",
    }


def _in_api_order(pairs: list) -> list:
    """
    The list's query as the API's, in the list's order: the list sorts by the name it shows
    (in the page's script and collation), which is the API's ``display_name`` (its ``name``
    is the record's own name), by default unless searching, and when sorted by ``name``.
    """
    renamed = {"name": "display_name", "-name": "-display_name"}
    query = [
        (key, renamed.get(value, value) if key == "ordering" else value) for key, value in pairs
    ]
    if not any(key in ("ordering", "q") for key, _value in pairs):
        query.append(("ordering", "display_name"))
    return query


@require_safe
def people(request):
    cleaner = _without_empty(request, DATES)
    if cleaner is not None:
        return HttpResponseRedirect(cleaner)
    query, ignored = _known(request, {*SitePersonFilterSet.base_filters, PAGE})
    title = _("People")
    context = {"ignored": ignored, "api_url": "", "csv_url": ""}
    try:
        number = _page_number(request)
        filterset, pairs = filtered(query, public.rows(Person), request)
    except BadPage:
        return _bad_request(
            request,
            "website/people.html",
            {
                **context,
                "form": SitePersonFilterSet(queryset=Person.objects.none()).form,
                "page_error": True,
            },
            title,
            section="people",
        )
    except BadQuery as error:
        form = error.filterset.form if error.filterset is not None else None
        if form is None:
            form = SitePersonFilterSet(queryset=Person.objects.none()).form
        return _bad_request(
            request,
            "website/people.html",
            {**context, "form": form, "unreadable": error.filterset is None},
            title,
            section="people",
        )
    page_obj = _paginate(filterset.qs, number, PAGE_SIZE)
    people_on_page = list(page_obj.object_list)
    rows = presenters.person_rows(people_on_page, selectors.names_of(people_on_page))
    language = ("lang", translation.get_language())
    api_pairs = [*_in_api_order(pairs), ("limit", PAGE_SIZE)]
    if number > 1:
        api_pairs.append(("offset", (number - 1) * PAGE_SIZE))
    api_pairs.append(language)
    csv_pairs = [*((key, value) for key, value in pairs if key != "ordering"), language]
    context.update(
        {
            "form": filterset.form,
            "rows": rows,
            "pages": _page_links(request.path, pairs, page_obj),
            # The filters chosen in the folded form (the letter is chosen above the list).
            "chosen": len({key for key, _ in pairs if key not in ("q", "ordering", "letter")}),
            "searched": any(key == "q" for key, _value in pairs),
            "alphabet": _alphabet(request.path, pairs),
            "api_url": f"/api/v1/prisoners/?{urlencode(api_pairs)}",
            "csv_url": f"/exports/prisoners.csv?{urlencode(csv_pairs)}",
            "csv_excel_url": f"/exports/prisoners.csv?{urlencode([*csv_pairs, ('excel', 1)])}",
        }
    )
    return page(
        request,
        "website/people.html",
        context,
        title=title,
        query=[*pairs, *([(PAGE, number)] if number > 1 else [])],
        section="people",
    )


# A person ---------------------------------------------------------------------------------


@require_safe
def person(request, pk: int):
    found = api_selectors.person_detail().filter(pk=pk).first()
    if found is None:
        raise Http404
    data = presenters.person_page(found, request)
    status_label = (
        Status(data["current_status"]).label if data["current_status"] in Status.values else ""
    )
    return page(
        request,
        "website/person.html",
        {
            "person": data,
            "api_url": _in_api(f"/api/v1/prisoners/{found.pk}/"),
            "record_feed": reverse("website:person-feed", args=[found.pk]),
        },
        title=data["name"],
        description=_(
            "%(name)s: %(status)s. The sourced record of detention, charges, sentence and release."
        )
        % {"name": data["name"], "status": status_label},
        section="people",
        og_type="profile",
    )


# Facilities -------------------------------------------------------------------------------


@require_safe
def facilities(request):
    data = [
        {
            "id": facility.pk,
            "name": facility.name,
            "other_names": [other.name for other in facility.other_names.all()],
            "kind": facility.kind,
            "city": facility.city,
            "address": facility.address,
            "held_now": facility.held_now,
        }
        for facility in selectors.facilities()
    ]
    return page(
        request,
        "website/facilities.html",
        {"facilities": data},
        title=_("Places of detention"),
        section="facilities",
    )


@require_safe
def facility(request, pk: int):
    found = public.rows(Facility).prefetch_related(selectors.other_names()).filter(pk=pk).first()
    if found is None:
        raise Http404
    held = list(
        selectors.held_now().filter(held_in_id=found.pk).order_by(selectors.by_shown_name(), "pk")
    )
    data = {
        "id": found.pk,
        "name": found.name,
        "other_names": [other.name for other in found.other_names.all()],
        "kind": found.kind,
        "city": found.city,
        "country": found.country,
        "address": found.address,
        "description": found.description,
        "updated_at": found.updated_at,
        "held": presenters.person_rows(held, {}),
    }
    return page(
        request,
        "website/facility.html",
        {
            "facility": data,
            "api_url": _in_api(f"/api/v1/facilities/{found.pk}/"),
            "record_feed": reverse("website:facility-feed", args=[found.pk]),
        },
        title=data["name"],
        description=_("%(name)s: its address for letters and the people held there now.")
        % {"name": data["name"]},
        section="facilities",
    )


# Letters ----------------------------------------------------------------------------------


@require_safe
def letters(request):
    query, ignored = _known(request, {"facility", PAGE})
    choices = [("", gettext_lazy("any")), *selectors.facility_choices()]
    field = PublicChoiceField(choices=choices, coerce=int, required=False)
    title = _("Write a letter")
    context = {"ignored": ignored, "choices": choices, "chosen": ""}
    try:
        number = _page_number(request)
        values = query.getlist("facility")
        if len(values) > 1:
            raise BadPage
        chosen = field.clean(values[0]) if values else None
    except (BadPage, forms.ValidationError):
        return _bad_request(request, "website/letters.html", context, title, section="letters")
    pairs = [("facility", chosen)] if chosen else []
    today = timezone.localdate()
    # The people and the birthdays depend on the edition alone: the first pages (where
    # readers are) are kept once per step for each place (a place checked above, so only
    # real ones are kept); the rest are rendered on each request, so that a crawl of
    # every page does not fill the cache.
    content = _rendered_once(
        f"letters:{chosen}:{number}",
        today,
        "website/letters_content.html",
        lambda: _letters(reverse("website:letters"), chosen, number, pairs, today),
        keep=number <= LETTERS_CACHED_PAGES,
    )
    context.update({"content": content, "chosen": str(chosen or "")})
    return page(
        request,
        "website/letters.html",
        context,
        title=title,
        query=[*pairs, *([(PAGE, number)] if number > 1 else [])],
        section="letters",
    )


def _letters(path: str, chosen: int | None, number: int, pairs: list, today) -> dict:
    """The letters page's people held now (at ``chosen``), on page ``number``, and this
    month's birthdays; 404 past the last page."""
    writable = selectors.held_now(public.rows(Person).filter(name_withheld=False))
    people_here = writable.filter(held_in_id=chosen) if chosen else writable
    shown = selectors.by_shown_name()
    page_obj = _paginate(people_here.order_by(shown, "pk"), number, LETTERS_PAGE_SIZE)
    on_page = list(page_obj.object_list)
    birthdays = list(
        writable.annotate(
            # A withheld person's birth date is only its year in the edition.
            birth_month=Substr("birth_date", 6, 2),
            birth_length=Length("birth_date"),
        )
        .filter(birth_month=f"{today.month:02d}", birth_length=10)
        .order_by("birth_date", shown, "pk")[:BIRTHDAYS_LIMIT]
    )
    places = selectors.facilities_by_id(
        [person.held_in_id for person in on_page] + [person.held_in_id for person in birthdays]
    )

    def rows(people):
        result = presenters.person_rows(people, {})
        for row, person in zip(result, people, strict=True):
            place = places.get(person.held_in_id)
            row["facility"] = (
                {"id": place.pk, "name": place.name, "city": place.city, "address": place.address}
                if place
                else None
            )
            row["birth_date"] = person.birth_date
        return result

    return {
        "rows": rows(on_page),
        "birthdays": rows(birthdays),
        "pages": _page_links(path, pairs, page_obj),
    }


# Sources ----------------------------------------------------------------------------------


@require_safe
def sources(request):
    cleaner = _without_empty(request)
    if cleaner is not None:
        return HttpResponseRedirect(cleaner)
    query, ignored = _known(request, {*SourceFilterSet.base_filters, PAGE})
    query.pop(PAGE, None)
    title = _("Sources")
    context = {"ignored": ignored, "q": ""}
    try:
        number = _page_number(request)
        check_parameters(query, SourceFilterSet)
        filterset = SourceFilterSet(data=query, queryset=selectors.sources())
        validate_filterset(filterset)
    except (BadPage, ValidationError):
        return _bad_request(request, "website/sources.html", context, title, section="sources")
    pairs = validated_query(filterset)
    page_obj = _paginate(
        filterset.qs.order_by("-published_on_earliest", "title", "pk"), number, PAGE_SIZE
    )
    rows = [
        {
            "id": source.pk,
            "title": source.title,
            "publisher": source.publisher,
            "published_on": source.published_on,
            "kind": source.kind,
            "language": source.language,
            "url": source.url,
        }
        for source in page_obj.object_list
    ]
    context.update(
        {
            "rows": rows,
            "q": filterset.form.cleaned_data.get("q") or "",
            "pages": _page_links(request.path, pairs, page_obj),
        }
    )
    return page(
        request,
        "website/sources.html",
        context,
        title=title,
        query=[*pairs, *([(PAGE, number)] if number > 1 else [])],
        section="sources",
    )


@require_safe
def source(request, pk: int):
    found = selectors.sources().filter(pk=pk).first()
    if found is None:
        raise Http404
    citations = list(selectors.citations_of_source(found)[: SUPPORTED_LIMIT + 1])
    more = len(citations) > SUPPORTED_LIMIT
    data = {
        "id": found.pk,
        "title": found.title,
        "kind": found.kind,
        "publisher": found.publisher,
        "author": found.author,
        "url": found.url,
        "archive_url": found.archive_url,
        "published_on": found.published_on,
        "language": found.language,
        "summary": found.summary,
        "supports": presenters.supported_records(citations[:SUPPORTED_LIMIT]),
    }
    return page(
        request,
        "website/source.html",
        {"source": data, "more": more, "api_url": _in_api(f"/api/v1/sources/{found.pk}/")},
        title=data["title"],
        section="sources",
    )


# About, downloads, robots -----------------------------------------------------------------


@require_safe
def about(request):
    return page(
        request,
        "website/about.html",
        {"licence": settings.DATA_LICENSE},
        title=_("About the data and the method"),
        section="about",
    )


# What each CSV file holds, in the page's language (the files' own titles are English).
FILE_TITLES = {
    "prisoners": gettext_lazy("People"),
    "detentions": gettext_lazy("Detentions"),
    "decisions": gettext_lazy("Court decisions"),
    "releases": gettext_lazy("Releases"),
    "facilities": gettext_lazy("Places of detention"),
    "sources": gettext_lazy("Sources"),
    "citations": gettext_lazy("Citations"),
    "figures": gettext_lazy("Reported figures"),
}


@require_safe
def downloads(request):
    files = [
        {
            "slug": slug,
            "url": _in_api(f"/exports/{slug}.csv"),
            "title": str(FILE_TITLES.get(slug, export.title)),
        }
        for slug, export in EXPORTS.items()
    ]
    return page(
        request,
        "website/downloads.html",
        {
            "files": files,
            "licence": settings.DATA_LICENSE,
            "api_url": _in_api("/api/v1/prisoners/"),
        },
        title=_("Downloads and API"),
        section="downloads",
    )


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /api/",
        "Disallow: /exports/",
        "Disallow: /i18n/",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap-index'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def not_found(request, exception=None):
    """The site's 404, the same for a record that is not public and one that does not
    exist: nothing on it depends on the address asked for."""
    return page(request, "website/404.html", {}, title=_("Page not found"), status=404)


@require_safe
def data_dictionary(request):
    """The data dictionary (``docs/data-dictionary.md``), as Markdown text."""
    return HttpResponse(dictionary.render(), content_type="text/markdown; charset=utf-8")


# Error pages that need no database ------------------------------------------------------
#
# The 429, 500 and 503 pages are made from the address alone: their language is the
# address's prefix (a rate limit answers before LocaleMiddleware has run), and nothing on
# them reads the database, which may be what failed.


def _error_page(request, status: int, title: str, paragraphs: list[str]) -> HttpResponse:
    """Call with the page's language active (``_in_language_of``)."""
    response = page(
        request,
        "website/error.html",
        {"heading": title, "paragraphs": paragraphs},
        title=title,
        status=status,
    )
    response["Content-Language"] = translation.get_language()
    return response


def _in_language_of(request):
    language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    return translation.override(language)


def too_many_requests(request, wait: int) -> HttpResponse:
    """The site's 429 (settings.SITE_RATE, ``tracker.lib.throttling``), with Retry-After."""
    with _in_language_of(request):
        response = _error_page(
            request,
            429,
            _("Too many requests"),
            [
                _("This connection asked for more pages in a short time than the site serves."),
                ngettext(
                    "Please wait %(count)s second, then reload the page.",
                    "Please wait %(count)s seconds, then reload the page.",
                    wait,
                )
                % {"count": wait},
            ],
        )
    response["Retry-After"] = str(wait)
    return response


def server_error(request) -> HttpResponse:
    """
    The site's handler500 (``tracker.urls``): a 503 with Retry-After when the database is
    too slow or out of reach (``tracker.lib.errors.service_problem``), else a 500.
    """
    with _in_language_of(request):
        if errors.service_problem(sys.exc_info()[1]) is None:
            return _error_page(
                request,
                500,
                _("Something went wrong"),
                [
                    _("The page could not be made because of an error on our side. It is logged."),
                    _("Please try again later."),
                ],
            )
        response = _error_page(
            request,
            503,
            _("The site is not answering for a moment"),
            [_("The database is too busy or out of reach."), _("Please try again in a minute.")],
        )
    response["Retry-After"] = str(errors.RETRY_AFTER_SECONDS)
    return response
