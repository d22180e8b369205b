"""`faq reload` tells staff what changed since the version running servers were given, also
when `faq check` ran in between (it builds the index of the edited files, for speed)."""
from __future__ import annotations

import stat

import pytest

from bot.cli import main
from bot.search.cache import open_or_build
from tests.test_staff_cli import env, make_faq  # noqa: F401  (the fixture and its FAQ)


def _edit(faq_dir):
    path = faq_dir / "yanglao.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("长者餐厅40家", "长者餐厅40家（新）"), encoding="utf-8")


@pytest.mark.slow
def test_reload_after_check_reports_the_edit(env, capsys):  # noqa: F811
    faq_dir, data_dir = env
    assert main(["faq", "reload", "--no-examples"]) == 0
    _edit(faq_dir)
    assert main(["faq", "check"]) == 0
    capsys.readouterr()
    assert main(["faq", "reload", "--no-examples"]) == 0
    out = capsys.readouterr().out
    assert "FAQ 内容与现有索引相同" in out  # faq check built it already …
    assert "条目内容没有变化" not in out and "修改 1 条" in out and "ms-zhangzhe-canting" in out  # … yet it is news
    published = data_dir / "index" / "published.json"
    assert stat.S_IMODE(published.stat().st_mode) == 0o600
    assert main(["faq", "reload", "--no-examples"]) == 0
    assert "条目内容没有变化" in capsys.readouterr().out  # published now: a second reload has nothing new


@pytest.mark.slow
def test_first_reload_compares_with_the_index_servers_built(env, capsys):  # noqa: F811
    faq_dir, data_dir = env
    open_or_build(faq_dir, data_dir / "index").close()  # a server started on the old files
    _edit(faq_dir)
    assert main(["faq", "check"]) == 0
    capsys.readouterr()
    assert main(["faq", "reload", "--no-examples"]) == 0
    assert "修改 1 条" in capsys.readouterr().out
