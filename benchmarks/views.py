"""
Reference points on the same server, to read the app's figures against:

- ``bare``: a ``JsonResponse`` of 50 constant records: Django's floor (routing, the
  middlewares, JSON), no database;
- ``raw``: one SQL query for 50 public people (generated from ``prisoners.public``) and a
  ``JsonResponse``: the floor with the database;
- ``PlainPersonViewSet``: a plain DRF read-only viewset with the default ``ModelSerializer``
  on Person and DRF's own limit/offset pagination: what DRF costs before our own work.

And ``QueryCountMiddleware``, which puts the number of SQL queries of each (non-streamed)
response in the ``X-Bench-Queries`` header.
"""

from __future__ import annotations

from django.db import connection
from django.http import JsonResponse
from rest_framework import pagination, serializers, viewsets

from prisoners import public
from prisoners.models import Person

BARE_ROWS = [
    {
        "id": n,
        "name": f"Person {n}",
        "gender": "female" if n % 3 else "male",
        "birth_date": "1980-06",
        "region": "Minsk",
        "current_status": "in_custody",
        "status_since": "2021-03-14",
    }
    for n in range(1, 51)
]
RAW_FIELDS = ("id", "public_name", "gender", "birth_date", "region", "current_status")


def bare(request):
    return JsonResponse({"count": len(BARE_ROWS), "results": BARE_ROWS})


def raw(request):
    queryset = public.rows(Person).order_by("public_name", "pk").values(*RAW_FIELDS)[:50]
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = [dict(zip(RAW_FIELDS, row, strict=True)) for row in cursor.fetchall()]
    return JsonResponse({"count": len(rows), "results": rows})


class PlainPersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = Person
        exclude = ("private_contacts", "editors_notes")


class PlainPersonViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = public.rows(Person).order_by("public_name", "pk")
    serializer_class = PlainPersonSerializer
    pagination_class = pagination.LimitOffsetPagination
    filter_backends = ()
    throttle_classes = ()


class QueryCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        if not response.streaming:
            response["X-Bench-Queries"] = str(count)
        return response
