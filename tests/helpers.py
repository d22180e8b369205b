"""What the tests share besides fixtures: a tiny FAQ of our own (faq_data/ changes under the
content writers) and a WeChat-side client that signs and encrypts pushes with wechatpy's own
crypto, as the platform would."""
from __future__ import annotations

import base64
import hashlib
import os
import random
import string
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import xmltodict
from wechatpy.crypto import PrpCrypto

ROOT = Path(__file__).resolve().parent.parent

TOKEN = "test-token"
APPID = "wx1234567890abcdef"
ACCOUNT = "gh_0123456789ab"

FAQ_FILES = {
    "chengtie.yaml": """\
category: 城铁出行
entries:
  - id: ct-mobanche
    question: 长株潭城铁末班车是几点？
    alternates: [城铁最晚一班几点, 城铁收车时间]
    keywords: [末班车, 城铁]
    answer: 末班车终到长沙为23时25分。现行时刻请以铁路12306查询为准。
    detail: |
      据报道，新运行图延长了营运时间。
      出行前请以12306为准。
    source: {report: report-004.txt, title: 株洲日报：城铁启用新运行图, date: 2021-05-08}
  - id: ct-shoubanche
    question: 长株潭城铁首班车几点开？
    alternates: [城铁最早一班几点]
    keywords: [首班车, 城铁]
    answer: 长沙、株洲南、湘潭每日首发列车均在6时整点开出。
    source: {report: report-004.txt, title: 株洲日报：城铁启用新运行图, date: 2021-05-08}
""",
    "yanglao.yaml": """\
category: 养老救助
entries:
  - id: yl-canteen
    question: 株洲有多少个老年食堂？
    alternates: [老年助餐点有几个]
    keywords: [老年食堂, 助餐]
    answer: 全市建成老年食堂<120>个 & 助餐点若干。
    detail: 数据来自2024年报告。
    source: {report: report-001.txt, title: 政府工作报告, date: 2024-12-25}
""",
    "keywords.yaml": """\
rules:
  - keywords: [你好, 您好]
    reply: 您好！请直接发送您的问题。
    match: exact
menu:
  MENU_TRAIN: 城铁相关问题请直接发送，如“城铁末班车几点”。
  MENU_LONG: LONG_MENU_TEXT
""".replace("LONG_MENU_TEXT", "这是一段很长的菜单说明。" * 100),  # 3300 bytes: over WeChat's limit
}


def make_faq_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    for name, text in FAQ_FILES.items():
        (path / name).write_text(text, encoding="utf-8")
    return path


def new_aes_key() -> str:
    """A 43-character EncodingAESKey, made the way the platform makes them."""
    return base64.b64encode(os.urandom(32)).decode().rstrip("=").replace("+", "A").replace("/", "B")


# ---------------------------------------------------------------- the WeChat side

def sign(*parts: str) -> str:
    return hashlib.sha1("".join(sorted(parts)).encode()).hexdigest()


def message_xml(fields: dict) -> str:
    body = "".join(f"<{k}>{v}</{k}>" if isinstance(v, int) else f"<{k}><![CDATA[{v}]]></{k}>"
                   for k, v in fields.items())
    return f"<xml>{body}</xml>"


class WeChat:
    """Builds pushes as the platform does and reads the replies (decrypting in safe mode)."""

    def __init__(self, client, token: str, aes_key: str | None = None, appid: str = APPID,
                 openid: str | None = None, mode: str | None = None):
        self.client, self.token, self.aes_key, self.appid = client, token, aes_key, appid
        self.mode = mode or ("safe" if aes_key else "plain")
        self.openid = openid or "o" + "".join(random.choices(string.ascii_letters + string.digits, k=27))

    def fields(self, msg_type: str, **extra) -> dict:
        fields = {"ToUserName": ACCOUNT, "FromUserName": self.openid,
                  "CreateTime": int(time.time()), "MsgType": msg_type}
        if msg_type != "event":
            fields["MsgId"] = random.randint(10 ** 16, 2 ** 63 - 1)
        fields.update(extra)
        return fields

    def request(self, fields: dict | None = None, *, xml: str | None = None, timestamp: int | None = None,
                key: str | None = None, appid: str | None = None) -> tuple[str, bytes]:
        """URL and body of a push; `key`/`appid` override the encryption (rotation, wrong AppId)."""
        xml = xml if xml is not None else message_xml(fields)
        ts, nonce = str(timestamp or int(time.time())), str(random.randint(10 ** 8, 2 ** 31))
        query = {"signature": sign(self.token, ts, nonce), "timestamp": ts, "nonce": nonce,
                 "openid": self.openid}
        if self.mode == "plain":
            return self._url(query), xml.encode()
        encrypt = self.encrypt(xml, key=key, appid=appid)
        query.update(encrypt_type="aes", msg_signature=sign(self.token, ts, nonce, encrypt))
        if self.mode == "compat":
            body = xml[: xml.rindex("</xml>")] + f"<Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>"
        else:
            body = f"<xml><ToUserName><![CDATA[{ACCOUNT}]]></ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>"
        return self._url(query), body.encode()

    def encrypt(self, xml: str, key: str | None = None, appid: str | None = None) -> str:
        raw_key = base64.b64decode((key or self.aes_key) + "=")
        return PrpCrypto(raw_key).encrypt(xml, appid or self.appid).decode()

    @staticmethod
    def _url(query: dict) -> str:
        return "/wechat?" + urlencode(query)

    def post(self, url: str, body: bytes):
        return self.client.post(url, data=body, content_type="text/xml")

    def send(self, msg_type: str = "text", **extra):
        """Push one message; returns (response, reply fields or None for `success`)."""
        fields = self.fields(msg_type, **extra)
        response = self.post(*self.request(fields))
        return response, self.read(response, fields)

    def read(self, response, fields: dict | None = None) -> dict | None:
        assert response.status_code == 200, response.data
        body = response.data
        if body == b"success":
            return None
        outer = xmltodict.parse(body)["xml"]
        if self.mode == "plain":
            assert "Encrypt" not in outer
            reply = outer
        else:
            encrypt = outer["Encrypt"]
            assert outer["MsgSignature"] == sign(self.token, outer["TimeStamp"], outer["Nonce"], encrypt)
            raw_key = base64.b64decode(self.aes_key + "=")
            reply = xmltodict.parse(PrpCrypto(raw_key).decrypt(encrypt, self.appid))["xml"]
        if fields is not None:
            assert reply["ToUserName"] == fields["FromUserName"]
            assert reply["FromUserName"] == fields["ToUserName"]
        assert reply["MsgType"] == "text"
        assert len(reply["Content"].encode("utf-8")) < 2048
        return reply

    def verify(self, **query):
        return self.client.get("/wechat", query_string=query)


def wait_for_log_writers(timeout: float = 5.0) -> None:
    """Leave no message-log writer thread behind (each ends 0.5 s after its last row): a later
    test that forks (bot/parallel.py) needs this process to have no other thread."""
    deadline = time.monotonic() + timeout
    while any(t.name == "store-log-writer" for t in threading.enumerate()) and time.monotonic() < deadline:
        time.sleep(0.05)
