"""Several app servers share one login rate limit when it is stored in Redis (deployment.md).

Needs a Redis server: REHAB_TEST_REDIS_URL, by default redis://127.0.0.1:6379/15. Without
one the test is skipped with the reason; CI runs with REHAB_REQUIRE_ALL_TESTS=1, which turns
any skip into a failure, so there it always runs.
"""

from __future__ import annotations

import os
import uuid

import pytest
import redis

REDIS_URL = os.environ.get("REHAB_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_server():
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as exc:
        pytest.skip(f"no Redis at {REDIS_URL} ({exc}); CI provides one")
    yield client
    client.close()


def test_two_app_servers_share_the_login_limit_through_redis(make_app, redis_server):
    prefix = f"rehab-test-{uuid.uuid4().hex[:12]}"
    settings = dict(
        RATELIMIT_ENABLED=True,
        RATELIMIT_LOGIN="3 per minute",
        RATELIMIT_STORAGE_URI=REDIS_URL,
        RATELIMIT_KEY_PREFIX=prefix,
    )
    first, second = make_app(**settings), make_app(**settings)
    clients = [first.test_client(), second.test_client()]
    try:
        statuses = [
            clients[n % 2]
            .post("/login", data={"email": "a@example.nl", "password": "wrong pass"})
            .status_code
            for n in range(4)
        ]
        # Two attempts on each server: with per-process memory each would allow three.
        assert statuses == [200, 200, 200, 429]
        assert redis_server.keys(f"*{prefix}*"), "the counter lives in Redis"
    finally:
        for key in redis_server.scan_iter(f"*{prefix}*"):
            redis_server.delete(key)
