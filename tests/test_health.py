"""/healthz (public liveness) and /healthz/details (local or token), the security headers of
every response, and a server that starts and answers whatever state its FAQ_DIR is in."""
from __future__ import annotations

import time
import urllib.parse
import urllib.request

import pytest

from tests.helpers import TOKEN, WeChat, make_faq_dir, sign
from tests.test_server import get_json, start_server, stop

OUTSIDE = {"REMOTE_ADDR": "203.0.113.7"}


def _is_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


# ---------------------------------------------------------------- details: who may see them

def test_details_only_from_this_machine_without_a_token(plain_app, faq_dir):
    client = plain_app.test_client()
    assert client.get("/healthz", environ_base=OUTSIDE).get_json() == {"status": "ok"}
    refused = client.get("/healthz/details", environ_base=OUTSIDE)
    assert refused.status_code == 403 and _is_chinese(refused.get_json()["error"])
    local = client.get("/healthz/details")
    assert local.status_code == 200
    details = local.get_json()
    assert {"entries", "loaded_at", "index_built_at", "store_write_failures", "load_errors"} <= set(details)
    assert str(faq_dir) not in local.get_data(as_text=True) and "faq_dir" not in details  # no paths


def test_details_with_a_token_need_it_from_anywhere(make_app):
    client = make_app(health_token="s3cret").test_client()
    assert client.get("/healthz/details").status_code == 403  # local is not enough once a token is set
    assert client.get("/healthz/details", headers={"Authorization": "Bearer wrong"}).status_code == 403
    good = client.get("/healthz/details", environ_base=OUTSIDE, headers={"Authorization": "Bearer s3cret"})
    assert good.status_code == 200 and good.get_json()["entries"] == 3


# ---------------------------------------------------------------- headers

@pytest.mark.parametrize("path", ["/healthz", "/api/ask?q=城铁末班车几点", "/faq/ct-mobanche", "/faq/nope",
                                  "/wechat", "/no-such-page"])
def test_every_response_has_the_security_headers(plain_app, path):
    response = plain_app.test_client().get(path)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp


# ---------------------------------------------------------------- a FAQ_DIR that cannot be served

def _empty(path):
    path.mkdir()


def _missing(path):
    pass


def _all_broken(path):
    path.mkdir()
    (path / "chengtie.yaml").write_text("category: 城铁出行\nentries: [\n  - id: x\n", encoding="utf-8")
    (path / "yanglao.yaml").write_text("category 养老\n  entries:\n\t- 1\n", encoding="utf-8")


def _userdict_not_utf8(path):
    make_faq_dir(path)
    (path / "userdict.txt").write_bytes("株洲南站\n长株潭城铁\n".encode("gbk"))


BROKEN_FAQS = {"empty": _empty, "missing": _missing, "all_broken": _all_broken, "userdict_gbk": _userdict_not_utf8}


def _push_text(base: str, text: str) -> bytes:
    """A signed plaintext push over real HTTP; the reply body."""
    wx = WeChat(None, TOKEN)
    url, body = wx.request(wx.fields("text", Content=text))
    request = urllib.request.Request(base + url, data=body, headers={"Content-Type": "text/xml"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200
        return response.read()


@pytest.mark.slow
@pytest.mark.parametrize("kind", sorted(BROKEN_FAQS))
def test_server_starts_answers_and_reports_a_broken_faq_dir(tmp_path, kind):
    faq_dir = tmp_path / "faq"
    BROKEN_FAQS[kind](faq_dir)
    base, proc = start_server(faq_dir, tmp_path / "data")
    try:
        status, health = get_json(base + "/healthz")
        assert status == 503 and health["status"] == "error"
        assert health["problems"] and all(_is_chinese(p) for p in health["problems"])
        assert str(tmp_path) not in " ".join(health["problems"])
        if kind == "userdict_gbk":
            assert any("userdict.txt" in p and "UTF-8" in p for p in health["problems"])
            assert get_json(base + "/api/ask?q=" + urllib.parse.quote("城铁末班车几点"))[1]["kind"] == "answer"
        else:
            status, reply = get_json(base + "/api/ask?q=" + urllib.parse.quote("城铁末班车几点"))
            assert status == 200 and reply["kind"] == "fallback" and reply["reply"]
        assert "<Content>" in _push_text(base, "城铁末班车几点").decode()  # citizens get a reply, not silence
    finally:
        stop(proc)
    output = proc.stdout.read()
    assert "Traceback" not in output, output


@pytest.mark.slow
@pytest.mark.parametrize("breakage", ["removed", "userdict_gbk", "emptied"])
def test_live_reload_reports_in_healthz_once_not_a_traceback_every_poll(tmp_path, breakage):
    faq_dir = make_faq_dir(tmp_path / "faq")
    base, proc = start_server(faq_dir, tmp_path / "data", FAQ_RELOAD_INTERVAL="0.3")
    try:
        assert get_json(base + "/healthz") == (200, {"status": "ok"})
        if breakage == "removed":
            faq_dir.rename(tmp_path / "faq-moved")
        elif breakage == "userdict_gbk":
            (faq_dir / "userdict.txt").write_bytes("株洲南站\n".encode("gbk"))
        else:
            for path in faq_dir.iterdir():
                path.unlink()
        deadline = time.monotonic() + 10
        while (status := get_json(base + "/healthz"))[0] == 200:
            assert time.monotonic() < deadline, "the broken FAQ_DIR is not reported"
            time.sleep(0.2)
        assert status[0] == 503 and all(_is_chinese(p) for p in status[1]["problems"])
        time.sleep(1.5)  # five more polls: the same problem is not logged again
        _, reply = get_json(base + "/api/ask?q=" + urllib.parse.quote("城铁末班车几点"))
        # the previous version keeps serving a broken edit; an emptied folder is served as it is
        assert reply["kind"] == ("fallback" if breakage == "emptied" else "answer")
    finally:
        stop(proc)
    output = proc.stdout.read()
    assert "Traceback" not in output, output
    assert output.count("FAQ 修改有错误") == (0 if breakage == "emptied" else 1), output


def test_verification_url_printed_at_start_is_fresh():
    from server import sample_commands
    verify = sample_commands("http://h", TOKEN)[1]
    query = dict(urllib.parse.parse_qsl(verify.split("?", 1)[1].rstrip("'")))
    assert abs(int(query["timestamp"]) - time.time()) < 5
    assert query["signature"] == sign(TOKEN, query["timestamp"], query["nonce"])
