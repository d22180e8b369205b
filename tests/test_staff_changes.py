"""bot/staff/changes.py and editing.py without the web layer: proposals checked as
`faq check` checks, review, publish into real YAML files, history, rollback."""
from __future__ import annotations

import pytest

from bot.config import Config
from bot.content.faq import load_faq
from bot.staff import accounts, changes, editing
from tests.console_helpers import make_site_dirs


@pytest.fixture
def site(tmp_path):
    faq_dir, reports_dir, data_dir = make_site_dirs(tmp_path)
    config = Config(faq_dir=faq_dir, data_dir=data_dir, reports_dir=reports_dir)
    who = {name: accounts.get_user(data_dir, name) for name in ("editor", "editor2", "reviewer", "admin")}
    return config, who


def values(config, entry_id="ct-mobanche", file="chengtie.yaml"):
    return editing.entry_values(config.faq_dir, file, entry_id)


def proposal(config, **fields):
    old = values(config)
    return changes.Proposal("edit", "chengtie.yaml", "ct-mobanche", old | fields, editing.digest(old))


def test_an_editors_change_waits_and_touches_no_file(site):
    config, who = site
    before = (config.faq_dir / "chengtie.yaml").read_bytes()
    change = changes.propose(config, proposal(config, answer="末班车终到长沙为23时25分。"), who["editor"])
    assert change.status == "pending" and change.author == "editor" and "-    answer:" in change.diff
    assert (config.faq_dir / "chengtie.yaml").read_bytes() == before
    assert [c.id for c in changes.pending(config)] == [change.id]
    with pytest.raises(changes.ChangeRefused, match="只有审核"):
        changes.approve(config, change.id, who["editor"])
    published = changes.approve(config, change.id, who["reviewer"])
    assert published.status == "published" and published.reviewer == "reviewer"
    assert values(config)["answer"] == "末班车终到长沙为23时25分。"
    assert load_faq(config.faq_dir, config.reports_dir).errors == []
    with pytest.raises(changes.ChangeRefused, match="已发布"):
        changes.approve(config, change.id, who["reviewer"])


def test_a_change_refused_by_the_checks_is_not_stored(site):
    config, who = site
    with pytest.raises(changes.ChangeRefused) as refused:
        changes.propose(config, proposal(config, answer="末班车终到长沙为23时55分。"), who["admin"])
    assert refused.value.problems == [("answer", "answer 中的数字“55”在报告 report-004.txt 中找不到，请核对原文",
                                       "error")]
    assert changes.pending(config) == [] and changes.history(config) == []


def test_the_number_check_is_the_one_of_faq_check(site):
    """A number in the report but far from the entry's subject is refused as `faq check` refuses it."""
    config, who = site
    with pytest.raises(changes.ChangeRefused) as refused:
        changes.propose(config, proposal(config, answer="末班车终到长沙为23时25分，老年食堂120个。"), who["admin"])
    [(field, message, _)] = refused.value.problems
    assert field == "answer" and "数字“120”在报告 report-004.txt 中找不到" in message


def test_editors_are_held_to_their_categories(site):
    config, who = site
    old = values(config, "yl-canteen", "yanglao.yaml")
    other = changes.Proposal("edit", "yanglao.yaml", "yl-canteen", old, editing.digest(old))
    with pytest.raises(changes.ChangeRefused, match="只能修改自己负责的分类（城铁出行）"):
        changes.propose(config, other, who["editor"])
    assert changes.propose(config, other, who["editor2"]).status == "pending"


def test_a_pending_change_whose_entry_changed_meanwhile_is_not_published(site):
    config, who = site
    first = changes.propose(config, proposal(config, answer="末班车终到长沙为23时25分。"), who["editor"])
    changes.propose(config, proposal(config, answer="末班车终到长沙为23时25分。以12306为准。"), who["reviewer"])
    with pytest.raises(changes.ChangeRefused, match="有人修改了它") as refused:
        changes.approve(config, first.id, who["reviewer"])
    assert "以12306为准" in refused.value.diff
    assert changes.get(config, first.id).status == "pending"


def test_reject_and_its_reason(site):
    config, who = site
    change = changes.propose(config, proposal(config, answer="末班车终到长沙为23时25分。"), who["editor"])
    with pytest.raises(changes.ChangeRefused, match="原因"):
        changes.reject(config, change.id, who["reviewer"], " ")
    rejected = changes.reject(config, change.id, who["reviewer"], "数字请保留原文")
    assert (rejected.status, rejected.reason, rejected.reviewer) == ("rejected", "数字请保留原文", "reviewer")
    assert changes.of_author(config, "editor")[0].reason == "数字请保留原文"


def test_history_and_rollback_of_edit_new_and_delete(site):
    config, who = site
    original = (config.faq_dir / "chengtie.yaml").read_text(encoding="utf-8")
    edit = changes.propose(config, proposal(config, alternates=["城铁最晚一班几点"]), who["admin"])
    new = changes.new_entry(config, "chengtie.yaml", {
        "id": "ct-piaojia", "question": "城铁票价在哪里查？", "answer": "请在铁路12306查询。",
        "source": {"report": "report-004.txt", "title": "株洲日报：城铁启用新运行图", "date": "2021-05-08"}},
        who["admin"])
    phrasing = changes.add_phrasing(config, "ct-shoubanche", "城铁头班车几点", who["admin"])
    assert [c.id for c in changes.history(config)] == [phrasing.id, new.id, edit.id]
    assert [c.id for c in changes.history(config, "ct-shoubanche")] == [phrasing.id]
    assert values(config, "ct-shoubanche")["alternates"][-1] == "城铁头班车几点"
    for change in (phrasing, new, edit):
        undone = changes.rollback(config, change.id, who["admin"])
        assert undone.status == "published" and undone.rollback_of == change.id
    assert (config.faq_dir / "chengtie.yaml").read_text(encoding="utf-8") == original


def test_add_phrasing_refuses_one_it_has(site):
    config, who = site
    with pytest.raises(changes.ChangeRefused, match="已有这个说法"):
        changes.add_phrasing(config, "ct-mobanche", "城铁收车时间", who["admin"])
    with pytest.raises(changes.ChangeRefused, match="不存在"):
        changes.add_phrasing(config, "no-such", "x", who["admin"])


def test_direct_publish_lets_an_editor_publish_in_its_categories(site):
    config, who = site
    config = config.replace(console_direct_publish=True)
    change = changes.propose(config, proposal(config, answer="末班车终到长沙为23时25分。"), who["editor"])
    assert change.status == "published" and change.reviewer == "editor"


def test_a_new_topic_file(site):
    config, who = site
    change = changes.new_entry(config, "zhufang.yaml", {
        "category": "住房改造", "id": "zf-test", "question": "老旧小区改造怎么申请？", "answer": "请咨询所在社区。",
        "source": {"report": "report-001.txt", "title": "政府工作报告", "date": "2024-12-25"}}, who["admin"])
    assert change.status == "published"
    assert (config.faq_dir / "zhufang.yaml").read_text(encoding="utf-8").startswith("category: 住房改造\nentries:\n")
    with pytest.raises(changes.ChangeRefused, match="主题文件名"):
        changes.new_entry(config, "../x.yaml", {"id": "a"}, who["admin"])
