"""Check-in rate limits: a crowd behind one address gets through, one phone or a flood does not.

The limits run on the real cache: local memory, and Redis (one pipelined round trip) where it
answers. The counts are the shipped defaults of PORTAL_RATE_LIMITS, over a day instead of a
minute: counters are fixed windows, and a test crossing the end of a minute (310 posts on a busy
machine may) would start counting afresh halfway.
"""

import secrets

import pytest
from django.core import signing
from django.test import Client

from portal.checkpoints import limits
from portal.checkpoints.models import CheckIn

pytestmark = pytest.mark.django_db

FORM = {
    "action": "full",
    "full_name": "Nguyễn Thị Hoa",
    "phone": "0912345678",
    "has_symptoms": "no",
    "had_contact": "no",
    "travelled": "no",
    "consent": "on",
}
MARKET_WIFI = "203.0.113.7"


@pytest.fixture(params=["locmem", "redis"])
def limit_cache(request, settings):
    """Rate limits on, counted in a fresh cache of each kind."""
    if request.param == "redis":
        url = request.getfixturevalue("redis_url")
        settings.CACHES = {
            "default": {
                "BACKEND": "portal.core.redis_cache.FailOpenRedisCache",
                "LOCATION": url,
                "KEY_PREFIX": f"test-limits-{secrets.token_hex(6)}",
            }
        }
    else:
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": f"test-limits-{secrets.token_hex(6)}",
            }
        }
    settings.RATELIMIT_ENABLE = True
    shipped = settings.PORTAL_RATE_LIMITS
    settings.PORTAL_RATE_LIMITS = {
        **shipped,
        **{
            key: shipped[key].split("/")[0] + "/d"
            for key in ("checkin", "checkin_checkpoint", "checkin_address")
        },
    }
    return request.param


def phone(address=MARKET_WIFI):
    """A phone that opened the check-in page: it has the CSRF and device cookies."""
    return Client(REMOTE_ADDR=address)


def open_page(client, checkpoint):
    page = client.get(checkpoint.checkin_path)
    assert page.status_code == 200 and limits.DEVICE_COOKIE in page.cookies
    return client


def test_a_crowd_behind_one_address_all_checks_in(limit_cache, checkpoint):
    phones = [open_page(phone(), checkpoint) for _ in range(100)]
    statuses = [c.post(checkpoint.checkin_path, FORM).status_code for c in phones]
    assert statuses == [302] * 100
    assert CheckIn.objects.filter(checkpoint=checkpoint).count() == 100


def test_one_phone_posting_again_and_again_is_refused_in_vietnamese(limit_cache, checkpoint):
    flooder = open_page(phone(), checkpoint)
    statuses = [flooder.post(checkpoint.checkin_path, FORM).status_code for _ in range(40)]
    assert statuses == [302] * 30 + [429] * 10
    refused = flooder.post(checkpoint.checkin_path, FORM)
    assert refused.status_code == 429 and "Quá nhiều" in refused.content.decode()
    assert CheckIn.objects.count() == 30
    # Its refused posts spent nobody else's budget: a neighbour on the same Wi-Fi checks in.
    neighbour = open_page(phone(), checkpoint)
    assert neighbour.post(checkpoint.checkin_path, FORM).status_code == 302


def test_a_flood_changing_its_cookie_is_refused_at_the_address_ceiling(
    limit_cache, checkpoint, settings
):
    # What a script fetching the page again each time would get: a fresh, valid device id.
    signer = signing.get_cookie_signer(salt=limits.DEVICE_COOKIE + limits.DEVICE_SALT)
    flooder = phone("198.51.100.9")
    open_page(flooder, checkpoint)
    statuses = []
    for _ in range(310):
        flooder.cookies[limits.DEVICE_COOKIE] = signer.sign(secrets.token_urlsafe(16))
        statuses.append(flooder.post(checkpoint.checkin_path, FORM).status_code)
    assert statuses == [302] * 300 + [429] * 10
    # The checkpoint still takes the crowd from elsewhere.
    visitor = open_page(phone(), checkpoint)
    assert visitor.post(checkpoint.checkin_path, FORM).status_code == 302


def test_checking_out_counts_against_the_same_budgets(limit_cache, checkpoint, settings):
    settings.PORTAL_RATE_LIMITS = {**settings.PORTAL_RATE_LIMITS, "checkin": "2/d"}
    visitor = open_page(phone(), checkpoint)
    confirmation = visitor.post(checkpoint.checkin_path, FORM)["Location"]
    assert visitor.post(confirmation).status_code == 200
    assert visitor.post(confirmation).status_code == 429


def test_a_tampered_device_cookie_counts_as_no_cookie(limit_cache, checkpoint, settings):
    settings.PORTAL_RATE_LIMITS = {**settings.PORTAL_RATE_LIMITS, "checkin": "3/d"}
    client = phone("192.0.2.44")
    open_page(client, checkpoint)
    statuses = []
    for n in range(5):
        client.cookies[limits.DEVICE_COOKIE] = f"forged-{n}:signature"
        statuses.append(client.post(checkpoint.checkin_path, FORM).status_code)
    # Without a valid id the posts share their address's budget at the per-phone rate.
    assert statuses == [302, 302, 302, 429, 429]


@pytest.mark.parametrize("limit_cache", ["redis"], indirect=True)
def test_counting_on_redis_keeps_nothing_per_post(limit_cache, checkpoint):
    """Each post used to register the counting script on a new client and keep both for the
    process's life: a gunicorn worker grew with every check-in."""
    import gc

    import redis

    def clients():
        gc.collect()
        # type(), not isinstance(): isinstance asks a lazy object (an earlier request's CSP nonce)
        # for its __class__, which evaluates it, and a spent nonce raises.
        return sum(issubclass(type(o), redis.Redis) for o in gc.get_objects())

    visitor = open_page(phone(), checkpoint)
    assert visitor.post(checkpoint.checkin_path, FORM).status_code == 302
    before = clients()
    for _ in range(10):
        assert visitor.post(checkpoint.checkin_path, FORM).status_code == 302
    assert clients() <= before
