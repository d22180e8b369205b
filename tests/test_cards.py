"""Answer cards (REPLY_FORMAT=news): one-article news replies through the real webhook, in plain
and safe mode with wechatpy's crypto, identical on re-delivery; text stays the default, and
nothing but the format changes."""
from __future__ import annotations

import base64
import logging
import xml.etree.ElementTree as ET

import pytest
from wechatpy.crypto import PrpCrypto

from bot.answer import cards
from bot.answer.engine import Engine
from bot.cli import main as run_cli
from bot.search.cache import open_or_build
from server import create_app
from tests.helpers import TOKEN, WeChat, make_faq_dir, sign, wait_for_log_writers

BASE = "https://bot.example.cn"


@pytest.fixture(autouse=True, scope="module")
def _store_writers_done():
    yield
    wait_for_log_writers()


def reply_root(wechat: WeChat, response) -> ET.Element:
    """The reply XML as the platform reads it: decrypted and its signature checked in safe mode."""
    assert response.status_code == 200 and response.data != b"success", response.data
    outer = ET.fromstring(response.data)
    if wechat.mode == "plain":
        assert outer.find("Encrypt") is None
        return outer
    encrypt = outer.findtext("Encrypt")
    assert outer.findtext("MsgSignature") == sign(wechat.token, outer.findtext("TimeStamp"),
                                                  outer.findtext("Nonce"), encrypt)
    raw_key = base64.b64decode(wechat.aes_key + "=")
    return ET.fromstring(PrpCrypto(raw_key).decrypt(encrypt, wechat.appid))


def article_of(root: ET.Element, fields: dict) -> dict:
    """The one article of a news reply, after the checks WeChat makes of its envelope."""
    assert root.findtext("MsgType") == "news"
    assert root.findtext("ToUserName") == fields["FromUserName"]
    assert root.findtext("FromUserName") == fields["ToUserName"]
    items = root.findall("Articles/item")
    assert root.findtext("ArticleCount") == "1" and len(items) == 1  # one article in reply to a user
    item = {child.tag: child.text or "" for child in items[0]}
    assert len(item["Title"].encode()) <= cards.TITLE_MAX_BYTES
    assert len(item["Description"].encode()) <= cards.DESCRIPTION_MAX_BYTES
    return item


def ask(wechat: WeChat, text: str, msg_type: str = "text") -> tuple[dict, ET.Element]:
    extra = {"Content": text} if msg_type == "text" else {"MediaId": "m1", "Format": "amr", "Recognition": text}
    fields = wechat.fields(msg_type, **extra)
    return fields, reply_root(wechat, wechat.post(*wechat.request(fields)))


@pytest.fixture
def news_app(make_app):
    return make_app(reply_format="news")


@pytest.mark.parametrize("mode", ["plain", "safe", "compat"])
def test_an_answer_goes_out_as_one_article(make_app, aes_key, mode):
    app = make_app(reply_format="news", **({} if mode == "plain" else {"wechat_aes_key": aes_key}))
    wechat = WeChat(app.test_client(), TOKEN, None if mode == "plain" else aes_key, mode=mode)
    fields, root = ask(wechat, "城铁末班车几点")
    item = article_of(root, fields)
    assert item["Title"] == "长株潭城铁末班车是几点？"
    assert item["Description"] == ("末班车终到长沙为23时25分。现行时刻请以铁路12306查询为准。\n"
                                   "（来源：株洲日报：城铁启用新运行图，2021-05-08）")
    assert item["Url"] == f"{BASE}/faq/ct-mobanche"
    assert item["PicUrl"] == ""


def test_a_voice_answer_is_a_card_too(news_app):
    wechat = WeChat(news_app.test_client(), TOKEN)
    fields, root = ask(wechat, "城铁首班车几点", msg_type="voice")
    assert article_of(root, fields)["Url"] == f"{BASE}/faq/ct-shoubanche"


def test_markup_in_the_entry_reaches_the_card_as_text(news_app):
    wechat = WeChat(news_app.test_client(), TOKEN)
    fields, root = ask(wechat, "株洲有多少个老年食堂")
    item = article_of(root, fields)
    assert item["Description"].startswith("全市建成老年食堂<120>个 & 助餐点若干。")


def test_cdata_end_inside_a_question_cannot_break_the_xml(tmp_path, base_config):
    faq = make_faq_dir(tmp_path / "faq")
    (faq / "odd.yaml").write_text("""\
category: 测试
entries:
  - id: odd-cdata
    question: 标记]]><Evil>x</Evil>怎么写？
    alternates: [标记怎么写, 那个标记的写法, 标记写法]
    keywords: [标记]
    answer: 写成]]>也不会截断回复。
    source: {report: r.txt, title: 测试报告, date: 2025-01-01}
""", encoding="utf-8")
    config = base_config.replace(faq_dir=faq, data_dir=tmp_path / "data", reply_format="news")
    app = create_app(config, engine=Engine(config, index=open_or_build(faq, tmp_path / "index")))
    wechat = WeChat(app.test_client(), TOKEN)
    fields, root = ask(wechat, "标记怎么写")
    item = article_of(root, fields)
    assert item["Title"] == "标记]]><Evil>x</Evil>怎么写？"
    assert item["Description"].startswith("写成]]>也不会截断回复。")
    assert root.find("Evil") is None and root.find(".//Evil") is None


def test_a_long_answer_keeps_its_source_within_the_description_limit(tmp_path, base_config):
    faq = make_faq_dir(tmp_path / "faq")
    sentence = "这项工作在全市范围内稳步推进并取得阶段性成效。"
    (faq / "long.yaml").write_text(f"""\
category: 测试
entries:
  - id: long-answer
    question: 长答案的条目讲了什么？
    alternates: [长答案讲什么, 那个很长的答案, 长答案条目]
    keywords: [长答案]
    answer: 据2025年测试报告，{sentence * 8}
    source: {{report: r.txt, title: 2025年测试报告, date: 2024-12-25}}
""", encoding="utf-8")
    config = base_config.replace(faq_dir=faq, data_dir=tmp_path / "data", reply_format="news")
    engine = Engine(config, index=open_or_build(faq, tmp_path / "index"))
    reply = engine.ask("长答案的条目讲了什么")
    assert reply.card is not None and reply.faq_id == "long-answer"
    description = reply.card.description
    assert len(description.encode()) <= cards.DESCRIPTION_MAX_BYTES < len(reply.text.encode())
    assert description.startswith("据2025年测试报告，这项工作") and "…" in description
    assert description.endswith("（来源：2025年测试报告，2024-12-25）")


def test_a_repeated_delivery_gets_the_identical_card(make_app, aes_key, monkeypatch):
    app = make_app(reply_format="news", wechat_aes_key=aes_key)
    engine = app.extensions["engine"]
    calls, real = [], engine.ask
    monkeypatch.setattr(engine, "ask", lambda *a, **k: calls.append(a) or real(*a, **k))
    wechat = WeChat(app.test_client(), TOKEN, aes_key)
    fields = wechat.fields("text", Content="城铁末班车几点")
    items = [article_of(reply_root(wechat, wechat.post(*wechat.request(fields))), fields) for _ in range(3)]
    assert len(calls) == 1
    assert items[0] == items[1] == items[2] and items[0]["Url"] == f"{BASE}/faq/ct-mobanche"
    # What the re-deliveries read back: the card itself, not a text rendering of it.
    rows = engine.store.read("t", "select reply from replies", [])
    assert rows[0][0].startswith("\x1enews\x1e")


@pytest.mark.parametrize("text", ["你好", "城铁", "火星上有没有城铁"])
def test_rules_answers_with_a_list_and_fallbacks_stay_text(news_app, text):
    wechat = WeChat(news_app.test_client(), TOKEN)
    fields = wechat.fields("text", Content=text)
    root = reply_root(wechat, wechat.post(*wechat.request(fields)))
    assert root.findtext("MsgType") == "text" and root.find("Articles") is None


def test_menu_clicks_and_welcome_stay_text(news_app):
    wechat = WeChat(news_app.test_client(), TOKEN)
    for extra in ({"Event": "CLICK", "EventKey": "MENU_TRAIN"}, {"Event": "subscribe"}):
        fields = wechat.fields("event", **extra)
        assert reply_root(wechat, wechat.post(*wechat.request(fields))).findtext("MsgType") == "text"


def test_text_is_the_default(plain):
    fields, root = ask(plain, "城铁末班车几点")
    assert root.findtext("MsgType") == "text" and "23时25分" in root.findtext("Content")


def test_api_ask_shows_the_card_and_the_same_reply_text(make_app):
    questions = ["城铁末班车几点", "株洲有多少个老年食堂", "城铁", "你好"]
    text_app, news_app = make_app(), make_app(reply_format="news")
    for q in questions:
        as_text = text_app.test_client().get("/api/ask", query_string={"q": q}).get_json()
        as_news = news_app.test_client().get("/api/ask", query_string={"q": q}).get_json()
        assert "card" not in as_text
        card = as_news.pop("card", None)
        if card is not None:
            # the same answer, only its format differs: a card holds no lines under the answer
            # (related questions, the rating prompt: its detail page has the rating buttons)
            assert as_text["reply"].startswith(as_news.pop("reply")) and as_text.pop("reply")
        assert as_news == as_text
        # an answer followed by "您可能还想问" (城铁) stays text: the list must reach the citizen
        assert (card is not None) == (as_text["kind"] == "answer" and "您可能还想问" not in as_text.get("reply", ""))
    card = news_app.test_client().get("/api/ask", query_string={"q": "城铁末班车几点"}).get_json()["card"]
    assert card == {"title": "长株潭城铁末班车是几点？", "url": f"{BASE}/faq/ct-mobanche", "image": "",
                    "description": "末班车终到长沙为23时25分。现行时刻请以铁路12306查询为准。\n"
                                   "（来源：株洲日报：城铁启用新运行图，2021-05-08）"}


@pytest.mark.parametrize("base", ["http://127.0.0.1:8000", "http://localhost:8000", "", "ftp://bot.example.cn"])
def test_without_a_public_base_url_cards_fall_back_to_text_and_say_so(make_app, base, caplog):
    with caplog.at_level(logging.WARNING, logger="bot"):
        app = make_app(reply_format="news", public_base_url=base)
    assert any("PUBLIC_BASE_URL" in r.getMessage() and "文字" in r.getMessage() for r in caplog.records)
    fields, root = ask(WeChat(app.test_client(), TOKEN), "城铁末班车几点")
    assert root.findtext("MsgType") == "text"
    assert "card" not in app.test_client().get("/api/ask", query_string={"q": "城铁末班车几点"}).get_json()


def test_faq_check_warns_about_the_reply_format_setting(faq_dir, monkeypatch, capsys):
    monkeypatch.setenv("REPLY_FORMAT", "news")
    monkeypatch.setenv("PUBLIC_BASE_URL", "http://127.0.0.1:8000")
    assert run_cli(["--faq-dir", str(faq_dir), "faq", "check", "--no-examples"]) == 0
    out = capsys.readouterr().out
    assert "警告：环境变量：REPLY_FORMAT=news 需要 PUBLIC_BASE_URL" in out
    monkeypatch.setenv("REPLY_FORMAT", "card")
    run_cli(["--faq-dir", str(faq_dir), "faq", "check", "--no-examples"])
    assert "REPLY_FORMAT 只能是 text" in capsys.readouterr().out
    monkeypatch.setenv("REPLY_FORMAT", "news")
    monkeypatch.setenv("PUBLIC_BASE_URL", BASE)
    run_cli(["--faq-dir", str(faq_dir), "faq", "check", "--no-examples"])
    assert "REPLY_FORMAT" not in capsys.readouterr().out


def test_public_base():
    assert cards.public_base("https://bot.example.cn/") == "https://bot.example.cn"
    assert cards.public_base("http://10.1.2.3:8000") == "http://10.1.2.3:8000"
    assert cards.public_base("http://127.0.0.1:8000") is None
    assert cards.public_base("bot.example.cn") is None
