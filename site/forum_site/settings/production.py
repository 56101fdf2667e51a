"""Production: everything a deployment must decide comes from the environment.

A missing or malformed variable stops start-up with one line naming it (forum_site.env).
"""

from .base import *

DEBUG = False
SECRET_KEY = env.text("SECRET_KEY")
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
    raise env.SettingError("SECRET_KEY must be at least 50 random characters.")
ALLOWED_HOSTS = env.listing("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.listing(
    "CSRF_TRUSTED_ORIGINS", [f"https://{host.lstrip('.')}" for host in ALLOWED_HOSTS]
)
WAGTAILADMIN_BASE_URL = env.text("WAGTAILADMIN_BASE_URL")

DATABASES = {
    "default": env.postgres_database("DATABASE_URL", conn_max_age=env.integer("CONN_MAX_AGE", 600))
}
if "django.contrib.postgres" not in INSTALLED_APPS:
    INSTALLED_APPS.append("django.contrib.postgres")


def cache_settings():
    """One cache for all app servers and workers: Redis if REDIS_URL is set, else the database."""
    redis_url = env.text("REDIS_URL", None)
    if redis_url:
        if not redis_url.startswith(("redis://", "rediss://", "unix://")):
            raise env.SettingError("REDIS_URL must start with redis://, rediss:// or unix://.")
        return {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": redis_url,
            }
        }
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "forum_cache",
        }
    }


CACHES = cache_settings()

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": env.text("EMAIL_HOST"),
            "port": env.integer("EMAIL_PORT", 587, minimum=1),
            "username": env.text("EMAIL_HOST_USER", ""),
            "password": env.text("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env.boolean("EMAIL_USE_TLS", True),
            "timeout": 30,
        },
    }
}
DEFAULT_FROM_EMAIL = env.text("DEFAULT_FROM_EMAIL")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

STATIC_ROOT = env.directory("STATIC_ROOT")
MEDIA_ROOT = env.directory("MEDIA_ROOT")
PRIVATE_ROOT = env.directory("PRIVATE_ROOT")
STORAGES = {
    **STORAGES,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage",
    },
}

# Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.boolean("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env.integer("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.boolean("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env.boolean("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True

LOGGING["root"]["level"] = env.choice(
    "LOG_LEVEL", "INFO", ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
)
