"""
Links to API records, as DRF's ``reverse`` builds them, at the cost of a string join.

``reverse`` (in ``tracker.lib.api.record_url``, which adds the request's ``lang``)
resolves the URL pattern, builds the absolute address from the request and carries a
``format`` parameter over: about 40 µs a link, and a page of 50 people with their
citations has 250 links. Every link of one view name differs only by the id, so the first
one is built by ``record_url`` with a placeholder id and the others are the text around it
with their id in between. The templates live on the request, so a link is always built
for the request that asked (host, scheme, ``format``, and ``lang`` when the request gave
it: ``tracker.lib.api.kept_language``).
"""

from __future__ import annotations

from tracker.lib.api import record_url

# Ids match "[0-9]+" (PublicViewSet.lookup_value_regex); this one is never a real id and
# cannot appear elsewhere in a URL of this site.
_PLACEHOLDER = "987654321987654321987"
_TEMPLATES = "_api_link_templates"


def api_url(request, view_name: str, pk: int) -> str:
    """What ``tracker.lib.api.record_url(request, view_name, pk)`` returns."""
    templates = getattr(request, _TEMPLATES, None) if request is not None else None
    if templates is None:
        templates = {}
        if request is not None:
            setattr(request, _TEMPLATES, templates)
    template = templates.get(view_name)
    if template is None:
        url = record_url(request, view_name, _PLACEHOLDER)
        template = templates[view_name] = tuple(url.split(_PLACEHOLDER, 1))
    before, after = template
    return f"{before}{pk}{after}"
