"""The editors' dashboard on the admin's front page (``prisoners.dashboard``)."""

from django import template

from ..dashboard import dashboard

register = template.Library()


@register.inclusion_tag("admin/dashboard.html", takes_context=True)
def editors_dashboard(context):
    request = context["request"]
    return {"request": request, **dashboard(request)}
