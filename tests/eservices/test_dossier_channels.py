"""A dossier's progress reaches the applicant on the channel chosen when filing: the review step
offers SMS (and Zalo) when the installation sends them and a phone was given; the receipt and
each change of stage then go to the SMS provider's stand-in (tests/notifications/providers.py),
once each, besides the e-mail."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from portal.eservices.models import Dossier
from portal.notifications.models import Notification
from tests.eservices.test_filing_flow import file_birth
from tests.notifications.conftest import esms, notify_env, provider  # noqa: F401

pytestmark = pytest.mark.django_db


def _delivered(server):
    """What the SMS provider accepted: {"Phone", "Content"} as it received them."""
    return [{"Phone": m["to"], "Content": m["text"]} for m in server.delivered]


def test_the_applicant_who_chose_sms_gets_the_receipt_and_every_stage_by_sms(
    es_demo,
    wizard_for,
    esms,  # noqa: F811
):
    w = file_birth(wizard_for)
    assert "Tin nhắn SMS" in w.html and 'name="kiem-tra-notify_by"' in w.html
    w.post({"notify_by": "sms", "consent": "on"})
    dossier = Dossier.objects.get(service__slug="dang-ky-khai-sinh")
    assert dossier.notify_channel == "sms"
    sent = _delivered(esms)
    assert len(sent) == 1 and sent[0]["Phone"] == "84912345678"
    assert f"da tiep nhan ho so {dossier.code}" in sent[0]["Content"]

    officer = get_user_model().objects.create_superuser("canbo", password="pw-for-tests-123")
    client = Client()
    client.force_login(officer)
    detail = f"/admin/ho-so/{dossier.pk}/"
    client.post(detail, {"status": "supplement", "note": "Thiếu bản sao CCCD",
                         "fields": ["so_giay_to"]})  # fmt: skip
    sent = _delivered(esms)
    assert len(sent) == 2
    assert (
        f"Ho so {dossier.code}: " in sent[1]["Content"] and "/bo-sung-ho-so/" in sent[1]["Content"]
    )
    assert all(ord(ch) < 128 for ch in sent[1]["Content"])  # one SMS segment's alphabet
    # Each message has its own key: nothing is sent twice, whatever runs again.
    keys = list(Notification.objects.filter(channel="sms").values_list("key", flat=True))
    assert len(keys) == len(set(keys)) == 2
    # The e-mails of the same events are notifications about the dossier too, keyed alike.
    emails = list(dossier.emails.values_list("key", flat=True))
    assert {k.removesuffix(":email") for k in emails} == {k.removesuffix(":sms") for k in keys}


def test_without_an_sms_provider_no_choice_is_asked_and_email_stays(es_demo, wizard_for):
    w = file_birth(wizard_for)
    assert "notify_by" not in w.html
    w.post({"consent": "on"})
    dossier = Dossier.objects.get(service__slug="dang-ky-khai-sinh")
    assert dossier.notify_channel == ""
    # The receipt goes by e-mail only, through the same outbox.
    assert not Notification.objects.exclude(channel="email").exists()
    assert list(dossier.notifications.values_list("channel", "key")) == [
        ("email", f"dossier:{dossier.pk}:{dossier.events.get().pk}:email")
    ]
