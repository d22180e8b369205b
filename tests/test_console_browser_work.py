"""The console's work pages end to end in a real headless Chromium against gunicorn (2 workers,
as production), questions pushed by the WeChat side over HTTP:

* the unanswered queue turned into a phrasing: then /api/ask answers that question with the entry;
* a draft from an uploaded report, submitted by an 编辑, published by an 审核: then /api/ask answers it;
* screenshots of 试问, 待处理问题, 从报告起草 and 概览 at phone (375) and laptop (1280) width.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.console_helpers import screenshot, wait_for

pytestmark = pytest.mark.slow

MISSES = ["城铁晚上几点停运", "城铁票价多少", "城铁票价多少钱", "请问城铁票价是多少", "公积金怎么提取"]
REPORT = """\
# 株洲市城铁服务报告
2021年5月8日

## 一、运行情况
长株潭城铁末班车终到长沙为23时25分，现行时刻请以铁路12306查询为准。

我市开通城铁定制公交线路12条
方便市民换乘。
"""
# SCREENSHOTS_TO=docs/console: also copy the screenshots there (the README's pictures).
SCREENSHOTS_TO = os.environ.get("SCREENSHOTS_TO", "")


def by():
    from selenium.webdriver.common.by import By
    return By


def citizens_push(live_console, wechat_at, questions):
    for i, text in enumerate(questions):
        wechat_at(live_console.server, openid=f"oCitizen{i:022d}").send("text", Content=text)


def card_with(driver, css: str, text: str):
    """The first element matching `css` whose text holds `text`."""
    return wait_for(lambda: next((e for e in driver.find_elements(by().CSS_SELECTOR, css) if text in e.text), None), 10)


def flash_text(driver) -> str:
    return " ".join(e.text for e in driver.find_elements(by().CSS_SELECTOR, ".flash"))


def test_the_unanswered_queue_turned_into_a_phrasing(live_console, browser, wechat_at):
    question = "城铁晚上几点停运"
    citizens_push(live_console, wechat_at, MISSES)
    assert live_console.ask(question)["faq_id"] != "ct-mobanche"
    live_console.sign_in(browser, "reviewer")
    browser.get(live_console.url("/console/queue"))
    group = wait_for(lambda: _group_card(browser, question), 15)  # the log is written within a second
    assert "1 次" in group.text and "最接近的条目" in group.text
    button = next(f for f in group.find_elements(by().CSS_SELECTOR, "form")
                  if f.find_elements(by().CSS_SELECTOR, "input[name=faq_id][value=ct-mobanche]"))
    button.find_element(by().CSS_SELECTOR, "button").click()
    wait_for(lambda: "已发布" in flash_text(browser), 15)
    # Every worker reloads the changed file within its poll (0.5 s here).
    wait_for(lambda: live_console.ask(question)["faq_id"] == "ct-mobanche", 15)
    assert question not in [e.text for e in browser.find_elements(by().CSS_SELECTOR, ".group h2")]


def _group_card(driver, question):
    driver.refresh()
    return next((e for e in driver.find_elements(by().CSS_SELECTOR, ".group")
                 if e.find_element(by().CSS_SELECTOR, "h2").text == question), None)


def test_a_draft_submitted_by_an_editor_and_published_by_a_reviewer(live_console, browser, tmp_path):
    report = _report(live_console, tmp_path)
    live_console.sign_in(browser, "editor")
    browser.get(live_console.url("/console/drafts"))
    browser.find_element(by().ID, "report").send_keys(str(report))
    browser.find_element(by().CSS_SELECTOR, "form[enctype] button[type=submit]").click()
    draft = card_with(browser, ".draft", "定制公交")
    assert "我市开通城铁定制公交线路12条" in draft.find_element(by().CSS_SELECTOR, ".source").text
    new_id = draft.find_element(by().CSS_SELECTOR, "input[name=id]").get_attribute("value")
    _fill(draft, "question", "株洲开通了几条城铁定制公交？")
    _fill(draft, "alternates", "城铁定制公交几条\n定制公交 城铁 换乘\n坐城铁换公交方便吗")
    _fill(draft, "answer", "据2021年株洲市城铁服务报告，我市开通城铁定制公交线路12条，方便市民换乘。")
    draft.find_element(by().CSS_SELECTOR, "button[type=submit]").click()
    wait_for(lambda: "已提交审核" in flash_text(browser), 15)
    assert live_console.ask("株洲开通了几条城铁定制公交？")["faq_id"] != new_id  # waits for review

    browser.find_element(by().CSS_SELECTOR, ".who button").click()  # 退出
    # the sign-out's answer clears the session cookie: signing in before it arrives loses the new session
    wait_for(lambda: "/console/login" in browser.current_url, 10)
    live_console.sign_in(browser, "reviewer")
    browser.get(live_console.url("/console/review"))
    change = card_with(browser, "div.card[id^=change-]", new_id)
    _approve(browser, change)
    wait_for(lambda: live_console.ask("株洲开通了几条城铁定制公交？")["faq_id"] == new_id, 15)


def _report(live_console, tmp_path) -> Path:
    """The new report, also put where the number check reads reports (REPORTS_DIR)."""
    (live_console.reports_dir / "report-009.txt").write_text(REPORT, encoding="utf-8")
    report = tmp_path / "report-009.txt"
    report.write_text(REPORT, encoding="utf-8")
    return report


def _fill(card, name: str, value: str) -> None:
    field = card.find_element(by().NAME, name)
    field.clear()
    field.send_keys(value)


def _approve(driver, change) -> None:
    """The 审核发布 page's 通过并发布 of the change."""
    change.find_element(by().CSS_SELECTOR, "button.approve").click()
    wait_for(lambda: "已发布" in flash_text(driver), 15)


def test_screenshots_of_the_work_pages(live_console, browser, wechat_at, artifacts, tmp_path):
    citizens_push(live_console, wechat_at, MISSES + ["长株潭城铁末班车是几点？", "城铁最晚一班几点", "株洲有多少个老年食堂？"])
    report = _report(live_console, tmp_path)
    live_console.sign_in(browser, "editor")
    browser.get(live_console.url("/console/drafts"))
    browser.find_element(by().ID, "report").send_keys(str(report))
    browser.find_element(by().CSS_SELECTOR, "form[enctype] button[type=submit]").click()
    card_with(browser, ".draft", "定制公交")
    drafts_url = browser.current_url
    wait_for(lambda: _group_count(live_console, browser) >= 3, 15)
    pages = {"console-try": "/console/try?q=城铁几点收班", "console-queue": "/console/queue",
             "console-drafts": drafts_url, "console-overview": "/console/"}
    shots = []
    for name, path in pages.items():
        browser.get(path if path.startswith("http") else live_console.url(path))
        for width in (375, 1280):
            shot = screenshot(browser, artifacts, name, width)
            # Nothing wider than the window: no sideways scrolling on a phone.
            overflow = browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{name} at {width}px is {overflow}px too wide"
            shots.append(shot)
    assert all(s.stat().st_size > 10_000 for s in shots)
    if SCREENSHOTS_TO:
        Path(SCREENSHOTS_TO).mkdir(parents=True, exist_ok=True)
        for shot in shots:
            shutil.copy(shot, Path(SCREENSHOTS_TO) / shot.name)


def _group_count(live_console, browser) -> int:
    browser.get(live_console.url("/console/queue"))
    return len(browser.find_elements(by().CSS_SELECTOR, ".group"))
