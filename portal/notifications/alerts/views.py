"""Subscribing to a site's alerts and leaving them, without an account or JavaScript."""

import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from portal.core.ratelimit import limit
from portal.core.sites import absolute_url, site_for_request
from portal.notifications.conf import EMAIL, SMS, ZALO
from portal.notifications.outbox import notify

from .forms import CodeForm, SubscribeForm
from .models import Subscription

CODE_MINUTES = 15
CODE_ATTEMPTS = 5


def _no_store(response):
    response["Cache-Control"] = "no-store, private"
    return response


def _new_code(subscription) -> str:
    code = f"{secrets.randbelow(1_000_000):06d}"
    subscription.code_hash = Subscription.hash_code(subscription.token, code)
    subscription.code_sent_at = timezone.now()
    subscription.code_attempts = 0
    return code


def zalo_oa():
    """The site's Official Account (id and follow link), when the installation has one."""
    oa_id = settings.ALERTS_ZALO_OA_ID
    return {"id": oa_id, "url": f"https://zalo.me/{oa_id}"} if oa_id else None


@never_cache
@require_http_methods(["GET", "POST"])
@limit("subscribe")
def subscribe(request):
    site = site_for_request(request)
    form = SubscribeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        channel, address = data["channel"], data["address"]
        with transaction.atomic():
            subscription = None
            if address:
                subscription = Subscription.objects.filter(
                    site=site, channel=channel, address=address
                ).first()
            if subscription is not None and subscription.is_active:
                # Said the same way as a new one: the page does not tell who is subscribed.
                return redirect("alerts:sent", token=subscription.token) if channel == EMAIL \
                    else redirect("alerts:code", token=subscription.token)  # fmt: skip
            if subscription is None:
                subscription = Subscription(site=site, channel=channel, address=address)
            subscription.consent_at = timezone.now()
            subscription.consent_text = str(form.fields["consent"].label)
            code = _new_code(subscription)
            try:
                subscription.save()
            except IntegrityError:
                return redirect("alerts:subscribe")
            if channel == EMAIL:
                link = absolute_url(site, reverse("alerts:confirm", args=[subscription.token]))
                notify(
                    EMAIL, address,
                    _("Confirm that you want to receive this site's alerts: %(url)s\n"
                      "If you did not ask for them, ignore this message.") % {"url": link},
                    subject=_("Confirm your subscription"), site=site,
                    key=f"subscribe:{subscription.pk}:{subscription.code_hash[:12]}",
                )  # fmt: skip
                return redirect("alerts:sent", token=subscription.token)
            if channel == SMS:
                notify(
                    SMS, address,
                    _("Your code to receive alerts: %(code)s (valid %(minutes)s minutes)")
                    % {"code": code, "minutes": CODE_MINUTES},
                    site=site, key=f"subscribe:{subscription.pk}:{subscription.code_hash[:12]}",
                )  # fmt: skip
            if channel == ZALO:
                request.session[f"alerts_zalo_{subscription.token}"] = code
        return redirect("alerts:code", token=subscription.token)
    context = {"form": form, "zalo": zalo_oa()}
    return _no_store(render(request, "alerts/subscribe.html", context))


@never_cache
def sent(request, token):
    subscription = get_object_or_404(Subscription, token=token)
    return _no_store(render(request, "alerts/sent.html", {"subscription": subscription}))


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """An e-mail's confirmation link: a button (a mail scanner following links confirms nothing)."""
    subscription = get_object_or_404(Subscription, token=token, channel=EMAIL)
    if request.method == "POST" and not subscription.is_active:
        subscription.confirmed_at = timezone.now()
        subscription.code_hash = ""
        subscription.save(update_fields=["confirmed_at", "code_hash"])
    return _no_store(render(request, "alerts/confirm.html", {"subscription": subscription}))


@never_cache
@require_http_methods(["GET", "POST"])
@limit("subscribe")
def code(request, token):
    """The SMS code typed back; for Zalo, the code to send to the Official Account."""
    subscription = get_object_or_404(Subscription, token=token, channel__in=[SMS, ZALO])
    context = {"subscription": subscription, "zalo": zalo_oa()}
    if subscription.channel == ZALO:
        context["zalo_code"] = request.session.get(f"alerts_zalo_{subscription.token}")
        return _no_store(render(request, "alerts/zalo.html", context))
    form = CodeForm(request.POST or None)
    if subscription.is_active:
        return _no_store(render(request, "alerts/confirm.html", context))
    if request.method == "POST" and form.is_valid():
        expired = (
            subscription.code_sent_at is None
            or (timezone.now() - subscription.code_sent_at).total_seconds() > CODE_MINUTES * 60
        )
        if expired or subscription.code_attempts >= CODE_ATTEMPTS:
            form.add_error("code", _("This code can no longer be used: subscribe again."))
        elif Subscription.hash_code(token, form.cleaned_data["code"]) != subscription.code_hash:
            subscription.code_attempts += 1
            subscription.save(update_fields=["code_attempts"])
            form.add_error("code", _("The code is not right. Check the SMS and try again."))
        else:
            subscription.confirmed_at = timezone.now()
            subscription.code_hash = ""
            subscription.save(update_fields=["confirmed_at", "code_hash"])
            return _no_store(render(request, "alerts/confirm.html", context))
    context["form"] = form
    return _no_store(render(request, "alerts/code.html", context))


@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """One step from any message: a button; the subscription and its address are deleted."""
    subscription = Subscription.objects.filter(token=token).first()
    if request.method == "POST":
        if subscription is not None:
            subscription.delete()
        return _no_store(render(request, "alerts/unsubscribed.html"))
    if subscription is None:
        raise Http404
    return _no_store(render(request, "alerts/unsubscribe.html", {"subscription": subscription}))
