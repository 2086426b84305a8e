"""Settings for the test suite: the database and Redis come from the environment as in CI."""

from .base import *  # noqa: F403
from .base import env

SECRET_KEY = env("SECRET_KEY", default="test-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests run tasks in-process unless a test starts a real worker for itself; that test points
# the app at Redis (REDIS_URL, or the machine's local Redis) and turns eager mode off.
# A test that starts the app in a subprocess (tests/faults) may turn eager mode off with
# CELERY_TASK_ALWAYS_EAGER=false, so the app really publishes to REDIS_URL.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CELERY_WORKER_BROKER_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/15")

# SQLite tests use a file, not memory, so a worker process can open the same test database.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "test_db.sqlite3")}  # noqa: F405
# A worker started by a test opens the test database by name.
if env("WORKER_TEST_DATABASE", default=""):
    DATABASES["default"]["NAME"] = env("WORKER_TEST_DATABASE")  # noqa: F405
# Parallel workers (pytest-xdist, `make test`) share REDIS_URL and the worktree: each keeps its
# cache keys and stored files apart, and clearing the cache clears only its own keys.
TEST_WORKER = env("PYTEST_XDIST_WORKER", default="")
if CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache":  # noqa: F405
    CACHES["default"]["BACKEND"] = "tests.redis_cache.WorkerRedisCache"  # noqa: F405
    CACHES["default"]["KEY_PREFIX"] = f"test{TEST_WORKER}"  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
# Job results and stashed uploads of the test run, apart from a developer's own media/.
MEDIA_ROOT = BASE_DIR / ".test-media" / (TEST_WORKER or "main")  # noqa: F405
