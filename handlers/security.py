"""Checks on what reaches /wechat: signatures, freshness, safe XML, decryption; reading a
push robustly, writing reply XML safely, and the security headers of every response.

Every failure raises `Rejected` with an HTTP status and a one-line reason for the log;
`Unusable` marks a body that passed the signature but cannot be read as a push.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
import xml.etree.ElementTree as ET

import defusedxml
import defusedxml.ElementTree as SafeET
from wechatpy import parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.events import EVENT_TYPES
from wechatpy.messages import MESSAGE_TYPES, BaseMessage, UnknownMessage

MAX_BODY_BYTES = 64 * 1024
MAX_CLOCK_SKEW = 300  # seconds, either way: an old push is a replay


class Rejected(Exception):
    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status = status
        self.reason = reason


class Unusable(Rejected):
    """Not XML, not <xml>, or no MsgType: once the signature vouches for it, the push gets
    `success` (WeChat then neither retries nor shows an error), never an error page."""

    def __init__(self, reason: str):
        super().__init__(400, reason)


def _sha1_sorted(*parts: str) -> str:
    return hashlib.sha1("".join(sorted(parts)).encode("utf-8")).hexdigest()


def _same(expected: str, given: str) -> bool:
    # wechatpy compares with `!=`; compare_digest does not leak how many characters matched.
    return hmac.compare_digest(expected.encode("utf-8"), given.encode("utf-8"))


def check_signature(token: str, args) -> None:
    """The URL `signature` = sha1(sorted token, timestamp, nonce)."""
    signature, timestamp, nonce = (args.get(k, "") for k in ("signature", "timestamp", "nonce"))
    if not (token and signature and timestamp and nonce):
        raise Rejected(403, "missing signature parameters")
    if not _same(_sha1_sorted(token, timestamp, nonce), signature):
        raise Rejected(403, "bad signature")


def check_msg_signature(token: str, args, encrypt: str) -> None:
    """`msg_signature` also covers the Encrypt value, i.e. the body."""
    given = args.get("msg_signature", "")
    expected = _sha1_sorted(token, args.get("timestamp", ""), args.get("nonce", ""), encrypt)
    if not given or not _same(expected, given):
        raise Rejected(403, "bad msg_signature")


def check_fresh(timestamp: str, now: float | None = None) -> None:
    now = time.time() if now is None else now
    try:
        value = int(timestamp)
    except (TypeError, ValueError):
        raise Rejected(400, f"timestamp not an integer: {str(timestamp)[:20]!r}") from None
    if abs(now - value) > MAX_CLOCK_SKEW:
        raise Rejected(400, f"timestamp off by {int(now - value)}s")


def parse_xml(data: bytes | str) -> ET.Element:
    """Parse with DTDs and entities refused outright, before any permissive parser sees it."""
    try:
        root = SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except defusedxml.DefusedXmlException as exc:
        raise Rejected(400, f"XML with DTD or entities refused ({type(exc).__name__})") from None
    except (ET.ParseError, ValueError, LookupError) as exc:  # expat: multi-byte or unknown declared encoding
        raise Unusable(f"malformed XML ({exc})") from None
    if root.tag != "xml":
        raise Unusable(f"root element <{root.tag[:30]}> is not <xml>")
    return root


def read_message(xml: bytes | str) -> BaseMessage:
    """The wechatpy message of a push, whatever its shape: a repeated field counts once (the
    first), a field holding elements counts as its text, and a push without MsgType is Unusable.
    wechatpy alone would hand lists and dicts to the handlers (xmltodict), or raise."""
    fields = {}
    for child in parse_xml(xml):
        fields.setdefault(child.tag, "".join(child.itertext()))
    if not fields.get("MsgType", "").strip():
        raise Unusable("unusable message (no MsgType)")
    try:
        if all(_PLAIN_TAG.fullmatch(tag) and "\r" not in text for tag, text in fields.items()):
            return _message_of(fields)
        flat = ET.Element("xml")
        for tag, text in fields.items():
            ET.SubElement(flat, tag).text = text
        return parse_message(ET.tostring(flat, encoding="unicode"))
    except Exception as exc:  # wechatpy's own parsing of an odd but flat push
        raise Unusable(f"unusable message ({type(exc).__name__})") from None


# Tags that XML writes and xmltodict reads back unchanged; a text without "\r", which a parser
# reading the flat XML again would turn into "\n".
_PLAIN_TAG = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")


def _message_of(fields: dict[str, str]) -> BaseMessage:
    """wechatpy's parse_message of the flat push, without writing it as XML and parsing it
    again (a third of reading a push): each value as xmltodict gives it (stripped, None when
    empty), and the message or event class chosen as parse_message chooses it."""
    message = {tag: text.strip() or None for tag, text in fields.items()}
    message_type = message["MsgType"].lower()
    if message_type != "event" and not message_type.startswith("device_"):
        return MESSAGE_TYPES.get(message_type, UnknownMessage)(message)
    event_type = message["Event"].lower() if "Event" in message else None
    if event_type is None and message_type.startswith("device_"):
        event_type = message_type
    elif message_type.startswith("device_"):
        event_type = f"device_{event_type}"
    if event_type == "subscribe" and message.get("EventKey"):
        event_key = message["EventKey"]
        if event_key.startswith(("scanbarcode|", "scanimage|")):
            event_type = message["Event"] = "subscribe_scan_product"
        elif event_key.startswith("qrscene_"):  # scanned a QR code with a scene id to subscribe
            event_type = message["Event"] = "subscribe_scan"
            message["EventKey"] = event_key[len("qrscene_"):]
    return EVENT_TYPES.get(event_type, UnknownMessage)(message)


def cdata(value: str) -> str:
    """Text for wechatpy's `<![CDATA[...]]>` templates, which do not escape: a "]]>" inside
    (an OpenID, a reply) would end the section early, so it is split across two sections."""
    return str(value).replace("]]>", "]]]]><![CDATA[>")


_PLAIN_NONCE = re.compile(r"[A-Za-z0-9]{1,64}")


def reply_nonce(nonce: str) -> str:
    """The request's nonce for the encrypted reply, or a fresh one when it is not plain: wechatpy
    signs the nonce as given and puts it in CDATA, so an escaped one would break the signature."""
    return nonce if _PLAIN_NONCE.fullmatch(nonce or "") else secrets.token_hex(8)


# Every response: no MIME sniffing, never framed, no Referer to other sites; the HTML pages
# (the FAQ detail page) may only use their own inline style.
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; "
                               "base-uri 'none'; form-action 'none'",
}


_SECURITY_HEADERS_LOWER = tuple((name.lower(), name, value) for name, value in SECURITY_HEADERS.items())


def add_security_headers(response):
    """Flask after_request hook: the one place these headers are set (one that a view set is kept).
    One pass over the response's headers instead of a scan for each (a response has two or three)."""
    headers = response.headers
    present = {name.lower() for name, _ in headers.items()}
    headers.extend([(name, value) for lower, name, value in _SECURITY_HEADERS_LOWER if lower not in present])
    return response


class CryptoRing:
    """The current EncodingAESKey and, during a key change, the previous one."""

    def __init__(self, token: str, appid: str, keys: list[str]):
        if not appid:
            raise ValueError("WECHAT_APPID is required when WECHAT_AES_KEY is set")
        self.cryptos = []
        for key in keys:
            if len(key) != 43:
                raise ValueError("EncodingAESKey must be 43 characters")
            self.cryptos.append(WeChatCrypto(token, key, appid))

    def decrypt(self, encrypt: str, args) -> tuple[str, WeChatCrypto]:
        """The inner XML and the crypto that opened it (the reply goes back under the same key)."""
        for crypto in self.cryptos:
            try:
                # wechatpy repeats the msg_signature check (already done in constant time).
                xml = crypto.decrypt_message({"Encrypt": encrypt}, args.get("msg_signature", ""),
                                             args.get("timestamp", ""), args.get("nonce", ""))
            except Exception:  # garbage after a wrong key or tampering: any exception type
                continue
            return xml, crypto
        raise Rejected(400, "cannot decrypt (tampered ciphertext, wrong key or wrong AppId)")
