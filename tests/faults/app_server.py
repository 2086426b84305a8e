"""The application in a subprocess (gunicorn on a free port) against the test database, with
whatever Redis the test chooses, so a fault test goes through the real stack: WSGI, middleware,
sessions, the cache backend and the Celery publisher."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests
from django.db import connection

from config.processes import process_stop

ROOT = Path(__file__).resolve().parent.parent.parent
ARTIFACTS = ROOT / "artifacts"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def port_is_closed(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) != 0


@contextmanager
def app_server(*, redis_url: str) -> Iterator[str]:
    """Serve the app on a free port; yields its base URL. Tasks are published to `redis_url`
    (not run in-process), and the cache is Redis at `redis_url`."""
    port = free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "WORKER_TEST_DATABASE": str(connection.settings_dict["NAME"]),
        "REDIS_URL": redis_url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    command = [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1",
               "--timeout", "60"]  # fmt: skip
    with open(ARTIFACTS / f"app-server-{port}.log", "w") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{base}/healthz/", timeout=5).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            assert process.poll() is None, f"the app server exited; see artifacts/app-server-{port}.log"
            assert time.monotonic() < deadline, "the app server did not start within 60 s"
            time.sleep(0.2)
        yield base
    finally:
        process_stop(process)
