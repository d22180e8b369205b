"""What the reports cannot answer, whatever entry looks closest.

The FAQ holds published facts of certain years. It has no live data (weather, delays,
today's news), no personal records (my car, my fund), and no details the reports never
give (phone numbers, addresses, opening hours, prices). A question asking for one of those
must not be answered with a neighbouring fact.
"""
from __future__ import annotations

import re
from typing import NamedTuple

from bot.language import lexicon
from bot.language.asks import PERSON_NAMED
from bot.language.forms import last_question, prepare
from bot.language.textnorm import normalize


class ScopeRule(NamedTuple):
    """One named row: a (normalised) question `pattern` matches asks what the reports cannot
    answer, for the reason `note` (a key of NOTES)."""
    name: str
    note: str
    pattern: re.Pattern[str]

    def matches(self, norm: str) -> bool:
        return self.pattern.search(norm) is not None


class DetailRule(NamedTuple):
    """One named row: a question `asked` matches asks a detail; an entry holds it only when its
    text matches `evidence`."""
    name: str
    asked: re.Pattern[str]
    evidence: re.Pattern[str]

    def misses(self, norm: str, body: str) -> bool:
        return self.asked.search(norm) is not None and self.evidence.search(body) is None


def _row(name: str, note: str, pattern: str) -> ScopeRule:
    return ScopeRule(name, note, re.compile(pattern))


# The table, in order: the first row that fires decides. Opinions first, then live data, then
# personal matters.
RULES: tuple[ScopeRule, ...] = (
    # -- opinions and recommendations: the reports state facts, they rank nothing.
    _row("opinion_which_is_best", "opinion", r"(哪个|哪家|哪里|哪所).{0,8}(最好|比较好|好一点)"),
    _row("opinion_recommend", "opinion", r"推荐一下|推荐个"),
    _row("opinion_is_it_worth", "opinion", r"好不好吃|值不值得|划不划算"),
    # -- live data: "今天城铁晚点吗", "明天天气", "路况".
    _row("live_today_status", "live",
         r"(今天|今日|明天|昨天|今晚|刚才|刚刚|此刻|这会|实时|最新)"
         r".{0,10}(晚点|延误|停运|天气|下雨|下雪|气温|温度|堵车|堵不堵|新闻|发生|怎么样|咋样|情况|开没开|正常"
         r"|票还有|余票|有没有票|有票|买得到票)"),
    _row("live_weather_and_traffic", "live", r"天气|气温|台风|空气质量指数|限行|路况"),
    # whether a service runs right now: "现在城铁是不是停运了" (the reports tell of past closures)
    _row("live_running_now", "live",
         r"(现在|目前|当前|这会儿?|眼下)[^，。？]{0,8}(是不是|是否|有没有|还)?[^，。？]{0,4}(停运|停开|停驶|晚点|延误|正常运行|正常运营)"),
    # this weekend's events, next week's: the reports are of past years
    _row("live_this_week_events", "live",
         r"(这个|这|本|下个?)(周末|星期|礼拜|周)[^，。？]{0,6}(活动|演出|展览|比赛|开放|有什么|有啥)"),
    # "会下雨吗" asks the weather; "下雨天污水往外冒" tells when a problem happens
    _row("live_will_it_rain", "live", r"(会|要|在|还|没)下[雨雪]|下[雨雪]了?(吗|没|不|么)"),
    # -- personal matters: someone's own records, cases and eligibility.
    _row("personal_do_it_for_me", "personal", r"帮我|给我(查|办|挂|约|预约|看|安排|介绍|找|解决)|替我"),
    _row("personal_my_records", "personal",
         r"我(的|家的?)(车|驾照|公积金|社保|医保|养老金|退休金|工资|档案|户口|孩子的学籍|房子的?(产权|贷款))"
         # a relative's money this month: "我妈这个月的养老金怎么少了"
         r"|我(?:妈|爸|父亲|母亲|爷爷|奶奶|外婆|外公|老公|老婆|爱人|家老人)(?:这个月|上个月|今年|的)+"
         r"(?:养老金|退休金|工资|低保|补贴|抚恤金)"),
    _row("personal_how_much_can_i_get", "personal",
         r"我.{0,6}(能|可以)(贷|领|报销|拿|退|分到?|拿到|领到|得到|补到?|赔到?)(多少|好多|几多|几[套间个块万])"),
    _row("personal_case_records", "personal", r"(违章|扣分|罚单|罚款|积分落户|学位|录取)"),
    _row("personal_am_i_eligible", "personal",
         r"我(家|的|妈|爸|孩子|们家|老人)?[^，。？]{0,10}(能不能|可不可以|能否|有没有资格|符不符合|够不够条件)"
         r"(申请|办|领|加装|上|享受|报|贷)"),
    _row("personal_where_can_i_go", "personal", r"我.{0,6}能上哪"),
    # what happens to the sender's own case: "社保断缴了三个月，会不会影响我退休"
    _row("personal_effect_on_me", "personal",
         r"(?:影响|耽误|连累)(?:到)?(?:我|我家|我们家)(?!市)"
         r"|我(?:的|家的?)?(?:社保|医保|公积金|养老保险|养老金|工资)[^，。？]{0,4}(?:断缴|断交|停缴|欠缴|中断|没交|少交|没发|少发)"),
    # who may combine or claim which benefit is decided case by case; the reports state no rules
    _row("personal_entitlement_rules", "personal",
         r"(能不能|可不可以|能否|是否(?:可以|能)|可以)(同时|一起|既)[^，。？]{0,6}(享受|领取|领|拿|申请)"),
    # -- small talk with the bot itself: "你吃饭了冇", "你会不会唱歌", "你几岁了"
    _row("chat_about_the_bot", "chat",
         r"^(?:(?:你好|您好|哈喽|嗨|hi|hello)[呀啊哈]*[，,!！\s]*)?(?:嗯|啊|哎|喂|那个|请问|问一下)*你(?:们)?(?!好|们好)[^，。？?]{0,4}"
         r"(?:吃饭|吃了|喝|睡觉|唱歌|跳舞|讲笑话|几岁|多大了|是男|是女|是人|是机器人|是谁|叫什么|叫啥|在干|在做什么|"
         r"喜欢|开心|累不累|下班|上班|无聊|聪明|傻)"),
)
RULES_BY_NAME: dict[str, ScopeRule] = {rule.name: rule for rule in RULES}

_DATED_PUBLICATION = re.compile(r"\d{1,2}月\d{1,2}[日号][^，。？?]{0,6}(?:发布|发的|印发|公布|报道|播报)")
_NO_CHINESE = re.compile(r"^[^\u4e00-\u9fff]*$")
# Details bot.language.asks does not read, and the evidence an entry must show to hold them: a phone
# number, a train number, who holds an office now, the population, whether someone is on a list,
# and the city's output now (not a target for some year ahead: "未来五年经济总量迈上5000亿元台阶").
DETAIL_RULES: tuple[DetailRule, ...] = (
    # a number to call ("12345热线", "电话0731-…"); "推行'热线办'" gives none, nor "放映12316场"
    DetailRule("phone_number", re.compile(r"电话|热线|号码|联系方式|怎么联系|打哪个"),
               re.compile(r"(?<!\d)\d{5,}(?=\s*(?:热线|电话|服务热线))|(?:热线|电话)[^，。；\d]{0,6}\d{5,}"
                          r"|(?<!\d)1[3-9]\d{9}(?!\d)|(?<!\d)0\d{2,3}[-－]\d{7,8}")),
    # "第一班车是什么车次": a train number (C6401, G502), not how many trains run
    DetailRule("train_number", re.compile(r"(?:什么|哪个|哪些|哪趟|啥|么子)车次|车次(?:号|是多少|是什么|是哪)"),
               re.compile(r"(?<![a-z])[cdgkzty]\d{1,5}(?!\d)")),
    # "现在的市委书记是谁": the reports name who held an office then ("时任"), not who holds it now
    DetailRule("office_now", re.compile(r"(?:现在|目前|如今|现任|当前|眼下)[^，。？?]{0,10}(?:书记|市长|县长|区长|局长|"
                                        r"主任|院长|校长|经理|董事长|负责人)"),
               re.compile(r"现任")),
    # who holds an office ("负责人是谁", "局长叫什么名字"): a person named, not the body (an
    # interview "对市生态环境局负责人的访谈" names no one)
    DetailRule("person_named", re.compile(r"(?:负责人|局长|主任|书记|市长|院长|校长|董事长|总经理|老板|队长|台长|馆长"
                                          r"|站长)(?:是|叫|姓)?(?:谁|哪位|什么名字|叫什么|叫啥|姓什么|名字)"),
               re.compile(PERSON_NAMED
                          + r"|[\u4e00-\u9fff]{2,4}(?:任|担任)[\u4e00-\u9fff]{0,8}(?:书记|市长|局长|主任)")),
    # an address ("具体地址在哪里"): a road, street or number, not the city or district a thing is in
    DetailRule("address", re.compile(r"地址|门牌|具体位置|详细位置|哪条路|哪条街"),
               re.compile(r"[\u4e00-\u9fff](?<![铁公线道思出网马水一])(?:路|街|大道|巷)(?:\d+号)?|\d+号")),
    # the city's or a district's people (株洲人口多少, 全市的人口), not a group of them (贫困人口, 农村人口)
    DetailRule("population", re.compile(r"(常住人口|户籍人口)(?!城镇化)|(?<![^\s，,。？?市洲区县的里总])人口(有)?多少"
                                        r"|多少人口"),
               re.compile(r"人口(总量|规模)?(达到?|为|有|约)?\s*\d+(\.\d+)?\s*万")),
    # whether one is on a list ("名单里有没有我家"); a bare "名单" asks for the names (asks.Ask.NAMES)
    DetailRule("on_a_list", re.compile(r"名单(?:里|上|中|内)|有没有我|轮到我|在不在.{0,8}(名单|范围|计划)"),
               re.compile(r"名单")),
    # "火化一次要好多钱" asks an amount: "整体降费30%" answers "降价了吗", not how much it costs
    # ("省了多少钱" asks the saving, which a reduction answers)
    DetailRule("money_amount", re.compile(r"(?<!省了)(?<!省)(?<!少了)(?<!降了)(?<!便宜了)"
                                          r"(?:多少钱|好多钱|几多钱|几块钱|几块|什么价|啥价|么子价|多少费用|费用是多少|收费多少|多少元)"),
               re.compile(rf"[\d{lexicon.CN_DIGITS}]\s*(?:万|亿|千)?元|[\d{lexicon.CN_DIGITS}]块|免费|不收费|零收费|全免|不要钱")),
    DetailRule("output_now",
               re.compile(r"^(?!.*(目标|规划|计划|力争|未来|以后|今后|将来|到时候|[5五]年|十四五|要[^，。？]{0,2}到|将))"
                          r".*(?<!万元)(?<!单位)(gdp|生产总值|经济总量)(?!能耗)", re.I),
               re.compile(r"(gdp|生产总值|经济总量)[^。；;\n]{0,12}(达到?|为|实现|完成|突破)\s*"
                          rf"[\d{lexicon.CN_DIGITS}]", re.I)),
)
DETAIL_RULES_BY_NAME: dict[str, DetailRule] = {rule.name: rule for rule in DETAIL_RULES}

_CHOICE_DIGITS = "".join(lexicon.CHOICE_NUMBERS)
_CHOICE = re.compile(rf"^(?:第)?([1-5{_CHOICE_DIGITS}])(?:{lexicon.alternation(lexicon.CHOICE_MEASURES)})?"
                     rf"(?:{lexicon.alternation(lexicon.CHOICE_ENDINGS)})?$|^选([1-5{_CHOICE_DIGITS}])$")


# What the citizen is told first when a question is out of scope for a known reason.
NOTES = {
    "live": "我没有实时信息（天气、列车晚点、当天动态等），请以相关部门发布的最新消息为准。",
    "personal": "涉及个人情况的事务我查不到，请本人咨询相关部门办理。",
    "opinion": "我只能提供株洲市公开报告中的事实，不做评价和推荐。",
    "detail": "公开报告里没有这个细节（如电话、地址、车次、开放时间、价格或具体日期）。",
    "year": "公开报告里没有您问的那一年的这项内容，下面是别的年份的相关问题。",
    "short": "您的消息太短，我看不出想问什么，请把问题说完整一些。",
    "repeated": "您发的是同一个词的重复，我看不出想问什么，请把问题说完整一些。",
    "chat": "我是株洲市公开信息查询助手，陪聊不太在行，问我株洲的民生实事、城铁、住房、医疗养老、就业和政务服务吧。",
}


# The reason given to staff for each note of the RULES.
REASONS = {
    "opinion": "问的是评价或推荐，资料中只有公开报告的事实",
    "live": "问的是实时信息（天气、晚点、今日动态），资料中没有",
    "personal": "问的是个人事务，需要本人到相关部门查询办理",
    "chat": "和机器人闲聊，不是可以按报告回答的问题",
}


NO_CHINESE = ("没有可识别的中文问题", "")
REPEATED = ("同一个词重复了几遍，看不出问的是什么", "repeated")
# "株洲株洲株洲株洲", "城铁城铁城铁": one word typed over and over asks nothing
_REPEATED = re.compile(r"^(.{1,4}?)\1{2,}$")


def unanswerable(text: str) -> tuple[str, str] | None:
    """(reason for staff, note kind) when the question is outside what published reports can
    answer, or None."""
    norm = normalize(text)
    if _NO_CHINESE.match(norm):
        return NO_CHINESE
    if _REPEATED.match(norm.replace(" ", "")):
        return REPEATED
    # a story, then a question: the personal rows read the question ("…等自己老了也能有人来帮我。
    # 2021年民政局准备试点的这种互助办法叫什么？" asks of no case of the sender's)
    asked = normalize(last_question(prepare(text))) or norm
    # "气象台1月7日发布的预报说最低气温多少度": what a dated forecast or report said, not live data
    rules = RULES if not _DATED_PUBLICATION.search(norm) else [rule for rule in RULES if rule.note != "live"]
    rule = next((rule for rule in rules if rule.matches(asked if rule.note == "personal" else norm)), None)
    return (REASONS[rule.note], rule.note) if rule else None


def misses_asked_detail(text: str, record) -> bool:
    """True when the question asks for one of the DETAIL_RULES' details the entry (an index Record)
    lacks; what bot.language.asks reads — dates, places, counts, prices, procedures — is checked there."""
    norm = normalize(text)
    body = f"{record.stated}\n{record.question}"
    return any(rule.misses(norm, body) for rule in DETAIL_RULES)


def choice_number(text: str, count: int) -> int | None:
    """"2", "第二个", "选3" → that number, when it is one of the offered choices."""
    match = _CHOICE.match(normalize(text).replace(" ", ""))
    if not match:
        return None
    token = match.group(1) or match.group(2)
    number = int(token) if token.isdigit() else lexicon.CHOICE_NUMBERS[token]
    return number if 1 <= number <= count else None
