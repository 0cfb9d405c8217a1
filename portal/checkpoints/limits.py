"""Rate limits of check-in and check-out posts: per phone, per checkpoint, per address.

A crowd checks in together from one address (a carrier's NAT, a market's Wi-Fi), so the address
cannot be the key a phone is limited by. Instead:

- each phone has its own budget, keyed by a random device id in a signed cookie the check-in page
  sets (``PORTAL_RATE_LIMITS["checkin"]``); a post without one is counted by its address at that
  rate, which only a client that never opened the page can do;
- each checkpoint has a budget as large as a real crowd there can use (``checkin_checkpoint``);
- each address has a high ceiling (``checkin_address``) that still stops a flood which throws its
  cookie away every time.

Only accepted posts count: a post one limit refuses is taken back from the others, so a phone that
keeps posting spends its own budget, not its neighbours' behind the same address, nor the
checkpoint's. Counters are fixed windows of the rate's period in the rate-limit cache; on Redis the
three are counted (and a refused post taken back) by one script, in one round trip. Like every
other use of the cache, the limits fail open: with the cache unavailable a post is let through.
"""

import hashlib
import logging
import re
import secrets
import time
from functools import lru_cache, wraps

from django.conf import settings
from django.core import signing
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django_ratelimit.exceptions import Ratelimited

from portal.core.net import client_ip

from . import codes

logger = logging.getLogger(__name__)

DEVICE_COOKIE = "ckp_dev"
DEVICE_SALT = "portal.checkpoints.device"
DEVICE_DAYS = 30
KEY_PREFIX = "portal:checkin-limit:"
# Counters outlive their window a little, so that a late increment never starts a fresh one.
EXPIRY_FUDGE = 5
_RATE_RE = re.compile(r"^(\d+)/(\d*)([smhd])$")
_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@lru_cache(maxsize=64)
def parse_rate(rate: str) -> tuple[int, int]:
    """``"30/m"`` → (30, 60): how many in how many seconds."""
    match = _RATE_RE.match(rate.strip())
    if match is None:
        raise ValueError(f"Not a rate: {rate!r} (expected e.g. 30/m, 600/m, 100/5m)")
    count, multiplier, unit = match.groups()
    return int(count), _PERIODS[unit] * int(multiplier or 1)


# --- The device id ------------------------------------------------------------------------------
def device_id(request) -> str | None:
    """The phone's device id from its signed cookie, or None (absent or tampered with)."""
    if not hasattr(request, "_checkin_device"):
        try:
            value = request.get_signed_cookie(DEVICE_COOKIE, default=None, salt=DEVICE_SALT)
        except signing.BadSignature:
            value = None
        request._checkin_device = value or None
    return request._checkin_device


def give_device_id(request, response):
    """Set a device id on a phone that has none (the pages with the check-in form).

    The id is random and used for nothing but the rate limits: it is not stored on the server.
    """
    if device_id(request) is None:
        response.set_signed_cookie(
            DEVICE_COOKIE,
            secrets.token_urlsafe(16),
            salt=DEVICE_SALT,
            max_age=DEVICE_DAYS * 86400,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


# --- Counting -----------------------------------------------------------------------------------
def _digest(value: str) -> str:
    return hashlib.blake2b(value.encode("utf-8", "replace"), digest_size=12).hexdigest()


def limits_for(request, code: str) -> list[tuple[str, int, int]]:
    """(cache key, limit, period) of each budget a post to checkpoint ``code`` spends."""
    rates = settings.PORTAL_RATE_LIMITS
    address = client_ip(request)
    device = device_id(request)
    checkpoint = code if codes.CODE_RE.match(code or "") else "-"
    now = time.time()
    found = []
    for scope, ident, rate in (
        ("address", address, rates["checkin_address"]),
        ("device", f"d:{device}" if device else f"a:{address}", rates["checkin"]),
        ("checkpoint", checkpoint, rates["checkin_checkpoint"]),
    ):
        limit, period = parse_rate(rate)
        window = int(now // period)
        found.append((f"{KEY_PREFIX}{scope}:{_digest(ident)}:{window}", limit, period))
    return found


# Counts a post against every budget in one atomic round trip; a refused post is taken back.
# KEYS: the counters; ARGV: limit and seconds to keep, for each. Returns 0, or the index (from 1)
# of the first budget that is spent.
_COUNT_SCRIPT = """
local refused = 0
for i, key in ipairs(KEYS) do
  local n = redis.call('INCR', key)
  if n == 1 then redis.call('EXPIRE', key, ARGV[2 * i]) end
  if refused == 0 and n > tonumber(ARGV[2 * i - 1]) then refused = i end
end
if refused > 0 then
  for _, key in ipairs(KEYS) do redis.call('DECR', key) end
end
return refused
"""


def _count_script(store):
    """The counting script, registered once per cache object (one per thread, kept for the
    process's life). Django's backend makes a new client, with its table of reply parsers, for
    every operation: made once here, and a script keyed by a new client each post would keep
    every one of them alive."""
    script = getattr(store, "_checkin_count_script", None)
    if script is None:
        script = store._cache.get_client(write=True).register_script(_COUNT_SCRIPT)
        store._checkin_count_script = script
    return script


def _refused_redis(store, budgets):
    # The keys are a prefix and hex digests: nothing for Django to warn about.
    keys = [store.make_key(key) for key, _limit, _period in budgets]
    args = []
    for _key, limit, period in budgets:
        args += [limit, period + EXPIRY_FUDGE]
    return bool(_count_script(store)(keys=keys, args=args))


def _refused_generic(store, budgets):
    counted, refused = [], False
    for key, limit, period in budgets:
        store.add(key, 0, period + EXPIRY_FUDGE)
        try:
            count = store.incr(key)
        except ValueError:  # evicted meanwhile, or the cache is unavailable: not counted
            continue
        counted.append(key)
        refused = refused or count > limit
    if refused:
        for key in counted:
            try:
                store.decr(key)
            except ValueError:
                pass
    return refused


def _refused(budgets) -> bool:
    """Count a post against its budgets; True (and nothing counted) if one is spent."""
    store = caches[getattr(settings, "RATELIMIT_USE_CACHE", "default")]
    if not isinstance(store, RedisCache):
        return _refused_generic(store, budgets)
    guard = getattr(store, "_guard", None)
    if guard is not None:
        # portal.core.redis_cache.FailOpenRedisCache: the same pause after a failure, the same
        # failure count in /healthz, as every other cache operation.
        return guard("incr", lambda: False, _refused_redis, store, budgets)
    import redis

    try:
        return _refused_redis(store, budgets)
    except (redis.exceptions.RedisError, OSError):
        logger.warning("rate-limit cache unavailable: check-in let through", exc_info=True)
        return False


def check(request, code: str):
    """Count this post against its budgets; raise Ratelimited (the 429 page) when one is spent."""
    if not getattr(settings, "RATELIMIT_ENABLE", True):
        return
    if _refused(limits_for(request, code)):
        request.limited = True
        raise Ratelimited()


def limited(view):
    """Apply ``check`` to the POSTs of a view whose first argument is the checkpoint code."""

    @wraps(view)
    def wrapper(request, code, *args, **kwargs):
        if request.method == "POST":
            check(request, code)
        return view(request, code, *args, **kwargs)

    return wrapper
