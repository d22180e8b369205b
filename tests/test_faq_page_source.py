"""The detail page /faq/<id> names the report a citizen can look up (title and date), never the
internal file name it was read from."""
from __future__ import annotations


def test_faq_page_shows_report_title_and_date_not_file(plain_app):
    html = plain_app.test_client().get("/faq/ct-mobanche").get_data(as_text=True)
    assert "株洲日报：城铁启用新运行图（2021年5月8日）" in html
    assert "report-004.txt" not in html and ".txt" not in html
