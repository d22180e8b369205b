"""The one decision on a citizen's message: rule, answer, clarify or fallback, with the reason
and the facts it used.

The engine (webhook, /api/ask, CLI), `faq test`, `faq check`'s examples and `eval` all call
`decide`; nothing after it revises what it decided. Its steps, in order:

1. keyword rules and a number picking an offered choice ("2");
2. what the question is (matcher.understand): its words, the kind of message, what it asks;
3. questions no report answers whatever entry looks closest (weather, personal cases, opinions,
   complaints and requests): a fallback that says why;
4. ranking (matcher.rank) and the score decision (matcher.choose), within the last topic for
   a follow-up;
5. gates on each entry that would be answered or offered: it must be of the year asked, mention
   the specific things the question names, and state what the question asks (a date, a place,
   the progress …). An entry that fails is not answered; the fallback says which detail the
   reports lack and gives the related fact with its source.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from bot.answer import matcher, services
from bot.answer.outcome import Outcome
from bot.content.model import Entry
from bot.language import scope
from bot.language.asks import (
    ALL_ASKS,
    HEARD,
    MISSING_TEXT,
    ONGOING,
    Ask,
    Part,
    asked,
    asks_an_amount,
    asks_content,
    completion_asked,
    counted_kind,
    date_event_spans,
    dates_the_event,
    destination_asked,
    disclaims_names_of,
    gives_a_figure_of,
    goes_to,
    lists_as_many_as_asked,
    lists_names_of,
    prices_of,
    procedure_verbs,
    stated_and_disclaimer_clauses,
    under_way_of,
    unstated,
    unstated_parts,
)
from bot.language.facts import years
from bot.language.forms import FORM_NOTES, Form, message_form
from bot.language.lexicon import MANNER_WORDS, POINTING_WORDS, SPECIAL_DAYS
from bot.language.specifics import ZHUZHOU_DISTRICTS, places_in
from bot.language.textnorm import normalize, strip_particles
from bot.search.index import Index
from bot.store.conversation import NEW_CONVERSATION, Conversation

# A personal story or grievance that ends in a general question about what the city provides
# is answered as that question; subject lines and requests never are.
_NARRATIVES = {Form.PERSONAL, Form.COMPLAINT, Form.REDRESS}
_GENERAL_ASK = re.compile(r"(政府|市里|株洲|全市|今年|国家|20\d\d年|老百姓|市民|按规定|一般)[^，,。？?！!]{0,16}"
                          r"(有没有|有什么|有冇|会不会|是否|能不能|多少|几|好多|什么|哪些)"
                          r"|(有没有|有什么|有冇)[^，,。？?！!]{0,8}(政策|岗位|救助|补贴|服务|地方|中心|安排|计划|帮扶)")
# what a citizen heard the city plans or decided, then asks about: the question is of that
_HEARD_OF_THE_CITY = re.compile(rf"(?:{HEARD.pattern})[^。？?！!]{{0,30}}?"
                                r"(?:市里|市政府|市委|政府|株洲|全市|民生实事|报告|文件|政策|国家|省里)")
_CITY_SCOPE = re.compile(r"政府|市里|株洲|全市|本市|20\d\d年|今年|老百姓|市民|按规定|一般"
                         r"|市[\u4e00-\u9fff]{1,5}?(?:局|馆|院|委|办|中心)")  # a city body: 市档案馆, 市民政局
_BY_DISTRICT = re.compile(r"(各|每个|分)(县市区|区县|县区|县市|区|县|乡镇)")
_THIS_YEAR_ONLY = re.compile(r"今年|本年度")
_YEAR_WRITTEN = re.compile(r"(?:19|20)\d\d|去年|明年|前年")
_YEAR_WORDS = re.compile(r"(19|20)\d\d年|今年|去年|明年|前年")
PICK_REASONS = {"offer": "用户从上一轮列出的问题中选了一个", "hot": "用户从热点问题中选了一个",
                "related": "用户从相关问题中选了一个"}


@dataclass
class Decision:
    kind: Outcome
    reason: str                                 # for staff: why this decision
    answered: list[Entry] = field(default_factory=list)   # answer: one entry, or two asked together
    see_also: list[Entry] = field(default_factory=list)   # answer: neighbours the citizen can pick by number
    other_years: list[Entry] = field(default_factory=list)  # answer: the same subject in earlier years
    offered: list[Entry] = field(default_factory=list)    # clarify: the choices
    note: str = ""                              # fallback: why, for the citizen (scope.NOTES key or text)
    nearest: Entry | None = None                # fallback: the entry on the subject that lacks what was asked
    missing: list[str] = field(default_factory=list)      # fallback: what it lacks (bot.language.asks values)
    missing_words: list[str] = field(default_factory=list)  # fallback: asked words it says are not given
    absent_names: list[str] = field(default_factory=list)  # fallback: names the question has and it lacks
    related: list[Entry] = field(default_factory=list)    # fallback: nearby questions to suggest
    rule_reply: str = ""
    lead: str = ""                              # answer: a line before it ("报告里没有2025年的……")
    scored: list[matcher.Scored] = field(default_factory=list)
    query: matcher.Query | None = None
    follow_up: bool = False                     # read within the previous question's topic
    act: services.Act | None = None             # a citizen service (rating, 转人工, hot list, a pick)

    @property
    def entry(self) -> Entry | None:
        return self.answered[0] if self.answered else None

    @property
    def score(self) -> float | None:
        if self.kind == Outcome.ANSWER and self.entry is not None:
            return next((s.score for s in self.scored if s.entry.id == self.entry.id), 100.0)
        return self.scored[0].score if self.scored else None


def keyword_rule(index: Index, text: str) -> str | None:
    """The reply of the first keyword rule that fits, compared in normalised form and without
    closing particles ("谢谢！", "你好啊"), but with fillers kept: 谢谢 is a rule's keyword."""
    norm = strip_particles(normalize(text))
    for rule, keys in index.rule_keys:
        for key in keys:
            if key and (norm == key if rule.match == "exact" else key in norm):
                return rule.reply
    return None


def _picked_offer(index: Index, text: str, conversation: Conversation) -> tuple[Entry, str] | None:
    """After a clarification, "2" or "第二个" picks the second offer; the numbers after the
    offers pick the hot or related questions listed after them. Returns the entry and what
    list it was on ("offer", "hot", "related")."""
    choices = conversation.choices
    choice = scope.choice_number(text, len(choices)) if choices else None
    if choice is None:
        return None
    entry = index.entry(choices[choice - 1])
    if entry is None or entry.is_expired():
        return None
    return entry, "offer" if choice <= len(conversation.offered) else conversation.suggested_kind


def decide(index: Index, text: str, conversation: Conversation = NEW_CONVERSATION,
           holdout: bool = False) -> Decision:
    """The decision for one message in the conversation so far. `holdout` (calibration): the
    FAQ phrasing identical to the text does not vouch for itself."""
    if not holdout:
        service = services.intent(index.service, text, conversation)
        if service is not None:  # a rating, 转人工, the hot list: only where the bot offered it
            return Decision(service[0], service[1], act=service[2])
        rule = keyword_rule(index, text)
        if rule is not None:
            return Decision(Outcome.RULE, "命中关键词规则", rule_reply=rule)
        picked = _picked_offer(index, text, conversation)
        if picked is not None:
            entry, listed = picked
            return Decision(Outcome.ANSWER, PICK_REASONS[listed], answered=[entry],
                            act=services.Act("pick", kind=listed))
    decision = _decide_message(index, text, conversation, holdout)
    if decision.kind == Outcome.FALLBACK and decision.query and _THIS_YEAR_ONLY.search(text) \
            and not _YEAR_WRITTEN.search(text):
        # "今年要建几个城市公园" and no entry of the newest report's year on it: the latest
        # figure the reports have, of its own year, as for a question that names no year
        latest = _decide_message(index, text, conversation, holdout, this_year=False)
        if latest.kind == Outcome.ANSWER:
            latest.reason = "今年的资料中没有，回答报告里最新一年的条目：" + latest.reason
            years_of = next((s.record.years for s in latest.scored if s.entry.id == latest.entry.id), ())
            if str(index.latest_year) not in years_of:
                latest.lead = f"公开报告里没有{index.latest_year}年的这项内容，下面是报告里最新的情况："
            return latest
    return decision


def _decide_message(index: Index, text: str, conversation: Conversation, holdout: bool,
                    this_year: bool = True) -> Decision:
    """The decision on a message that is no keyword rule, service or pick."""
    query = matcher.understand(index, text, this_year=this_year)
    query.holdout = holdout
    if len(query.text.replace(" ", "")) < 2 or _only_when(query):  # "城", "啊", "周末": too little to know
        short = Decision(Outcome.FALLBACK, "消息太短，看不出问的是什么", note="short", query=query)
        # "周末呢", "那2020年呢" after a question: that question, of the day or year named
        if holdout:
            return short
        return _in_the_last_topic(index, text, conversation, short) if conversation.category \
            else _after_a_fallback(index, text, conversation, short)
    refusal = scope.unanswerable(query.raw)
    if refusal == scope.NO_CHINESE and _is_a_keyword(index, query):
        refusal = None  # "LPR", "3+3+2": no Chinese, but an entry's keyword
    if refusal:  # weather, personal cases, opinions: no entry can answer, none is searched
        return Decision(Outcome.FALLBACK, refusal[0], note=refusal[1], query=query)
    form = message_form(query.raw)
    if form in _NARRATIVES and _asks_in_general(query, form):
        form = Form.QUESTION  # "我是脱贫户……政府今年有没有兜底的岗位？": the question is general
    if form != Form.QUESTION:
        # A subject line, request, complaint or personal case: no headline fact answers it.
        return _not_a_question(matcher.rank(index, query), query, form)
    choice = matcher.choose(matcher.rank(index, query), query)
    decision = _gated(choice, query)
    if conversation.category and not holdout and _may_follow_up(choice, decision, query):
        return _in_the_last_topic(index, text, conversation, decision)
    return decision if holdout else _after_a_fallback(index, text, conversation, decision)


def _after_a_fallback(index: Index, text: str, conversation: Conversation, decision: Decision) -> Decision:
    """"农村呢" after a question that found nothing ("2020年城镇居民人均可支配收入多少") asks that
    question of 农村: read together it is answered or falls back; it is not the topic 农村 alone."""
    if conversation.category or not conversation.last_query or not _ASKS_THE_SAME_OF.match(text.strip()):
        return decision
    combined = matcher.understand(index, f"{conversation.last_query} {text}")
    followed = _gated(matcher.choose(matcher.rank(index, combined), combined), combined)
    followed.follow_up = True
    followed.reason = "接着上一句（没有找到答案的问题）理解：" + followed.reason
    return followed


def _in_the_last_topic(index: Index, text: str, conversation: Conversation, decision: Decision) -> Decision:
    """The message read as a follow-up when that finds something, else its own decision."""
    followed = _follow_up(index, text, conversation, decision)
    if followed is None:
        return decision
    followed.follow_up = True
    if followed.kind == Outcome.ANSWER:
        followed.reason = "接着上一轮的话题理解：" + followed.reason
    return followed


def _only_when(query: matcher.Query) -> bool:
    """The message names only a year or a day ("周末", "2020年") and asks nothing: alone, it is no
    question (after one, _follow_up reads it with the previous question first)."""
    return not query.asks and matcher.names_only_a_time(query)


def _may_follow_up(choice: matcher.Decision, decision: Decision, query: matcher.Query) -> bool:
    """Whether the message is read within the last topic too: it points back ("这个店", "湘潭呢",
    "调图前呢"), asks the last question of another thing ("那新竣工的呢": its own words must still
    be held there, _keeps_to, whatever they find alone), or its own reading is unsure — by the
    scores, or by the gates ("什么时候完成" after 渌口区营商环境评估)."""
    return (matcher.refers_back(query) or matcher.is_elliptical(query)
            or bool(_ASKS_THE_SAME_OF.match(query.raw.strip()))
            or choice.kind != Outcome.ANSWER or decision.kind != Outcome.ANSWER)


# A short "那X的呢" / "X呢": the previous question, asked of X
_ASKS_THE_SAME_OF = re.compile(r"^(?:那|那么|那个)?[^，,。？?！!\s]{1,8}?呢[？?！!]*$")


def _is_a_keyword(index: Index, query: matcher.Query) -> bool:
    """The message, as normalised, is exactly a keyword of the entry it finds first."""
    found = matcher.retrieve(index, query, limit=1)
    return bool(found) and query.text in found[0][0].keywords


def _asks_in_general(query: matcher.Query, form: Form) -> bool:
    """A story or grievance that ends in a general question. A personal story may also end in
    a question of the city, a year or a rule, asking for a fact ("我爸在长沙住院……从株洲南过去
    要多久？"); a complaint must ask what the city provides."""
    if _GENERAL_ASK.search(query.raw):
        return True
    asking = query.asking
    if form != Form.PERSONAL or asking == query.raw:
        return False
    # "听说市里2025年的民生实事里有针对这类孩子的学校，是什么样的学校？": of what was heard
    return bool(_HEARD_OF_THE_CITY.search(query.raw)) or (
        bool(_CITY_SCOPE.search(asking)) and bool(asked(asking) - {Ask.YESNO}))


def _gated(choice: matcher.Decision, query: matcher.Query) -> Decision:
    """The score decision, with every entry to be answered or offered checked against what the
    question asks."""
    if choice.kind == Outcome.ANSWER:
        return _gated_answer(choice, query)
    if choice.kind == Outcome.CLARIFY:
        return _gated_clarify(choice, query)
    return _fallback(choice.scored, query, Gate(choice.reason))


def _gated_answer(choice: matcher.Decision, query: matcher.Query) -> Decision:
    """The entry the scores chose answers if it states what is asked; else a fallback that says why."""
    scored = choice.scored
    chosen = choice.chosen
    if chosen.other_year:  # the entry of the year asked, if any, says what it lacks
        asked_years = years(query.text)
        chosen = next((s for s in scored if asked_years & set(s.record.years) and _in_its_place(query, chosen, s)),
                      chosen)
    reason = choice.reason
    gate = _gate(query, chosen)
    if gate:
        # an entry that says the report lacks what is asked ("未列…末班发车时刻") settles it;
        # one that just does not state that kind of detail may have a neighbour that does
        stating = _close_stating(scored, query, chosen) if gate.missing else None
        if stating is None:
            return _fallback_on_the_names(scored, query, gate, chosen)
        chosen, reason = stating, "最高分条目没有写所问的内容，分数相近的这一条写了"
    chosen = _of_the_year_asked(scored, query, chosen)
    answered = [chosen.entry] + ([choice.also.entry] if choice.also and not _gate(query, choice.also) else [])
    single = len(answered) == 1
    older = [s.entry for s in choice.older] if single else []
    see_also = [s.entry for s in choice.offered if single and s is not chosen and not _gate(query, s)]
    reason += "；问题没有指明年份，回答最新一年的条目" if older else ""
    return Decision(Outcome.ANSWER, reason, answered=answered, see_also=see_also, other_years=older,
                    scored=scored, query=query)


# A figure right after a year: "2017年三项；2018年公立医院……；2020年两项" (a timeline)
_YEAR_THEN_FIGURE = r"(?:19|20)\d\d年[\d一二两三四五六七八九十]"


def _of_the_year_asked(scored: list[matcher.Scored], query: matcher.Query, chosen: matcher.Scored) -> matcher.Scored:
    """How many, in one year asked: an entry on the subject whose answer is a timeline, giving
    that year's figure ("2020年两项"), comes before the chosen one when it gives none of that year
    ("四项工作获2021年督查激励（针对2020年工作）")."""
    if Ask.COUNT not in query.asks or len(query.years) != 1:
        return chosen
    figure_of = re.compile(rf"{next(iter(query.years))}年[\d一二两三四五六七八九十]")
    if figure_of.search(chosen.entry.answer):
        return chosen
    return next((s for s in scored[:3] if s is not chosen and s.score >= matcher.CLARIFY_THRESHOLD
                 and figure_of.search(s.entry.answer) and len(re.findall(_YEAR_THEN_FIGURE, s.entry.answer)) >= 3
                 and matcher.on_the_same_subject(query, chosen, s) and _gate(query, s) is None), chosen)


def _in_its_place(query: matcher.Query, other_year: matcher.Scored, candidate: matcher.Scored) -> bool:
    """The entry of the year asked may stand for the best one, of another year, when it is on the
    same subject or scores close to it ("2021年的目标" of 空气优良率 for 2020's 优良天数); any entry of
    that year is not ("那2021年的呢" after 新增就业 is not answered with 2021's trains)."""
    return candidate.score >= matcher.RELATED_MIN_SCORE and (
        matcher.on_the_same_subject(query, other_year, candidate)
        or other_year.score - candidate.score < matcher.CLOSE_MARGIN)


def _close_stating(scored: list[matcher.Scored], query: matcher.Query,
                   chosen: matcher.Scored) -> matcher.Scored | None:
    """A close runner-up that states what the chosen entry lacks ("增开了几对": the entry that
    gives the added trains, not the one on the station that mentions them in passing)."""
    # a narrow ask (the names of a kind, 人数, 户数 …) that the neighbour states is answer enough at a lower score
    narrow = bool(query.names_asked or query.parts)
    floor = matcher.CLARIFY_THRESHOLD if narrow else matcher.ANSWER_THRESHOLD
    # and on the chosen one's subject: "安全生产每天几点" is not answered by the last train, which
    # holds only the asking words (每天几点)
    topic = matcher.subject_words(matcher.own_words(query, chosen))
    word = max(topic, key=lambda w: query.weights.get(w, 0.0), default=None)
    return next((s for s in scored[:3] if s is not chosen and s.score >= floor
                 and chosen.score - s.score < matcher.NEAR_MARGIN_FACTOR * matcher.CLOSE_MARGIN
                 and (word is None or matcher.holds_words(s.record, [word]))
                 and _gate(query, s) is None), None)


def _gated_clarify(choice: matcher.Decision, query: matcher.Query) -> Decision:
    """Only the close entries that state what is asked are offered; one left that scores high answers."""
    scored = choice.scored
    gates = [_gate(query, s) for s in choice.offered]
    passing = [s for s, gate in zip(choice.offered, gates, strict=True) if gate is None]
    if gates[0] is not None and gates[0].missing:
        # the closest entry lacks what is asked: the others are offered only on its subject
        # ("公益性岗位的报名条件" does not offer the 企业债券直通车 because that one states a procedure)
        word = matcher.most_specific_word(query)
        passing = [s for s in passing if word is None or matcher.holds_words(s.record, [word])]
    if not passing:
        if all(g.note == "year" for g in gates):
            return _fallback(scored, query, Gate("相近条目都是别的年份", "year"))
        return _fallback_on_the_names(scored, query, gates[0], choice.offered[0])
    return _among_the_passing(choice, query, passing, gates)


def _among_the_passing(choice: matcher.Decision, query: matcher.Query, passing: list[matcher.Scored],
                       gates: list[Gate | None]) -> Decision:
    """The decision among the close entries that state what is asked (`gates`: each offered one's)."""
    scored = choice.scored
    if len(passing) == 1 < len(choice.offered) and passing[0].score >= matcher.ANSWER_THRESHOLD:
        # the other close entries do not state what is asked: the one that does answers
        return Decision(Outcome.ANSWER, "相近条目中只有这一条写了所问的内容", answered=[passing[0].entry],
                        scored=scored, query=query)
    if len(passing) == 1 < len(choice.offered) and query.parts and _others_lack_the_part(query, gates):
        # "一个队最少几个人": the one entry that gives the number of people, the others only of teams
        return Decision(Outcome.ANSWER, "相近条目中只有这一条写了所问的那一项（人数、户数、长度……）",
                        answered=[passing[0].entry], scored=scored, query=query)
    if len(passing) == 1 and not matcher.is_bare_topic(query):
        # One reading left, below the answer threshold, is no choice between readings: the question
        # is likely about something the reports lack ("城铁能用支付宝扫码进站不"), so it is offered
        # as a related question beside "not found", not as "您是想问".
        return Decision(Outcome.FALLBACK, "只剩一个相近条目且分数低于回答阈值：列为相关问题",
                        related=[passing[0].entry], scored=scored, query=query)
    if matcher.is_bare_topic(query) and passing[0].score >= matcher.ANSWER_THRESHOLD:
        # A bare topic ("棚改") gets the closest entry, with the neighbours one number away; an
        # entry whose own phrasings name the topic comes before one that only has it as a keyword.
        offered = sorted(passing, key=lambda s: -matcher.own_weight(query, s))[:3]
        return Decision(Outcome.ANSWER, "只给了话题词：回答最接近的一条，并列出相近问题",
                        answered=[offered[0].entry], see_also=[s.entry for s in offered[1:]],
                        scored=scored, query=query)
    unheld = _unknown_words_none_holds(query, passing)
    if unheld:
        # "富家小区现在物业费是怎么收的": the readings offered are all about something else; none is
        # what was asked, so they are listed as related questions beside "not found"
        return Decision(Outcome.FALLBACK, f"问题问到的“{'、'.join(unheld)}”FAQ里没有，相近条目都没写：列为相关问题",
                        related=[s.entry for s in passing[:2]], scored=scored, query=query)
    return Decision(Outcome.CLARIFY, choice.reason, offered=[s.entry for s in passing[:3]], scored=scored, query=query)


def _only_the_asking_held(query: matcher.Query, candidate: matcher.Scored) -> bool:
    """The entry holds only how the question asks, none of what it asks about, though the
    question names something ("应急管理每天几点": 每天几点 is all the last train has of it;
    "应急管理可以网上办吗": 网上办 all that the online services have)."""
    subject = [w for w in matcher.subject_words(query.words) if w not in MANNER_WORDS]
    if not subject or any(w in subject for w in matcher.own_words(query, candidate)):
        return False
    return not any(matcher.holds_words(candidate.record, [w]) for w in subject if len(w) >= 2)


def _others_lack_the_part(query: matcher.Query, gates: list[Gate | None]) -> bool:
    """Every close entry but the one that passes is refused for lacking the very part asked (人数, 户数 …)."""
    refused = [gate for gate in gates if gate is not None]
    return len(refused) == len(gates) - 1 and all(set(gate.missing) & set(query.parts) for gate in refused)


def _unknown_words_none_holds(query: matcher.Query, offered: list[matcher.Scored]) -> list[str]:
    """The words of the question's asking clauses (names and question words aside) that the FAQ
    never uses and no entry offered holds, written or sounding the same (物业费, 晚点, 型号)."""
    clause = normalize(query.asking)
    words = [w for w in matcher.subject_words(query.words) if len(w) >= 2 and w in clause and w not in POINTING_WORDS
             and w not in query.names and w not in query.verbs and not query.word_df.get(w)]
    return [w for w in words if not any(matcher.holds_words(s.record, [w]) or _gives_what_it_names(w, s.record.stated)
                                        for s in offered)]


# A word of what is asked that the text answers without using it: a model (型号) is "CJ6型".
_WHAT_NAMES_IT = {"型号": re.compile(r"[A-Za-z0-9]\s*型"), "车型": re.compile(r"[A-Za-z0-9]\s*型")}


def _gives_what_it_names(word: str, stated: str) -> bool:
    pattern = _WHAT_NAMES_IT.get(word)
    return pattern is not None and bool(pattern.search(stated))


# Days the question asks of that differ from the usual: "周末和节假日的首末班时间" is not
# answered by the daily timetable, which says nothing of weekends.
_SPECIAL_DAYS = re.compile("|".join(SPECIAL_DAYS))


def _condition_not_stated(query: matcher.Query, candidate: matcher.Scored) -> list[str]:
    """The special days the question's last clause names that the entry never mentions."""
    record = candidate.record
    return [day for day in _special_days_asked(query.asking)
            if day not in record.about and day not in record.stated_norm][:1]


@lru_cache(maxsize=2048)
def _special_days_asked(asking: str) -> tuple[str, ...]:
    """The special days of the asking clauses' last clause, once per question, not per candidate
    (a story's "过年冇钱买年货" tells when, and asks of no day)."""
    last = [c for c in re.split(r"[，,。；;！!？?]", asking) if c.strip()][-1:]
    return tuple(dict.fromkeys(_SPECIAL_DAYS.findall("".join(last))))


# "有没有月票或者通勤优惠", "有冇得24小时开门的药店咯": the thing whose existence is asked
_EXISTS_ASKED = re.compile(r"(?:有没有|有冇得?|有无|有木有|有不有)(?P<thing>[^，,。？?！!]{2,20})$")


def _unknown_thing_asked_for(query: matcher.Query, chosen: matcher.Scored) -> list[str]:
    """The head of the thing whose existence is asked, when the FAQ never uses it and the entry lacks it."""
    head = _existence_head(query.asking, tuple(query.words))
    return [head] if head is not None and head in _unknown_words_none_holds(query, [chosen]) else []


@lru_cache(maxsize=2048)
def _existence_head(asking: str, words: tuple[str, ...]) -> str | None:
    """The last word of the thing whose existence is asked (药店 of "24小时开门的药店", not 放电影
    of "放电影的安排"): a function of the question, memoised as every candidate's gate asks it."""
    found = _EXISTS_ASKED.search(strip_particles(normalize(asking).rstrip("？?！!。 ")))
    thing = found.group("thing") if found else None
    return next((w for w in reversed(words) if thing.endswith(w)), None) if thing else None


@dataclass
class Gate:
    """Why an entry must not answer the question."""
    reason: str                                 # for staff
    note: str = ""                              # scope.NOTES key, for the citizen
    missing: list[str] = field(default_factory=list)
    absent_names: list[str] = field(default_factory=list)
    missing_words: list[str] = field(default_factory=list)


def _gate(query: matcher.Query, candidate: matcher.Scored) -> Gate | None:
    """Why this entry must not answer the question, or None when it may."""
    if candidate.other_year:
        # "2023年的十大民生实事" is not answered with 2025's: the reports hold no 2023 list.
        return Gate("问的年份资料中没有，最接近的条目是别的年份", "year")
    absent = matcher.absent_names(query, candidate)
    if absent:  # "西环线辅道" is not answered by the entry on the 快速环线
        return Gate(f"问题提到的“{'、'.join(absent)}”条目里没有（若本条确实适用，把它写进 alternates 或 keywords）",
                    "names", absent_names=absent)
    days = _condition_not_stated(query, candidate)
    if days:  # "周末的末班车" is not answered by the daily timetable
        return Gate(f"问的是“{days[0]}”的情况，条目没有提到", "names", absent_names=days)
    unknown = _unknown_thing_asked_for(query, candidate)
    if unknown:  # "有没有月票" is not answered by the entry on the morning trains
        return Gate(f"问有没有的“{unknown[0]}”FAQ里没有，条目里也没有", "names", absent_names=unknown)
    end = matcher.opposite_end(query, candidate)
    if end:  # "最晚几点有车" is not answered by the entry on the first train
        return Gate(f"问的是“{end}”，条目说的是时刻表的另一头", "missing", missing_words=[end])
    if matcher.is_bare_topic(query) and not matcher.names_its_topic(query, candidate):
        # "满意": a part of a word ("选人用人满意度") or of the answer names no topic of the entry
        return Gate("只给了话题词，条目的问法、关键词里都没有这个话题（只是别的词的一部分，或只在答案里出现）",
                    "short" if len(query.words) < 2 else "")
    if _only_the_asking_held(query, candidate):  # "应急管理每天几点" and the last train
        return Gate("条目只对上了问法（几点、多少……），没有对上所问的事", "short")
    missing = _missing_asked(query, candidate)
    if missing:  # "什么时候开学" is not answered by an entry that gives no date
        labels = "、".join(MISSING_TEXT[m] for m in missing)
        declarable = [m for m in missing if m in ALL_ASKS]  # a part (人数, 第三条) is only stated in the text
        declare = f"，或在 states 里声明 {'、'.join(declarable)}" if declarable else ""
        return Gate(f"问的是{labels}，条目 {candidate.entry.id} 的 answer/detail 没有写（若报告写了，把它写进 answer"
                    f"{declare}）", "missing", missing=missing)
    said_missing = matcher.disclaimed_words(query, candidate)
    if said_missing:  # "IGBT三期投资" and "报告未写投资额"
        return Gate(f"问的“{'、'.join(said_missing)}”条目明确写了报告没有给出", "missing",
                    missing_words=said_missing)
    # as written and as its slips mean it ("常住人口城真化率" is no question on the population)
    record = candidate.record
    if scope.misses_asked_detail(query.raw, record) and scope.misses_asked_detail(query.text, record):
        return Gate("问的细节（电话、地址、时间等）不在资料中", "detail")
    return None


def _missing_asked(query: matcher.Query, candidate: matcher.Scored) -> list[str]:
    """What the question asks that the entry's answer and detail do not state (Ask and Part values)."""
    states = candidate.record.states
    missing = set(unstated(query.asks, frozenset(states)))
    body = candidate.record.stated
    if (Ask.PROGRESS in query.asks and Ask.PROGRESS not in states and ONGOING in states
            and (completion_asked(query.raw)
                 or not under_way_of([w for w in matcher.subject_words(query.words) if w not in query.verbs], body))):
        # unstated took the work under way for the stage, but it is another's, or "建好了吗" asks
        # whether it is finished, which work under way does not tell
        missing.add(Ask.PROGRESS)
    _check_names(query, candidate, missing)
    if Ask.HOW in query.asks and Ask.HOW not in missing and not all(
            v in body or v in candidate.record.about for v in procedure_verbs(query.raw)):
        missing.add(Ask.HOW)  # "APP如何实名注册" and an entry that tells of no 注册
    if not missing:
        missing |= _stated_of_another_thing(query, candidate)
    if query.parts and not missing:  # "一支队伍几个人": "362支工作队" counts teams, not people
        missing |= unstated_parts(query.raw, query.parts, body)
    if Ask.COUNT in query.asks and not missing:
        missing |= _count_of_another_thing(query, candidate)
    return sorted(missing)


def _count_of_another_thing(query: matcher.Query, candidate: matcher.Scored) -> set:
    """The counts the entry gives are of something else than the count asked."""
    if _no_figure_of_a_name(query, candidate):
        return {Part.OWN_FIGURE}  # "荷塘区几个" and the citywide figure beside it
    if _kind_never_counted(query, candidate):
        return {Ask.COUNT}  # "一列有多少个座位" and an entry that counts only trains
    return set()


def _kind_never_counted(query: matcher.Query, candidate: matcher.Scored) -> bool:
    """The count is asked of a kind of thing (a word of the question: not "对列车", "人参加") the
    entry never names."""
    kind = counted_kind(query.normalize(query.raw))
    record = candidate.record
    return kind is not None and kind in query.words and kind not in record.about and kind not in record.stated


def _undated_event(query: matcher.Query, candidate: matcher.Scored) -> bool:
    """The date asked is of an event the entry dates nowhere: its dates are of other things. When
    the entry's own phrasings name the event, staff have vouched that its date is the one."""
    spans = date_event_spans(query.asking)
    events = [w for w in matcher.subject_words(query.words) if len(w) >= 2 and w not in query.names
              and any(span.startswith(w) or span.endswith(w) for span in spans)]
    entry, about = candidate.entry, candidate.record.about
    return any(v not in about and not dates_the_event(v, entry.answer, entry.detail) for v in events)


def _priced_elsewhere(query: matcher.Query, stated: str) -> bool:
    """The entry names the thing whose price is asked (the question's weightiest word it holds,
    the words of price aside) but gives a price (a sum, when one is asked) only of other things."""
    held = [w for w in matcher.subject_words(query.words) if len(w) >= 2 and w in stated and w not in _PRICE_WORDS]
    word = max(held, key=lambda w: query.weights.get(w, 0.0), default=None)
    return word is not None and not prices_of(word, stated, amount=asks_an_amount(query.normalize(query.asking)))


_PRICE_WORDS = frozenset("收费 费用 价格 标准 多少钱 票价 门票 价钱 免费 收不收费".split())


def _stated_of_another_thing(query: matcher.Query, candidate: matcher.Scored) -> set:
    """The date, travel time or price asked, which the entry gives only of something else."""
    if Ask.DATE in query.asks:
        return _date_of_another_thing(query, candidate)
    if Ask.DURATION in query.asks and _other_direction(query, candidate.record.stated):
        return {Part.DIRECTION}  # "株洲南到湘潭要多久" and the times of trains to 长沙
    if Ask.PRICE in query.asks and _priced_elsewhere(query, candidate.record.stated):
        # "长者餐厅收费多少" and the list of ten that prices only the films; "游泳好多钱一次" and
        # "场馆免费或低收费开放": a fee, but no sum
        return {Ask.PRICE}
    return set()


def _date_of_another_thing(query: matcher.Query, candidate: matcher.Scored) -> set:
    """The dates the entry gives are of something else than the time asked."""
    if _undated_event(query, candidate):
        return {Ask.DATE}  # "什么时候能正式备案" and an entry whose only date is when work began
    if _other_direction(query, candidate.record.stated):
        return {Part.DIRECTION}  # "回株洲的末班车几点" and an entry on the last train to 长沙
    return set()


def _other_direction(query: matcher.Query, stated: str) -> bool:
    """The time asked is of a trip to one place and the entry's trips go only elsewhere."""
    destination = destination_asked(query.asking, places_in(query.raw))
    return destination is not None and goes_to(destination, stated, (destination, *places_in(stated))) is False


# The name of one thing: "那个政策叫什么", "这个APP叫啥名字" (not "分别叫什么", "哪些").
_ONE_NAME_ASKED = re.compile(r"(?<!分别)(?:叫什么|叫啥|叫么子|什么名字|啥名字|名字是什么|名称是什么)(?:名字)?"
                             r"[？?。！!呢啊呀]*$")


def _check_names(query: matcher.Query, candidate: matcher.Scored, missing: set) -> None:
    """Whether the entry gives the names asked: names of the very kind, a breakdown by district, or
    what a thing comprises (updates `missing`)."""
    body = candidate.record.stated
    if query.names_asked:
        listed = lists_names_of(*query.names_asked, body, query.raw) or lists_as_many_as_asked(query.raw, body)
        if not listed or disclaims_names_of(
                query.names_asked[0], f"{candidate.entry.answer}\n{candidate.entry.detail}"):
            missing.add(Ask.NAMES)  # "哪些小区": a list of other things is no answer, "未写是哪座" none
        else:
            missing.discard(Ask.NAMES)  # "身份证、户口簿……共20类材料" lists the very kind asked
    if (Ask.NAMES in missing and not query.names_asked and Ask.DEFINITION in candidate.record.states
            and _ONE_NAME_ASKED.search(query.asking)):
        missing.discard(Ask.NAMES)  # "这种互助办法叫什么": the entry on what 爱心时间银行 is names it
    if _BY_DISTRICT.search(query.raw) and sum(d in body for d in ZHUZHOU_DISTRICTS) < 2:
        missing.add(Ask.NAMES)  # "各县市区分别多少": a citywide figure is not a breakdown
    elif asks_content(query.raw):
        missing.discard(Ask.NAMES)  # "养老这块都有啥": the entry on it says what it comprises


def _no_figure_of_a_name(query: matcher.Query, candidate: matcher.Scored) -> bool:
    """A count asked of a thing the entry names only in passing ("荷塘区老旧小区改造几个" and "试点包括
    芦淞区、荷塘区"; "169个老旧小区" is the city's): no figure of it is stated. When the entry's own
    question names it, its figures are the thing's."""
    record = candidate.record
    own_question = record.phrasings[0].text
    asking = query.normalize(query.asking)  # "醴陵做瓷器的亲戚说……打算几年内做到多大": 醴陵 is the story's
    passing = [parts for parts in query.name_parts if not all(p in own_question for p in parts)
               and all(p in record.stated_norm for p in parts) and all(p in asking for p in parts)]
    if not passing:
        return False
    clauses = _stated_clauses(query.normalize, f"{candidate.entry.answer}\n{candidate.entry.detail}")
    return any(not gives_a_figure_of(parts, clauses) for parts in passing)


@lru_cache(maxsize=2048)
def _stated_clauses(normalize, text: str) -> tuple[str, ...]:
    """The clauses of an entry's text that state something, normalised as questions are (memoised:
    the same entries are checked question after question)."""
    return tuple(normalize(clause) for clause in stated_and_disclaimer_clauses(text)[0])


def _fallback_on_the_names(scored: list[matcher.Scored], query: matcher.Query, gate: Gate,
                           nearest: matcher.Scored) -> Decision:
    """When the nearest entry lacks a name the question gives, an entry further down that holds
    every name is the one to speak of ("株醴城际什么时候动工": the entry on the 株醴线's early
    work, which says the reports give no date, not the timetable's start)."""
    if gate.note == "names":
        holding = next((s for s in scored if s.score >= matcher.RELATED_MIN_SCORE
                        and not matcher.absent_names(query, s)), None)
        if holding is not None:
            gate, nearest = _gate(query, holding) or Gate("写了问题提到的名称的条目分数不够高"), holding
    return _fallback(scored, query, gate, nearest=nearest)


def _fallback(scored: list[matcher.Scored], query: matcher.Query, gate: Gate,
              nearest: matcher.Scored | None = None) -> Decision:
    """A fallback that says why; when an entry on the subject lacks what was asked, it is
    named with its fact ("报告只写了计划建40家，没有公布已建成多少家")."""
    related = ([s.entry for s in scored[:2] if s.score >= matcher.RELATED_MIN_SCORE]
               if gate.note in ("", "year") else [])
    if gate.note == "year":  # "2021年的呢" after 2020's 完工: 2021's entry on the subject (a plan) is the fact to give
        # of the same subject: not 2021's trains for 2021's new jobs
        subject = [w for w in matcher.subject_words(query.words) if len(w) >= 2 and not w.isdigit()]
        nearest = next((s for s in scored[:3] if s.score >= matcher.RELATED_MIN_SCORE
                        and query.years & set(s.record.years) and any(w in s.record.about for w in subject)), None)
    with_fact = nearest is not None and gate.note in ("missing", "names", "year")
    return Decision(Outcome.FALLBACK, gate.reason, note=gate.note, related=related, scored=scored, query=query,
                    nearest=nearest.entry if with_fact else None,
                    missing=gate.missing, absent_names=gate.absent_names, missing_words=gate.missing_words)


def _not_a_question(scored: list[matcher.Scored], query: matcher.Query, form: Form) -> Decision:
    related = [s.entry for s in scored[:2] if s.score >= matcher.RELATED_MIN_SCORE]
    return Decision(Outcome.FALLBACK, f"留言不是可以按报告回答的问题（{form.value}）", note=FORM_NOTES[form],
                    related=related, scored=scored, query=query)


def _follow_up(index: Index, text: str, conversation: Conversation, own_decision: Decision) -> Decision | None:
    """A follow-up is read within the last topic: first on its own ("那末班车呢"), then
    together with the previous question ("湘潭呢" after "城铁首班车几点"). After a
    clarification, a more specific phrase chooses among the entries offered. Returns the
    decision of the reading that answers (or, when the message alone found nothing, one that
    asks back), else None: the message is read on its own."""
    own = matcher.understand(index, text)
    previous = conversation.last_query
    switches_year = bool(years(normalize(text)))
    if switches_year:  # "那2021年的呢": the same subject, in the year now named
        previous = _YEAR_WORDS.sub(" ", normalize(previous))
    combined = matcher.understand(index, f"{previous} {text}")
    answered, asking_back = _read_in_topic(index, conversation, own, combined, previous, switches_year)
    if answered is not None:
        return answered
    if (own_decision.kind == Outcome.FALLBACK or matcher.is_elliptical(own) or switches_year) \
            and asking_back is not None:
        return asking_back  # "那2020年呢": the previous question of 2020 has two close readings
    if switches_year and _ASKS_THE_SAME_OF.match(text.strip()):
        # "2021年目标呢" after 2020's 高新技术企业: no entry of that year on the subject, so none
        # of another subject (2021's safety targets) either
        return _fallback(matcher.rank(index, combined), combined, Gate("上一个话题在问的那一年没有条目", "year"))
    return None


def _read_in_topic(index: Index, conversation: Conversation, own: matcher.Query, combined: matcher.Query,
                   previous: str, switches_year: bool) -> tuple[Decision | None, Decision | None]:
    """The decision of the first reading within the last topic that answers, and the first that asks back."""
    # "湘潭呢", "那2021年的呢": a place or year alone asks the previous question of it, so the
    # two are read together first; "那末班车呢" names a subject of its own.
    # "这个店在哪里" points back at it: read together first, as is a place or year alone
    back = matcher.is_elliptical(own) or matcher.refers_back(own)
    asking_back = None
    # a year or place alone asks nothing of its own: "那2020年呢" is not any 2020 entry of the topic
    readings = (combined,) if matcher.is_elliptical(own) else (combined, own) if back else (own, combined)
    for query in readings:
        # the same subject in another year may be filed under another category
        followed = _choice_in_topic(index, conversation, query, any_category=query is combined and switches_year)
        if not (query is combined and back) and not _keeps_to(own, followed):
            # "公积金怎么提" after "长者餐厅今年建几家": a subject of its own, not a follow-up; and
            # "城铁几点" is not answered by the last topic's entry on another 几点
            continue
        if query is own and switches_year and not _keeps_to(matcher.understand(index, previous), followed):
            # "那2021年的目标呢" after 高新技术企业: the target of that subject, not 2021's fiscal target
            continue
        decision = _gated(followed, query)
        if decision.kind == Outcome.ANSWER or (followed.kind == Outcome.ANSWER and query is combined):
            return decision, asking_back  # read with the previous question, what it lacks is what the reports lack
        if decision.kind == Outcome.CLARIFY and asking_back is None:
            asking_back = decision
    return None, asking_back


def _choice_in_topic(index: Index, conversation: Conversation, query: matcher.Query,
                     any_category: bool) -> matcher.Decision:
    """The score decision within the last topic, among the entries offered if there were any."""
    ranked = matcher.rank(index, query, category=None if any_category else conversation.category)
    offered = set(conversation.offered)
    if offered:
        ranked = [s for s in ranked if s.entry.id in offered] or ranked
    return matcher.choose(ranked, query)


def _keeps_to(own: matcher.Query, followed: matcher.Decision) -> bool:
    """Read together with the previous question, the message may stay on its topic only if
    the entries chosen or offered hold every word of its own (two characters or more)."""
    entries = [followed.chosen] if followed.chosen else followed.offered
    # "那2021年的目标呢" switches year (the year gate settles it), "几点结束" asks a time of the same thing
    words = matcher.subject_words(own.words)
    if own.names:  # "从湘潭出发呢": the place asked of; its verb is the previous question's (首班车 开出)
        words = [w for w in words if w not in own.verbs]
    return bool(entries) and all(matcher.holds_words(s.record, words) for s in entries)


def conversation_after(decision: Decision, text: str, conversation: Conversation) -> Conversation:
    """The conversation the next message is read in."""
    if decision.kind == Outcome.RULE:
        return conversation
    if decision.kind == Outcome.ANSWER:
        entry = decision.entry
        listed = decision.see_also + decision.other_years
        offered = (entry.id, *(e.id for e in listed)) if listed else ()
        return Conversation(offered=offered, category=entry.category, last_id=entry.id, last_query=text)
    if decision.kind == Outcome.CLARIFY:
        return Conversation(offered=tuple(e.id for e in decision.offered), category=decision.offered[0].category,
                            last_query=text)
    if decision.nearest is not None:
        # "报告只写了……，没有写数量" on 消防站: "在哪里建" next asks of the same thing
        # (a follow-up's question is the one read with the previous: "2021年呢" alone asks nothing)
        asked = decision.query.raw if decision.follow_up and decision.query else text
        return replace(conversation.without_offers(), category=decision.nearest.category, last_id="",
                       last_query=asked)
    if not decision.follow_up and decision.query is not None and decision.note != "short":
        # a question that found nothing: "农村呢" next asks it of 农村 (_after_a_fallback)
        return replace(conversation.without_offers(), category="", last_id="", last_query=text)
    return conversation.without_offers()
