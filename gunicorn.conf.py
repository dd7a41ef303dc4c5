"""Production serving: `gunicorn wsgi:app` reads this file (see docs/deployment.md).

Workers are processes (the app keeps no state in memory that matters: sessions are rows,
the rate limiter uses Redis when RATELIMIT_STORAGE_URI is set). Threads let a worker answer
other requests while one waits on the database.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 4))
worker_class = "gthread"
# A progress report PDF takes a second or two; batch printing runs on the job queue, not here.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so memory from a large PDF never accumulates.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
# Behind a TLS-terminating proxy: trust its X-Forwarded-* headers (set FORWARDED_ALLOW_IPS).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
