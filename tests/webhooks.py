"""A local stand-in for the chat robots' webhooks, and checks of their signatures.

    with FakeWebhookServer() as server:
        settings.CHAT_WEBHOOK_EXTRA_HOSTS = ["127.0.0.1"]
        channel = ChannelFactory(kind="feishu", webhook_url=server.url("/open-apis/bot/v2/hook/x"))
        post_card(channel, title="…", lines=[("a", "b")], url="/x/")
        (request,) = server.requests
        assert verify_feishu_signature(request.body, channel.secret)

or use the ``fake_webhook`` fixture below (import it into a test module or conftest),
which also allows 127.0.0.1 as a webhook host.

The server answers ``{"errcode": 0, "errmsg": "ok", "code": 0, "msg": "success"}``
(a success for all three platforms) unless told otherwise with ``answer(...)``.

The signature checks compute the reference values independently of
``pmo.core.channels`` (straight from the platforms' documentation).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

OK = {"errcode": 0, "errmsg": "ok", "code": 0, "msg": "success"}


@dataclass
class RecordedRequest:
    """One request the fake server received."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    raw: bytes
    body: object = None
    raw_query: str = ""

    @property
    def text(self) -> str:
        return self.raw.decode("utf-8", errors="replace")


@dataclass
class Answer:
    status: int = 200
    body: object = field(default_factory=lambda: dict(OK))
    delay: float = 0.0
    raw: bytes | None = None


class FakeWebhookServer:
    """A threaded HTTP server on 127.0.0.1 that records every request.

    ``answer(status=…, body=…, delay=…, raw=…)`` sets the answer to every following
    request; ``queue(...)`` adds one-off answers used first, in order.
    """

    def __init__(self) -> None:
        self.requests: list[RecordedRequest] = []
        self._default = Answer()
        self._queue: list[Answer] = []
        self._lock = threading.Lock()
        self._received = threading.Condition(self._lock)
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's naming)
                server._handle(self)

            do_GET = do_POST  # noqa: N815
            do_PUT = do_POST  # noqa: N815

            def log_message(self, format, *args):  # noqa: A002
                return

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    # --- lifecycle -----------------------------------------------------------------
    def start(self) -> FakeWebhookServer:
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread:
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeWebhookServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # --- configuration -------------------------------------------------------------
    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    def url(self, path: str = "/robot/send?access_token=test-token") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def answer(self, *, status=200, body=None, delay=0.0, raw=None) -> None:
        self._default = Answer(status, dict(OK) if body is None else body, delay, raw)

    def queue(self, *, status=200, body=None, delay=0.0, raw=None) -> None:
        self._queue.append(Answer(status, dict(OK) if body is None else body, delay, raw))

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
        self._queue.clear()
        self._default = Answer()

    def wait_for(self, count: int, timeout: float = 10.0) -> list[RecordedRequest]:
        """Wait until ``count`` requests arrived (for senders in another process)."""
        deadline = time.monotonic() + timeout
        with self._received:
            while len(self.requests) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._received.wait(left)
            return list(self.requests)

    # --- serving -------------------------------------------------------------------
    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        parts = urllib.parse.urlsplit(handler.path)
        try:
            body = json.loads(raw.decode("utf-8")) if raw else None
        except ValueError:
            body = None
        record = RecordedRequest(
            method=handler.command,
            path=parts.path,
            query=dict(urllib.parse.parse_qsl(parts.query, keep_blank_values=True)),
            headers={k.lower(): v for k, v in handler.headers.items()},
            raw=raw,
            body=body,
            raw_query=parts.query,
        )
        with self._received:
            self.requests.append(record)
            self._received.notify_all()
        answer = self._queue.pop(0) if self._queue else self._default
        if answer.delay:
            time.sleep(answer.delay)
        data = answer.raw if answer.raw is not None else json.dumps(answer.body).encode()
        try:
            handler.send_response(answer.status)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(data)))
            handler.end_headers()
            handler.wfile.write(data)
        except OSError:
            # The client gave up (a timeout test); nothing to answer to.
            pass


def verify_dingtalk_signature(query: dict, secret: str, *, max_age_s: int = 3600) -> bool:
    """DingTalk: ``sign`` = base64(HMAC-SHA256(secret, "{timestamp}\\n{secret}")), the
    timestamp in milliseconds and within an hour. ``query`` is the decoded query."""
    try:
        ts = int(query["timestamp"])
        sign = query["sign"]
    except (KeyError, ValueError):
        return False
    if abs(time.time() * 1000 - ts) > max_age_s * 1000:
        return False
    string_to_sign = f"{ts}\n{secret}".encode()
    expected = base64.b64encode(
        hmac.new(secret.encode(), string_to_sign, hashlib.sha256).digest()
    ).decode()
    return hmac.compare_digest(expected, sign)


def verify_feishu_signature(body: dict, secret: str, *, max_age_s: int = 3600) -> bool:
    """Feishu: ``sign`` = base64(HMAC-SHA256(key="{timestamp}\\n{secret}", msg="")), the
    timestamp in seconds (a string in the body) and within an hour."""
    try:
        ts = int(body["timestamp"])
        sign = body["sign"]
    except (KeyError, TypeError, ValueError):
        return False
    if abs(time.time() - ts) > max_age_s:
        return False
    key = f"{ts}\n{secret}".encode()
    expected = base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
    return hmac.compare_digest(expected, sign)


@pytest.fixture
def fake_webhook(settings):
    """A running ``FakeWebhookServer``, with 127.0.0.1 allowed as a webhook host."""
    settings.CHAT_WEBHOOK_EXTRA_HOSTS = ["127.0.0.1"]
    with FakeWebhookServer() as server:
        yield server


ROBOT_PATHS = {
    "dingtalk": "/robot/send?access_token=test-token",
    "wecom": "/cgi-bin/webhook/send?key=test-key",
    "feishu": "/open-apis/bot/v2/hook/test-hook",
}


def make_channel(server: FakeWebhookServer, *, kind: str = "dingtalk", secret: str = "", **fields):
    """A ``pmo.core.models.Channel`` posting to ``server`` on the platform's usual path."""
    from pmo.core.models import Channel

    fields.setdefault("name", f"{kind} robot")
    return Channel.objects.create(
        kind=kind, webhook_url=server.url(ROBOT_PATHS[kind]), secret=secret, **fields
    )
