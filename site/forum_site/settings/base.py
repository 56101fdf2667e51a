"""Settings shared by every environment of the host site.

Nothing here reads a required variable: dev and test work with an empty environment, and
production.py adds what a real deployment must configure.
"""

from pathlib import Path

from forum_site import env

SITE_DIR = Path(__file__).resolve().parents[2]
BASE_DIR = SITE_DIR.parent

INSTALLED_APPS = [
    "accounts",
    "home",
    "forum_workflows",
    "forms.apps.FormsConfig",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail_modeladmin",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.typed_table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "accounts.apps.WagtailUsersConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "forum_site.middleware.SiteLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "forms.upload_limits.UploadLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "forum_site.urls"
WSGI_APPLICATION = "forum_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]


def database_settings():
    """PostgreSQL when DATABASE_URL is set, otherwise the embedded SQLite file."""
    postgres = env.postgres_database(default=None, conn_max_age=env.integer("CONN_MAX_AGE", 600))
    if postgres:
        return {"default": postgres}
    return {"default": env.sqlite_database(env.text("SQLITE_PATH", BASE_DIR / "db.sqlite3"))}


DATABASES = database_settings()
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django 6.1's system check asks for it on PostgreSQL (lookups, search, constraints).
    INSTALLED_APPS.append("django.contrib.postgres")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Users: the host's own model; people sign in with their email address.
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
# Private pages and documents send people to the site's own login page, not Wagtail's.
WAGTAIL_FRONTEND_LOGIN_URL = LOGIN_URL
# The workspace's dashboard, in the language of the login page (a URL name, reversed under
# i18n_patterns).
LOGIN_REDIRECT_URL = "forum_workflows:workspace"
LOGOUT_REDIRECT_URL = "/"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # one day: people read mail between shifts

# Sessions: units share tablets, so a session ends after a configurable idle time.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_AGE = env.integer("SESSION_IDLE_MINUTES", 8 * 60, minimum=5) * 60
SESSION_SAVE_EVERY_REQUEST = True

# Languages: Swedish first, English second; every URL carries its language.
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska"), ("en", "English")]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
LOCALE_PATHS = [SITE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [SITE_DIR / "forum_site" / "static"]
STATIC_ROOT = env.directory("STATIC_ROOT", BASE_DIR / "var" / "static")
STATIC_URL = "/static/"
MEDIA_ROOT = env.directory("MEDIA_ROOT", BASE_DIR / "var" / "media")
MEDIA_URL = "/media/"
# Files people attach to answers: outside MEDIA_ROOT, never served by URL, only through a view
# that checks permission (see forms/storage.py).
PRIVATE_ROOT = env.directory("PRIVATE_ROOT", BASE_DIR / "var" / "private")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "forum_private": {"BACKEND": "forms.storage.PrivateStorage"},
}

# Background work (mail, PDFs): run inline by default; production queues it in the database.
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env.text("DEFAULT_FROM_EMAIL", "Värdeforum <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

WAGTAIL_SITE_NAME = "Värdeforum"
WAGTAILADMIN_BASE_URL = env.text("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_PASSWORD_RESET_ENABLED = True

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Answer uploads: the largest file, and the largest request (all files of one save together).
FORUM_FORMS_MAX_FILE_MB = env.integer("FORUM_FORMS_MAX_FILE_MB", 20)
FORUM_FORMS_MAX_REQUEST_MB = env.integer("FORUM_FORMS_MAX_REQUEST_MB", 60)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # One line per task run is noise in the console; failures still show.
        "django.tasks": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
    },
}
