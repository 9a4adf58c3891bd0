"""Chat-robot channels: cards, signatures, answers, timeouts and refused addresses."""

import base64
import hashlib
import hmac
import urllib.parse

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from pmo.core import channels, roles
from pmo.core.channels import ChannelError, post_card
from pmo.core.models import Channel, ChannelPost, EventRoute
from pmo.core.registry import EventKind, registry
from tests import webhooks
from tests.core.factories import UserFactory
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


# --- the channel pages -------------------------------------------------------------------


DINGTALK_URL = "https://oapi.dingtalk.com/robot/send?access_token=abc123"


@pytest.fixture
def admin_user():
    return UserFactory(username="pmoadmin", groups=[roles.PMO_ADMIN])


@pytest.fixture
def admin(client, admin_user):
    client.force_login(admin_user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def test_kind(monkeypatch):
    kind = EventKind(code="test_event", label="Test event", description="For the tests.")
    monkeypatch.setitem(registry.event_kinds, kind.code, kind)
    return kind


@pytest.fixture
def channel(admin_user):
    return Channel.objects.create(
        name="周报群", kind="dingtalk", webhook_url=DINGTALK_URL, secret="SECsecretvalue1234567"
    )


ADMIN_ONLY_ROLES = ("pmo", "executive", "pm", "member")


@pytest.mark.parametrize(
    ("name", "needs", "method"),
    [
        ("core:channel_list", None, "get"),
        ("core:channel_create", None, "get"),
        ("core:channel_create", None, "post"),
        ("core:channel_detail", "channel", "get"),
        ("core:channel_edit", "channel", "get"),
        ("core:channel_edit", "channel", "post"),
        ("core:channel_active", "channel", "post"),
        ("core:channel_test", "channel", "post"),
        ("core:event_route_edit", "event", "get"),
        ("core:event_route_edit", "event", "post"),
    ],
)
def test_channel_pages_are_for_pmo_administrators(
    client_for, admin, channel, test_kind, name, needs, method
):
    kwargs = {"channel": {"pk": channel.pk}, "event": {"event": test_kind.code}}.get(needs, {})
    url = reverse(name, kwargs=kwargs)
    for role in ADMIN_ONLY_ROLES:
        response = getattr(client_for(role), method)(url)
        assert response.status_code == 403, (role, url)
    anonymous = getattr(client_for("anonymous"), method)(url)
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]
    if name in ("core:channel_test",):
        return  # posting a real card is tested with the fake server below
    response = getattr(admin, method)(url)
    assert response.status_code in (200, 302), (url, response.status_code)


def test_unknown_channel_and_event_are_404(admin, test_kind):
    assert admin.get(reverse("core:channel_detail", args=[999999])).status_code == 404
    assert admin.get(reverse("core:channel_edit", args=[999999])).status_code == 404
    assert admin.post(reverse("core:channel_test", args=[999999])).status_code == 404
    assert admin.get(reverse("core:event_route_edit", args=["no_such_kind"])).status_code == 404


def test_admin_adds_a_channel(admin, admin_user):
    response = admin.post(
        reverse("core:channel_create"),
        {
            "name": "升级群",
            "kind": "feishu",
            "is_active": "on",
            "secret": "abc",
            "webhook_url": "https://open.feishu.cn/open-apis/bot/v2/hook/x1",
        },
    )
    channel = Channel.objects.get(name="升级群")
    assert response.status_code == 302 and response["Location"] == channel.get_absolute_url()
    assert channel.secret == "abc" and channel.created_by == admin_user
    assert channel.history.count() == 1


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("not a url", "Enter a valid URL."),
        ("https://evil.example.com/robot/send", "Webhook addresses of this platform are on"),
        ("http://oapi.dingtalk.com/robot/send?access_token=x", "must start with https://"),
        ("https://open.feishu.cn/open-apis/bot/v2/hook/x", "oapi.dingtalk.com"),
    ],
)
def test_bad_addresses_rerender_with_errors(admin, url, message):
    response = admin.post(
        reverse("core:channel_create"),
        {"name": "x", "kind": "dingtalk", "webhook_url": url, "is_active": "on"},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Channel.objects.exists()


def test_bad_address_error_is_translated(client, admin_user):
    client.force_login(admin_user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    response = client.post(
        reverse("core:channel_create"),
        {"name": "x", "kind": "wecom", "webhook_url": "http://qyapi.weixin.qq.com/x"},
    )
    assert response.status_code == 200
    with translation.override("zh-hans"):
        expected = str(translation.gettext("A robot's webhook address must start with https://."))
    assert escape(expected) in response.content.decode()


def test_missing_name_rerenders(admin):
    response = admin.post(
        reverse("core:channel_create"), {"kind": "dingtalk", "webhook_url": DINGTALK_URL}
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()


def test_edit_keeps_the_secret_unless_cleared(admin, channel):
    url = reverse("core:channel_edit", args=[channel.pk])
    page = admin.get(url).content.decode()
    assert channel.secret not in page
    assert channel.secret_hint in page
    data = {"name": "改名", "kind": "dingtalk", "webhook_url": DINGTALK_URL, "is_active": "on"}
    assert admin.post(url, data).status_code == 302
    channel.refresh_from_db()
    assert channel.name == "改名" and channel.secret == "SECsecretvalue1234567"
    assert admin.post(url, {**data, "clear_secret": "on"}).status_code == 302
    channel.refresh_from_db()
    assert channel.secret == ""


def test_secret_not_in_detail_or_list(admin, channel):
    for url in (reverse("core:channel_detail", args=[channel.pk]), reverse("core:channel_list")):
        page = admin.get(url).content.decode()
        assert channel.name in page
        assert channel.secret not in page
        assert "access_token=abc123" not in page


def test_deactivate_and_activate(admin, channel):
    url = reverse("core:channel_active", args=[channel.pk])
    admin.post(url, {"active": "0"})
    channel.refresh_from_db()
    assert not channel.is_active
    admin.post(url, {"active": "1"})
    channel.refresh_from_db()
    assert channel.is_active


def test_test_card_success_is_shown(admin, fake_webhook):
    channel = make_channel(fake_webhook, kind="feishu", secret="s")
    response = admin.post(reverse("core:channel_test", args=[channel.pk]))
    assert response.status_code == 302
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert shown == ["The test card was posted; check the group."]
    (request,) = fake_webhook.requests
    assert verify_feishu_signature(request.body, "s")
    assert request.body["card"]["header"]["title"]["content"] == "Test message from the PMO"


def test_test_card_error_is_shown(admin, fake_webhook):
    channel = make_channel(fake_webhook, kind="dingtalk", secret="s")
    fake_webhook.answer(body={"errcode": 310000, "errmsg": "keywords not in content"})
    response = admin.post(reverse("core:channel_test", args=[channel.pk]), follow=True)
    page = response.content.decode()
    assert "The test card was not posted" in page
    assert "keywords not in content" in page


def test_routes_are_set_from_the_page(admin, channel, test_kind):
    other = Channel.objects.create(name="b", kind="dingtalk", webhook_url=DINGTALK_URL)
    url = reverse("core:event_route_edit", args=[test_kind.code])
    assert admin.post(url, {"channels": [channel.pk, other.pk]}).status_code == 302
    assert set(EventRoute.objects.values_list("channel_id", flat=True)) == {channel.pk, other.pk}
    assert admin.post(url, {"channels": [other.pk]}).status_code == 302
    assert list(EventRoute.objects.values_list("channel_id", flat=True)) == [other.pk]
    listing = admin.get(reverse("core:channel_list")).content.decode()
    assert "Test event" in listing


def test_route_to_a_deactivated_channel_survives_an_edit(admin, channel, test_kind):
    EventRoute.objects.create(event=test_kind.code, channel=channel)
    channel.is_active = False
    channel.save()
    url = reverse("core:event_route_edit", args=[test_kind.code])
    assert admin.post(url, {}).status_code == 302
    assert EventRoute.objects.filter(channel=channel).exists()


def test_route_form_refuses_an_unknown_channel(admin, test_kind):
    url = reverse("core:event_route_edit", args=[test_kind.code])
    response = admin.post(url, {"channels": [424242]})
    assert response.status_code == 200
    assert not EventRoute.objects.exists()


def _channels(n):
    made = Channel.objects.bulk_create(
        [
            Channel(
                name=f"robot {i}",
                kind="wecom",
                webhook_url=f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={i}",
            )
            for i in range(n)
        ]
    )
    ChannelPost.objects.bulk_create(
        [ChannelPost(channel=c, title="t", status="failed", error="boom") for c in made]
    )
    EventRoute.objects.bulk_create([EventRoute(event="test_event", channel=c) for c in made])


@pytest.mark.parametrize("rows", [3, 30])
def test_channel_list_queries_stay_flat(admin, test_kind, rows, django_assert_max_num_queries):
    _channels(rows)
    admin.get(reverse("core:channel_list"))  # warm the session and user caches
    with django_assert_max_num_queries(10):
        response = admin.get(reverse("core:channel_list"))
    assert response.status_code == 200
    assert response.content.decode().count("robot ") >= rows


def test_channel_list_in_chinese(client, admin_user, channel, test_kind):
    client.force_login(admin_user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    response = client.get(reverse("core:channel_list"))
    assert response.status_code == 200
    assert 'lang="zh-hans"' in response.content.decode() or "zh" in response["Content-Language"]


def test_django_admin_lists_channels_without_their_secret(client, channel):
    superuser = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(superuser)
    for url in (
        reverse("admin:core_channel_changelist"),
        reverse("admin:core_channel_change", args=[channel.pk]),
        reverse("admin:core_channelpost_changelist"),
        reverse("admin:core_eventroute_changelist"),
        reverse("admin:core_notificationpreference_changelist"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert channel.secret not in response.content.decode()
