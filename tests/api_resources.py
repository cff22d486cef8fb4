"""The public API's resources, listed once: the router's own registry, with each model."""

from tracker.api_urls import router

RESOURCES = {prefix: viewset.queryset.model for prefix, viewset, _basename in router.registry}
