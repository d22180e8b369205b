"""从报告起草 /console/drafts over the Flask test client: a report uploaded (file or pasted), its
drafts beside the source lines, and a draft submitted for review, with each role's permissions."""
from __future__ import annotations

import html as html_module
import io
import re

from bot.staff import changes, drafting
from tests.console_work_helpers import engine_of, entry_on_disk, files_of, text_of

REPORT = """\
# 株洲市城铁服务报告
2021年5月8日

## 一、运行情况
长株潭城铁末班车终到长沙为23时25分，现行时刻请以铁路12306查询为准。

我市开通城铁定制公交线路12条
方便市民换乘。
"""


NAME = "report-009.txt"


def in_reports(site, text=REPORT, name=NAME):
    """The new report where the number check reads reports (REPORTS_DIR), as an operator puts it."""
    (site.reports_dir / name).write_text(text, encoding="utf-8")


def upload(client, text=REPORT, name=NAME, **extra):
    data = {"report": (io.BytesIO(text.encode("utf-8") if isinstance(text, str) else text), name), **extra}
    return client.post("/console/drafts", data, content_type="multipart/form-data")


def uploaded(client, **kwargs) -> str:
    response = upload(client, **kwargs)
    assert response.status_code == 302, text_of(response)
    return response.headers["Location"]


def draft_form(html: str, question_part: str) -> tuple[str, dict]:
    """The action and fields of the draft form whose question contains `question_part`."""
    for form in re.findall(r'<form method="post" action="(/console/drafts/\d+/\d+)">(.*?)</form>', html, re.S):
        action, body = form
        fields = dict(re.findall(r'<input type="(?:text|hidden)" [^>]*?name="([^"]+)" value="([^"]*)"', body))
        fields.update(re.findall(r'<textarea [^>]*?name="([^"]+)"[^>]*>(.*?)</textarea>', body, re.S))
        fields["category"] = re.search(r'<option value="([^"]+)"', body).group(1)
        if question_part in fields.get("question", ""):
            fields.pop("csrf_token")  # each client posts its own session's token
            return action, {k: html_module.unescape(v) for k, v in fields.items()}
    raise AssertionError(f"no draft asking {question_part}")


def test_signed_out_sees_nothing(console):
    client = console.client()
    assert client.get("/console/drafts").status_code == 302
    response = upload(client)
    assert response.status_code == 302 and "/console/login" in response.headers["Location"]
    assert drafting.uploads(console.data_dir) == []
    upload_id = drafting.save_upload(console.data_dir, "x.txt", REPORT, "editor")
    response = client.get(f"/console/drafts/{upload_id}")
    assert response.status_code == 302 and "定制公交" not in text_of(response)


def test_an_upload_shows_the_drafts_beside_their_source_lines(console):
    client = console.client("editor")
    page = text_of(client.get(uploaded(client)))
    assert "不在报告目录" in page  # the number check will need it: said before any draft is edited
    in_reports(console)
    assert "不在报告目录" not in text_of(client.get(uploaded(client)))
    assert "报告 <strong>report-009.txt</strong>" in page
    assert '<span class="no">7</span>我市开通城铁定制公交线路12条' in page
    assert '<span class="no">8</span>方便市民换乘。' in page
    action, fields = draft_form(page, "定制公交")
    assert "12" in fields["answer"] and fields["source_report"] == NAME
    assert fields["source_date"] == "2021-05-08"
    assert fields["category"] == "城铁出行"  # an editor is offered their categories only
    assert "养老救助" not in page


def test_pasted_text_needs_a_report_name(console):
    client = console.client("editor")
    refused = client.post("/console/drafts", {"name": "", "text": REPORT}, content_type="multipart/form-data",
                          follow_redirects=True)
    assert "请填写报告文件名" in text_of(refused)
    response = client.post("/console/drafts", {"name": NAME, "text": REPORT},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    assert "定制公交" in text_of(client.get(response.headers["Location"]))


def test_what_is_not_a_utf8_text_is_refused_in_chinese(console):
    client = console.client("editor")
    response = upload(client, text=REPORT.encode("gbk"), name="gbk.txt")
    assert response.headers["Location"] == "/console/drafts"
    html = text_of(client.get("/console/drafts"))
    assert "UTF-8" in html and drafting.uploads(console.data_dir) == []


def test_a_report_larger_than_a_webhook_push_is_accepted(console):
    client = console.client("editor")
    big = REPORT + "\n".join(f"第{i}段：株洲市继续推进各项工作。" for i in range(6000))
    assert len(big.encode()) > 64 * 1024
    assert "定制公交" in text_of(client.get(uploaded(client, text=big)))


def test_unknown_upload_is_404(console):
    assert console.client("editor").get("/console/drafts/999").status_code == 404


def test_an_editor_cannot_submit_into_another_category(console):
    client = console.client("editor")
    page = text_of(client.get(uploaded(client)))
    action, fields = draft_form(page, "定制公交")
    before = files_of(console)
    response = client.post(action, fields | {"category": "养老救助"})
    assert response.status_code == 403 and files_of(console) == before
    assert console.client("editor2").post(action, fields).status_code == 403


def test_missing_csrf_is_refused(console):
    client = console.client("editor")
    action, fields = draft_form(text_of(client.get(uploaded(client))), "定制公交")
    assert client.post(action, fields, csrf=False).status_code == 400


def test_a_draft_with_a_problem_is_shown_again_with_the_edits_and_the_messages(console):
    client = console.client("editor")
    action, fields = draft_form(text_of(client.get(uploaded(client))), "定制公交")
    response = client.post(action, fields | {"answer": "", "question": "城铁定制公交有几条（我改过）？"})
    assert response.status_code == 400
    html = text_of(response)
    assert "城铁定制公交有几条（我改过）？" in html  # the edits are kept
    assert 'class="errors"' in html


def test_a_draft_submitted_by_an_editor_waits_then_a_reviewer_publishes_it(console):
    in_reports(console)
    client = console.client("editor")
    list_url = uploaded(client)
    action, fields = draft_form(text_of(client.get(list_url)), "定制公交")
    fields |= {"question": "株洲开通了几条城铁定制公交？",
               "alternates": "城铁定制公交几条\n定制公交 城铁 换乘\n坐城铁换公交方便吗",
               "answer": "据2021年株洲市城铁服务报告，我市开通城铁定制公交线路12条，方便市民换乘。"}
    response = client.post(action, fields, follow_redirects=True)
    html = text_of(response)
    assert "已提交审核" in html and "已提交（修改记录 #" in html
    new_id = fields["id"]
    assert entry_on_disk(console, new_id) is None  # waits for review
    pending = [c for c in changes.pending(console.config) if c.entry_id == new_id]
    assert pending and pending[0].op == "new" and pending[0].author == "editor"
    reviewer = console.client("reviewer")
    from bot.staff import accounts
    changes.approve(console.config, pending[0].id, accounts.get_user(console.data_dir, "reviewer"))
    engine_of(console).reload()
    assert entry_on_disk(console, new_id).category == "城铁出行"
    assert engine_of(console).ask("株洲开通了几条城铁定制公交？").faq_id == new_id
    assert reviewer.get(list_url).status_code == 200
