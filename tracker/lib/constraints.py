"""
A model's check constraints validated in one query, not one each.

Django's ``Model.validate_constraints`` asks the database about each ``CheckConstraint``
on its own (``Q.check``: a ``SELECT``, inside a savepoint when a transaction is open, so
three statements each). A court decision has nine such constraints; importing 60 updated
Viasna records at 100,000 people spent 3.1 s of 9 s in them (``cProfile``, 1,002 checks
for 118 ``full_clean`` calls). ``ConstraintsInOneQuery`` asks about all of a model's check
constraints in one ``SELECT`` of one boolean per constraint, and gives the same errors, in
the same order, as Django does: a constraint whose fields are excluded is skipped, a
``NULL`` passes, and a database error falls back to Django's own way, one by one.
"""

from __future__ import annotations

from contextlib import nullcontext

from django.core.exceptions import FieldError, ValidationError
from django.db import DatabaseError, connections, models, router, transaction
from django.db.models.functions import Coalesce
from django.db.models.sql import Query
from django.db.models.sql.constants import SINGLE


def _passed(instance, model_class, checks: list, exclude, using: str) -> dict | None:
    """``id`` of each constraint → whether the instance meets it (None: the database
    could not say)."""
    connection = connections[using]
    if not checks or not connection.features.supports_comparing_boolean_expr:
        return None
    query = Query(None)
    against = instance._get_field_expression_map(meta=model_class._meta, exclude=exclude)
    for name, value in against.items():
        if not hasattr(value, "resolve_expression"):
            value = models.Value(value)
        query.add_annotation(value, name, select=False)
    result, asked = {}, []
    for index, constraint in enumerate(checks):
        met = Coalesce(
            models.Q(constraint.condition), models.Value(True), output_field=models.BooleanField()
        )
        try:
            query.add_annotation(met, f"_met_{index}")
        except FieldError:  # a field the validation excludes: skipped, as Django does
            result[id(constraint)] = True
            continue
        asked.append(constraint)
    if not asked:
        return result
    compiler = query.get_compiler(using=using)
    atomic = transaction.atomic(using=using) if connection.in_atomic_block else nullcontext()
    try:
        with atomic:
            row = compiler.execute_sql(SINGLE)
    except (DatabaseError, FieldError):  # Django's own way says what each one means
        return None
    result.update(zip(map(id, asked), (bool(value) for value in row), strict=True))
    return result


class ConstraintsInOneQuery(models.Model):
    """``validate_constraints`` with one query for all of a model's check constraints."""

    class Meta:
        abstract = True

    def validate_constraints(self, exclude=None):
        using = router.db_for_write(self.__class__, instance=self)
        errors = {}
        for model_class, constraints in self.get_constraints():
            checks = [c for c in constraints if type(c) is models.CheckConstraint]
            passed = _passed(self, model_class, checks, exclude, using) or {}
            for constraint in constraints:
                try:
                    if id(constraint) in passed:
                        if not passed[id(constraint)]:
                            raise ValidationError(
                                constraint.get_violation_error_message(),
                                code=constraint.violation_error_code,
                            )
                    else:
                        constraint.validate(model_class, self, exclude=exclude, using=using)
                except ValidationError as error:
                    if getattr(error, "code", None) == "unique" and len(constraint.fields) == 1:
                        errors.setdefault(constraint.fields[0], []).append(error)
                    else:
                        errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)
