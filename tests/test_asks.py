"""bot.language.asks: what a question asks for, what an entry's text states, and what is left unanswered.

The rule under test: the bot answers only when the entry STATES what is asked ("公办专门学校
什么时候开学" is not answered by "提出建设公办专门学校"); otherwise it says which detail the
reports do not give.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.language import asks as asks_module
from bot.language.asks import (
    ALL_ASKS,
    MISSING_TEXT,
    ONGOING,
    Ask,
    Part,
    asked,
    asked_parts,
    asking_clauses,
    asks_an_amount,
    completion_asked,
    counted_kind,
    date_event_spans,
    dates_the_event,
    destination_asked,
    disclaims_names_of,
    goes_to,
    lists_as_many_as_asked,
    lists_names_of,
    names_asked_of,
    plan_only,
    prices_of,
    procedure_verbs,
    stated,
    under_way_of,
    unstated,
    unstated_parts,
)
from bot.language.textnorm import normalize

C, D, U, P, N = Ask.COUNT, Ask.DATE, Ask.DURATION, Ask.PLACE, Ask.NAMES
W, H, G, R, Y, F = Ask.WHO, Ask.HOW, Ask.PROGRESS, Ask.PRICE, Ask.YESNO, Ask.DEFINITION
NOTHING: frozenset[Ask] = frozenset()

FAQ_DIR = Path(__file__).resolve().parent.parent / "faq_data"


# ------------------------------------------------------------------------------------------
# asked()
# ------------------------------------------------------------------------------------------

ASKED = [
    # formal
    pytest.param("长者餐厅2025年计划建设多少家？", {C}, id="formal-count-plan"),
    pytest.param("公办专门学校什么时候开学？", {D}, id="formal-when-school-opens"),
    pytest.param("长株潭城际铁路首班车几点发车？", {D}, id="formal-clock-time"),
    pytest.param("株洲南站到长沙站运行时间需要多长时间？", {U}, id="formal-travel-time"),
    pytest.param("公共体育场馆的开放时间是怎样安排的？", {D}, id="formal-opening-hours"),
    pytest.param("残疾人辅助器具适配服务如何申请？", {H}, id="formal-how-apply"),
    pytest.param("城中村改造的28个项目具体是哪些村？", {N}, id="formal-which-villages"),
    pytest.param("市第一老年养护院目前建设进展如何？", {G}, id="formal-progress"),
    pytest.param("2025年株洲市政府工作报告由谁作出？", {W}, id="formal-who-made-report"),
    pytest.param("“一江八港十湖”中的“八港”是指哪些？", {N}, id="formal-refers-to-which"),
    pytest.param("LPR是什么意思？", {F}, id="formal-meaning"),
    pytest.param("长株潭城铁票价是多少？", {R}, id="formal-fare"),
    pytest.param("株洲是全国文明城市吗？", {Y}, id="formal-yesno"),
    pytest.param("富家小区位于哪个街道？", {P}, id="formal-which-street"),
    pytest.param("2020年株洲卫生厕所普及率达到多少？", {C}, id="formal-rate"),
    pytest.param("企业债券“直通车”机制的审核时限是多久？", {U}, id="formal-time-limit"),
    pytest.param("2021年株洲计划改造多少个老旧小区", {C}, id="formal-planned-count"),
    pytest.param("株洲政务服务在全省排第几", {C}, id="formal-rank"),
    pytest.param("我们村到现在还没通自来水。2021年市里计划让多少个村通水？", {C}, id="now-in-the-story-a-plan-asked"),
    pytest.param("听说村里要通自来水了。到现在通了多少个村？", {C, G}, id="now-in-the-question"),
    pytest.param("2020年空气优良天数有多少天", {C}, id="formal-number-of-days-is-count"),
    pytest.param("德尔塔疫情多少天清零", {U}, id="formal-days-taken-is-duration"),
    pytest.param("医院检查结果互认是指什么", {F}, id="formal-is-meant-what"),
    pytest.param("株洲一江八港十湖指的是哪些湖", {N}, id="formal-refers-to-which-lakes"),
    pytest.param("中车双碳产业基地是什么项目", {F}, id="formal-what-project"),
    # colloquial
    pytest.param("城铁末班车几点啊", {D}, id="colloquial-last-train"),
    pytest.param("长者餐厅在哪里", {P}, id="colloquial-where"),
    pytest.param("去哪办残疾证", {H, P}, id="colloquial-where-to-apply"),
    # "在哪一天/在哪年": 在哪 asks of a day, not of a place
    pytest.param("这家公司是在哪一天成立的", {D}, id="on-which-day-is-a-date"),
    pytest.param("体育馆在哪年建成", {D}, id="in-which-year-is-a-date"),
    pytest.param("他在哪上班", {P}, id="where-still-a-place"),
    pytest.param("APP怎么注测账号", {H}, id="how-with-a-slip-in-the-verb"),
    pytest.param("再过几年经济总量能做到多大，目标是多少", {C}, id="in-a-few-years-is-no-duration-asked"),
    pytest.param("要多少年才能建好", {U}, id="how-many-years-still-a-duration"),
    pytest.param("低保一个月能领多少钱", {R}, id="colloquial-how-much-money-not-count"),
    pytest.param("体育馆免费吗", {R, Y}, id="colloquial-free"),
    pytest.param("洞株路通车了没", {G, Y}, id="colloquial-opened-yet"),
    pytest.param("城铁多久一班", {U}, id="colloquial-interval"),
    pytest.param("博物馆新馆开了吗", {G, Y}, id="colloquial-open-yet"),
    pytest.param("残疾人补贴找哪个部门", {W}, id="colloquial-which-department"),
    pytest.param("富家小区的网格书记叫啥", {W}, id="colloquial-secretary-name-is-who"),
    pytest.param("市长叫啥", {W}, id="colloquial-mayor-name"),
    pytest.param("报告是谁作的", {W}, id="colloquial-who-made"),
    pytest.param("十大产业项目有哪些", {N}, id="colloquial-which-projects"),
    pytest.param("北汽株洲基地有什么项目", {N}, id="colloquial-what-projects-are-names"),
    pytest.param("长者餐厅现在建了几家", {G, C}, id="colloquial-built-how-many-now"),
    pytest.param("已经建成多少家长者餐厅了", {G, C}, id="colloquial-already-built"),
    pytest.param("城中村改造完成了多少户", {G, C}, id="colloquial-completed-how-many"),
    pytest.param("什么时候在哪里报名", {D, P, H}, id="colloquial-when-where-signup"),
    pytest.param("要带什么材料", {H}, id="colloquial-documents"),
    pytest.param("城铁在哪个站坐", {P}, id="colloquial-which-station"),
    pytest.param("污水管网要建多长", {C}, id="colloquial-how-long-pipes"),
    pytest.param("要建几个消防站", {C}, id="colloquial-to-build-how-many"),
    pytest.param("城铁一张票几块钱", {R}, id="colloquial-few-yuan"),
    pytest.param("长者餐厅贵不贵", {R, Y}, id="colloquial-expensive"),
    pytest.param("有没有补贴", {R, Y}, id="colloquial-any-subsidy"),
    pytest.param("跨省通办能不能网上办", {H, Y}, id="colloquial-online"),
    pytest.param("安置房在哪里，什么时候交房", {P, D}, id="colloquial-where-and-when"),
    pytest.param("几年能建成", {U}, id="colloquial-how-many-years"),
    pytest.param("城铁首班车几点，票价多少", {D, R}, id="multi-time-and-fare"),
    pytest.param("长者餐厅有多少家，都在哪里", {C, P}, id="multi-count-and-place"),
    pytest.param("谁可以申请公益性岗位", {H}, id="who-may-apply-is-how"),
    pytest.param("残疾人托养服务怎么申请，要什么条件", {H}, id="how-and-conditions"),
    pytest.param("残疾人托养在哪里申请", {P, H}, id="where-to-apply"),
    pytest.param("株洲城市更新公司是什么，什么时候成立的", {F, D}, id="multi-definition-and-date"),
    pytest.param("醴茶铁路恢复客运了吗，票价多少", {G, Y, R}, id="multi-progress-and-fare"),
    pytest.param("株洲有几个区是老旧小区改造试点，是哪几个", {C, N}, id="multi-count-and-names"),
    pytest.param("目前有哪些长者餐厅", {N, G}, id="names-now"),
    pytest.param("现在城铁末班车几点", {D}, id="now-with-time-asks-time"),
    pytest.param("株洲贫困人口全部脱贫了吗", {G, Y}, id="done-yet"),
    pytest.param("为什么长沙西站还没恢复客运", {G}, id="why-not-yet"),
    pytest.param("醴陵到娄底的高速开没开工", {G}, id="v-not-v"),
    pytest.param("芦淞1937文创园怎么去", {P}, id="directions"),
    pytest.param("城铁怎么买票", {H}, id="how-buy-ticket"),
    pytest.param("残联电话多少", {W}, id="phone-is-contact-not-count"),
    pytest.param("办理流程是怎样的", {H}, id="procedure"),
    pytest.param("雨污分流的管网规模有多大", {C}, id="scale"),
    pytest.param("长者餐厅收费标准是多少", {R}, id="fee-standard"),
    pytest.param("老旧小区改造试点是哪几个区", {N}, id="which-few-districts"),
    pytest.param("城铁每站都停吗", {Y}, id="yesno-every-stop"),
    pytest.param("株洲要建自己的卫星星座吗", {Y}, id="yesno-plan"),
    pytest.param("会不会加宽京港澳高速", {Y}, id="yesno-will"),
    # a story before the question is context: what it says happened is not asked
    pytest.param("我们那栋楼去年改造了，今年加装电梯补贴多少钱", {R}, id="story-then-price"),
    pytest.param("厂子搬走了，听说要建公园，公园建在哪里", {P}, id="story-then-place"),
    pytest.param("老房子拆了，现在安置房建了几套", {C, G}, id="story-then-progress-asked"),
    # the future is a plan asked about, not the state now
    pytest.param("以后在镇上能不能办好社保了", {Y}, id="future-not-progress"),
    pytest.param("将来城铁能修到醴陵了吗", {Y}, id="future-yesno"),
    pytest.param("到哪一年能建成", {D}, id="by-which-year-is-a-date"),
    # Hunan dialect
    pytest.param("长者餐厅建好冇", {G, Y}, id="dialect-built-or-not"),
    pytest.param("么子时候开学咯", {D}, id="dialect-when"),
    pytest.param("公办专门学校是搞么子的", {F}, id="dialect-what-for"),
    pytest.param("冇得补贴啵", {R, Y}, id="dialect-no-subsidy"),
    pytest.param("屋里老人吃饭的地方在哪块", {P}, id="dialect-where"),
    pytest.param("要好多钱啵", {R, Y}, id="dialect-how-much-money"),
    pytest.param("养护院修得么样了", {G}, id="dialect-how-is-it-going"),
    pytest.param("这个事哪个负责", {W}, id="dialect-who-in-charge"),
    pytest.param("要几久才建得好", {U}, id="dialect-how-long"),
    pytest.param("低保今年涨不涨", {Y}, id="dialect-a-not-a"),
    pytest.param("有冇得免费的电影看", {R, Y}, id="dialect-free-films"),
    pytest.param("株洲有冇得公办的专门学校", {Y}, id="dialect-is-there"),
    # voice recognition: fillers, full stops, typos
    pytest.param("嗯那个城铁最早一班几点钟啊。", {D}, id="voice-first-train"),
    pytest.param("呃我想问一下长者餐厅在在哪里报名。", {P, H}, id="voice-stutter-where-signup"),
    pytest.param("就是说那个城中村改造是哪些村子呀。", {N}, id="voice-which-villages"),
    pytest.param("请问一下公办专门学校什么时侯开学。", {D}, id="voice-typo-shihou"),
    pytest.param("长着餐厅建了几家了。", {G, C}, id="voice-typo-zhangzhe"),
    pytest.param("城铁票价多少钱啊。", {R}, id="voice-fare"),
    pytest.param("那个LPR是什么意思呢。", {F}, id="voice-meaning"),
    pytest.param("嗯洞株路通车了吗。", {G, Y}, id="voice-opened"),
    pytest.param("城铁发车间隔多长时间。", {U}, id="voice-interval"),
    # content questions and bare topics: no specific ask
    pytest.param("株洲经济发展得怎么样", NOTHING, id="content-how-is-economy"),
    pytest.param("株洲对乡村教育有什么政策", NOTHING, id="content-policy"),
    pytest.param("创业有什么支持", NOTHING, id="content-support"),
    pytest.param("2025年株洲推进城中村改造的目标是什么", NOTHING, id="content-target-is-not-definition"),
    pytest.param("株洲和萍乡有什么关系", NOTHING, id="content-relation"),
    pytest.param("时光钟表行送年货是怎么回事", NOTHING, id="content-what-happened"),
    pytest.param("棚改", NOTHING, id="topic-penggai"),
    pytest.param("十大民生实事", NOTHING, id="topic-ten-projects"),
    pytest.param("长者餐厅", NOTHING, id="topic-canteen"),
    pytest.param("城铁首班车", NOTHING, id="topic-first-train"),
    pytest.param("一江八港十湖", NOTHING, id="topic-numeral-name"),
    pytest.param("跨省通办", NOTHING, id="topic-tongban"),
    pytest.param("幸福食光", NOTHING, id="topic-brand"),
    # already normalised text (digits before units, no punctuation)
    pytest.param("城铁末班车几点", {D}, id="normalised-last-train"),
    pytest.param("长者餐厅今年建40家吗", {Y}, id="normalised-stated-number-is-not-an-ask"),
    pytest.param("9点半以后还有城铁吗", {Y}, id="normalised-stated-time-is-not-an-ask"),
    # a story's words ask nothing when a clause asks the question
    pytest.param("退休了想去做志愿服务攒点时长，株洲有没有这种做法", {Y}, id="story-noun-is-not-an-ask"),
    pytest.param("工期是多久", {U}, id="asked-noun-is-an-ask"),
    # procedures named by their own verbs
    pytest.param("医保断了半年怎么补缴", {H}, id="how-to-pay-arrears"),
    pytest.param("住房公积金如何提取", {H}, id="how-to-withdraw"),
    pytest.param("户口要怎么迁移", {H}, id="how-to-move"),
    pytest.param("APP如何进行实名注册", {H}, id="how-with-a-manner-before-the-verb"),
]


@pytest.mark.parametrize("question, expected", ASKED)
def test_asked(question, expected):
    assert asked(question) == frozenset(expected)


@pytest.mark.parametrize("question", [
    pytest.param("公办专门学校什么时候开学？", id="when"),
    pytest.param("长株潭城铁早上首班车几点开？", id="clock"),
    pytest.param("长者餐厅现在建了几家？", id="progress-count"),
    pytest.param("什么时候在哪里报名？", id="multi"),
    pytest.param("体育馆免费吗？", id="price"),
    pytest.param("城中村改造是哪些村？", id="names"),
    pytest.param("ＬＰＲ是什么意思？", id="full-width"),
    pytest.param("城铁一天开多少对车？", id="count"),
    pytest.param("二零二一年空气优良率目标是多少？", id="chinese-numerals"),
    pytest.param("晚上九点半以后还有城铁吗？", id="clock-numerals"),
])
def test_asked_reads_raw_and_normalised_text_alike(question):
    assert asked(normalize(question)) == asked(question)


def test_asked_returns_asks_and_is_cached():
    first = asked("长者餐厅在哪里？")
    assert first is asked("长者餐厅在哪里？")
    assert all(isinstance(ask, Ask) for ask in first)
    assert asked("") == NOTHING


def test_asked_dispatch_finds_the_tokens_of_the_plain_alternation():
    """The per-character dispatch is only a speed-up: it must find what one finditer over the
    whole alternation finds."""
    for param in ASKED:
        text = asks_module._prep(param.values[0])
        plain = [(m.start(), m.group(0), m.lastgroup) for m in asks_module._TOKEN_RE.finditer(text)]
        fast = [(m.start(), m.group(0), m.lastgroup) for m in asks_module._tokens(text)]
        assert fast == plain, param.id


# ------------------------------------------------------------------------------------------
# stated(): real answers copied from faq_data, then synthetic ones
# ------------------------------------------------------------------------------------------

SHOUBANCHE = ("2021年5月8日起执行的长株潭城际铁路运行图：长沙、株洲南、湘潭每日首发列车均在6时整点开出，"
              "比以往提前约半小时。现行时刻请以铁路部门最新公布为准。")
ZHUANMEN = ("是的。据2025年株洲市政府工作报告，2025年十大重点民生实事第②项“促进教育高质量发展”提出建设公办专门学校。"
            "报告未写学校名称、地点和招生办法。")
ZHUANMEN_DETAIL = "报告（2024年12月25日）只列出“建设公办专门学校”这一目标，没有数量、选址等细节，具体以教育部门公布为准。"
ZHANGZHE = ("据2025年株洲市政府工作报告，2025年十大重点民生实事第④项“提高养老服务水平”提出建设“幸福食光”"
            "长者餐厅40家。报告未列具体地点。")
ZHANGZHE_DETAIL = "报告（2024年12月25日）只给出数量40家，未列各餐厅地址、开放时间和收费，具体以民政部门和所在社区公布为准。"
HUSHU = ("据2025年株洲市政府工作报告，2025年十大重点民生实事第⑦项提出28个城中村改造项目完成改造3885户。"
         "报告未列具体村（社区）名单。")
HUSHU_DETAIL = "同项还有新建安置房（房票安置）3992套。某一片区是否纳入改造，以住建部门和所在区政府公布为准。"
CHENGZHONGCUN = ("据2025年株洲市政府工作报告，十大重点民生实事第⑦项是推进城中村改造：28个城中村改造项目完成改造3885户，"
                 "新建安置房（房票安置）3992套。")
FACHE = ("2021年5月8日起执行的长株潭城际铁路运行图：株洲、湘潭区间平均发车间隔为21分钟，基本达到“公交化”水平。"
         "现行间隔请以铁路部门最新公布为准。")
HUANXIAN = "据2020年12月召开的市委经济工作会议，2020年历时21年的株洲城市快速环线全线贯通。"
WUTIAO_XIANG = ("据株洲日报2025年1月报道，经近千人次参与、多轮投票比选，荷塘区富家小区原来无名的五条主巷分别命名为"
                "富邻巷、富里巷、富一巷、富家巷和富亲巷。")
BAOGAO = ("2025年株洲市政府工作报告由株洲市人民政府市长陈恢清于2024年12月25日在株洲市第十六届人民代表大会第四次会议上"
          "作出，报告提出了2025年十大重点民生实事等任务。")
LPR = "据2025年株洲市政府工作报告名词解释，LPR即贷款市场报价利率。报告名词解释未给出具体利率数值。"
LPR_DETAIL = "出自2024年12月25日政府工作报告名词解释第21条。"
TIYU = ("据2025年株洲市政府工作报告，2025年十大重点民生实事第⑥项提出公共体育场馆免费或低收费开放28万人次。"
        "报告未列具体场馆和开放时间。")
TIYU_DETAIL = ("该项属于第⑥项“加强社会文化体育建设”，同项还有免费放映公益电影12316场。具体哪些场馆、哪些时段免费或低收费，"
               "以体育部门和场馆公布为准。")
WUZHANGAI = ("据2025年株洲市政府工作报告，2025年十大重点民生实事第⑨项提出实施困难残疾人家庭无障碍改造300户。"
             "报告未写申请办法，可向残联咨询。")
WUZHANGAI_DETAIL = "该项属于第⑨项“开展残疾人关爱服务”。申请条件和流程报告未写，以残联等部门公布为准。"
QIHUA = ("据2021年初株洲日报对市住建局负责人的访谈，2021年计划推进“气化株洲”工程：新增改造燃气管网100公里以上，"
         "推动衡阳—炎陵天然气支线管道一期投产通气，66个建制乡镇管道天然气全覆盖。")
QIHUA_DETAIL = "这是2021年的工作目标，不代表已全部完成。你所在乡镇的通气时间请咨询当地燃气企业或住建部门。"
DONGZHULU = "据2020年12月召开的市委经济工作会议，2020年洞株路快速化改造项目全线通车，长株潭“半小时交通圈”加速形成。"
WEISHENG = ("据2021年初株洲日报对市卫健委负责人的访谈，“十三五”期间株洲实现国家卫生城市“四连冠”；"
            "2020年株洲成为全省唯一的全域国家卫生城市。")
FUJIA = ("据株洲日报2025年1月报道，富家小区位于荷塘区宋家桥街道，背靠芦淞市场群；曾是荷塘铺村富家垅组，后称富家垅A区，"
         "通过示范小区创建改称富家小区（报道时尚未获民政部门备案批复）。")
SHIDIAN = ("据2021年5月株洲日报报道，2020年湖南省明确14个市（州）的18个县（市、区）作为省级城镇老旧小区改造试点，"
           "其中包括株洲芦淞区、荷塘区。")
ZHONGCHE = ("据株洲日报2021年5月报道，中车株洲电力机车董事长周清和在企业家座谈会上表示，中车株洲力争到“十四五”末期"
            "经营规模突破400亿元、净利润超过20亿元、国际化指数超过25%。")
ZHONGCHE_DETAIL = "周清和表示将带动引领株洲轨道交通产业发展。这是2021年5月5日企业家座谈会上的表态，属企业目标，不是已实现的数据。"
JIUZHU_DETAIL = "负责人表示，将巩固拓展脱贫攻坚兜底保障成果。申请救助请向户籍所在地乡镇（街道）或民政部门咨询。"
SANREN = "据2025年株洲市政府工作报告名词解释，“三认”活动即全民义务植树月认种、认养、认建公益活动。报告未写参与办法和时间。"
SANREN_DETAIL = "出自名词解释第14条“‘三认’和‘三美’活动”。具体如何报名认种、认养、认建，报告未说明，以林业、园林部门公布为准。"
DIBAO = ("会提高。据2025年株洲市政府工作报告，2025年十大重点民生实事第①项提出“提高城乡低保标准和救助水平”。"
         "报告未写具体标准金额，以民政部门正式公布为准。")
YANGHUYUAN = ("据2021年初株洲日报对市民政局负责人的访谈，2021年株洲计划加快市第一老年养护院项目建设，并完成市爱心大院竣工验收。"
              "报道未给出建成时间和床位数，入住事宜请咨询民政部门。")
DAZHAN = ("2021年5月8日起执行的运行图：每天21时30分后开行株洲南、湘潭往长沙的大站直达列车8趟，运行时间分别压缩至47分钟"
          "和37分钟。现行请以铁路部门最新公布为准。")

STATED_REAL = [
    pytest.param(SHOUBANCHE, "", {D}, {C, R, W}, id="shoubanche-states-time"),
    pytest.param(ZHUANMEN, ZHUANMEN_DETAIL, set(), {D, P, N, C, H, G}, id="zhuanmen-no-date-place-name"),
    pytest.param(ZHANGZHE, ZHANGZHE_DETAIL, {C}, {G, P, R, D}, id="zhangzhe-count-but-no-progress"),
    pytest.param(HUSHU, HUSHU_DETAIL, {C}, {N, G}, id="hushu-no-village-list"),
    pytest.param(CHENGZHONGCUN, "", {C}, {G}, id="chengzhongcun-planned-completion-is-not-progress"),
    pytest.param(FACHE, "", {U, D, G}, set(), id="fache-interval"),
    pytest.param(HUANXIAN, "", {U, G, D}, set(), id="huanxian-took-21-years"),
    pytest.param(WUTIAO_XIANG, "", {N, C}, set(), id="wutiao-xiang-names"),
    pytest.param(BAOGAO, "", {W, D}, set(), id="baogao-who-and-when"),
    pytest.param(LPR, LPR_DETAIL, {F}, {D, C}, id="lpr-definition-source-date-not-date"),
    pytest.param(TIYU, TIYU_DETAIL, {C, R}, {P, D, N, G}, id="tiyu-free-count-no-venues"),
    pytest.param(WUZHANGAI, WUZHANGAI_DETAIL, {C}, {H}, id="wuzhangai-no-application-method"),
    pytest.param(QIHUA, QIHUA_DETAIL, {C}, {G, D}, id="qihua-plan-not-progress"),
    pytest.param(DONGZHULU, "", {G, D}, set(), id="dongzhulu-opened"),
    pytest.param(WEISHENG, "", {G, C}, set(), id="weisheng-four-times"),
    pytest.param(FUJIA, "", {P, N}, set(), id="fujia-place-and-former-name"),
    pytest.param(SHIDIAN, "", {N, P}, set(), id="shidian-districts"),
    pytest.param(ZHONGCHE, ZHONGCHE_DETAIL, {C}, {G}, id="zhongche-target-not-achieved"),
    pytest.param("", JIUZHU_DETAIL, {H, P}, set(), id="jiuzhu-where-to-apply"),
    pytest.param(SANREN, SANREN_DETAIL, {F}, {H, D}, id="sanren-definition-no-how"),
    pytest.param(DIBAO, "", set(), {R, G, C}, id="dibao-will-rise-no-amount"),
    pytest.param(YANGHUYUAN, "", set(), {G, D, C}, id="yanghuyuan-plan-no-date"),
    pytest.param(DAZHAN, "", {D, U, C}, set(), id="dazhan-time-duration-count"),
]


@pytest.mark.parametrize("answer, detail, present, absent", STATED_REAL)
def test_stated_real_answers(answer, detail, present, absent):
    states = stated(answer, detail)
    assert set(present) <= states
    assert not set(absent) & states


STATED_SYNTHETIC = [
    # disclaimers are not evidence
    pytest.param("报告未列具体村名单。", set(), {N}, id="disclaimer-no-names"),
    pytest.param("城中村改造共28个项目，报告未列具体村名单。", {C}, {N}, id="disclaimer-subclause"),
    pytest.param("计划建设长者餐厅40家，没有公布已建成多少家。", {C}, {G}, id="disclaimer-not-published-built"),
    pytest.param("报告未写申请办法，可向残联咨询。", set(), {H, W}, id="disclaimer-no-method-referral"),
    pytest.param("报道未给出开放时间和地点。", set(), {D, P}, id="disclaimer-no-time-place"),
    pytest.param("具体收费标准请咨询当地民政部门。", set(), {R}, id="referral-is-not-a-price"),
    pytest.param("报告未对这两个词作进一步解释。", set(), {F}, id="disclaimer-long-gap"),
    pytest.param("这是2021年的工作目标，不代表已全部完成。", set(), {G}, id="hedge-not-achieved"),
    # source years and dates are not the event's date
    pytest.param("据2025年株洲市政府工作报告，2025年十大重点民生实事提出建设公办专门学校。", set(), {D, G},
                 id="source-year-not-date"),
    pytest.param("报告（2024年12月25日）只给出数量40家。", {C}, {D}, id="source-date-in-brackets"),
    pytest.param("2024年12月25日，市长陈恢清在市人代会上作政府工作报告。", {W}, {D}, id="report-delivery-date"),
    pytest.param("据株洲日报2021年5月报道，醴陵网商达7820家。", {C, G}, {D}, id="newspaper-date"),
    pytest.param("2021年株洲计划推进乡镇管道天然气全覆盖。", set(), {D, G}, id="plan-year-not-date"),
    # dates, times, durations
    pytest.param("新运行图于2021年5月8日起执行。", {D}, set(), id="full-date"),
    pytest.param("首班车6时开出，末班车23时25分到达。", {D}, set(), id="clock-times"),
    pytest.param("每天9:00开始，21:00结束。", {D}, set(), id="colon-times"),
    pytest.param("该项目将于2026年建成投用。", {D}, {G}, id="planned-year-with-event-is-date"),
    pytest.param("2020年洞株路快速化改造项目全线通车。", {D, G}, set(), id="year-with-event-verb"),
    pytest.param("株洲南至长沙运行时间压缩至47分钟。", {U}, {D}, id="duration-minutes"),
    pytest.param("开办企业“两天即办结”。", {U, H}, set(), id="quoted-duration"),
    pytest.param("优良天数实现“蓝天300天”目标。", set(), {C, U}, id="slogan-numbers-count-nothing"),
    # plan vs achieved
    pytest.param("2021年株洲计划建成长者餐厅20家。", {C}, {G}, id="plan-count"),
    pytest.param("截至2020年底，株洲已建成长者餐厅30家。", {C, G, D}, set(), id="achieved-count"),
    pytest.param("力争到2025年实现全覆盖。", {D}, {G}, id="target"),
    pytest.param("会提高。据报告，提出提高城乡低保标准。", set(), {G}, id="will-rise-is-plan"),
    pytest.param("株洲站改造工程尚未完成。", {G}, set(), id="not-yet-finished-is-a-state"),
    # other asks
    pytest.param("长者餐厅位于芦淞区建设路88号。", {P}, set(), id="address"),
    pytest.param("试点包括芦淞区、荷塘区。", {N, P}, set(), id="enumeration-of-districts"),
    pytest.param("同项还有建设基层消防站、建设食品安全便民服务中心。", set(), {N}, id="actions-are-not-names"),
    pytest.param("市长陈恢清作政府工作报告。", {W}, set(), id="named-person"),
    pytest.param("申请救助请向户籍所在地乡镇（街道）或民政部门咨询。", {H, P}, set(), id="where-to-apply"),
    pytest.param("查档办法请咨询市档案馆。", set(), {H}, id="method-referral-is-not-how"),
    pytest.param("票价为每人10元。", {R}, set(), id="price"),
    pytest.param("公共体育场馆免费或低收费开放。", {R}, set(), id="free"),
    pytest.param("LPR是指贷款市场报价利率。", {F}, set(), id="definition"),
    pytest.param("株洲政务服务排名全省第一。", {C}, set(), id="rank"),
    pytest.param("株洲连续6年获国务院表彰激励。", {U}, set(), id="years-in-a-row-are-a-duration"),
    pytest.param("工作队重点派往乡村振兴示范村和脱贫村。", {P}, set(), id="sent-to-villages-is-a-place"),
    pytest.param("渌水水质提升至国家II类标准。", {C}, set(), id="water-class"),
    pytest.param("提高残疾人“两项补贴”标准。", set(), {C}, id="quoted-name-numeral"),
]


@pytest.mark.parametrize("text, present, absent", STATED_SYNTHETIC)
def test_stated_synthetic(text, present, absent):
    states = stated(text)
    assert set(present) <= states
    assert not set(absent) & states


def test_stated_takes_the_detail_into_account():
    assert Ask.DATE not in stated("末班车终到长沙。")
    assert Ask.DATE in stated("末班车终到长沙。", "末班车终到长沙为23时25分。")
    assert stated("", None) == NOTHING  # a missing detail


@pytest.mark.parametrize("answer, expected", [
    pytest.param(ZHANGZHE, True, id="canteens-planned"),
    pytest.param(CHENGZHONGCUN, True, id="ten-projects-list"),
    pytest.param(QIHUA, True, id="year-start-interview"),
    pytest.param(ZHONGCHE, True, id="company-target"),
    pytest.param("2021年株洲计划建成长者餐厅20家。", True, id="plan"),
    pytest.param("据2020年12月召开的市委经济工作会议，2021年株洲将加快株洲电厂搬迁步伐。", True, id="next-year"),
    pytest.param(HUANXIAN, False, id="achieved"),
    pytest.param(DONGZHULU, False, id="opened"),
    pytest.param("“智慧株洲·诸事达”APP已上线运行；2021年株洲计划依托它探索民生领域的数字化服务。", False,
                 id="achieved-then-plan"),
    pytest.param("2020年株洲获评全省安全生产先进市。", False, id="award"),
    pytest.param("株洲有4个城区。", False, id="neither"),
])
def test_plan_only(answer, expected):
    assert plan_only(answer) is expected
    if expected:
        assert Ask.PROGRESS not in stated(answer)


# ------------------------------------------------------------------------------------------
# unstated()
# ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("asks, states, expected", [
    pytest.param({Y}, set(), set(), id="yesno-answered-by-any-on-topic-entry"),
    pytest.param({Y}, {C}, set(), id="yesno-with-facts"),
    pytest.param({R, Y}, {C}, {R}, id="free-yesno-needs-price"),
    pytest.param({R, Y}, {R}, set(), id="free-yesno-answered"),
    pytest.param({G, Y}, {C, N}, {G}, id="opened-yet-needs-progress"),
    pytest.param({G, Y}, {G}, set(), id="opened-yet-answered"),
    pytest.param({H, Y}, {C}, {H}, id="can-i-apply-needs-how"),
    pytest.param({G, C}, {C}, {G}, id="built-how-many-plan-only"),
    pytest.param({G, C}, {G}, {C}, id="progress-without-figure"),
    pytest.param({D, P, H}, {D}, {P, H}, id="when-where-signup"),
    pytest.param({D, P, H}, {D, P, H, C}, set(), id="all-answered"),
    pytest.param(set(), {C, D}, set(), id="bare-topic"),
    pytest.param({N}, set(), {N}, id="names-missing"),
    pytest.param({F}, {N}, set(), id="definition-is-soft"),  # the entry on X is the account of X
])
def test_unstated(asks, states, expected):
    assert unstated(frozenset(asks), frozenset(states)) == frozenset(expected)


def test_unstated_accepts_staff_declared_strings():
    result = unstated(frozenset({"price", "yesno"}), frozenset({"count"}))
    assert result == {Ask.PRICE}
    assert all(isinstance(ask, Ask) for ask in result)


@pytest.mark.parametrize("question, answer, detail, expected", [
    pytest.param("公办专门学校什么时候开学", ZHUANMEN, ZHUANMEN_DETAIL, {D}, id="school-opening-date"),
    pytest.param("长者餐厅现在建成多少家", ZHANGZHE, ZHANGZHE_DETAIL, {G}, id="canteens-built-now"),
    pytest.param("城中村改造的28个项目是哪些村", HUSHU, HUSHU_DETAIL, {N}, id="village-list"),
    pytest.param("长者餐厅在哪里，收不收费", ZHANGZHE, ZHANGZHE_DETAIL, {P, R}, id="canteen-place-and-fee"),
    pytest.param("今年建几家长者餐厅", ZHANGZHE, ZHANGZHE_DETAIL, set(), id="canteen-planned-count"),
    pytest.param("公办专门学校今年建不建", ZHUANMEN, ZHUANMEN_DETAIL, set(), id="yesno-on-subject"),
    pytest.param("株洲是国家卫生城市吗", WEISHENG, "", set(), id="yesno-fact"),
    pytest.param("洞株路通车了吗", DONGZHULU, "", set(), id="opened-yes"),
    pytest.param("气化株洲66个乡镇通气了吗", QIHUA, QIHUA_DETAIL, {G}, id="gas-plan-only"),
    pytest.param("体育馆免费吗", TIYU, TIYU_DETAIL, set(), id="free-yes"),
    pytest.param("体育馆在哪里，几点开门", TIYU, TIYU_DETAIL, {P, D}, id="venues-not-listed"),
    pytest.param("无障碍改造怎么申请", WUZHANGAI, WUZHANGAI_DETAIL, {H}, id="no-application-method"),
    pytest.param("低保会涨吗", DIBAO, "", set(), id="will-rise"),
    pytest.param("低保涨多少", DIBAO, "", {R}, id="rise-by-how-much"),
    pytest.param("城铁首班车几点", SHOUBANCHE, "", set(), id="first-train-time"),
    pytest.param("城铁多久一班", FACHE, "", set(), id="interval"),
    pytest.param("长者餐厅要等多久才建好", ZHANGZHE, ZHANGZHE_DETAIL, {U}, id="duration-not-given"),
    pytest.param("LPR是什么", LPR, LPR_DETAIL, set(), id="definition"),
    pytest.param("LPR现在是多少", LPR, LPR_DETAIL, {C, G}, id="rate-value-not-given"),
])
def test_unstated_end_to_end(question, answer, detail, expected):
    assert unstated(asked(question), stated(answer, detail)) == frozenset(expected)


def test_missing_text_and_all_asks():
    assert {ask.value for ask in Ask} == ALL_ASKS
    assert set(MISSING_TEXT) == set(Ask) | set(Part)
    for ask, text in MISSING_TEXT.items():
        assert text and all("\u4e00" <= ch <= "\u9fff" or ch in "（）" for ch in text), ask
    assert MISSING_TEXT[Ask.DATE] == "具体时间"
    assert MISSING_TEXT[Ask.PROGRESS] == "目前的进展（已完成多少）"


# ------------------------------------------------------------------------------------------
# every entry in faq_data
# ------------------------------------------------------------------------------------------

def _entries() -> dict[str, dict]:
    entries = {}
    for path in sorted(FAQ_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or not data.get("entries"):
            continue  # keywords.yaml, synonyms.yaml
        for entry in data["entries"]:
            entries[entry["id"]] = entry
    return entries


def test_stated_runs_over_every_faq_entry():
    entries = _entries()
    assert len(entries) > 50
    for entry_id, entry in entries.items():
        states = stated(entry["answer"], entry.get("detail") or "")
        assert isinstance(states, frozenset) and all(isinstance(ask, Ask) or ask == ONGOING for ask in states), entry_id
        assert Ask.YESNO not in states, entry_id
        plan_only(entry["answer"])
        for question in [entry["question"], *(entry.get("alternates") or [])]:
            unstated(asked(question), states)


@pytest.mark.parametrize("entry_id, present, absent", [
    pytest.param("ct2021-shoubanche", {D}, set(), id="first-train-states-time"),
    pytest.param("ct2021-mobanche", {D}, set(), id="last-train-states-time"),
    pytest.param("ms2025-overview", {N, C}, {G}, id="ten-projects-list-and-counts"),
    pytest.param("ms2025-zhuanmen-xuexiao", set(), {D, P, N}, id="special-school-no-date"),
    pytest.param("ms2025-zhangzhe-canting", {C}, {G, P}, id="canteens-planned-count"),
    pytest.param("ms2025-chengzhongcun-hushu", {C}, {N, G}, id="villages-not-listed"),
    pytest.param("ct2021-fache-jiange", {U}, set(), id="interval"),
    pytest.param("jt-2020-dongzhulu-tongche", {G}, set(), id="road-opened"),
    pytest.param("mc2025-yijiang-bagang-shihu", {N, F}, set(), id="lakes-and-ports"),
    pytest.param("dt2025-fujia-wangge-dangzhibu", {W}, set(), id="party-secretary"),
    pytest.param("dt2025-fujia-xiaoqu", {P}, set(), id="estate-location"),
    pytest.param("zf-2021-qihua-zhuzhou", {C}, {G}, id="gas-target"),
    pytest.param("zw-2020-kaiban-qiye", {U}, set(), id="two-days"),
])
def test_selected_entries_state_what_they_should(entry_id, present, absent):
    entry = _entries().get(entry_id)
    if entry is None:
        pytest.skip(f"{entry_id} is no longer in faq_data")
    states = stated(entry["answer"], entry.get("detail") or "")
    assert set(present) <= states, sorted(states)
    assert not set(absent) & states, sorted(states)


@pytest.mark.parametrize("question, expected", [
    pytest.param("2021年改造的老旧小区具体是哪些小区", ("小区", True), id="plural"),
    pytest.param("污水处理厂是哪一座", ("处理厂", False), id="singular-before"),
    pytest.param("有哪些企业家参加了座谈会", ("企业家", True), id="noun-before-a-verb"),
    pytest.param("残疾人关爱服务具体包括哪些内容", None, id="content-noun"),
    pytest.param("十大产业项目有哪些", None, id="no-noun-after"),
    pytest.param("获表彰的是哪四项工作", ("工作", True), id="so-many-of-a-kind"),
    pytest.param("两园两群是哪两个园子哪两个群", ("园子", True), id="so-many-twice"),
    pytest.param("稳就业要靠哪几方面一起发力", None, id="content-noun-then-a-verb"),
    pytest.param("两型社会的两型到底是哪两个", ("两型", True), id="an-adverb-is-no-part-of-the-kind"),
    pytest.param("消防站具体是哪一座", ("消防站", False), id="an-adverb-before-the-kind-is-dropped"),
    pytest.param("市里要建什么公园", ("公园", False), id="what-kind-of-one-thing"),
    pytest.param("中标的是哪条线", ("线", False), id="which-line"),
    pytest.param("三百工程是哪三个百啊", ("百", True), id="the-kind-without-its-particle"),
    pytest.param("有哪些场馆新建成开放了", ("场馆", True), id="the-kind-before-what-became-of-it"),
    pytest.param("这些项目具体是哪些村？", ("村", True), id="a-one-character-kind"),
    pytest.param("全市有哪些县被评上了", ("县", True), id="a-one-character-kind-before-what-became-of-it"),
    pytest.param("新建的30所学校具体是哪些", ("学校", True), id="so-many-of-them-are-which"),
    pytest.param("新开的消防站是哪一座消防站", ("消防站", False), id="the-kind-after-which-one"),
    pytest.param("具体是哪一项工作", None, id="which-one-of-content"),
    pytest.param("扩建的污水处理厂叫什么名字", ("处理厂", False), id="what-one-place-is-called"),
    pytest.param("扩建 污水处理厂 名称", ("处理厂", False), id="keywords-the-name-of-one-place"),
    pytest.param("气象台台长叫什么名字", None, id="a-persons-name-is-asked-as-who"),
    pytest.param("这种互助办法叫什么", None, id="what-a-way-of-doing-is-called"),
])
def test_names_asked_of(question, expected):
    assert names_asked_of(question) == expected


@pytest.mark.parametrize("noun, several, text, expected", [
    pytest.param("小区", True, "2021年株洲计划对169个老旧小区实施改造，其中市本级59个、县（市）110个。", False, id="counts-are-no-names"),
    pytest.param("乡镇", True, "攸县皇图岭镇、炎陵县中村瑶族乡获评国家级农业产业强镇。", True, id="kind-by-its-last-character"),
    pytest.param("列车", True, "跨线列车共32对，长沙往返石门县北9对、黔江1对、张家界西14对。", True, id="names-with-counts"),
    pytest.param("医院", True, "新增三级公立医院1家、二级综合医院2家。", False, id="the-kind-counted-names-none"),
    pytest.param("村", True, "把大田心、云龙新城等打造成新地标，加快城中村改造。", False, id="a-one-character-kind-only-as-head"),
    pytest.param("村", True, "建成荷花村、杉木村等示范村。", True, id="villages-named"),
    pytest.param("路", True, "由东环路—南环路—西环路形成的中环大道。", True, id="a-route-of-roads"),
    pytest.param("医院", True, "引进医学专家，建成胸痛、卒中、创伤“三大中心”。", False, id="a-character-of-the-kind-is-no-kind"),
    pytest.param("材料", True, "开办企业“两天即办结”、工业项目“拿地即开工”。", False, id="a-list-of-other-things"),
    pytest.param("专线", False, "株洲打造了全国首条红色旅游铁路专线。", True, id="one-named-thing"),
    pytest.param("小区", True, "试点包括株洲芦淞区、荷塘区；2020年220个老旧小区改造全部开工。", False,
                 id="districts-are-no-estates"),
    pytest.param("事项", True, "与江西萍乡市、宜春市实现80项高频事项“跨省通办”。", False, id="cities-are-no-services"),
    pytest.param("城市", True, "与江西萍乡市、宜春市实现80项高频事项“跨省通办”。", True, id="cities-when-cities-are-asked"),
    pytest.param("小区", True, "改造翠湖小区、金色家园小区等3个小区。", True, id="estates-are-no-areas"),
    pytest.param("材料", True, "办理需携带身份证、户口簿及街道出具的相关证明，共20类材料。", True,
                 id="a-list-summed-up-as-the-kind"),
])
def test_lists_names_of(noun, several, text, expected):
    assert lists_names_of(noun, several, text) is expected


@pytest.mark.parametrize("question, text, expected", [
    pytest.param("民政局要推进什么餐厅建设", "民政系统推进“长者餐厅”建设。", True, id="names-the-one-asked"),
    pytest.param("中标的是地铁哪条线", "株洲中标墨西哥城地铁一号线。", True, id="names-the-line"),
    pytest.param("醴陵公立医院的奖金给了哪家医院", "醴陵公立医院综合改革获督查激励。", False,
                 id="only-the-one-the-question-names"),
    pytest.param("醴陵公立医院的奖金给了哪家医院", "新增三级公立医院1家、二级综合医院2家，引进医学专家。", False,
                 id="a-count-of-the-kind-names-none"),
    pytest.param("县里开了哪家医院", "建成3家县级医院。", False, id="counted-before-names-none"),
    pytest.param("雨污分流今年有什么工程", "扩建污水处理厂及建设配套管网5公里。", True, id="a-work-by-what-it-builds"),
])
def test_lists_the_one_thing_asked_when_the_question_does_not_name_it(question, text, expected):
    noun, several = names_asked_of(question)
    assert lists_names_of(noun, several, text, question) is expected



@pytest.mark.parametrize("noun, text, expected", [
    pytest.param("处理厂", "扩建2.5万吨/天污水处理厂。报告未写是哪座污水处理厂。", True, id="which-one-not-written"),
    pytest.param("事项", "实现80项高频事项“跨省通办”。报道未列出具体事项清单，请到政务服务大厅咨询。", True, id="no-list"),
    pytest.param("小区", "具体小区名单报道未列出，请咨询所在区县住建部门。", True, id="names-not-listed"),
    pytest.param("公园", "新建公园7个，包括神农公园。报道未列全7个公园名称。", False, id="some-are-named"),
    pytest.param("行动", "八大行动：①…②…。名词解释未展开各行动的具体内容。", False, id="content-is-not-names"),
])
def test_disclaims_names_of(noun, text, expected):
    assert disclaims_names_of(noun, text) is expected


# ------------------------------------------------------------------------------------------
# one part of a whole: a count of one kind of thing, one item of a list
# ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("question, expected", [
    pytest.param("一个村的工作队最少要配几个人", {Part.PEOPLE}, id="people"),
    pytest.param("去年培训了多少人次", {Part.PEOPLE}, id="person-times"),
    pytest.param("安置房要安置多少户", {Part.HOUSEHOLDS}, id="households"),
    pytest.param("新修的那条路有多少公里", {Part.LENGTH}, id="length"),
    pytest.param("公园占地多少亩", {Part.AREA}, id="area"),
    pytest.param("办老年优待证要年满几岁", {Part.AGE}, id="age"),
    pytest.param("孩子多大年纪能报名", {Part.AGE}, id="age-in-other-words"),
    pytest.param("社区网格员每月有多少生活补贴", {Part.MONEY}, id="money-paid"),
    pytest.param("补助标准是多少", {Part.MONEY}, id="a-standard-of-money"),
    pytest.param("今年补贴多少户", {Part.HOUSEHOLDS}, id="a-count-of-households-subsidised"),
    pytest.param("稳岗十条的第二条讲的什么", {Part.ITEM}, id="item-of-a-list"),
    pytest.param("那八项举措里第5项是啥", {Part.ITEM}, id="item-in-digits"),
    pytest.param("养老新政的地二条说的么子", {Part.ITEM}, id="item-mistyped"),
    pytest.param("还有多少名额", set(), id="places-are-no-people"),
    pytest.param("第一书记叫什么", set(), id="a-title-is-no-item"),
    pytest.param("建几家长者餐厅", set(), id="a-count-of-any-unit"),
    pytest.param("户口怎么迁", set(), id="hukou-is-no-household-count"),
    pytest.param("我家三口人，去年搬来的，这里的公园有多大", set(), id="the-story-is-not-asked"),
    pytest.param("社区食堂几点开门", {Part.CLOCK}, id="a-time-of-day"),
    pytest.param("政务大厅的办公时间", {Part.CLOCK}, id="office-hours"),
    pytest.param("实施方案有哪几点要求", set(), id="points-of-a-list-are-no-clock"),
    pytest.param("长者餐厅几时开", set(), id="jishi-is-when-in-hunan-speech"),
    pytest.param("从醴陵坐车到株洲要多久", {Part.TRIP}, id="a-travel-time"),
    pytest.param("审核时间现在缩短到要多久", set(), id="brought-down-to-is-no-trip"),
])
def test_asked_parts(question, expected):
    assert asked_parts(question) == frozenset(expected)


@pytest.mark.parametrize("question, text, missing", [
    pytest.param("一支工作队几个人", "派出362支驻村工作队，其中省派5支。", {Part.PEOPLE}, id="teams-are-no-people"),
    pytest.param("一支工作队几个人", "每支一般不少于3人。", set(), id="people-stated"),
    pytest.param("培训多少人", "培训农民工1.2万人次。", set(), id="person-times-are-people"),
    pytest.param("改造多少户", "改造老旧小区220个。", {Part.HOUSEHOLDS}, id="estates-are-no-households"),
    pytest.param("改造多少户", "涉及居民两万三千户。", set(), id="households-in-chinese-numerals"),
    pytest.param("管网多长多少公里", "新建管网50公里。", set(), id="length-stated"),
    pytest.param("占地多少平方米", "新建公园7个。", {Part.AREA}, id="area-not-stated"),
    pytest.param("多少岁可以去吃", "今年新开老年食堂30家。", {Part.AGE}, id="a-count-is-no-age"),
    pytest.param("多少岁可以去吃", "面向六十周岁以上老人。", set(), id="age-stated"),
    pytest.param("每月补助多少", "派出工作队120支。", {Part.MONEY}, id="a-count-is-no-money"),
    pytest.param("每月补助多少", "每人每月补助800元。", set(), id="money-stated"),
    pytest.param("15条的第三条是什么", "出台就业“15条”。报道未列出15条的具体条文。", {Part.ITEM}, id="the-list-is-not-itemised"),
    pytest.param("15条的第三条是什么", "一是稳岗，二是扩岗，三是兜底。", set(), id="enumerated-with-shi"),
    pytest.param("第三项是什么", "①稳岗；②扩岗；③兜底。", set(), id="enumerated-with-circled-numbers"),
    pytest.param("第十条是什么", "第十条规定……", set(), id="the-tenth-named"),
    pytest.param("第三条是什么", "第十三条规定……", {Part.ITEM}, id="the-thirteenth-is-not-the-third"),
    pytest.param("评估结果和排名怎么样", "针对20个一级指标开展评估。", {Part.RANK}, id="figures-are-no-rank"),
    pytest.param("政务服务在全省排第几", "政务服务工作排名全省第一。", set(), id="rank-stated"),
    pytest.param("税收增速在全省排在什么位置", "税收同比增长8%。", {Part.RANK}, id="what-position-is-a-rank"),
    pytest.param("税收增速在全省处于什么位置", "税收增速居全省第二。", set(), id="a-position-stated"),
    pytest.param("投资到底涨了几个点", "固定资产投资增速居全省第一。", {Part.PERCENT}, id="a-rank-is-no-rate"),
    pytest.param("投资增长了百分之几", "固定资产投资同比增长9.7%。", set(), id="rate-stated"),
    pytest.param("株洲火车站怎么走", "在株洲站乘坐城际的旅客请提前进站。", {Part.ROUTE}, id="a-station-is-no-way-there"),
    pytest.param("神农公园怎么去", "可乘坐2路、18路公交到神农公园站。", set(), id="a-bus-route-stated"),
    pytest.param("老年食堂几点开门", "2020年12月召开的会议提出新建老年食堂。", {Part.CLOCK}, id="a-date-is-no-time-of-day"),
    pytest.param("老年食堂营业时间", "共提出四点要求。", {Part.CLOCK}, id="four-points-are-no-clock"),
    pytest.param("老年食堂几点开门", "每天上午十点半开门。", set(), id="a-time-of-day-stated"),
    pytest.param("服务大厅营业时间", "工作日8:30至17:30办公。", set(), id="hours-stated"),
    pytest.param("网上几点能办", "政务服务24小时不打烊。", set(), id="round-the-clock-stated"),
    pytest.param("从醴陵到株洲要多久", "首班车比以往提前约半小时。", {Part.TRIP}, id="a-shift-is-no-travel-time"),
    pytest.param("从醴陵到株洲要多久", "运行时间压缩至40分钟。", set(), id="travel-time-stated"),
])
def test_unstated_parts(question, text, missing):
    assert unstated_parts(question, asked_parts(question), text) == frozenset(missing)


@pytest.mark.parametrize("text, expected", [
    pytest.param("我妈常在几家医院之间看病，很折腾。今年市里有什么打算？", "今年市里有什么打算？", id="only-the-question-sentence"),
    pytest.param("请问长者餐厅，今年建几家？", "请问长者餐厅，今年建几家？", id="one-sentence-two-clauses"),
    pytest.param("我家要拆了，今年安置房有多少套", "今年安置房有多少套", id="no-question-mark"),
])
def test_asking_clauses(text, expected):
    assert asking_clauses(text) == expected


@pytest.mark.parametrize("question, verbs", [
    pytest.param("APP如何进行实名注册", ["注册"], id="a-procedure-of-its-own"),
    pytest.param("怎么办理居住证", [], id="a-verb-that-says-little"),
    pytest.param("社区食堂怎么预约", ["预约"], id="booking"),
    # a pinyin slip keeps the verb's sound: 注测 is typed for 注册, 申情 for 申请
    pytest.param("诸事达APP怎么注测账号", ["注册"], id="a-verb-typed-with-a-slip"),
    pytest.param("如何申情低保", ["申请"], id="another-verb-typed-with-a-slip"),
    pytest.param("怎么会这样", [], id="no-verb-after-the-how-word"),
    # a step of the procedure asked without a how-word
    pytest.param("跨省通办要不要预约", ["预约"], id="whether-one-must-book"),
    pytest.param("办低保需要带什么材料", ["材料"], id="which-papers-to-bring"),
])
def test_procedure_verbs(question, verbs):
    assert procedure_verbs(question) == verbs


def test_what_was_heard_is_part_of_what_the_question_is_about_not_of_what_it_asks():
    text = "我在长沙上班，听说长沙西站不办客运了，城际在哪个站上？"
    assert asking_clauses(text) == "城际在哪个站上？"
    assert asking_clauses(text, with_heard=True) == "听说长沙西站不办客运了，城际在哪个站上？"


@pytest.mark.parametrize("question, answer, missing", [
    pytest.param("雪峰山学校在建没", "2021年将加快职教城实训基地、雪峰山学校等项目建设。", set(), id="under-way-answers-in-building"),
    pytest.param("株醴城际推进到什么阶段了", "“十四五”将开展株醴、株渌线前期工作。", set(), id="preliminary-work-is-a-stage"),
    pytest.param("长者餐厅现在建成几家了", "将加快长者餐厅建设，计划建40家。", {G}, id="under-way-says-not-how-many"),
    pytest.param("长者餐厅建好了没", "计划建设长者餐厅40家。", {G}, id="a-plan-is-no-stage"),
])
def test_work_under_way_states_the_stage_not_the_count(question, answer, missing):
    assert unstated(asked(question), stated(answer)) == frozenset(missing)


@pytest.mark.parametrize("words, text, expected", [
    pytest.param(["雪峰山学校"], "2021年将加快职教城实训基地、雪峰山学校等项目建设。", True, id="its-own-work"),
    pytest.param(["撤县设市"], "提出支持攸县撤县设市，同时推进醴炎县城经济走廊建设。", False, id="another-projects-work"),
])
def test_work_under_way_is_of_the_subject_asked(words, text, expected):
    assert under_way_of(words, text) is expected


@pytest.mark.parametrize("text, listed", [
    ("“一馆”即城南美术馆，“一园”即江边公园。", True),   # a 馆 by its head
    ("全市公共体育场馆免费开放。", True),
    ("全市新建图书分馆12个。", False),                 # a count names none
])
def test_which_one_of_a_two_character_kind_is_named_by_its_head(text, listed):
    assert lists_names_of("场馆", False, text, "其中一馆指的是哪一座场馆") is listed


@pytest.mark.parametrize("question, expected", [
    pytest.param("街心花园自何时起正式开放", ["开放"], id="from-when"),
    pytest.param("新规定从什么时候起施行", ["施行"], id="from-when-in-other-words"),
])
def test_the_event_after_from_when(question, expected):
    assert date_event_spans(question) == expected


def test_a_rule_comes_into_force_on_its_own_date():
    assert not dates_the_event("施行", "宣传月活动于3月1日至3月10日举行，市民踊跃参加。")
    assert dates_the_event("施行", "该办法自2024年5月1日起实施。")


@pytest.mark.parametrize("question, expected", [
    pytest.param("沿河那片以前的老街，几条小巷子改了名，都叫啥", ("巷", True), id="counted-then-called"),
    pytest.param("两个村子分别叫什么", ("村", True), id="villages"),
    pytest.param("几条没名字的小路改了名，都叫什么", ("小路", True), id="counted-after-a-modifier"),
    pytest.param("那几座旧桥后来换了名字，分别叫什么", ("旧桥", True), id="counted-then-later"),
    pytest.param("4个小区都叫什么名字", ("小区", True), id="estate-keeps-its-first-char"),
    pytest.param("这次公布的12个试点村具体有哪些", ("试点村", True), id="counted-then-which-are-there"),
    pytest.param("当年停办客运的是哪条老的铁路", ("铁路", False), id="which-one-after-a-modifier"),
])
def test_names_asked_of_what_was_counted_or_modified(question, expected):
    assert names_asked_of(question) == expected


@pytest.mark.parametrize("question, expected", [
    pytest.param("这几年农村公路一共修到多少公里", {Ask.COUNT}, id="these-years-is-a-time-frame"),
    pytest.param("十四五那几年要建多少所学校", {Ask.COUNT}, id="those-years-is-a-time-frame"),
    pytest.param("这条路修了几年", {Ask.DURATION}, id="how-many-years-is-a-duration"),
    pytest.param("那座桥到底建了几年才通车", {Ask.DURATION}, id="built-for-how-many-years-is-no-count"),
    pytest.param("报告里到底提没提撤县设市", set(), id="said-or-not-is-no-progress"),
    pytest.param("桥到底建没建", {Ask.PROGRESS}, id="built-or-not-is-progress"),
    pytest.param("前年说要建300个充电桩，实际建了多少", {Ask.PROGRESS, Ask.COUNT}, id="the-outcome-against-the-plan"),
])
def test_time_frames_and_mentions_ask_no_duration_or_progress(question, expected):
    assert asked(question) == frozenset(expected)


@pytest.mark.parametrize("question, expected", [
    pytest.param("晚上从湘潭回株洲最后一班几点", "株洲", id="going-back"),
    pytest.param("明早去长沙的头班几点", "长沙", id="going-to"),
    pytest.param("城铁末班车几点", None, id="no-direction"),
    pytest.param("从长沙回来的末班城铁几点", "株洲", id="coming-back-is-coming-home"),
    pytest.param("从株洲回来的末班车几点", None, id="back-from-home-says-no-direction"),
])
def test_destination_asked(question, expected):
    assert destination_asked(question, ["湘潭", "株洲", "长沙"]) == expected


@pytest.mark.parametrize("place, text, expected", [
    pytest.param("株洲", "末班车终到长沙为22时。", False, id="only-elsewhere"),
    pytest.param("株洲", "湘潭开往株洲南的末班车21时发车。", True, id="a-station-of-the-city"),
    pytest.param("株洲", "首班车6时发车。", None, id="no-direction-told"),
])
def test_where_the_entrys_trips_go(place, text, expected):
    assert goes_to(place, text, ["湘潭", "株洲", "株洲南", "长沙"]) is expected


@pytest.mark.parametrize("question, text, listed", [
    pytest.param("报告说的三个重点指哪三个方面", "重点抓好稳岗、扩岗、兜底。", True, id="as-many-as-asked"),
    pytest.param("报告说的三个重点指哪三个方面", "重点抓好稳岗、扩岗。", False, id="fewer-than-asked"),
])
def test_a_list_of_as_many_things_as_asked_names_them(question, text, listed):
    assert lists_as_many_as_asked(question, text) is listed


@pytest.mark.parametrize("question, expected", [
    pytest.param("城区和农村的低保标准分别是多少", {Ask.COUNT}, id="a-figure-for-each"),
    pytest.param("这两座新桥分别叫什么", {Ask.NAMES}, id="a-name-for-each"),
])
def test_for_each_asks_what_follows(question, expected):
    assert asked(question) == frozenset(expected)


def test_whom_to_apply_to_is_who():
    assert Ask.WHO in stated("企业可直接向省里指定的受理机构申报，即报即审。")


@pytest.mark.parametrize("subject, text, priced", [
    pytest.param("老年食堂", "今年新建老年食堂30家；免费放映公益电影100场。", False, id="another-items-price"),
    pytest.param("老年食堂", "老年食堂每餐收费8元，今年新建30家。", True, id="its-own-price"),
    pytest.param("殡葬改革", "推进殡葬改革，整体降费30%以上。", True, id="price-in-the-same-sentence"),
    pytest.param("城际快巴", "城际快巴下月开通。票价每人12元。", True, id="price-in-the-next-sentence"),
    pytest.param("老年食堂", "①新建老年食堂30家；②免费放映公益电影。", False, id="another-numbered-items-price"),
])
def test_a_price_must_be_of_the_thing_asked(subject, text, priced):
    assert prices_of(subject, text) is priced


@pytest.mark.parametrize("question, kind", [
    pytest.param("动车组一列有多少个座位？", "座位", id="a-kind-after-a-measure"),
    pytest.param("今年建多少座基站", "基站", id="after-another-measure"),
    pytest.param("要培训多少个人", None, id="people-are-a-part"),
    pytest.param("修了几公里", None, id="a-unit"),
    pytest.param("几个小区要改造", None, id="the-question-goes-on"),
    pytest.param("小区有多少家", None, id="a-measure-only"),
])
def test_the_kind_a_count_is_asked_of(question, kind):
    assert counted_kind(question) == kind


@pytest.mark.parametrize("text, sum_given", [
    pytest.param("市游泳馆免费或低收费开放10万人次。", False, id="free-or-cheap-gives-no-sum"),
    pytest.param("市游泳馆收费标准将下调。", False, id="a-fee-without-a-sum"),
    pytest.param("市游泳馆每场收费15元。", True, id="a-sum"),
    pytest.param("市游泳馆每场收费十五元。", True, id="a-sum-in-chinese-numerals"),
    pytest.param("市游泳馆对老年人免费开放。", True, id="free-outright"),
    pytest.param("市游泳馆整体降费20%。", True, id="a-cut-by-a-figure"),
])
def test_how_much_asks_for_a_sum_not_a_fee(text, sum_given):
    assert asks_an_amount("进游泳馆要好多钱1次") and asks_an_amount("门票是多少")
    assert not asks_an_amount("游泳馆收不收费") and not asks_an_amount("游泳馆免费吗")
    assert prices_of("游泳馆", text)  # a fee or price is named either way
    assert prices_of("游泳馆", text, amount=True) is sum_given


@pytest.mark.parametrize("question, expected", [
    ("博古山公园建好了吗", True), ("城铁开通没", True), ("什么时候投入使用了", True),
    ("推进到什么阶段了", False), ("在建没", False), ("今年完成多少投资", False),
])
def test_completion_asked(question, expected):
    assert completion_asked(question) is expected
