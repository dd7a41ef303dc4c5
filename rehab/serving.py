"""Gunicorn settings for production: `rehab serve`, or from a checkout
`gunicorn --config gunicorn.conf.py wsgi:app` (see docs/deployment.md).

Workers are processes (the app keeps no state in memory that matters: sessions are rows,
the rate limiter uses Redis when RATELIMIT_STORAGE_URI is set). Threads let a worker answer
other requests while one waits on the database.

Sizing (benchmarks/README.md, measured on 2 cores): a worker holds about 150 MB once it has
served the pages; a page takes tens of milliseconds of CPU, most of it in Python (templates,
formatting), so more processes than cores buys little beyond covering database waits.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Gunicorn's usual starting point, 2 × cores + 1: on 2 cores 5 workers, about 0.75 GB.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 4))
worker_class = "gthread"
# With threaded workers `timeout` is a liveness check: a worker whose main loop stops
# answering the arbiter for this long is killed and replaced. It does not cut off a slow
# request, so a progress report (a second or two of WeasyPrint) never hits it; batch
# printing runs as a job on the queue (`rehab worker`), not in a web worker.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
# On a restart or deploy, requests in progress (a PDF included) get this long to finish.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 30))
keepalive = 5
# Recycle workers now and then so memory from a large PDF never accumulates.
max_requests = 2000
max_requests_jitter = 200
# The heartbeat file on tmpfs where there is one: a slow disk must not look like a hung worker.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108  # nosec B108
accesslog = "-"
errorlog = "-"
# Behind a TLS-terminating proxy: trust its X-Forwarded-* headers (set FORWARDED_ALLOW_IPS).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# After warm-up, move what the worker holds for good (modules, templates, the chart and
# translation caches) out of the garbage collector's sight: full collections over ~200,000
# long-lived objects were the progress page's p95 (issue 24: 180 → 87 ms in-process).
# Objects made later are collected as usual; a recycled worker (max_requests) starts over.
WARM_UP_REQUESTS = int(os.environ.get("GUNICORN_WARM_UP_REQUESTS", 50))


def post_request(worker, req, environ, resp) -> None:
    """Gunicorn hook: once, after the worker's first WARM_UP_REQUESTS requests."""
    if worker.nr == WARM_UP_REQUESTS:
        import gc

        gc.collect()
        gc.freeze()
