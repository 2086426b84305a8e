"""A real Celery worker in a subprocess, consuming from Redis and reading the test database.

Tests that use it must commit their data (transactional_db), since the worker has its own
database connection.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection
from kombu import pools

from config.celery import app
from config.processes import process_stop

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts"


@contextmanager
def real_worker() -> Iterator[str]:
    """Start a worker on a queue of its own; yield the queue name. While it runs, this process
    sends tasks to Redis instead of running them in-process."""
    queue = new_queue()
    process = start_worker(queue)
    try:
        with publishing_to(queue):
            yield queue
    finally:
        stop_worker(process)


def new_queue() -> str:
    return f"test-{uuid.uuid4().hex[:8]}"


def worker_log(queue: str, number: int = 0) -> Path:
    return ARTIFACTS / f"celery-worker-{queue}{f'-{number}' if number else ''}.log"


def start_worker(queue: str, number: int = 0) -> subprocess.Popen:
    """A worker process consuming `queue`, logging to `worker_log(queue, number)`."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "WORKER_TEST_DATABASE": str(connection.settings_dict["NAME"]),
        "REDIS_URL": settings.CELERY_WORKER_BROKER_URL,
    }
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        "--pool=solo",
        "--queues",
        queue,
        "--without-gossip",
        "--without-mingle",
        "--loglevel=INFO",
        "--hostname",
        f"{queue}-{number}@%h",
    ]
    ARTIFACTS.mkdir(exist_ok=True)
    with open(worker_log(queue, number), "w") as log:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def stop_worker(process: subprocess.Popen) -> None:
    process_stop(process)


@contextmanager
def publishing_to(queue: str) -> Iterator[None]:
    """Send this process's tasks to `queue` on Redis instead of running them in-process."""
    broker = settings.CELERY_WORKER_BROKER_URL
    saved = {key: app.conf[key] for key in ("broker_url", "result_backend", "task_always_eager", "task_default_queue")}
    app.conf.update(broker_url=broker, result_backend=broker, task_always_eager=False, task_default_queue=queue)
    _drop_connections()
    try:
        yield
    finally:
        app.conf.update(saved)
        _drop_connections()


def _drop_connections() -> None:
    """Forget the app's broker pool and result backend so the next use picks up the new
    configuration (Celery caches both on first use; these are its own fork-time resets)."""
    pools.reset()  # kombu keeps pools in a global registry keyed by broker URL
    app._after_fork()
    app._backend_cache = None
    app._local = threading.local()
