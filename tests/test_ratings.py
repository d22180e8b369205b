"""好差评: a rating right after an answer (webhook in plain and safe mode, /api/ask, the detail
page), a bad one's reason and the staff queue with its working-day due date, and `report`."""
from __future__ import annotations

import datetime as dt
import io
from contextlib import redirect_stdout

import pytest

from bot.answer import services
from bot.cli import main
from bot.content.faq import load_faq
from bot.staff import feedback as fb
from bot.store.workdays import add_workdays, workdays_between
from tests.citizen_helpers import cli_engine, engine_of, faq_with, own_engine, rows

KEYWORDS = "keywords.yaml"


# ---------------------------------------------------------------- reading a rating

@pytest.mark.parametrize("text,levels,digits,expected", [
    ("满意", 2, False, ("满意", 5, False)),
    ("不满意！", 2, False, ("不满意", 1, True)),
    ("差评", 2, False, ("不满意", 1, True)),
    ("1", 2, True, ("满意", 5, False)),
    ("2", 2, True, ("不满意", 1, True)),
    ("2", 2, False, None),                      # digits only when the prompt offered them
    ("3", 2, True, None),
    ("基本满意", 5, False, ("基本满意", 3, False)),
    ("4", 5, True, ("不满意", 2, True)),
    ("很不满意", 5, False, ("非常不满意", 1, True)),
    ("城铁末班车几点", 2, False, None),
])
def test_rating_words_and_digits(text, levels, digits, expected):
    assert services.rating_of(text, levels, digits) == expected


def test_due_date_counts_chinese_working_days():
    # National Day 2026 (1–7 October) and its make-up working days are not counted as such
    assert add_workdays(dt.date(2026, 9, 30), 5) == (dt.date(2026, 10, 13), True)
    assert add_workdays(dt.date(2026, 12, 1), 5) == (dt.date(2026, 12, 8), True)
    # a year the library has no holidays for yet: Monday to Friday, marked as an estimate
    due, known = add_workdays(dt.date(2026, 12, 30), 5)
    assert not known and due.weekday() < 5
    assert workdays_between(dt.date(2026, 12, 1), dt.date(2026, 12, 8)) == 5
    assert workdays_between(dt.date(2026, 12, 8), dt.date(2026, 12, 1)) == -5


# ---------------------------------------------------------------- the webhook, plain and safe

def test_rating_after_an_answer_through_the_webhook(wx):
    _, reply = wx.send("text", Content="城铁末班车几点")
    assert "23时25分" in reply["Content"] and reply["Content"].endswith("评价这条回答：回复“满意”/“不满意”")
    _, reply = wx.send("text", Content="满意")
    assert reply["Content"] == services.THANKS
    engine = engine_of(wx.client)
    [rating] = rows(engine, "ratings")
    assert (rating["faq_id"], rating["level"], rating["score"], rating["bad"]) == ("ct-mobanche", "满意", 5, 0)
    assert rating["question"] == "城铁末班车几点" and rating["channel"] == "wechat"
    assert rating["user"] == engine.hash_user(wx.openid) and wx.openid not in str(rating)
    # the rating is taken once: "满意" again is read as a message, not a second rating
    _, reply = wx.send("text", Content="满意")
    assert reply["Content"] != services.THANKS and len(rows(engine, "ratings")) == 1


def test_bad_rating_asks_what_was_wrong_and_queues_it(wx):
    wx.send("text", Content="城铁末班车几点")
    _, reply = wx.send("text", Content="不满意")
    due, known = add_workdays(dt.date.today(), 5)
    promised = f"{services.chinese_day(due)}前" if known else "5个工作日内"  # holidays of next year not yet out
    assert "哪里不对" in reply["Content"] and promised in reply["Content"]
    _, reply = wx.send("text", Content="时间和12306上的不一样")
    assert "已转给工作人员" in reply["Content"]
    engine = engine_of(wx.client)
    rows(engine, "ratings")
    db = fb.open_db(engine.config.data_dir)
    [item] = fb.queue(db, open_only=True)
    assert item["faq_id"] == "ct-mobanche" and item["status"] == "待处理" and item["due"] == due.isoformat()
    assert item["reasons"] == ["时间和12306上的不一样"] and item["days_left"] == 5
    assert item["id"] in reply["Content"]
    # the next message is a question again
    _, reply = wx.send("text", Content="城铁首班车几点")
    assert "6时" in reply["Content"]


def test_a_rating_word_in_a_fresh_conversation_is_not_a_rating(wx):
    _, reply = wx.send("text", Content="满意")
    assert reply["Content"] != services.THANKS
    _, reply = wx.send("text", Content="1")
    assert "评价" not in reply["Content"]
    assert rows(engine_of(wx.client), "ratings") == []


def test_digits_rate_when_no_numbered_list_was_shown(plain):
    _, reply = plain.send("text", Content="老年食堂有几个")
    assert reply["Content"].endswith("评价这条回答：回复1满意，回复2不满意")
    _, reply = plain.send("text", Content="2")
    assert "哪里不对" in reply["Content"]
    assert rows(engine_of(plain.client), "ratings")[0]["level"] == "不满意"


def test_a_retried_rating_is_recorded_once(plain):
    plain.send("text", Content="城铁末班车几点")
    fields = plain.fields("text", Content="不满意")
    first = plain.read(plain.post(*plain.request(fields)), fields)
    again = plain.read(plain.post(*plain.request(fields)), fields)
    assert first["Content"] == again["Content"] and "哪里不对" in first["Content"]
    assert len(rows(engine_of(plain.client), "ratings")) == 1


# ---------------------------------------------------------------- /api/ask and the detail page

def test_rating_through_the_api(plain_app):
    client = plain_app.test_client()
    first = client.get("/api/ask", query_string={"q": "城铁末班车几点", "user": "tester"}).get_json()
    assert first["kind"] == "answer" and "评价这条回答" in first["reply"]
    rated = client.get("/api/ask", query_string={"q": "不满意", "user": "tester"}).get_json()
    assert rated["kind"] == "rating" and "哪里不对" in rated["reply"]
    said = client.get("/api/ask", query_string={"q": "没写湘潭方向", "user": "tester"}).get_json()
    assert said["kind"] == "feedback"
    rows(engine_of(plain_app), "ratings")
    [item] = fb.queue(fb.open_db(engine_of(plain_app).config.data_dir))
    assert item["channel"] == "api" and item["reasons"] == ["没写湘潭方向"]


def test_detail_page_rating_buttons(plain_app):
    client = plain_app.test_client()
    page = client.get("/faq/ct-mobanche")
    html = page.get_data(as_text=True)
    assert 'action="/faq/ct-mobanche/rating"' in html and 'value="满意"' in html and 'value="不满意"' in html
    assert "form-action 'self'" in page.headers["Content-Security-Policy"]
    good = client.post("/faq/ct-mobanche/rating", data={"level": "满意"})
    assert good.status_code == 200 and "感谢您的评价" in good.get_data(as_text=True)
    bad = client.post("/faq/ct-mobanche/rating", data={"level": "不满意"})
    html = bad.get_data(as_text=True)
    assert "哪里不对" in html and "<textarea" in html
    rating_id = html.split('name="rating_id" value="')[1].split('"')[0]
    said = client.post("/faq/ct-mobanche/rating", data={"rating_id": rating_id, "reason": "太简略"})
    assert rating_id in said.get_data(as_text=True)
    engine = engine_of(plain_app)
    rows(engine, "ratings")
    [item] = fb.queue(fb.open_db(engine.config.data_dir))
    assert (item["id"], item["channel"], item["reasons"]) == (rating_id, "page", ["太简略"])
    assert client.post("/faq/ct-mobanche/rating", data={"level": "还行吧"}).status_code == 400
    assert client.post("/faq/no-such/rating", data={"level": "满意"}).status_code == 404
    assert len(rows(engine, "ratings")) == 2


def test_detail_page_rating_is_rate_limited_per_ip(make_app):
    client = make_app(rate_limit_per_ip=2).test_client()
    codes = [client.post("/faq/ct-mobanche/rating", data={"level": "满意"}).status_code for _ in range(3)]
    assert codes == [200, 200, 429]


# ---------------------------------------------------------------- five levels, faq check

FIVE = """\
rating_levels: 5
rules:
  - keywords: [你好]
    reply: 您好！
"""


def test_five_levels_when_staff_configure_them(tmp_path):
    engine = own_engine(tmp_path, faq_with(tmp_path, {KEYWORDS: FIVE}))
    first = engine.ask("城铁末班车几点", user="u")
    assert first.text.endswith("评价这条回答：回复“非常满意”/“满意”/“基本满意”/“不满意”/“非常不满意”")
    assert engine.ask("基本满意", user="u").kind == "rating"
    [rating] = rows(engine, "ratings")
    assert (rating["level"], rating["score"], rating["bad"]) == ("基本满意", 3, 0)


def test_faq_check_refuses_other_rating_levels(tmp_path):
    faq = load_faq(faq_with(tmp_path, {KEYWORDS: "rating_levels: 3\n"}))
    [problem] = faq.errors
    assert (problem.file, problem.line) == ("keywords.yaml", 1) and "rating_levels 只能是 2" in problem.message


# ---------------------------------------------------------------- the staff's side

def _run(*argv) -> str:
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(list(argv))
    return out.getvalue() + f"（退出码 {code}）"


def test_feedback_command_lists_and_resolves(plain, monkeypatch, faq_dir):
    engine = cli_engine(plain, monkeypatch, faq_dir)
    plain.send("text", Content="城铁末班车几点")
    plain.send("text", Content="不满意")
    plain.send("text", Content="没有首班车信息")
    rows(engine, "ratings")
    listed = _run("feedback", "--open")
    assert "差评待处理：共 1 条，待处理 1 条" in listed and "没有首班车信息" in listed
    assert "长株潭城铁末班车是几点？" in listed and "还有 5 个工作日" in listed
    rating_id = fb.queue(fb.open_db(engine.config.data_dir))[0]["id"]
    assert "错误：没有编号" in _run("feedback", "done", "zzzz", "--reply", "x")
    done = _run("feedback", "done", rating_id[:4], "--faq-change", "ct-mobanche 补充首班车")
    assert "已标记为已处理" in done and "（退出码 0）" in done
    assert "共 0 条" in _run("feedback", "--open")
    everything = _run("feedback", "--csv", str(engine.config.data_dir / "q.csv"))
    assert "已处理" in everything and "修改FAQ：ct-mobanche 补充首班车" in everything
    sheet = (engine.config.data_dir / "q.csv").read_text(encoding="utf-8-sig")
    assert "没有首班车信息" in sheet and "已处理" in sheet


def test_report_shows_satisfaction_per_entry(plain, monkeypatch, faq_dir):
    engine = cli_engine(plain, monkeypatch, faq_dir)
    for word in ("满意", "不满意"):
        plain.send("text", Content="城铁末班车几点")
        plain.send("text", Content=word)
    rows(engine, "ratings")
    shown = _run("report")
    assert "长株潭城铁末班车是几点？ [ct-mobanche] — 评价 2 次，满意 1，不满意 1，满意率 50.0%" in shown
    assert "待处理差评 1 条" in shown
