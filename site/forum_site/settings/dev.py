"""Local development and the demo: SQLite, mail printed to the console, debug pages."""

from .base import *

DEBUG = True
SECRET_KEY = env.text("SECRET_KEY", "dev-only-secret-key-never-use-in-production")
ALLOWED_HOSTS = env.listing("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
