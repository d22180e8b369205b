"""The vocabulary the language rules share, each word list written once.

The normaliser (textnorm), the index's words (features), the slip repair (spelling), the fact
types (facts), the scope rules (scope), the message forms (forms), the asks (asks), the names
(specifics), the staff's needs file check (needs) and the report drafts (staff/draft) all read
citizens' Chinese with the same small vocabularies: measure words, particles, fillers, question
words, stopwords, the city's own place names. They are defined here, and the modules build their
sets and regexes from these constants.

Several rules read only part of a vocabulary: 几个 asks a count but 几点 a time; a figure worth a
draft question is wider than the figures that make an answer "hold a number". Such a part is
named here as its own constant, next to the whole, with the reason it is narrower; widening one
changes which answers the bot gives (the evaluation sets show it), so do it deliberately, and
run `python -m bot eval` after. tests/test_lexicon.py checks that each part stays inside its
whole (MEASURE_WORDS, SENTENCE_PARTICLES, …).

Forms: a `str` of single characters is read as a regex character class; a `tuple` keeps its
order (a regex alternation in which a longer word must come before its prefix: 人次 before 人);
a `frozenset` is for membership only. Each constant is a plain literal, so it can be read and
edited like a word list.
"""
from __future__ import annotations

import re

# ---------------------------------------------------------------- numerals

# The digits of Chinese numbers, one to ten (list markers 一、 and （三）, and 十大 / 一江八港 names).
CN_DIGITS = "一二三四五六七八九十"
# Every character of a Chinese numeral that cn2an reads (textnorm converts runs of them to digits).
NUMERAL_CHARS = "零〇" + CN_DIGITS + "百千两"
# The characters of a numeral that can stand in a name's modifier (specifics: 三医院, 十中).
NAME_NUMERAL_CHARS = frozenset(CN_DIGITS + "两百千万")
# Small numbers a citizen picks an offered choice with ("第二个", "选3"): character → number.
CHOICE_NUMBERS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}

# ---------------------------------------------------------------- measure words and units

# Each rule's measure words. They differ on purpose (see the module docstring); MEASURE_WORDS,
# below, is their union.

# textnorm: a lone numeral before one of these is a number (一个 → 1个), before anything else it
# stays a word (一江八港). Time units too: 九点 → 9点, 三天 → 3天.
NUMERAL_UNITS = "点时分秒年月日号个户人对趟支项万亿家台套场次岁元名所处辆条座吨倍批级期种类天周米亩"
# facts: 几 + one of these asks for a quantity (几家医院). Not the clock and calendar units of
# 几点 / 几号 / 几月 (a time), nor 几岁.
HOW_MANY_UNITS = "个家户人对趟支项台套场次所条座万天年"
# forms: 几 + one of these makes a message ask something ("几点开门", "几所学校"); 几个问题 and
# 几点建议 are items of a subject line, excluded where the rule is written.
ASKING_UNITS = "点个家时号月年天岁次所条项趟站"
# facts: a number followed by one of these in an answer states a quantity.
ANSWER_FIGURE_UNITS = tuple(
    "名 人 个 户 家 万 亿 % 对 趟 项 台 套 场 次 支 所 处 公里 千米 "
    "吨 元 天 分钟 倍 座 辆 条 张"
    .split()
)
# asks: 几 + one of these asks a count (几个, 几人次, 几公里). In this order: a longer unit before
# its prefix (人次 before 人, 千米 before 米).
COUNT_UNITS = tuple(
    "个 家 户 人次 人 对 趟 项 座 所 条 名 辆 台 套 场 次 批 支 处 "
    "件 类 种 届 位 岁 张 部 倍 公里 千米 米 吨 成 级 层 栋 组 班 "
    "列 亩 款 只"
    .split()
)
# staff/draft: a figure in a report worth a "多少" question (362支驻村工作队); the first unit that
# matches is the one asked about, so the order counts (人次 before 人; 千 before 千米 is how the
# drafts have always read "5千米").
REPORT_FIGURE_UNITS = tuple(
    "% 万 亿 千 百 个 支 家 户 套 人次 人 名 场 座 公里 千米 米 吨 "
    "元 项 对 组 趟 所 处 辆 台 张 条 批 倍 次 分钟 小时 天"
    .split()
)
# asks: a noun starting with one of these after 哪些 / 哪几 is the measure word of the ask, not
# the kind of thing asked ("哪几个" asks no noun).
NAME_MEASURE_CHARS = "个家座所条处项种类位名批次样件"
# scope: a choice may be said with a measure word ("第二个", "第三条").
CHOICE_MEASURES = ("个", "条", "项", "种")

# Every measure word or unit any rule above reads.
MEASURE_WORDS: frozenset[str] = frozenset(
    {*NUMERAL_UNITS, *HOW_MANY_UNITS, *ASKING_UNITS, *ANSWER_FIGURE_UNITS, *COUNT_UNITS, *REPORT_FIGURE_UNITS,
     *NAME_MEASURE_CHARS, *CHOICE_MEASURES}
)

# ---------------------------------------------------------------- particles, fillers, greetings

# Sentence-final particles: said for tone, never content. textnorm drops a run of them before a
# break or the end of the message (吗 too: the ask is read before the particles are dropped).
SENTENCE_PARTICLES = "啊呀吧呢嘛哦哈啦咯吗啵咧么"
# forms: the particles that make a message a question wherever they stand (吗, 嘛, 呢, 湘 啵);
# 么 only at the end (么子 is read separately), the others of SENTENCE_PARTICLES only soften.
QUESTION_PARTICLES = ("吗", "嘛", "呢", "啵")
# scope: what may follow a picked choice ("第二个吧", "3的").
CHOICE_ENDINGS = ("吧", "啊", "呀", "的")  # not 呢: "第二项呢" asks of the second item

# Greetings: a message may open with one (forms drops it; textnorm drops it anywhere as a filler).
GREETINGS = ("你好", "您好")
# Speech-recognition and chat debris: said to be polite or to hold the floor, never content.
# textnorm drops them anywhere (longest first); needs names the first one found in a cue, so
# keep the longer forms before the words inside them.
FILLERS = (
    "请问一下", "请问", "请教一下", "想问一下", "想问下", "问一下", "问下", "我想问", "咨询一下",
    *GREETINGS, "麻烦你", "麻烦", "谢谢你", "谢谢", "那个", "就是说", "就是", "然后呢", "嗯", "呃", "额",
    "一下",
)
# forms: openers that make a message a question ("请问……", "想问下……"); all but 想问 are FILLERS.
QUESTION_OPENERS = ("请问", "想问", "问一下", "问下")

# ---------------------------------------------------------------- stopwords and function words

# Question words: what a question asks with, never its topic.
QUESTION_WORDS = frozenset(
    "什么 啥 怎么 怎样 怎么样 如何 哪些 哪个 哪里 哪儿 哪 几 多少 多久 几个 多长 为什么 咋 咋样 啥时候 什么时候 "
    "怎么办 咋办 怎么弄 咋弄 怎么搞 是不是 有没有 能不能 会不会 可不可以 能否 可否 是否".split()
)
# asks: the ways of writing 什么, in this order (a longer form before its prefix: 啥子 before 啥).
WHAT_WORDS = ("什么", "什麼", "啥子", "啥", "么子", "神马", "甚么")
# Words that carry no topic: question forms, pronouns, particles, fillers, request verbs, and
# vague words of time and place. features keeps them out of the index; spelling never repairs
# a stretch into one. (Its particles are fewer than SENTENCE_PARTICLES: 哈 咯 啵 咧 stay words.)
STOPWORDS = QUESTION_WORDS | frozenset(
    # grammar
    "的 了 是 在 有 和 与 及 或 也 都 就 还 又 要 会 能 可以 可 不 没 没有 不能 给 让 把 被 对 从 到 向 "
    "里 上 下 中 还是 而且 但是 因为 所以 如果 的话 很 太 多 少 "
    # particles
    "吗 呢 吧 啊 呀 嘛 么 啦 呗 哦 "
    # pronouns and deixis
    "我 我们 你 你们 他 她 它 他们 这 那 这个 那个 这些 那些 这样 那样 这边 那边 这里 那里 附近 周边 我家 家里 "
    # fillers and request verbs
    "请问 一下 请 帮 帮忙 告诉 问问 问 知道 听说 想 想要 我想 需要 应该 "
    # vague quantity, time and scope
    "个 一个 一些 一点 有点 一共 今年 现在 目前 时候 具体 包括 分别 主要 有关 关于 方面 情况 相关".split()
)
# spelling: words of tense and aspect, which like the stopwords are grammar, never a slipped
# word ("目前已经" is not "目千亿经").
ASPECT_WORDS = frozenset("已经 曾经 正在 还要 以前 以后 之前 之后".split())
# spelling: a stretch starting or ending in one of these is grammar, not a slipped word
# ("是干嘛的" must not become "实干").
FUNCTION_CHARS = frozenset("是的了有在和就都也要会能不没我你他她它这那个吗呢吧啊几多少哪么什"
                           "啥怎谁把被给让从到又还再才很太更最")

# ---------------------------------------------------------------- people

# Kin and household words: forms reads "我父亲……", "孩子的户口在外地……" as the citizen's own case.
KIN_WORDS = tuple(
    "父亲 母亲 爸爸 妈妈 老爸 老妈 爸 妈 父母 老公 老婆 爱人 丈夫 妻子 "
    "媳妇 儿子 女儿 孩子 小孩 宝宝 外公 外婆 爷爷 奶奶 姥姥 姥爷 公公 婆婆 "
    "岳父 岳母 堂哥 大堂哥 表哥 表姐 哥哥 哥 姐姐 姐 弟弟 弟 妹妹 妹 亲戚 "
    "家人 家属 老人 老母 老父 伢子 妹子"
    .split()
)

# ---------------------------------------------------------------- places

CITY = "株洲"
# The city itself: never a specific name (a question about 株洲 is what the FAQ answers).
HOME_NAMES = frozenset(
    "株洲 株洲市 株洲地区 株洲城区 株洲本地 株洲这边 咱们株洲 我们株洲 我市 本市 全市 咱市 咱们市 市里 市内 "
    "市区 城区 主城区 中心城区 本地 当地".split()
)
# Wider areas the city's reports speak for (长株潭 is the region the FAQ covers), and the country:
# not specific either.
WIDER_AREAS = frozenset("长株潭 全省 全国 中国 国家 我国 全县 全区".split())
# The city's and the region's names as the start of a longer name, longest first: specifics judges
# such a name by what follows them (株洲南站, 长株潭城际铁路).
HOME_PREFIXES = ("株洲市", "株洲", "长株潭")
# 株洲's districts and counties, as an entry would write them: a citywide figure does not answer
# a district's question, so each is a specific name wherever it stands (芦淞区, 芦淞服饰群).
ZHUZHOU_DISTRICTS = ("芦淞", "荷塘", "石峰", "天元", "渌口", "醴陵", "攸县", "茶陵", "炎陵", "云龙")


# ---------------------------------------------------------------- building regexes

def alternation(words) -> str:
    """The words as a regex alternation, in their order ("甲|乙"), each escaped."""
    return "|".join(map(re.escape, words))


def longest_first(words) -> str:
    """The words as a regex alternation, longest first, so that no word shadows a longer one."""
    return alternation(sorted(words, key=len, reverse=True))

# Opposite ends of a timetable: an entry on the first train is no answer to the last one asked,
# though the two questions differ by one character ("最早几点有车", "最晚几点有车").
OPPOSITE_ENDS: tuple[tuple[str, ...], tuple[str, ...]] = (
    ("首班", "头班", "最早", "第一班", "第一趟", "首发", "最先"),
    ("末班", "最晚", "最后一班", "最后一趟", "收班", "收车", "最迟"),
)

# Days unlike the usual ones: a question of them ("周末的末班车") is not answered by what holds
# every day, and "周末呢" after a question asks it of them.
# Words that point at what the citizen has in mind ("这次新投入使用的……"): they name nothing an
# entry could hold.
POINTING_WORDS = frozenset(("这次", "此次", "本次", "这回", "那次", "这一次", "上次", "这些", "那些", "这种", "那种",
                            "这个", "那个", "这项", "那项"))

# How often, or by what channel, of anything: words of how the question asks ("每天几点",
# "可以网上办吗"), not of what it asks about.
MANNER_WORDS = frozenset(("每天", "每日", "一天", "天天", "每周", "每月", "每年", "平时", "一般",
                          "网上", "线上", "在线", "网上办", "网办", "手机上", "掌上", "手机", "办", "办理", "办事"))

SPECIAL_DAYS = ("周末", "双休日", "节假日", "法定假日", "假期", "春节", "过年", "国庆", "五一", "元旦", "寒假", "暑假",
                "端午", "中秋")
