"""Matching on the bundled FAQ: citizens' styles, out-of-scope questions, conversations.

These questions are our own, not copies of shared/eval: they check that each mechanism
(sounds, synonyms, numerals, kinds of ask, scope rules, follow-ups) does its job.
"""
import pytest

from bot.answer import matcher
from bot.answer.engine import Engine
from bot.config import PROJECT_ROOT, Config


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    data = tmp_path_factory.mktemp("data")
    return Engine(Config(faq_dir=PROJECT_ROOT / "faq_data", data_dir=data, public_base_url="https://bot.example.cn"))


def ask(engine, text):
    reply, _ = engine.respond(text)
    return reply


@pytest.mark.parametrize("question, faq_id", [
    ("城铁末班车几点", "ct2021-mobanche"),                  # plain
    ("成铁最后一班车几点到长沙", "ct2021-mobanche"),          # pinyin slip + synonym
    ("长着餐厅今年建几家", "ms2025-zhangzhe-canting"),       # pinyin slip
    ("那个城际铁路早上第一班车是几点钟。", "ct2021-shoubanche"),  # voice debris + synonyms
    ("老年食堂建多少个", "ms2025-zhangzhe-canting"),          # staff synonym
    ("残疾儿童康复救助多少人", "ms2025-canji-ertong-kangfu"),
])
def test_citizen_phrasings_reach_their_entry(engine, question, faq_id):
    reply = ask(engine, question)
    assert (reply.kind, reply.faq_id) == ("answer", faq_id), reply.candidates


def test_answer_carries_year_source_and_detail_link(engine):
    reply = ask(engine, "城铁末班车几点")
    assert "23时25分" in reply.text and "2021" in reply.text
    assert "（来源：" in reply.text and "详情：https://bot.example.cn/faq/ct2021-mobanche" in reply.text


@pytest.mark.parametrize("question", [
    "明天株洲天气怎么样",            # live information
    "今天城铁是不是停运了",
    "城铁票价多少钱",                # a detail the reports never give
    "电梯应急处置服务平台的电话是多少",
    "长者餐厅在哪个小区",
    "湘潭的长者餐厅有几家",           # another city
    "帮我查一下我的公积金",           # personal case
    "哪个医院看眼科最好",             # opinion
    "What's the weather like?",
    "1",
])
def test_out_of_scope_questions_are_not_answered(engine, question):
    assert ask(engine, question).kind in ("fallback", "rule")


def test_fallback_names_what_the_bot_can_answer(engine):
    reply = ask(engine, "株洲今年房价会不会跌")
    assert reply.kind == "fallback" and "帮助" in reply.text and "城铁" in reply.text


def test_keyword_rules_come_before_the_faq(engine):
    assert ask(engine, "帮助").kind == "rule"
    assert ask(engine, "谢谢").kind == "rule"
    assert ask(engine, "谢谢！").text == ask(engine, "谢谢").text  # punctuation and particles
    assert ask(engine, "你好啊").kind == "rule"
    assert ask(engine, "你好，城铁末班车几点").kind == "answer"  # exact rules need the whole message


def test_two_asks_in_one_question_get_both_answers(engine):
    reply = ask(engine, "城铁首班车和末班车分别是几点")
    assert reply.kind == "answer" and "6时" in reply.text and "23时25分" in reply.text


def test_clarification_then_a_number_picks_the_offer(engine):
    first, conversation = engine.respond("城铁几点")
    assert first.kind == "clarify" and "回复数字即可" in first.text
    second, _ = engine.respond("2", conversation)
    assert second.kind == "answer" and second.faq_id == conversation.offered[1]
    third, _ = engine.respond("第一个", conversation)
    assert third.faq_id == conversation.offered[0]


def test_follow_up_stays_in_the_topic(engine):
    first, conversation = engine.respond("城铁首班车几点")
    assert first.faq_id == "ct2021-shoubanche"
    second, _ = engine.respond("那末班车呢", conversation)
    assert second.kind == "answer" and second.faq_id == "ct2021-mobanche"


def test_steps_are_separately_usable(engine):
    query = matcher.understand(engine.index, "长着餐厅建几家")
    candidates = matcher.retrieve(engine.index, query)
    assert any(record.entry.id == "ms2025-zhangzhe-canting" for record, _ in candidates)
    ranked = matcher.rank(engine.index, query)
    assert ranked[0].entry.id == "ms2025-zhangzhe-canting" and 0 <= ranked[0].score <= 100
    assert matcher.choose(ranked, query).kind == "answer"
    assert matcher.choose([], query).kind == "fallback"


def test_a_bare_topic_gets_the_closest_entry_and_its_neighbours(engine):
    first, conversation = engine.respond("棚改")
    assert first.kind == "answer" and "您可能还想问：\n2. " in first.text
    second, _ = engine.respond("2", conversation)
    assert second.kind == "answer" and second.faq_id == conversation.offered[1] != first.faq_id


def test_a_year_the_reports_do_not_cover_is_not_answered_with_another_years_facts(engine):
    other = ask(engine, "2023年株洲十大民生实事有哪些")
    assert other.kind == "fallback" and "没有您问的那一年" in other.text
    assert "2025年株洲市十大重点民生实事是哪十件？" in other.text  # pointed to what it can answer
    assert ask(engine, "2025年株洲十大民生实事有哪些").faq_id == "ms2025-overview"
    # a year named only in the answer counts: the 2025 report was delivered on 2024-12-25
    assert ask(engine, "2024年12月25日的政府工作报告是谁作的").faq_id == "dt2025-zhengfu-gongzuo-baogao"


def test_generic_words_do_not_outweigh_the_thing_asked_about(engine):
    # "附近" and "不能" are shared with a parks phrasing ("家附近能不能多几个公园"); 消防站 is the topic
    assert ask(engine, "附近能不能建个消防站").faq_id == "ms2025-jiceng-xiaofangzhan"


def test_rain_as_the_time_of_a_problem_is_not_a_weather_question(engine):
    assert "实时信息" in ask(engine, "明天会下雨吗").text
    assert "实时信息" in ask(engine, "外面下雨了吗").text
    assert "实时信息" not in ask(engine, "一下雨天小区污水就往外冒").text


def test_slips_are_repaired_into_things_not_into_question_words(engine):
    assert "祭典" in matcher.understand(engine.index, "炎帝陵祭典什么时候办").text  # not 几点 (ji dian)
    assert "城铁" in matcher.understand(engine.index, "成铁几点有车").text


def test_a_count_is_not_answered_by_an_entry_without_one(engine):
    # the entry speaks of 国家级园区 creation, but counts none
    assert ask(engine, "株洲有几个国家级园区").kind == "fallback"
    assert ask(engine, "长者餐厅今年建几家").faq_id == "ms2025-zhangzhe-canting"


def test_a_subsidy_or_how_to_apply_is_not_answered_by_an_entry_silent_on_it(engine):
    assert ask(engine, "我们小区老房子想加装电梯有补贴吗").kind == "fallback"  # the entry counts lifts only
    assert ask(engine, "保障性住房怎么申请").kind == "fallback"
    # an entry that only says the report gives no procedure does not state it: the fallback says
    # so, and gives the related fact with its source
    reply = ask(engine, "残疾人无障碍改造怎么申请")
    assert reply.kind == "fallback" and "申请或办理办法" in reply.text and "300户" in reply.text


def test_the_citys_output_now_is_not_answered_with_a_target(engine):
    assert ask(engine, "株洲GDP多少").kind == "fallback"
    assert ask(engine, "株洲GDP五年后要到多少").faq_id == "jj-wunian-zhuyao-mubiao"


def test_a_story_before_the_question_weighs_less_than_the_question(engine):
    index = engine.index
    query = matcher.understand(index, "我家老人腿脚不好，每天做饭很辛苦，今年长者餐厅建几家？")
    matcher._prepare(index, query)
    assert query.core and "长者餐厅" in query.core
    story = [w for w in query.words if w not in query.core]
    asked = [w for w in query.words if w in query.core]
    assert story and asked
    def weight(word):  # a year weighs less as a word (matcher.YEAR_WEIGHT): the year gate checks it
        return index.word_weight(word) * (matcher.YEAR_WEIGHT if matcher._YEAR_NUMBER.match(word) else 1.0)

    for word in story:
        assert query.weights[word] == pytest.approx(matcher.STORY_WEIGHT * weight(word))
    for word in asked:
        assert query.weights[word] == pytest.approx(weight(word))
    assert any(matcher._YEAR_NUMBER.match(w) for w in query.words)  # 今年 is read as the latest year
    assert not matcher.understand(index, "今年长者餐厅建几家").core


def test_a_number_of_things_names_no_subject():
    from bot.answer.matcher import subject_words
    assert subject_words(["档案馆", "一本", "3个", "书籍"]) == ["档案馆", "书籍"]
