import pytest
from django.conf import settings

POSTGRES_ENGINE = "django.db.backends.postgresql"


def on_postgres():
    return settings.DATABASES["default"]["ENGINE"] == POSTGRES_ENGINE


def _flushes_the_database(item):
    marker = item.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(item.fixturenames)
    )


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(config, items):
    """Browser and concurrency tests belong to the PostgreSQL run only (DESIGN.md §8).

    live_server with SQLite shares one connection across threads and hides transaction bugs, so
    on SQLite these tests are left out (deselected), not skipped.

    Tests that flush the database (browser and concurrency tests) run after all the others:
    pytest-django sorts them last, but pytest's grouping by session-scoped parameters (the
    browser) can move them back among tests that need what the migrations made (the groups'
    permissions), which a flush removes.
    """
    result = yield
    items.sort(key=_flushes_the_database)
    for item in items:
        if "e2e" in item.path.parts:
            item.add_marker(pytest.mark.postgres_only)
    if on_postgres():
        return result
    kept = [item for item in items if not item.get_closest_marker("postgres_only")]
    left_out = [item for item in items if item.get_closest_marker("postgres_only")]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept
    return result


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's default language (Swedish), whatever ran before it."""
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: Wagtail caches site root paths there, and a rolled
    back test's pages must not leak into the next one's URLs (nor its login throttle counts)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def site_tree(db):
    """Locales, a home page per language and the default Site, as the demo data builds them."""
    from home.site_tree import ensure_site_tree

    return ensure_site_tree()


@pytest.fixture
def make_user(db):
    """Create a person; keyword arguments override the defaults."""
    from django.contrib.auth import get_user_model
    from wagtail.users.models import UserProfile

    counter = iter(range(1, 10_000))

    def make(language=None, password="a-Good-passw0rd", **kwargs):
        number = next(counter)
        kwargs.setdefault("email", f"person{number}@example.org")
        kwargs.setdefault("full_name", f"Person Number{number}")
        user = get_user_model().objects.create_user(password=password, **kwargs)
        if language:
            profile = UserProfile.get_for_user(user)
            profile.preferred_language = language
            profile.save()
        return user

    return make
