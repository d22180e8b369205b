"""What the reports cannot answer, whatever entry looks closest.

The FAQ holds published facts of certain years. It has no live data (weather, delays,
today's news), no personal records (my car, my fund), and no details the reports never
give (phone numbers, addresses, opening hours, prices). A question asking for one of those
must not be answered with a neighbouring fact.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .faq import Entry
from .textnorm import normalize

_LIVE = re.compile(
    r"(今天|今日|明天|昨天|今晚|刚才|刚刚|此刻|这会|实时|最新)"
    r".{0,10}(晚点|延误|停运|天气|下雨|下雪|气温|温度|堵车|堵不堵|新闻|发生|怎么样|咋样|情况|开没开|正常)"
    r"|天气|气温|台风|空气质量指数|限行|路况"
    # this weekend's events, next week's: the reports are of past years
    r"|(这个|这|本|下个?)(周末|星期|礼拜|周)[^，。？]{0,6}(活动|演出|展览|比赛|开放|有什么|有啥)"
    # "会下雨吗" asks the weather; "下雨天污水往外冒" tells when a problem happens
    r"|(会|要|在|还|没)下[雨雪]|下[雨雪]了?(吗|没|不|么)"
)
_PERSONAL = re.compile(
    r"帮我|给我(查|办|挂|约|预约|看)|替我"
    r"|我(的|家的?)(车|驾照|公积金|社保|医保|养老金|退休金|工资|档案|户口|孩子的学籍|房子的?(产权|贷款))"
    r"|我.{0,6}(能|可以)(贷|领|报销|拿|退)多少"
    r"|(违章|扣分|罚单|罚款|积分落户|学位|录取)"
    r"|我(家|的|妈|爸|孩子|们家|老人)?[^，。？]{0,10}(能不能|可不可以|能否|有没有资格|符不符合|够不够条件)"
    r"(申请|办|领|加装|上|享受|报|贷)"
    r"|我.{0,6}能上哪"
)
# Opinions and recommendations: the reports state facts, they rank nothing.
_OPINION = re.compile(r"(哪个|哪家|哪里|哪所).{0,8}(最好|比较好|好一点)|推荐一下|推荐个|好不好吃|值不值得|划不划算")
# Places the reports may or may not speak of; a question naming one the entry does not
# mention is about somewhere else ("湘潭的长者餐厅" is not Zhuzhou's).
PLACES = (
    "北京 上海 天津 重庆 广州 深圳 杭州 南京 武汉 成都 西安 郑州 南昌 贵阳 昆明 合肥 福州 厦门 济南 青岛 "
    "沈阳 大连 哈尔滨 长春 石家庄 太原 兰州 银川 西宁 拉萨 乌鲁木齐 呼和浩特 南宁 海口 苏州 无锡 东莞 佛山 "
    "长沙 湘潭 衡阳 岳阳 邵阳 常德 益阳 娄底 郴州 永州 怀化 张家界 湘西 吉首 韶山 萍乡 宜春 井冈山 "
    "芦淞 荷塘 石峰 天元 渌口 醴陵 攸县 茶陵 炎陵 云龙 "
    "广东 广西 湖北 江西 江苏 浙江 福建 四川 贵州 云南 河南 河北 山东 山西 陕西 安徽 辽宁 吉林 黑龙江 海南 "
    "甘肃 青海 宁夏 新疆 西藏 内蒙古 香港 澳门 台湾"
).split()
_NO_CHINESE = re.compile(r"^[^\u4e00-\u9fff]*$")
# A detail the question asks for, and the evidence an answer must show to hold it.
_ASKED_DETAILS = [
    (re.compile(r"电话|热线|号码|联系方式|怎么联系|打哪个"), re.compile(r"\d{5,}|热线|电话")),
    (re.compile(r"在哪(里|儿)?|地址|位置|哪个小区|哪条路|离.{0,6}最近"), re.compile(r"位于|地址|坐落")),
    (re.compile(r"哪个站|哪一站|什么站"), re.compile(r"站")),
    (re.compile(r"怎么走|怎么去|坐几路|路线"), re.compile(r"乘坐|换乘|路线")),
    (re.compile(r"几点(开门|关门|上班|下班|营业)|开放时间|营业时间|办公时间|上班时间|门诊时间"
                r"|(周末|节假日|晚上).{0,4}(开门|上班|门诊|营业)|有没有门诊"), re.compile(r"\d+\s*[:：点时]")),
    (re.compile(r"多少钱|票价|价格|收费标准|怎么收费|几块钱|贵不贵|房价|物价|油价|菜价|股价"),
     re.compile(r"元|免费|票价|收费")),
    (re.compile(r"(常住人口|户籍人口)(?!城镇化)|人口(有)?多少|多少人口"), re.compile(r"人口(总量|规模)?(达到?|为|有|约)?\s*\d+(\.\d+)?\s*万")),
    (re.compile(r"名单|有没有我|轮到我|在不在.{0,8}(名单|范围|计划)"), re.compile(r"名单")),
]
# Asks the entry must at least address, if only to say the report does not give the detail
# ("报告未写申请办法，可向残联咨询" is an answer to "怎么申请"): searched with the disclaimers in.
_ADDRESSED = [
    # a count ("几个国家级园区") needs a counted number, not a year or a name such as "3+5+2"
    (re.compile(r"(几|多少)(个|家|所|项|座|条|名|户|场|处|支|辆|台|套|批)|多少(人|事项|企业|项目|学校|医院)"),
     re.compile(r"[\d一二两三四五六七八九十百千]+[\d.,]*[^\w\u4e00-\u9fff]{0,2}(万|亿)?\s*"
                r"(个|家|所|项|座|条|名|户|场|处|支|辆|台|套|批|人|对|趟|次|类|件|余)"
                r"|(未|没有|并未|尚未)(写|列|给出|公布|明确|说明)[^。；;\n]{0,6}(数量|个数|多少|规模)")),
    # a subsidy, or whether something is free
    (re.compile(r"补贴|补助|津贴|资助|报销"), re.compile(r"补贴|补助|津贴|资助|报销|救助")),
    (re.compile(r"免费|要钱|收费|要不要钱"), re.compile(r"免费|收费|元|不收")),
    # the city's output now, not a target for some year ahead ("未来五年经济总量迈上5000亿元台阶")
    (re.compile(r"^(?!.*(目标|规划|计划|力争|未来|五年|十四五|要到|将)).*(gdp|生产总值|经济总量)", re.I),
     re.compile(r"(gdp|生产总值|经济总量)[^。；;\n]{0,12}(达到?|为|实现|完成|突破)\s*[\d一二三四五六七八九十]"
                r"|(没有|未)(给出|公布|列)[^。；;\n]{0,12}(生产总值|gdp)", re.I)),
    # how to apply or sign up
    (re.compile(r"(怎么|如何|怎样|去哪|哪里|在哪)(申请|报名|办理|申报)|申请条件|办理流程|什么材料|带什么"),
     re.compile(r"申请|报名|办理|申报|材料|条件|窗口|咨询")),
]
_CHINESE_ORDINALS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
_CHOICE = re.compile(r"^(?:第)?([1-5一二两三四五])(?:个|条|项|种)?(?:吧|啊|呀|呢|的)?$|^选([1-5一二两三四五])$")


# What the citizen is told first when a question is out of scope for a known reason.
NOTES = {
    "live": "我没有实时信息（天气、列车晚点、当天动态等），请以相关部门发布的最新消息为准。",
    "personal": "涉及个人情况的事务我查不到，请本人咨询相关部门办理。",
    "opinion": "我只能提供株洲市公开报告中的事实，不做评价和推荐。",
    "detail": "公开报告里没有这个细节（如电话、地址、开放时间、价格或具体日期）。",
    "year": "公开报告里没有您问的那一年的这项内容，下面是别的年份的相关问题。",
}


def unanswerable(text: str) -> tuple[str, str] | None:
    """(reason for staff, note kind) when the question is outside what published reports can
    answer, or None."""
    norm = normalize(text)
    if _NO_CHINESE.match(norm):
        return "没有可识别的中文问题", ""
    if _OPINION.search(norm):
        return "问的是评价或推荐，资料中只有公开报告的事实", "opinion"
    if _LIVE.search(norm):
        return "问的是实时信息（天气、晚点、今日动态），资料中没有", "live"
    if _PERSONAL.search(norm):
        return "问的是个人事务，需要本人到相关部门查询办理", "personal"
    return None


_DISCLAIMER = re.compile(r"(未|没有|并未|尚未|不)(列|给出|公布|提及|说明|明确|包括|写明|涉及)")
_CLAUSE_END = re.compile(r"(?<=[。；;\n])")
_WHEN_VERB = re.compile(r"(什么时候|何时|哪天|几号|啥时候).{0,6}?(恢复|开通|通车|开业|开放|开始|启用|完工|建成)"
                        r"|(恢复|开通|通车|开业|完工|建成)(.{0,6})(什么时候|何时|哪天|几号|啥时候)")


@lru_cache(maxsize=4096)
def disclaimers(text: str) -> str:
    """The clauses of a text that name a detail only to say it is not given."""
    return "".join(clause for clause in _CLAUSE_END.split(text) if _DISCLAIMER.search(clause))


@lru_cache(maxsize=4096)
def without_disclaimers(text: str) -> str:
    """The text without its clauses that name a detail only to say it is not given
    ("报告未列具体地址")."""
    return "".join(clause for clause in _CLAUSE_END.split(text) if not _DISCLAIMER.search(clause))


def misses_asked_detail(text: str, entry: Entry) -> bool:
    """True when the question asks for a detail (phone, address, hours …) the entry lacks."""
    norm = normalize(text)
    body = without_disclaimers(f"{entry.answer}\n{entry.detail}\n{entry.question}")
    if any(asked.search(norm) and not evidence.search(body) for asked, evidence in _ASKED_DETAILS):
        return True
    text_of_entry = f"{entry.answer}\n{entry.detail}"
    if any(asked.search(norm) and not evidence.search(text_of_entry) for asked, evidence in _ADDRESSED):
        return True
    when = _WHEN_VERB.search(norm)
    if when:  # "when will X resume": the entry must date that very event
        verb = when.group(2) or when.group(3)
        dated = re.compile(rf"\d+\s*[年月日号].{{0,12}}{verb}|{verb}.{{0,12}}\d+\s*[年月日号]")
        if not dated.search(body):
            return True
    all_text = f"{body}\n{' '.join(entry.alternates)}\n{' '.join(entry.keywords)}"
    return any(place in norm and place not in all_text for place in PLACES)


def choice_number(text: str, count: int) -> int | None:
    """"2", "第二个", "选3" → that number, when it is one of the offered choices."""
    match = _CHOICE.match(normalize(text).replace(" ", ""))
    if not match:
        return None
    token = match.group(1) or match.group(2)
    number = int(token) if token.isdigit() else _CHINESE_ORDINALS[token]
    return number if 1 <= number <= count else None
