"""/api/ask?user=… lives in its own namespace (issue 12, item 11): it can neither read nor
overwrite a WeChat citizen's conversation, and its traffic is labelled in the log and left out
of `python -m bot report` unless asked for with --include-api."""
from __future__ import annotations

import json

from bot.cli import main


def _api(app, question: str, user: str) -> dict:
    return app.test_client().get("/api/ask", query_string={"q": question, "user": user}).get_json()


def test_api_user_named_like_a_citizen_cannot_read_or_overwrite_the_conversation(plain, plain_app):
    engine = plain_app.extensions["engine"]
    citizen = engine.hash_user(plain.openid)
    plain.send("text", Content="城铁末班车几点")
    assert engine.store.load_state(citizen).last_id == "ct-mobanche"
    # The follow-up "首班车呢" would be read against the citizen's conversation if the API shared it.
    follow_up = _api(plain_app, "株洲有多少个老年食堂", plain.openid)
    assert follow_up["faq_id"] == "yl-canteen"
    assert engine.store.load_state(citizen).last_id == "ct-mobanche"  # untouched
    _, reply = plain.send("text", Content="首班车呢")
    assert "6时" in reply["Content"]  # the citizen's own context (城铁) still holds


def test_the_same_api_user_keeps_its_own_conversation(plain_app):
    engine = plain_app.extensions["engine"]
    _api(plain_app, "城铁末班车几点", "tester")
    assert engine.store.load_state(engine.user_key("tester", "api")).last_id == "ct-mobanche"
    assert engine.user_key("tester", "api") != engine.hash_user("tester")


def test_api_traffic_is_labelled_and_left_out_of_the_report(plain, plain_app, base_config, monkeypatch, capsys):
    plain.send("text", Content="城铁末班车几点")
    for _ in range(3):
        _api(plain_app, "城铁首班车几点", "tester")
    engine = plain_app.extensions["engine"]
    rows = engine.store.messages()
    assert sorted(r["channel"] for r in rows) == ["api", "api", "api", "wechat"]
    engine.store.close()
    monkeypatch.setenv("FAQ_DIR", str(base_config.faq_dir))
    monkeypatch.setenv("DATA_DIR", str(base_config.data_dir))
    assert main(["report", "--json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["messages"] == 1 and "--include-api" in captured.err
    assert main(["report", "--json", "--include-api"]) == 0
    assert json.loads(capsys.readouterr().out)["messages"] == 4
