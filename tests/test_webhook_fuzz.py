"""Malformed but signed pushes (issue 12, item 7), property-based: repeated, nested and missing
fields, odd OpenIDs, non-XML and huge bodies, through the Flask test client with wechatpy's own
crypto in plaintext and safe (AES) mode. Whatever arrives, the handler never raises: the answer
is a reply addressed to the sender, `success`, or a short plain-text refusal, never a 500 or HTML."""
from __future__ import annotations

import base64
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape

import pytest
import xmltodict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wechatpy.crypto import PrpCrypto

from handlers.security import MAX_BODY_BYTES
from tests.helpers import ACCOUNT, TOKEN, WeChat, sign

FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# Characters XML 1.0 can carry (no C0 controls but tab and newline, no surrogates).
xml_text = st.text(st.characters(exclude_categories=("Cs", "Cc"), include_characters="\t\n"), max_size=40)
special = st.sampled_from(["]]>", "<", ">", "&", "'", '"', "]]", "<![CDATA[", "&amp;"])
field_value = st.one_of(xml_text, st.lists(st.one_of(xml_text, special), max_size=6).map("".join))
FIELD_NAMES = ["ToUserName", "FromUserName", "CreateTime", "MsgType", "Content", "MsgId", "Event", "EventKey",
               "Recognition", "MediaId", "Encrypt"]
MSG_TYPES = ["text", "voice", "event", "image", "link", "TEXT", "", "unknown", "event\n"]


@st.composite
def element(draw, name: str) -> str:
    """One field, as text, as CDATA, or holding nested elements."""
    value = draw(field_value)
    shape = draw(st.sampled_from(["text", "cdata", "nested"]))
    if shape == "cdata":
        return f"<{name}><![CDATA[{value.replace(']]>', ']]]]><![CDATA[>')}]]></{name}>"
    if shape == "nested":
        return f"<{name}><a>{escape(value)}</a><b/>{escape(draw(xml_text))}</{name}>"
    return f"<{name}>{escape(value)}</{name}>"


@st.composite
def push_xml(draw) -> str:
    """An <xml> push: known and unknown fields, in any order, some repeated or missing."""
    names = draw(st.lists(st.one_of(st.sampled_from(FIELD_NAMES), st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,8}", fullmatch=True)),
                          max_size=12))
    parts = [draw(element(name)) for name in names]
    if draw(st.booleans()):
        parts.insert(draw(st.integers(0, len(parts))), f"<MsgType>{escape(draw(st.sampled_from(MSG_TYPES)))}</MsgType>")
    if draw(st.booleans()):
        parts.insert(0, f"<FromUserName>{escape(draw(field_value))}</FromUserName>")
    return "<xml>" + "".join(parts) + "</xml>"


def first_field(xml: str, name: str) -> str | None:
    """What the sender's field says, read as the webhook does: the first occurrence, its text
    (trimmed, as wechatpy's xmltodict does; real OpenIDs hold letters, digits, - and _)."""
    child = ET.fromstring(xml).find(name)
    return None if child is None else "".join(child.itertext()).strip()


def _fields(xml: bytes | str) -> dict:
    """Every field's exact text (xmltodict would strip the whitespace an OpenID may hold)."""
    root = ET.fromstring(xml)
    assert root.tag == "xml"
    return {child.tag: "".join(child.itertext()) for child in root}


def reply_fields(wx: WeChat, response) -> dict:
    """The reply's fields, decrypted and with the signature checked in safe mode."""
    outer = _fields(response.data)
    if wx.mode == "plain":
        return outer
    assert outer["MsgSignature"] == sign(TOKEN, outer["TimeStamp"], outer["Nonce"], outer["Encrypt"])
    return _fields(PrpCrypto(base64.b64decode(wx.aes_key + "=")).decrypt(outer["Encrypt"], wx.appid))


def check_answered_or_success(wx: WeChat, xml: str, response) -> None:
    assert response.status_code == 200, (response.status_code, response.data[:200])
    assert response.mimetype in ("text/plain", "application/xml")
    if response.data == b"success":
        return
    reply = reply_fields(wx, response)
    assert reply["MsgType"] == "text" and reply["Content"]
    # addressed back to the sender, byte for byte, whatever characters the OpenID holds
    assert (reply.get("ToUserName") or "") == (first_field(xml, "FromUserName") or "")
    assert (reply.get("FromUserName") or "") == (first_field(xml, "ToUserName") or "")


@FUZZ
@given(xml=push_xml())
def test_any_signed_xml_push_is_answered_or_gets_success(wx, xml):
    response = wx.post(*wx.request(xml=xml))
    check_answered_or_success(wx, xml, response)


ODD_BODIES = [b"", b"<xml>", b"<xml><a></b></xml>", b"\xff\xfe<\x00x", b"<?xml?><xml/>",
              '<?xml version="1.0" encoding="gbk"?><xml><MsgType>text</MsgType><Content>你好</Content></xml>'.encode("gbk"),
              b'<?xml version="1.0" encoding="no-such-encoding"?><xml/>', b"\xef\xbb\xbf<xml><MsgType>text</MsgType></xml>"]


@pytest.mark.parametrize("body", ODD_BODIES)
def test_odd_bodies_are_answered_or_get_success(plain, body):
    """Declared encodings expat cannot read raised ValueError/LookupError, i.e. a 500."""
    url, _ = plain.request(xml="<xml/>")
    response = plain.post(url, body)
    assert response.status_code == 200
    assert response.data == b"success" or _fields(response.data)["MsgType"] == "text"


@FUZZ
@given(body=st.one_of(st.binary(max_size=400), xml_text.map(str.encode),
                      st.sampled_from(ODD_BODIES)))
def test_any_signed_body_never_gets_an_error_page(plain, body):
    url, _ = plain.request(xml="<xml/>")
    response = plain.post(url, body)
    assert response.status_code in (200, 400), response.data[:200]
    assert response.mimetype != "text/html" and b"Traceback" not in response.data
    if response.status_code == 400:  # only a DTD or entities, which WeChat never sends
        assert b"<!" in body and response.data == b"bad request"


@FUZZ
@given(inner=st.one_of(st.binary(max_size=300).map(lambda b: b.decode("latin-1")), xml_text, push_xml()))
def test_any_encrypted_body_is_answered_or_gets_success(safe, inner):
    """Correctly encrypted and signed, whatever the plaintext inside."""
    response = safe.post(*safe.request(xml=inner))
    if inner.startswith("<xml>"):
        check_answered_or_success(safe, inner, response)
    else:
        assert response.status_code == 200 and response.data == b"success"


@pytest.mark.parametrize("openid", ["o]]>x", "]]>", "o<&>'\"x", "o]]]]>>x", "o\u4e2d\u6587\t x", "<![CDATA[o"])
def test_odd_openids_get_a_well_formed_reply_in_both_modes(wx, openid):
    wx.openid = openid
    fields = wx.fields("text", Content="城铁末班车几点")
    xml = "<xml>" + "".join(f"<{k}>{escape(str(v))}</{k}>" for k, v in fields.items()) + "</xml>"
    response = wx.post(*wx.request(xml=xml))
    check_answered_or_success(wx, xml, response)
    reply = reply_fields(wx, response)
    assert reply["ToUserName"] == openid and "23时25分" in reply["Content"]


@pytest.mark.parametrize("nonce", ["]]>", "a b", "x" * 100])
def test_an_odd_nonce_does_not_break_the_encrypted_reply(safe, nonce):
    fields = safe.fields("text", Content="城铁末班车几点")
    url, body = safe.request(fields)
    query = dict(part.split("=", 1) for part in url.split("?", 1)[1].split("&"))
    encrypt = xmltodict.parse(body)["xml"]["Encrypt"]
    query.update(nonce=nonce, signature=sign(TOKEN, query["timestamp"], nonce),
                 msg_signature=sign(TOKEN, query["timestamp"], nonce, encrypt))
    response = safe.client.post("/wechat", query_string=query, data=body, content_type="text/xml")
    assert "23时25分" in reply_fields(safe, response)["Content"]


def test_repeated_fields_count_once_the_first(plain):
    fields = plain.fields("text", Content="城铁末班车几点")
    xml = "<xml>" + "".join(f"<{k}>{escape(str(v))}</{k}>" for k, v in fields.items())
    xml += "<Content>明天天气怎么样</Content><MsgType>image</MsgType><FromUserName>someone-else</FromUserName></xml>"
    reply = reply_fields(plain, plain.post(*plain.request(xml=xml)))
    assert reply["ToUserName"] == plain.openid and "23时25分" in reply["Content"]


def test_huge_bodies_are_refused_in_plain_text(wx):
    fields = wx.fields("text", Content="长" * (MAX_BODY_BYTES // 3 + 10))
    url, body = wx.request(fields)
    response = wx.post(url, body)
    assert len(body) > MAX_BODY_BYTES and response.status_code == 413 and response.mimetype == "text/plain"


def test_a_long_message_under_the_limit_is_answered(plain):
    """20,000 characters (60 KB): answered from its first characters, well within WeChat's 5 s."""
    response, reply = plain.send("text", Content="城铁末班车几点" + "长" * 20_000)
    assert response.status_code == 200 and reply["ToUserName"] == plain.openid
    assert reply["FromUserName"] == ACCOUNT
