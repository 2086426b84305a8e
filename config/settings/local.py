"""The embedded default: SQLite, tasks run in-process, debug on, a development-only key."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="local-development-only-not-for-production-use-0123456789abcdef")
WHITENOISE_AUTOREFRESH = DEBUG
