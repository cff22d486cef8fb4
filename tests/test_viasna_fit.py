"""Every value of Viasna's real export has a place in the model, without loss."""

import json

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models

from prisoners.choices import Gender, PenaltyKind
from prisoners.importing.viasna import FIELD_MAP, MISSING, VIASNA_PENALTIES

from .test_seed import shared  # noqa: F401  (the fixture)


@pytest.fixture
def records(shared):  # noqa: F811
    return json.loads((shared / "data" / "viasna-sample.json").read_text(encoding="utf-8"))


def target(path):
    app_label, model_name, field_name = path.split(".")
    return apps.get_model(app_label, model_name)._meta.get_field(field_name)


def test_every_key_of_every_record_is_mapped(records):
    keys = {key for record in records for key in record}
    assert keys == set(FIELD_MAP)
    for path in filter(None, FIELD_MAP.values()):
        target(path)  # raises if the field does not exist


def test_every_penalty_in_the_sample_maps_to_a_penalty_kind(records):
    penalties = {r["penalty"] for r in records} - MISSING
    assert len(penalties) == 10
    assert penalties <= set(VIASNA_PENALTIES)
    assert set(VIASNA_PENALTIES.values()) <= set(PenaltyKind.values)


def test_every_value_fits_its_field_without_loss(records):
    problems = []
    for record in records:
        for key, value in record.items():
            path = FIELD_MAP[key]
            if isinstance(value, int):
                value = str(value)
            if path is None:
                assert value in MISSING, (record["id"], key, value)
                continue
            if value in MISSING:
                continue
            field = target(path)
            if key == "penalty":
                value = VIASNA_PENALTIES[value]
            if key == "gender":
                assert value in Gender.values
            try:
                field.clean(value, None)
            except ValidationError as error:
                problems.append((record["id"], key, value, error.messages))
            if isinstance(field, models.CharField) and len(value) > field.max_length:
                problems.append((record["id"], key, len(value), "too long"))
    assert problems == []
