"""
An admin autocomplete's pages without a COUNT.

Django's autocomplete asks its paginator whether another page follows, and Django's
paginator counts every match to say so: at 100,000 people the detentions of everyone
called "Kavaliou" are 19,041 rows, counted (129 ms) to show 20 of them. ``WithoutCount``
reads one row more than a page instead: there is a next page if it came back.
"""

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator

_LAST_ROW = 2**63 - 1  # SQL's largest OFFSET


class _Page(Page):
    def __init__(self, object_list, number, paginator, more: bool):
        super().__init__(object_list, number, paginator)
        self._more = more

    def has_next(self) -> bool:
        return self._more


class WithoutCount(Paginator):
    """A paginator whose pages know whether another follows without counting them all
    (``count`` and ``num_pages`` still count, if something asks)."""

    def validate_number(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError) as error:
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from error
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        if number * self.per_page > _LAST_ROW:  # an offset past what a database takes
            raise EmptyPage(self.error_messages["no_results"])
        return number

    def page(self, number):
        number = self.validate_number(number)
        start = (number - 1) * self.per_page
        rows = list(self.object_list[start : start + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        return _Page(rows[: self.per_page], number, self, more=len(rows) > self.per_page)


def is_autocomplete(request) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is not None and match.url_name == "autocomplete"
