"""Django's Redis cache, failing open: when Redis is unreachable every operation answers as a miss.

The cache only ever speeds things up: the page and route caches (portal.core.cache and
portal.core.pages), template fragments, Wagtail's site paths and the rate-limit counters
(django-ratelimit with ``RATELIMIT_FAIL_OPEN``). Sessions, login lockouts and one-time codes are in
the database. So a Redis outage must cost speed, not service: reads miss, writes are dropped,
``incr`` raises ``ValueError`` as for a missing key (what callers already handle), and nothing
raises to a view.

After a failure the backend leaves Redis alone for ``RETRY_AFTER`` seconds (default 5), so a
Redis that hangs rather than refuses costs one timeout per process in that time, not one per
operation. Failures are counted per process (``stats()``, shown by ``/healthz``) and logged once,
then at most once a minute with the number since the last line.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

LOG_EVERY_SECONDS = 60.0

_lock = threading.Lock()
_stats = {"failures": 0, "last_error": "", "last_failure_at": None}
_log_state = {"logged_at": None, "unlogged": 0}


def stats() -> dict:
    """Failures in this process since it started: a copy, for /healthz."""
    with _lock:
        return dict(_stats)


def reset_stats():
    with _lock:
        _stats.update(failures=0, last_error="", last_failure_at=None)
        _log_state.update(logged_at=None, unlogged=0)


def _record_failure(exc: BaseException | None, operation: str):
    now = time.monotonic()
    with _lock:
        _stats["failures"] += 1
        if exc is not None:
            _stats["last_error"] = type(exc).__name__
        _stats["last_failure_at"] = time.time()
        _log_state["unlogged"] += 1
        logged_at = _log_state["logged_at"]
        if logged_at is not None and now - logged_at < LOG_EVERY_SECONDS:
            return
        count, _log_state["unlogged"], _log_state["logged_at"] = _log_state["unlogged"], 0, now
        error = _stats["last_error"]
    logger.warning(
        "Cache unavailable (%s on %s); serving without it. %d cache operation(s) failed since "
        "the last report.",
        error,
        operation,
        count,
    )


class FailOpenRedisCache(RedisCache):
    """``django.core.cache.backends.redis.RedisCache`` that never raises a connection error."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self.retry_after = float(params.get("RETRY_AFTER", 5))
        self._down_until = 0.0
        # A cache that answers slowly is worse than none: short timeouts unless configured.
        self._options.setdefault("socket_connect_timeout", 0.5)
        self._options.setdefault("socket_timeout", 0.5)

    @staticmethod
    def _errors():
        import redis

        return (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)

    def _guard(self, operation, miss, call, *args, **kwargs):
        if time.monotonic() < self._down_until:
            _record_failure(None, operation)
            return miss()
        try:
            return call(*args, **kwargs)
        except self._errors() as exc:
            self._down_until = time.monotonic() + self.retry_after
            _record_failure(exc, operation)
            return miss()

    def ping(self):
        """Ask Redis directly, whatever the recent failures: for /healthz. Raises when down."""
        self._cache.get_client(write=True).ping()
        self._down_until = 0.0

    # Every public operation of Django's Redis backend, with the answer of a miss.

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard("add", lambda: False, super().add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._guard("get", lambda: default, super().get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard("set", lambda: None, super().set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard("touch", lambda: False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._guard("delete", lambda: False, super().delete, key, version)

    def get_many(self, keys, version=None):
        return self._guard("get_many", dict, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._guard("has_key", lambda: False, super().has_key, key, version)

    def incr(self, key, delta=1, version=None):
        def missing():
            raise ValueError(f"Key '{key}' not found (the cache is unavailable).")

        return self._guard("incr", missing, super().incr, key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard("set_many", lambda: list(data), super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._guard("delete_many", lambda: None, super().delete_many, keys, version)

    def clear(self):
        return self._guard("clear", lambda: False, super().clear)
