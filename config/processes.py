"""Child processes the project starts itself (the load test's gunicorn and worker, the tests'
workers and app servers)."""

from __future__ import annotations

import subprocess


def process_stop(process: subprocess.Popen | None, *, grace_seconds: float = 20) -> None:
    """Ask the process to end (SIGTERM, so gunicorn and Celery shut down cleanly), and kill it if
    it has not ended after `grace_seconds`."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=grace_seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
