"""A real deployment for the load benchmark: its own PostgreSQL database, gunicorn with the
production settings, and (with Redis) a Celery worker, all on this machine.

The database gets a name no one else uses (`plan_tracker_loadbench_<random>`), is created here
and is dropped only by the code that created it, so the benchmark can never drop a database in
use. Set-up runs the README's own commands (migrate, load_plans, create_demo_accounts,
load_demo_data) in subprocesses, as an operator would.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2

from config.processes import process_stop

ROOT = Path(__file__).resolve().parent.parent
NAME_PREFIX = "plan_tracker_loadbench_"
STAFF = ["demo-zibo-ndrc", "demo-zibo-eco", "demo-heze-ndrc", "demo-weihai-eco"]


@dataclass(frozen=True)
class Deployment:
    base_url: str
    database_url: str
    tokens: dict[str, str]


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def _admin_connection(database_url: str) -> psycopg2.extensions.connection:
    connection = psycopg2.connect(_with_database(database_url, "postgres"))
    connection.autocommit = True
    return connection


@contextmanager
def fresh_database(server_url: str) -> Iterator[str]:
    """A new, empty database on the server of `server_url`; dropped afterwards."""
    if urlsplit(server_url).scheme not in ("postgres", "postgresql"):
        raise ValueError("bench_load needs PostgreSQL: set DATABASE_URL=postgres://user@host:5432/anything")
    name = NAME_PREFIX + secrets.token_hex(4)
    with closing(_admin_connection(server_url)) as admin, admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _with_database(server_url, name)
    finally:
        with closing(_admin_connection(server_url)) as admin, admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _free_port() -> int:
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def _wait_until_up(url: str, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("gunicorn exited during start-up")
        try:
            with urllib.request.urlopen(url + "/healthz/", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer /healthz/ in time")


@contextmanager
def deployment(*, server_url: str, redis_url: str, workers: int) -> Iterator[Deployment]:
    """Set up a database with the four plans, demo accounts and demo data, then serve it with
    gunicorn (production settings over plain HTTP on 127.0.0.1) until the block ends."""
    with fresh_database(server_url) as database_url:
        base_env = {
            **{k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "REDIS_URL"}},
            "DATABASE_URL": database_url,
        }
        # Set-up in the embedded mode: recomputes run in-process, so statuses are ready.
        setup_env = {**base_env, "DJANGO_SETTINGS_MODULE": "config.settings.local", "REDIS_URL": ""}
        for command in (["migrate", "--noinput"], ["load_plans"], ["create_demo_accounts"], ["load_demo_data"]):
            _manage(setup_env, *command)
        tokens = {name: _manage(setup_env, "issue_api_token", name).strip() for name in STAFF}
        port = _free_port()
        serve_env = {
            **base_env,
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "False",
            "REDIS_URL": redis_url,
            "LOG_LEVEL": "WARNING",
        }
        _manage(serve_env, "collectstatic", "--noinput", "--verbosity", "0")
        web = worker = None
        try:
            command = [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}"]
            command += ["--config", "config/gunicorn.py"]  # the deployment's settings; --bind wins
            command += ["--workers", str(workers), "--log-level", "warning"]
            web = subprocess.Popen(command, cwd=ROOT, env=serve_env, stdout=subprocess.DEVNULL)
            if redis_url:
                worker = subprocess.Popen(
                    [sys.executable, "-m", "celery", "-A", "config", "worker", "--concurrency=1", "--loglevel=WARNING"],
                    cwd=ROOT,
                    env=serve_env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            base_url = f"http://127.0.0.1:{port}"
            _wait_until_up(base_url, web)
            yield Deployment(base_url=base_url, database_url=database_url, tokens=tokens)
        finally:
            process_stop(web)
            process_stop(worker)
