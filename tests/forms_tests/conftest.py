import os

import pytest
from django.utils import translation
from hypothesis import HealthCheck, settings


@pytest.fixture(autouse=True)
def english():
    """These tests quote the engine's English messages; Swedish is checked where it matters."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def choice_sources_restored():
    """Tests register and unregister choice sources of their own (e.g. "change_ideas"); the host
    app's own registrations are back after each test."""
    from forms import choice_sources

    saved = dict(choice_sources._SOURCES)
    yield
    choice_sources._SOURCES.clear()
    choice_sources._SOURCES.update(saved)


# Hypothesis profiles for the property tests (test_properties.py). CI runs a fixed set of examples
# (derandomize: the seed comes from each test, DESIGN.md §8); "dev" explores new examples each run
# and saves no failing examples (a failure prints a blob for @reproduce_failure instead).
settings.register_profile(
    "ci",
    derandomize=True,
    max_examples=200,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "dev",
    max_examples=100,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture
def admin_client(client, make_user):
    """A client signed in as a superuser whose admin is in English."""
    client.force_login(make_user(is_superuser=True, is_staff=True, language="en"))
    return client
