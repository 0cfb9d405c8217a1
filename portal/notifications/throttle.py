"""The cap on messages per second of each channel, shared by every worker through the cache.

Providers of brand-name SMS and Zalo refuse (or bill) bursts over the rate agreed with them; the
workers take turns in windows of a second (longer for rates under one a second). This caps what
the portal sends to a provider, unlike ``core.ratelimit``, which caps what clients ask of it.
"""

import math
import time

from django.core.cache import cache

from . import conf


def wait_for_slot(channel: str, sleep=time.sleep) -> float:
    """Wait until the channel may send one more message; returns the seconds waited.
    A rate of 0 (or none) is no cap."""
    rate = float(conf.channel(channel).get("RATE") or 0)
    if rate <= 0:
        return 0.0
    window = max(1.0, 1.0 / rate)
    allowance = max(1, math.floor(rate * window))
    waited = 0.0
    while True:
        now = time.time()
        slot = int(now // window)
        key = f"notifications:rate:{channel}:{slot}"
        cache.add(key, 0, timeout=math.ceil(window) + 2)
        try:
            used = cache.incr(key)
        except ValueError:
            # The counter expired between add and incr, or the cache is down (it fails open,
            # core.redis_cache): the message goes rather than every message waiting for it.
            return waited
        if used <= allowance:
            return waited
        pause = (slot + 1) * window - now
        sleep(pause)
        waited += pause
