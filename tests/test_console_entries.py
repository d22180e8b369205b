"""The console's entry list, edit form, review and history pages (handlers/console), over the
Flask test client on a temp copy of the tiny FAQ with real reports, a real staff.sqlite, and
the citizen's answer read back through /api/ask."""
from __future__ import annotations

import re
import subprocess

import pytest

from bot.staff import changes, editing

FORM = {
    "id": "ct-mobanche", "question": "长株潭城铁末班车是几点？", "alternates": "城铁最晚一班几点\n城铁收车时间",
    "keywords": "末班车、城铁", "answer": "末班车终到长沙为23时25分。现行时刻请以铁路12306查询为准。",
    "detail": "据报道，新运行图延长了营运时间。\n出行前请以12306为准。",
    "source_report": "report-004.txt", "source_title": "株洲日报：城铁启用新运行图", "source_date": "2021-05-08",
}


def base_of(page: str) -> str:
    return re.search(r'name="base" value="([^"]*)"', page).group(1)


def edit(client, entry_id="ct-mobanche", **changes_):
    page = client.get(f"/console/entries/{entry_id}").get_data(as_text=True)
    return client.post(f"/console/entries/{entry_id}", {**FORM, "base": base_of(page), **changes_})


def ask(site, q="城铁末班车几点"):
    return site.app.test_client().get("/api/ask", query_string={"q": q}).get_json()


# ---------------------------------------------------------------- the list

def test_list_shows_every_entry_with_filters(console):
    html = console.client("editor").get("/console/entries").get_data(as_text=True)
    assert "ct-mobanche" in html and "yl-canteen" in html and "共 3 条" in html
    only = console.client("editor").get("/console/entries?category=养老救助").get_data(as_text=True)
    assert "yl-canteen" in only and "ct-mobanche" not in only
    by_report = console.client("editor").get("/console/entries?report=report-001.txt").get_data(as_text=True)
    assert "yl-canteen" in by_report and "ct-shoubanche" not in by_report
    no_examples = console.client("editor").get("/console/entries?no_examples=1").get_data(as_text=True)
    assert "显示 3 条" in no_examples
    undated = console.client("editor").get("/console/entries?expiry=expired").get_data(as_text=True)
    assert "没有符合条件的条目" in undated


def test_search_finds_entries_by_words_as_the_matcher_understands_them(console):
    client = console.client("reviewer")
    html = client.get("/console/entries", query_string={"q": "城铁最晚一班"}).get_data(as_text=True)
    rows = re.findall(r'/console/entries/([a-z0-9-]+)">[^<]*</a><br>', html)
    assert rows[0] == "ct-mobanche"
    assert "yl-canteen" not in rows
    food = client.get("/console/entries", query_string={"q": "助餐"}).get_data(as_text=True)
    assert re.findall(r'/console/entries/([a-z0-9-]+)">[^<]*</a><br>', food)[0] == "yl-canteen"


# ---------------------------------------------------------------- the form and its checks

def test_edit_form_shows_every_field(console):
    html = console.client("editor").get("/console/entries/ct-mobanche").get_data(as_text=True)
    for name in ("id", "question", "alternates", "keywords", "answer", "detail", "link", "examples", "states",
                 "valid_until", "source_report", "source_title", "source_date"):
        assert f'name="{name}"' in html, name
    assert "城铁最晚一班几点\n城铁收车时间" in html


def test_a_number_not_in_the_report_is_refused_with_the_faq_check_message(console):
    response = edit(console.client("editor"), answer="末班车终到长沙为23时45分。")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "answer 中的数字“45”在报告 report-004.txt 中找不到，请核对原文" in html
    assert 'id="answer" name="answer" rows="5" class="invalid"' in html  # marked at its field
    assert changes.pending(console.config) == []
    assert "23时25分" in (console.faq_dir / "chengtie.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(("field", "value", "message"), [
    ("question", "", "缺少必填字段“question”或内容为空"),
    ("answer", "很长" * 300, "answer 过长（1800字节，上限1200字节）；请把补充内容移到 detail"),
    # found at the later file's entry, as `faq check` says it
    ("question", "株洲有多少个老年食堂？", "yanglao.yaml 第3行 [yl-canteen]：问题与 chengtie.yaml 第3行的条目“ct-mobanche”相同"),
    ("source_report", "report-999.txt", "引用的报告文件“report-999.txt”不在"),
    ("source_date", "2021-13-40", "source.date 应为日期，如 2024-12-25"),
    ("valid_until", "明年", "valid_until 应为日期，如 2025-12-31"),
    ("id", "CT Mobanche", "id 只能使用小写字母、数字和连字符"),
    ("link", "www.example.cn", "link 应为以 http:// 或 https:// 开头的网址"),
])
def test_each_faq_check_message_is_shown_inline(console, field, value, message):
    response = edit(console.client("admin"), **{field: value})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_editor_save_waits_for_review_then_reload_serves_it(console):
    editor, reviewer = console.client("editor"), console.client("reviewer")
    new_answer = "末班车终到长沙为23时25分。出行前请以铁路12306查询为准。"
    response = edit(editor, answer=new_answer)
    assert response.status_code == 302 and response.headers["Location"] == "/console/review"
    assert new_answer not in (console.faq_dir / "chengtie.yaml").read_text(encoding="utf-8")
    [pending] = changes.pending(console.config)
    assert pending.author == "editor"
    page = editor.get("/console/review").get_data(as_text=True)
    assert "+    answer: " + new_answer in page
    assert "通过并发布" not in page  # an editor cannot publish
    assert editor.post(f"/console/review/{pending.id}/approve").status_code == 403
    assert changes.get(console.config, pending.id).status == "pending"
    assert reviewer.post(f"/console/review/{pending.id}/approve").status_code == 302
    assert new_answer in (console.faq_dir / "chengtie.yaml").read_text(encoding="utf-8")
    assert ask(console)["reply"].startswith(new_answer)  # this worker reloaded at once


def test_reject_needs_a_reason_which_the_author_sees(console):
    edit(console.client("editor"), answer="末班车终到长沙为23时25分。")
    [pending] = changes.pending(console.config)
    reviewer = console.client("reviewer")
    reviewer.post(f"/console/review/{pending.id}/reject", {"reason": ""})
    assert changes.get(console.config, pending.id).status == "pending"
    reviewer.post(f"/console/review/{pending.id}/reject", {"reason": "请保留12306的提示"})
    assert changes.get(console.config, pending.id).status == "rejected"
    assert "请保留12306的提示" in console.client("editor").get("/console/review").get_data(as_text=True)


def test_editor_cannot_touch_another_category(console):
    editor = console.client("editor")  # 城铁出行 only
    page = editor.get("/console/entries/yl-canteen").get_data(as_text=True)
    assert "此条目只能查看" in page and 'id="save"' not in page
    form = {"id": "yl-canteen", "question": "株洲有多少个老年食堂？", "answer": "全市建成老年食堂120个。",
            "source_report": "report-001.txt", "source_title": "政府工作报告", "source_date": "2024-12-25",
            "base": base_of(page)}
    assert editor.post("/console/entries/yl-canteen", form).status_code == 403
    assert editor.post("/console/entries/yl-canteen/delete", {"base": base_of(page)}).status_code == 403
    assert editor.post("/console/entries/new", {**form, "id": "yl-new", "file": "yanglao.yaml"}).status_code == 403
    assert changes.pending(console.config) == []


def test_direct_publish_serves_an_editors_save_at_once(console_direct):
    new_answer = "末班车终到长沙为23时25分。请以铁路12306查询为准。"
    response = edit(console_direct.client("editor"), answer=new_answer)
    assert response.status_code == 302
    assert changes.pending(console_direct.config) == []
    assert ask(console_direct)["reply"].startswith(new_answer)


def test_a_save_over_someone_elses_edit_is_refused_showing_what_changed(console):
    admin = console.client("admin")
    page = admin.get("/console/entries/ct-mobanche").get_data(as_text=True)
    other = console.client("reviewer")
    assert edit(other, answer="末班车终到长沙为23时25分。以铁路12306为准。").status_code == 302
    late = admin.post("/console/entries/ct-mobanche", {**FORM, "base": base_of(page), "answer": "末班车23时25分。"})
    assert late.status_code == 422
    html = late.get_data(as_text=True)
    assert "有人修改了它" in html and "以铁路12306为准" in html
    assert "末班车23时25分。" not in (console.faq_dir / "chengtie.yaml").read_text(encoding="utf-8")


def test_an_edit_of_another_entry_of_the_file_is_no_conflict(console):
    admin = console.client("admin")
    page = admin.get("/console/entries/ct-mobanche").get_data(as_text=True)
    first = console.client("reviewer").get("/console/entries/ct-shoubanche").get_data(as_text=True)
    console.client("reviewer").post("/console/entries/ct-shoubanche", {
        "id": "ct-shoubanche", "question": "长株潭城铁首班车几点开？", "alternates": "城铁最早一班几点\n城铁头班车",
        "keywords": "首班车、城铁", "answer": "长沙、株洲南、湘潭每日首发列车均在6时整点开出。",
        "source_report": "report-004.txt", "source_title": "株洲日报：城铁启用新运行图", "source_date": "2021-05-08",
        "base": base_of(first)})
    done = admin.post("/console/entries/ct-mobanche", {**FORM, "base": base_of(page), "alternates": "末班车几点"})
    assert done.status_code == 302
    text = (console.faq_dir / "chengtie.yaml").read_text(encoding="utf-8")
    assert "城铁头班车" in text and "末班车几点" in text


def test_save_keeps_comments_and_layout_of_untouched_entries(console):
    path = console.faq_dir / "chengtie.yaml"
    text = path.read_text(encoding="utf-8").replace("  - id: ct-shoubanche\n",
                                                    "  # 首班车：每年核对一次\n  - id: ct-shoubanche\n")
    path.write_text(text, encoding="utf-8")
    assert edit(console.client("admin"), answer="末班车终到长沙为23时25分。").status_code == 302
    after = path.read_text(encoding="utf-8")
    assert after == text.replace("末班车终到长沙为23时25分。现行时刻请以铁路12306查询为准。", "末班车终到长沙为23时25分。")


def test_new_entry_and_delete(console):
    admin = console.client("admin")
    assert admin.get("/console/entries/new?file=chengtie.yaml").status_code == 200
    form = {"file": "chengtie.yaml", "id": "ct-piaojia", "question": "长株潭城铁的票价在哪里查？",
            "answer": "请在铁路12306查询。", "keywords": "票价、城铁", "source_report": "report-004.txt",
            "source_title": "株洲日报：城铁启用新运行图", "source_date": "2021-05-08"}
    assert admin.post("/console/entries/new", form).status_code == 302
    assert "ct-piaojia" in console.client("editor").get("/console/entries").get_data(as_text=True)
    assert "\n\n  - id: ct-piaojia\n" in (console.faq_dir / "chengtie.yaml").read_text(encoding="utf-8") or \
        "  - id: ct-piaojia\n" in (console.faq_dir / "chengtie.yaml").read_text(encoding="utf-8")
    again = admin.post("/console/entries/new", form)
    assert again.status_code == 422 and "id 重复" in again.get_data(as_text=True)
    page = admin.get("/console/entries/ct-piaojia").get_data(as_text=True)
    assert admin.post("/console/entries/ct-piaojia/delete", {"base": base_of(page)}).status_code == 302
    assert "ct-piaojia" not in (console.faq_dir / "chengtie.yaml").read_text(encoding="utf-8")


# ---------------------------------------------------------------- history and rollback

def test_history_shows_who_when_and_the_diff_and_rolls_back(console):
    admin = console.client("admin")
    old = "末班车终到长沙为23时25分。现行时刻请以铁路12306查询为准。"
    new = "末班车终到长沙为23时25分。"
    edit(console.client("reviewer"), answer=new)
    [published] = changes.history(console.config)
    listing = admin.get("/console/history").get_data(as_text=True)
    assert "ct-mobanche" in listing and "reviewer" in listing
    detail = admin.get(f"/console/history/{published.id}").get_data(as_text=True)
    assert f"-    answer: {old}" in detail and f"+    answer: {new}" in detail
    assert ask(console)["reply"].startswith(new + "\n") or ask(console)["reply"].startswith(new)
    assert admin.post(f"/console/history/{published.id}/rollback").status_code == 302
    assert old in (console.faq_dir / "chengtie.yaml").read_text(encoding="utf-8")
    assert ask(console)["reply"].startswith(old)
    [undo, _] = changes.history(console.config)
    assert undo.rollback_of == published.id and undo.author == "admin"


def test_rollback_of_a_change_edited_since_is_refused(console):
    edit(console.client("reviewer"), answer="末班车终到长沙为23时25分。")
    [first] = changes.history(console.config)
    edit(console.client("reviewer"), answer="末班车终到长沙为23时25分。以12306为准。")
    admin = console.client("admin")
    response = admin.post(f"/console/history/{first.id}/rollback")
    assert response.status_code == 302
    page = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert "先回滚后面的修改" in page
    assert "以12306为准" in (console.faq_dir / "chengtie.yaml").read_text(encoding="utf-8")


def test_published_changes_are_committed_when_faq_dir_is_a_git_repository(console):
    def git(*args):
        return subprocess.run(["git", "-C", str(console.faq_dir), *args], capture_output=True, text=True, check=True)
    git("init", "-q")
    git("-c", "user.name=setup", "-c", "user.email=setup@localhost", "add", ".")
    git("-c", "user.name=setup", "-c", "user.email=setup@localhost", "commit", "-qm", "start")
    edit(console.client("editor"), answer="末班车终到长沙为23时25分。")
    [pending] = changes.pending(console.config)
    console.client("reviewer").post(f"/console/review/{pending.id}/approve")
    log = git("log", "-1", "--format=%an|%cn|%s").stdout.strip()
    assert log == "editor|reviewer|修改条目 ct-mobanche（网页后台：editor 提交，reviewer 发布）"
    assert changes.get(console.config, pending.id).git_commit == git("rev-parse", "HEAD").stdout.strip()
    assert git("status", "--porcelain").stdout == ""


def test_entry_digest_is_of_its_values():
    assert editing.digest({"a": 1}) == editing.digest({"a": 1}) != editing.digest({"a": 2})
