"""Settings read from the environment.

A missing or malformed value raises :class:`SettingError`, which names the variable; the entry
points (``manage.py``, ``wsgi.py``) turn it into one line on stderr and a non-zero exit instead of
a traceback.
"""

import os
import sys
from contextlib import contextmanager
from pathlib import Path

import dj_database_url

_MISSING = object()
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}
_POSTGRES_SCHEMES = {"postgres", "postgresql", "pgsql"}


class SettingError(Exception):
    """A setting read from the environment is missing or malformed."""


@contextmanager
def exit_on_setting_error():
    """Print a :class:`SettingError` as one line and exit with status 2."""
    try:
        yield
    except SettingError as error:
        sys.stderr.write(f"Configuration error: {error}\n")
        raise SystemExit(2) from None


def text(name, default=_MISSING):
    """The variable's value; required (and not blank) unless a default is given."""
    value = os.environ.get(name)
    if value is None or not value.strip():
        if default is _MISSING:
            raise SettingError(f"{name} is not set.")
        return default
    return value.strip()


def boolean(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    value = value.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise SettingError(f"{name} must be true or false, not {value!r}.")


def integer(name, default, minimum=0):
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        number = int(value)
    except ValueError:
        raise SettingError(f"{name} must be a whole number, not {value!r}.") from None
    if number < minimum:
        raise SettingError(f"{name} must be at least {minimum}, not {number}.")
    return number


def choice(name, default, choices):
    """One of ``choices`` (compared in upper case, as logging levels are)."""
    value = text(name, default).upper()
    if value not in choices:
        raise SettingError(f"{name} must be one of {', '.join(choices)}, not {value!r}.")
    return value


def listing(name, default=_MISSING):
    """A comma-separated list; required unless a default is given."""
    value = text(name, None if default is not _MISSING else _MISSING)
    if value is None:
        return list(default)
    items = [item.strip() for item in value.split(",") if item.strip()]
    if not items:
        raise SettingError(f"{name} must list at least one value.")
    return items


def sqlite_database(path):
    """The embedded default: WAL journal, IMMEDIATE transactions so writers queue, not fail."""
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        },
    }


def postgres_database(name="DATABASE_URL", default=_MISSING, conn_max_age=600):
    """PostgreSQL from a ``postgres://user:password@host:port/name`` URL, connections kept open."""
    url = text(name, default)
    if url is None:
        return None
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    if scheme not in _POSTGRES_SCHEMES:
        raise SettingError(
            f"{name} must be a PostgreSQL URL like postgres://user:password@host:5432/name."
        )
    try:
        config = dj_database_url.parse(
            url, conn_max_age=conn_max_age, conn_health_checks=conn_max_age > 0
        )
    except ValueError as error:
        raise SettingError(f"{name} is malformed: {error}") from None
    if not config.get("NAME"):
        raise SettingError(f"{name} must name a database after the host, e.g. .../forum.")
    return config


def directory(name, default=_MISSING):
    value = text(name, default)
    return Path(value) if value is not None else None
