"""Tests that use a real Redis queue leave nothing behind in it (RQ registries included).

RQ keeps a job's hash and result for minutes after it finished, a registry per queue and
state, the worker's own keys and a few global sets. A test queue has a unique name; the
worker is named after it, so everything the test made can be found and removed.
"""

from __future__ import annotations

import os

import pytest

REDIS_URL = os.environ.get("REHAB_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
RQ_GLOBAL_SETS = ("rq:queues", "rq:workers")


def redis_connection():
    """A connection to the test Redis database, or a skip (a failure when CI requires all)."""
    from redis import Redis
    from redis.exceptions import ConnectionError as RedisDown

    connection = Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        connection.ping()
    except RedisDown:
        if os.environ.get("REHAB_REQUIRE_ALL_TESTS") == "1":
            pytest.fail(f"Redis is not answering at {REDIS_URL} (.ci/run starts it)")
        pytest.skip(f"Redis is not answering at {REDIS_URL}")
    return connection


def worker_name(queue_name: str) -> str:
    return f"{queue_name}-worker"


def keys_of(connection, queue_name: str) -> list[bytes]:
    """Every key this queue's jobs, registries and worker left."""
    found = set(connection.scan_iter(f"*{queue_name}*"))
    for key in connection.scan_iter("rq:worker:*"):  # workers the app named itself
        if connection.type(key) == b"hash" and queue_name.encode() in (
            connection.hget(key, "queues") or b""
        ):
            found.add(key)
    for key in connection.scan_iter("rq:job:*"):
        if (
            connection.type(key) == b"hash"
            and connection.hget(key, "origin") == queue_name.encode()
        ):
            job_id = key.decode().removeprefix("rq:job:")
            found.update(
                {key, f"rq:results:{job_id}".encode(), f"rq:job:{job_id}:dependents".encode()}
            )
    return sorted(key for key in found if connection.exists(key))


def forget_queue(connection, queue_name: str) -> None:
    """Remove what the queue left, and its entries in RQ's global sets."""
    for key in keys_of(connection, queue_name):
        connection.delete(key)
    for members in RQ_GLOBAL_SETS:
        for member in connection.smembers(members):
            if queue_name.encode() in member or not connection.exists(member):
                connection.srem(members, member)
    # A worker's maintenance sets this throttle (a short-lived lock, no data): without it the
    # next worker merely cleans job groups once more.
    connection.delete("rq:clean_groups")
