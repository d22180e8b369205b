"""Checks on what reaches /wechat: signatures, freshness, safe XML, decryption.

Every failure raises `Rejected` with an HTTP status and a one-line reason for the log.
"""
from __future__ import annotations

import hashlib
import hmac
import time
import xml.etree.ElementTree as ET

import defusedxml
import defusedxml.ElementTree as SafeET
from wechatpy.crypto import WeChatCrypto

MAX_BODY_BYTES = 64 * 1024
MAX_CLOCK_SKEW = 300  # seconds, either way: an old push is a replay


class Rejected(Exception):
    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status = status
        self.reason = reason


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
    except ET.ParseError as exc:
        raise Rejected(400, f"malformed XML ({exc})") from None
    if root.tag != "xml":
        raise Rejected(400, f"root element <{root.tag[:30]}> is not <xml>")
    return root


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
