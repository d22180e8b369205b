"""The WeChat webhook: URL verification (GET) and pushes (POST) in plain, compatible and safe mode."""
from __future__ import annotations

import logging
import time

from flask import Blueprint, Response, current_app, request
from wechatpy.replies import TextReply, TransferCustomerServiceReply
from werkzeug.exceptions import RequestEntityTooLarge

from bot.answer import compose
from bot.store import retries

from . import cards, dispatch, metrics, ratelimit
from .security import (
    MAX_BODY_BYTES,
    CryptoRing,
    Rejected,
    Unusable,
    cdata,
    check_fresh,
    check_msg_signature,
    check_signature,
    parse_xml,
    read_message,
    reply_nonce,
)
from .service import TRANSFER

log = logging.getLogger("webhook")
bp = Blueprint("wechat", __name__)

SUCCESS = "success"  # WeChat's "no reply": shown to nobody, never retried


def _engine():
    return current_app.extensions["engine"]


def _ring() -> CryptoRing | None:
    return current_app.extensions["wechat_crypto"]


def _plain(body: str, status: int = 200) -> Response:
    return Response(body, status=status, mimetype="text/plain")


@bp.get("/wechat")
def verify():
    """URL verification: echo `echostr` only for a correct, fresh signature (an old one is a replay)."""
    try:
        check_signature(current_app.config["WECHAT_TOKEN"], request.args)
        check_fresh(request.args.get("timestamp", ""))
    except Rejected as exc:
        return _reject(exc)
    return _plain(request.args.get("echostr", ""))


@bp.post("/wechat")
def receive():
    try:
        xml, crypto = _authenticated_message()
        message = read_message(xml)
    except Unusable as exc:  # signed, but nothing a handler could answer
        _count_rejected(exc)
        return _plain(SUCCESS)
    except Rejected as exc:
        return _reject(exc)
    try:
        text = _answer_once(message)
        if not text:
            return _plain(SUCCESS)
        return Response(render_reply(text, message, crypto, request.args.get("nonce", "")),
                        mimetype="application/xml")
    except Exception:
        # WeChat shows "该公众号暂时无法提供服务" for a 500; `success` shows nothing.
        log.exception("webhook failed on a %s push", getattr(message, "type", "?"))
        return _plain(SUCCESS)


def _authenticated_message():
    """The message XML once signature, freshness, size, XML safety and decryption pass."""
    token, args, ring = current_app.config["WECHAT_TOKEN"], request.args, _ring()
    if not token:
        raise Rejected(403, "WECHAT_TOKEN is not configured")
    if ring is None:
        check_signature(token, args)
    elif args.get("encrypt_type", "").lower() != "aes" or not args.get("msg_signature"):
        # The plain `signature` does not cover the body, so it cannot authenticate a push here.
        raise Rejected(403, "plaintext push refused: an AES key is configured")
    elif args.get("signature"):
        # WeChat sends both signatures; msg_signature covers the body, a wrong `signature` still marks a forgery.
        check_signature(token, args)
    check_fresh(args.get("timestamp", ""))
    if (request.content_length or 0) > MAX_BODY_BYTES:
        raise Rejected(413, f"body of {request.content_length} bytes")
    try:
        body = request.get_data(cache=False)
    except RequestEntityTooLarge:  # MAX_CONTENT_LENGTH also stops bodies sent without a length
        raise Rejected(413, "body over the limit") from None
    if len(body) > MAX_BODY_BYTES:
        raise Rejected(413, f"body of {len(body)} bytes")
    if ring is None:
        return body, None  # the URL signature vouches for it: read_message reads it
    try:
        root = parse_xml(body)
    except Unusable as exc:  # no msg_signature checked yet: nothing vouches for this body
        raise Rejected(400, exc.reason) from None
    encrypt = (root.findtext("Encrypt") or "").strip()
    if not encrypt:
        raise Rejected(400, "no Encrypt element")
    # Compatible mode also sends plaintext fields; only the signed ciphertext is trusted.
    check_msg_signature(token, args, encrypt)
    return ring.decrypt(encrypt, args)


def _answer_once(message) -> cards.Reply:
    """Process a push once; its re-deliveries (WeChat retries after 5 s) get the same reply."""
    engine = _engine()
    key = retries.message_key(message._data)
    if key is None:
        return dispatch(engine, message)
    key = retries.hashed_key(key, engine.hash_user)  # the key holds the OpenID
    shared = engine.shared  # this instance's sqlite, or Redis shared by all instances
    if not shared.claim(key):
        reply = shared.wait_for_reply(key)
        # None: the first is still busy, or its worker died and this delivery takes the push over
        if reply is not None or not shared.claim(key):
            metrics.record_retry(reply is not None)
            log.info("repeated delivery: %s", "same reply as the first" if reply is not None
                     else "first still busy after the wait, answering success")
            return cards.restored(reply or "")
    text = ""
    try:
        if engine.config.test_reply_delay:  # tests only: a request in flight to kill a worker in
            time.sleep(engine.config.test_reply_delay)
        text = ratelimit.wechat_reply(engine, message) or dispatch(engine, message)
    finally:
        shared.finish(key, cards.stored(text))  # on an error the repeats get `success` too
    return text


def render_reply(text: cards.Reply, message, crypto=None, nonce: str = "") -> str:
    """Passive reply XML: text, a card (news) with REPLY_FORMAT=news, or the hand-off to WeChat's
    客服; encrypted and signed when the push came encrypted."""
    # wechatpy wraps every string in CDATA without escaping: the OpenIDs come from the push.
    ends = {"source": cdata(message.target or ""), "target": cdata(message.source or ""), "time": int(time.time())}
    if isinstance(text, cards.Card):
        xml = cards.news_xml(text, message)
    elif text == TRANSFER:
        xml = TransferCustomerServiceReply(**ends).render()
    else:
        text = compose.fit(text)
        assert len(text.encode("utf-8")) <= compose.REPLY_MAX_BYTES
        xml = TextReply(content=cdata(text), **ends).render()
    if crypto is None:
        return xml
    return crypto.encrypt_message(xml, reply_nonce(nonce), str(int(time.time())))


def _count_rejected(exc: Rejected) -> None:
    log.warning("rejected %s %s from %s: %s (HTTP %d)", request.method, request.path,
                request.remote_addr, exc.reason, 200 if isinstance(exc, Unusable) else exc.status)
    metrics.record_rejected(exc.reason)


def _reject(exc: Rejected) -> Response:
    _count_rejected(exc)
    return _plain({403: "forbidden", 413: "too large"}.get(exc.status, "bad request"), exc.status)
