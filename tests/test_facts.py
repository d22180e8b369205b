"""bot/language/facts.py: each named row of ASK_RULES and ANSWER_RULES on its own, with a text
it matches and one it does not, and the kinds a whole question or answer gets.

All texts here are written for these tests (none copied from the evaluation sets)."""
from __future__ import annotations

import pytest

from bot.language.facts import (
    ANSWER_RULES,
    ASK_RULES,
    RULES_BY_NAME,
    asked_and_cited_years,
    entry_years,
    fact_types_asked,
    fact_types_given,
    fact_years,
    years,
)
from bot.language.textnorm import normalize

# name → (a text the row matches, a text it does not). Questions are given as a citizen types
# them and normalised, as the matcher does; answers are read as the FAQ writes them.
ROW_EXAMPLES = {
    # what a question asks
    "quantity_how_many": ("神农公园一年接待多少游客", "神农公园的游客多吗"),
    "quantity_how_many_units": ("河西有几家菜市场", "河西的菜市场几点开门"),
    "quantity_size": ("湘江风光带有多长", "湘江风光带在哪里"),
    "quantity_share": ("城区绿化覆盖率是多少", "城区绿化搞得怎么样"),
    "time_clock_or_date": ("市图书馆几点开门", "市图书馆周一开门吗"),
    "time_when": ("新火车站什么时候建好", "新火车站建好了吗"),
    "time_how_long": ("补办身份证要多久", "补办身份证要带什么"),
    "list_which": ("今年有哪些民生实事", "今年的民生实事办了多少件"),
    "list_what_there_is": ("社区食堂有什么菜", "社区食堂几点开饭"),
    "list_parts": ("老旧小区改造包括加装电梯吗", "老旧小区改造进展如何"),
    "place_where": ("社保卡在哪办理", "社保卡怎么办理"),
    "place_which_station": ("城铁在哪个站换乘", "城铁换乘方便吗"),
    "place_location": ("献血屋的位置", "献血屋周末开放吗"),
    "definition_what_is": ("一江两岸是什么", "一江两岸建得怎么样"),
    "definition_meaning": ("智慧停车啥意思", "智慧停车收费吗"),
    "definition_what_for": ("城市大脑是干嘛的", "城市大脑建成了没有"),
    "quantity_total": ("驻村工作队 总数", "驻村工作队 职责"),
    "title_of_a_work": ("图书馆今年要出一本什么书", "图书馆今年要出几本书"),
    "yesno_particle": ("城铁到长沙吗", "城铁到不到长沙"),
    "yesno_a_not_a": ("城铁有没有学生票", "城铁学生票多少钱"),
    "yesno_trailing_negation": ("城铁开通到醴陵了没", "城铁没有学生票的话怎么办"),
    # what an answer holds
    "holds_figure": ("全市新建公办幼儿园12所。", "全市新建了一批公办幼儿园。"),
    "holds_clock_time": ("末班车22:30从株洲站发车。", "末班车发车时间以车站公告为准。"),
    "holds_date": ("新规于5月1日起施行。", "新规于今年五月起施行。"),
    "holds_enumeration": ("试点包括芦淞、荷塘、石峰三个城区。", "试点包括芦淞和荷塘两个城区。"),
    "holds_semicolon_list": ("一是扩容；二是提质；三是增效。", "一是扩容，二是提质。"),
    "holds_definition": ("城市更新即对老城区的成片改造。", "城市更新项目今年启动。"),
    "holds_place_word": ("服务中心位于市民中心二楼。", "服务中心周末照常开放。"),
    "holds_title": ("市图书馆编印《株洲老街》一书。", "市图书馆编印一本老街图册。"),
}
_ASK_NAMES = {rule.name for rule in ASK_RULES}


def _as_read(name: str, text: str) -> str:
    return normalize(text) if name in _ASK_NAMES else text


def test_every_row_has_examples():
    assert set(ROW_EXAMPLES) == set(RULES_BY_NAME)
    assert len(RULES_BY_NAME) == len(ASK_RULES) + len(ANSWER_RULES)


@pytest.mark.parametrize("name", list(RULES_BY_NAME))
def test_row_matches_its_example(name):
    assert RULES_BY_NAME[name].matches(_as_read(name, ROW_EXAMPLES[name][0]))


@pytest.mark.parametrize("name", list(RULES_BY_NAME))
def test_row_does_not_match_its_counter_example(name):
    assert not RULES_BY_NAME[name].matches(_as_read(name, ROW_EXAMPLES[name][1]))


@pytest.mark.parametrize("name", [rule.name for rule in ASK_RULES])
def test_a_question_matching_a_row_gets_its_kind(name):
    rule = RULES_BY_NAME[name]
    assert rule.kind in fact_types_asked(normalize(ROW_EXAMPLES[name][0]))


@pytest.mark.parametrize("name", [rule.name for rule in ANSWER_RULES])
def test_an_answer_matching_a_row_gets_its_kind(name):
    rule = RULES_BY_NAME[name]
    assert rule.kind in fact_types_given(ROW_EXAMPLES[name][0])


@pytest.mark.parametrize("text, kinds", [
    ("株洲今年新增了多少个就业岗位", {"quantity"}),
    ("城铁末班车几点", {"time"}),
    ("市民中心在哪里", {"place"}),
    ("有哪些公园免费开放", {"list"}),
    ("城市书房是什么", {"definition"}),
    ("长者食堂能不能刷医保卡", {"yesno"}),
    ("城铁学生票有什么优惠吗", {"list", "yesno"}),
    ("株洲 城铁 票价", set()),
])
def test_ask_kinds_of_whole_questions(text, kinds):
    assert fact_types_asked(normalize(text)) == kinds


def test_fact_types_of_a_whole_answer():
    answer = "全市建成社区食堂120家，分布在芦淞、荷塘、石峰等区，每天11时开餐。"
    assert fact_types_given(answer) == {"quantity", "list", "time", "place"}
    assert fact_types_given("详见有关部门的通知。") == frozenset()


def test_years():
    assert years("2021年和2025年的民生实事") == {"2021", "2025"}
    assert years("12345热线和1949") == frozenset()


@pytest.mark.parametrize("text, source_date, expected", [
    pytest.param("2020年株洲完工老旧小区改造项目205个。另有2021年5月株洲日报关于2020年开工数的报道。", "2020-12-01",
                 {"2020"}, id="another-reports-date-is-no-fact-year"),
    pytest.param("据株洲日报2025年1月报道，时光钟表行再次认捐1万元爱心年货。", "2025-01-20", {"2025"},
                 id="its-own-reports-date-is-its-news-year"),
    pytest.param("2021年计划改造169个老旧小区。", "2021-05-06", {"2021"}, id="a-plain-year"),
])
def test_fact_years(text, source_date, expected):
    assert fact_years(text, source_date) == frozenset(expected)


def test_the_years_an_entry_speaks_of():
    source = {"report": "r.txt", "title": "市科技局负责人访谈", "date": "2021-01-01"}
    answer = "据2021年初株洲日报对市科技局负责人的访谈，2020年全市科技企业总数突破500家。"
    # phrasings that name 2020: the interview's date is no fact of the entry
    assert entry_years("2020年株洲有多少家科技企业？", answer, source) == {"2020"}
    # phrasings that name no year: its own report's date may be its news's year
    assert entry_years("株洲有多少家科技企业？", answer, source) == {"2020", "2021"}


@pytest.mark.parametrize("text, asked, cited", [
    ("根据2021年党代会报告，到哪一年建成", set(), {"2021"}),
    ("2025年政府工作报告提出2025年建几家", {"2025"}, {"2025"}),
    ("据2021年5月株洲日报报道，2020年完工多少", {"2020"}, {"2021"}),
    ("2020年完工多少个", {"2020"}, set()),
])
def test_the_year_of_a_cited_report_is_not_a_year_asked(text, asked, cited):
    assert asked_and_cited_years(text) == (frozenset(asked), frozenset(cited))


def test_a_five_year_plan_in_the_answer_is_of_its_last_year():
    source = {"report": "r.txt", "title": "市卫健委负责人谈“十四五”健康株洲建设", "date": "2021-01-01"}
    answer = "据2021年初株洲日报对市卫健委负责人的访谈，“十三五”期间株洲连续十次荣获“全国无偿献血先进市”称号。"
    # "截至2020年连续多少次" is answered; the article's title, on the next plan, states no fact of 2025
    assert entry_years("株洲是全国无偿献血先进市吗？", answer, source) == {"2020", "2021"}
