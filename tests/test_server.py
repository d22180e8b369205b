"""/api/ask, /healthz, /faq/<id>, and `python server.py` as a real process over HTTP."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from bot.store.conversation import Conversation
from tests.helpers import ROOT, TOKEN, make_faq_dir, sign


def test_api_ask_answers(plain_app):
    response = plain_app.test_client().get("/api/ask", query_string={"q": "城铁末班车几点", "user": "u1"})
    assert response.status_code == 200
    data = response.get_json()
    assert set(data) == {"query", "kind", "faq_id", "score", "reply", "candidates"}
    assert data["query"] == "城铁末班车几点" and data["kind"] == "answer" and data["faq_id"] == "ct-mobanche"
    assert "城铁末班车几点" in response.get_data(as_text=True)  # Chinese unescaped


@pytest.mark.parametrize("query", [{}, {"q": ""}, {"q": "   "}, {"q": "长" * 501}])
def test_api_ask_rejects_missing_empty_or_huge_q(plain_app, query):
    response = plain_app.test_client().get("/api/ask", query_string=query)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in error)


def test_api_ask_user_scopes_conversation(plain_app):
    client = plain_app.test_client()
    client.get("/api/ask", query_string={"q": "城铁末班车几点", "user": "alice"})
    engine = plain_app.extensions["engine"]
    assert engine.store.load_state(engine.user_key("alice", "api")).last_id == "ct-mobanche"
    assert engine.store.load_state(engine.user_key("bob", "api")) == Conversation()


def test_healthz(plain_app):
    response = plain_app.test_client().get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}
    details = plain_app.test_client().get("/healthz/details").get_json()  # the test client is 127.0.0.1
    assert details["status"] == "ok" and details["entries"] == 3


def test_faq_page_shows_the_entry_escaped(plain_app):
    response = plain_app.test_client().get("/faq/yl-canteen")
    assert response.status_code == 200 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    for text in ("株洲有多少个老年食堂？", "养老救助", "数据来自2024年报告。", "政府工作报告", "2024年12月25日",
                 'name="viewport"', 'lang="zh-CN"'):
        assert text in html
    assert "&lt;120&gt;" in html and "<120>" not in html and "&amp; 助餐点" in html
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]


def test_faq_page_unknown_id_is_404(plain_app):
    response = plain_app.test_client().get("/faq/no-such-entry")
    assert response.status_code == 404
    assert "未找到该条目" in response.get_data(as_text=True)


def test_answer_link_points_at_the_faq_page(plain_app):
    data = plain_app.test_client().get("/api/ask", query_string={"q": "城铁末班车几点"}).get_json()
    assert "https://bot.example.cn/faq/ct-mobanche" in data["reply"]


# ---------------------------------------------------------------- the real process

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(faq_dir, data_dir, **extra_env):
    """`python server.py` on a free port; returns (base URL, process) once /healthz answers."""
    port = free_port()
    env = dict(os.environ, HOST="127.0.0.1", PORT=str(port), WECHAT_TOKEN=TOKEN, FAQ_DIR=str(faq_dir),
               DATA_DIR=str(data_dir), WECHAT_AES_KEY="", PYTHONUNBUFFERED="1", **extra_env)
    proc = subprocess.Popen([sys.executable, "server.py"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1).read()
            return base, proc
        except urllib.error.HTTPError:  # up, and saying what is wrong with its FAQ (503)
            return base, proc
        except OSError:
            if proc.poll() is not None:
                pytest.fail("server.py exited: " + proc.stdout.read())
            time.sleep(0.2)
    proc.kill()
    pytest.fail("server.py did not come up")


def stop(proc) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture
def live_server(faq_dir, tmp_path):
    base, proc = start_server(faq_dir, tmp_path / "live-data")
    yield base, proc
    stop(proc)


@pytest.mark.slow
def test_server_process_over_http(live_server):
    base, proc = live_server
    with urllib.request.urlopen(base + "/api/ask?q=" + urllib.parse.quote("城铁首班车几点")) as response:
        assert json.load(response)["faq_id"] == "ct-shoubanche"
    ts, nonce = str(int(time.time())), "99"
    query = urllib.parse.urlencode({"signature": sign(TOKEN, ts, nonce), "timestamp": ts, "nonce": nonce})
    xml = ("<xml><ToUserName><![CDATA[gh_x]]></ToUserName><FromUserName><![CDATA[oLive]]></FromUserName>"
           f"<CreateTime>{ts}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
           "<Content><![CDATA[你好]]></Content><MsgId>1</MsgId></xml>")
    request = urllib.request.Request(f"{base}/wechat?{query}", data=xml.encode(), method="POST",
                                     headers={"Content-Type": "text/xml"})
    with urllib.request.urlopen(request) as response:
        assert "您好！请直接发送您的问题。" in response.read().decode()
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{base}/wechat?signature=bad&timestamp={ts}&nonce=1&echostr=x")
    assert refused.value.code == 403
    proc.terminate()
    banner = proc.communicate(timeout=10)[0]
    assert base in banner and "curl" in banner


def get_json(url: str, headers: dict | None = None) -> tuple[int, dict]:
    """Status and JSON body of a GET, error statuses included."""
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=5) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as exc:
        return exc.code, json.load(exc)


def ask_live(base: str, question: str) -> dict:
    with urllib.request.urlopen(base + "/api/ask?q=" + urllib.parse.quote(question), timeout=5) as response:
        return json.load(response)


@pytest.mark.slow
def test_running_server_picks_up_faq_edits_and_survives_broken_ones(tmp_path):
    faq_dir = make_faq_dir(tmp_path / "faq")
    base, proc = start_server(faq_dir, tmp_path / "data", FAQ_RELOAD_INTERVAL="0.5")
    try:
        path = faq_dir / "chengtie.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("23时25分", "23时26分"), encoding="utf-8")
        deadline = time.monotonic() + 10  # the promise: served within 10 s, no restart
        while "23时26分" not in ask_live(base, "长株潭城铁末班车是几点？")["reply"]:
            assert time.monotonic() < deadline, "edit not served within 10 s"
            time.sleep(0.2)
        path.write_text("category: 城铁出行\nentries: [\n", encoding="utf-8")  # a broken save
        deadline = time.monotonic() + 10
        while get_json(base + "/healthz")[0] == 200:
            assert time.monotonic() < deadline, "broken edit not reported"
            time.sleep(0.2)
        status, health = get_json(base + "/healthz/details")
        assert status == 503 and health["serving_previous_version"] and "chengtie.yaml" in health["load_errors"][0]
        assert "23时26分" in ask_live(base, "长株潭城铁末班车是几点？")["reply"]  # still the last good FAQ
    finally:
        stop(proc)
