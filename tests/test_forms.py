"""The form of a message (bot/forms.py): questions the FAQ might answer stay QUESTION; subject
lines, requests, complaints, pleas for redress and personal cases do not.

All messages here are written for these tests (none copied from the real-message set)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from bot.language.forms import FORM_NOTES, RULES, RULES_BY_NAME, Form, matching_rule, message_form, prepare

FAQ_DIR = Path(__file__).resolve().parent.parent / "faq_data"


def _cases(form: Form, messages: list[tuple[str, str]]) -> list:
    return [pytest.param(text, form, id=f"{form.value}-{name}") for name, text in messages]


TITLES = [
    ("consult-whether-question", "咨询老年人做白内障手术是否有补贴问题"),
    ("about-can-it-matter", "关于我们楼栋能否加装电梯的事宜"),
    ("about-parking", "关于天元区某小区停车位划线的问题"),
    ("consult-renovation", "咨询芦淞区老旧小区改造事宜"),
    ("report-streetlights", "反映荷塘区红旗路路灯长期不亮的问题"),
    ("suggestions-bus", "对石峰区公交线路调整的几点建议"),
    ("a-suggestion-on-the-line", "对渌口区公交站台设置的一点建议"),
    ("a-lament-for-the-estate", "天元区某小区停车之殇"),
    ("about-water", "关于渌口区农村饮水工程的相关情况"),
    ("consult-insurance", "咨询醴陵市城乡居民医保缴费事宜"),
    ("school-enrolment-consult", "有关攸县一中招生的咨询"),
    ("trainee-subsidy", "就业见习补贴申领的相关问题"),
    ("opinion-taxis", "关于株洲西站周边出租车管理的意见"),
    ("consult-student-ticket", "咨询长株潭城铁学生票政策"),
    ("residents-report", "炎陵县居民反映乡村公路养护情况"),
    ("matter-of", "向领导汇报茶陵县某村山塘加固一事"),
    ("letter-with-subject", "咨询天元区某小学学区划分事宜：我们小区去年交房，孩子今年上一年级，请问划到哪所学校？"),
]

REQUESTS = [
    ("raise-a-figure", "低保户可以把补助提高一点吗"),
    ("like-the-metro", "城际能不能像公交一样推出月票"),
    ("hope-market", "希望在荷塘区月塘街道增设一个菜市场"),
    ("suggest-direct-bus", "建议株洲西站到神农城开通直达公交"),
    ("beg-attention", "恳请市政府关注茶陵县山区学生上学难的问题"),
    ("please-repair", "请尽快修复天元区泰山路上的坑洼路面"),
    ("demand-night-work", "强烈要求芦淞区对夜间施工进行限时管理"),
    ("appeal-speed-bumps", "呼吁有关部门在学校门口设置减速带"),
    ("can-you-add-buses", "能否在石峰区清水塘片区增开公交班次？"),
    ("late-train", "城铁晚上能不能增开一趟十一点以后的车？"),
    ("bother-to-inspect", "麻烦相关部门派人来看看我们小区门口的积水"),
    ("wish-sewers", "望政府早日把渌口区的污水管网修好"),
    ("please-chargers", "请给我们小区加装几个电动车充电桩"),
    ("hurry-fix", "小区门口的红绿灯坏了，能不能尽快修好？"),
    ("postpone-last-train", "能不能把城铁末班车推迟到十一点半"),
    ("ought-to", "政府应该多建几个室内体育馆"),
]

COMPLAINTS = [
    ("on-what-grounds", "凭什么我们小区的物业费比旁边小区贵一倍？"),
    ("many-times-no-result", "物业公司乱收停车费，业主多次反映无果"),
    ("lodge-street-stalls", "投诉芦淞区某商家长期占道经营"),
    ("night-construction", "天元区某工地每天夜里施工到凌晨，严重影响居民休息"),
    ("why-still-not-open", "为什么荷塘区这条路修了三年还不通车？"),
    ("when-will-it-end", "小区门口的垃圾站臭气熏天，这种日子何时才是个尽头？"),
    ("still-no-certificate", "开发商拖了两年，至今未给业主办房产证"),
    ("bbq-noise", "楼下烧烤店油烟扰民，夜夜吵得人睡不着"),
    ("shirking", "社区办事窗口工作人员态度敷衍，来回推诿"),
    ("could-it-be", "难道老百姓反映的问题就没人理吗？"),
    ("is-it-legal", "开发商交房时强制收取两年物业费，这样是否合法？"),
    ("statement-only", "石峰区某路口没有红绿灯，过马路太危险"),
    ("nobody-told-us", "小区停水三天了也没人通知"),
    ("too-few-buses", "我们这里的公交车太少了，每次要等一个小时"),
    ("worse-and-worse", "物业费年年涨，服务却越来越差"),
    ("broken-for-days", "楼道的灯坏了好几天"),
]

REDRESS = [
    ("whom-to-ask", "小区电梯坏了半个月，这事该找谁？"),
    ("which-department", "楼下饭店油烟太大，归哪个部门管？"),
    ("where-to-complain", "买到过期食品去哪里投诉"),
    ("defend-rights", "公司拖欠工资怎么维权"),
    ("who-manages", "邻居私自占用公共楼道，谁来管一管？"),
    ("what-should-we-do", "物业不作为，我们应该怎么办？"),
    ("how-to-handle", "装修公司收了钱不干活，如何处理？"),
    ("hotline", "噪音扰民的举报电话是多少"),
    ("find-department", "违章停车挡住了车库门，找哪个部门处理"),
    ("can-complain-where", "网购的家电质量有问题，可以向哪里投诉"),
    ("who-speaks-for-us", "谁来为我们做主"),
]

PERSONAL = [
    ("i-myself", "本人今年五十五岁，在株洲交了十年社保，能不能提前退休？"),
    ("my-father", "我父亲今年78岁，瘫痪在床，请问他能申请护理补贴吗"),
    ("i-am-outsider", "我是外地户口，在天元区租房，孩子能在这边上小学吗"),
    ("my-child-hukou", "我家孩子户口在攸县，现在在芦淞区读书，中考要回老家报名吗"),
    ("my-situation", "我这种情况能不能办低保？"),
    ("divorce", "我去年离婚了，孩子判给我，户口怎么迁"),
    ("my-wife", "我老婆是农村户口，在株洲生孩子能报销吗"),
    ("my-social-insurance", "我在长沙交了三年社保，回株洲后怎么接续"),
    ("like-me", "像我这样没有固定工作的，能交医保吗"),
    ("like-my-family", "老屋要拆了，像我们家这种两层的平房能分几套房子"),
    ("my-mother-disabled", "我妈是残疾人，住在荷塘区，每个月能领多少补贴"),
    ("story-then-city-for-me", "我父亲今年78岁，瘫痪在床。请问市里能给他发多少护理补贴？"),
    ("story-then-my-share", "我在株洲交了五年社保，现在失业了。株洲的失业金我能领多少？"),
    ("who-i-am-then-this-case", "我是外地户口，孩子在株洲上学。这种情况市里能不能给办入学？"),
    ("long-letter", "请问石峰区附近有没有长者餐厅？我父亲今年八十二岁，一个人住，腿脚不方便，子女都在外地上班，"
                    "想给他办个助餐卡。"),
]

# In-scope citizen questions, in the ways people really write or speak them.
QUESTIONS = [
    # a family's story, then a question of what the city does for everyone
    ("story-then-city-plan", "我奶奶八十多岁了，瘫痪在床好几年，家里照顾不过来。市里今年计划新增多少张护理型床位？"),
    ("story-then-city-items", "我爸去年退休了，天天在家闲着。株洲今年的民生实事里有没有给老年人办的事？"),
    ("story-then-a-city-body", "我外公爱看老地图。市博物馆今年新办的展览叫啥？"),
    ("who-i-am-then-city-plan", "我是一名公交司机，天天跑早班。市里2021年计划新开几条公交线路？"),
    # polite openings that are not titles or requests
    ("please-ask-canteen", "请问长者餐厅今年建几家？"),
    ("consult-last-train", "咨询一下，城铁末班车几点？"),
    ("about-canteen", "想问一下关于长者餐厅的事，今年建几家？"),
    ("want-to-know-dibao", "我想了解一下低保标准会不会提高"),
    ("hello-cross-province", "您好，请问株洲跨省通办能办多少项"),
    ("sorry-to-ask", "麻烦问一下，城中村改造今年改多少户？"),
    ("may-i-ask", "打扰了，想请教一下2021年老旧小区改造了多少个"),
    ("please-look-up", "请帮我查一下城铁首班车几点开"),
    ("consult-about-parks", "咨询一下株洲今年要建哪些公园"),
    # 株洲 dialect
    ("dialect-canteen", "屋里老人家一个人吃饭不方便，有冇得长者餐厅"),
    ("dialect-what-things", "株洲今年搞么子民生实事"),
    ("dialect-last-train", "城铁最晚一班几点钟咯"),
    ("dialect-kids-school", "细伢子读书，今年有冇得新建的学校"),
    ("dialect-village", "我屋那边的城中村今年改不改啵"),
    ("dialect-medical", "看病报销今年有么子新政策冇"),
    # voice recognition with fillers
    ("voice-last-train", "那个，就是，城铁末班车是几点啊"),
    ("voice-renovation", "嗯，我想问下那个老旧小区改造今年改好多个"),
    ("voice-canteen", "呃，株洲的长者餐厅，嗯，今年要建几家啊"),
    ("voice-definition", "就是那个跨省通办是什么意思"),
    # a need in everyday words, asking what the city does
    ("elderly-help", "家里老人行动不便，政府有什么帮扶吗"),
    ("no-lift", "楼里没电梯爬楼太累，老小区能装电梯吗"),
    ("graduate-policy", "刚毕业想留在株洲工作有什么政策"),
    ("disabled-family", "家里有残疾人，政府今年有什么关爱措施"),
    ("jobs-hard", "找工作难，政府有没有帮忙的办法"),
    ("late-shift", "晚上下班晚，城铁还有车回株洲吗"),
    ("kindergarten-cost", "孩子上幼儿园太贵了，以后会不会便宜点"),
    ("old-estate", "小区太旧了，今年会不会改造"),
    ("my-estate-renovation", "想知道我家那个老小区今年能不能排上改造"),
    # plain questions
    ("first-train", "城铁首班车几点"),
    ("livelihood-list", "2025年十大民生实事有哪些"),
    ("gdp", "株洲2020年GDP是多少"),
    ("interval", "长株潭城铁多久一趟"),
    ("west-station", "株洲西站到长沙要多久"),
    ("qingshuitang", "清水塘老工业区搬迁了吗"),
    ("parks-2021", "2021年株洲新建了多少个城市公园"),
    ("liling-train", "醴陵有没有城铁"),
    ("air-quality", "株洲今年空气质量怎么样"),
    ("neutral-why-timetable", "为什么长株潭城铁要调图"),
    ("neutral-why-canteen", "为什么株洲要建长者餐厅"),
    ("provident-fund", "公积金贷款额度今年有变化吗"),
    ("where-to-handle", "跨省通办在哪里办"),
    ("fare", "城铁票价多少钱"),
    ("business-environment", "渌口区营商环境怎么样"),
    ("employment-target", "株洲今年的新增就业目标是多少"),
    ("renovation-content", "老旧小区改造包括哪些内容"),
    ("hospitals", "株洲有几家三甲医院"),
    ("social-insurance-online", "能不能在网上办社保"),
    ("when-liling", "株洲什么时候能开通到醴陵的城铁"),
    ("to-changsha-south", "城铁能不能坐到长沙南站"),
    ("report-jobs", "政府工作报告里说今年要新增多少就业岗位？"),
    ("keywords", "长者餐厅 2025 株洲"),
    ("hope-as-noun", "株洲有希望成为省域副中心吗"),
    ("requirements-as-noun", "2021年株洲城管局对城市管理提了哪些要求"),
    ("suggestions-as-noun", "企业家座谈会上大家提了什么建议"),
    ("big-classes-statement", "孩子班上人太多"),
    ("what-should-government-do", "政府应该怎么做好养老服务"),
    ("a-dozen-minutes", "城铁十几分钟一趟吗"),
    ("brother-short-general", "我弟弟是重度残疾，今年残疾人补贴会不会提高"),
    ("graduate-with-i", "我今年刚毕业，株洲有什么人才政策"),
    ("traditional-fullwidth", "長株潭城鐵末班車幾點？"),
]


@pytest.mark.parametrize("text, form", [
    *_cases(Form.TITLE, TITLES),
    *_cases(Form.REQUEST, REQUESTS),
    *_cases(Form.COMPLAINT, COMPLAINTS),
    *_cases(Form.REDRESS, REDRESS),
    *_cases(Form.PERSONAL, PERSONAL),
    *_cases(Form.QUESTION, QUESTIONS),
])
def test_message_form(text, form):
    rule = matching_rule(text)
    assert message_form(text) == form, f"decided by {rule.name if rule else None}"


def test_every_form_has_enough_examples():
    for examples in (TITLES, REQUESTS, COMPLAINTS, REDRESS, PERSONAL):
        assert len(examples) >= 8
    assert len(QUESTIONS) >= 40


# One message per rule that the rule fires on, tested on the rule alone (whatever rules come before).
RULE_EXAMPLES = {
    "title_subject_noun": "关于神农城广场夜间噪音的问题",
    "redress_who_handles": "小区化粪池堵了没人修，到底找谁",
    "redress_where_to_complain": "出租车拒载可以到哪里投诉",
    "redress_how_to_fix": "被中介骗了押金，怎么维权",
    "complaint_lodge": "举报荷塘区某洗车店占用人行道",
    "complaint_rhetorical": "凭什么别的小区能装电梯我们不能",
    "complaint_grievance_words": "物业对业主的诉求置之不理",
    "complaint_legitimacy": "停车场一小时收十元，合理吗",
    "complaint_why_grievance": "为什么我们这里的公交总是不准时",
    "request_wish": "希望城铁能在株洲南站多停几趟",
    "request_suggest": "建议在神农公园增加公共厕所",
    "request_demand": "强烈要求开发商按合同交房",
    "request_please_act": "请相关部门整治一下夜间飙车",
    "request_hurry": "河西那段路的坑请尽快填上",
    "request_can_you_do": "能否在株洲西站增设出租车候客点",
    "request_ought_to": "政府应该在河西多建几个停车场",
    "request_bother_to_do": "麻烦城管来人看看这里的乱摆摊",
    "title_opening_verb": "咨询荷塘区幼儿园学位划分",
    "title_with_body": "关于荷塘区某小区雨污分流的问题：小区一下雨就返水，请问什么时候改造？",
    "title_opening_and_noun": "咨询新生儿医保是否可以在网上办理问题",
    "title_inner_verb": "石峰区业主反映小区绿化被毁",
    "personal_identity": "本人在株洲工作五年，想问落户条件",
    "personal_my_kin": "我爷爷今年90岁了，高龄补贴怎么领",
    "personal_family_event": "离婚后孩子的户口能迁到我这边吗",
    "personal_my_case": "我这种情况还能不能申请公租房",
    "personal_narrative": "我前年在天元区买了房，一直在株洲上班，现在户口能迁过来吗",
    "complaint_statement": "天元区某小区门口积水严重，出行不便",
}


# One near miss per rule: a message close to its example that the rule alone does not fire on.
RULE_COUNTER_EXAMPLES = {
    "title_subject_noun": "神农广场夜间噪音的问题怎么解决",
    "redress_who_handles": "小区化粪池堵了，物业说会修",
    "redress_where_to_complain": "12345热线的投诉量有多少",
    "redress_how_to_fix": "社保怎么办理",
    "complaint_lodge": "12345热线今年投诉量是多少",
    "complaint_rhetorical": "别的小区是怎么装电梯的",
    "complaint_grievance_words": "物业对业主的诉求回复很及时",
    "complaint_legitimacy": "停车场一小时收多少钱",
    "complaint_why_grievance": "株洲为什么叫株洲",
    "request_wish": "株洲的希望小学有几所",
    "request_suggest": "企业家座谈会上提了哪些建议",
    "request_demand": "落户有哪些要求",
    "request_please_act": "请问城铁几点发车",
    "request_hurry": "城铁末班车是几点",
    "request_can_you_do": "能不能在网上办社保",
    "request_ought_to": "政府应该怎么做好养老服务",
    "request_bother_to_do": "麻烦问一下城铁几点到",
    "title_opening_verb": "咨询电话是多少",
    "title_with_body": "关于城铁学生票，请问怎么买？",
    "title_opening_and_noun": "关于城铁学生票，是否可以网上买？",
    "title_inner_verb": "咨询荷塘区幼儿园学位划分",
    "personal_identity": "我是想问落户条件",
    "personal_my_kin": "我家老人想去长者食堂吃饭",
    "personal_family_event": "孩子户口怎么迁",
    "personal_my_case": "这种情况怎么处理",
    "personal_narrative": "我想问一下落户条件有哪些",
    "complaint_statement": "小区门口积水什么时候能解决",
}


def test_every_rule_has_an_example():
    assert set(RULE_EXAMPLES) == set(RULES_BY_NAME)
    assert set(RULE_COUNTER_EXAMPLES) == set(RULES_BY_NAME)


@pytest.mark.parametrize("name", list(RULES_BY_NAME))
def test_rule_fires_on_its_example(name):
    assert RULES_BY_NAME[name].fires(prepare(RULE_EXAMPLES[name]))


@pytest.mark.parametrize("name", list(RULES_BY_NAME))
def test_rule_does_not_fire_on_its_counter_example(name):
    assert not RULES_BY_NAME[name].fires(prepare(RULE_COUNTER_EXAMPLES[name]))


@pytest.mark.parametrize("text", [text for _, text in QUESTIONS[:12]])
def test_no_rule_fires_on_a_plain_question(text):
    assert [rule.name for rule in RULES if rule.fires(prepare(text))] == []


def test_every_rule_names_a_non_question_form():
    assert all(rule.form is not Form.QUESTION for rule in RULES)


def _faq_phrasings() -> list[str]:
    phrasings = []
    for path in sorted(FAQ_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or "entries" not in data:
            continue  # keywords.yaml, synonyms.yaml
        for entry in data["entries"]:
            phrasings.append(entry["question"])
            phrasings.extend(entry.get("alternates") or [])
    return phrasings


def test_faq_phrasings_are_almost_all_questions():
    phrasings = _faq_phrasings()
    assert len(phrasings) > 500
    flagged = [(text, matching_rule(text).name) for text in phrasings if message_form(text) != Form.QUESTION]
    assert len(flagged) <= len(phrasings) // 100, flagged


def test_form_notes():
    assert set(FORM_NOTES) == set(Form) - {Form.QUESTION}
    for form, note in FORM_NOTES.items():
        assert re.search(r"[\u4e00-\u9fff]", note), form
        assert len(note) <= 80, form
        assert re.findall(r"\d+", note) in ([], ["12345"]), form   # no number but 12345
        assert not re.search(r"https?:|www\.|\.cn|\.com|@|路\d+号", note), form


def test_prepare():
    assert prepare("（2）、请问城铁几点？。") == "请问城铁几点?"
    assert prepare("您好，咨询一下　城铁　末班车") == "咨询一下 城铁 末班车"
    assert prepare("三、关于小区停车的问题。") == "关于小区停车的问题"
