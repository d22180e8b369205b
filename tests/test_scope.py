"""bot/language/scope.py: each named row of RULES and DETAIL_RULES on its own, with a question
it matches and one it does not; what unanswerable() and choice_number() make of whole messages.

All questions here are written for these tests (none copied from the evaluation sets)."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from bot.language import scope
from bot.language.scope import DETAIL_RULES_BY_NAME, NOTES, REASONS, RULES, RULES_BY_NAME
from bot.language.textnorm import normalize

# name → (a question the row matches, a close question it does not)
ROW_EXAMPLES = {
    "opinion_which_is_best": ("株洲哪家医院看骨科最好", "株洲有几家三甲医院"),
    "opinion_recommend": ("推荐一下株洲的特色小吃", "株洲有哪些特色小吃"),
    "opinion_is_it_worth": ("方特乐园值不值得去", "方特乐园门票多少钱"),
    "live_today_status": ("今天城铁有没有晚点", "城铁晚点了怎么退票"),
    "live_weather_and_traffic": ("周末株洲气温多少度", "株洲去年的空气质量如何"),
    "live_this_week_events": ("这个周末神农城有什么活动", "神农城每年举办哪些活动"),
    "live_will_it_rain": ("下午会下雨吗", "下雨天小区门口积水怎么办"),
    "personal_do_it_for_me": ("帮我查一下社保缴了几年", "社保缴费年限怎么查"),
    "personal_my_records": ("我的公积金余额是多少", "公积金贷款额度是多少"),
    "personal_how_much_can_i_get": ("我能领多少养老金", "养老金今年涨了多少"),
    "personal_case_records": ("车子违章怎么处理", "车子年检在哪里办"),
    "personal_am_i_eligible": ("我妈能不能申请高龄补贴", "高龄补贴怎么申请"),
    "personal_where_can_i_go": ("我孩子能上哪所小学", "孩子上小学要准备什么材料"),
    "personal_entitlement_rules": ("失业了还能不能同时领失业金和低保", "失业保险金怎么申请"),
    "live_running_now": ("现在公交是不是停运了", "2021年城铁为什么停运"),
    "personal_effect_on_me": ("我医保停缴了半年，还能报销吗", "断缴社保会影响退休吗"),
    "chat_about_the_bot": ("你中午吃饭了没", "你好，老年食堂中午几点开饭"),
}


def test_every_row_has_examples():
    assert set(ROW_EXAMPLES) == set(RULES_BY_NAME)
    assert len(RULES_BY_NAME) == len(RULES)


def test_every_row_has_a_note_and_a_reason():
    for rule in RULES:
        assert rule.note in NOTES and rule.note in REASONS, rule.name


@pytest.mark.parametrize("name", list(RULES_BY_NAME))
def test_row_matches_its_example(name):
    assert RULES_BY_NAME[name].matches(normalize(ROW_EXAMPLES[name][0]))


@pytest.mark.parametrize("name", list(RULES_BY_NAME))
def test_row_does_not_match_its_counter_example(name):
    assert not RULES_BY_NAME[name].matches(normalize(ROW_EXAMPLES[name][1]))


@pytest.mark.parametrize("name", list(RULES_BY_NAME))
def test_a_question_matching_a_row_is_out_of_scope_for_its_note(name):
    reason, note = scope.unanswerable(ROW_EXAMPLES[name][0])
    assert note == RULES_BY_NAME[name].note
    assert reason == REASONS[note]


@pytest.mark.parametrize("name", list(RULES_BY_NAME))
def test_the_counter_examples_are_answerable(name):
    assert scope.unanswerable(ROW_EXAMPLES[name][1]) is None


def test_the_first_row_that_fires_decides():
    # opinion ("哪家……最好") comes before live ("今天……")
    assert scope.unanswerable("今天哪家店的米粉最好吃")[1] == "opinion"
    # live comes before personal ("帮我")
    assert scope.unanswerable("帮我看看明天天气")[1] == "live"


def test_tickets_left_tomorrow_are_live_data():
    assert scope.unanswerable("明天城铁还有没有票")[1] == "live"
    assert scope.unanswerable("城铁票在哪里买") is None


def test_a_relatives_money_this_month_is_a_personal_case():
    assert scope.unanswerable("我爸上个月的退休金怎么少了")[1] == "personal"
    assert scope.unanswerable("退休金今年涨了多少") is None


def test_a_phone_number_is_a_number_to_call():
    rule = DETAIL_RULES_BY_NAME["phone_number"]
    asked = normalize("服务中心的联系电话是多少")
    assert not rule.misses(asked, "咨询电话0731-22222222。")
    # a service named 热线办, or a count of five digits, is no number to call
    assert rule.misses(asked, "推行“一窗办”“热线办”。")
    assert rule.misses(asked, "免费放映公益电影12316场。")


def test_how_much_the_sender_gets_is_a_personal_case():
    assert scope.unanswerable("房子拆了我能分到几套安置房")[1] == "personal"
    assert scope.unanswerable("拆迁户一般能分到几套安置房") is None


def test_what_a_dated_forecast_said_is_no_live_data():
    # a forecast published on a date the reports tell of: what it said, not the weather now
    assert scope.unanswerable("气象台十二月三号发的预报说最低气温几度") is None
    assert scope.unanswerable("气象台发的预报说明天最低气温几度")[1] == "live"


def test_a_message_without_chinese():
    assert scope.unanswerable("hello???") == ("没有可识别的中文问题", "")


# name → (a question asking the detail, an entry text holding it, an entry text lacking it,
# a close question not asking it)
DETAIL_EXAMPLES = {
    "phone_number": ("市民服务热线电话是多少", "市民可拨打12345热线反映。", "市民服务中心提供一站式服务。",
                     "市民服务中心在哪里"),
    "train_number": ("早上第一趟城铁是什么车次", "首班车c6401次6:30发车。", "首班车6:30发车。", "城铁车次多不多"),
    "office_now": ("现在株洲的市长是谁", "现任市长为某某。", "时任市长为某某。", "2021年株洲市长是谁"),
    "person_named": ("市档案馆的馆长叫什么名字", "市档案馆馆长李某表示，", "据对市档案馆负责人的访谈，负责人表示，",
                     "市档案馆在哪个区"),
    "address": ("图书馆新馆的具体地址在哪里", "新馆位于神农大道88号。", "新馆位于天元区，沿城际铁路。",
                "图书馆新馆建成了吗"),
    "population": ("株洲常住人口有多少", "全市常住人口约 390 万人。", "全市人口持续增长。",
                   "株洲城镇化率是多少"),
    "on_a_list": ("保障房的名单里有没有我", "保障房分配名单已在网上公示。", "保障房分配工作已完成。",
                  "保障房怎么申请"),
    "money_amount": ("火化一次要好多钱", "基本殡葬服务免费。", "殡葬服务整体降费30%以上。", "殡葬改革省了多少钱"),
    "output_now": ("株洲gdp是多少", "全市gdp达到4000亿元。", "全市经济稳步增长。",
                   "株洲十四五gdp目标是多少"),
}


def _record(text: str):
    return SimpleNamespace(stated=text, question="")


def test_every_detail_row_has_examples():
    assert set(DETAIL_EXAMPLES) == set(DETAIL_RULES_BY_NAME)


@pytest.mark.parametrize("name", list(DETAIL_RULES_BY_NAME))
def test_detail_row_on_its_own(name):
    rule = DETAIL_RULES_BY_NAME[name]
    asked, holding, lacking, not_asked = DETAIL_EXAMPLES[name]
    assert rule.misses(normalize(asked), lacking)
    assert not rule.misses(normalize(asked), holding)
    assert not rule.misses(normalize(not_asked), lacking)


@pytest.mark.parametrize("name", list(DETAIL_RULES_BY_NAME))
def test_misses_asked_detail(name):
    asked, holding, lacking, not_asked = DETAIL_EXAMPLES[name]
    assert scope.misses_asked_detail(asked, _record(lacking))
    assert not scope.misses_asked_detail(asked, _record(holding))
    assert not scope.misses_asked_detail(not_asked, _record(lacking))


@pytest.mark.parametrize("text, count, number", [
    ("2", 3, 2), ("第二个", 3, 2), ("第三条吧", 3, 3), ("两", 2, 2), ("选1", 2, 1), ("第二项的", 3, 2),
    ("4", 3, None), ("第六个", 5, None), ("二号线", 3, None), ("第二个问题是什么", 3, None),
    ("第二项呢", 3, None),  # asks of the second item ("民生实事第一项是什么" before), picks nothing
])
def test_choice_number(text, count, number):
    assert scope.choice_number(text, count) == number


@pytest.mark.parametrize("question", ["株洲以后经济总量要做到多大", "今后几年gdp要达到多少", "将来生产总值能到多少",
                                      "五年内gdp要翻多少", "单位gdp能耗降了多少", "万元生产总值能耗是多少"])
def test_a_future_output_is_a_target_not_the_output_now(question):
    assert not DETAIL_RULES_BY_NAME["output_now"].asked.search(normalize(question))


@pytest.mark.parametrize("question", ["农村贫困人口还剩多少", "老年人口有多少", "流动人口有多少"])
def test_a_group_of_people_is_not_the_population(question):
    assert not DETAIL_RULES_BY_NAME["population"].asked.search(normalize(question))


@pytest.mark.parametrize("question", ["株洲人口有多少", "全市的人口多少", "炎陵县人口多少"])
def test_a_places_people_are_its_population(question):
    assert DETAIL_RULES_BY_NAME["population"].asked.search(normalize(question))


@pytest.mark.parametrize("text", ["你好呀，你是谁？", "您好！你叫什么名字", "hello 你是机器人吗"])
def test_a_greeting_then_a_question_about_the_bot_is_chat(text):
    assert scope.unanswerable(text) == (scope.REASONS["chat"], "chat")


def test_a_greeting_then_a_question_about_the_city_is_not_chat():
    assert scope.unanswerable("你好，请问市长是谁") is None


def test_a_story_of_help_then_a_question_of_the_city_is_no_personal_matter():
    # "帮我" in the story asks nothing of the sender's case; the question is of the city's plan
    assert scope.unanswerable("我想多陪陪老人，以后也有人帮我。市里今年计划建几家长者餐厅？") is None
    assert scope.unanswerable("我爸腿脚不好，帮我查一下他的养老金到账没有？")[1] == "personal"
