"""What a question asks for, and what an FAQ entry actually states.

The matcher finds the entry about the topic; this module decides whether that entry states the
detail asked. "公办专门学校什么时候开学" asks a DATE; an entry that only says the school is to be
built states no date, so the bot must say the reports give no date instead of answering.

- asked(question): the asks of a citizen's question. One tokenising pass in priority order
  ("多少钱" is PRICE before "多少" can be COUNT); words that only ask for content ("有什么政策",
  "目标是什么", "发展得怎么样") are consumed and ask nothing; "现在/目前" adds PROGRESS only when the
  question asks no other precise detail ("现在末班车几点" asks a time).
- stated(answer, detail): the asks the entry's text states, after removing the (sub-)clauses that
  only say a detail is not given ("报告未列具体村名单"), deny an achievement ("不代表已全部完成")
  or refer the citizen elsewhere ("具体标准以民政部门公布为准").
  DATE: a day, month or clock time, or a year tied to an event verb with no plan word between
  ("2020年…全线通车", "于2026年建成"); the dates of the source ("据2021年初株洲日报…访谈",
  "报告（2024年12月25日）", "2025年十大…") are not the event's date.
  PROGRESS: an achieved fact (已/建成/完成/累计/达到/开通 …) not inside the scope of a plan word
  (计划/将/力争/目标/提出/要/拟/民生实事 …, which covers the rest of its sentence); a source of the
  start of a year speaking of that year ("据2021年初…，2021年株洲…") is a plan too.
- unstated(asks, states): the asks left unanswered. YESNO itself never is: a yes/no question is
  answered by any entry on its subject, unless it is really about another ask, which asked()
  reports alongside ("免费吗" → PRICE, "开通了吗" → PROGRESS) and which must then be stated.
- plan_only(answer): targets without results.

Texts may come raw or already normalised (bot.language.textnorm.normalize: digits for Chinese numerals
before units, half width, lower case, punctuation dropped); both forms are handled.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from enum import StrEnum
from functools import lru_cache

from bot.language.features import char_sound
from bot.language.lexicon import COUNT_UNITS, NAME_MEASURE_CHARS, WHAT_WORDS, ZHUZHOU_DISTRICTS, alternation
from bot.language.textcache import MB, text_cached
from bot.language.textnorm import numerals_to_digits


class Ask(StrEnum):
    COUNT = "count"            # a count or amount: 多少家/几个/多少人/多大规模/多长(km)/比例/增速
    DATE = "date"              # a date or clock time: 什么时候/何时/哪年/几月/几号/几点/哪天
    DURATION = "duration"      # 多久/多长时间/要几分钟/几年建成/间隔多久
    PLACE = "place"            # 哪里/在哪/地址/位置/哪个站/什么地方/哪个区
    NAMES = "names"            # a list of names: 哪些/哪几个/名单/叫什么/具体是哪
    WHO = "who"                # 谁/哪个部门/哪个单位/找谁/谁负责
    HOW = "how"                # how to apply or where to go: 怎么申请/如何办理/去哪办/流程/材料
    PROGRESS = "progress"      # progress or state now: 进展/建成了吗/完成了多少/开通了吗
    PRICE = "price"            # 多少钱/票价/收费/价格/几块钱/贵不贵/要钱吗/免费吗
    YESNO = "yesno"            # 吗/有没有/是不是/能不能/会不会/可不可以 …
    DEFINITION = "definition"  # 是什么/什么意思/是指/指什么/干嘛的


ALL_ASKS: frozenset[str] = frozenset(ask.value for ask in Ask)

MISSING_TEXT: dict[str, str] = {  # and the Part values, below
    Ask.COUNT: "具体数量",
    Ask.DATE: "具体时间",
    Ask.DURATION: "所需时长",
    Ask.PLACE: "具体地点",
    Ask.NAMES: "具体名单",
    Ask.WHO: "负责的部门或人员",
    Ask.HOW: "申请或办理办法",
    Ask.PROGRESS: "目前的进展（已完成多少）",
    Ask.PRICE: "价格或收费标准",
    Ask.YESNO: "明确的答复",
    Ask.DEFINITION: "定义",
}

# Full-width digits, letters and % to half width; Chinese punctuation is kept (the patterns
# accept both forms).
_HALF_WIDTH = {code: code - 0xFEE0 for code in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B),
                                                 *range(0xFF41, 0xFF5B), 0xFF05)}


def _prep(text: str) -> str:
    return (text or "").translate(_HALF_WIDTH).lower()


# ---------------------------------------------------------------------------------------------
# asked(): one tokenising pass. At each position the first alternative that matches wins, so
# "多少钱" is PRICE before "多少" can be COUNT, "多长时间" DURATION before "多长" COUNT, and the
# words that only ask for content ("有什么政策") are consumed without an ask.
# ---------------------------------------------------------------------------------------------

_END = r"(?=[\s?？。!！,，;；…~～]|$)"
_WHAT = f"(?:{alternation(WHAT_WORDS)})"
# What a question asks when it asks "what policy/plan/support": the content, not a detail.
_CONTENT = (r"(?:政策|补贴|补助|支持|扶持|计划|部署|好处|安排|措施|举措|目标|要求|打算|规划|成绩|成果|成效|"
            r"变化|服务|工作|内容|建议|亮点|优惠|福利|帮助|救助|保障|作用|意义|影响|做法|经验|规定|动作|"
            r"考虑|想法|关系|区别|不同|联系|情况|特点|优势|问题|风险|任务|重点|方向|思路|办法|新闻|消息|"
            r"动态|行动|活动|新政|新规|讲究|注意|机会|前景|困难|奖励|表彰|荣誉|发展|进步|贡献|打法)")
# Nouns whose "是什么" asks the content too ("目标是什么"), unlike a name ("“三认”活动是什么").
_CONTENT_SUBJECT = (r"(?:目标|政策|计划|安排|措施|举措|要求|打算|规划|部署|成绩|成果|内容|建议|变化|好处|作用|"
                    r"意义|影响|区别|关系|情况|原因|问题|任务|重点|思路|做法|经验|主题)")
# Things that have names: "有什么项目/学校/公园" asks for their names.
_NAMED = (r"(?:项目|学校|中小学|大学|高校|院校|幼儿园|公园|车站|站点|站|医院|企业|公司|景点|景区|线路|路线|"
          r"航线|村|社区|小区|路段|道路|桥|场馆|体育馆|餐厅|食堂|产业园|园区|基地|工程|机场|电站|车次|列车|"
          r"班次|品牌|产品|城市|乡镇|小镇|镇|区县|县|馆|平台|网站|高速|铁路|地铁|公交|养老院|团伙|名校|街巷|"
          r"巷子|巷|湖|港|河|专线|工作队)")
_PROC_VERB = (r"(?:申请|申报|办理|办事|办|报名|预约|参加|参与|领取|领|购买|买票|买|购票|订票|预订|订|使用|用|注册|"
              r"登记|缴费|缴|交费|交|查询|查|投诉|举报|反映|加入|享受|认种|认养|认建|入住|下载|安装|开通|乘坐|坐|"
              r"借阅|借|报销|申领|兑换|获得|拿到|进去|进入|入园|操作|处理|维权|参评|参赛|入学|上学|落户|"
              r"接种|献血|查档|捐|补缴|补交|补办|补领|续缴|缴纳|提取|转移|迁移|变更|挂失|注销|认定|开具)")
# "如何进行实名注册", "怎么网上申请": how, before the procedure's verb
_HOW_TO = (r"(?:怎么样|怎么|怎样|如何|咋样|咋|么样|该怎么|要怎么|怎么才能|如何才能)(?:去|来|能|才能)?"
           r"(?:进行)?(?:实名|网上|在线|线上|现场|手机上?)?")
_HOW_OF = re.compile(rf"{_HOW_TO}({_PROC_VERB})")
# Verbs that say little of their own: "怎么办理", "如何使用" are of whatever follows them
_GENERIC_PROC_VERBS = frozenset({"办理", "办事", "使用", "处理", "操作", "获得", "享受", "参加", "参与", "进去", "进入",
                                 "拿到"})


@text_cached(1 * MB)  # a function of the question, asked by the gate of every candidate
def procedure_verbs(question: str) -> list[str]:
    """The procedures a how-question asks of ("如何进行实名注册" → 注册), when they say something of
    their own: an entry telling how to do something else ("推行一窗办、就近办") does not answer it."""
    text = _verb_slips_read(_prep(question))
    verbs = [*_HOW_OF.findall(text), *(m.group(1) or m.group(2) for m in _MUST_ONE_DO.finditer(text))]
    return list(dict.fromkeys(v for v in verbs if len(v) >= 2 and v not in _GENERIC_PROC_VERBS))


# "要不要预约", "需要带什么材料": a step of the procedure, which the entry must speak of
_MUST_ONE_DO = re.compile(r"(?:要不要|需不需要|用不用|需要|要|得)(?:提前|先)?(预约|报名|登记|排队|排号|备案)"
                          r"|(?:带|准备|提交|需要|要)(?:些)?(?:什么|哪些|啥|么子)?(材料)")


# An event whose having happened the question asks about ("开通了吗").
_EVENT = (r"(?:建成|建好|建完|修好|修通|修完|完成|完工|竣工|开通|通车|开工|动工|投用|投入使用|启用|开放|开业|"
          r"运营|营业|上线|落地|实现|解决|脱贫|验收|贯通|恢复|办学|搬迁|改造|落实|兑现|到位|拆迁|清零|达标|"
          r"批下来|成立|揭牌|出台|发放|提高|调整|搞好|搞完|弄好|做完|装好|停运|停办|取消|关闭|获评|评上|入选|纳入|改名|"
          r"做到|达到|装|建|修|通|开|搬|拆|发|涨|批|办|出来)")
_EVENT_NEGATED = (r"(?:建成|建好|修好|修通|完成|完工|竣工|开通|通车|开工|动工|投用|投入使用|启用|开放|开业|运营|上线|"
                  r"落地|实现|解决|脱贫|验收|贯通|恢复|办学|搬迁|改造|落实|兑现|到位|清零|成立|出台|发放|提高|停运|达到|做到)")
_COUNT_UNIT = f"(?:{alternation(COUNT_UNITS)})"

_A = Ask
_TOKENS: list[tuple[frozenset[Ask], str]] = [
    # ---- words that ask for content only, consumed so that they ask nothing ----
    (frozenset(), rf"(?:有|做|办|搞|出台|提|提出|推出|给|采取|要办|都有|还有|有些)?了?(?:{_WHAT}|哪些|些{_WHAT}|"
                  rf"什么样的?)(?:新的?|具体的?|主要的?)?{_CONTENT}"),
    (frozenset(), rf"{_CONTENT_SUBJECT}(?:是|有|为|包括|都有|都是)(?:{_WHAT}|哪些)"),
    (frozenset(), r"怎么回事|咋回事|么回事|怎么样(?!了)|咋样(?!了)|好不好|什么样"),
    # ---- early, specific forms ----
    (frozenset({_A.HOW}), r"(?:谁|哪些人|什么人|啥人|哪种人|哪类人|么子人|哪个)才?(?:可以|能|能够|有资格|符合|够格|"
                          r"可)去?(?:申请|享受|领|领取|报名|参加|办|办理|入住|申报|参与|报)"),
    (frozenset({_A.PLACE, _A.HOW}), r"(?:去|到|在|上|找)?(?:哪里|哪儿|哪块|哪边|哪个地方|什么地方|啥地方|么子地方|哪|"
                                    r"那里(?=办|申请|报名))"
                                    r"(?:可以|能|能够|才能|去|来)?(?:办理|办|申请|报名|领取|领|购买|买|预约|投诉|举报|反映|咨询|"
                                    r"登记|缴|交|查|申报|兑换|排队|拿)"),
    (frozenset({_A.WHO}), rf"(?:副市长|市长|市委书记|书记|局长|主任|老板|董事长|总经理|校长|院长|负责人|创始人|队长|"
                          rf"主席|部长|"
                          rf"经理|站长|馆长)(?:是|叫|姓)?(?:谁|哪个|哪位|哪一位|叫{_WHAT}|叫啥|{_WHAT}名字|名字|姓{_WHAT}|姓啥|是哪)"),
    (frozenset({_A.DURATION}), r"(?:建|修|搞|弄|用|花|历)了(?:多少|几)个?(?:年|天|月|小时|分钟)"),
    # "已完成多少", "建成了几个": how many so far; "一共完成多少户" may be a target (COUNT only)
    (frozenset({_A.PROGRESS, _A.COUNT}), r"(?<![要将划争能])(?:已经|已)(?:建成|建好|完成|开通|竣工|完工|投用|投入使用|"
                                         r"落地)了?"
                                         r"(?:多少|几多|几)|(?<![要将划争能])(?:建成|建好|完成|开通|竣工|完工|投用|投入使用|落地)了"
                                         r"(?:多少|几多|几)"),
    (frozenset({_A.COUNT}), r"(?:建成|建好|完成|开通|竣工|完工|投用|落地)(?:多少|几多|几)"),
    # "说要建1500座，实际建成了多少": the outcome, against the plan
    (frozenset({_A.PROGRESS, _A.COUNT}), r"实际(?:上)?[\u4e00-\u9fff]{0,3}?了?(?:多少|几多|几)"),
    (frozenset({_A.PROGRESS, _A.COUNT}), r"(?:已经|已)?(?:建|开|修|改造|改|开工|安置|培训|救助|签|引进|招|搬迁|拆迁|装|"
                                         r"加装|发放|发|办|新增|增加|脱贫|实现)了(?:多少|几多|好多|几)"
                                         r"(?!个?(?:年|月|天|周|星期|小时|钟头|分钟))"),
    (frozenset({_A.COUNT}), r"(?:有|是|共|达|一共|总共)(?:多少|几)天|天数"),
    (frozenset({_A.PLACE}), r"几号线|几路(?:车|公交)?"),
    (frozenset({_A.NAMES}), r"(?:是指|指的是|所指|指)(?:哪些|哪几|哪)"),
    (frozenset({_A.PLACE, _A.NAMES}), r"哪些(?:地方|区域|地点|位置|区县|区|县)"),
    (frozenset({_A.WHO, _A.NAMES}), r"哪些(?:部门|单位|机构)"),
    (frozenset({_A.PROGRESS}), r"进展|进度|进程|(?:完成|建设|推进|落实|实施|施工|改造)情况|到哪一步|到哪步|到哪了|"
                               r"到什么程度|到什么地步|什么阶段|哪个阶段|哪一步"),
    # ---- PRICE ----
    (frozenset({_A.PRICE}), r"(?:多少|几多|好多|几个)钱|几块钱?|几毛|几元|多少块|好多块|房价|物价|油价|菜价|股价"),
    (frozenset({_A.PRICE}), r"(?:有没有|有冇得?|有无|冇得|没有|有|能不能领|能领|可以领|能拿|可以拿|领得到)(?:补贴|补助|"
                            r"津贴|优惠|减免|报销)"),
    (frozenset({_A.PRICE}), r"(?:低保|补贴|补助|救助金|养老金|退休金|工资|津贴|抚恤金)(?:标准|金额)?(?:是|为|有|能|"
                            r"每月|每个月|一个月|一月|一年)?(?:涨|加|提高|调|发|领)?了?(?:多少|几多|好多|几块)"),
    (frozenset({_A.PRICE}), r"(?:收费标准|金额)(?:是|为)?(?:多少|几多|好多)?"
                            r"|(?:补贴|补助|救助|保障)标准(?:是|为|有)?(?:多少|几多|好多|多高|是几|怎么算)"),
    (frozenset({_A.PRICE}), r"(?:票价|价格|价钱|价位|收费|收钱|要钱|费用|花费|门票|学费|房租|租金|贵不贵|贵吗|贵么|"
                            r"贵啵|便宜|"
                            r"免费|免不免费|收不收费|收不收钱|要不要钱|实惠)(?:是|为|要|大概|大约|约)?(?:多少|几多|好多)?"),
    # ---- DURATION ----
    # "再过几年经济能做到多大": when, as a time frame; what is asked comes after it
    (frozenset(), r"再过几(?:年|个月|天)"),
    (frozenset({_A.DURATION}), r"(?<![这那近前去好十后来头])(?:几|多少)(?:个月|个星期|个小时|个钟头|分钟|小时|钟头|"
                               r"天|周|星期|年)(?!级|份|底|初)"),
    (frozenset({_A.DURATION}), r"多久|多长时间|多长的时间|多少时间|好长时间|多快|几久|要好久|等好久|隔好久|"
                               r"好久(?=能|才|一班|一趟|来|到|开|通|建|办|[\s?？。!！,，]|$)"),
    (frozenset({_A.DURATION}), r"(?:运行|行车|乘车|坐车|车程|间隔|发车间隔|审核|审批|办理|等待|排队|花|需要|要|"
                               r"耗)的?时间(?:是|要|有|大概|大约|约)?(?:多少|几多|多久|多长)?"),
    (frozenset({_A.DURATION}), r"(?:时长|工期|时限|周期|用时|耗时|历时|车程|间隔|有效期|期限|一班车?要?等)(?:是|要|有|"
                               r"大概|大约|约)?(?:多少|几多|多久|多长)?(?:的?时间)?"),
    # ---- DATE ----
    # opening hours ("周末有没有门诊") and the way somewhere ("株洲火车站怎么走")
    (frozenset({_A.DATE}), r"(?:周末|周六|周日|星期天|节假日|晚上|夜间|中午)[\u4e00-\u9fff]{0,4}(?:开门|上班|门诊|营业|"
                           r"开放|办公)"),
    (frozenset({_A.PLACE}), r"怎么走|怎么去|咋走|咋去|坐几路|乘几路|什么路线|哪条路线"),
    (frozenset({_A.DATE}), rf"{_WHAT}(?:时候|时侯|时后|时间|日子|日期)|何时|几时(?!候)|哪一?年|几几年|哪一?个?月|"
                           rf"几月份?|几号|几日|"
                           r"哪一?天|哪日|几点钟?|多早|多晚|啥时|么时候?|哪个时候|哪阵"),
    (frozenset({_A.DATE}), r"时刻表?|日期|时间表|时间安排|时间(?:是|为)?(?:多少|几点|哪天|什么时候)|"
                           r"(?<![减省花节争抢攒])时间" + _END),
    (frozenset({_A.DATE}), r"(?:开放|营业|开学|上班|下班|办公|开门|关门|报名|截止|具体|发车|开车|到站|出发|举办|举行|"
                           r"开始|结束|"
                           r"启用|开通|通车|建成|完工|开工|投用|上线|恢复|搬迁|放映|活动|比赛|考试|发放|领取|申请|门诊|接种|首班|"
                           r"末班|上课|放假|入学|开业|竣工|交房|运营|收车|出车)的?时间"),
    # ---- PLACE ----
    (frozenset({_A.PLACE}), r"哪一?个?(?:车站|站|区|县|市|镇|乡|街道|村|社区|小区|条路|路|条街|街|口|门|校区|院区|片区|"
                            r"出口|入口|城市|省|楼|地段|方向|位置)"),
    # "增速在全省排在什么位置", "处于什么位次": a rank (Part.RANK), not a place
    (frozenset(), rf"(?:排|排名|排在|排到|处于|位于|居于?){_WHAT}(?:位置|位次|名次|水平)"),
    (frozenset({_A.PLACE}), rf"{_WHAT}(?:站|位置|区|县|城市)"),
    (frozenset({_A.PLACE}), rf"哪里|哪儿|哪块|哪边|哪点(?!钟)|(?:在|去)哪(?!一?天|一?年|一?个?月|个时候|阵)|"
                            rf"到哪(?!一步|步|个程度|了|些|几|一?类|一?级|"
                            rf"一?档|一?等|个等级|个级别|个水平|个标准|一?年|一?天|一?月|个月)|什么地方|啥地方|么子地方|哪个地方|"
                            rf"地址|地点|位置|选址|坐落|位于|方位|怎么走|怎么去|咋走|咋去|么样去|怎样去|如何去|怎么到|"
                            rf"在那里{_END}|在那儿{_END}"),
    # ---- WHO ----
    (frozenset({_A.WHO}), r"由(?:哪个|哪家|哪些|哪)[^，,。？?\s]{0,6}|哪个(?:国企|企业|公司)来|谁|哪位|哪一位|找哪个|"
                          r"哪个(?:部门|单位|机构|局|委|办|科室|组织|领导|人)|什么(?:部门|单位|机构)|"
                          r"哪家(?:部门|单位|机构)|归(?:哪|谁)管|哪个来?(?:负责|管|牵头|主持|作|做的|搞的|办的|批)|"
                          r"负责(?:人|部门|单位)|主管部门|牵头(?:部门|单位)|联系人|联系方式|怎么联系|"
                          r"(?:电话|热线|手机号|号码|邮箱)(?:号码)?(?:是)?(?:多少|几多)?"),
    # ---- NAMES ----
    (frozenset({_A.NAMES}), rf"有?哪些|有?哪几(?:个|家|所|项|条|座|种|类|件|位|批)?|哪[0-9十两三四五六七八九]+|"
                            rf"名单|名录|清单|目录|列表|榜单|名称|名字|叫{_WHAT}|叫啥|叫么子|啥名|分别是(?!多少|几|好多)|分别叫|分别为(?!多少|几)|分别有(?!多少|几)|"
                            rf"都是{_WHAT}|都有{_WHAT}|都有哪|都有些{_WHAT}|具体是哪|包括{_WHAT}|包括哪|包含哪|包含{_WHAT}"),
    (frozenset({_A.NAMES}), rf"(?:有|建|开|都有)?(?:{_WHAT}|哪些)(?:新的?)?{_NAMED}"),
    (frozenset({_A.NAMES}), r"哪(?:一个|一家|一所|一座|一条|个|座|所|家|条|种|类|款|批)"),
    # ---- DEFINITION ----
    (frozenset({_A.DEFINITION}), rf"是{_WHAT}(?!样|时候|时侯|时间|日子|地方|价|钱|原因|情况|政策|计划|目标|安排|措施|"
                                 rf"内容|条件|要求|标准|"
                                 r"材料|流程|手续|进展|级别|水平|样子|颜色|部门|单位|机构|名字|名称)"),
    (frozenset({_A.DEFINITION}), rf"{_WHAT}意思|{_WHAT}含义|什么叫|啥叫|么子叫|何谓|何为|什么是|啥是|是指|指{_WHAT}|"
                                 rf"指的{_WHAT}|"
                                 rf"指的是{_WHAT}|指啥|干嘛的|干什么的|做什么的|做啥的|搞{_WHAT}的|是干嘛|定义|含义|解释一下|"
                                 rf"怎么理解|如何理解|咋理解|是个{_WHAT}|{_WHAT}东西|啥玩意"),
    # ---- HOW ----
    # "关人了怎么办" is a plea, not a question about a procedure ("怎么办理" is)
    (frozenset({_A.HOW}), rf"(?!(?:怎么|咋|该怎么|要怎么)办(?!理|事|证|手续))"
                          rf"{_HOW_TO}{_PROC_VERB}"),
    (frozenset({_A.HOW}), r"流程|程序|手续|步骤|所需材料|(?:什么|哪些|啥|需要|要|带|准备|提交|申请|办理)材料|材料清单|"
                          r"证件|需要带|要带|"
                          r"带什么|带啥|资格|门槛|(?:什么|哪些|啥|申请|报名|入住|享受|办理|符合|满足|有)条件|条件是|"
                          r"(?:申请|报名|办理|申报|入住|参加|领取|享受)(?:办法|方式|途径|渠道|入口|指南|要求)"),
    # "能在网上办吗" asks the procedure; "村里能办事吗" only whether it can be done (YESNO).
    (frozenset({_A.HOW}), r"(?:网上|线上|手机上?|掌上|app上?|微信上?|自助)(?:能|可以|能不能|可不可以)?"
                          r"(?:办|申请|报名|办理|预约|缴|交|查)|(?:需要|要不要|需不需要|用不用|要)预约|预约吗"),
    # ---- PROGRESS ----
    (frozenset({_A.PROGRESS}), r"(?:怎么样|咋样|么样|如何|怎样)了"),
    (frozenset({_A.PROGRESS}), r"(?:建|修|搞|推进|施工|改造|进行|落实|完成|弄|装|建设|实施|整治|治理|搬)(?:得|"
                               r"的)(?:怎么样|咋样|么样|如何|怎样)"),
    (frozenset({_A.PROGRESS}), r"已经|已(?!知)|到现在|至今|迄今|截至目前|截止目前|到目前|为止"),
    # "建成了吗" asks the state now; "是不是加密了", "是不是在建" only whether (YESNO), which an
    # entry on the subject answers.
    (frozenset({_A.PROGRESS}), rf"{_EVENT}[\u4e00-\u9fff]{{0,3}}了(?:吗|嘛|么|没有|没|冇得?|啵|不)?{_END}"),
    (frozenset({_A.PROGRESS}), rf"{_EVENT}(?:好|完|走|掉|成|通)?(?:没有|没|冇){_END}"),
    (frozenset({_A.PROGRESS}), rf"(?:还|仍|尚|怎么|为什么|为啥)(?:没有|没|冇|未)有?(?:{_EVENT_NEGATED}|建|修|搬|拆)"),
    # "还没有改造" asks why not yet; "有没有改造计划" only whether (YESNO)
    (frozenset({_A.PROGRESS}), rf"(?<!有)(?:没有|没|冇|尚未|未)有?{_EVENT_NEGATED}"),
    # ---- COUNT ----
    (frozenset({_A.COUNT}), r"连续(?:几|多少)(?:年|届|次)|第几|排第|排名(?:第几|多少|怎么样|如何|情况|是)|排多少|"
                            r"几连冠|多少连冠"),
    (frozenset({_A.COUNT}), r"(?<![这那好十后来前近去])几(?!乎|何|年)(?:十|百|千|万|亿)?" + _COUNT_UNIT + "?"),
    (frozenset({_A.COUNT}), r"多不多|多少|几多|(?:有|是|建|开|要)好多(?!钱|块)|好多(?:个|家)"),
    (frozenset({_A.COUNT}), r"多大|多高|多远|多宽|多深|多重|多厚|多长(?!时间)|多粗|数量|数目|个数|总数|人数|户数|人次|"
                            r"(?:什么|多大|啥)规模|规模(?:是|有)?(?:多大|多少|如何|怎么样)|"
                            r"增速|增幅|涨幅|降幅|比例|比重|占比|百分之几|百分比|覆盖率|普及率|"
                            r"就诊率|利用率|优良率|达标率|死亡率|城镇化率|投资额"),
]

_TOKEN_ASKS = {f"t{i}": asks for i, (asks, _) in enumerate(_TOKENS)}
_TOKEN_RE = re.compile("|".join(f"(?P<t{i}>{pattern})" for i, (_, pattern) in enumerate(_TOKENS)))
# "建没建", "开没开": asked whether it has happened ("提没提", "写没写": only whether a report says it).
_V_NOT_V = re.compile(r"(?![有提说讲写列])([\u4e00-\u9fff])没\1")


def _first_chars(pattern: str) -> frozenset[str] | None:
    """The characters a match of the pattern can start with, or None when unknown/any."""
    try:
        from re import _constants as c  # the stdlib's own parser; absent → no dispatch
        from re import _parser
    except ImportError:  # pragma: no cover
        return None

    def of_sequence(items) -> tuple[set[str], bool] | None:
        chars: set[str] = set()
        for op, av in items:
            item = of_item(op, av)
            if item is None:
                return None
            chars |= item[0]
            if not item[1]:
                return chars, False
        return chars, True

    def of_item(op, av) -> tuple[set[str], bool] | None:
        if op is c.LITERAL:
            return {chr(av)}, False
        if op is c.IN:
            chars = set()
            for kind, value in av:
                if kind is c.LITERAL:
                    chars.add(chr(value))
                elif kind is c.RANGE and value[1] - value[0] < 128:
                    chars.update(chr(x) for x in range(value[0], value[1] + 1))
                else:
                    return None
            return chars, False
        if op is c.BRANCH:
            chars, nullable = set(), False
            for branch in av[1]:
                item = of_sequence(branch)
                if item is None:
                    return None
                chars |= item[0]
                nullable = nullable or item[1]
            return chars, nullable
        if op is c.SUBPATTERN:
            return of_sequence(av[3])
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", c.MAX_REPEAT)):
            item = of_sequence(av[2])
            return None if item is None else (item[0], item[1] or av[0] == 0)
        if op in (c.ASSERT, c.ASSERT_NOT, c.AT):
            return set(), True
        return None

    try:
        result = of_sequence(_parser.parse(pattern))
    except Exception:  # pragma: no cover - a parser of another Python version
        return None
    if result is None or result[1]:
        return None
    return frozenset(result[0])


def _dispatch() -> dict[str, re.Pattern] | None:
    """For each character a token can start with, one regex of just those tokens (in order):
    scanning then tries a handful of alternatives at the few positions that can start one."""
    firsts = [_first_chars(pattern) for _, pattern in _TOKENS]
    if any(first is None for first in firsts):
        return None
    by_char: dict[str, list[int]] = {}
    for index, first in enumerate(firsts):
        for char in first:
            by_char.setdefault(char, []).append(index)
    compiled: dict[tuple[int, ...], re.Pattern] = {}
    table = {}
    for char, indices in by_char.items():
        key = tuple(sorted(indices))
        if key not in compiled:
            compiled[key] = re.compile("|".join(f"(?P<t{i}>{_TOKENS[i][1]})" for i in key))
        table[char] = compiled[key]
    return table


_DISPATCH = _dispatch()


def _tokens(text: str):
    """The ask tokens of the text, as re.finditer over the whole alternation would find them."""
    if _DISPATCH is None:  # pragma: no cover
        yield from _TOKEN_RE.finditer(text)
        return
    position, end = 0, len(text)
    while position < end:
        regex = _DISPATCH.get(text[position])
        if regex is not None:
            match = regex.match(text, position)
            if match is not None and match.end() > position:
                yield match
                position = match.end()
                continue
        position += 1

_YESNO_RE = re.compile(
    rf"吗|嘛{_END}|(?<![什怎这那多要为])么{_END}|啵|冇得?{_END}|没有?{_END}|不{_END}|没得{_END}|有没有|有冇|有木有|有无|"
    rf"是不是|是否|能不能|能否|可不可以|可以不|可否|会不会|要不要|用不用|需不需要|需要不|算不算|对不对|行不行|够不够|"
    rf"了没|了冇|(?!有)([\u4e00-\u9fff])不\1|(?:是|对|有)吧{_END}"
)
# "现在/目前" ask for the state now, unless the question asks another precise detail of it
# ("现在末班车几点" asks a time, not progress).
_NOW_RE = re.compile(r"现在|目前|当前|如今|眼下|现阶段|最新")
_NOW_BLOCKERS = frozenset({Ask.DATE, Ask.PRICE, Ask.PLACE, Ask.DURATION, Ask.HOW, Ask.WHO, Ask.DEFINITION})

_PLANNED_EVENT = re.compile(r"(?:要|将|会|准备|打算|计划|快)(?:开始|马上)?[\u4e00-\u9fff]{0,2}?(?:建|修|开通|通车|开工|"
                            r"动工|启用|改造|开|搬)")
_STATE_NOW = re.compile(r"已经|已(?!知)|现在|目前|至今|到现在|进展|进度|实际")
_FUTURE = re.compile(r"以后|将来|今后|未来|往后|明年|后年|到时候")
# A clause that asks: a question mark, a question particle or an interrogative word.
_ASKING_CLAUSE = re.compile(r"[?？]|吗|呢|么|啵|嘛|没有?$|冇|哪|什么|啥|么子|几|多少|好多|怎|咋|如何|谁|何|是否|"
                            r"能不能|会不会|有没有|可不可以|是不是|要不要|请问|想问|想知道|咨询")
_V_OR_NOT_V = re.compile(r"([\u4e00-\u9fff])[不没]\1")  # "收不收费", "通没通"
# what a citizen heard or read ("听说市里要…", "看新闻说…"), before asking about it
HEARD = re.compile(r"(?:我|又|还)?(?:听说|据说|听讲|听人讲|听人说|看到报道|看到新闻|看新闻|新闻上|新闻里|报纸上"
                   r"|报道说"
                   # "听战友说", "亲戚说": heard from someone
                   r"|听[\u4e00-\u9fff]{1,3}?(?:说|讲)|(?:亲戚|朋友|邻居|同事|战友|别人|人家|有人)(?:说|讲|讲起))")
_CLAUSE_END = re.compile(r"(?<=[，,。!！；;？?])")
_SENTENCE_END = re.compile(r"(?<=[。!！？?\n])")


def _scanned(text: str) -> set[Ask]:
    """The asks the tokens of a text give."""
    found: set[Ask] = set()
    for match in _tokens(text):
        found |= _TOKEN_ASKS[match.lastgroup]
    if _V_NOT_V.search(text):
        found.add(Ask.PROGRESS)
    return found


def _of_the_questions(text: str) -> list[str]:
    """The clauses of the sentences a question mark ends, when the text has other sentences too."""
    sentences = [s for s in _SENTENCE_END.split(text) if s.strip()]
    if len(sentences) > 1 and any(s.rstrip()[-1] in "?？" for s in sentences):
        return [c for s in sentences if s.rstrip()[-1] in "?？" for c in _CLAUSE_END.split(s) if c.strip()]
    return []


def asking_clauses(text: str, with_heard: bool = False) -> str:
    """The clauses of a message that ask something; the last clause when none looks like a question.
    With a question mark, only the sentences it ends ask: "经常在几家医院之间看病。" tells a story.
    `with_heard`: and the clauses of what the citizen heard the question is of ("听说市里要建X，
    是什么样的？"), which say what it is about but ask nothing ("听说那里不办客运了" asks no progress)."""
    clauses = [c for c in _CLAUSE_END.split(text) if c.strip()]
    if len(clauses) < 2:
        return text
    clauses = _of_the_questions(text) or clauses
    asking = [c for c in clauses if _ASKING_CLAUSE.search(c.rstrip("，,。!！；;")) or _V_OR_NOT_V.search(c)]
    if asking and with_heard:
        asking = [c for c in clauses if c in asking or HEARD.match(c.strip())]
    return "".join(asking or clauses[-1:])


# A procedure's verb typed with a pinyin slip after a how-word ("怎么注测账号" for 注册, "如何申情"):
# the slip keeps the verb's sound, so the question still asks how.
_HOW_THEN_TWO = re.compile(rf"{_HOW_TO}([\u4e00-\u9fff]{{2}})")


@lru_cache(maxsize=1)
def _proc_verbs_by_sound() -> dict[str, str]:
    verbs = re.findall(r"[\u4e00-\u9fff]{2}(?=[|)])", _PROC_VERB)
    return {"".join(map(char_sound, verb)): verb for verb in verbs}


def _verb_slips_read(text: str) -> str:
    def read(match: re.Match) -> str:
        written = match.group(1)
        verb = _proc_verbs_by_sound().get("".join(map(char_sound, written)), written)
        return match.group(0)[:-2] + verb
    return _HOW_THEN_TWO.sub(read, text)


@text_cached(2 * MB)
def asked(question: str) -> frozenset[Ask]:
    """What the question asks for (empty for a bare topic such as '棚改' or '十大民生实事')."""
    text = _verb_slips_read(_prep(question))
    found = _scanned(text)
    asking = asking_clauses(text)
    question = text
    if asking != text and _ASKING_CLAUSE.search(asking):
        # "我家要拆了，今年安置房有多少套？", "想去做志愿服务攒点时长，株洲有冇这种做法": the story is not the question
        found &= _scanned(asking)
        question = asking
    if _YESNO_RE.search(text):
        found.add(Ask.YESNO)
    # "现在建了几家", "目前有哪些": the state now; "现在还能坐吗" asks whether, which the dated
    # entry answers. "到现在还在用液化气罐。2021年市里说要让多少个乡镇通气？" tells of now, asks a plan.
    if (Ask.PROGRESS not in found and not found.isdisjoint({Ask.COUNT, Ask.NAMES})
            and found.isdisjoint(_NOW_BLOCKERS) and _NOW_RE.search(question)):
        found.add(Ask.PROGRESS)
    # "是不是要开始建了", "会不会开通", "以后能不能在村里就办了": a plan asked about, not the state now
    if Ask.PROGRESS in found and (_PLANNED_EVENT.search(text) or _FUTURE.search(text)) and not _STATE_NOW.search(text):
        found.discard(Ask.PROGRESS)
    return frozenset(found)


# ---------------------------------------------------------------------------------------------
# stated(): evidence in the entry's text, once the clauses that state nothing are removed.
# ---------------------------------------------------------------------------------------------

_SENTENCE_SPLIT = re.compile(r"(?<=[。；;！!？?\n])")
_CLAUSE_SPLIT = re.compile(r"(?<=[，,])")
_TERMINATORS = "。；;！!？?\n"

# "报告未列具体村名单", "没有写出…金额", "未对这两个词作进一步解释", "无具体时间", "不详".
_DISCLAIMER = re.compile(
    r"(?:未(?!来|成年|知数)|没有|并未|尚未|从未|不曾)[^，,。；;\n]{0,10}?"
    r"(?:列|给出|给|公布|提及|提到|说明|明确|写|介绍|展开|解释|交代|披露|透露|提供|注明|标明|载明|涉及|细化|具体|说|讲|"
    r"点名|报道|显示|附)"
    r"|没(?:写|列|给|说|讲|提|公布|介绍)"
    r"|(?<![障偿人缝论])无(?:具体|明确|详细|公开)"
    r"|不(?:详|明确|清楚|确定)|暂无|暂未|待定|尚不清楚|未知"
    r"|没有[^，,。；;\n]{0,12}(?:细节|具体|信息|数字|数据|名单|金额|标准|时间表)"
)
# Hedges that deny an achievement the clause names ("不代表已全部完成", "不是已实现的数据").
_HEDGE = re.compile(r"不代表|不等于|并不意味|不意味着|不是已|并非已?|不是(?:已|最终|确定)|只是前期|只是计划|属企业目标")
# Referrals elsewhere: they name a detail ("具体收费项目和标准请咨询…") without stating it.
_REFERRAL = re.compile(r"为准|请咨询|可咨询|咨询当地|向[^，,。；;\n]{1,25}咨询|请向|请到|请通过|请关注|请以|请留意|"
                       r"以[^，,。；;\n]{1,25}公布")
# A referral that tells where to apply or complain is a procedure ("申请救助请向…民政部门咨询").
_REFERRAL_PROCEDURE = re.compile(r"申请|办理|投诉|举报|反映|报名|入住|办事")
_METHOD_NOUN = re.compile(r"办法|方式|流程|条件|标准|规则|时间|地点|名单|金额|链接")
# An embedded question in a disclaimer sentence ("具体哪些检查项目可互认，报告未写").
_INTERROGATIVE = re.compile(r"如何|怎么|怎样|哪些|哪个|哪座|哪所|哪家|哪里|哪几|是否|何时|多少|什么|几时")


@text_cached(2 * MB)
def without_disclaimers(text: str) -> str:
    """The text (lower case, half width) without what only says a detail is not given, denies an
    achievement or refers elsewhere: what the entry really states. The one definition of a
    disclaimer, for every check of an entry against a question."""
    return _kept(_prep(text))


def _kept(text: str) -> str:
    """The text without the (sub-)clauses that only say a detail is not given, deny an
    achievement, or refer the citizen elsewhere."""
    out: list[str] = []
    for sentence in _SENTENCE_SPLIT.split(text):
        if not sentence:
            continue
        if not (_DISCLAIMER.search(sentence) or _HEDGE.search(sentence) or _REFERRAL.search(sentence)):
            out.append(sentence)
            continue
        body = _kept_clauses(sentence)
        if body:
            if body[-1] not in _TERMINATORS:
                body = body.rstrip("，,") + "。"
            out.append(body)
        elif sentence[-1] == "\n":
            out.append("\n")  # a paragraph break outlives its sentence
    return "".join(out)


# Why a clause of a sentence that disclaims, hedges or refers is dropped. Each rule gets the
# clause and whether its sentence says a detail is not given (`disclaimed`) and whether it
# refers the citizen elsewhere (`referred`); a clause no rule drops is kept.
def _denies(clause: str, disclaimed: bool, referred: bool) -> bool:
    """The clause itself disclaims or hedges ("报告未列具体村名单", "不代表已全部完成")."""
    return bool(_DISCLAIMER.search(clause) or _HEDGE.search(clause))


def _asks_what_is_not_given(clause: str, disclaimed: bool, referred: bool) -> bool:
    """The question the disclaimer is about ("具体哪些检查项目可互认，报告未写")."""
    return (disclaimed or referred) and bool(_INTERROGATIVE.search(clause))


def _names_referred_detail(clause: str, disclaimed: bool, referred: bool) -> bool:
    """The detail the referral sends elsewhere ("具体收费标准，请咨询…"), unless the clause is
    about how to apply or complain."""
    return (referred and not disclaimed and bool(_METHOD_NOUN.search(clause))
            and not _REFERRAL_PROCEDURE.search(clause))


def _refers(clause: str, disclaimed: bool, referred: bool) -> bool:
    """The referral itself ("以民政部门公布为准"), unless it tells where to apply or complain
    ("申请救助请向…民政部门咨询") without naming a detail."""
    return bool(_REFERRAL.search(clause)) and not (_REFERRAL_PROCEDURE.search(clause)
                                                   and not _METHOD_NOUN.search(clause))


_DROPPED_CLAUSES = (_denies, _asks_what_is_not_given, _names_referred_detail, _refers)


def _kept_clauses(sentence: str) -> str:
    """The clauses of a disclaiming, hedging or referring sentence that still state something."""
    disclaimed = bool(_DISCLAIMER.search(sentence))
    referred = bool(_REFERRAL.search(sentence))
    return "".join(clause for clause in _CLAUSE_SPLIT.split(sentence)
                   if not any(rule(clause, disclaimed, referred) for rule in _DROPPED_CLAUSES))


# Quoted names and slogans ("“两项补贴”", "“蓝天300天”") hold numerals that count nothing.
_QUOTED = re.compile(r"“[^”]{0,24}”|‘[^’]{0,24}’|「[^」]{0,24}」|\"[^\"]{0,24}\"")


def _unquoted(text: str) -> str:
    return _QUOTED.sub(lambda m: "“" + "□" * (len(m.group(0)) - 2) + "”", text)


_NUM = (r"(?:(?<![\d.a-z第])\d+(?:[.,]\d+)*|(?<![第一二两三四五六七八九十百千零〇])(?:[二两三四五六七八九十百]|"
        r"[一二两三四五六七八九十百千零〇]{2,})(?![大连级等]))")
_COUNT_EVIDENCE = re.compile(
    rf"{_NUM}(?:[-—~～至到]{_NUM})?[\s>》」”’)）]*(?:余|多)?(?:万|亿|千)?(?:余|多)?\s*"
    r"(?:人次|个|家|户|人|对|趟|项|座|所|条|公里|千米|平方公里|平方米|米|亩|%|‰|倍|次|场|套|台|辆|名|吨|支|处|件|批次|批|"
    r"届|位|岁|类|种|张|部|篇|起|组|班|列|只|头|棵|株|本|元|千瓦|兆瓦|立方米|间|栋|层|床|万|亿)"
    r"|/\d+万|(?:排名|排|居|位居|位列|列|全国|全省|全市|长株潭)[^，,。；;\n]{0,8}第[一二三四五六七八九十\d]+"
    r"|连续第?[\d一二三四五六七八九十]+(?:年|届|次)"
    r"|(?:[ⅰ-ⅻⅠ-Ⅻ]|(?<![a-z])[ivx]{1,4})类"
)
_ONE_BATCH = re.compile(r"(?<![\d一二两三四五六七八九十])一(?:批|些|系列)")
_STREAK = re.compile(r"[一二三四五六七八九十\d]+连冠")

# DATE: dates tied to the source ("据2021年初株洲日报…访谈", "报告（2024年12月25日）",
# "2024年12月25日，市长…作政府工作报告") are blanked before looking for the event's date.
_SOURCE_SPAN = re.compile(r"据[^，,。；;\n]{0,40}?(?:报告|报道|会议|访谈|介绍|消息|通报|统计|公报|解释)")
_SOURCE_PAREN = re.compile(r"(?:报告|报道|会议|消息|访谈|来自[^（(]{0,20})[（(][^）)]{0,20}[）)]"
                           r"|[（(]\d{4}年(?:\d{1,2}月(?:\d{1,2}日)?)?[）)]")
_DATE_CORE = r"(?:\d{4}年)?\d{1,2}月(?:\d{1,2}[日号])?|\d{4}年(?:初|底|中|末)?"
_SOURCE_DATE = re.compile(
    rf"(?<!于)(?:{_DATE_CORE})(?=[^。；;\n]{{0,8}}?(?:政府工作报告|工作报告|报告|报道|会议|访谈|党代会|日报)"
    rf"|[，,]?[^。；;\n]{{0,40}}?(?:作[^。；;\n]{{0,6}}报告|获悉|记者|接受[^。；;\n]{{0,6}}采访|报道称|报道说|发布会|通报))"
)
_DATE_PLAN = re.compile(r"计划|将|力争|目标|提出|(?<![主重需只首纪摘简])要(?!求)|拟|确保|争取|规划|有望|打算")
_DATE_EVENT = (r"(?:建成|开通|通车|开工|动工|完工|竣工|投用|投入使用|投产|启用|开学|开业|开放|上线|揭牌|成立|运营|恢复|"
               r"贯通|执行|启动|实现|获评|获批|荣获|获得|入选|蝉联|完成|举办|结束|开始|落户|纳入|出台|发布|通过|面世)")
_DATE_EVIDENCE = re.compile(
    r"\d{1,2}月\d{1,2}[日号]|\d{4}年\d{1,2}月|\d{1,2}月(?:上|中|下)旬|\d{1,2}月(?:份|底|初|中|末)|(?<![\d.个])\d{1,2}月(?!\d)"
    r"|(?<![\d.])\d{1,2}(?:时|点)(?:\d{1,2}分|整|半|前|后|许)?(?![\d]|候|代|间|期)|(?<![\d.])\d{1,2}[:：]\d{2}"
    r"|(?<![一二三四五六七八九十])[一二两三四五六七八九十]{1,3}(?:时整|点整|点半|点钟|时\d{1,2}分)"
    r"|年底|年末|年中|上半年|下半年|年内|月底|月初|春节|国庆|元旦|暑期|寒假|暑假"
    r"|(?:于|从|自|(?<![提谈说看想得达直])到|(?<![甚以])至|截至|截止)\s*\d{4}年|\d{4}年起"
)
_YEAR_EVENT = re.compile(rf"\d{{4}}年(?!度)([^，,。；;：:\n]{{0,16}}?){_DATE_EVENT}")

_DURATION_EVIDENCE = re.compile(
    rf"{_NUM}\s*(?:多|余)?\s*(?:个)?(?:分钟|小时|钟头|个工作日|工作日|天(?!数)|周(?!年)|星期|个月)"
    rf"|{_NUM}\s*(?:多|余)?年(?=来|内|间|之内|以来|以上|多|后|左右|的时间)"
    rf"|(?:历时|用了?|仅用|花了?|停运|经过|近|用时|耗时|工期|连续|连着)\s*{_NUM}\s*(?:多|余)?个?(?:年|月)"
    r"|半(?:个)?小时(?!交通圈|经济圈|生活圈)|半天|半年(?!度)"
)

_DURATION_QUOTED = re.compile(r"[\d一二两三四五六七八九十]+(?:个工作日|天|小时|分钟)(?:内)?即?办结")

_PLACE_EVIDENCE = re.compile(
    r"位于|坐落|地址|地处|选址(?:在|于)|落户(?:在|于)?[\u4e00-\u9fff]"
    r"|在[^，,。；;\n“”\"]{1,14}?(?:路|街|大道|巷|广场|大厦|小区|社区|街道|村|站|园区|园内|公园|交界|附近|一带|境内|沿线|内|镇|乡|县|区(?!域))"
    r"|(?:芦淞|荷塘|石峰|天元|渌口|云龙)区|醴陵市|攸县|(?:茶陵|炎陵)县"
    r"|[\u4e00-\u9fff]{2,4}(?:区|县)[\u4e00-\u9fff]{2,6}(?:街道|镇|乡)"
    r"|[\u4e00-\u9fff]{2}(?<!基)(?<!驿)(?<!网)(?<!防)(?<!电)(?<!油)(?<!务)(?<!作)(?<!血)(?<!车)站"
    r"|[\u4e00-\u9fff]{2,5}往返[\u4e00-\u9fff]{2,5}"
    r"|[\u4e00-\u9fff]{2,}—[\u4e00-\u9fff]{2,}"
    r"|(?:到|去|向|在)[^，,。；;\n]{1,20}?(?:办理|申请|报名|咨询|投诉|举报|反映|办事|登记)"
    r"|(?:派往|派驻|分赴|奔赴|前往|下沉到|驻扎在)[^，,。；;\n]{0,20}?(?:村|镇|乡|县|区|社区|街道|一线|基层)"
    r"|[\u4e00-\u9fff·\d]{2,10}(?:遗址|公园|文创园|美术馆|博物馆|纪念馆|广场|大桥|机场|火车站|景区|古镇|民宿集群|服饰群|湖|港)(?=[，,、。；;）)”]|$)"
)

_NAME_SUFFIX = (r"(?:园|馆|站|村|镇|乡|区|县|市|路|街|桥|湖|港|江|山|厂|院|校|学|中心|基地|公司|集团|项目|工程|行动|"
                r"机制|平台|小区|巷|所|局|委|部|号|线|场|队|城|段|岭|寺|阁|楼|厅|廊|网|群|团|会|办|站|室|库)")
# An item of an enumeration that is a name ("博古山公园"), not an action ("建设基层消防站").
_NAME_ITEM = (r"(?!建设|推进|加快|提高|开展|实施|完善|加强|推动|打造|深化|促进|提升|新建|扩建|改造|创建|实现|建成)"
              rf"[\u4e00-\u9fff“（(][^、，,。；;：:\n\d]{{0,20}}{_NAME_SUFFIX}")
_CIRCLED = re.compile(r"[①②③④⑤⑥⑦⑧⑨⑩]")
_DEFINED_NAME = re.compile(r"[”」]即")  # "“一廊”即…，“一带”即…": several named items
_NAMES_EVIDENCE = re.compile(
    r"分别(?:是|为|命名为|叫|有|：|:)|包括[：:]?[^，,。；;\n]{2,}?[、，,]|包括[^，,。；;\n]{2,}等"
    r"|即[^，,。；;\n]{2,}?[、；;]"
    r"|[：:][^。\n]{2,}?[、；;][^。\n]{2,}?[、；;]"
    r"|[^、，,。；;：:\n]{1,15}、[^、，,。；;\n]{1,15}等"
    rf"|{_NAME_ITEM}[”）)]?、{_NAME_ITEM}"
    r"|[\u4e00-\u9fff]{2,}—[\u4e00-\u9fff]{2,}—"
    r"|(?:列为|列入)|改称|称为|命名为|叫做|名为|又称|原名|后称|原称"
    r"|[^、，,。；;：:\n]{2,12}、[^、，,。；;：:\n]{2,12}、[^、，,。；;：:\n]{2,12}"
    r"|(?<![0-9a-z])[a-z0-9]、[a-z0-9]、[a-z0-9]"  # "a、b、c、e线" (normalised to lower case)
)
# A person named after the office held: "台长付炜", "董事长张三，"
PERSON_NAMED = (r"(?:副市长|市长|市委书记|书记|局长|主任|董事长|总经理|创始人|老板|队员|队长|院长|校长|主席|部长"
                r"|负责人|房东|台长|馆长|站长)(?:为|是)?(?![的是为在对与和等表称说介指透强提])[\u4e00-\u9fff]{2,3}"
                r"(?=[，,、。；;在于主表称等（(和与是自带的为也对以作说指介]|$)")
_WHO_EVIDENCE = re.compile(
    PERSON_NAMED
    + r"|市[\u4e00-\u9fff]{1,8}?(?:局|委员会|委|办公室|支队|管理办公室)(?![\u4e00-\u9fff]{0,2}会议)"
    r"|(?:民政|人社|住建|教育|卫健|医保|交通|公安|交警|铁路|市场监管|林业|园林|体育|应急|水利|发改|商务|文旅|税务|城管|"
    r"自然资源|生态环境|退役军人事务|燃气|消防)(?:部门|局)|残联"
    r"|[\u4e00-\u9fff]{2,16}(?:有限公司|集团)"
    r"|(?:由|经)[^，,。；;\n]{2,20}?(?:牵头|负责|批准|主持|组织|承办|成立|作出)"
    r"|向[^，,。；;\n]{2,20}?(?:机构|部门|单位|窗口|中心)(?:申报|申请|提出|报送|递交)"
    r"|热线|(?:电话|热线)[^，,。；;\n]{0,4}\d{5,}|\d{5,}(?=热线|电话)"
)
_HOW_EVIDENCE = re.compile(
    r"申请|申报|办理|拨打|(?:到|在|去)[^，,。；;\n]{0,10}窗口|携带|(?:申请|所需|需要|提交|携带|准备)材料|材料清单"
    r"|(?:申请|报名)条件|(?:符合|满足)[^，,。；;\n]{0,6}条件|报名|登录|网上办|网上全程可办|一网通办|代办|预约|扫码|下载|注册"
    r"|提交|手续|(?:办理|申请|报名|办事)流程|流程(?:是|如下)|办结|即报即审|到[^，,。；;\n]{1,20}办|可向[^，,。；;\n]{1,20}(?:反映|投诉|举报)|投诉举报|热线"
    r"|参与答题|开抢|进站|候车|购票|通办|可办|能办|就近办|异地办|一次办|掌上办|即办"
)
_PRICE_EVIDENCE = re.compile(r"降费|降价|费用[^，,。；;\n]{0,6}(?:下降|降低|减少)|\d\s*(?:万|亿)?元|[千万亿]元"
                             r"|免费|票价|收费|门票|价格|\d+块钱|不收费|零收费|全免")
_DEFINITION_EVIDENCE = re.compile(
    r"(?<![立随当])即(?![报办将时使便可刻开])|是指|指的是|所指|简称|名词解释|意思是|含义是|也就是|就是(?!说)"
    r"|是[：:]|为[：:]|[”」](?:工程|行动|机制|目标|活动|计划|体系)?(?:是|即|为|指)?[：:]"
    r"|(?<![这此些那])是[^，,。；;\n]{2,30}的[^，,。；;\n]{0,12}(?:项目|机制|活动|工程|制度|体系|平台|行动|计划|政策|称号|试点|公司|组织|服务|"
    r"改革|模式|产业|基地|中心|app|应用)"
    r"|(?:列为|列入|属于|是)[^，,。；;\n]{0,24}之一"
    r"|[”」]是(?!否)|[”」](?:即|是)?指(?!出|导|标|挥|定|南|引)|用于|用来|功能是|作用是"
    r"|按“[^”]{2,20}”(?:的?(?:思路|原则|模式))?[^，,。；;\n]{0,6}[：:]"
)

# PROGRESS: achieved facts, not targets. A plan marker scopes over the rest of its sentence.
_PLAN = re.compile(
    r"计划|(?<!即)将(?!近|士|军)|力争|目标|提出|(?<![主重需只首纪摘简])要(?!求|素|点|闻|害|塞)|(?<![模比])拟|确保|争取(?![^，,。；;\n]{0,10}\d)|争创|"
    r"规划|有望|打算|部署|准备|着力|致力|瞄准|谋划|希望|未来|今后|再用|届时|十四五|民生实事|十大[^，,。；;\n]{0,6}项目|"
    r"政府工作报告|名词解释|十件大事|(?:通过|再用)[^，,。；;\n]{0,2}[\d五十]+年"
    r"|(?<![机社协大学峰都省国例党工年])会(?=提高|增加|上涨|涨|调整|建|开通|恢复|延伸|有)"
)
_ACHIEVED_STRONG = re.compile(r"已(?!于)|已经|累计|截至|截止|至今|迄今")
_ACHIEVED = re.compile(
    r"建成|完成|实现|达到|达(?=[\d一二三四五六七八九十百千]|到)|开通|通车|投入使用|投用|投产|贯通|竣工|完工|开工|动工|启用|"
    r"上线|运营|揭牌|成立|获评|获批|荣获|获得|获(?!悉)|入选|蝉联|跻身|成为|突破|新增|净增|增长|下降|提高|提升|上升|降至|"
    r"压缩至|缩短|延长|增加|减少|清零|脱贫|通过|创建为|创成|打掉|查处|组建|新签|推出|出台|面世|落户|举办|承办|齐聚|恢复|"
    r"开放|同比|超过|超(?=\d)|(?:居|位居|排名)[^，,。；;\n]{0,6}第|收官|取得|涌现|实行|执行|投入|派出|选派|分赴|参与|"
    r"首次|率先|成功|引进|走访|改称|命名|纳入|审议通过|认捐|降费|降低|降价|(?<=[\u4e00-\u9fff])(?<![为除罢])了(?!解|望|却|结)"
)
_SENTENCE_ONLY = re.compile(r"(?<=[。！!？?\n])")
# "据2021年初…访谈，2021年株洲…": a source at the start of a year speaks of that year's plans;
# "据2020年12月…会议，2021年株洲…": of the next year's.
_SOURCE_YEAR = re.compile(r"据[^，,。；;\n]{0,12}?(\d{4})年(初|\d{1,2}月)?[^，,。；;\n]{0,30}?[，,]"
                          r"(?:在[^，,]{0,20})?(?:从)?(\d{4})年")


def _plan_start(sentence: str) -> int:
    """Where the sentence's plan scope starts (len(sentence) when it has none)."""
    start = len(sentence)
    match = _PLAN.search(sentence)
    if match:
        start = match.start()
    source = _SOURCE_YEAR.search(sentence)
    if source:
        told, when, about = int(source.group(1)), source.group(2), int(source.group(3))
        if about > told or (about == told and when == "初"):
            start = min(start, source.start())
    return start


def _achievements(text: str, strong_only: bool = False) -> tuple[bool, bool]:
    """(has an achieved fact outside any plan scope, has a plan marker)."""
    achieved = planned = False
    for sentence in _SENTENCE_ONLY.split(text):
        if not sentence.strip():
            continue
        start = _plan_start(sentence)
        planned = planned or start < len(sentence)
        if _ACHIEVED_STRONG.search(sentence):
            achieved = True
            continue
        if strong_only:
            continue
        for match in _ACHIEVED.finditer(sentence):
            if match.start() < start:
                achieved = True
                break
    return achieved, planned


def plan_only(answer: str) -> bool:
    """True when the answer states only targets/plans (计划/将/力争/目标/提出/要/拟) and no achieved
    figure (已/建成/完成/累计/达到/截至 …) — such an entry does not state PROGRESS."""
    achieved, planned = _achievements(_kept(_prep(answer)))
    return planned and not achieved


def _has_date(text: str) -> bool:
    text = _SOURCE_SPAN.sub(lambda m: " " * len(m.group(0)), text)
    text = _SOURCE_PAREN.sub(lambda m: " " * len(m.group(0)), text)
    text = _SOURCE_DATE.sub(lambda m: " " * len(m.group(0)), text)
    if _DATE_EVIDENCE.search(text):
        return True
    return any(not _DATE_PLAN.search(m.group(1)) for m in _YEAR_EVENT.finditer(text))


# "什么时候能正式备案", "哪天揭牌的", "开通时间是": the event whose date is asked, as the few
# characters right after the when-word (or before 时间); the caller keeps the words they start (end) with.
_WHEN = r"(?:什么时候|什么时间|啥时候|么子时候|何时|几时|哪一?天|哪一?年|哪个月|几月份?|几号)"
_WHEN_MODAL = r"(?:起|能|会|可以|才|才能|就|要|将|正式|开始|能够|准备|得以|可望|是|再|还|又|全面|全部|全线)*"
_EVENT_AFTER_WHEN = re.compile(rf"{_WHEN}{_WHEN_MODAL}([\u4e00-\u9fff]{{2,4}})")
_EVENT_BEFORE_TIME = re.compile(r"([\u4e00-\u9fff]{2,4}?)的?(?:时间|日期)(?:是|为|定在)?(?:什么|哪|几|多少|啥)")
# Events that one date answers whichever word the question or the entry uses.
_SAME_EVENT = (frozenset("建成 建好 建完 修好 修通 修完 完工 竣工 贯通 搞好 搞完 弄好 做完 装好 完成".split()),
               frozenset("开通 通车 投用 启用 开放 开业 运营 营业 上线 开馆 投入使用".split()),
               frozenset("开工 动工 开建 开始建设 启动".split()),
               frozenset("成立 揭牌 挂牌 组建".split()),
               frozenset("施行 实施 生效 执行".split()))


def date_event_spans(question: str) -> list[str]:
    """The text right after each when-word of the question ("什么时候能正式备案" → "备案"), and
    right before each 时间 it asks ("开通时间是哪天" → "开通")."""
    text = _prep(question)
    return _EVENT_AFTER_WHEN.findall(text) + _EVENT_BEFORE_TIME.findall(text)


def dates_the_event(event: str, answer: str, detail: str = "") -> bool:
    """A sentence of the entry's text that states something gives a date and tells of this event
    (or one of the same kind: 竣工 for 建成): "什么时候备案" is not answered by the date work began."""
    words = next((group for group in _SAME_EVENT if event in group), frozenset({event}))
    return any(_tells_of(w, sentence) for sentence in _dated_sentences(answer or "", detail or "") for w in words)


@lru_cache(maxsize=2048)
def _dated_sentences(answer: str, detail: str) -> tuple[str, ...]:
    """The sentences of an entry's text that state something and give a date (memoised: the same
    entries are checked question after question)."""
    text = f"{_kept(_prep(numerals_to_digits(answer)))}\n{_kept(_prep(numerals_to_digits(detail)))}"
    return tuple(s for s in _SENTENCE_SPLIT.split(_unquoted(text)) if s and _has_date(s))


_NOT_YET = re.compile(r"未|没|不|无")


def _tells_of(event: str, sentence: str) -> bool:
    """The event is told as happening, not as not yet (尚未获备案批复) earlier in its clause."""
    for clause in _ANY_CLAUSE.split(sentence.replace("（", "，").replace("(", "，")):
        at = clause.find(event)
        if at >= 0 and not _NOT_YET.search(clause[:at]):
            return True
    return False


# "周六上午开门", "工作日全天开放": when something is open is a time, without a clock
_OPENING_HOURS = re.compile(r"(?:周[一二三四五六日末]|星期[一二三四五六日天]|工作日|节假日|上午|下午|晚上|全天)"
                            r"[^。，,；;\n]{0,6}(?:开门|开放|营业|办公|上班|门诊|开馆)")


# Work under way at the report's date ("加快雪峰山学校等项目建设", "开展株醴线前期工作"): it says
# what stage a project is at, though not how much is done.
ONGOING = "ongoing"
_ONGOING = re.compile(r"(?:加快|加速|继续|持续|续建|正在|在建)[^，,。；;\n]{0,24}?(?:建设|施工|推进)|前期工作")


# "据2021年初株洲日报对市生态环境局负责人的访谈，": where the answer comes from, which states no
# fact of its own (that 局's 负责人 is no answer to "河长制的负责人是谁")
_ATTRIBUTION = re.compile(r"^据[^，,。；;]{2,60}?(?:访谈|报道|报告|会议|名词解释|通报)(?:（[^）]*）)?[，,：:]")


def stated(answer: str, detail: str = "") -> frozenset[Ask]:
    """What the entry's text actually states. A clause that only says the detail is NOT given
    ('报告未列具体村名单', '没有公布已建成多少家', '未写申请办法') does not state it."""
    # "每天八点零七分开门" states a time as "每天8点07分开门" does
    kept_answer = _kept(_prep(numerals_to_digits(_ATTRIBUTION.sub("", answer or "", count=1))))
    kept_detail = _kept(_prep(numerals_to_digits(detail or "")))
    text = f"{kept_answer}\n{kept_detail}"
    bare = _unquoted(text)
    counted = _ONE_BATCH.sub("□□", bare)
    found: set[Ask] = set()
    if _COUNT_EVIDENCE.search(counted) or _STREAK.search(text):
        found.add(Ask.COUNT)
    if _has_date(bare) or _OPENING_HOURS.search(bare):
        found.add(Ask.DATE)
    if _DURATION_EVIDENCE.search(bare) or _DURATION_QUOTED.search(text):
        found.add(Ask.DURATION)
    if _PLACE_EVIDENCE.search(text):
        found.add(Ask.PLACE)
    if (_NAMES_EVIDENCE.search(text) or len(set(_CIRCLED.findall(text))) >= 2
            or len(_DEFINED_NAME.findall(text)) >= 2):
        found.add(Ask.NAMES)
    if _WHO_EVIDENCE.search(text):
        found.add(Ask.WHO)
    if _HOW_EVIDENCE.search(text):
        found.add(Ask.HOW)
    if _PRICE_EVIDENCE.search(text):
        found.add(Ask.PRICE)
    if _DEFINITION_EVIDENCE.search(text):
        found.add(Ask.DEFINITION)
    # PROGRESS: an achieved fact outside any plan. When the answer states only plans, the
    # detail elaborates those plans: only its explicit 已/累计/截至 count.
    if _ONGOING.search(bare):
        found.add(ONGOING)
    achieved, planned = _achievements(kept_answer)
    if achieved:
        found.add(Ask.PROGRESS)
    else:
        detail_achieved, _ = _achievements(kept_detail, strong_only=planned)
        if detail_achieved:
            found.add(Ask.PROGRESS)
    return frozenset(found)


# Asks that any entry on the subject answers: yes/no (the matcher decides the subject), and
# "X是什么" (the entry on X is the reports' account of it, whatever its wording).
SOFT_ASKS = frozenset({Ask.YESNO, Ask.DEFINITION})


def under_way_of(words: list[str], text: str) -> bool:
    """The text says that work on one of these words is under way ("加快推进城际轨道前期工作"
    for 城际轨道), not on something else it mentions ("推进醴炎县城经济走廊建设" for 撤县设市)."""
    return any(any(w in clause for w in words)
               for clause in _ANY_CLAUSE.split(text) if _ONGOING.search(clause))


# Whether the work is finished ("建好了吗", "开通没"): work under way is no answer to it.
_COMPLETION_ASKED = re.compile(r"(?:完成|建成|建好|修好|弄好|搞好|搞完|建完|修完|竣工|完工|投用|投入使用|开通|通车"
                               r"|开放|开业|落成)(?:了|没|没有|冇)")


def completion_asked(question: str) -> bool:
    """The question asks whether the work is finished, not how far it has come."""
    return bool(_COMPLETION_ASKED.search(asking_clauses(_prep(question))))


def unstated(asks: frozenset[Ask], states: frozenset[Ask]) -> frozenset[Ask]:
    """The asks the entry does not answer. The SOFT_ASKS are answered by any entry on the
    subject, unless the question is really about one of the other asks ('有没有补贴' /
    '免费吗' → PRICE …; '开通了吗' → PROGRESS), which asked() then returns as well."""
    missing = {Ask(ask) for ask in asks if ask not in SOFT_ASKS and ask not in states}
    if Ask.PROGRESS in missing and ONGOING in states and Ask.COUNT not in asks:
        missing.discard(Ask.PROGRESS)  # "在建没", "推进到什么阶段": work under way is the stage; how many done is not
    return frozenset(missing)


# ---------------------------------------------------------------- which names

# "哪些小区", "具体有哪些事项", "污水处理厂是哪一座": the kind of thing whose names are asked.
_NAMES_NOUN_AFTER = re.compile(r"(?:哪些|哪几个?|哪一些)([\u4e00-\u9fff]{2,6}?)(?=[的是有呢吗啊？?，,。]|$"
                               r"|参加|参与|获|入选|列入|属于|可以|能|要|在|被|得到|享受|新建|建成|开放|开业|投用|通车)")
_ONE_CHAR_HEADS = "村镇乡站区县路街桥湖山园馆厂"
_NAMES_ONE_CHAR_KIND = re.compile(rf"(?:哪些|哪几个?|哪一些)([{_ONE_CHAR_HEADS}])(?=[的呢啊呀？?，,。！!]|$"
                                  r"|被|获|入选|列入|纳入|参加|参与|属于|是|在|可以|能)")
_NAMES_NOUN_BEFORE = re.compile(r"([\u4e00-\u9fff“”\"]{2,8}?)(?:具体)?(?:是|在|指|有)哪(一|\d+|"
                                r"[两二三四五六七八九十]+)?[座家个所条处项件样]")
# "59个小区具体是哪些": so many of a kind, which are they
_NAMES_COUNTED_WHICH = re.compile(r"\d+[个所家座条项处](?P<kind>[\u4e00-\u9fff]{2,6}?)(?:具体|分别|都|又)?"
                                  r"(?:是|有|包括)哪些")
# "具体是哪一座污水处理厂": the one thing's kind after the measure
# ("是哪条停运多年的铁路": the kind after the modifier's 的)
_NAMES_KIND_AFTER_ONE = re.compile(r"哪一?[座家所条](?:[\u4e00-\u9fff]{1,8}的)?([\u4e00-\u9fff]{2,6}?)"
                                   r"(?=[？?，,。！!的呢啊呀]|$)")
_MEASURE_START = re.compile(f"^[{NAME_MEASURE_CHARS}]")
# Nouns of content, not of named things: "包括哪些内容" is answered by the entry's content.
_CONTENT_NOUNS = ("内容", "方面", "东西", "事情", "事儿", "措施", "举措", "工作", "政策", "好处", "变化", "要求",
                  "特点", "意思", "情况", "问题", "任务", "目标", "成绩", "亮点", "做法", "办法", "支持", "服务",
                  "安排", "计划", "实事", "地方", "进展", "成果", "部署")


_CONTENT_ASKED = re.compile(rf"(?:哪些|哪几|什么|啥|么子)(?:具体)?(?:{'|'.join(_CONTENT_NOUNS)}|事)"
                            r"|(?:都|还|具体)(?:有|包括|包含|做|干|办)(?:啥|什么|么子)[的呢啊呀吗？?。！!]*$")


def asks_content(question: str) -> bool:
    """"养老这块都有啥", "具体包括哪些内容": what a thing comprises, which the entry about the
    thing states, not the names of a kind of thing ("哪些小区")."""
    return bool(_CONTENT_ASKED.search(_prep(question).strip())) and names_asked_of(question) is None


# "哪四项工作", "是哪八个行动": so many things of a kind, which only a list of them answers,
# whatever the kind (work and actions too, which "哪些工作" does not ask to name).
_NAMES_NUMBERED = re.compile(r"哪(?:[2-9]|[两二三四五六七八九十]+)[个项家所条座类种件位批样大]([\u4e00-\u9fff]{2,6}?)"
                             r"(?=[的是有呢吗啊？?，,。哪]|$|获|入选|列入|属于|被|得到|享受)")


# what stands between the kind and 是哪 without being it: "第一个3到底是哪三个" names no kind
_ADVERBS_AT_END = re.compile(r"(?:到底|究竟|具体|分别|主要|又|都|还|就)*[是在]?$")


# the kind of the one thing asked: "什么餐厅" is answered by an entry naming its 长者餐厅
_NAMES_WHICH_ONE = re.compile(rf"(?:{_WHAT}|哪一?[个家所座条款种])(?:新的?)?({_NAMED}|线)")


# "几条主要小巷子……都叫啥": so many of a kind, then what they are called
# "扩建的污水处理厂叫什么名字", "污水处理厂 名称": the kind, right before what its name is asked
_NAMES_CALLED_OF = re.compile(r"([\u4e00-\u9fff]{2,8}?)\s*(?:的)?(?:名称|名字|叫什么名字|叫什么|叫啥|叫么子)"
                              r"(?:是什么|是啥)?[？?。！!呢啊呀]*$")
# the kinds of place and body whose one name is asked that way (a person's is asked with WHO)
_CALLED_KIND = re.compile(r"[\u4e00-\u9fff](?:[村镇乡站区县路街桥湖山园馆厂院校厅场]"
                          r"|中心|公司|学校|医院|小区|基地|工程)$")
_NAMES_CALLED = re.compile(r"(?:都|分别|各)(?:叫|是)(?:什么|啥|么子)|(?:都|分别)(?:叫)?什么名字")
_COUNTED_KIND = re.compile(r"(?:几|\d+|[两二三四五六七八九十]+)[条个座家所处]"
                           r"(?:[\u4e00-\u9fff]{1,5}的|主要的?|重要的?)?(?P<kind>[\u4e00-\u9fff]{1,4}?)"
                           r"(?=[，,。？?]|投票|都|分别|叫|取|起|改|换|的|是|被|在|有|名|后来|以后|现在|也|还|又|已|经)")
_DIMINUTIVE = re.compile(r"^[小大老]|子$")  # 小巷子 → 巷 (not 小区 → 区)


def names_asked_of(question: str) -> tuple[str, bool] | None:
    """(noun, several) when the question asks for the names of a kind of thing: "哪些小区" →
    (小区, True), "污水处理厂是哪一座" → (处理厂, False), "哪四项工作" → (工作, True)."""
    text = _prep(question)
    numbered = _NAMES_NUMBERED.search(text)
    if numbered:  # "是哪三个百啊": the kind without the particle
        return numbered.group(1).rstrip("啊呀呢吗嘛哦咯啦"), True
    one = _NAMES_ONE_CHAR_KIND.search(text)
    if one:  # "具体是哪些村"
        return one.group(1), True
    match = _NAMES_NOUN_AFTER.search(text)
    if match and not _MEASURE_START.match(match.group(1)):
        noun = match.group(1)  # "哪几方面一起发力": content, whatever follows the noun
        return None if noun.endswith(_CONTENT_NOUNS) or noun.startswith(_CONTENT_NOUNS) else (noun, True)
    counted = _NAMES_COUNTED_WHICH.search(text)
    if counted and not counted.group("kind").endswith(_CONTENT_NOUNS):
        return counted.group("kind"), True
    match = _NAMES_NOUN_BEFORE.search(text)
    # the kind stands after any 的 ("中标的是哪条线" asks of a 线, not of a 中标的)
    noun = _ADVERBS_AT_END.sub("", re.sub(r"[“”\"]", "", match.group(1)).rsplit("的", 1)[-1]) if match else ""
    if len(noun) >= 2 and not noun.endswith(_CONTENT_NOUNS):
        several = match.group(2) not in (None, "一")  # "是哪十个" asks for ten names, "是哪一座" for one
        return noun[-3:], several
    one = _NAMES_WHICH_ONE.search(text) or _NAMES_KIND_AFTER_ONE.search(text)  # "推进什么餐厅建设", "哪一座处理厂"
    if one and not one.group(1).endswith(_CONTENT_NOUNS):
        return one.group(1), False
    return _names_called(text)


def _names_called(text: str) -> tuple[str, bool] | None:
    """The kind whose names are asked with 叫什么 / 名称: of what was counted, or of one place."""
    called = _NAMES_CALLED.search(text) and _COUNTED_KIND.search(text)
    if called:  # "几条小巷子取了新名字，都叫啥": the names of what was counted
        kind = called.group("kind")
        kind = _DIMINUTIVE.sub("", kind) if kind.endswith("子") else kind
        return (kind, True) if kind and not kind.endswith(_CONTENT_NOUNS) else None
    called_of = _NAMES_CALLED_OF.search(text)
    noun = called_of and _ADVERBS_AT_END.sub("", called_of.group(1).rsplit("的", 1)[-1])
    if noun and _CALLED_KIND.search(noun):
        return noun[-3:], False  # "扩建的污水处理厂叫什么名字", "污水处理厂 名称": the name of one
    return None


# How far before or after a list "A、B" the kind of its items is said ("八大行动：A、B", "A、B等3个小区").
_KIND_BEFORE, _KIND_AFTER = 12, 10
_NAMES_CUE = re.compile(r"名单|清单|名称|名字|叫什么|哪")
_PARTLY = re.compile(r"全|完整|一一|逐一|所有")  # "未列全7个公园名称": some are named
_ANY_CLAUSE = re.compile(r"[，,。；;！!？?\n]")


def stated_and_disclaimer_clauses(text: str) -> tuple[list[str], list[str]]:
    """The clauses of a text that state something, and those that say what the report does not
    give ("报道未列株洲南、湘潭方向末班发车时刻")."""
    stated, disclaimers = [], []
    for clause in _ANY_CLAUSE.split(text):
        (disclaimers if _DISCLAIMER.search(clause) else stated).append(clause)
    return stated, disclaimers


def disclaims_names_of(noun: str, text: str) -> bool:
    """The text says that the names of this kind are not given: "报告未写是哪座污水处理厂",
    "报道未列出具体事项清单", "具体小区名单报道未列出" (not "未列全": some are)."""
    marks = {noun, noun[-2:]}
    return any(_DISCLAIMER.search(clause) and _NAMES_CUE.search(clause) and not _PARTLY.search(clause)
               and any(m in clause for m in marks) for clause in _ANY_CLAUSE.split(_prep(text)))


# Kinds of thing that are areas ("哪些区县"), and a list of areas ("萍乡市、宜春市", "芦淞、荷塘"),
# which names no 小区 or 事项, whatever its 区 or 市.
_AREA_NOUN = re.compile(r"^(?:区县|县区|县市区|县市|区|县|城区|市县|地方|区域|地区|片区|城市|市|省|省份|市州|地市)$")
_AREA = rf"(?:[\u4e00-\u9fff]{{1,5}}?(?:省|市|县|州|(?<![小园社景校厂矿营])区)|{alternation(ZHUZHOU_DISTRICTS)})"
_AREA_RUN = re.compile(rf"{_AREA}(?:、{_AREA})+")


_ITEM_SEPARATOR = re.compile(r"[、—]")
_WORKS = ("工程", "项目")
_WORK_BUILT = re.compile(r"(?:建设|扩建|新建|改建|改造|修建|建成)[^，,。；;、\s]{2,20}")
_COUNTED_AFTER = re.compile(r"\s*[\d一二两三四五六七八九十]+\s*[家个所座处台支条]")
_COUNTED_BEFORE = re.compile(r"[\d一二两三四五六七八九十]+\s*[家个所座处台支条](?:[\u4e00-\u9fff]{0,4})$")


def lists_names_of(noun: str, several: bool, text: str, question: str = "") -> bool:
    """The text names the kind of thing asked: for one ("是哪一座"), it speaks of one the
    question does not already name ("长者餐厅" for "什么餐厅", not the "公立医院" of "醴陵公立医院
    的奖励给了哪家医院"); for several
    ("哪些乡镇"), a sentence names two or more things ("A、B"; counts alone, "市本级59个、县（市）
    110个", are no names) and speaks of that kind ("皇图岭镇、中村瑶族乡 … 强镇"). Unless areas
    are asked for, a list of areas does not count: "芦淞区、荷塘区" are no list of 小区."""
    kept = _kept(_prep(text))
    marks = {noun, noun[-2:]} if len(noun) > 2 else {noun, *noun}
    if not several:
        asked_in = _prep(question)
        # a count of the kind ("二级综合医院2家", "3家医院") names none of them
        if noun in _WORKS and _WORK_BUILT.search(kept):
            return True  # "有什么工程": a work is named by what it builds ("扩建…污水处理厂")
        # one of the kind, by its whole word ("医学专家" is no 医院)
        whole = {mark for mark in marks if len(mark) >= min(2, len(noun))}
        if len(noun) == 2 and noun[-1] in _ONE_CHAR_HEADS:
            whole.add(noun[-1])  # "哪一座场馆": 鲁晓波美术馆 is one, by its head
        return any(kept[max(0, m.start() - 2):m.end()] not in asked_in and not _COUNTED_AFTER.match(kept, m.end())
                   and not _COUNTED_BEFORE.search(kept[max(0, m.start() - 6):m.start()])
                   for mark in whole for m in re.finditer(re.escape(mark), kept))

    def near(run: re.Match, sentence: str) -> str:  # "小区包括A、B", "A镇、B乡", "A、B等3个小区"
        return sentence[max(0, run.start() - _KIND_BEFORE):run.end() + _KIND_AFTER]

    summed = re.compile(rf"(?:等|共\d+[类项个种份件])(?:{'|'.join(map(re.escape, marks))})")

    def names_of_the_kind(sentence: str) -> bool:  # "A、B" of the kind, or numbered "①…②…"
        if len(set(_CIRCLED.findall(sentence))) >= 2:
            return any(mark in sentence for mark in marks)
        # "三级公立医院1家、二级综合医院2家" counts hospitals of two kinds and names none
        runs = [run for run in _LISTED.finditer(sentence)
                if not all(counted.search(item) for item in _ITEM_SEPARATOR.split(run.group(0)))]
        if runs and summed.search(sentence):  # "身份证、户口簿及……证明，共20类材料"
            return True
        # the kind said near the list, by its word; one character of it only as the items' head
        # ("皇图岭镇、中村瑶族乡" are 乡镇; the 医 of "医学专家，建成胸痛、卒中" makes them no 医院)
        return any(any(mark in near(run, sentence) for mark in words) or any(
                   item.endswith(heads) or item.startswith(heads) for item in _ITEM_SEPARATOR.split(run.group(0)))
                   for run in runs)

    # a one-character kind (村, 镇) only as the items' head: "加快城中村改造" after a list names no 村
    words = {mark for mark in marks if len(mark) >= 2}
    # the kind itself counted ("医院1家"), not things of it named with their counts ("黔江1对")
    kinds = alternation(sorted(words or marks, key=len, reverse=True))
    counted = re.compile(rf"(?:{kinds})\d+(?:\.\d+)?[\u4e00-\u9fff]{{0,2}}$")
    heads = tuple(mark for mark in marks if mark not in words)
    if not _AREA_NOUN.match(noun):
        kept = _AREA_RUN.sub("□", kept)
    return any(names_of_the_kind(sentence) for sentence in _SENTENCE_ONLY.split(kept))


_ITEM = r"[\u4e00-\u9fff“”a-z]{2,14}(?:\d+(?:\.\d+)?[\u4e00-\u9fff]{0,2})?"
_LISTED = re.compile(rf"{_ITEM}(?:[、—]{_ITEM})+")  # "A、B", and a route "东环路—南环路—西环路"
# "哪四个方面", "哪五个关键词": as many names asked as a list of the entry holds
_HOW_MANY_NAMES = re.compile(r"哪(\d+)[个项家所条座类种件位批样大]")


def lists_as_many_as_asked(question: str, text: str) -> bool:
    """The question asks for so many names and a sentence of the text lists exactly that many things."""
    kept = _kept(_prep(text))
    asked_count = _HOW_MANY_NAMES.search(numerals_to_digits(_prep(question)))
    if asked_count is None or int(asked_count.group(1)) < 2:
        return False
    n = int(asked_count.group(1))
    return any(len(_ITEM_SEPARATOR.split(run.group(0))) == n
               for sentence in _SENTENCE_ONLY.split(kept) for run in _LISTED.finditer(sentence))


# ---------------------------------------------------------------- one part of a whole

class Part(StrEnum):
    """A count of one kind of thing, or one item of a list: asked more narrowly than Ask.COUNT
    or a content question, and stated only by an entry whose text gives that very part."""
    PEOPLE = "people"          # 几个人/多少名/人数: "362支工作队" is no count of people
    HOUSEHOLDS = "households"  # 多少户/户数
    LENGTH = "length"          # 多少公里/多长(米)
    AREA = "area"              # 多少亩/多少平方米
    AGE = "age"                # 多少岁/年满几岁/多大年纪: "建40家长者餐厅" gives no age
    MONEY = "money"            # 补助多少/多少补贴: "派驻工作队" gives no amount of money
    ITEM = "item"              # 第三条/第二项 of a list: "出台就业15条" does not say what the third is
    RANK = "rank"              # 排第几/排名: "20个一级指标" is no place in a ranking
    PERCENT = "percent"        # 涨了几个点/百分之几: "居全省第一" gives no rate
    ROUTE = "route"            # 怎么走/坐几路: "在株洲站乘坐城际" is where, not the way there
    OWN_FIGURE = "own_figure"  # 荷塘区几个: a figure of the place named, not the citywide one beside it
    DIRECTION = "direction"    # 回株洲的末班车几点: the time of a train the other way is no answer
    CLOCK = "clock"            # 几点开门/营业时间: "2020年12月召开" is a date, not a time of day
    TRIP = "trip"              # 到湘潭要多久: "首发提前约半小时" is a change of timetable, not a travel time


MISSING_TEXT.update({Part.PEOPLE: "具体人数", Part.HOUSEHOLDS: "具体户数", Part.LENGTH: "具体长度",
                     Part.AREA: "具体面积", Part.AGE: "年龄条件", Part.MONEY: "具体金额",
                     Part.ITEM: "那一条（项）的具体内容",
                     Part.RANK: "排名或名次",
                     Part.PERCENT: "具体的百分比",
                     Part.ROUTE: "怎么去（路线或公交）",
                     Part.OWN_FIGURE: "这一处单独的数字（报告只写了总数或别处的数字）",
                     Part.DIRECTION: "往您要去的方向的时刻",
                     Part.CLOCK: "具体的钟点",
                     Part.TRIP: "路上要多长时间"})

_PART_UNITS = {Part.PEOPLE: "人次|人|名|位", Part.HOUSEHOLDS: "户", Part.LENGTH: "公里|千米|(?<!平方)米",
               Part.AREA: "平方公里|平方米|亩", Part.AGE: "周岁|岁", Part.MONEY: "元|块钱"}
_HOW_MANY = r"(?:几|多少|几多|好多)(?:个)?"
_PAID = "补助|补贴|工资|津贴|奖金|奖励金|薪酬|报酬|补偿款|补偿金"  # money paid to someone
_PART_ASKED = {
    Part.PEOPLE: re.compile(rf"(?<!第){_HOW_MANY}(?:人次|人|名(?!额|单|称|字|次)|位(?!置|数))|人数|人头"),
    Part.HOUSEHOLDS: re.compile(rf"{_HOW_MANY}户(?!口|型|籍)|户数"),
    Part.LENGTH: re.compile(rf"{_HOW_MANY}(?:公里|千米|米(?!饭))"),
    Part.AREA: re.compile(rf"{_HOW_MANY}(?:平方公里|平方米|平米|亩)"),
    Part.AGE: re.compile(rf"{_HOW_MANY}周?岁|多大(?:年纪|岁数)|年龄(?:是|要|有)?(?:多少|多大|几)|年满(?:多少|几)"),
    Part.MONEY: re.compile(rf"(?:{_PAID})(?:标准|金额)?(?:是|有|为|能拿|发)?(?:多少|几多|好多)"
                           rf"(?![户人家个所套项次名位])|(?:多少|几多|好多)(?:工作|生活|一次性)?(?:{_PAID})"),
}
_PART_ASKED.update({
    Part.RANK: re.compile(r"排名|排行|名次|排[在到]?第?几|第几名|排多少|排位|位次|排得?怎么样"
                          rf"|(?:排|排在|排到|处于|居于?){_WHAT}位置"),
    Part.PERCENT: re.compile(r"几个(?:百分)?点|百分之几|多少个?百分点|百分比是?多少"
                             r"|(?:增长|增速|增幅|涨|降|下降)(?:了|是|为|达到)?(?:多少|几)(?:%|个点|个百分点)"),
    Part.ROUTE: re.compile(r"怎么走|怎么去|咋走|咋去|怎样去|如何去|坐几路|乘几路|坐什么车去|什么路线|哪条路线"
                           r"|怎么过去"),
    # not 几时 (Hunan speech for 什么时候), nor 几点 of a list (几点要求)
    # a trip to somewhere, not a figure brought down to something (缩短到, 压缩至, 降到)
    Part.TRIP: re.compile(r"(?<![短缩少降减长高达提])(?:到|去|至|回|往)[\u4e00-\u9fff]{1,8}?"
                          r"(?:多久|多长时间|几分钟|多少分钟|几个?小时|多少时间|几个钟头)"),
    Part.CLOCK: re.compile(r"几点钟?(?!要求|意见|建议|举措|做法|经验|内容|原因|不足|体会)"
                           r"|(?:营业|开放|开门|关门|办公|上班|下班|接待)时间"),
})
# What states each part: a figure in its unit, or the rank, rate or route itself (ITEM: _states_item)
_PART_STATED = {part: re.compile(rf"{_NUM}(?:[-—~～至到]{_NUM})?(?:余|多)?(?:万|亿|千)?(?:余|多)?\s*(?:{units})")
                for part, units in _PART_UNITS.items()}
_PART_STATED.update({
    Part.RANK: re.compile(r"第\s*[\d一二三四五六七八九十]+\s*(?:名|位)?|排名|排[在列]|位[列居次]"
                          r"|前\s*[\d一二三四五六七八九十]+|首位|榜首|居首|之首|最高|最低|倒数"),
    Part.PERCENT: re.compile(r"\d+(?:\.\d+)?\s*(?:%|％|个百分点)|百分之"),
    Part.ROUTE: re.compile(r"公交|地铁|路线|线路|乘坐?[^，,。；;]{0,8}?(?:路|号线|专线)|步行|出口|换乘|导航|自驾|高速"
                           r"|收费站|下道"),
    # a time on the way, not a shift of the timetable (提前约半小时, 延长约半小时)
    Part.TRIP: re.compile(r"(?<!提前)(?<!延长)(?<!推迟)(?<!提前约)(?<!延长约)(?<!推迟约)"
                          r"(?:\d+(?:\.\d+)?|半)\s*个?(?:分钟|小时|钟头)"),
    # a time of day: 7:00, 6点40分, 21时30分, 早上八点 (numerals are digits by now), round the clock
    Part.CLOCK: re.compile(r"\d{1,2}\s*[:：]\s*\d{2}|(?<![\d.])\d{1,2}\s*(?:时|点(?![\d.]*\s*"
                           r"(?:要求|意见|举措|建议|做法|经验|内容)))|24\s*小时|全天候?|昼夜"),
})
# "第三条", "第2项"; 低/地/弟 are how 第 is mistyped or misheard ("就业15条的低三条")
_ITEM_ASKED = re.compile(r"[第低地弟递](\d{1,2})(?:条|项|点|款|个方面|件)")


def asked_parts(question: str) -> frozenset[Part]:
    """The parts of a whole the question's asking clauses ask for ("一支队伍最少几个人" → PEOPLE)."""
    text = asking_clauses(_prep(numerals_to_digits(question)))
    found = {part for part, pattern in _PART_ASKED.items() if pattern.search(text)}
    if _ITEM_ASKED.search(text):
        found.add(Part.ITEM)
    return frozenset(found)


# The kind of thing a count asks for when the question ends on it: "一列有多少个座位" → 座位
_COUNT_OF_KIND = re.compile(r"(?:多少|几多|好多|几)(?:个|座|家|所|处|台|辆|张|间|套|只|种|类)?"
                            r"(?P<kind>[\u4e00-\u9fff]{1,4}?)[？?。!！呢啊呀啰咯啵吗哦]*$")
# Kinds that are units (多少人, 几公里), which _PART_ASKED and the COUNT evidence already read
_UNIT = re.compile(r"(?:人次|人|名|位|户|公里|千米|米|平方米?|亩|周岁|岁|元|块钱?|钱|次|年|天|个月|月|倍|层|万|亿|千|百"
                   r"|小时|分钟|点|号|批|趟|对|项|条|所|家|座|个)[人钱]?")


def counted_kind(question: str) -> str | None:
    """The thing a count is asked of, when the question ends on it ("CJ6型动车组一列有多少个座位"
    → 座位); None for a unit (多少人, 几公里) or no count."""
    found = _COUNT_OF_KIND.search(asking_clauses(_prep(question)))
    kind = found.group("kind") if found else None
    return None if kind is None or len(kind) < 2 or _UNIT.fullmatch(kind) else kind


def unstated_parts(question: str, parts: frozenset[Part], stated_text: str) -> frozenset[Part]:
    """The parts asked that the entry's text (without disclaimers) does not give: a count of
    another kind of thing, or a list that is not itemised as far as the item asked."""
    text = numerals_to_digits(stated_text)
    missing = {part for part in parts - {Part.ITEM} if not _PART_STATED[part].search(text)}
    if Part.ITEM in parts and not _states_item(_ITEM_ASKED.search(_prep(numerals_to_digits(question))), text):
        missing.add(Part.ITEM)
    return frozenset(missing)


_FIGURE = re.compile(r"\d")


def gives_a_figure_of(parts: tuple[str, ...], clauses: list[str]) -> bool:
    """Some clause (normalised) names the thing, by all of its words, and gives a figure besides:
    "其中包括株洲芦淞区、荷塘区" names 荷塘区 as one of the pilots but gives no count of its own."""
    def rest(clause: str) -> str:
        for part in parts:
            clause = clause.replace(part, " ")
        return clause
    return any(all(p in clause for p in parts) and _FIGURE.search(rest(clause)) for clause in clauses)


def _states_item(asked_item: re.Match, text: str) -> bool:
    """The text gives the n-th item: "第三"/"第3", "三是", "③" or "(3)"."""
    number = int(asked_item.group(1))  # the question's numerals are digits by now
    if not 1 <= number <= 10:
        return f"第{number}" in text
    chinese, circled = "一二三四五六七八九十"[number - 1], "①②③④⑤⑥⑦⑧⑨⑩"[number - 1]
    return bool(re.search(rf"第(?:{number}|{chinese})(?![\d十])|(?<![\d一二三四五六七八九十]){chinese}是|{circled}"
                          rf"|[（(](?:{number}|{chinese})[）)]", text))


# ---------------------------------------------------------------------------------------------
# direction of travel: where a train asked of goes, and where the entry's trains go
# ---------------------------------------------------------------------------------------------

_TOWARDS = r"(?:回到?|到|去|往|开往|前往|终到|至|抵达)"
HOME_CITY = "株洲"


def destination_asked(question: str, places: Iterable[str]) -> str | None:
    """The place the trip asked of goes to ("晚上从长沙回株洲的最后一班" → 株洲), of these places."""
    text = _prep(question)
    found = [(m.start(), place) for place in places for m in re.finditer(rf"{_TOWARDS}{re.escape(place)}", text)]
    if found:
        return max(found)[1]
    # "从长沙回来的末班车": coming back is coming to 株洲, where the asker lives
    back = any(re.search(rf"从{re.escape(place)}[^，,。？?]{{0,6}}?(?:回来|过来|返回)", text)
               for place in places if place != HOME_CITY)
    return HOME_CITY if back else None


def goes_to(place: str, stated_text: str, places: Iterable[str]) -> bool | None:
    """Whether the entry's text (without disclaimers) tells of going to this place (株洲 for 株洲南):
    None when it tells of going nowhere among these places, so that it says nothing of direction."""
    text = _prep(stated_text)
    reached = {p for p in places if re.search(rf"{_TOWARDS}{re.escape(p)}", text)}
    if not reached:
        return None
    return any(p.startswith(place) or place.startswith(p) for p in reached)


# An amount asked ("好多钱一次", "几块钱", "收费标准是多少"), not whether there is a fee ("免费吗").
_AMOUNT_ASKED = re.compile(r"(?:多少|几多|好多|几个)钱|几块|(?:多少|好多)块|(?:多少|几)元"
                           r"|(?:票价|价格|价钱|收费|费用|门票|学费|房租|租金|标准)(?:是|为|要|大概|一般)?(?:多少|几多|好多)")
# An amount stated: a sum in 元 or 块, a cut by a figure (降费30%), or free outright; "免费或低收费"
# leaves the amount open.
_AMOUNT = re.compile(r"\d\s*(?:万|亿)?(?:元|块)|[一二两三四五六七八九十百千万亿]+(?:元|块钱)"
                     r"|(?:降费|降价|费用[^，,。；;\n]{0,6}(?:下降|降低|减少))[^，,。；;\n]{0,8}?\d"
                     r"|(?:免费|全免|不收费|零收费)(?!或)")


def asks_an_amount(question: str) -> bool:
    """The question asks how much something costs, not whether there is a fee ("免费吗")."""
    return bool(_AMOUNT_ASKED.search(question))


def prices_of(subject: str, text: str, amount: bool = False) -> bool:
    """The item of the text that names the subject gives a price or fee (`amount`: a sum, or free
    outright): in a list ("①…；②…"), another item's price ("免费放映公益电影") is none of 长者餐厅's;
    outside lists the whole text is one item."""
    evidence = _AMOUNT if amount else _PRICE_EVIDENCE
    return any(subject in item and evidence.search(item) for item in _LIST_ITEM_SPLIT.split(text))


_LIST_ITEM_SPLIT = re.compile(r"[；;\n]|(?=[①②③④⑤⑥⑦⑧⑨⑩])")
