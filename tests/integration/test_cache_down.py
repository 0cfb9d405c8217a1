"""Redis down, database up: the cache and the rate limits fail open, every page and form works,
and /healthz says the cache is degraded (with the failure count) while the site still serves.

The cache points at a closed port on the loopback, so the case needs no live Redis and runs the
same on SQLite and in CI on PostgreSQL.
"""

import logging
import os

import pytest
from django.core.cache import caches

from portal.core import redis_cache

DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1

CHECKIN = {
    "action": "full",
    "full_name": "Lê Thị Thu",
    "phone": "0912 000 111",
    "has_symptoms": "no",
    "had_contact": "no",
    "travelled": "no",
    "consent": "on",
}


@pytest.fixture
def dead_cache(settings):
    """Every cache user (page and route cache, fragments, rate limits) on a Redis nobody runs."""
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.core.redis_cache.FailOpenRedisCache",
            "LOCATION": DEAD_REDIS,
        }
    }
    settings.PAGE_CACHE_ENABLED = True
    settings.RATELIMIT_ENABLE = True
    redis_cache.reset_stats()
    yield caches["default"]
    redis_cache.reset_stats()


@pytest.mark.django_db
def test_site_serves_and_saves_check_ins_when_the_cache_is_down(demo, client, dead_cache):
    from portal.checkpoints.models import CheckIn, Checkpoint

    for path in ("/", "/tin-tuc/", "/khai-bao-y-te/", "/tra-cuu-ho-so/", "/admin/login/"):
        response = client.get(path, follow=True)
        assert response.status_code == 200, (path, response.status_code)

    checkpoint = Checkpoint.objects.filter(is_active=True).first()
    assert client.get(checkpoint.checkin_path).status_code == 200
    before = CheckIn.objects.count()
    response = client.post(checkpoint.checkin_path, CHECKIN)
    assert response.status_code == 302, response.content[:500]
    assert CheckIn.objects.count() == before + 1
    assert CheckIn.objects.filter(phone="0912000111", checkpoint=checkpoint).exists()

    # Rate-limited posts are let through (not refused) while the counter store is away.
    lookup = client.post("/tra-cuu-ho-so/", {"code": "VL-0000", "identity": "0912000111"})
    assert lookup.status_code == 200
    declaration = client.post("/khai-bao-y-te/", {}, follow=True)
    assert declaration.status_code == 200

    health = client.get("/healthz")
    assert health.status_code == 200  # the site still serves: degraded, not down
    body = health.json()
    assert body["status"] == "degraded"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["cache"].startswith("degraded")
    assert body["cache_failures"] > 0


def test_cache_operations_answer_as_a_miss_and_log_once(dead_cache, caplog):
    with caplog.at_level(logging.WARNING, logger="portal.core.redis_cache"):
        assert dead_cache.get("k") is None
        assert dead_cache.get("k", "fallback") == "fallback"
        assert dead_cache.get_many(["a", "b"]) == {}
        assert dead_cache.add("k", 1) is False
        assert dead_cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
        dead_cache.set("k", 1)
        dead_cache.delete("k")
        dead_cache.delete_many(["a"])
        assert dead_cache.has_key("k") is False
        with pytest.raises(ValueError):
            dead_cache.incr("k")  # as for a missing key: callers already handle it
    assert redis_cache.stats()["failures"] >= 10
    warnings = [r for r in caplog.records if r.name == "portal.core.redis_cache"]
    assert len(warnings) == 1, [r.getMessage() for r in warnings]


@pytest.mark.redis
def test_live_redis_is_used_and_healthz_is_ok(db, client, settings, redis_url):
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.core.redis_cache.FailOpenRedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": f"cache-down-test-{os.getpid()}",
        }
    }
    cache = caches["default"]
    cache.set("k", {"a": 1}, 30)
    assert cache.get("k") == {"a": 1}
    assert cache.add("n", 1, 30) is True and cache.incr("n") == 2
    cache.delete_many(["k", "n"])
    body = client.get("/healthz").json()
    assert body["checks"]["cache"] == "ok"
