"""Settings read the environment and refuse to start on a missing or malformed value."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

REALISTIC_ENV = {
    "DJANGO_SETTINGS_MODULE": "forum_site.settings.production",
    "SECRET_KEY": "q8#Zr2vLx!m4Tn7@wYc1Ke9$Hs3Pd6Gf0Ja5Ub8Xo2Ni7Rt4Ql",
    "ALLOWED_HOSTS": "vardeforum.example.se",
    "WAGTAILADMIN_BASE_URL": "https://vardeforum.example.se",
    "DATABASE_URL": "postgres://forum:secret@db.internal:5432/forum",
    "EMAIL_HOST": "smtp.example.se",
    "DEFAULT_FROM_EMAIL": "Värdeforum <noreply@vardeforum.example.se>",
    "STATIC_ROOT": "/srv/forum/static",
    "MEDIA_ROOT": "/srv/forum/media",
    "PRIVATE_ROOT": "/srv/forum/private",
}


def manage(*args, **env_changes):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in REALISTIC_ENV and key != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env.update(REALISTIC_ENV)
    for key, value in env_changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_silently_with_a_realistic_environment():
    result = manage("check", "--deploy", "--fail-level", "DEBUG")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"SECRET_KEY": None}, "SECRET_KEY is not set."),
        ({"SECRET_KEY": "short"}, "SECRET_KEY must be at least 50 random characters."),
        ({"DATABASE_URL": None}, "DATABASE_URL is not set."),
        ({"DATABASE_URL": "mysql://forum@db/forum"}, "DATABASE_URL must be a PostgreSQL URL"),
        ({"DATABASE_URL": "postgres://forum@db:port/forum"}, "DATABASE_URL is malformed"),
        ({"DATABASE_URL": "postgres://forum@db:5432/"}, "DATABASE_URL must name a database"),
        ({"ALLOWED_HOSTS": " , "}, "ALLOWED_HOSTS must list at least one value."),
        ({"EMAIL_PORT": "smtp"}, "EMAIL_PORT must be a whole number"),
        ({"SECURE_SSL_REDIRECT": "maybe"}, "SECURE_SSL_REDIRECT must be true or false"),
        ({"REDIS_URL": "http://cache:6379"}, "REDIS_URL must start with redis://"),
        ({"LOG_LEVEL": "chatty"}, "LOG_LEVEL must be one of DEBUG, INFO"),
    ],
)
def test_a_missing_or_malformed_setting_stops_start_up_with_one_line(changes, named):
    result = manage("check", **changes)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Configuration error: ")
    assert named in lines[0]


def test_production_queues_tasks_in_the_database_and_shares_one_cache():
    script = (
        "from django.conf import settings as s;"
        "print(s.TASKS['default']['BACKEND']);"
        "print(s.CACHES['default']['BACKEND']);"
        "db = s.DATABASES['default'];"
        "print(db['CONN_MAX_AGE'], db['CONN_HEALTH_CHECKS']);"
        "print('django.contrib.postgres' in s.INSTALLED_APPS)"
    )
    result = manage("shell", "--no-imports", "-c", script)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:4] == [
        "django_tasks_db.DatabaseBackend",
        "django.core.cache.backends.db.DatabaseCache",
        "600 True",
        "True",
    ]


def test_redis_url_switches_the_shared_cache_to_redis():
    script = "from django.conf import settings as s; print(s.CACHES['default'])"
    result = manage(
        "shell", "--no-imports", "-c", script, REDIS_URL="redis://cache.internal:6379/0"
    )
    assert result.returncode == 0, result.stderr
    assert "RedisCache" in result.stdout
    assert "redis://cache.internal:6379/0" in result.stdout


def test_the_session_idle_time_comes_from_the_environment():
    script = "from django.conf import settings as s; print(s.SESSION_COOKIE_AGE)"
    result = manage("shell", "--no-imports", "-c", script, SESSION_IDLE_MINUTES="30")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "1800"

    result = manage("check", SESSION_IDLE_MINUTES="soon")
    assert result.returncode == 2
    assert result.stderr == (
        "Configuration error: SESSION_IDLE_MINUTES must be a whole number, not 'soon'.\n"
    )
