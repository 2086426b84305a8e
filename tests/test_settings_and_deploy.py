"""Production settings refuse to start without a secret and pass the deployment checks; the
compose file is valid."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    clean.update(env)
    return subprocess.run(args, cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120, check=False)


def test_production_refuses_to_start_without_secret_key():
    result = _run([sys.executable, "manage.py", "check"], DJANGO_SETTINGS_MODULE="config.settings.production")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_a_short_secret_key():
    result = _run(
        [sys.executable, "manage.py", "check"], DJANGO_SETTINGS_MODULE="config.settings.production", SECRET_KEY="short"
    )
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


def test_production_passes_check_deploy_without_warnings():
    result = _run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="k" * 20 + "9f8e7d6c5b4a3210zyxwvutsrqponmlkjihgfedcba",
        ALLOWED_HOSTS="tracker.example.gov.cn",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_base_settings_do_not_fail_open():
    result = _run(
        [sys.executable, "-c", "from config.settings import base; print(base.DEBUG, hasattr(base, 'SECRET_KEY'))"]
    )
    assert result.stdout.split() == ["False", "False"], result.stderr


def test_embedded_default_is_sqlite_with_tasks_in_process():
    result = _run(
        [
            sys.executable,
            "-c",
            "import django;from django.conf import settings;django.setup();"
            "s = settings; print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, "
            "s.TIME_ZONE, s.LANGUAGE_CODE)",
        ],
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DATABASE_URL="",
        REDIS_URL="",
    )
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True", "Asia/Shanghai", "zh-hans"], result.stderr


def test_redis_url_sends_tasks_to_the_broker():
    result = _run(
        [
            sys.executable,
            "-c",
            "import django;from django.conf import settings;django.setup();"
            "print(settings.CELERY_BROKER_URL, settings.CELERY_TASK_ALWAYS_EAGER)",
        ],
        DJANGO_SETTINGS_MODULE="config.settings.local",
        REDIS_URL="redis://127.0.0.1:6379/3",
    )
    assert result.stdout.split() == ["redis://127.0.0.1:6379/3", "False"], result.stderr


@pytest.mark.skipif(
    shutil.which("docker-compose") is None and not os.environ.get("CI"),
    reason="needs Debian's docker-compose (apt-get install docker-compose); .ci/run installs it, so CI never skips",
)
def test_compose_file_is_valid():
    env = {"SECRET_KEY": "x" * 60, "POSTGRES_PASSWORD": "pw"}
    result = _run(["docker-compose", "config", "-q"], **env)
    assert result.returncode == 0, result.stderr
    services = _run(["docker-compose", "config", "--services"], **env).stdout.split()
    assert set(services) == {"db", "redis", "web", "worker", "beat"}
    # Without the secrets it must refuse, naming them.
    missing = _run(["docker-compose", "config", "-q"])
    said = missing.stderr + missing.stdout
    assert missing.returncode != 0 and ("SECRET_KEY" in said or "POSTGRES_PASSWORD" in said)
