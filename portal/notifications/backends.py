"""The backends that hand a message to its provider. ``send`` returns the provider's message id or
raises one of the ``transport`` errors, which decide what happens next (try again, give up, fail).

- console: writes the message to the log (development);
- email: Django's mail (EMAIL_URL);
- http (SMS): a brand-name SMS provider's HTTP API, described by its URL, auth header and body
  template (NOTIFY_SMS_*);
- zalo: the Zalo Official Account API, an OA message to a user id or a ZNS template to a phone.
"""

import json
import logging
import smtplib
import uuid
from urllib.parse import parse_qsl, urlencode

from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.mail.utils import DNS_NAME
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from portal.core.masking import mask
from portal.core.personal_numbers import normalise_phone
from portal.core.text import nfc

from . import conf, kinds, zalo
from .conf import SMS, ZALO
from .transport import ChannelOff, Refused, Retry, check_status, dig, request

logger = logging.getLogger(__name__)


class ConsoleBackend:
    def send(self, message) -> str:
        logger.info(
            "notification %s by %s to %s: %s %s",
            message.pk,
            message.channel,
            mask(message.to),
            message.subject,
            message.body,
        )
        return f"console-{uuid.uuid4().hex}"


class EmailBackend:
    def send(self, message) -> str:
        try:
            validate_email(message.to)
        except ValidationError as error:
            raise Refused(_("Not an e-mail address.")) from error
        message_id = f"<{uuid.uuid4().hex}@{DNS_NAME}>"
        email = EmailMessage(
            message.subject or _("Notification"),
            message.body,
            to=[message.to],
            headers={"Message-ID": message_id},
        )
        for filename, content, mimetype in kinds.build_attachments(message):
            email.attach(filename, content, mimetype)
        try:
            email.send()
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused) as error:
            raise Refused(
                _("The mail server refused the message: %(error)s") % {"error": error}
            ) from error
        except (OSError, smtplib.SMTPException) as error:
            raise Retry(
                _("The mail server did not take the message: %(error)s")
                % {"error": f"{type(error).__name__}: {error}"}
            ) from error
        return message_id


def provider_phone(phone: str, style: str) -> str:
    """A national number ('0912345678') as the provider wants it: '84…', '+84…' or '0…'."""
    if style == "0":
        return phone
    return ("+84" if style == "+84" else "84") + phone[1:]


def _fill(template, values: dict):
    """The template with each placeholder replaced in its string values (never in the JSON's
    structure, so a message with quotes or braces stays one value)."""
    if isinstance(template, dict):
        return {k: _fill(v, values) for k, v in template.items()}
    if isinstance(template, list):
        return [_fill(v, values) for v in template]
    if isinstance(template, str):
        for placeholder, value in values.items():
            template = template.replace(placeholder, value)
    return template


class HttpSmsBackend:
    """A brand-name SMS provider's HTTP API. The body is a JSON or form template with the
    placeholders {phone} {text} {brandname} {key} (the message's idempotency key, for
    providers that refuse a request id they have seen); the answer's ID_FIELD is the message id.
    Providers that answer 200 to everything say success in SUCCESS_FIELD."""

    def send(self, message) -> str:
        settings = conf.current()
        options = conf.channel(SMS)
        phone = normalise_phone(message.to)
        if phone is None:
            raise Refused(_("Not a Vietnamese phone number."))
        values = {
            "{phone}": provider_phone(phone, options["PHONE_FORMAT"]),
            "{text}": nfc(message.body),
            "{brandname}": options["BRANDNAME"],
            "{key}": message.key,
        }
        url, headers, data = options["URL"], {}, None
        if options["BODY_FORMAT"] == "json":
            try:
                template = json.loads(options["BODY"])
            except ValueError as error:
                raise ChannelOff(_("NOTIFY_SMS_BODY is not valid JSON.")) from error
            data = json.dumps(_fill(template, values), ensure_ascii=False).encode()
            headers["Content-Type"] = "application/json; charset=utf-8"
        else:
            pairs = [(k, _fill(v, values)) for k, v in parse_qsl(options["BODY"], True)]
            if options["METHOD"] == "GET":
                url += ("&" if "?" in url else "?") + urlencode(pairs)
            else:
                data = urlencode(pairs).encode()
                headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8"
        if options["AUTH_HEADER"]:
            name, _sep, value = options["AUTH_HEADER"].partition(":")
            headers[name.strip()] = value.strip()
        answer = request(options["METHOD"], url, headers, data, settings["HTTP_TIMEOUT"])
        check_status(answer)
        body = answer.json()
        if options["SUCCESS_FIELD"]:
            outcome = dig(body, options["SUCCESS_FIELD"])
            if str(outcome) not in [str(v) for v in options["SUCCESS_VALUES"]]:
                raise Refused(
                    _("The provider refused the message (%(field)s = %(value)s): %(body)s")
                    % {
                        "field": options["SUCCESS_FIELD"],
                        "value": outcome,
                        "body": answer.excerpt(),
                    }
                )
        return str(dig(body, options["ID_FIELD"]) or "")


class ZaloBackend:
    """The Zalo OA API: a consultation message (``/v3.0/oa/message/cs``) to a Zalo user id, or,
    when the message names a template, a ZNS message (``/message/template``) to a phone. The
    access token goes in the ``access_token`` header; when Zalo answers that it is invalid or
    expired, it is refreshed once (``zalo.refresh``) and the request sent again."""

    def send(self, message) -> str:
        options = conf.channel(ZALO)
        if message.template:
            phone = normalise_phone(message.to)
            if phone is None:
                raise Refused(_("Not a Vietnamese phone number."))
            url, id_field = options["ZNS_URL"], "msg_id"
            payload = {
                "phone": provider_phone(phone, "84"),
                "template_id": message.template,
                "template_data": message.template_data,
                "tracking_id": message.key[:48],
            }
        else:
            if not message.to.isdigit():
                raise Refused(_("Not a Zalo user id."))
            url, id_field = options["OA_URL"], "message_id"
            payload = {"recipient": {"user_id": message.to}, "message": {"text": nfc(message.body)}}
        token = zalo.access_token()
        body = self._post(url, token, payload)
        if body.get("error") in options["TOKEN_ERRORS"]:
            body = self._post(url, zalo.refresh(used=token), payload)
        error = body.get("error")
        if error == 0:
            return str(dig(body, f"data.{id_field}") or "")
        text = _("Zalo answered error %(code)s: %(message)s") % {
            "code": error,
            "message": body.get("message", ""),
        }
        if error in options["RETRY_ERRORS"] or error in options["TOKEN_ERRORS"]:
            raise Retry(text)
        raise Refused(text)

    def _post(self, url, token, payload) -> dict:
        answer = request(
            "POST",
            url,
            {"access_token": token, "Content-Type": "application/json"},
            json.dumps(payload, ensure_ascii=False).encode(),
            conf.current()["HTTP_TIMEOUT"],
        )
        check_status(answer)
        body = answer.json()
        if not isinstance(body, dict) or "error" not in body:
            raise Retry(
                _("Zalo's answer is not what its API promises: %(body)s")
                % {"body": answer.excerpt()}
            )
        return body


_BACKENDS = {
    "console": ConsoleBackend,
    "email": EmailBackend,
    "http": HttpSmsBackend,
    "zalo": ZaloBackend,
}


def backend_for(channel: str):
    """The channel's backend, or ChannelOff with the reason it cannot send."""
    reason = conf.switched_off_reason(channel)
    if reason:
        raise ChannelOff(reason)
    return _BACKENDS[conf.channel(channel)["BACKEND"]]()
