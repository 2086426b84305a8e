"""gunicorn's settings, for the Dockerfile and docker-compose.yml (`gunicorn -c config/gunicorn.py`).

timeout = 60 s. Every piece of work that can run long has left the request: imports after
confirmation, the annual PDF (8-25 s) and exports above a few thousand rows are background jobs
(jobs app). What stays in a request is bounded: the slowest is the preview of the largest
upload accepted (5 MB): reading and checking 100,000 rows (4.3 MB) took 23 s on the 2-core
development machine under a load average of 13. 60 s leaves more than twice that, yet a worker
stuck on something unforeseen is replaced within a minute instead of holding one of a handful
of slots.
gunicorn's default (30 s) is what turned slow requests into bare 500s before.

graceful_timeout = 30 s: on a restart or deploy, requests in flight get half a minute to finish.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
# The heartbeat file in memory, not on the container's overlay filesystem, where a slow disk
# write can make the arbiter think a healthy worker hung.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
accesslog = "-"
