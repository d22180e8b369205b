"""needs.yaml: how citizens describe a need → the FAQ's words for it (bot.content.needs, bot.language.needs).

The FAQ and synonyms are read straight from faq_data/ (not through bot.content.faq), so that these tests
check the lexicon against the FAQ the staff actually edit.
"""
from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.answer.decision import decide  # noqa: E402
from bot.answer.engine import Engine  # noqa: E402
from bot.config import Config  # noqa: E402
from bot.content.needs import load_needs  # noqa: E402
from bot.language.needs import Need, NeedMatcher, check_needs, faq_words  # noqa: E402
from bot.language.textnorm import Normalizer, normalize  # noqa: E402

FAQ_DIR = ROOT / "faq_data"
NEEDS_FILE = FAQ_DIR / "needs.yaml"
NOT_TOPICS = {"keywords.yaml", "synonyms.yaml", "needs.yaml"}


def _faq_entries() -> list[SimpleNamespace]:
    entries = []
    for path in sorted(FAQ_DIR.glob("*.yaml")):
        if path.name in NOT_TOPICS:
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for raw in data.get("entries") or []:
            entries.append(SimpleNamespace(
                id=raw["id"], question=str(raw["question"]),
                alternates=[str(a) for a in raw.get("alternates") or []],
                keywords=[str(k) for k in raw.get("keywords") or []]))
    return entries


@pytest.fixture(scope="module")
def norm() -> Normalizer:
    data = yaml.safe_load((FAQ_DIR / "synonyms.yaml").read_text(encoding="utf-8")) or {}
    groups = data.get("synonyms", []) if isinstance(data, dict) else data
    return Normalizer([[str(w) for w in group] for group in groups])


@pytest.fixture(scope="module")
def bundled():
    return load_needs(NEEDS_FILE)


@pytest.fixture(scope="module")
def needs(bundled) -> list[Need]:
    return bundled[0]


@pytest.fixture(scope="module")
def matcher(needs, norm) -> NeedMatcher:
    return NeedMatcher(needs, normalize=norm)


def terms_of(matcher: NeedMatcher, norm: Normalizer, text: str) -> list[str]:
    """As the bot does it: the question normalised first, then the lexicon."""
    return matcher.terms_for(norm(text))


# ---------------------------------------------------------------- the bundled file

def test_bundled_file_loads_without_problems(bundled):
    needs, problems = bundled
    assert problems == []
    assert 80 <= len(needs) <= 260


def test_bundled_file_passes_the_checks(needs, norm):
    """Every term is a word the FAQ uses; no cue is too short; every need has `when`."""
    words = faq_words(_faq_entries(), norm)
    assert len(words) > 500
    assert check_needs(needs, words, normalize=norm) == []


def test_every_need_has_two_lines_or_specific_cues(needs):
    """A need recognised by a single line must have cues of three characters or more."""
    for need in needs:
        if len(need.when) == 1:
            short = [cue for cue in need.when[0] if len(normalize(cue)) < 3]
            assert not short, f"needs.yaml 第{need.line}行: single-line need with short cues {short}"


def test_cues_still_match_after_the_bots_normalisation(needs, norm):
    """A cue rewritten by synonyms or fillers (冇电梯 → 没有电梯) has its rewritten form on the same
    line, so the lexicon works whether or not the matcher is given the normaliser."""
    for need in needs:
        for index, row in enumerate(need.when):
            forms = [normalize(cue) for cue in row]
            for cue in row:
                in_context = norm(f"x{cue}x")[1:-1]  # as inside a sentence: not at its start or end
                assert any(form and form in in_context for form in forms), \
                    f"needs.yaml 第{need.line_of_row(index)}行: “{cue}” becomes “{in_context}”"


def test_terms_given_out_are_the_faqs_normalised_words(needs, norm, matcher):
    words = "\n".join(faq_words(_faq_entries(), norm))
    given = {forms[0] for _, terms in matcher._rules for forms in terms}
    assert given and all(term in words for term in given)


# ---------------------------------------------------------------- recognising needs

POSITIVE = [
    # housing
    pytest.param("家里老楼没电梯爬楼累", ["加装电梯"], id="old-building-stairs"),
    pytest.param("我住六楼冇得电梯，腿脚不好每天爬楼梯好辛苦", ["加装电梯"], id="dialect-sixth-floor"),
    pytest.param("嗯那个就是说我家住五楼啊没有电梯老人下楼难", ["加装电梯"], id="voice-fifth-floor"),
    pytest.param("我们单位宿舍楼住6楼没电梯", ["加装电梯"], id="voice-digit-floor"),
    pytest.param("我们楼想加个电梯政府补不补钱", ["加装电梯"], id="add-an-elevator"),
    pytest.param("我们院子是八十年代的老楼，墙皮都掉了，政府改不改", ["老旧小区改造"], id="old-compound"),
    pytest.param("我屋在城边村，握手楼密密麻麻，什么时候改造", ["城中村改造"], id="urban-village"),
    pytest.param("房子要拆迁了，拆了以后住哪里", ["安置房", "房票安置"], id="demolition-where-to-live"),
    pytest.param("租不起房子，政府有没有便宜的房子租", ["保障房"], id="cannot-afford-rent"),
    pytest.param("公租房怎么申请", ["保障房"], id="public-rental"),
    pytest.param("老家的房子墙裂了快塌了", ["农村危房改造"], id="rural-dangerous-house"),
    pytest.param("镇上什么时候能通天然气，烧罐子气太不方便了", ["管道天然气"], id="town-gas"),
    # ① hardship
    pytest.param("屋里冇得收入，日子过不下去了，政府能不能帮一把", ["低保", "困难群众救助"], id="no-income"),
    pytest.param("家里困难想申请低保", ["困难群众救助"], id="names-dibao-already"),
    pytest.param("老公得了癌症花光积蓄了，有没有救助", ["社会救助"], id="serious-illness"),
    pytest.param("桥洞下面睡着个流浪汉，好可怜，谁管", ["社会救助"], id="homeless"),
    pytest.param("孩子爸妈都去世了跟着奶奶过，政府有补助吗", ["事实无人抚养儿童", "孤儿"], id="orphan"),
    pytest.param("孙子的爸爸坐牢妈妈跑了，我一个人带着他", ["事实无人抚养儿童", "孤儿"], id="parent-in-prison"),
    pytest.param("屋里细伢子冇得爹妈管，跟着我这个老娭毑过日子", ["事实无人抚养儿童", "孤儿"], id="dialect-orphan"),
    pytest.param("残疾人每个月有补贴吗", ["两项补贴"], id="disability-allowance"),
    # ② education
    pytest.param("伢子不服管教天天逃学打架，有没有学校能管", ["专门学校"], id="unruly-child"),
    pytest.param("孩子班上六七十个人挤得要死", ["大班额"], id="big-class"),
    pytest.param("幼儿园学费太贵了，有没有普惠的", ["学前教育"], id="kindergarten-fees"),
    pytest.param("乡下的学校条件太差，老师都留不住", ["乡村教育"], id="rural-school"),
    pytest.param("读技校有出路吗", ["职业教育"], id="vocational-school"),
    # ③ health
    pytest.param("换家医院又要重新拍片子，能不能不拍", ["检查检验结果互认"], id="rescan-at-another-hospital"),
    pytest.param("在市中心医院做的检查到别的医院认不认", ["检查检验结果互认"], id="results-accepted"),
    pytest.param("看个病动不动几千块，太贵了", ["医疗保障"], id="medical-costs"),
    pytest.param("住院太贵了", ["住院费用"], id="hospital-stay-costs"),
    pytest.param("在县里看不好病老是要跑长沙", ["医联体"], id="run-to-changsha"),
    pytest.param("宝宝两岁了白天没人带，有没有托儿所", ["托育服务"], id="toddler-care"),
    # ④ elderly
    pytest.param("老人吃饭没人做", ["长者餐厅"], id="elderly-meals"),
    pytest.param("屋里娭毑一个人住，中午冇得人搞饭", ["长者餐厅"], id="dialect-grandma-cooking"),
    pytest.param("我嗲嗲一个人在屋里恰饭都冇人煮", ["长者餐厅"], id="dialect-grandpa-eating"),
    pytest.param("我爸妈年纪大了做饭不方便，附近有没有吃饭的地方", ["长者餐厅"], id="parents-cooking"),
    pytest.param("子女都在外地，家里老人没人照顾", ["养老服务"], id="elderly-alone"),
    pytest.param("我妈老年痴呆了，我们上班照顾不过来", ["养老服务", "养护院"], id="dementia"),
    pytest.param("我爸的退休工资今年涨不涨", ["养老金"], id="pension"),
    pytest.param("年轻时没交社保，老了怎么办", ["全民参保", "养老保险"], id="no-social-insurance"),
    pytest.param("老人走了办后事要花好多钱", ["殡葬改革"], id="funeral-costs"),
    # ⑤ jobs
    pytest.param("五十多岁了没文化找不到事做", ["公益性岗位", "就业困难人员"], id="older-job-seeker"),
    pytest.param("我今年五十二岁了，原来在厂里上班，厂子倒闭以后一直没找到事做，家里还有老人要养，"
                 "想问问政府有没有什么安置的办法", ["公益性岗位", "就业困难人员"], id="long-laid-off"),
    pytest.param("刚毕业想留在株洲工作有什么政策", ["高校毕业生就业"], id="graduate"),
    pytest.param("我是应届研究生，来株洲上班有没有安家费", ["高校毕业生就业", "中国动力谷人才计划"], id="talent"),
    pytest.param("老板拖着工资不发，过年回不了家", ["欠薪"], id="unpaid-wages"),
    pytest.param("包工头跑路了，我的工钱找谁要", ["欠薪"], id="foreman-ran-off"),
    pytest.param("想开个小店有没有创业贷款", ["创业扶持"], id="start-a-shop"),
    pytest.param("注册个公司要跑几个窗口", ["开办企业"], id="register-company"),
    pytest.param("退伍回来想找工作有没有政策", ["退役军人"], id="veteran"),
    # government services
    pytest.param("户口在江西，身份证能在株洲办吗", ["跨省通办"], id="other-province"),
    pytest.param("我老家是江西萍乡的，现在在株洲打工，有些证明要回老家开，来回跑太远了", ["跨省通办"],
                 id="long-other-province"),
    pytest.param("办个证要跑好多部门，能不能一次办完", ["一件事一次办"], id="many-departments"),
    pytest.param("我白天要上班，晚上能不能办事", ["24小时不打烊"], id="after-hours"),
    pytest.param("在村里就能办社保吗", ["村级代办"], id="village-services"),
    # ⑥ culture and sport
    pytest.param("想去打羽毛球，哪里有便宜的场馆", ["公共体育场馆"], id="cheap-sports"),
    pytest.param("村里晚上有冇得坝坝电影看", ["公益电影"], id="village-film"),
    # ⑧ water and environment
    pytest.param("下雨天门口污水漫出来", ["雨污分流", "污水管网"], id="sewage-overflow"),
    pytest.param("一落雨屋门口的下水道就往外冒粪水，臭死了", ["雨污分流", "污水管网"], id="dialect-sewage"),
    pytest.param("我们楼里的下水道一下大雨就倒灌", ["雨污分流", "污水管网"], id="backflow-in-rain"),
    pytest.param("我们小区雨水和污水是一根管子排的", ["雨污分流"], id="combined-sewer"),
    pytest.param("河里的水黑得发臭，死鱼漂起来了", ["黑臭水体"], id="black-river"),
    pytest.param("村里的生活污水直接排到河里没人管", ["乡镇污水处理厂"], id="village-sewage"),
    pytest.param("农村的自来水经常停，水还发黄", ["农村供水"], id="rural-water"),
    pytest.param("化工厂天天冒黑烟，味道刺鼻", ["工业废气"], id="factory-smoke"),
    pytest.param("最近雾霾好严重，政府管不管", ["空气质量"], id="smog"),
    # ⑨ disability
    pytest.param("孩子坐轮椅出门难", ["无障碍改造"], id="wheelchair-going-out"),
    pytest.param("我妈偏瘫了，家里卫生间进不去，能不能帮忙改造一下", ["无障碍改造"], id="bathroom-access"),
    pytest.param("想给我爷爷配个轮椅，听说残疾人可以免费领", ["辅助器具适配"], id="wheelchair-fitting"),
    pytest.param("我耳朵背听不清，想配个助听器要多少钱", ["辅助器具适配"], id="hearing-aid"),
    pytest.param("家里有个智障的弟弟，我们白天都要上班，冇人照看他", ["残疾人托养"], id="day-care"),
    pytest.param("伢子脑瘫在做康复训练，一个月花好多钱，有没有补助", ["残疾儿童康复救助"], id="child-rehab"),
    pytest.param("腿脚不方便，想学门手艺养活自己", ["残疾人职业技能培训"], id="skills-training"),
    pytest.param("我是盲人，想学按摩，有没有免费培训", ["残疾人职业技能培训"], id="blind-massage"),
    # ⑩ emergencies
    pytest.param("电梯又坏了，上次把人关在里面半个小时", ["电梯应急处置服务平台"], id="lift-trapped"),
    pytest.param("我们村离城里远，着火了消防车半天才到", ["基层消防站"], id="fire-engine-slow"),
    pytest.param("在超市买的牛奶过期了", ["食品安全"], id="expired-milk"),
    pytest.param("外卖吃出头发还拉肚子", ["食品安全"], id="takeaway"),
    pytest.param("发大水把房子冲垮了，政府有补助吗", ["受灾救助"], id="flood-damage"),
    pytest.param("矿山上老是出事故", ["安全生产"], id="mine-accidents"),
    pytest.param("有人在我们村收保护费", ["扫黑除恶"], id="protection-money"),
    # city and transport
    pytest.param("小巷子里没有路灯，晚上黑漆漆的", ["微亮化"], id="dark-alley"),
    pytest.param("村里的路太窄了，两个车会车都难", ["农村公路"], id="narrow-village-road"),
    pytest.param("城铁早上最早几点有车", ["首班车"], id="first-train"),
    pytest.param("在长沙玩到很晚，还有城铁回株洲吗", ["末班车"], id="last-train"),
    pytest.param("去坐城铁要等多久", ["发车间隔"], id="wait"),
    pytest.param("晚上从株洲南站去长沙想快点到", ["大站直达"], id="express"),
    pytest.param("坐城际能不能直接到张家界", ["跨线列车"], id="through-train"),
    # second pass over the FAQ: health
    pytest.param("嗲嗲脑梗了，市中心医院能不能治", ["高级卒中中心"], id="stroke-dialect"),
    pytest.param("我爸中风了送哪家医院抢救", ["高级卒中中心"], id="stroke"),
    pytest.param("想生三胎，有没有补贴", ["三孩政策", "托幼服务"], id="third-child"),
    pytest.param("贫困户看病报销有什么照顾", ["健康扶贫", "四剂良方"], id="poor-patients"),
    # environment
    pytest.param("旁边工地天天灰尘漫天", ["扬尘"], id="site-dust"),
    pytest.param("种的稻谷查出镉超标", ["受污染耕地", "土壤污染"], id="cadmium-rice"),
    pytest.param("湘江里还让不让打鱼", ["十年禁渔"], id="fishing-ban"),
    pytest.param("我们喝的自来水水源干不干净", ["饮用水水源地"], id="water-source"),
    pytest.param("想带伢子散步冇得地方", ["城市公园"], id="no-park"),
    pytest.param("上坟烧纸引起山火怎么办", ["森林防灭火", "森林防火"], id="wildfire"),
    pytest.param("一下暴雨就担心水库垮坝", ["防汛", "山洪灾害"], id="reservoir-in-storm"),
    pytest.param("农村还是旱厕，臭得很", ["卫生厕所"], id="dry-toilet"),
    pytest.param("工厂排的烟好臭", ["工业废气"], id="smelly-smoke"),
    pytest.param("河里的水又黑又臭", ["黑臭水体"], id="black-and-smelly"),
    # city
    pytest.param("街上店招五花八门，有没有人管", ["户外广告和招牌"], id="shop-signs"),
    pytest.param("环卫工人夏天热得没地方歇脚喝水", ["建宁驿站"], id="rest-stop"),
    pytest.param("装修垃圾能不能回收利用", ["建筑垃圾"], id="renovation-waste"),
    pytest.param("上下班路上太堵了", ["城市保畅"], id="traffic-jam"),
    pytest.param("电动汽车找不到地方充电", ["充电桩"], id="charging"),
    # paperwork
    pytest.param("不想去大厅排队，能不能不出门办事", ["一网通办", "不见面"], id="no-queue"),
    pytest.param("以前的招工档案能不能查到", ["民生档案"], id="old-records"),
    pytest.param("办一件事要跑好几个窗口", ["一件事一次办"], id="one-errand-many-windows"),
    # work and pay
    pytest.param("以前打鱼的现在冇得事做", ["上岸渔民"], id="fishermen"),
    pytest.param("跑外卖开滴滴的人有什么保障", ["灵活就业"], id="gig-work"),
    pytest.param("老百姓挣的钱太少了", ["居民收入"], id="low-income"),
    pytest.param("城乡差距这么大，政府怎么缩小", ["收入差距"], id="income-gap"),
    pytest.param("厂里效益不好，政府对企业不裁员有什么支持", ["援企稳岗"], id="keep-jobs"),
    pytest.param("从来没交过社保，老了怎么办", ["全民参保", "养老保险"], id="never-paid-in"),
    # school, elderly, housing
    pytest.param("孩子作业负担太重，补习班还让上吗", ["双减"], id="homework-load"),
    pytest.param("想当志愿者陪老人，以后自己老了也有人照顾", ["爱心时间银行"], id="time-bank"),
    pytest.param("爹娘年纪大了一个人在屋里，中饭冇人做", ["长者餐厅"], id="parents-lunch"),
    pytest.param("屋里老人膝盖不好，住的楼又冇得电梯", ["加装电梯"], id="knees-no-lift"),
    pytest.param("小区外墙掉皮水管老是爆，能不能轮到改造", ["老旧小区改造"], id="worn-estate"),
    pytest.param("乡下老房子墙都裂了", ["农村危房改造"], id="cracked-walls"),
    # rural
    pytest.param("脱了贫的人家又变穷了", ["防返贫", "防止返贫"], id="back-into-poverty"),
    pytest.param("村里来的第一书记是做什么的", ["驻村工作队"], id="first-secretary"),
    pytest.param("屋里种的橘子卖不出去，想在网上卖", ["农村电商"], id="oranges-online"),
    pytest.param("屋里田土想租出去给别人种", ["农村产权流转交易中心"], id="rent-out-land"),
    # market, army families, culture, trains
    pytest.param("株洲的夜市夜宵以后会搞起来吗", ["夜间经济", "消费升级"], id="night-market"),
    pytest.param("我家的商标被人仿冒了", ["知识产权"], id="trademark"),
    pytest.param("怕在药店买到假药", ["药品安全"], id="fake-medicine"),
    pytest.param("军人家属在株洲有什么优待", ["拥军优属", "双拥"], id="army-family"),
    pytest.param("带学生去参观革命旧址", ["红色研学"], id="revolutionary-sites"),
    pytest.param("能不能去中车的工厂参观", ["工业旅游"], id="factory-visit"),
    pytest.param("晚上有没有不是站站停的城铁去长沙", ["大站直达"], id="not-every-stop"),
    # third pass: trains, roads, towns, money
    pytest.param("城铁的时刻表是不是改了", ["新运行图", "调图"], id="new-timetable"),
    pytest.param("城铁一天开几趟车", ["开行对数"], id="trains-a-day"),
    pytest.param("醴陵以后能不能坐城铁", ["株醴线"], id="liling-rail"),
    pytest.param("渌口会不会通城铁", ["株渌线"], id="lukou-rail"),
    pytest.param("厨余垃圾和干垃圾要分开扔吗", ["垃圾分类"], id="sorting-waste"),
    pytest.param("绕城的环城路全部修通了吗", ["城市快速环线"], id="ring-road"),
    pytest.param("坐飞机老要跑长沙", ["机场"], id="airport"),
    pytest.param("株洲火车站太旧了", ["火车站改扩建"], id="old-station"),
    pytest.param("攸县会不会改成县级市", ["撤县设市"], id="youxian-city"),
    pytest.param("旧车能从株洲卖到国外去吗", ["二手车出口"], id="used-car-export"),
    pytest.param("房贷利率是根据什么定的", ["LPR", "贷款市场报价利率"], id="mortgage-rate"),
    pytest.param("我爸心梗了叫救护车送哪", ["急救中心"], id="heart-attack"),
    pytest.param("炎陵茶陵现在还是贫困县吗", ["脱贫攻坚"], id="poor-counties"),
    pytest.param("政府的钱花在老百姓身上的多不多", ["民生支出"], id="public-spending"),
    pytest.param("坐火车去韶山井冈山有没有专线", ["红色旅游铁路专线"], id="red-railway"),
    # fourth pass: the same needs in more words (dialect, numbers, voice)
    pytest.param("我家老人住顶楼，下个楼要半个钟头", ["加装电梯"], id="top-floor"),
    pytest.param("单位的老宿舍破得不成样子了，政府会不会来改", ["老旧小区改造"], id="run-down-dorm"),
    pytest.param("在人民医院做的CT拿到中心医院还要重新做吗", ["检查检验结果互认"], id="ct-again"),
    pytest.param("抽了血去另一个医院又要抽，搞么子名堂", ["检查检验结果互认"], id="blood-again-dialect"),
    pytest.param("屋里老倌子一个人在家，恰饭都成问题", ["长者餐厅"], id="grandpa-meals-dialect"),
    pytest.param("快六十岁了还想找个事做", ["公益性岗位", "就业困难人员"], id="nearly-sixty"),
    pytest.param("镇上着了火，消防车从城里开过来要一个钟头", ["基层消防站"], id="fire-engine-an-hour"),
    pytest.param("包工头欠我工钱一年了", ["欠薪"], id="owed-a-year"),
    pytest.param("老人完全不能动了，想送到公家的养老院", ["养护院"], id="bedridden"),
    pytest.param("我爸瘫在床上，家里人照顾不了", ["养老服务", "养护院"], id="cannot-care"),
    pytest.param("河沟里的水黑得像墨汁", ["黑臭水体"], id="ink-black-ditch"),
    pytest.param("空气是不是比以前好了", ["空气质量"], id="air-better"),
    pytest.param("乡里的路坑坑洼洼的", ["农村公路"], id="potholes-dialect"),
    pytest.param("伢子在学校被人带坏了", ["专门学校"], id="led-astray"),
    # fifth pass
    pytest.param("在中心医院看个病要跑好几个窗口", ["一站式服务中心"], id="hospital-windows"),
    pytest.param("湘江大道上那个像火车一样的公交是什么", ["智轨"], id="rail-less-tram"),
    pytest.param("孩子不爱看书只玩手机", ["学生阅读提升行动"], id="reading"),
    pytest.param("学校的体育课老是被占", ["体教融合"], id="pe-lessons"),
    pytest.param("老人不想去养老院，在家养老有人上门服务吗", ["居家养老", "社区养老"], id="home-care"),
    pytest.param("几个老人想搭伙一起养老", ["互助养老"], id="mutual-care"),
    pytest.param("株洲怎么减少二氧化碳排放", ["碳达峰"], id="co2"),
    pytest.param("山上的树被人乱砍", ["林长制"], id="illegal-logging"),
    pytest.param("刚毕业租房子太贵了，政府有没有便宜的", ["保障房"], id="graduate-rent"),
    pytest.param("工地晚上施工太吵，灰也大", ["扬尘"], id="site-dust-at-night"),
]

NEGATIVE = [
    "今天下雨了吗", "城铁末班车几点", "株洲有什么好吃的", "我想投诉小区物业", "明天株洲天气怎么样",
    "长者餐厅今年建几家", "株洲方特怎么去", "附近哪里有银行", "我家的猫丢了", "小区停车位太少了",
    "楼上邻居太吵了怎么办", "电费在哪里交", "身份证过期了怎么补办", "孩子上小学要准备什么材料", "办护照去哪里",
    "考驾照要多长时间", "医院几点上班", "老人坐公交免费吗", "城铁票价多少钱", "楼下餐馆油烟太大",
    "下大雨路上积水了", "手机没信号", "你是机器人吗", "公积金怎么提取", "哪里可以打疫苗",
    "孩子发烧去哪家医院好", "株洲南站怎么坐公交", "今天空气怎么样", "家里wifi坏了", "我爸今年退休了",
    "小孩作业怎么辅导", "城铁上能吃东西吗", "买房贷款利率多少", "老人过生日去哪里吃饭好", "爸妈来株洲玩住哪里好",
    "电梯广告太多了", "城铁几点开始检票", "我想去长沙玩", "株洲到长沙的高速收费多少", "孩子几岁可以上幼儿园",
    "工资条在哪里打印", "办事大厅几点下班", "周末株洲有什么活动", "新房子装修甲醛多久能散", "株洲到长沙多远",
    "2025年十大民生实事有哪些", "城中村改造今年改多少户", "老旧小区改造多少个", "跨省通办能办多少项", "谢谢",
    # near the cues of the second pass, but not the needs
    "株洲南站有没有电梯", "工地招聘信息在哪看", "自来水费怎么交", "电动车上牌去哪里", "档案馆几点开门",
    "我想当志愿者", "夜市在哪里", "商标注册要什么材料", "药店几点关门", "外卖员怎么注册",
    "路上注意安全", "老板今天不在", "爸妈来了晚饭去哪家餐馆", "下大雨开车要注意什么", "上市公司有哪些",
    "年纪大了记性不好", "村里的厕所在哪", "湘江风光带怎么走",
    "城铁票在哪里买", "醴陵瓷器哪里买", "垃圾桶在哪里", "存款利率是多少", "火车站怎么走", "攸县有什么好吃的",
    "二手车怎么过户", "心里烦", "韶山好玩吗", "空气净化器哪里买", "我拍的片子好看吗", "CT室在几楼",
    "老人家喜欢吃什么", "工钱怎么算", "医院挂号怎么挂", "湘江大道怎么走", "孩子看书近视了", "体育课上什么",
    "养老院一个月多少钱", "砍树要办证吗", "湘江的鱼能吃吗", "晚上去哪里吃夜宵", "房东不退押金", "楼上漏水到我家怎么办",
    "中车招聘要求是什么", "我想去当兵",
]


@pytest.mark.parametrize("text, expected", POSITIVE)
def test_needs_are_recognised(matcher, norm, text, expected):
    assert sorted(terms_of(matcher, norm, text)) == sorted(norm(t) for t in expected)


@pytest.mark.parametrize("text", NEGATIVE)
def test_ordinary_messages_get_no_terms(matcher, norm, text):
    assert terms_of(matcher, norm, text) == []


def test_counts_of_examples():
    assert len(POSITIVE) >= 160 and len(NEGATIVE) >= 80


def test_matcher_without_the_normaliser_gives_the_same_needs(needs, matcher, norm):
    """The file lists both forms of a rewritten cue, so a matcher built without the synonyms
    recognises the same needs in normalised text."""
    plain = NeedMatcher(needs)
    for param in POSITIVE:
        text, _ = param.values
        assert sorted(norm(t) for t in plain.terms_for(norm(text))) == sorted(matcher.terms_for(norm(text))), text
    for text in NEGATIVE:
        assert plain.terms_for(norm(text)) == []


def test_terms_the_question_already_has_are_left_out(matcher, norm):
    assert terms_of(matcher, norm, "老楼没电梯爬楼累，加装电梯怎么申请") == []
    assert terms_of(matcher, norm, "拆迁以后住哪里，房票怎么用") == ["安置房"]  # 房票 → 房票安置


def test_explain_names_the_cues_found(matcher, norm):
    [(need, hits)] = matcher.explain(norm("家里老楼没电梯爬楼累"))
    assert need.terms == ("加装电梯",)
    assert hits == [["老楼"], ["没电梯", "爬楼"]]


# ---------------------------------------------------------------- through the whole decision

REACHED = [  # one question per need group of the second pass: the entry the described need asks about
    pytest.param("我爸中风了，株洲有没有专门抢救中风的医院", "yl-zhongxin-yiyuan-chengji", id="stroke"),
    pytest.param("贫困户看病难，株洲是怎么帮的", "xc-jiankang-fupin", id="poor-patients"),
    pytest.param("旁边工地天天灰尘漫天，政府管不管", "st-2021-kongqi-mubiao", id="site-dust"),
    pytest.param("种的稻谷重金属超标，株洲对这种田有什么治理目标", "st-2021-turang-mubiao", id="cadmium-rice"),
    pytest.param("我们喝的自来水水源干不干净", "st-2021-yinshui-anquan", id="water-source"),
    pytest.param("想带伢子散步冇得地方，株洲在建哪些公园", "cg-2021-gongyuan-jianshe", id="no-park"),
    pytest.param("一下暴雨就担心水库垮坝", "aq-2021-fangxun", id="reservoir-in-storm"),
    pytest.param("农村还是旱厕，臭得很，能不能改", "xc-2020-weisheng-cesuo", id="dry-toilet"),
    pytest.param("街上店招五花八门，株洲有没有评比活动", "mc2025-sanmei-huodong", id="shop-signs"),
    pytest.param("环卫工人夏天热得没地方歇脚喝水", "cg-jianning-yizhan", id="rest-stop"),
    pytest.param("上下班路上太堵了，交警有什么办法", "jt-shisiwu-jiaojing-gongjian", id="traffic-jam"),
    pytest.param("不想去大厅排队，有没有不出门就能办事的办法", "zw-2021-24xiaoshi-budayang", id="no-queue"),
    pytest.param("以前的招工档案能不能查到", "wh-2021-danganguan", id="old-records"),
    pytest.param("以前打鱼的现在冇得事做，政府帮不帮找工作", "jy-2020-jiuye-15tiao", id="fishermen"),
    pytest.param("跑外卖开滴滴的人，以后政府有什么保障", "jy-wunian-jiuye-shouru", id="gig-work"),
    pytest.param("老百姓挣的钱太少了，以后几年收入能涨多少", "jy-wunian-jiuye-shouru", id="low-income"),
    pytest.param("厂里效益不好，政府对企业不裁员有什么支持", "jy-2021-chuangye-wenqi", id="keep-jobs"),
    pytest.param("想当志愿者陪老人，以后自己老了也有人照顾", "yj-2021-aixin-shijian-yinhang", id="time-bank"),
    pytest.param("脱了贫的人家又变穷了，政府有什么办法", "xc-wunian-xiangcun-zhenxing", id="back-into-poverty"),
    pytest.param("屋里种的橘子卖不出去，想在网上卖", "dt2021-liling-nongcun-dianshang", id="oranges-online"),
    pytest.param("屋里田土想租出去，有冇得交易的地方", "xc-2020-nongcun-chanquan", id="rent-out-land"),
    pytest.param("株洲的夜市夜宵以后会搞起来吗", "jj-2021-shangwu-xiaofei", id="night-market"),
    pytest.param("我家的商标被人仿冒了", "sc-2021-zhiliang-zhishichanquan", id="trademark"),
    pytest.param("怕在药店买到假药，株洲对药品怎么监管", "sc-2021-sida-anquan", id="fake-medicine"),
    pytest.param("军人家属在株洲有什么优待", "ty-shuangyong-mofancheng", id="army-family"),
    pytest.param("带学生去参观革命旧址", "wh-2020-gongye-hongse-lvyou", id="revolutionary-sites"),
    pytest.param("旧车能从株洲出口卖到国外吗", "jj-2020-ershouche-chukou", id="used-car-export"),
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> Engine:
    """The bot over the FAQ the staff edit, lexicon included."""
    return Engine(Config(faq_dir=FAQ_DIR, data_dir=tmp_path_factory.mktemp("data"),
                         public_base_url="https://bot.example.cn"))


@pytest.mark.parametrize("text, faq_id", REACHED)
def test_described_needs_reach_their_entry(engine, text, faq_id):
    assert engine.index.needs.terms_for(engine.index.normalize(text)), "the lexicon adds no FAQ words"
    reply = engine.respond(text)[0]
    assert (reply.kind, reply.faq_id) == ("answer", faq_id)


def test_without_the_lexicon_few_of_them_are_reached(engine, monkeypatch):
    """The lexicon is what takes these questions to their entries: with an empty one, most are not."""
    monkeypatch.setattr(engine.index, "needs", NeedMatcher([]))
    reached = [text for text, faq_id in (p.values for p in REACHED) if _answered_by(engine.index, text) == faq_id]
    assert len(reached) <= len(REACHED) // 4, reached


def _answered_by(index, text) -> str | None:
    decision = decide(index, text)
    return decision.entry.id if decision.kind == "answer" and decision.entry else None


@pytest.mark.slow
def test_the_lexicon_takes_no_entry_away_from_its_own_phrasings(engine, monkeypatch):
    """Rule 3 of the file's header, checked on the FAQ itself: no cue is so broad that a question or
    alternate the staff wrote is answered by its own entry without the lexicon and not with it."""
    phrasings = [(text, entry.id) for entry in _faq_entries() for text in (entry.question, *entry.alternates)]
    with_lexicon = {text for text, faq_id in phrasings if _answered_by(engine.index, text) == faq_id}
    monkeypatch.setattr(engine.index, "needs", NeedMatcher([]))
    without = {text for text, faq_id in phrasings if _answered_by(engine.index, text) == faq_id}
    assert len(phrasings) > 1000 and len(without) > 900
    assert sorted(without - with_lexicon) == []


# ---------------------------------------------------------------- the matcher on hand-made needs

def test_every_line_must_match_and_any_cue_of_a_line_does():
    matcher = NeedMatcher([Need(("加装电梯",), (("老楼", "旧楼"), ("没电梯", "爬楼")), 3)])
    assert matcher.terms_for("旧楼爬楼太累") == ["加装电梯"]
    assert matcher.terms_for("老楼没电梯") == ["加装电梯"]
    assert matcher.terms_for("老楼很漂亮") == []
    assert matcher.terms_for("爬楼锻炼身体") == []
    assert matcher.terms_for("") == []


def test_overlapping_cues_are_all_found():
    """“没电梯” holds “电梯”; “住六楼” and “六楼没” overlap: every cue at every position counts."""
    matcher = NeedMatcher([
        Need(("加装电梯",), (("电梯",), ("没电梯",)), 1),
        Need(("既有住宅",), (("住六楼",), ("六楼没",)), 2),
    ])
    assert matcher.terms_for("住六楼没电梯") == ["加装电梯", "既有住宅"]


def test_terms_keep_the_order_of_the_file_and_appear_once():
    matcher = NeedMatcher([
        Need(("雨污分流", "污水管网"), (("污水",), ("下雨",)), 1),
        Need(("雨污分流",), (("雨水",), ("污水",)), 5),
        Need(("黑臭水体",), (("臭水",),), 9),
    ])
    assert matcher.terms_for("下雨雨水污水臭水") == ["雨污分流", "污水管网", "黑臭水体"]


def test_a_need_without_when_never_fires():
    matcher = NeedMatcher([Need(("低保",), (), 1)])
    assert matcher.terms_for("低保 困难 救助") == []


def test_cues_and_terms_are_normalised_like_the_text():
    norm = Normalizer([["没有", "冇得", "冇"], ["残疾人", "残疾朋友"]])
    matcher = NeedMatcher([Need(("两项补贴",), (("残疾朋友",), ("冇补贴",)), 1)], normalize=norm)
    assert matcher.terms_for(norm("残疾朋友冇补贴")) == ["2项补贴"]  # numerals as the FAQ has them
    app = NeedMatcher([Need(("诸事达",), (("ＡＰＰ",), ("办事",)), 1)])  # full width, upper case
    assert app.terms_for(norm("办事用哪个App")) == ["诸事达"]


# ---------------------------------------------------------------- bad files

def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "needs.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_and_empty_files_are_not_problems(tmp_path):
    assert load_needs(tmp_path / "needs.yaml") == ([], [])
    assert load_needs(write(tmp_path, "# 还没有内容\n")) == ([], [])
    assert load_needs(write(tmp_path, "needs:\n")) == ([], [])


def test_missing_terms_names_the_line(tmp_path):
    path = write(tmp_path, """\
needs:
  - terms: [加装电梯]
    when:
      - [老楼]
      - [没电梯]
  - when:
      - [污水]
      - [下雨]
  - terms: []
    when:
      - [雨水]
""")
    needs, problems = load_needs(path)
    assert [n.terms for n in needs] == [("加装电梯",)]
    assert needs[0].line == 2 and needs[0].when_lines == (4, 5)
    assert problems == ["needs.yaml 第6行：terms 不能为空", "needs.yaml 第9行：terms 不能为空"]


def test_when_must_be_a_list_of_lists(tmp_path):
    path = write(tmp_path, """\
needs:
  - terms: [加装电梯]
    when: [老楼, 没电梯]
  - terms: [雨污分流]
    when:
      - [污水]
      - 下雨
  - terms: [低保]
    when: 困难
  - terms: [长者餐厅]
    when:
      - []
  - terms: [公益电影]
    when:
      - [电影]
      - {免费: 露天}
""")
    needs, problems = load_needs(path)
    assert needs == []
    assert len(problems) == 5
    assert problems[0].startswith("needs.yaml 第3行：when 的每一行都应写成列表")
    assert "- [老楼, 没电梯]" in problems[0]
    assert problems[1].startswith("needs.yaml 第7行：when 的每一行都应写成列表")
    assert problems[2].startswith("needs.yaml 第9行：when 应为几行提示词")
    assert problems[3].startswith("needs.yaml 第12行：when 的这一行是空的")
    assert problems[4].startswith("needs.yaml 第16行：when 的每一行都应写成列表")


def test_yaml_syntax_error_names_the_line(tmp_path):
    path = write(tmp_path, """\
needs:
  - terms: [加装电梯]
    when:
      - [老楼, 旧楼
      - [没电梯]
""")
    needs, [problem] = load_needs(path)
    assert needs == []
    assert problem.startswith("needs.yaml 第4行：YAML格式错误：方括号没有闭合")  # where the "[" is left open
    path = write(tmp_path, "needs:\n  - terms: [低保]\n   when:\n      - [困难]\n")
    needs, [problem] = load_needs(path)
    assert needs == [] and problem.startswith("needs.yaml 第3行：YAML格式错误")


def test_other_mistakes_are_named(tmp_path):
    path = write(tmp_path, """\
needs:
  - terms: [加装电梯]
    wehn:
      - [老楼]
  - 加装电梯
  - terms: {a: b}
    when:
      - [老楼]
      - [没电梯]
  - terms: [低保]
    when:
      - [困难]
    when:
      - [救助]
other: 1
""")
    needs, problems = load_needs(path)
    assert needs == []
    assert problems == [
        "needs.yaml 第15行：未知的顶层字段“other”（只应有 needs）",
        "needs.yaml 第3行：未知字段“wehn”（可用字段：terms、when、note）",
        "needs.yaml 第5行：每条需求应以“- terms: [FAQ里的词]”开头，下面写 when（几行提示词）",
        "needs.yaml 第6行：terms 应为词语列表，如 [加装电梯, 老旧小区]",
        "needs.yaml 第13行：这条需求的“when”写了两次，请合并成一个",
    ]
    _, [problem] = load_needs(write(tmp_path, "- terms: [低保]\n"))
    assert problem == "needs.yaml 第1行：文件应以“needs:”开头，下面每条需求以“- terms:”开始"
    path = tmp_path / "needs.yaml"
    path.write_bytes("needs:\n  - terms: [低保]\n".encode("gbk"))
    _, [problem] = load_needs(path)
    assert problem.startswith("needs.yaml：文件不是UTF-8编码")


def test_a_byte_order_mark_is_fine(tmp_path):
    path = tmp_path / "needs.yaml"
    path.write_text("needs:\n  - terms: [低保]\n    when:\n      - [家里困难]\n", encoding="utf-8-sig")
    needs, problems = load_needs(path)
    assert problems == [] and needs == [Need(("低保",), (("家里困难",),), 2)]


def test_a_lone_word_is_accepted_for_terms_and_numbers_as_words(tmp_path):
    needs, problems = load_needs(write(tmp_path, """\
needs:
  - terms: 加装电梯
    note: 老楼
    when:
      - [住6楼, 2025]
      - [没电梯]
"""))
    assert problems == []
    assert needs == [Need(("加装电梯",), (("住6楼", "2025"), ("没电梯",)), 2)]


# ---------------------------------------------------------------- check_needs

def test_check_names_unused_terms_short_cues_and_missing_when(tmp_path):
    needs, problems = load_needs(write(tmp_path, """\
needs:
  - terms: [加装电梯, 电梯保险]
    when:
      - [楼, 老楼]
      - [没电梯吗, 就是爬楼]
  - terms: [低保]
"""))
    assert problems == []
    warnings = check_needs(needs, {"2020年株洲老房子加装电梯多少台", "低保"})
    assert warnings[0].startswith("needs.yaml 第2行：terms 里的“电梯保险”在FAQ的问题、其他问法和关键词里都没有出现")
    assert warnings[1].startswith("needs.yaml 第4行：提示词“楼”不到2个字")
    assert warnings[2].startswith("needs.yaml 第5行：提示词“没电梯吗”以语气词结尾")
    assert warnings[3].startswith("needs.yaml 第5行：提示词“就是爬楼”含有口头语“就是”")
    assert warnings[4] == "needs.yaml 第6行：这条需求没有 when（提示词），永远不会生效"
    assert len(warnings) == 5


def test_faq_words_are_normalised_phrasings():
    entry = SimpleNamespace(question="老房子加装电梯", alternates=["老楼装电梯"], keywords=["两项补贴"])
    assert faq_words([entry]) == {"老房子加装电梯", "老楼装电梯", "2项补贴"}
    norm = Normalizer([["加装电梯", "装电梯"]])
    assert faq_words([entry], norm) == {"老房子加装电梯", "老楼加装电梯", "2项补贴"}


def test_scanning_is_cheap_on_long_messages(matcher, norm):
    """Not a timing test: a long message is scanned once, whatever it holds."""
    text = norm("我住六楼没电梯" * 200)
    assert matcher.terms_for(text) == ["加装电梯"]
