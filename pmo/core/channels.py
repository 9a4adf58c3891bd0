"""Chat-robot channels: post a summary card to a DingTalk, WeCom or Feishu group.

Each platform has its own group-robot webhook, card format and signing scheme:

- DingTalk (钉钉) custom robot: ``actionCard`` message; with a secret ("加签") the URL
  carries ``timestamp`` (milliseconds) and ``sign`` =
  base64(HMAC-SHA256(key=secret, msg="{timestamp}\\n{secret}")), URL-encoded. Answers
  ``{"errcode": 0, "errmsg": "ok"}``.
- WeCom (企业微信) group robot: ``markdown`` message; the robot's key is in the URL and
  there is no signature. Answers ``{"errcode": 0, "errmsg": "ok"}``.
- Feishu / Lark (飞书) custom bot: ``interactive`` card; with a secret ("签名校验") the
  body carries ``timestamp`` (seconds) and ``sign`` =
  base64(HMAC-SHA256(key="{timestamp}\\n{secret}", msg="")). Answers ``{"code": 0}``
  (older bots ``{"StatusCode": 0}``).

Webhook addresses are limited to the platforms' own hosts (plus
``settings.CHAT_WEBHOOK_EXTRA_HOSTS``, e.g. an intranet relay), over https, and
redirects are not followed, so a channel cannot be used to reach internal services.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

PLATFORM_HOSTS: dict[str, tuple[str, ...]] = {
    "dingtalk": ("oapi.dingtalk.com",),
    "wecom": ("qyapi.weixin.qq.com",),
    "feishu": ("open.feishu.cn", "open.larksuite.com"),
}
WECOM_MARKDOWN_MAX_BYTES = 4096
DINGTALK_TEXT_MAX_BYTES = 18000
RESPONSE_MAX_BYTES = 64 * 1024


class ChannelError(Exception):
    """A card could not be posted; ``str(error)`` is a message a user can read."""


def extra_hosts() -> set[str]:
    """Hosts allowed besides the platforms' own (lower case, without port)."""
    return {h.strip().lower() for h in settings.CHAT_WEBHOOK_EXTRA_HOSTS if h.strip()}


def validate_webhook_url(url: str, *, kind: str = "", field: str | None = None) -> None:
    """Refuse a webhook address outside the platforms' hosts, or not https.

    ``kind`` (dingtalk, wecom, feishu) narrows the hosts to that platform's;
    ``field`` puts the error on that form field.
    """

    def fail(message):
        raise ValidationError({field: message} if field else message)

    try:
        parts = urllib.parse.urlsplit(url)
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:
        fail(gettext_lazy("Enter a valid webhook address."))
    if not host or parts.scheme not in ("http", "https"):
        fail(gettext_lazy("Enter a valid webhook address."))
    if parts.username or parts.password:
        fail(gettext_lazy("A webhook address may not contain a user name or password."))
    if host in extra_hosts():
        return
    allowed = PLATFORM_HOSTS.get(kind) or tuple(h for hs in PLATFORM_HOSTS.values() for h in hs)
    if host not in allowed:
        fail(
            gettext_lazy("Webhook addresses of this platform are on %(hosts)s.")
            % {"hosts": ", ".join(allowed)}
        )
    if parts.scheme != "https":
        fail(gettext_lazy("A robot's webhook address must start with https://."))
    if port not in (None, 443):
        fail(gettext_lazy("A robot's webhook address may not name a port."))


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's signature (base64, before URL encoding) for ``timestamp_ms``."""
    digest = hmac.new(
        secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256
    ).digest()
    return base64.b64encode(digest).decode()


def feishu_sign(secret: str, timestamp_s: int) -> str:
    """Feishu's signature for ``timestamp_s``: the string to sign is the HMAC key."""
    digest = hmac.new(f"{timestamp_s}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def absolute_url(url: str) -> str:
    """A link a chat client can open: site-relative paths get ``settings.SITE_URL``."""
    return f"{settings.SITE_URL}{url}" if url.startswith("/") else url


def _clip(text: str, max_bytes: int) -> str:
    data = text.encode()
    if len(data) <= max_bytes:
        return text
    return data[: max_bytes - 3].decode(errors="ignore") + "…"


def _markdown_escape(value) -> str:
    """Keep a value from being read as markdown structure (line starts, links, emphasis)."""
    text = " ".join(str(value).split())
    for ch in ("\\", "*", "_", "[", "]", "`", "<", ">", "#"):
        text = text.replace(ch, "\\" + ch)
    return text


def build_dingtalk(title: str, lines, url: str) -> dict:
    body = [f"### {_markdown_escape(title)}", ""]
    body += [f"- **{_markdown_escape(k)}**: {_markdown_escape(v)}" for k, v in lines]
    return {
        "msgtype": "actionCard",
        "actionCard": {
            "title": title[:100],
            "text": _clip("\n".join(body), DINGTALK_TEXT_MAX_BYTES),
            "btnOrientation": "0",
            "singleTitle": _("Open in the PMO"),
            "singleURL": url,
        },
    }


def build_wecom(title: str, lines, url: str) -> dict:
    tail = f"\n[{_('Open in the PMO')}]({url})" if url else ""
    head = f"**{_markdown_escape(title)}**\n"
    rows = "".join(
        f'> {_markdown_escape(k)}: <font color="comment">{_markdown_escape(v)}</font>\n'
        for k, v in lines
    )
    budget = WECOM_MARKDOWN_MAX_BYTES - len(head.encode()) - len(tail.encode())
    return {"msgtype": "markdown", "markdown": {"content": head + _clip(rows, budget) + tail}}


def build_feishu(title: str, lines, url: str) -> dict:
    elements: list[dict] = []
    if lines:
        text = "\n".join(f"**{_markdown_escape(k)}**: {_markdown_escape(v)}" for k, v in lines)
        elements.append({"tag": "div", "text": {"tag": "lark_md", "content": text}})
    if url:
        elements.append(
            {
                "tag": "action",
                "actions": [
                    {
                        "tag": "button",
                        "text": {"tag": "plain_text", "content": _("Open in the PMO")},
                        "type": "primary",
                        "url": url,
                    }
                ],
            }
        )
    return {
        "msg_type": "interactive",
        "card": {
            "config": {"wide_screen_mode": True},
            "header": {"template": "blue", "title": {"tag": "plain_text", "content": title}},
            "elements": elements,
        },
    }


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def _post_json(url: str, payload: dict) -> dict:
    timeout = settings.CHAT_WEBHOOK_TIMEOUT
    # The address was checked against the platforms' hosts (https) just before.
    request = urllib.request.Request(  # noqa: S310
        url,
        data=json.dumps(payload, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        with _opener.open(request, timeout=timeout) as response:
            status = response.status
            raw = response.read(RESPONSE_MAX_BYTES)
    except urllib.error.HTTPError as exc:
        raise ChannelError(
            _("The robot answered with HTTP error %(status)s.") % {"status": exc.code}
        ) from exc
    except TimeoutError as exc:
        raise ChannelError(
            _("The robot did not answer within %(seconds)s seconds.") % {"seconds": timeout}
        ) from exc
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise ChannelError(
                _("The robot did not answer within %(seconds)s seconds.") % {"seconds": timeout}
            ) from exc
        raise ChannelError(
            _("The robot could not be reached: %(reason)s") % {"reason": exc.reason}
        ) from exc
    except OSError as exc:
        raise ChannelError(
            _("The robot could not be reached: %(reason)s") % {"reason": exc}
        ) from exc
    if status >= 300:
        raise ChannelError(_("The robot answered with HTTP error %(status)s.") % {"status": status})
    try:
        answer = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ChannelError(_("The robot's answer could not be read.")) from exc
    if not isinstance(answer, dict):
        raise ChannelError(_("The robot's answer could not be read."))
    return answer


def _check_answer(answer: dict) -> None:
    """Raise when the robot says no: ``errcode`` (DingTalk, WeCom), ``code`` or
    ``StatusCode`` (Feishu) other than 0."""
    for code_key, message_key in (
        ("errcode", "errmsg"),
        ("code", "msg"),
        ("StatusCode", "StatusMessage"),
    ):
        if code_key in answer:
            code = answer.get(code_key)
            if code not in (0, "0"):
                raise ChannelError(
                    _("The robot refused the message (code %(code)s): %(message)s")
                    % {"code": code, "message": str(answer.get(message_key) or "")[:200]}
                )
            return
    raise ChannelError(_("The robot's answer could not be read."))


def post_card(channel, *, title: str, lines: list[tuple[str, str]], url: str) -> None:
    """Post a card (title, label/value lines, a link) to ``channel``'s group.

    Raises ``ChannelError`` on a refused address, a transport error or timeout, an HTTP
    error, or the robot's non-zero answer code. ``url`` may be site-relative.
    """
    try:
        validate_webhook_url(channel.webhook_url, kind=channel.kind)
    except ValidationError as exc:
        raise ChannelError(" ".join(str(m) for m in exc.messages)) from exc
    lines = [(str(k), str(v)) for k, v in lines]
    title = str(title)
    link = absolute_url(url)
    target = channel.webhook_url
    if channel.kind == "dingtalk":
        payload = build_dingtalk(title, lines, link)
        if channel.secret:
            ts = int(time.time() * 1000)
            sign = dingtalk_sign(channel.secret, ts)
            joiner = "&" if urllib.parse.urlsplit(target).query else "?"
            target += joiner + urllib.parse.urlencode({"timestamp": ts, "sign": sign})
    elif channel.kind == "wecom":
        payload = build_wecom(title, lines, link)
    elif channel.kind == "feishu":
        payload = build_feishu(title, lines, link)
        if channel.secret:
            ts = int(time.time())
            payload = {"timestamp": str(ts), "sign": feishu_sign(channel.secret, ts), **payload}
    else:
        raise ChannelError(_("Unknown chat platform."))
    _check_answer(_post_json(target, payload))
