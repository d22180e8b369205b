"""What the reports cannot answer, whatever entry looks closest.

The FAQ holds published facts of certain years. It has no live data (weather, delays,
today's news), no personal records (my car, my fund), and no details the reports never
give (phone numbers, addresses, opening hours, prices). A question asking for one of those
must not be answered with a neighbouring fact.
"""
from __future__ import annotations

import re

from .faq import Entry
from .textnorm import normalize

_LIVE = re.compile(
    r"(今天|今日|明天|昨天|今晚|刚才|刚刚|此刻|这会|实时|最新)"
    r".{0,10}(晚点|延误|停运|天气|下雨|下雪|气温|温度|堵车|堵不堵|新闻|发生|怎么样|咋样|情况|开没开|正常)"
    r"|天气|气温|下雨|下雪|台风|空气质量指数|限行|路况"
)
_PERSONAL = re.compile(
    r"帮我|给我(查|办|挂|约|预约|看)|替我"
    r"|我(的|家的?)(车|驾照|公积金|社保|医保|养老金|退休金|工资|档案|户口|孩子的学籍|房子的?(产权|贷款))"
    r"|我.{0,6}(能|可以)(贷|领|报销|拿|退)多少"
    r"|(违章|扣分|罚单|罚款|积分落户|学位|录取)"
)
# A detail the question asks for, and the evidence an answer must show to hold it.
_ASKED_DETAILS = [
    (re.compile(r"电话|热线|号码|联系方式|怎么联系|打哪个"), re.compile(r"\d{5,}|热线|电话")),
    (re.compile(r"在哪(里|儿)?|地址|位置|怎么走|怎么去|哪个小区|哪条路|离.{0,6}最近|附近"),
     re.compile(r"位于|地址|在.{1,12}(路|街|站|区|县|镇|村|小区|广场|大道)|麓谷|株洲南|湘潭")),
    (re.compile(r"几点(开门|关门|上班|下班|营业)|开放时间|营业时间|办公时间|上班时间"), re.compile(r"\d+\s*[:：点时]")),
    (re.compile(r"多少钱|票价|价格|收费标准|怎么收费|几块钱|贵不贵"), re.compile(r"元|免费|票价|收费")),
    (re.compile(r"(什么时候|何时|哪天|几号|啥时候).{0,6}(恢复|开通|通车|开业|开放|开始|启用|完工|建成)"
                r"|(恢复|开通|通车|开业|完工|建成).{0,6}(什么时候|何时|哪天|几号|啥时候)"),
     re.compile(r"\d+\s*年|\d+\s*月|已(经)?(建成|开通|开放|完成|启用)|建成开放")),
    (re.compile(r"常住人口|户籍人口|人口(有)?多少"), re.compile(r"人口.{0,8}\d")),
    (re.compile(r"名单|有没有我|轮到我|在不在.{0,8}(名单|范围|计划)"), re.compile(r"名单")),
]
_CHINESE_ORDINALS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
_CHOICE = re.compile(r"^(?:第)?([1-5一二两三四五])(?:个|条|项|种)?(?:吧|啊|呀|呢|的)?$|^选([1-5一二两三四五])$")


def unanswerable(text: str) -> str | None:
    """Why the question is outside what published reports can answer, or None."""
    norm = normalize(text)
    if _LIVE.search(norm):
        return "问的是实时信息（天气、晚点、今日动态），资料中没有"
    if _PERSONAL.search(norm):
        return "问的是个人事务，需要本人到相关部门查询办理"
    return None


def misses_asked_detail(text: str, entry: Entry) -> bool:
    """True when the question asks for a detail (phone, address, hours …) the entry lacks."""
    norm = normalize(text)
    body = f"{entry.answer}\n{entry.detail}"
    return any(asked.search(norm) and not evidence.search(body) for asked, evidence in _ASKED_DETAILS)


def choice_number(text: str, count: int) -> int | None:
    """"2", "第二个", "选3" → that number, when it is one of the offered choices."""
    match = _CHOICE.match(normalize(text).replace(" ", ""))
    if not match:
        return None
    token = match.group(1) or match.group(2)
    number = int(token) if token.isdigit() else _CHINESE_ORDINALS[token]
    return number if 1 <= number <= count else None
