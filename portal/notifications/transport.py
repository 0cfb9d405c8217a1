"""One HTTP call to a provider, with the standard library, and what its failure means.

The difference that matters is whether the request reached the provider: a refused connection
(the provider is down) is safe to try again; a request sent with no answer (a timeout while
waiting, a dropped connection) may have been delivered, so it is not sent again by itself.
"""

import http.client
import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import Message
from email.utils import parsedate_to_datetime

from django.utils import timezone
from django.utils.translation import gettext as _


class DeliveryError(Exception):
    """A try that did not deliver the message."""


class Retry(DeliveryError):
    """The provider is down or busy: try again later (after ``retry_after`` seconds at least)."""

    def __init__(self, message, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class Refused(DeliveryError):
    """The provider refused this message (a 4xx, an invalid number): another try would fail too."""


class Unknown(DeliveryError):
    """The request left with no answer: the message may have been delivered."""


class ChannelOff(DeliveryError):
    """The channel cannot send (not configured, no tokens)."""


@dataclass
class Answer:
    status: int
    headers: Message
    body: bytes

    def json(self):
        try:
            return json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return None

    def excerpt(self, length=300) -> str:
        return self.body.decode("utf-8", "replace").strip()[:length]


def request(method, url, headers=None, data: bytes | None = None, timeout=15.0) -> Answer:
    """Send one request; an HTTP error status is an answer, not an exception."""
    if not url.lower().startswith(("http://", "https://")):
        raise ChannelOff(_("The provider's address must start with http:// or https://."))
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)  # noqa: S310
    try:
        # Only http(s), checked above.
        with urllib.request.urlopen(req, timeout=timeout) as response:  # noqa: S310  # nosec B310
            return Answer(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        with error:
            return Answer(error.code, error.headers, error.read())
    except urllib.error.URLError as error:
        # Raised while connecting or sending: the provider never read the request.
        raise Retry(_("Provider unreachable: %(reason)s") % {"reason": error.reason}) from error
    except (TimeoutError, ConnectionError, http.client.HTTPException) as error:
        raise Unknown(
            _("No answer from the provider (%(error)s): the message may have been delivered.")
            % {"error": type(error).__name__}
        ) from error


def retry_after_seconds(headers) -> float | None:
    """Retry-After as seconds: a number of seconds or an HTTP date."""
    value = (headers.get("Retry-After") or "").strip() if headers else ""
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max((when - timezone.now()).total_seconds(), 0.0)


def check_status(answer: Answer) -> None:
    """5xx, 408 and 429 are worth another try (after Retry-After); other 4xx are refusals."""
    status = answer.status
    if status in (408, 429) or status >= 500:
        raise Retry(
            _("The provider answered %(status)s: %(body)s")
            % {"status": status, "body": answer.excerpt()},
            retry_after=retry_after_seconds(answer.headers),
        )
    if status >= 300:
        raise Refused(
            _("The provider refused the message (%(status)s): %(body)s")
            % {"status": status, "body": answer.excerpt()}
        )


def dig(data, path: str):
    """``data["a"]["b"]`` for the path "a.b", or None."""
    for part in path.split(".") if path else ():
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data
