"""The citizen-service settings staff write in faq_data/: hot questions pinned and hidden
(`hot.yaml`), the rating levels and the 转人工 contact text (`keywords.yaml`'s `rating_levels`
and `human`).

They load into `faq.service` (a plain dict, kept in the index payload):
  hot_pin: [ids]       shown first in 热点问题, in this order
  hot_hide: [ids]      never shown in 热点问题
  rating_levels: 2|5   满意/不满意, or 非常满意 … 非常不满意
"""
from __future__ import annotations

from pathlib import Path

from bot.content.model import Faq, Problem
from bot.content.yamlread import line_of, str_list

HOT_FIELDS = {"pin": "hot_pin", "hide": "hot_hide"}
RATING_LEVELS = (2, 5)
# The mark a placeholder carries until staff write the real contact text: it is never sent.
PLACEHOLDER = "待填写"


def load_hot(path: Path, data, faq: Faq, problems: list[Problem]) -> None:
    """hot.yaml's parsed document (`pin:` and `hide:` lists of entry ids) into faq.service."""
    if data is None:
        return
    if not isinstance(data, dict):
        problems.append(Problem(path.name, 1,
                                "hot.yaml 应包含 pin（置顶的条目 id 列表）和 hide（不显示的条目 id 列表）"))
        return
    for key, value in data.items():
        if key not in HOT_FIELDS:
            problems.append(Problem(path.name, line_of(data, key), f"未知字段“{key}”（可用：pin、hide）"))
            continue
        ids = str_list(value)
        if ids is None:
            problems.append(Problem(path.name, line_of(data, key), f"“{key}”应为条目 id 的列表，如 [ct2021-mobanche]"))
            continue
        faq.service[HOT_FIELDS[key]] = ids
        faq.service[HOT_FIELDS[key] + "_line"] = line_of(data, key)


def check_hot_ids(faq: Faq) -> None:
    """Every pinned or hidden id must name an entry (run once all files are read)."""
    known = {e.id for e in faq.entries}
    for field in HOT_FIELDS.values():
        line = faq.service.pop(field + "_line", None)
        for faq_id in faq.service.get(field, []):
            if faq_id not in known:
                faq.problems.append(Problem("hot.yaml", line,
                                            f"条目 id“{faq_id}”不存在：请核对拼写（用 faq export 查看全部 id）"))


def load_service_keys(file: str, data: dict, faq: Faq, problems: list[Problem]) -> None:
    """keywords.yaml's `rating_levels` and the warning for a 转人工 text staff have not written."""
    if "rating_levels" in data:
        levels = data["rating_levels"]
        if levels not in RATING_LEVELS:
            problems.append(Problem(file, line_of(data, "rating_levels"),
                                    "rating_levels 只能是 2（满意/不满意）或 5"
                                    "（非常满意、满意、基本满意、不满意、非常不满意）"))
        else:
            faq.service["rating_levels"] = levels
    human = data.get("human")
    if isinstance(human, str) and PLACEHOLDER in human:
        problems.append(Problem(file, line_of(data, "human"),
                                f"human 还是占位文字（含“{PLACEHOLDER}”）：请写上负责部门、政务服务便民热线及服务时间"
                                "（以官方公布为准，不要凭记忆写）；在此之前市民转人工时只收到“请联系相关部门”的默认文字",
                                level="warning"))
