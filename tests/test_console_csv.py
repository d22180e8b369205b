"""表格导入导出 /console/csv over the Flask test client: the CSV of `faq export --csv` downloaded;
an upload checked first (Chinese errors with their row, nothing written) and imported only when
confirmed, by 审核 or 管理员; an editor can download but not import."""
from __future__ import annotations

import csv
import io

from bot.content.faq import load_faq
from bot.staff import csvio
from tests.console_work_helpers import engine_of, entry_on_disk, files_of, text_of


def upload(data: bytes, name: str = "faq.csv") -> dict:
    return {"csv": (io.BytesIO(data), name)}


def exported(client) -> bytes:
    response = client.get("/console/csv/faq.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return response.data


def edited(data: bytes, faq_id: str, column: str, value: str) -> bytes:
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    next(r for r in rows if r["id"] == faq_id)[column] = value
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=csvio.COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def post_file(client, path, data: bytes, **kwargs):
    return client.post(path, upload(data), content_type="multipart/form-data", **kwargs)


def test_signed_out_sees_nothing(console):
    client = console.client()
    for response in (client.get("/console/csv"), client.get("/console/csv/faq.csv"),
                     client.post("/console/csv/check"), client.post("/console/csv/import", {"token": "0" * 32})):
        assert response.status_code == 302 and "/console/login" in response.headers["Location"]


def test_the_download_is_what_the_cli_exports(console, tmp_path):
    data = exported(console.client("editor"))
    csvio.export_csv(load_faq(console.faq_dir), tmp_path / "cli.csv")
    assert data == (tmp_path / "cli.csv").read_bytes() and data.startswith(b"\xef\xbb\xbf")
    assert "ct-mobanche" in data.decode("utf-8-sig")


def test_uploading_needs_the_csrf_token(console):
    client = console.client("reviewer")
    data = edited(exported(client), "ct-mobanche", "answer", "x")
    response = client.post("/console/csv/check", {**upload(data), "csrf_token": ""},
                           content_type="multipart/form-data")
    assert response.status_code == 400


def test_an_editor_can_download_but_not_import(console):
    client = console.client("editor")
    data = edited(exported(client), "ct-mobanche", "question", "城铁最后一班几点？")
    page = text_of(client.get("/console/csv"))
    assert "下载 faq.csv" in page and "只有审核人和管理员可以导入" in page and 'name="csv"' not in page
    before = files_of(console)
    assert post_file(client, "/console/csv/check", data).status_code == 403
    assert client.post("/console/csv/import", {"token": "0" * 32}).status_code == 403
    assert files_of(console) == before


def test_an_unchanged_export_reimported_changes_nothing(console):
    client = console.client("reviewer")
    before = files_of(console)
    html = text_of(post_file(client, "/console/csv/check", exported(client)))
    assert "检查通过（未写入）" in html and "新增 0 条，修改 0 条，删除 0 条" in html
    assert "没有需要导入的改动" in html and 'name="token"' not in html
    assert files_of(console) == before
    assert not list((console.data_dir / "csv_imports").glob("*.csv"))  # not kept


def test_a_csv_with_an_error_is_refused_with_its_row(console):
    client = console.client("reviewer")
    before = files_of(console)
    data = edited(exported(client), "ct-shoubanche", "id", "Chengtie 3")
    response = post_file(client, "/console/csv/check", data)
    html = text_of(response)
    assert response.status_code == 422
    assert "第3行 [Chengtie 3]：id 只能使用小写字母、数字和连字符" in html
    assert "FAQ 文件没有任何改动" in html and 'name="token"' not in html
    assert files_of(console) == before


def test_a_checked_csv_is_imported_when_confirmed(console):
    client = console.client("admin")
    data = edited(exported(client), "ct-mobanche", "question", "城铁最后一班车几点开？")
    html = text_of(post_file(client, "/console/csv/check", data))
    assert "修改 1 条" in html and "修改：ct-mobanche" in html and "将改写文件：chengtie.yaml" in html
    assert entry_on_disk(console, "ct-mobanche").question == "长株潭城铁末班车是几点？"  # only checked
    token = html.split('name="token" value="')[1].split('"')[0]
    done = text_of(client.post("/console/csv/import", {"token": token}, follow_redirects=True))
    assert "已导入" in done and "修改 1 条" in done
    assert entry_on_disk(console, "ct-mobanche").question == "城铁最后一班车几点开？"
    assert engine_of(console).index.entry("ct-mobanche").question == "城铁最后一班车几点开？"  # reloaded
    assert client.post("/console/csv/import", {"token": token}).status_code == 404  # once only
    html = text_of(post_file(client, "/console/csv/check", exported(client)))
    assert "新增 0 条，修改 0 条，删除 0 条" in html  # the round trip is stable


def test_a_too_large_file_is_refused(console):
    client = console.client("reviewer")
    html = text_of(post_file(client, "/console/csv/check", b"a" * 5_000_001, follow_redirects=True))
    assert "文件太大：最大 5 MB" in html
    assert not list((console.data_dir / "csv_imports").glob("*.csv"))
