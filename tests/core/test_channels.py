"""Chat-robot channels: cards, signatures, answers, timeouts and refused addresses."""

import base64
import hashlib
import hmac
import urllib.parse

import pytest
from django.core.exceptions import ValidationError

from pmo.core import channels
from pmo.core.channels import ChannelError, post_card
from pmo.core.models import Channel
from tests import webhooks
from tests.webhooks import (
    make_channel,
    verify_dingtalk_signature,
    verify_feishu_signature,
)

pytestmark = pytest.mark.django_db
fake_webhook = webhooks.fake_webhook

LINES = [("项目", "ERP 升级"), ("健康度", "红")]


def test_dingtalk_signature_matches_the_documented_reference():
    # Computed by hand from DingTalk's documented recipe, not by the code under test.
    secret, ts = "SEC0123456789abcdef", 1700000000000
    digest = hmac.new(secret.encode(), f"{ts}\n{secret}".encode(), hashlib.sha256).digest()
    assert channels.dingtalk_sign(secret, ts) == base64.b64encode(digest).decode()
    assert channels.dingtalk_sign(secret, ts) == "TSZbRFUuvaSQaRKUpF970OPCb2/LcQAP3wOvwZIzBZk="


def test_feishu_signature_matches_the_documented_reference():
    secret, ts = "demo-secret", 1700000000
    digest = hmac.new(f"{ts}\n{secret}".encode(), b"", hashlib.sha256).digest()
    assert channels.feishu_sign(secret, ts) == base64.b64encode(digest).decode()
    assert channels.feishu_sign(secret, ts) == "mYHw2R2SOm8Rw/sne3lQdmz4sOfntKR+1P/8RKKTwmA="


def test_dingtalk_card_is_signed_in_the_query(fake_webhook):
    channel = make_channel(fake_webhook, kind="dingtalk", secret="SECabc")
    post_card(channel, title="周报逾期", lines=LINES, url="/projects/1/")
    (request,) = fake_webhook.requests
    assert request.method == "POST"
    assert request.path == "/robot/send"
    assert request.query["access_token"] == "test-token"
    assert verify_dingtalk_signature(request.query, "SECabc")
    assert not verify_dingtalk_signature(request.query, "SECother")
    card = request.body["actionCard"]
    assert request.body["msgtype"] == "actionCard"
    assert card["title"] == "周报逾期"
    assert "ERP 升级" in card["text"] and "健康度" in card["text"]
    assert card["singleURL"].endswith("/projects/1/")
    assert card["singleURL"].startswith("http")
    assert request.headers["content-type"].startswith("application/json")


def test_dingtalk_signature_is_url_encoded_on_the_wire(fake_webhook):
    channel = make_channel(fake_webhook, kind="dingtalk", secret="SECabc")
    post_card(channel, title="t", lines=[], url="")
    request = fake_webhook.requests[0]
    sign = request.query["sign"]
    assert f"sign={urllib.parse.quote_plus(sign)}" in request.raw_query
    assert "=" not in request.raw_query.split("sign=")[1]


def test_dingtalk_without_secret_has_no_signature(fake_webhook):
    channel = make_channel(fake_webhook, kind="dingtalk")
    post_card(channel, title="t", lines=LINES, url="/x/")
    assert "sign" not in fake_webhook.requests[0].query


def test_wecom_posts_markdown_without_signature(fake_webhook):
    channel = make_channel(fake_webhook, kind="wecom", secret="ignored")
    post_card(channel, title="升级：交付延期", lines=LINES, url="https://pmo.example.com/x/")
    (request,) = fake_webhook.requests
    assert request.query == {"key": "test-key"}
    assert request.body["msgtype"] == "markdown"
    content = request.body["markdown"]["content"]
    assert "升级：交付延期" in content
    assert "ERP 升级" in content
    assert "(https://pmo.example.com/x/)" in content


def test_wecom_markdown_stays_within_the_platform_limit(fake_webhook):
    channel = make_channel(fake_webhook, kind="wecom")
    post_card(channel, title="t", lines=[("行", "很长的内容" * 100)] * 20, url="/x/")
    content = fake_webhook.requests[0].body["markdown"]["content"]
    assert len(content.encode()) <= channels.WECOM_MARKDOWN_MAX_BYTES
    assert content.endswith("/x/)")


def test_feishu_card_is_signed_in_the_body(fake_webhook):
    channel = make_channel(fake_webhook, kind="feishu", secret="fs-secret")
    fake_webhook.answer(body={"code": 0, "msg": "success", "data": {}})
    post_card(channel, title="阶段门待决策", lines=LINES, url="/gates/3/")
    (request,) = fake_webhook.requests
    body = request.body
    assert verify_feishu_signature(body, "fs-secret")
    assert not verify_feishu_signature(body, "other")
    assert body["msg_type"] == "interactive"
    assert body["card"]["header"]["title"]["content"] == "阶段门待决策"
    assert "ERP 升级" in body["card"]["elements"][0]["text"]["content"]
    button = body["card"]["elements"][1]["actions"][0]
    assert button["url"].endswith("/gates/3/")


def test_feishu_old_style_answer_is_accepted(fake_webhook):
    channel = make_channel(fake_webhook, kind="feishu")
    fake_webhook.answer(body={"StatusCode": 0, "StatusMessage": "success"})
    post_card(channel, title="t", lines=LINES, url="/x/")
    assert "sign" not in fake_webhook.requests[0].body


@pytest.mark.parametrize(
    ("kind", "answer", "shown"),
    [
        ("dingtalk", {"errcode": 310000, "errmsg": "sign not match"}, "310000"),
        ("wecom", {"errcode": 93000, "errmsg": "invalid webhook url"}, "invalid webhook url"),
        ("feishu", {"code": 19021, "msg": "sign match fail"}, "sign match fail"),
        ("feishu", {"StatusCode": 9499, "StatusMessage": "Bad Request"}, "9499"),
    ],
)
def test_robot_refusal_raises_a_readable_error(fake_webhook, kind, answer, shown):
    channel = make_channel(fake_webhook, kind=kind, secret="s3cret")
    fake_webhook.answer(body=answer)
    with pytest.raises(ChannelError) as exc:
        post_card(channel, title="t", lines=LINES, url="/x/")
    assert shown in str(exc.value)


@pytest.mark.parametrize("status", [400, 404, 500, 503])
def test_http_errors_raise(fake_webhook, status):
    channel = make_channel(fake_webhook, kind="dingtalk")
    fake_webhook.answer(status=status, body={"errcode": 0})
    with pytest.raises(ChannelError) as exc:
        post_card(channel, title="t", lines=LINES, url="/x/")
    assert str(status) in str(exc.value)


def test_unreadable_answer_raises(fake_webhook):
    channel = make_channel(fake_webhook, kind="wecom")
    fake_webhook.answer(raw=b"<html>proxy error</html>")
    with pytest.raises(ChannelError):
        post_card(channel, title="t", lines=LINES, url="/x/")


def test_answer_without_code_raises(fake_webhook):
    channel = make_channel(fake_webhook, kind="feishu")
    fake_webhook.answer(body={"hello": "world"})
    with pytest.raises(ChannelError):
        post_card(channel, title="t", lines=LINES, url="/x/")


def test_slow_robot_times_out(fake_webhook, settings):
    settings.CHAT_WEBHOOK_TIMEOUT = 0.3
    channel = make_channel(fake_webhook, kind="dingtalk")
    fake_webhook.answer(delay=1.5)
    with pytest.raises(ChannelError) as exc:
        post_card(channel, title="t", lines=LINES, url="/x/")
    assert "0.3" in str(exc.value)


def test_unreachable_robot_raises(settings):
    settings.CHAT_WEBHOOK_EXTRA_HOSTS = ["127.0.0.1"]
    channel = Channel(kind="wecom", name="x", webhook_url="http://127.0.0.1:9/cgi-bin/webhook/send")
    with pytest.raises(ChannelError):
        post_card(channel, title="t", lines=LINES, url="/x/")


def test_redirects_are_not_followed(fake_webhook):
    channel = make_channel(fake_webhook, kind="dingtalk")
    fake_webhook.answer(status=302, body={"errcode": 0})
    with pytest.raises(ChannelError):
        post_card(channel, title="t", lines=LINES, url="/x/")
    assert len(fake_webhook.requests) == 1


@pytest.mark.parametrize(
    ("kind", "url"),
    [
        ("dingtalk", "https://oapi.dingtalk.com/robot/send?access_token=abc"),
        ("wecom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc"),
        ("feishu", "https://open.feishu.cn/open-apis/bot/v2/hook/abc"),
        ("feishu", "https://open.larksuite.com/open-apis/bot/v2/hook/abc"),
    ],
)
def test_platform_addresses_are_accepted(kind, url):
    channels.validate_webhook_url(url, kind=kind)
    Channel(name="r", kind=kind, webhook_url=url).full_clean()


@pytest.mark.parametrize(
    ("kind", "url"),
    [
        ("dingtalk", "http://oapi.dingtalk.com/robot/send?access_token=abc"),
        ("dingtalk", "https://oapi.dingtalk.com.evil.example/robot/send"),
        ("dingtalk", "https://open.feishu.cn/open-apis/bot/v2/hook/abc"),
        ("wecom", "https://169.254.169.254/latest/meta-data"),
        ("wecom", "https://localhost/cgi-bin/webhook/send"),
        ("feishu", "https://user:pw@open.feishu.cn/open-apis/bot/v2/hook/abc"),
        ("feishu", "https://open.feishu.cn:8443/open-apis/bot/v2/hook/abc"),
        ("feishu", "ftp://open.feishu.cn/x"),
        ("feishu", "http://127.0.0.1:8000/admin/"),
    ],
)
def test_foreign_hosts_and_plain_http_are_refused(kind, url):
    with pytest.raises(ValidationError) as exc:
        Channel(name="r", kind=kind, webhook_url=url).full_clean()
    assert "webhook_url" in exc.value.message_dict


def test_refused_address_is_checked_again_before_sending(fake_webhook, settings):
    channel = make_channel(fake_webhook, kind="dingtalk")
    settings.CHAT_WEBHOOK_EXTRA_HOSTS = []
    with pytest.raises(ChannelError):
        post_card(channel, title="t", lines=LINES, url="/x/")
    assert fake_webhook.requests == []


def test_extra_hosts_allow_plain_http(settings):
    settings.CHAT_WEBHOOK_EXTRA_HOSTS = ["relay.intranet"]
    Channel(name="r", kind="wecom", webhook_url="http://relay.intranet:8080/x").full_clean()


def test_secret_is_never_shown_in_full():
    channel = Channel(secret="SECabcdefghijklmnop", webhook_url="https://x/?key=k")
    assert "abcdefghijk" not in channel.secret_hint
    assert channel.url_hint == "https://x/"
