"""Normalisation: the question and the FAQ must meet in the same form."""
import pytest

from bot.answer.compose import REPLY_MAX_BYTES, fit
from bot.language.features import sound_string
from bot.language.textnorm import Normalizer, normalize, strip_fillers, strip_particles, without_closing


@pytest.mark.parametrize("raw, expected", [
    ("ＡＢＣ１２３？", "abc123"),                      # full width, case, punctuation
    ("長株潭城際鐵路幾點", "长株潭城际铁路几点"),            # traditional → simplified
    ("二零二一年空气优良率", "2021年空气优良率"),
    ("晚上九点半以后", "晚上9点半以后"),
    ("二十三点二十五分", "23点25分"),
    ("百分之八十一", "81%"),
    ("五米宽的农村公路", "5米宽的农村公路"),                # lengths and areas as voice input writes them
    ("三亩地", "3亩地"),
    ("一百点五对", "100.5对"),
    ("五百万元", "500万元"),
    ("突破千亿", "突破1000亿"),                      # 千亿 is 一千亿: the FAQ's 千亿 meets 搞到一千亿
    ("搞到一千亿", "搞到1000亿"),
    ("几千亿的盘子", "几千亿的盘子"),                  # no amount after another numeral
    ("三年突破千忆", "3年突破1000亿"),                # 忆 after a numeral is 亿 typed by sound
    ("小时候的回忆", "小时候的回忆"),
    ("长者餐厅今年建几家，盼复！", "长者餐厅今年建几家"),        # a letter's closing and salutation ask nothing
    ("领导好！长者餐厅今年建几家？望回复，谢谢！", "长者餐厅今年建几家"),
    ("尊敬的领导：长者餐厅建几家", "长者餐厅建几家"),
    ("尊敬的市民政局：长者餐厅建几家", "尊敬的市民政局长者餐厅建几家"),  # an addressee by name stays
    ("感谢信怎么写", "感谢信怎么写"),
    ("十大产业项目", "十大产业项目"),                    # names keep their numerals
    ("一江八港十湖", "一江八港十湖"),
    ("第二个", "第2个"),
    ("。。。", ""),
    ("“1+2+3”格局", "1+2+3格局"),                  # a formula of digits is one code
    ("一加二加三格局", "1+2+3格局"),                  # as speech recognition writes it
    ("4 + 4 战略", "4+4战略"),
    ("5G+工业互联网", "5g工业互联网"),               # a + between words separates them
    ("加快建设", "加快建设"),
])
def test_normalize(raw, expected):
    assert normalize(raw) == expected


def test_fillers_and_speech_debris_are_dropped():
    assert strip_fillers(normalize("那个，就是长株潭城铁最后一班车几点钟啊。")) == "长株潭城铁最后一班车几点钟"
    assert strip_fillers(normalize("那末班车呢")) == "末班车"
    assert strip_fillers(normalize("什么时候")) == "什么时候"


@pytest.mark.parametrize("raw, expected", [
    ("城铁到长沙吗", "城铁到长沙"),        # a question particle at the end
    ("好的呀 谢谢啦", "好的 谢谢"),         # before a break too
    ("这个是干嘛的", "这个是干嘛的"),       # 嘛 inside a clause is no particle
    ("要什么", "要什么"),                   # nor 么 of 什么
    ("吗啡", "吗啡"),                       # a particle character inside a word stays
])
def test_only_sentence_final_particles_are_dropped(raw, expected):
    assert strip_particles(raw) == expected


def test_synonyms_map_to_the_canonical_word_without_eating_longer_ones():
    norm = Normalizer([["城铁", "城际铁路", "城际"], ["株洲南站", "株洲南"], ["长者餐厅", "老年食堂"]])
    assert norm("城际铁路末班车") == "城铁末班车"
    assert norm("城际几点") == "城铁几点"
    assert norm("株洲南到长沙") == "株洲南站到长沙"
    assert norm("株洲南站到长沙") == "株洲南站到长沙"
    assert norm("老年食堂有几家") == "长者餐厅有几家"


def test_sounds_survive_pinyin_slips():
    assert sound_string("成铁") == sound_string("城铁")
    assert sound_string("长着餐厅") == sound_string("长者餐厅")
    assert sound_string("改照") == sound_string("改造")  # zh/z


def test_fit_cuts_at_a_sentence_and_never_inside_a_character():
    body = "这是一句很长的话，用来测试。" * 200
    text = fit(body, "详情：https://example.cn/faq/x")
    assert len(text.encode("utf-8")) <= REPLY_MAX_BYTES
    assert text.endswith("详情：https://example.cn/faq/x")
    assert "。…" in text
    no_sentence = "长" * 1000
    cut = fit(no_sentence)
    assert len(cut.encode("utf-8")) <= REPLY_MAX_BYTES and cut.endswith("长…")
    assert fit("短句。", "尾") == "短句。\n尾"


@pytest.mark.parametrize("text, expected", [
    pytest.param("报告里的lrp是什么", "报告里的lpr是什么", id="two-letters-swapped"),
    pytest.param("igtb三期在哪", "igbt三期在哪", id="swapped-in-four"),
    pytest.param("igbx三期在哪", "igbt三期在哪", id="one-wrong-in-four"),
    pytest.param("apq是什么", "apq是什么", id="three-letters-need-the-same-letters"),
    pytest.param("lpr和app", "lpr和app", id="known-codes-stay"),
])
def test_a_latin_code_typed_with_one_slip_is_the_faqs_code(text, expected):
    from bot.language.spelling import latin_slips_repaired
    assert latin_slips_repaired(text, frozenset({"lpr", "app", "igbt"})) == expected


@pytest.mark.parametrize("raw, expected", [
    ("长者餐厅建几家？谢谢", "长者餐厅建几家？"),   # the question mark before the closing stays
    ("谢谢", "谢谢"),                            # a closing alone is the message
    ("建几家。盼复。急！", "建几家"),
])
def test_without_closing(raw, expected):
    assert without_closing(raw) == expected
