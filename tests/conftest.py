"""Pytest fixtures: named users and the seed data. The factories are in tests/factories.py."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command


@pytest.fixture
def seed(db):
    """The seed fixtures, loaded as `make run` loads them."""
    call_command("loaddata", "seed", verbosity=0)


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_user(
        username="alena", password="editor-pass-123", is_staff=True, is_superuser=True
    )
