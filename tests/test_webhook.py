"""The /wechat webhook end to end through Flask's test client, with wechatpy's real crypto."""
from __future__ import annotations

import time

import pytest

from bot.content.model import DEFAULT_TEXTS
from handlers.webhook import render_reply
from tests.helpers import TOKEN, WeChat, message_xml, new_aes_key, sign

MODES = ["plain", "compat", "safe"]


@pytest.fixture(params=MODES)
def wx(request, aes_key):
    if request.param == "plain":
        return WeChat(request.getfixturevalue("plain_app").test_client(), TOKEN)
    return WeChat(request.getfixturevalue("safe_app").test_client(), TOKEN, aes_key, mode=request.param)


def messages(wx_app_client) -> list[dict]:
    engine = wx_app_client.application.extensions["engine"]
    return engine.store.messages()


# ---------------------------------------------------------------- URL verification

def test_verify_echoes_echostr_for_a_good_signature(plain):
    ts, nonce = str(int(time.time())), "42"
    response = plain.verify(signature=sign(TOKEN, ts, nonce), timestamp=ts, nonce=nonce, echostr="abc123")
    assert response.status_code == 200
    assert response.data == b"abc123"


@pytest.mark.parametrize("query", [
    {"signature": "0" * 40, "timestamp": "1700000000", "nonce": "42", "echostr": "abc"},
    {"timestamp": "1700000000", "nonce": "42", "echostr": "abc"},
    {"echostr": "abc"},
])
def test_verify_refuses_bad_or_missing_signature(plain, query):
    response = plain.verify(**query)
    assert response.status_code == 403
    assert b"abc" not in response.data


def test_verify_works_in_safe_mode_too(safe):
    ts, nonce = str(int(time.time())), "7"
    assert safe.verify(signature=sign(TOKEN, ts, nonce), timestamp=ts, nonce=nonce, echostr="e").data == b"e"


@pytest.mark.parametrize("age", [301, -301, 86400])
def test_verify_refuses_an_old_or_future_signature(plain, age):
    """A captured verification URL cannot be replayed later: its signature expires after 5 minutes."""
    ts, nonce = str(int(time.time()) - age), "42"
    response = plain.verify(signature=sign(TOKEN, ts, nonce), timestamp=ts, nonce=nonce, echostr="abc123")
    assert response.status_code == 400 and b"abc123" not in response.data


# ---------------------------------------------------------------- every kind, every mode

def test_text_is_answered_from_the_faq(wx):
    response, reply = wx.send("text", Content="城铁末班车几点")
    assert "23时25分" in reply["Content"]
    assert "https://bot.example.cn/faq/ct-mobanche" in reply["Content"]
    assert response.mimetype == "application/xml"


def test_text_keyword_rule(wx):
    _, reply = wx.send("text", Content="你好")
    assert reply["Content"] == "您好！请直接发送您的问题。"


def test_text_out_of_scope_gets_the_fallback(wx):
    _, reply = wx.send("text", Content="火星上明天下雨吗")
    assert "实时信息" in reply["Content"] and DEFAULT_TEXTS["fallback"] in reply["Content"]


def test_voice_recognition_is_answered_like_text(wx):
    _, reply = wx.send("voice", MediaId="m1", Format="amr", Recognition="城铁末班车几点")
    assert "23时25分" in reply["Content"]


def test_voice_without_recognition(wx):
    _, reply = wx.send("voice", MediaId="m1", Format="amr", Recognition="")
    assert "没有听清" in reply["Content"]
    _, reply = wx.send("voice", MediaId="m2", Format="amr")
    assert "没有听清" in reply["Content"]


@pytest.mark.parametrize("extra", [{}, {"EventKey": ""}, {"EventKey": "qrscene_123", "Ticket": "T"}])
def test_subscribe_gets_the_welcome(wx, extra):
    _, reply = wx.send("event", Event="subscribe", **extra)
    assert reply["Content"].startswith("您好，欢迎关注")


def test_scan_when_following_gets_the_welcome(wx):
    _, reply = wx.send("event", Event="SCAN", EventKey="123", Ticket="T")
    assert "欢迎关注" in reply["Content"]


def test_menu_click_known_and_unknown_key(wx):
    _, reply = wx.send("event", Event="CLICK", EventKey="MENU_TRAIN")
    assert reply["Content"].startswith("城铁相关问题")
    _, reply = wx.send("event", Event="CLICK", EventKey="NO_SUCH_KEY")
    assert reply["Content"].startswith("我可以回答")  # the help text


@pytest.mark.parametrize("event", [
    {"Event": "unsubscribe"}, {"Event": "VIEW", "EventKey": "https://www.zhuzhou.gov.cn/"},
    {"Event": "LOCATION", "Latitude": "27.8", "Longitude": "113.1", "Precision": "65"},
    {"Event": "TEMPLATESENDJOBFINISH", "Status": "success"},
])
def test_silent_events_get_success(wx, event):
    response, reply = wx.send("event", **event)
    assert reply is None and response.data == b"success"


@pytest.mark.parametrize("msg_type,extra", [
    ("image", {"PicUrl": "http://mmbiz.qpic.cn/x", "MediaId": "m"}),
    ("video", {"MediaId": "m", "ThumbMediaId": "t"}),
    ("shortvideo", {"MediaId": "m", "ThumbMediaId": "t"}),
    ("location", {"Location_X": "27.8", "Location_Y": "113.1", "Scale": "16", "Label": "株洲"}),
    ("link", {"Title": "t", "Description": "d", "Url": "https://mp.weixin.qq.com/"}),
    ("file", {"Title": "a.pdf", "FileKey": "k", "FileMd5": "m", "FileTotalLen": "1"}),
    ("hologram", {}),
])
def test_other_kinds_are_unsupported(wx, msg_type, extra):
    _, reply = wx.send(msg_type, **extra)
    assert "只能看懂文字和语音" in reply["Content"]


def test_every_kind_is_logged_with_a_hashed_user(plain):
    plain.send("text", Content="城铁末班车几点")
    plain.send("image", PicUrl="http://x", MediaId="m")
    plain.send("event", Event="subscribe")
    plain.send("voice", MediaId="m", Recognition="")
    rows = messages(plain.client)
    assert [(r["msg_kind"], r["outcome"]) for r in rows] == [
        ("text", "answer"), ("image", "unsupported"), ("event:subscribe", "event"), ("voice", "voice_empty")]
    assert len({r["user"] for r in rows}) == 1
    assert all(plain.openid not in str(r) for r in rows)


# ---------------------------------------------------------------- signatures and bad requests

def rejected(wx, url, body, status=None):
    """Refused with a 4xx, no stack trace in the body, and nothing processed or logged."""
    before = len(messages(wx.client))
    response = wx.post(url, body)
    assert 400 <= response.status_code < 500, (response.status_code, response.data)
    assert status is None or response.status_code == status
    assert b"Traceback" not in response.data and len(response.data) < 100
    assert len(messages(wx.client)) == before
    return response


def test_plain_post_with_bad_or_missing_signature(plain):
    url, body = plain.request(plain.fields("text", Content="你好"))
    rejected(plain, url.replace("signature=", "signature=0"), body, 403)
    rejected(plain, url.replace("signature=", "x="), body, 403)


def test_safe_post_with_bad_or_missing_msg_signature(safe):
    url, body = safe.request(safe.fields("text", Content="你好"))
    rejected(safe, url.replace("msg_signature=", "msg_signature=0"), body, 403)
    rejected(safe, url.replace("msg_signature=", "x="), body, 403)


def test_safe_post_with_a_wrong_plain_signature_is_refused(safe):
    # msg_signature covers the body; a `signature` that WeChat would have computed right marks a forgery.
    url, body = safe.request(safe.fields("text", Content="你好"))
    assert "?signature=" in url
    rejected(safe, url.replace("?signature=", "?signature=0"), body, 403)


def test_safe_mode_refuses_plaintext_pushes(safe_app):
    # The plain `signature` is valid but covers no body: anybody could replay it with their own XML.
    wx = WeChat(safe_app.test_client(), TOKEN, mode="plain")
    rejected(wx, *wx.request(wx.fields("text", Content="你好")), status=403)


def test_safe_mode_requires_encrypt_type_aes(safe):
    url, body = safe.request(safe.fields("text", Content="你好"))
    rejected(safe, url.replace("encrypt_type=aes", "encrypt_type=raw"), body, 403)


@pytest.mark.parametrize("age", [301, 3600, -301])
def test_stale_or_future_timestamp(wx, age):
    url, body = wx.request(wx.fields("text", Content="你好"), timestamp=int(time.time()) - age)
    rejected(wx, url, body, 400)


def test_timestamp_within_five_minutes_is_accepted(wx):
    url, body = wx.request(wx.fields("text", Content="你好"), timestamp=int(time.time()) - 240)
    assert wx.read(wx.post(url, body))["Content"].startswith("您好")


def test_body_over_64_kib(wx):
    fields = wx.fields("text", Content="城" * 22000)  # 66000 bytes of UTF-8
    rejected(wx, *wx.request(fields), status=413)


def test_body_just_under_64_kib_is_processed(plain):
    _, reply = plain.send("text", Content="城" * 20000)
    assert reply["Content"]


DTD = '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY x "EXPANDED">]>'


def test_doctype_and_entities_in_the_body(plain):
    fields = plain.fields("text", Content="&x;")
    xml = DTD + message_xml(fields).replace("<![CDATA[&x;]]>", "&x;")
    rejected(plain, *plain.request(xml=xml), status=400)
    bomb = ('<!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            "<xml><Content>&b;</Content></xml>")
    rejected(plain, *plain.request(xml=bomb), status=400)


def test_doctype_outside_and_inside_the_ciphertext(safe):
    url, body = safe.request(safe.fields("text", Content="你好"))
    rejected(safe, url, DTD.encode() + body, 400)
    inner = DTD + message_xml(safe.fields("text", Content="x")).replace("<![CDATA[x]]>", "&x;")
    rejected(safe, *safe.request(xml=inner), status=400)


@pytest.mark.parametrize("xml", ["<xml><ToUserName>a</ToUserName", "not xml at all", "<other/>", ""])
def test_malformed_but_signed_xml_gets_success(wx, xml):
    """Signed but unreadable: `success` (no retry, nothing shown), never an error status."""
    wx.mode = "safe" if wx.mode == "compat" else wx.mode  # compat would copy the broken plaintext around
    response = wx.post(*wx.request(xml=xml or "<xml/>"))
    assert response.status_code == 200 and response.data == b"success"


def test_unsigned_broken_outer_body_in_safe_mode_is_refused(safe):
    url, _ = safe.request(safe.fields("text", Content="你好"))
    rejected(safe, url, b"not xml at all", 400)


def test_message_without_msgtype(plain):
    response = plain.post(*plain.request(xml="<xml><Content>hi</Content></xml>"))
    assert response.status_code == 200 and response.data == b"success"


def test_tampered_ciphertext(safe):
    fields = safe.fields("text", Content="你好")
    url, body = safe.request(fields)
    encrypt = body.decode().split("<![CDATA[")[2].split("]]>")[0]
    tampered = encrypt[:40] + ("A" if encrypt[40] != "A" else "B") + encrypt[41:]
    rejected(safe, url, body.replace(encrypt.encode(), tampered.encode()), 403)  # signature no longer matches
    # Re-signed by someone holding the token but not the key: decryption must fail.
    query = dict(part.split("=", 1) for part in url.split("?", 1)[1].split("&"))
    query["msg_signature"] = sign(TOKEN, query["timestamp"], query["nonce"], tampered)
    resigned = "/wechat?" + "&".join(f"{k}={v}" for k, v in query.items())
    rejected(safe, resigned, body.replace(encrypt.encode(), tampered.encode()), 400)


def test_wrong_appid(safe):
    rejected(safe, *safe.request(safe.fields("text", Content="你好"), appid="wx_wrong_appid_000"), status=400)


def test_wrong_key(safe):
    rejected(safe, *safe.request(safe.fields("text", Content="你好"), key=new_aes_key()), status=400)


def test_no_token_configured_refuses_everything(make_app):
    app = make_app(wechat_token="")
    wx = WeChat(app.test_client(), "")
    assert wx.post(*wx.request(wx.fields("text", Content="你好"))).status_code == 403
    assert wx.verify(signature=sign("", "1", "2"), timestamp="1", nonce="2", echostr="e").status_code == 403


# ---------------------------------------------------------------- key rotation

def test_previous_key_still_accepted_and_reply_uses_it(make_app):
    old, new = new_aes_key(), new_aes_key()
    app = make_app(wechat_aes_key=new, wechat_aes_key_previous=old)
    with_new = WeChat(app.test_client(), TOKEN, new)
    with_old = WeChat(app.test_client(), TOKEN, old)
    assert "23时25分" in with_new.send("text", Content="城铁末班车几点")[1]["Content"]
    # read() decrypts with the sender's key, so this also checks the reply key.
    assert "23时25分" in with_old.send("text", Content="城铁末班车几点")[1]["Content"]
    stranger = WeChat(app.test_client(), TOKEN, new_aes_key())
    rejected(stranger, *stranger.request(stranger.fields("text", Content="你好")), status=400)


def test_bad_configuration_fails_at_start(make_app):
    with pytest.raises(ValueError):
        make_app(wechat_aes_key="short")
    with pytest.raises(ValueError):
        make_app(wechat_aes_key=new_aes_key(), wechat_appid="")


# ---------------------------------------------------------------- errors and limits

def test_internal_error_gives_success_not_500(plain, monkeypatch, caplog):
    engine = plain.client.application.extensions["engine"]

    def broken(*args, **kwargs):
        raise RuntimeError("index file vanished")

    monkeypatch.setattr(engine, "ask", broken)
    response, reply = plain.send("text", Content="城铁末班车几点")
    assert response.status_code == 200 and response.data == b"success"
    assert any("Traceback" in (r.exc_text or "") or r.exc_info for r in caplog.records)


def test_reply_builder_keeps_text_under_2000_bytes(plain):
    from wechatpy import parse_message
    message = parse_message(message_xml(plain.fields("text", Content="x")))
    xml = render_reply("长" * 5000, message)
    content = xml.split("<Content><![CDATA[")[1].split("]]></Content>")[0]
    assert len(content.encode("utf-8")) <= 2000
    assert content.endswith("…")


def test_overlong_menu_reply_is_cut_under_2000_bytes(wx):
    _, reply = wx.send("event", Event="CLICK", EventKey="MENU_LONG")
    content = reply["Content"]
    assert content.startswith("这是一段很长的菜单说明。") and content.endswith("…")
    assert 1900 < len(content.encode("utf-8")) <= 2000


def test_reply_with_cdata_terminator_stays_valid_xml(plain):
    import xmltodict
    from wechatpy import parse_message
    message = parse_message(message_xml(plain.fields("text", Content="x")))
    assert xmltodict.parse(render_reply("a]]>b", message))["xml"]["Content"] == "a]]>b"


def test_unknown_route_and_method_are_json_not_html(plain):
    assert plain.client.get("/nope").status_code == 404
    assert plain.client.put("/wechat").status_code == 405
