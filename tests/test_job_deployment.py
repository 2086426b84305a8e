"""gunicorn's timeout is set on purpose, and web and worker share the job files' volume."""

from __future__ import annotations

import runpy
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_gunicorn_settings_are_deliberate(monkeypatch):
    for name in ("GUNICORN_TIMEOUT", "GUNICORN_GRACEFUL_TIMEOUT", "WEB_CONCURRENCY"):
        monkeypatch.delenv(name, raising=False)
    conf = runpy.run_path(str(ROOT / "config" / "gunicorn.py"))
    assert (conf["timeout"], conf["graceful_timeout"]) == (60, 30)
    assert conf["workers"] >= 3
    monkeypatch.setenv("GUNICORN_TIMEOUT", "90")
    assert runpy.run_path(str(ROOT / "config" / "gunicorn.py"))["timeout"] == 90


def test_the_image_and_compose_file_use_them_and_share_the_media_volume():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert 'CMD ["gunicorn", "-c", "config/gunicorn.py", "config.wsgi"]' in dockerfile
    assert "COPY jobs ./jobs" in dockerfile and "MEDIA_ROOT=/app/media" in dockerfile
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert "gunicorn -c config/gunicorn.py config.wsgi" in services["web"]["command"][-1]
    assert services["web"]["environment"]["GUNICORN_TIMEOUT"] == "${GUNICORN_TIMEOUT:-60}"
    for name in ("web", "worker"):
        assert "media:/app/media" in services[name]["volumes"], name
        assert services[name]["environment"]["MEDIA_ROOT"] == "/app/media"
    assert "media" in compose["volumes"]
