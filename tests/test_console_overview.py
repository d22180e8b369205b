"""概览 /console/ over the Flask test client: questions per day (an inline SVG chart), answer
rate, top entries, entries expiring in the next 30 days, entries never asked."""
from __future__ import annotations

import datetime as dt
import re

from tests.console_work_helpers import citizens_ask, text_of


def test_signed_out_sees_nothing(console):
    citizens_ask(console, ["长株潭城铁末班车是几点？"])
    response = console.client().get("/console/")
    assert response.status_code == 302 and "/console/login" in response.headers["Location"]
    assert "末班车" not in text_of(response)


def test_the_figures_of_the_period(console):
    citizens_ask(console, ["长株潭城铁末班车是几点？", "城铁最晚一班几点", "长株潭城铁首班车几点开？", "城铁票价多少", "你好"])
    html = text_of(console.client("editor").get("/console/"))
    assert re.search(r'<div class="n">4</div><div class="what">提问', html)
    assert '<div class="n">75.0%</div><div class="what">回答率' in html
    top = html.index("最常被问到的条目")
    assert html.index("长株潭城铁末班车是几点？", top) < html.index("长株潭城铁首班车几点开？", top)
    assert "2 次" in html[top:]
    never = html[html.index('<h2 style="margin-top:0">这段时间没人问过的条目'):]
    assert "yl-canteen" in never and "ct-mobanche" not in never


def test_the_chart_is_an_inline_svg_with_a_bar_for_today(console):
    citizens_ask(console, ["长株潭城铁末班车是几点？", "城铁票价多少"])
    html = console.client("editor").get("/console/?period=7d").get_data(as_text=True)
    svg = re.search(r"<svg class=\"chart\".*?</svg>", html, re.S).group(0)
    today = dt.date.today().isoformat()
    assert f"<title>{today} 回答 1</title>" in svg and f"<title>{today} 无法回答 1</title>" in svg
    assert "<script" not in html and "http" not in svg.replace("http://www.w3.org/2000/svg", "")
    assert '<svg class="chart narrow"' in html  # drawn again for a phone, with readable labels


def test_entries_expiring_in_30_days(console):
    soon = dt.date.today() + dt.timedelta(days=12)
    path = console.faq_dir / "yanglao.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "    source: {report: report-001.txt", f"    valid_until: {soon.isoformat()}\n    source: {{report: report-001.txt"),
        encoding="utf-8")
    html = text_of(console.client("reviewer").get("/console/"))
    expiring = html[html.index("30 天内到期的条目</h2>"):]
    assert "yl-canteen" in expiring and soon.isoformat() in expiring and "还有 12 天" in expiring


def test_an_unknown_period_falls_back_to_the_default(console):
    assert console.client("editor").get("/console/?period=1y").status_code == 200
