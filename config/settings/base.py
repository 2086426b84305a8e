"""Settings shared by every mode, read from the environment (django-environ).

Nothing here fails open: DEBUG defaults to off and there is no SECRET_KEY; `local` and `test`
supply a development key, `production` refuses to start without one.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "simple_history",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "accounts",
    "jobs",
    "targets",
    "measures",
    "reporting",
    "dashboard",
    "documents",
    "api",
    # Failed-login tracking and lockout (django-axes): maintained, stores attempts in the
    # database (so it keeps working when Redis is down) and covers the site and admin logins.
    "axes",
]

MIDDLEWARE = [
    "config.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.http_headers.PrivateCacheMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "reporting.context_processors.demo_data",
                "reporting.context_processors.page_version",
            ],
        },
    },
]

# The embedded default is an SQLite file in the project folder; CI and production set
# DATABASE_URL to PostgreSQL.
DATABASES = {"default": env.db_url_config(env("DATABASE_URL", default="") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# AxesStandaloneBackend first: it refuses a locked-out account or address before any password
# is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"
# Every password a person sets (password change, the admin's user forms) is checked; demo
# accounts are created by a command with fixed, published passwords and are not real accounts.
# 12 characters and three kinds of character: the usual reading of MLPS 2.0 (等保2.0) password
# complexity for government systems.
# Argon2 first (Django's recommendation: memory-hard, so costly on GPUs, and cheaper on the
# server's CPU than PBKDF2 at its default strength); existing PBKDF2 hashes still verify and are
# upgraded at the next login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.passwords.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
]

# Login throttling (accounts/login_throttle.py): an account is locked after 5 failed logins and
# an address after 30 (an office behind one NAT address shares it), for 15 minutes, on the site
# login and the admin login alike.
AXES_HANDLER = "accounts.login_throttle.AccountAndAddressHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = 5
AXES_ADDRESS_FAILURE_LIMIT = 30
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.login_throttle.lockout_response"
AXES_VERBOSE = False
# Every failed login is also kept as an audit row (who, from where, when), shown in the admin.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# Behind the reverse proxy the client address is the first X-Forwarded-For entry; the proxy
# count is set per deployment (0: trust only REMOTE_ADDR).
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if env.int("AXES_PROXY_COUNT", default=0) else ("REMOTE_ADDR",)
)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Our English date formats (config/formats/en); Chinese keeps Django's own (2025年3月4日).
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Files made or received by the application (job results, uploads waiting for confirmation):
# Django's default storage under MEDIA_ROOT, a volume of its own in docker-compose.yml. They are
# never served as media: downloads go through a view that checks who may read them.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Redis: unset means the embedded mode, where Celery tasks run in-process as they are sent.
# Redis is an accelerator, never a dependency of a request: a dead Redis costs each cache call
# or task publish milliseconds (short timeouts, no publish retries), the cache answers "miss"
# (the page renders uncached), a failed publish is caught by the caller (the nightly recompute
# catches up), and nothing about it can fail a write's transaction.
REDIS_URL = env("REDIS_URL", default="")
REDIS_CONNECT_TIMEOUT = env.float("REDIS_CONNECT_TIMEOUT", default=0.5)
REDIS_SOCKET_TIMEOUT = env.float("REDIS_SOCKET_TIMEOUT", default=2.0)
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=15 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=14 * 60)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A web process publishing to a dead broker fails at once instead of retrying for seconds.
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_CONNECT_TIMEOUT
CELERY_TASK_PUBLISH_RETRY = False
# An unacknowledged task (its worker was killed) goes back to the queue once the longest a task
# may run has passed, not after Redis's default hour.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_TASK_TIME_LIMIT + 60,
    "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
    "socket_timeout": REDIS_SOCKET_TIMEOUT,
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = REDIS_CONNECT_TIMEOUT
CELERY_REDIS_SOCKET_TIMEOUT = REDIS_SOCKET_TIMEOUT
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"retry_policy": {"max_retries": 0}}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    # Every night, so statuses move with time even when no data arrives.
    "recompute-all-progress": {"task": "reporting.tasks.recompute_all", "schedule": crontab(hour=2, minute=0)},
    "measure-deadline-reminders": {
        "task": "reporting.tasks.send_deadline_reminders",
        "schedule": crontab(hour=8, minute=0),
    },
    "prune-background-jobs": {"task": "jobs.tasks.prune_jobs", "schedule": crontab(hour=3, minute=30)},
}

if REDIS_URL:
    # django-redis, because it can treat an unreachable Redis as a cache miss (IGNORE_EXCEPTIONS)
    # and log it, where Django's own backend raises into the request.
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": REDIS_CONNECT_TIMEOUT,
                "SOCKET_TIMEOUT": REDIS_SOCKET_TIMEOUT,
                "CONNECTION_POOL_CLASS": "config.redis_pool.FailFastConnectionPool",
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    DJANGO_REDIS_LOGGER = "config.cache"
else:
    # The embedded mode's in-process cache. LocMemCache culls a third of its entries once it holds
    # MAX_ENTRIES (300 by default), which at 300 cities would cull the data versions themselves
    # (one per city) and leave every page uncached; a few tens of thousands of small entries is
    # a few tens of MB at most.
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 50_000}}
    }

# Sessions are read on every signed-in request: from the cache, written through to the database
# (so a lost or flushed cache only costs a database read, and nobody is signed out by it).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="plan-tracker@localhost")

# Whether visitors without an account may read the dashboards (plan texts are public,
# progress data is internal, so off unless a city decides otherwise).
PUBLIC_DASHBOARDS = env.bool("PUBLIC_DASHBOARDS", default=False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # WeasyPrint and fontTools narrate every PDF step at INFO; WeasyPrint's warnings are mostly
    # screen-only CSS it skips. The PDF fetcher logs refused URLs itself (documents.pdf).
    "loggers": {
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "WARNING"},
        # django-redis: one line a minute while Redis is unreachable, not a traceback per call.
        "config.cache": {"level": "WARNING", "filters": ["once_a_minute"]},
        # django-axes logs every successful login at INFO; failures and lockouts stay (WARNING).
        "axes": {"level": "WARNING"},
    },
    "filters": {"once_a_minute": {"()": "config.log_filters.OnceAMinute"}},
}

# The REST API (api/): token or session authentication, the same read rule as the pages
# (PUBLIC_DASHBOARDS), JSON only, numbers as JSON numbers.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.DashboardAccess"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.BoundedJSONParser"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.ApiPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "api.schema.ApiAutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "COERCE_DECIMAL_TO_STRING": False,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
# Schema at /api/v1/schema/, Swagger UI at /api/v1/docs/, its assets from the app's own static
# files (drf-spectacular-sidecar): nothing is loaded from a CDN.
SPECTACULAR_SETTINGS = {
    "TITLE": _("规划目标跟踪 API"),
    "DESCRIPTION": _(
        "认证：请求头 Authorization: Token <令牌>。令牌由管理员运行 manage.py issue_api_token <用户名> 签发，"
        "或登录后 POST /api/v1/auth/token/ 获取；在浏览器中登录后也可直接使用会话（写操作需附带 CSRF 令牌）。"
        "未开启 PUBLIC_DASHBOARDS 时，读取也需要登录。"
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No call to the public validator service from an intranet page.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None, "persistAuthorization": False},
    "ENUM_NAME_OVERRIDES": {
        "ProgressStatusEnum": "reporting.models.ProgressSnapshot.Status",
        "ResponsibilityRoleEnum": "targets.models.Role",
        "BureauKindEnum": "targets.models.Bureau.Kind",
        "PlanKindEnum": "targets.models.Plan.Kind",
        "TargetKindEnum": "targets.models.Target.Kind",
        "ReviewStatusEnum": "reporting.models.Observation.Status",
    },
}

# Content-Security-Policy (django-csp): the app loads nothing from outside and runs no inline
# script or style; plotly.js's own rules come from its static stylesheet (vendor/plotly).
# JSON figure data sits in <script type="application/json">, which is data, not script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
