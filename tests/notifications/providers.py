"""Stand-ins for the providers on the loopback: an HTTP server in a thread that answers as the
providers' documented APIs do.

- eSMS-style brand-name SMS (``/esms/json``): JSON with ApiKey, SecretKey, Phone (84…), Content,
  Brandname, SmsType, RequestId; answers 200 ``{"CodeResult": "100", "SMSID": …}``, or 200 with
  another CodeResult and an ErrorMessage (eSMS answers 200 to everything).
- SpeedSMS-style (``/speedsms/send``): HTTP Basic auth with the token, JSON ``to`` [84…],
  ``content``, ``sender``; answers ``{"status": "success", "code": "00", "data": {"tranId": …}}``,
  or 400 ``{"status": "error", …}`` for an invalid number, 401 for a wrong token.
- A form-encoded SMS API (``/form/send``): ``phone``, ``message``, ``brandname``; ``{"id": …}``.
- Zalo OA (``/v3.0/oa/message/cs``), ZNS (``/message/template``) and OAuth
  (``/v4/oa/access_token``): the access token in the ``access_token`` header, error -216 (OA) or
  -124 (ZNS) when it is not the current one; refresh with ``secret_key`` header and the form
  fields app_id, refresh_token, grant_type=refresh_token, which rotates both tokens (the old
  refresh token stops working: error -14014).

``script`` holds forced answers (status, headers, body) given before the contract applies: an
outage (500, 503), throttling (429 with Retry-After). Every request is recorded in ``requests``;
``delivered`` lists the messages the provider accepted.
"""

import base64
import json
import re
import threading
import time
import uuid
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

ESMS_KEYS = {"ApiKey": "esms-api-key", "SecretKey": "esms-secret"}
SPEEDSMS_TOKEN = "speedsms-token"
ZALO_APP_ID = "4321"
ZALO_SECRET = "zalo-app-secret"
PHONE_84 = re.compile(r"^84\d{9}$")


class Provider:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests = []
        self.delivered = []
        self.script = deque()
        self.access_token = "access-1"
        self.refresh_token = "refresh-1"
        self.refreshes = 0
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self):
        host, port = self.server.server_address
        return f"http://{host}:{port}"

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def then(self, status, body=None, headers=None, delay=0.0):
        """Give this answer to the next request, whatever it is (after ``delay`` seconds)."""
        self.script.append((status, headers or {}, body if body is not None else {}, delay))
        return self

    # --- the contracts ------------------------------------------------------------------------
    def answer(self, method, path, headers, raw):
        if self.script:
            status, headers, body, delay = self.script.popleft()
            time.sleep(delay)
            return status, headers, body
        route = {
            "/esms/json": self.esms,
            "/speedsms/send": self.speedsms,
            "/form/send": self.form_sms,
            "/v3.0/oa/message/cs": self.zalo_oa,
            "/message/template": self.zalo_zns,
            "/v4/oa/access_token": self.zalo_oauth,
        }.get(urlparse(path).path)
        if route is None:
            return 404, {}, {"error": "not found"}
        return route(method, path, headers, raw)

    def _deliver(self, channel, to, text, **extra):
        message_id = uuid.uuid4().hex[:16]
        self.delivered.append(
            {"id": message_id, "channel": channel, "to": to, "text": text, **extra}
        )
        return message_id

    def esms(self, method, path, headers, raw):
        if not headers.get("Content-Type", "").startswith("application/json"):
            return 415, {}, {"CodeResult": "99", "ErrorMessage": "JSON only"}
        body = json.loads(raw)
        if any(body.get(k) != v for k, v in ESMS_KEYS.items()):
            return 200, {}, {"CodeResult": "101", "ErrorMessage": "Authorize Failed"}
        if not PHONE_84.match(body.get("Phone", "")):
            return 200, {}, {"CodeResult": "104", "ErrorMessage": "Phone number invalid"}
        if not body.get("Brandname"):
            return 200, {}, {"CodeResult": "104", "ErrorMessage": "Brandname missing"}
        message_id = self._deliver(
            "sms",
            body["Phone"],
            body["Content"],
            brandname=body["Brandname"],
            request_id=body.get("RequestId"),
        )
        return 200, {}, {"CodeResult": "100", "SMSID": message_id}

    def speedsms(self, method, path, headers, raw):
        expected = "Basic " + base64.b64encode(f"{SPEEDSMS_TOKEN}:x".encode()).decode()
        if headers.get("Authorization") != expected:
            return 401, {}, {"status": "error", "code": "007", "message": "token invalid"}
        body = json.loads(raw)
        phones = body.get("to") or []
        if not phones or not all(PHONE_84.match(p) for p in phones):
            return 400, {}, {"status": "error", "code": "009", "message": "invalid phone number"}
        message_id = self._deliver(
            "sms", phones[0], body.get("content"), brandname=body.get("sender")
        )
        return (
            200,
            {},
            {"status": "success", "code": "00", "data": {"tranId": message_id, "totalSMS": 1}},
        )

    def form_sms(self, method, path, headers, raw):
        if method == "GET":
            fields = parse_qs(urlparse(path).query)
        else:
            if not headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded"):
                return 415, {}, {"error": "form only"}
            fields = parse_qs(raw.decode())
        values = {k: v[0] for k, v in fields.items()}
        if not values.get("phone", "").startswith("0"):
            return 422, {}, {"error": "phone must be national"}
        message_id = self._deliver(
            "sms", values["phone"], values.get("message"), brandname=values.get("brandname")
        )
        return 200, {}, {"id": message_id}

    def zalo_oa(self, method, path, headers, raw):
        if headers.get("access_token") != self.access_token:
            return 200, {}, {"error": -216, "message": "Access token is invalid"}
        body = json.loads(raw)
        user_id = body.get("recipient", {}).get("user_id", "")
        text = body.get("message", {}).get("text", "")
        if not user_id.isdigit():
            return 200, {}, {"error": -201, "message": "Parameters are invalid"}
        if user_id == "404404":
            return 200, {}, {"error": -213, "message": "User has not followed the OA"}
        message_id = self._deliver("zalo", user_id, text)
        return (
            200,
            {},
            {
                "error": 0,
                "message": "Success",
                "data": {"message_id": message_id, "user_id": user_id},
            },
        )

    def zalo_zns(self, method, path, headers, raw):
        if headers.get("access_token") != self.access_token:
            return 200, {}, {"error": -124, "message": "Access token invalid"}
        body = json.loads(raw)
        if not PHONE_84.match(body.get("phone", "")) or not body.get("template_id"):
            return 200, {}, {"error": -108, "message": "Phone number is invalid"}
        message_id = self._deliver(
            "zns",
            body["phone"],
            "",
            template=body["template_id"],
            data=body.get("template_data"),
            tracking=body.get("tracking_id"),
        )
        return (
            200,
            {},
            {
                "error": 0,
                "message": "Success",
                "data": {"msg_id": message_id, "sent_time": "1733300000000"},
            },
        )

    def zalo_oauth(self, method, path, headers, raw):
        form = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
        if headers.get("secret_key") != ZALO_SECRET or form.get("app_id") != ZALO_APP_ID:
            return 200, {}, {"error": -14002, "error_name": "Invalid app id or secret key"}
        if (
            form.get("grant_type") != "refresh_token"
            or form.get("refresh_token") != self.refresh_token
        ):
            return 200, {}, {"error": -14014, "error_name": "Invalid refresh token"}
        self.refreshes += 1
        self.access_token = f"access-{self.refreshes + 1}"
        self.refresh_token = f"refresh-{self.refreshes + 1}"
        return (
            200,
            {},
            {
                "access_token": self.access_token,
                "refresh_token": self.refresh_token,
                "expires_in": "90000",
            },
        )

    def _handler(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                headers = self.headers  # names are case-insensitive, as in HTTP
                with provider.lock:
                    provider.requests.append(
                        {
                            "method": self.command,
                            "path": self.path,
                            "headers": {k.lower(): v for k, v in headers.items()},
                            "body": raw,
                            "time": time.time(),
                        }
                    )
                    status, extra, body = provider.answer(self.command, self.path, headers, raw)
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in extra.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _serve

            def log_message(self, *args):
                pass

        return Handler
