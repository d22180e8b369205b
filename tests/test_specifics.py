"""bot.language.specifics: the names of specific things in a citizen's message.

A question naming a specific thing (another city, a district, a road, an estate, a school …) must
not be answered by an entry that never mentions it; specific_names finds those names. Generic
in-scope questions must yield none, or the bot would refuse questions it can answer.
"""
from __future__ import annotations

from pathlib import Path

import jieba
import pytest
import yaml

from bot.language.specifics import HOME_NAMES, ZHUZHOU_DISTRICTS, specific_names

FAQ_DIR = Path(__file__).resolve().parent.parent / "faq_data"

# A fixed stand-in for the bot's private tokenizer (the FAQ's own words added with add_word, as
# bot.language.features.Segmenter does), so that these cases do not move with the FAQ's content.
FAQ_WORDS = (
    "长者餐厅 城中村改造 城中村 老旧小区 老旧小区改造 加装电梯 城铁 长株潭城铁 长株潭城际铁路 城际铁路 麓谷站 麓谷 "
    "株洲南站 株洲站 长沙西站 大站直达 末班车 首班车 跨省通办 民生实事 公益性岗位 雨污分流 检查结果互认 公租房 "
    "驻村工作队 醴陵 攸县 芦淞区 渌口区 荷塘区 天元区 石峰区 炎陵 茶陵 三一集团 中车 北斗"
).split()


def _tokenizer(words) -> jieba.Tokenizer:
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    for word in words:
        if len(word) >= 2:
            tokenizer.add_word(word, freq=max(2000, 500 * len(word)))
    return tokenizer


@pytest.fixture(scope="module")
def tokenizer():
    return _tokenizer(FAQ_WORDS)


def _normalize():
    textnorm = pytest.importorskip("bot.language.textnorm")
    return textnorm.normalize


SPECIFIC = [
    # the examples that motivated the rule
    pytest.param("请问西环线两侧辅道何时能全线贯通", ["西环线", "辅道"], id="ring-road-side-road"),
    pytest.param("希望长株潭城铁C9174能在麓谷站停靠", ["C9174", "麓谷站"], id="train-number"),
    pytest.param("咨询开慧镇的实泰商业广场的招商情况", ["开慧镇", "实泰商业广场"], id="town-and-plaza"),
    pytest.param("汇一城小区西边建变电站", ["汇一城小区"], id="estate-unknown-word"),
    pytest.param("湘潭的长者餐厅有几家", ["湘潭"], id="other-city-xiangtan"),
    # a line named by the places it joins; a place's own line is the place
    pytest.param("株醴城际啥时候动工", ["株醴城际"], id="rail-line-of-abbreviations"),
    pytest.param("长赣高铁经过株洲吗", ["长赣高铁"], id="high-speed-line"),
    pytest.param("长沙地铁几号线到南站", ["长沙"], id="a-city-metro-is-the-city"),
    # other cities and provinces
    pytest.param("长沙的老旧小区改造了多少个", ["长沙"], id="changsha"),
    pytest.param("北京的养老政策怎么样", ["北京"], id="beijing"),
    pytest.param("广州的公积金能在株洲用吗", ["广州"], id="guangzhou"),
    pytest.param("江西萍乡到株洲的城铁什么时候通", ["江西", "萍乡"], id="jiangxi-pingxiang"),
    pytest.param("湖北武汉的人才政策和株洲比怎么样", ["湖北", "武汉"], id="hubei-wuhan"),
    pytest.param("广东梅州的老人来株洲能办老年证吗", ["广东", "梅州"], id="guangdong-meizhou"),
    pytest.param("长沙县的社保怎么交", ["长沙县"], id="county-not-city"),
    pytest.param("常德市的公租房怎么申请", ["常德"], id="city-suffix-dropped"),
    # roads
    pytest.param("北斗路什么时候通车", ["北斗路"], id="road"),
    pytest.param("红旗路的红绿灯太少了", ["红旗路"], id="road-common-word"),
    pytest.param("株洲大道辅道什么时候修好", ["株洲大道", "辅道"], id="city-avenue-side-road"),
    pytest.param("B市尚格小学滨江北路一带希望加装隔离护栏", ["B市", "尚格小学", "滨江北路"], id="school-and-road"),
    pytest.param("龙泉街道龙泉村鑫盛路周边居民请求安装路灯", ["龙泉街道", "龙泉村", "鑫盛路"], id="street-village-road"),
    # 株洲's districts and counties
    pytest.param("芦淞区的老旧小区改造了几个", ["芦淞"], id="district-lusong"),
    pytest.param("天元区今年建几家长者餐厅", ["天元"], id="district-tianyuan"),
    pytest.param("醴陵市的城中村改造进度", ["醴陵"], id="county-city-liling"),
    pytest.param("攸县的低保标准是多少", ["攸县"], id="county-youxian"),
    pytest.param("荷塘区有没有长者餐厅", ["荷塘"], id="district-hetang"),
    pytest.param("炎陵县的扶贫政策", ["炎陵"], id="county-yanling"),
    # codes: trains, anonymised places, lines
    pytest.param("G1234次列车在株洲西站停吗", ["G1234", "株洲西站"], id="train-and-station"),
    pytest.param("K4县的医保政策", ["K4县"], id="anonymised-county"),
    pytest.param("B2区的农贸市场什么时候改造", ["B2区"], id="anonymised-district"),
    pytest.param("A3区B4区涉外景园小区物业霸道", ["A3区", "B4区", "景园小区"], id="anonymised-twice"),
    pytest.param("请求63路车延伸至云田学校", ["63路", "云田学校"], id="bus-line-and-school"),
    pytest.param("地铁1号线什么时候延伸到株洲", ["1号线"], id="metro-line"),
    pytest.param("国道107拓宽什么时候完工", ["国道107"], id="national-road"),
    pytest.param("株洲站到株洲南站怎么走", ["株洲站", "株洲南站"], id="the-city's-stations"),
    # estates, villages, towns
    pytest.param("山水新城小区什么时候加装电梯", ["山水新城小区"], id="estate-nested-head"),
    pytest.param("翡翠公园小区物业不作为", ["翡翠公园小区"], id="estate-park-name"),
    pytest.param("东冲铺村的自来水什么时候通", ["东冲铺村"], id="village"),
    pytest.param("李家村的路什么时候修", ["李家村"], id="village-family-name"),
    pytest.param("栗雨街道的社区医院", ["栗雨街道"], id="street-office"),
    pytest.param("白关镇的高速出口什么时候开", ["白关镇"], id="town"),
    pytest.param("黑石铺街道拆违控违近一年", ["黑石铺街道"], id="place-char-name"),
    pytest.param("投诉李畋镇大草坪村旺达沙场破坏生态环境", ["李畋镇", "草坪村", "旺达沙场"], id="town-village-company"),
    # schools and hospitals
    pytest.param("株洲二中的录取分数线", ["二中"], id="numbered-school"),
    pytest.param("株洲市第二中学什么时候招生", ["第二中学"], id="ordinal-school"),
    pytest.param("建宁实验中学的学区划分", ["建宁实验中学"], id="school"),
    pytest.param("A市梅溪湖梅岭国际配套幼儿园要拖延到何时", ["A市", "梅溪湖梅岭国际配套幼儿园"], id="kindergarten"),
    pytest.param("株洲市三医院在哪里", ["三医院"], id="numbered-hospital"),
    pytest.param("湘雅医院可以异地报销吗", ["湘雅医院"], id="hospital"),
    # companies, parks, stations, persons
    pytest.param("三一集团的招聘信息", ["三一集团"], id="group"),
    pytest.param("投诉瑞善公司乱收费", ["瑞善公司"], id="company"),
    pytest.param("举报石恒矿业有限公司开采严重超界", ["石恒矿业有限公司"], id="limited-company"),
    pytest.param("神农公园什么时候免费开放", ["神农公园"], id="park"),
    pytest.param("田心东站什么时候开通", ["田心东站"], id="named-station"),
    pytest.param("王书记什么时候来我们村", ["王书记"], id="person-title"),
    pytest.param("张某某的案子怎么样了", ["张某某"], id="person-anonymised"),
    # a village or estate right after its area, named in common words
    pytest.param("芦淞区建设村那个小区改不改", ["芦淞", "建设村"], id="village-named-in-common-words"),
    pytest.param("白关镇新华社区有长者餐厅吗", ["白关镇", "新华社区"], id="community-after-town"),
    pytest.param("改造名单里有没有石峰区的枫溪小区", ["石峰", "枫溪小区"], id="estate-after-the-districts-de"),
    pytest.param("石峰区的安置小区建了多少套", ["石峰"], id="a-kind-of-estate-after-de"),
    pytest.param("天元区的新建小区配不配学校", ["天元"], id="new-estates-after-de"),
    pytest.param("芦淞区的哪些小区要改造", ["芦淞"], id="which-estates-after-de"),
    # an office-holder asked: the body and the office
    pytest.param("城市更新公司的总经理是谁", ["城市更新公司", "总经理"], id="office-of-a-company"),
]

GENERIC = [
    "城铁末班车几点", "配套管网长度", "我们县以后可能改叫市吗", "听说要撤县设市", "城铁首班车是几点", "长株潭城铁多久一趟", "坐城际铁路要多久", "坐高铁还是坐城铁快", "老旧小区改造了多少个", "株洲今年建多少家长者餐厅",
    "加装电梯有补贴吗", "城中村改造今年改多少户", "2021年老旧小区改造多少个", "跨省通办能办多少项",
    "今年十大民生实事有哪些", "低保标准是多少", "医保报销比例提高了吗", "公积金贷款额度多少", "棚改还有吗",
    "雨污分流改造进展怎么样", "政务服务中心几点上班", "我市养老院有多少家", "全市新建了多少所学校",
    "公立医院改革怎么样", "二级以上公立医疗机构检查结果互认吗", "乡村振兴有什么政策", "农村公路修了多少公里",
    "城市快速环线什么时候贯通", "残疾人有什么补贴", "老年人坐公交免费吗", "小区物业费怎么收", "株洲的公园有多少个",
    "火车站附近停车难怎么办", "学校什么时候开学", "医院挂号难怎么办", "政府今年有什么民生实事",
    "公益性岗位怎么申请", "城铁站有没有停车场", "本市今年建了多少公租房", "全市有多少家三甲医院",
    "社区卫生服务中心有几个", "乡镇卫生院改造了多少", "背街小巷改造了吗", "农贸市场改造了多少个",
    "垃圾中转站建了几个", "污水处理厂有几座", "株洲有几家上市公司", "高铁东站什么时候建", "株洲市民卡怎么办理",
    "市里对困难群众有什么救助", "老旧小区改造包括哪些内容", "农村危房改造补贴多少", "我们小区能装电梯吗",
    "这个村的路什么时候修", "株洲今年新增就业多少人", "领导能不能关心一下老百姓", "业主和居民可以向哪个部门反映",
    "我家门口的路坏了谁来修", "新建的小区配套学校什么时候建", "物业公司乱收费找谁", "公办幼儿园够不够",
    "高新区的房价多少", "村里的路什么时候硬化", "免费给残疾人配这些东西吗",
]


@pytest.mark.parametrize("text, expected", SPECIFIC)
def test_specific_names(tokenizer, text, expected):
    assert specific_names(text, tokenizer) == expected


@pytest.mark.parametrize("text, expected", SPECIFIC)
def test_specific_names_of_normalised_text(tokenizer, text, expected):
    """The bot may pass its normalised text: lower case, half width, numerals as digits."""
    normalize = _normalize()
    assert specific_names(normalize(text), tokenizer) == [normalize(n) for n in expected]


@pytest.mark.parametrize("text", [pytest.param(t, id=t) for t in GENERIC])
def test_generic_questions_name_nothing(tokenizer, text):
    assert specific_names(text, tokenizer) == []
    assert specific_names(text) == []  # jieba's default tokenizer


def test_generic_normalised_questions_name_nothing(tokenizer):
    normalize = _normalize()
    assert {t: specific_names(normalize(t), tokenizer) for t in GENERIC} == {t: [] for t in GENERIC}


def test_default_tokenizer_finds_the_motivating_names():
    assert specific_names("请问西环线两侧辅道何时能全线贯通") == ["西环线", "辅道"]
    assert specific_names("希望长株潭城铁C9174能在麓谷站停靠")[0] == "C9174"
    assert "湘潭" in specific_names("湘潭的长者餐厅有几家")
    assert specific_names("汇一城小区西边建变电站") == ["汇一城小区"]


def test_home_names():
    for name in ("株洲", "株洲市", "我市", "本市", "全市", "市里"):
        assert name in HOME_NAMES
    assert not HOME_NAMES & set(ZHUZHOU_DISTRICTS)
    assert specific_names("株洲市今年GDP多少，我市排第几") == []


def test_order_without_duplicates_and_width(tokenizer):
    assert specific_names("长沙到湘潭，再从湘潭回长沙", tokenizer) == ["长沙", "湘潭"]
    assert specific_names("希望Ｃ９１７４次在麓谷站停", tokenizer) == ["C9174", "麓谷站"]
    assert specific_names("", tokenizer) == []
    assert specific_names("？？？", tokenizer) == []


def test_ask_words_are_not_names(tokenizer):
    assert specific_names("市政府和县政府的领导、部门能不能管一管", tokenizer) == []
    assert specific_names("希望当地政府重视业主的诉求", tokenizer) == []


def test_verb_phrases_and_door_words_are_not_names(tokenizer):
    # jieba's dictionary holds "搞了个" as a noun and "大门口" as a place
    assert specific_names("市里是不是新搞了个养老公司", tokenizer) == []
    assert specific_names("他们弄了个停车场", tokenizer) == []
    assert specific_names("楼道和大门口都没有扶手", tokenizer) == []
    assert specific_names("石峰区搞了个新小区", tokenizer) == ["石峰"]


def test_a_formula_of_digits_names_one_thing(tokenizer):
    assert specific_names("“1+2+4”产业格局", tokenizer) == ["1+2+4"]
    assert specific_names("一加二加四格局", tokenizer) == ["一加二加四"]


# ---------------------------------------------------------------- the FAQ's own phrasings

def _faq_entries() -> list[dict]:
    entries = []
    for path in sorted(FAQ_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and isinstance(data.get("entries"), list):
            entries.extend(e for e in data["entries"] if isinstance(e, dict) and e.get("question"))
    return entries


def _faq_tokenizer(entries) -> jieba.Tokenizer:
    """Like the bot's: userdict.txt and the entries' keywords added to a private tokenizer."""
    words = set()
    userdict = FAQ_DIR / "userdict.txt"
    if userdict.exists():
        for line in userdict.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                words.add(line.split()[0])
    for entry in entries:
        words.update(str(k) for k in entry.get("keywords") or [])
    return _tokenizer(sorted(words))


def test_faq_phrasings_name_what_their_entry_mentions():
    """Each question and alternate of the FAQ, raw and normalised: the names found in it should
    appear in the rest of its own entry (keywords, answer, detail, the other phrasings). The
    phrasing itself is left out, or the check would be met trivially."""
    normalize = _normalize()
    entries = _faq_entries()
    if not entries:
        pytest.skip("no FAQ entries")
    tokenizer = _faq_tokenizer(entries)
    total, absent = 0, []
    for entry in entries:
        phrasings = [str(entry["question"]), *(str(a) for a in entry.get("alternates") or [])]
        for k, phrasing in enumerate(phrasings):
            rest = " ".join([*phrasings[:k], *phrasings[k + 1:], *(str(w) for w in entry.get("keywords") or []),
                             str(entry.get("answer") or ""), str(entry.get("detail") or "")])
            rest_normal = normalize(rest)
            for text in (phrasing, normalize(phrasing)):
                total += 1
                missing = [n for n in specific_names(text, tokenizer) if n not in rest and normalize(n) not in rest_normal]
                if missing:
                    absent.append((entry.get("id"), text, missing))
    assert total > 0
    assert len(absent) <= 0.03 * total, "\n".join(map(str, absent))
