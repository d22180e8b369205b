"""The form of a citizen's message: a question the FAQ might answer, or something else.

Real messages to a city account are often not questions at all: a subject line ("咨询……事宜",
"关于……的问题"), a request ("希望……", "请尽快……"), a complaint with a rhetorical question
("凭什么……？", "……何时才是个尽头？"), a plea for someone to fix things ("找谁", "怎么维权"), or the
citizen's own case ("本人……", "我父亲今年……"). The FAQ's headline facts answer none of these; the
bot puts FORM_NOTES[form] first in its fallback instead.

The decision is made from the wording alone, by an ordered table of named regex rules: the first
rule that fires decides the form, and a message no rule fires on is a QUESTION. Each rule can be
tested on its own (RULES_BY_NAME[name].fires(prepare(text))). No model, no dictionary lookups;
a typical message takes about 10 µs, a 100-character letter about 30 µs, 1,000 characters about
100 µs (the time grows with the length). Pass the citizen's text as received: full-width
punctuation is handled here; traditional characters are not (convert those with
textnorm.to_simplified first, not textnorm.normalize, which drops the punctuation the rules read).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from bot.language import lexicon


class Form(StrEnum):
    QUESTION = "question"    # a question the FAQ might answer (default)
    TITLE = "title"          # a subject line with no question: 咨询…事宜/问题/情况, 关于…的问题/建议, 反映…
    REQUEST = "request"      # a wish, suggestion, demand: 希望/建议/请求/恳请/要求/呼吁/请尽快/能否尽快 …
    COMPLAINT = "complaint"  # a grievance, incl. rhetorical questions
    REDRESS = "redress"      # who handles it / how to get it fixed / where to complain
    PERSONAL = "personal"    # the citizen's own case (本人/我家/我父亲 … + their situation)


# Put first in the fallback reply. Only 12345 (the national government-service hotline) is named:
# no other number, website or office address.
FORM_NOTES: dict[Form, str] = {
    Form.TITLE: "收到您的留言。我这里只能查询株洲市公开报告中的信息，"
                "请直接说出您想了解的具体问题，例如“城铁末班车几点”。",
    Form.REQUEST: "感谢您的建议。我这里只能查询株洲市公开报告中的信息，"
                  "建议和诉求请通过12345政务服务便民热线或市长信箱反映。",
    Form.COMPLAINT: "很抱歉给您带来困扰。我这里只能查询株洲市公开报告中的信息，"
                    "无法受理投诉，您反映的问题请通过12345政务服务便民热线提出。",
    Form.REDRESS: "具体问题的受理和处理我这里办不了，我只能查询株洲市公开报告中的信息。"
                  "您可以拨打12345政务服务便民热线，由工作人员转相关部门办理。",
    Form.PERSONAL: "您个人的具体情况需要相关部门核实后才能答复，我这里只能查询株洲市公开报告中的信息，"
                   "建议拨打12345政务服务便民热线咨询。",
}


# Punctuation that ends a clause (prepare() turns full-width ？！，：； into ASCII).
_P = r"[,.;:!?。、\s…~]"


def _each(words: str, tail: str = "") -> str:
    """"甲|乙" + tail → "甲tail|乙tail". Every alternative then starts with a literal, which lets
    the regex engine skip ahead to candidate positions: several times faster on long messages."""
    return "|".join(word + tail for word in words.split("|"))


def _opening(word: str) -> str:
    """`word` at the start of the message or of a clause (checked behind the word, for speed)."""
    return rf"{word}(?:(?<=^{word})|(?<={_P}{word}))"


# Does the message ask something? Question words, particles (incl. 湘 dialect 么子/冇得/啵) and
# A-不-A. "几个问题/几点建议" (items of a subject line) and "好几天/十几年" ask nothing.
_ASKS = re.compile(
    r"[?]|" + lexicon.alternation(lexicon.QUESTION_PARTICLES)
    + r"|么$|么子|冇|什么|啥|哪|谁|多少|多久|多长|多大|多远|多高|怎|如何|是否|能否|可否"
    r"|有无|有没有|是不是|能不能|会不会|可不可以|要不要|算不算|不(?<=(.)不)\1|何时|何地|何处|为何|为啥"
    r"|" + lexicon.alternation(lexicon.QUESTION_OPENERS) + r"|没有$|第几|几$"
    rf"|(?<![好十几])几(?:[{lexicon.ASKING_UNITS}])(?!问题|建议|意见|疑问|请求|诉求|情况|事)"
)
# More than one clause: a subject line is one clause.
_MULTI_CLAUSE = re.compile(r"[,.;!。；，！]")


def _asks(text: str) -> bool:
    return _ASKS.search(text) is not None


@dataclass(frozen=True)
class Rule:
    """One named wording rule. It fires when `pattern` matches, and `also` matches too (anywhere),
    and `unless` does not; a `statement_only` rule only on a message that asks nothing, a
    `single_clause` rule only on a message of one clause, and none on one shorter than
    `min_chars`."""
    name: str
    form: Form
    pattern: re.Pattern[str]
    also: re.Pattern[str] | None = None
    unless: re.Pattern[str] | None = None
    statement_only: bool = False
    single_clause: bool = False
    min_chars: int = 0
    unless_asking: re.Pattern[str] | None = None  # not when the message's last question matches it

    def fires(self, text: str, asks: bool | None = None) -> bool:
        """`text` is the prepared message (see prepare()); `asks`, if known, is _asks(text)."""
        if len(text) < self.min_chars:
            return False
        if self.statement_only and (_asks(text) if asks is None else asks):
            return False
        if self.single_clause and _MULTI_CLAUSE.search(text):
            return False
        if self.pattern.search(text) is None:
            return False
        if self.also is not None and not self.also.search(text):
            return False
        if self.unless_asking is not None and self.unless_asking.search(last_question(text)):
            return False
        return self.unless is None or not self.unless.search(text)


def _rule(name: str, form: Form, pattern: str, *, also: str | None = None, unless: str | None = None,
          unless_asking: str | None = None, **flags: bool | int) -> Rule:
    return Rule(name, form, re.compile(pattern),
                also=re.compile(also) if also else None,
                unless=re.compile(unless) if unless else None,
                unless_asking=re.compile(unless_asking) if unless_asking else None, **flags)


_SENTENCE_END = re.compile(r"(?<=[?。!.])")


def last_question(text: str) -> str:
    """The last sentence of a prepared message that ends with a question mark ("" when none does)."""
    return next((s for s in reversed(_SENTENCE_END.split(text)) if s.endswith("?")), "")


# Kin and household words for "my …".
_KIN_WORDS = "|".join(lexicon.KIN_WORDS)
_KIN = f"(?:{_KIN_WORDS})"
# "my …": 我(的/家/们家) + kin, or a word that only ever means one's own spouse or parent.
_MY_KIN = rf"(?:我(?:的|家|们家)?{_KIN}|老公|老婆|媳妇|爱人|家父|家母)"
# What makes a message about someone's own case, rather than a general question.
_SITUATION = (r"(?:\d|岁|离婚|离异|再婚|结婚|去世|过世|户口|户籍|身份证|档案|合同|单位|退休|毕业|患|瘫痪"
              r"|残疾|失能|卧床|住院|生病|下岗|失业|单亲|这种情况|这个情况|这样的情况"
              r"|" + _each("能|可以|可否|能否|是否可以", "(?:办|申请|领|报销|享受|落户|迁|补|入学|上学|转)") + ")")

# Asking what the city does or plans in general: a short message doing so is a question even from
# someone who mentions their own case ("我弟弟是残疾人，补贴今年会不会提高"). A letter-length message
# telling a case is a personal case whatever it asks.
_GENERAL_ASK = (r"^(?=.{0,44}$).*?(?:会不会|有没有(?!资格)|有什么|有啥|有么子|有冇得?|怎么安排|什么安排"
                r"|什么思路|什么打算|哪些|是怎么规划|有何)")
# A story, then a question of what the city does for everyone, with no "I" or "this case" in it:
# "我母亲是重度残疾……。2025年市里帮这样的困难残疾人家庭做改造，计划做多少户？"
_ASKS_OF_THE_CITY = (r"^(?!.*(?:我|咱|俺|该|此|他|她|像|能不能|能否|可以|可否|是否可以"
                     r"|这(?:个|种|样的?)(?:情况|事|问题|小区|房|地方|路|楼|村|单位|公司|企业|学校|医院|病)))"
                     r"(?=.*(?:市里|全市|株洲|政府|市委|民生实事|部门|[\u4e00-\u9fff]{2}局|市[\u4e00-\u9fff]{1,5}?[馆院委办]))"
                     r".*(?:多少|几[个家项户人所条次台支年天]|有没有|有什么|有哪些|哪些|是什么|叫什么|叫啥|什么时候|哪年)")

# The table. Order matters: the first rule that fires decides. Titles that are a bare subject
# line come first; then explicit speech acts (redress > complaint > request) that dominate
# whatever else the message says; then looser subject lines, personal cases, and complaints
# that only state a grievance.
RULES: tuple[Rule, ...] = (
    # -- TITLE: a one-clause subject line ending in a noun like 问题/事宜/建议/投诉, asking nothing:
    # "关于B市某小区停车的问题", "对公交调整的几点建议", "某县游泳馆免费开放的咨询". Not when it
    # opens with, or says, a request ("希望重视……的问题" is a request).
    _rule("title_subject_noun", Form.TITLE,
          r"(?:的|之|相关|有关|一些|几个|几点|若干)(?:一些|几个|几点|一点|相关|有关)?"
          r"(?:问题|事宜|情况|事项|建议|意见|咨询|请求|诉求|疑问|质疑|投诉|申请|反映|困惑|求助)$"
          r"|(?:事宜|一事|之事|等事项|的事|的事情)$|(?:之殇|之痛|之困|之忧|之乱|乱象|怪象|顽疾)$",
          unless=r"^(?:强烈|强列|联名)?(?:请求|要求|建议|投诉|举报)|希望|恳请|呼吁",
          statement_only=True, single_clause=True),

    # -- TITLE: a subject line that opens with a title verb and ends with its noun, even with a
    # question word inside: "咨询残疾人手术是否有政策性补贴问题", "关于某小区能否加装电梯的事宜".
    _rule("title_opening_and_noun", Form.TITLE,
          r"^(?:想|我想|本人想|特此)?(?:咨询|关于|有关|反映|反应)[^,.;:!?。]{2,60}?"
          r"(?:的)?(?:问题|事宜|情况|事项|一事|的咨询|的建议|的意见)$",
          single_clause=True),

    # -- REDRESS: who handles it.  "这事找谁", "谁来管", "归哪个部门管", "有没有人管",
    # "该找城管还是环保".
    _rule("redress_who_handles", Form.REDRESS,
          r"找谁|找哪|该找|应该找|谁(?:来)?(?:管|负责|处理|解决|做主|监管)|有(?:没有|冇得?)人管|"
          + _each("为|给|替", "(?:我们|我|老百姓|百姓|群众|民)做主")
          + r"|哪个(?:部门|单位|机构)(?:来)?(?:管|负责|处理|受理|监管|解决)|归哪|由哪个(?:部门|单位)|该(?:由|找)哪"),
    # -- REDRESS: where or how to complain.  "去哪里投诉", "怎么举报", "投诉电话是多少".
    _rule("redress_where_to_complain", Form.REDRESS,
          r"哪(?<=[去到向在找跟]哪)(?:里|儿|个部门|个单位|个地方)?(?:投诉|举报|反映|申诉|维权|告状|讨薪|讨说法)|"
          + _each("怎么|怎样|如何|可以|能|地方|哪里|哪儿", "(?:去|来)?(?:快检)?(?:投诉|举报|申诉)") + "|"
          + _each("投诉|举报", "(?:电话|渠道|途径|方式|热线)")),
    # -- REDRESS: how to get it fixed.  "怎么维权", "……不当，如何处理？", "我该怎么办".
    _rule("redress_how_to_fix", Form.REDRESS,
          r"维权|讨(?:个|回)?说法|讨(?:回)?公道|如何是好|怎么办才好|"
          + _each("怎么|怎样|如何", rf"(?:(?<=[该要我们当]..)办(?!理)"
                                   rf"|(?:(?<=^..)|(?<={_P}..)|(?<=请问..)|(?<=[该当]..))(?:处理|办(?!理)))")),

    # -- COMPLAINT: lodging a complaint or report.  "投诉某开发商拒不移交维修基金", "举报某网吧".
    # Not statistics ("12345热线投诉量").
    _rule("complaint_lodge", Form.COMPLAINT, r"投诉(?!量|率|件)|举报(?!量|件)|控告|检举"),
    # -- COMPLAINT: rhetorical challenge.  "凭什么", "难道……吗", "何时才是个尽头", "乱象何时了",
    # "……摘到哪里去了", "这个公又在哪里", "要拖延到何时".
    _rule("complaint_rhetorical", Form.COMPLAINT,
          r"凭什么|难道|竟然|居然|岂有此理|天理何在|王法|何时才|何时是(?:个)?头|何时了|有完没完|尽头"
          r"|拖延|拖到|哪(?<=[到跑去]哪)(?:里|儿)?去了|又在哪|卡在哪|一刀切|好不容易|一纸令下"
          r"|这(?:是|又是|到底是)?(?:怎么|咋)回事|到底(?:是)?(?:怎么|咋)回事"
          r"|不是(?:规定|需要|说|应该|要求|早就|已经).{0,40}(?:吗|么)|还有没有(?:天理|人管)|讲不讲(?:道)?理|管不管老百姓"),
    # -- COMPLAINT: grievance vocabulary.  "物业霸道", "不作为", "形同虚设", "扰民", "侵占",
    # "多次反映无果", "迟迟不", "至今未", "严重影响", "强烈反对".
    _rule("complaint_grievance_words", Form.COMPLAINT,
          r"霸道|霸王|不作为|乱作为|推诿|踢皮球|敷衍|形同虚设|扰民|不理会|不理睬|置之不理|不予理睬|拒不"
          r"|强占|侵占|侵吞|侵犯|纵容|包庇|欺诈|欺骗|坑害|坑人|黑心|偷排|偷偷|乱收费|乱收|乱象|乱象丛生"
          r"|违法违规|违规(?:收费|操作|销售|让|建|录)|涉嫌|非法|烂尾|严重(?:影响|超标|缺员|瑕疵|污染|扰|超|不足)"
          r"|反对|质疑|致疑|不公平|不公正|不合理|太危险|实在太|那么差|这么差|太差了?|刺耳|苦不堪言|忍无可忍"
          r"|怨声载道|无人问津|没人管|无人管|没有人管|也没人|没人(?:通知|理|修|处理|回应)|越来越差|不闻不问"
          r"|求助无门|投诉无门|忍受|受害|欺负|刁难"
          r"|多次.{0,20}(?:无果|未果|无人|没有?(?:回应|回复|结果|解决|处理|下文|人管))"
          r"|迟迟|至今(?:未|没|仍|还)|到现在(?:还|都|也)(?:没|不|未)|次都(?<=[两三几多]次都)(?:没|不|办不)"
          r"|一直(?:没有?|未|不)(?:解决|处理|回复|修|答复|落实)"
          r"|极大影响|无法呼吸|危及|乱停乱放|一分都不|都不给|不符合.{0,16}(?:规定|标准|要求|法)|违反.{0,8}(?:规定|法)"),
    # -- COMPLAINT: questioning legitimacy.  "是否合法", "合理吗", "是不是欺诈".
    _rule("complaint_legitimacy", Form.COMPLAINT,
          r"是否(?:合法|合规|违法|违规|合理|公平|公正|有法可依|符合.{0,12}(?:规定|法|逻辑|标准|程序))"
          r"|是不是(?:欺诈|违法|违规|乱收费|多收|不合理)|"
          + _each("合法|合规|合理|公平|公正", "(?:吗|么|嘛)") + "|" + _each("多收|乱收", "的?嫌疑")),
    # -- COMPLAINT: a why-question with a grievance in it (negation, contrast, "还").  "为什么……
    # 不能……而……可以", "为啥还不启用", "为何只能", "学费为何比别的高出五倍". A neutral "为什么城铁
    # 要调图" or "株洲为什么没有地铁" does not fire.
    _rule("complaint_why_grievance", Form.COMPLAINT,
          _each("为什么|为何|为啥|凭啥", r".{0,25}?(?:还不|还没|迟迟|总是|老是|一直|不能|不让|不给|不肯"
                r"|不同意|不予|没人|只能|必须|非要|非得|变成|要换|还要|还另|却|竟|偏偏|那么|这么"
                r"|如此|比.{0,12}(?:高|贵|多|差|低|慢|少))")
          + r"|怎么还(?:不|没)"),

    # -- REQUEST: wish, plea, appeal.  "希望……", "恳请……", "强烈请求……", "呼吁……", "望政府……".
    _rule("request_wish", Form.REQUEST,
          r"(?<![有没的])希望(?!工程|小学|之星|的田野)|期盼|期望|盼望|恳请|恳求|请求(?!权)|呼吁|求求|拜托"
          r"|望(?:政府|领导|相关|有关|贵|能|早日|尽快)"),
    # -- REQUEST: a suggestion, as a verb at the start of a clause.  "建议在……修建人行天桥",
    # "为此建议……". Not "提了哪些建议" nor a keyword list ending in 建议.
    _rule("request_suggest", Form.REQUEST,
          "(?:" + _opening("建议") + "|" + _each("强烈|特此|在此|本人|我|我们|因此|为此|所以|故|并", "建议")
          + r")(?![是有的了]|哪|什么|$)"
          r"|建议(?:在|将|把|政府|市里|市政府|相关|有关|增加|增设|加快|尽快|取消|恢复|开通|修建|延伸)"),
    # -- REQUEST: a demand.  "业主要求退房", "强烈要求……". Not "提了哪些要求".
    _rule("request_demand", Form.REQUEST,
          "(?:" + _opening("要求") + "|" + _each("业主|居民|村民|群众|家长|市民|我们|大家|坚决|强烈|依法|特此", "要求")
          + r")(?![是有的了]|哪|什么|高|严)"),
    # -- REQUEST: "请" + an action for someone to take.  "请尽快恢复", "请依法取缔", "请给红星片区
    # 留一片绿心". Not "请问"/"请教"/"请介绍一下".
    _rule("request_please_act", Form.REQUEST,
          r"请(?:尽快|及时|早日|务必|立即|马上|速|政府|相关|有关|领导|市委|市政府|上级|依法|严|加快|给|予以"
          r"|帮忙解决|帮助解决|解决|考虑|重视|关注|落实|整改|处理|协调|彻查|调查|查处|取缔|恢复|增加|增开"
          r"|开通|修|安装|建设|建一|设立|延伸|延长|公布|公开|回复|答复|核实|督促|责令|拆除|清理|规范|保留"
          r"|留|删除|撤销|退还|赔偿|加大|派人|还我|还给)"),
    # -- REQUEST: hurry.  "请尽快……", "能否尽快修好", "早日开通", "抓紧……".
    _rule("request_hurry", Form.REQUEST, r"尽快|尽早|早日|抓紧|赶快|赶紧|及早|加紧"),
    # -- REQUEST: "can you (the government) do X".  "能否开通……公交", "能不能增开班次",
    # "能考虑建地铁口吗", "能否公之于众", "能不能把末班车推迟". Not "能不能办社保" (a service
    # question), nor "政府能帮忙改造啵" / "什么时候能开通" (asking what the city does).
    _rule("request_can_you_do", Form.REQUEST,
          _each("能否|能不能|可否|可不可以|是否能", r"(?:在.{0,12}?)?(?:考虑|安排|协调|帮忙解决|帮忙协调|出面|介入"
                r"|派人|增开|加开|增设|加设|增加.{0,6}(?:班次|线路|站|车次|车)|开通|延伸|延长|改道|恢复|取消|撤销"
                r"|保留|公开|公布|公之于众|给予|予以|彻查|查处|整治|整改|重视|关注|解决一下|置办|修建|硬化|把|推出|出台"
                r"|像.{1,8}?一样)")
          + r"|能(?:考虑|介入|出面|重视|关注)"
          # "残疾人可以把福利提高一点吗": asking the city to change a figure, not what it is
          + r"|(?:可以|能|能够)把[^，,。？?]{1,12}?(?:提高|提升|降低|增加|减少|调高|调低|延长|缩短|放宽|取消|涨)"),
    # -- REQUEST: what the government ought to do.  "政府应该多建停车场". Not "政府应该怎么做".
    _rule("request_ought_to", Form.REQUEST,
          _each("政府|部门|市里|领导|城管|交警|物业", "(?:应该|应当|理应|必须|有责任)(?!怎|如何|做什么|干什么)")),
    # -- REQUEST: "麻烦(某部门)来人……", "麻烦政府管一管".
    _rule("request_bother_to_do", Form.REQUEST,
          r"麻烦(?:政府|领导|相关|有关|你们|贵|.{0,10}?(?:来人|派人|处理|解决|看看|查查|修剪|修一|管管|管一管))"),

    # -- TITLE: opens with a title verb and asks nothing.  "咨询渌口区高中入学录取政策",
    # "关于城铁停运", "反映小区道路停车收费实施后的问题".
    _rule("title_opening_verb", Form.TITLE,
          r"^(?:想|我想|本人想|特此|现)?(?:咨询|关于|有关|反映|反应|针对|向.{0,8}(?:报告|反映))",
          statement_only=True),
    # -- TITLE: a subject line, then the body of the letter (which may ask things).
    # "咨询某小学划片事宜：我们住在……请问……？", "关于某小区延期交房的问题。合同约定……".
    _rule("title_with_body", Form.TITLE,
          r"^(?:咨询|关于|有关|反映|反应)[^,.;:!?。]{2,40}?(?:事宜|问题|情况|事项|一事|的咨询|的建议|的意见)[:.;。]"),
    # -- TITLE: a title verb after the sender's name, asking nothing.  "某村村民咨询结婚迁户口".
    _rule("title_inner_verb", Form.TITLE,
          _each("咨询|反映|反应", "(?<=[民户主长工众生友]..)"),
          statement_only=True),

    # -- PERSONAL: the sender says who they are.  "本人……", "我是一名……", "家父……", "我们夫妻……".
    _rule("personal_identity", Form.PERSONAL,
          r"本人|鄙人|我是(?!说|想|问|在问)|我系|家父|家母|家兄|小女|犬子|我今年\d|我(?:已经)?\d+岁"
          r"|我们?夫妻|我和(?:老婆|老公|爱人|丈夫|妻子)", unless_asking=_ASKS_OF_THE_CITY),
    # -- PERSONAL: my relative, and their situation anywhere in the message.  "我父亲今年78岁……",
    # "我家小孩户口在外地……". Not "我家老人" with no situation, nor a general ask (_GENERAL_ASK).
    _rule("personal_my_kin", Form.PERSONAL, _MY_KIN, also=_SITUATION, unless=_GENERAL_ASK,
          unless_asking=_ASKS_OF_THE_CITY),
    # -- PERSONAL: a family event or a relative's papers, even without "我".  "离婚后想给孩子改姓",
    # "父母居住在株洲……百年之后", "小孩的户口在外地". Not "孩子户口怎么迁" (how it is done).
    _rule("personal_family_event", Form.PERSONAL,
          "离婚|离异|再婚|百年之后|改姓|"
          + _each(_KIN_WORDS, "(?:的?(?:户口|户籍|学籍)(?:和.{0,6})?都?(?:在|是|落在|还在)|居住在|常住|在外地)")),
    # -- PERSONAL: "my case".  "我这种情况可以……吗", "像我这样的", "我还能办低保吗".
    _rule("personal_my_case", Form.PERSONAL,
          r"我(?:的|们的)?(?:这种|这个)?情况|我这(?:种|样)|像我(?:这样|们这种)|像我(?:们)?(?:家|屋里)(?:这种|这样)"
          r"|这种情况下?(?:我|我们)"
          r"|这种情况下?(?:是否|能否|可否|能不能|可不可以|还能|能|可以)|我.{0,10}(?:没|没有|不够|不)资格"
          r"|因工作(?:关系|原因)|问(?:像)?(?:我|我们)?这种情况"
          r"|我(?:们)?(?:还)?(?:能|可以|是否可以|可否|能否|有没有资格|够不够|符合)(?!问)"
          r".{0,8}?(?:办|申请|领|报销|享受|落户|迁|补|入学|上学|参加|转|退休|过户)"),
    # -- PERSONAL: a narrative of the sender's own life.  "我在深圳交了三年社保……",
    # "我本科毕业五年……", "我91年离婚……". Not when it asks what the city offers in general:
    # "我今年刚毕业，株洲有什么人才政策" is a question.
    _rule("personal_narrative", Form.PERSONAL,
          r"我(?:们)?(?!想|要问).{0,12}?(?:交了|缴了|缴纳了|买了|办了|申请了|离婚|离异|再婚|结婚|毕业|退休"
          r"|落户|出生|住院|签订|签了|租了|被(?!称)|在外地|在外打工|外出打工|户口在|户籍在|身份证|工作了)",
          unless=_GENERAL_ASK, unless_asking=_ASKS_OF_THE_CITY,
          min_chars=12),

    # -- COMPLAINT: states a problem and asks nothing.  "某社区交通出行不便", "业主小孩不能入学",
    # "路口需要红绿灯，太危险", "网吧噪音".
    _rule("complaint_statement", Form.COMPLAINT,
          r"不便|不能|无法|不让|不给|不符合|不到位|不规范|不达标|不履行|不兑现|不按|不重视|不理|私设|霸占"
          r"|乱(?:停|搭|建|倒|排|放|收|摆|扔|贴|占)|占道|噪音|噪声|油烟|太(?:危险|吵|脏|乱|慢|远|黑)"
          r"|破坏|危险|积水|漏水|开裂|坏了|损坏|偷电|缺员|弊端|不实|难(?:以|行|办)"
          r"|太(?:少|多|贵|差|慢|远|挤|吵|脏|乱|黑)了",
          statement_only=True),
)

RULES_BY_NAME: dict[str, Rule] = {rule.name: rule for rule in RULES}
assert len(RULES_BY_NAME) == len(RULES), "rule names must be unique"


# Full-width ASCII (！＂…～) and the ideographic space, to ASCII.
_HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
# Leading debris of a cut-out sentence: "1、", "（2）", "三、", "问政二：", "问题是：", greetings.
_LEAD = re.compile(
    r"^(?:(?:[(]?[0-9一二三四五六七八九十]+[)、.,:\-]+(?![0-9])|问政[一二三四五六七八九十\d]*:|问题是:"
    r"|" + lexicon.alternation(lexicon.GREETINGS) + r"|领导(?:您)?好|各位领导(?:好)?|尊敬的[^,:]{0,12}[,:]|,|:)\s*)+"
)
_SPACES = re.compile(r"\s+")


def prepare(text: str) -> str:
    """What the rules see: full-width punctuation, digits and letters as ASCII, lower case, single
    spaces, without a leading enumerator or greeting, and without trailing full stops.
    (Not unicodedata NFKC: a tenth of the cost, and it is all the rules need.)"""
    text = text.translate(_HALF_WIDTH).lower()
    text = _SPACES.sub(" ", text).strip()
    text = _LEAD.sub("", text)
    return text.rstrip("。.!~… ")


def matching_rule(text: str) -> Rule | None:
    """The rule that decides the message's form, or None for a plain question."""
    prepared = prepare(text)
    asks = _asks(prepared)
    for rule in RULES:
        if rule.fires(prepared, asks):
            return rule
    return None


def message_form(text: str) -> Form:
    """The form of a message, from its wording alone."""
    rule = matching_rule(text)
    return rule.form if rule is not None else Form.QUESTION
