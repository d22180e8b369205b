"""`python -m tests.bench`: synthetic FAQs and the speed and memory figures.

The generator writes a FAQ directory in exactly the staff format of `faq_data/` (topic files of
1000 entries: question, alternates, keywords, answer, detail, source), deterministic for a seed,
so the same directory can be served unchanged with `FAQ_DIR=…`. For each size the bench then
measures, each in a fresh process where it matters:

* build      – Index.build (jieba + pinyin + postings in sqlite), as recorded in the index itself;
* load       – load_faq (YAML parsing with line numbers and checks), in process;
* cold start – process start to first answer of `python -m bot ask …`, without and with the
               cached index, and the peak RSS of those processes (getrusage of the child,
               started from a small Launcher process);
* latency    – engine.respond over generated queries (exact questions, alternates with sound
               typos, out-of-scope questions), p50/p99 in process: a first pass, where every
               entry is read and decoded for the first time, then other queries once warmed up
               as a server is (Engine.warm_up);
* server     – `python server.py` on the 10k FAQ until GET /healthz answers 200.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from bot.config import PROJECT_ROOT

DEFAULT_SIZES = (200, 10_000, 100_000)
ENTRIES_PER_FILE = 1000
GENERATOR_VERSION = "1"

# Targets of the issue: (figure, size, limit, unit).
TARGETS = [
    ("p99_ms", 10_000, 2.0, "ms"),
    ("p99_ms", 100_000, 10.0, "ms"),
    ("server_healthy_s", 10_000, 10.0, "s"),
    ("cold_cached_s", 100_000, 3.0, "s"),
    ("rss_cold_mb", 100_000, 500.0, "MB"),
    ("rss_cached_mb", 100_000, 500.0, "MB"),
]

# ---------------------------------------------------------------- word lists

PLACES = [
    "天元区", "芦淞区", "荷塘区", "石峰区", "渌口区", "醴陵市", "攸县", "茶陵县", "炎陵县", "云龙示范区",
    "栗雨街道", "嵩山路街道", "泰山路街道", "马家河街道", "建设街道", "宋家桥街道", "月塘街道", "龙头铺街道",
    "白关镇", "雷打石镇", "仙庾镇", "群丰镇", "明照街道", "枫溪街道", "金山街道", "清水塘街道",
]
NAME_HEADS = [
    "神农", "栗雨", "枫溪", "湘江", "建宁", "炎帝", "白石", "凿石", "洪家", "九方", "荷塘", "桂花", "樟树",
    "红港", "响石", "时代", "新华", "人民", "长江", "黄河", "珠江", "株洲", "庆云", "文化", "向阳", "杉木",
    "石宋", "田心", "董家", "龙母", "仙月", "万丰", "大京", "五里墩", "曲尺", "铜塘", "姚家坝", "清石",
    "明照", "太和", "云田", "新马", "银海", "湖塘", "金水", "湘天", "仙井", "合泰", "贺家土", "珍珠",
]
NAME_TAILS = [
    "社区", "小区", "片区", "路", "大道", "公园", "广场", "新村", "家园", "苑", "花园", "学校", "卫生院",
    "敬老院", "市场", "安置区", "工业园", "桥", "港", "站",
]

# Each topic: (file stem, id prefix, category, subjects, aspects).
# An aspect: (keyword, question tail, alternate tails, answer template).
_COMMON_ASPECTS = [
    ("完成情况", "完成得怎么样", ["进展如何", "搞得怎么样了", "做完没有"],
     "{year}年{place}{subject}已完成年度计划的{pct}%，累计完成{n}个点位。"),
    ("投资金额", "投了多少钱", ["花了多少资金", "总投资多少", "投资规模有多大"],
     "{year}年{place}{subject}总投资约{money}万元，其中财政资金{money2}万元。"),
    ("受益人数", "惠及多少人", ["有多少人受益", "覆盖多少居民", "多少户能享受到"],
     "{year}年{place}{subject}共惠及群众{n}户、约{people}人。"),
    ("开工时间", "什么时候开工", ["哪天开始做", "啥时候动工", "几月份开工"],
     "{place}{subject}于{year}年{month}月开工，计划{year2}年底前完成。"),
    ("申请条件", "需要什么条件才能申请", ["哪些人可以申请", "申请要满足什么条件", "符合什么条件能办"],
     "申请{subject}需具有{place}户籍或在{place}连续居住满{k}年，并按规定提交身份证明和相关材料。"),
    ("办理地点", "到哪里去办理", ["在哪个窗口办", "去哪里申请", "办理地点在哪"],
     "{subject}可到{place}政务服务中心{k}号窗口办理，也可在“株洲政务服务”网上申请。"),
    ("补贴标准", "补贴标准是多少", ["能补多少钱", "补助有多少", "每户补贴多少"],
     "{year}年{place}{subject}补贴标准为每户{money}元，按季度发放。"),
    ("办理时限", "多久能办下来", ["要等几天", "办理需要多长时间", "几个工作日办好"],
     "{subject}材料齐全的，{place}承诺在{k}个工作日内办结。"),
    ("年度目标", "今年的目标是什么", ["计划完成多少", "年度任务是多少", "目标定了多少"],
     "{year}年{place}{subject}的目标是完成{n}个项目，年底前全部交付使用。"),
    ("所需材料", "要准备哪些材料", ["需要带什么材料", "提交什么资料", "要哪些证件"],
     "办理{subject}需携带身份证、户口簿及{place}出具的相关证明，共{k}类材料。"),
]
TOPICS = [
    ("zhufang", "zf", "住房与城市更新",
     ["老旧小区改造", "棚户区改造", "加装电梯", "公租房保障", "保障性租赁住房", "城中村改造", "危房改造",
      "住房公积金提取", "物业服务提质", "背街小巷改造", "雨污分流改造", "二次供水改造"]),
    ("yiliao", "yl", "医疗卫生",
     ["家庭医生签约", "城乡居民医保", "门诊慢特病", "基层卫生院建设", "两癌免费筛查", "新生儿疾病筛查",
      "村卫生室改造", "异地就医备案", "医保报销", "免费孕前检查", "心理健康服务", "120急救站点"]),
    ("yanglao", "ylj", "养老与救助",
     ["老年助餐服务", "居家养老服务", "养老机构建设", "高龄津贴", "城乡低保", "特困人员供养", "临时救助",
      "残疾人两项补贴", "困难群众救助", "适老化改造", "长者食堂", "孤儿基本生活保障"]),
    ("jiuye", "jy", "就业",
     ["高校毕业生就业", "创业担保贷款", "零工驿站", "职业技能培训", "稳岗返还", "农民工返乡创业",
      "就业见习补贴", "公益性岗位", "失业保险金", "灵活就业社保补贴", "家政服务培训", "退役军人就业"]),
    ("jiaoyu", "jyu", "教育",
     ["公办幼儿园建设", "义务教育学位", "中小学课后服务", "学生资助", "校园食堂提质", "教师招聘",
      "职业教育", "特殊教育", "学前教育补助", "营养改善计划", "乡村学校建设", "研学实践基地"]),
    ("jiaotong", "jt", "城铁与交通",
     ["长株潭城铁", "公交线路优化", "智轨线路", "农村公路建设", "停车场建设", "充电桩建设",
      "公共自行车", "道路提质改造", "城市快速路", "交通信号优化", "客运站改造", "定制公交"]),
    ("shengtai", "st", "生态环境",
     ["湘江保护", "黑臭水体治理", "污水处理厂建设", "垃圾分类", "城市绿道", "口袋公园", "空气质量改善",
      "土壤污染治理", "乡镇污水管网", "河长制", "清水塘老工业区搬迁", "森林城市建设"]),
    ("zhengwu", "zw", "政务服务",
     ["一件事一次办", "政务服务中心", "不动产登记", "企业开办", "社保卡办理", "户籍办理", "居住证办理",
      "12345热线", "跨省通办", "电子证照", "帮办代办服务", "惠企政策兑现"]),
    ("minsheng", "ms", "民生实事",
     ["十大民生实事", "农贸市场提质", "城乡供水一体化", "农村厕所改造", "平安校园建设", "食品安全检测",
      "便民服务中心", "社区嵌入式服务", "全民健身设施", "农家书屋", "老年教育", "婴幼儿托育"]),
    ("wenti", "wt", "文化体育",
     ["公共图书馆", "文化馆免费开放", "体育场馆开放", "送戏下乡", "全民阅读", "城市书房", "非遗保护",
      "博物馆建设", "群众文化活动", "体育赛事", "健身步道", "乡村文化广场"]),
]
OUT_OF_SCOPE = [
    "明天长沙天气怎么样", "推荐一部好看的电影", "株洲哪家火锅最好吃", "帮我查一下我的驾照扣了几分", "你是机器人吗",
    "周杰伦什么时候开演唱会", "怎么减肥最快", "比特币现在多少钱", "今晚有没有足球比赛", "怎么做红烧肉",
    "我家猫不吃饭怎么办", "iPhone哪个型号最好", "去北京的机票多少钱", "世界上最高的山是哪座", "帮我写一首诗",
    "股票明天会涨吗", "给我讲个笑话", "怎么学好英语", "附近哪里有加油站", "高考志愿怎么填",
]
_OOS_HEADS = ["请问", "我想知道", "有没有人知道", "问一下", ""]
_OOS_TAILS = ["啊", "呢", "", "？", "谢谢"]
# Same-sound slips of pinyin input and speech recognition.
HOMOPHONES = {
    "城": "成", "造": "照", "者": "着", "补": "不", "贴": "帖", "申": "身", "请": "情", "养": "样", "老": "劳",
    "医": "衣", "保": "宝", "区": "去", "改": "该", "办": "半", "理": "里", "标": "表", "准": "谁",
    "业": "夜", "就": "旧", "资": "姿", "金": "今", "工": "公", "程": "成", "建": "见", "设": "社",
    "路": "录", "站": "战", "园": "元", "时": "十", "间": "见", "多": "朵", "钱": "前", "少": "绍",
    "条": "调", "件": "见", "材": "才", "料": "了", "务": "物", "服": "福", "政": "正", "策": "测",
}
_QUESTION_HEADS = ["", "", "请问", "想了解一下", "株洲"]
_COLLOQUIAL = ["我们那边的", "听说", "想问问", "家里老人问", "朋友说"]


def _entry(rng: random.Random, topic, index: int, combo: tuple) -> dict:
    stem, prefix, category, subjects = topic
    s_i, a_i, p_i, year = combo
    subject, place = subjects[s_i], PLACES[p_i]
    keyword, q_tail, alt_tails, answer_tpl = _COMMON_ASPECTS[a_i]
    name = rng.choice(NAME_HEADS) + rng.choice(NAME_TAILS)
    values = dict(year=year, year2=year + rng.randint(0, 2), place=place, subject=subject,
                  pct=rng.randint(60, 130), n=rng.randint(3, 900), money=rng.randint(50, 90_000),
                  money2=rng.randint(10, 5000), people=rng.randint(500, 200_000),
                  month=rng.randint(1, 12), k=rng.randint(1, 30))
    question = f"{rng.choice(_QUESTION_HEADS)}{year}年{place}{subject}{q_tail}？"
    alternates = [
        f"{place}{subject}{alt_tails[0]}",
        f"{subject} {keyword} {year}",
        f"{rng.choice(_COLLOQUIAL)}{place}{subject}{rng.choice(alt_tails[1:])}",
    ]
    if rng.random() < 0.5:
        alternates.append(f"{name}{subject}{rng.choice(alt_tails)}")
    answer = (f"据{year}年株洲市{category}工作报告，" + answer_tpl.format(**values)
              + f"其中{name}等{rng.randint(2, 40)}个点位已先行实施。具体以{place}相关部门发布为准。")
    entry = {
        "id": f"{prefix}{year}-{index:06d}",
        "question": question,
        "alternates": alternates,
        "keywords": [subject, keyword, place, name],
        "answer": answer,
    }
    if rng.random() < 0.4:
        entry["detail"] = (f"{year}年，{place}把{subject}列入年度重点工作，由{category}部门牵头，"
                           f"分{rng.randint(2, 6)}批推进，涉及{name}等{rng.randint(3, 60)}个点位。"
                           f"群众可通过12345热线反映问题，相关部门在{rng.randint(1, 7)}个工作日内答复。")
    if rng.random() < 0.2:
        entry["link"] = f"https://www.zhuzhou.gov.cn/c{rng.randint(1000, 99999)}/{year}{index:06d}.html"
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    entry["source"] = {"report": f"{year}_{stem}_{rng.randint(1, 40):03d}.txt",
                       "title": f"株洲日报：{year}年{place}{subject}工作情况",
                       "date": f"{year}-{month:02d}-{day:02d}"}
    return entry


def _yaml_list_item(text: str) -> str:
    return text  # the generated texts never need quoting (no ASCII ':', '#', quotes or brackets)


def _entry_yaml(entry: dict) -> str:
    lines = [f"  - id: {entry['id']}", f"    question: {entry['question']}", "    alternates:"]
    lines += [f"      - {_yaml_list_item(a)}" for a in entry["alternates"]]
    lines.append(f"    keywords: [{', '.join(entry['keywords'])}]")
    lines.append(f"    answer: {entry['answer']}")
    if "detail" in entry:
        lines += ["    detail: |", f"      {entry['detail']}"]
    if "link" in entry:
        lines.append(f"    link: {entry['link']}")
    src = entry["source"]
    lines.append(f"    source: {{report: {src['report']}, title: {src['title']}, date: {src['date']}}}")
    return "\n".join(lines) + "\n"


def generate_entries(size: int, seed: int = 0) -> list[tuple[int, dict]]:
    """`size` entries as (topic number, entry dict), the same for the same size and seed."""
    rng = random.Random(f"zzbot-bench-{seed}")
    years = list(range(2019, 2026))
    per_topic = -(-size // len(TOPICS))
    out: list[tuple[int, dict]] = []
    for t, topic in enumerate(TOPICS):
        space = len(topic[3]) * len(_COMMON_ASPECTS) * len(PLACES) * len(years)
        picks = rng.sample(range(space), min(per_topic, space))
        for k in picks:
            k, year = divmod(k, len(years))
            k, p_i = divmod(k, len(PLACES))
            s_i, a_i = divmod(k, len(_COMMON_ASPECTS))
            out.append((t, (s_i, a_i, p_i, years[year])))
    # Interleave topics so that any prefix of the list covers all of them.
    order = sorted(range(len(out)), key=lambda i: (i % per_topic, i // per_topic))[:size]
    entries = []
    for n, i in enumerate(order):
        t, combo = out[i]
        entries.append((t, _entry(rng, TOPICS[t], n, combo)))
    return entries


def generate_faq(directory: Path, size: int, seed: int = 0) -> Path:
    """Write a synthetic FAQ of `size` entries to `directory` (replacing its YAML files)."""
    directory = Path(directory)
    stamp = directory / ".bench-stamp"
    key = f"{GENERATOR_VERSION}:{size}:{seed}"
    if stamp.exists() and stamp.read_text() == key:
        return directory
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.glob("*.yaml"):
        old.unlink()
    entries = generate_entries(size, seed)
    by_topic: dict[int, list[dict]] = {}
    for t, entry in entries:
        by_topic.setdefault(t, []).append(entry)
    for t, items in sorted(by_topic.items()):
        stem, _, category, _ = TOPICS[t]
        for part in range(0, len(items), ENTRIES_PER_FILE):
            chunk = items[part:part + ENTRIES_PER_FILE]
            body = "\n".join(_entry_yaml(e) for e in chunk)
            (directory / f"{stem}_{part // ENTRIES_PER_FILE + 1:03d}.yaml").write_text(
                f"category: {category}\nentries:\n{body}", encoding="utf-8")
    stamp.write_text(key)
    return directory


def _typo(rng: random.Random, text: str) -> str:
    chars = list(text)
    spots = [i for i, c in enumerate(chars) if c in HOMOPHONES]
    if spots:
        i = rng.choice(spots)
        chars[i] = HOMOPHONES[chars[i]]
    elif len(chars) > 4:
        del chars[rng.randrange(len(chars))]
    return "".join(chars)


def generate_queries(entries: list[tuple[int, dict]], count: int, seed: int = 0) -> list[dict]:
    """Queries with what they should get: exact questions, typo'd alternates, out-of-scope."""
    rng = random.Random(f"zzbot-queries-{seed}")
    queries = []
    for n in range(count):
        query_type = ("exact", "typo", "typo", "oos")[n % 4] if n % 10 else "exact"
        if query_type == "oos":
            text = rng.choice(_OOS_HEADS) + rng.choice(OUT_OF_SCOPE) + rng.choice(_OOS_TAILS)
            queries.append({"query_type": query_type, "text": text, "expect": None})
            continue
        _, entry = rng.choice(entries)
        text = entry["question"] if query_type == "exact" else _typo(rng, rng.choice(entry["alternates"]))
        queries.append({"query_type": query_type, "text": text, "expect": entry["id"]})
    return queries


# ---------------------------------------------------------------- measuring

def _env(faq_dir: Path, data_dir: Path, **extra) -> dict:
    env = dict(os.environ, FAQ_DIR=str(faq_dir), DATA_DIR=str(data_dir), PYTHONUNBUFFERED="1")
    env.update({k: str(v) for k, v in extra.items()})
    return env


def _run_measured(cmd: list[str], env: dict, timeout: float = 900) -> dict:
    """Wall time and peak RSS (MB, from the child's own rusage via wait4) of a child process."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, cwd=PROJECT_ROOT, stdout=out, stderr=err)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return {"seconds": seconds, "rss_mb": usage.ru_maxrss / 1024, "returncode": proc.returncode,
                "stdout": out.read().decode("utf-8", "replace"), "stderr": err.read().decode("utf-8", "replace")}


class Launcher:
    """Starts the measured processes from a small process of its own.

    On Linux a child's peak RSS (ru_maxrss) starts from its parent's peak: started from the
    bench, which has generated and loaded the FAQ (hundreds of MB at 100k entries), every child
    would report at least that. The launcher is started first, while the bench is small."""

    def __init__(self):
        self._proc = subprocess.Popen([sys.executable, "-m", "tests.bench.bench"], cwd=PROJECT_ROOT,
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def run(self, cmd: list[str], env: dict, timeout: float = 900) -> dict:
        self._proc.stdin.write(json.dumps({"cmd": cmd, "env": env, "timeout": timeout}) + "\n")
        self._proc.stdin.flush()
        return json.loads(self._proc.stdout.readline())

    def close(self) -> None:
        self._proc.stdin.close()
        self._proc.wait()


def _launcher_loop() -> None:
    for line in sys.stdin:
        job = json.loads(line)
        print(json.dumps(_run_measured(job["cmd"], job["env"], job["timeout"])), flush=True)


def cold_start(faq_dir: Path, data_dir: Path, question: str, launcher: Launcher) -> dict:
    cmd = [sys.executable, "-m", "bot", "ask", question]
    result = launcher.run(cmd, _env(faq_dir, data_dir))
    if result["returncode"] != 0:
        raise RuntimeError(f"python -m bot ask failed:\n{result['stderr'][-2000:]}")
    return result


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_healthy(faq_dir: Path, data_dir: Path, timeout: float = 300) -> dict:
    """Seconds from `python server.py` to GET /healthz → 200; None figures when there is no server.py."""
    server = PROJECT_ROOT / "server.py"
    if not server.exists():
        return {"seconds": None, "note": "server.py 不存在"}
    port = free_port()
    env = _env(faq_dir, data_dir, PORT=port, HOST="127.0.0.1")
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, str(server)], env=env, cwd=PROJECT_ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/healthz"
    seconds, note = None, ""
    try:
        while time.perf_counter() - started < timeout:
            if proc.poll() is not None:
                note = "server.py 退出：" + proc.stderr.read().decode("utf-8", "replace")[-500:]
                break
            try:
                with urllib.request.urlopen(url, timeout=2) as resp:
                    if resp.status == 200:
                        seconds = time.perf_counter() - started
                        break
            except OSError:
                pass
            time.sleep(0.05)
        else:
            note = f"{timeout:.0f}秒内未就绪"
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    return {"seconds": seconds, "note": note}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[k]


def _latencies(engine, queries: list[dict]) -> tuple[list[float], dict]:
    times, outcomes = [], {"exact": [0, 0], "typo": [0, 0], "oos": [0, 0]}
    for q in queries:
        started = time.perf_counter()
        reply, _ = engine.respond(q["text"])
        times.append((time.perf_counter() - started) * 1000)
        good = (reply.kind == "fallback" or reply.kind == "rule") if q["expect"] is None \
            else (reply.faq_id == q["expect"] or (reply.kind == "clarify" and
                                                  any(c["faq_id"] == q["expect"] for c in reply.candidates[:3])))
        outcomes[q["query_type"]][0] += good
        outcomes[q["query_type"]][1] += 1
    return times, outcomes


def in_process(faq_dir: Path, data_dir: Path, queries: list[dict], later: list[dict]) -> dict:
    """engine.respond latency, with the (already cached) index: over `queries` first, when every
    entry is met for the first time (read from sqlite and decoded), then over other questions
    (`later`) once the engine has warmed up as a server's does at start-up (Engine.warm_up; at
    most PRELOAD_MAX_ENTRIES entries are kept decoded, larger FAQs stay as they are)."""
    from bot.answer.engine import Engine
    from bot.config import Config

    engine = Engine(Config.from_env({"FAQ_DIR": str(faq_dir), "DATA_DIR": str(data_dir)}))
    for q in later[:10]:  # jieba's lazy bits, first sqlite pages
        engine.respond(q["text"])
    first, outcomes = _latencies(engine, queries)
    engine.index.preload(pause=0)
    steady, _ = _latencies(engine, later)
    engine.index.close()
    return {"p50_ms": percentile(steady, 0.50), "p99_ms": percentile(steady, 0.99), "max_ms": max(steady),
            "mean_ms": statistics.fmean(steady),
            "first_p50_ms": percentile(first, 0.50), "first_p99_ms": percentile(first, 0.99),
            "ok": {k: f"{v[0]}/{v[1]}" for k, v in outcomes.items()}}


def _index_meta(data_dir: Path) -> dict:
    import sqlite3

    files = sorted((data_dir / "index").glob("index-*.sqlite"))
    if not files:
        return {}
    conn = sqlite3.connect(f"file:{files[-1]}?mode=ro", uri=True)
    meta = dict(conn.execute("select key, value from meta").fetchall())
    conn.close()
    meta["file_mb"] = files[-1].stat().st_size / 1e6
    return meta


def bench_size(size: int, out: Path, queries_n: int, seed: int, server: bool, repeat: int,
               launcher: Launcher, log=print) -> dict:
    from bot.content.faq import load_faq

    faq_dir = out / f"faq-{size}"
    started = time.perf_counter()
    generate_faq(faq_dir, size, seed)
    gen_s = time.perf_counter() - started
    files = sorted(faq_dir.glob("*.yaml"))
    row: dict = {"size": size, "files": len(files),
                 "faq_mb": sum(f.stat().st_size for f in files) / 1e6, "generate_s": gen_s}
    log(f"[{size}] FAQ {row['files']} 个文件 {row['faq_mb']:.1f} MB（生成 {gen_s:.1f}s）")

    started = time.perf_counter()
    faq = load_faq(faq_dir)
    row["load_s"] = time.perf_counter() - started
    if faq.errors:
        raise RuntimeError(f"generated FAQ has errors: {faq.errors[:3]}")
    entries = [(0, {"id": e.id, "question": e.question, "alternates": e.alternates}) for e in faq.entries]
    row["entries"] = len(faq.entries)
    del faq
    queries = generate_queries(entries, queries_n, seed)
    later = generate_queries(entries, queries_n, seed + 1)
    del entries
    question = queries[0]["text"]

    data_dir = out / f"data-{size}"
    shutil.rmtree(data_dir, ignore_errors=True)
    cold = cold_start(faq_dir, data_dir, question, launcher)
    meta = _index_meta(data_dir)
    row.update(cold_nocache_s=cold["seconds"], rss_cold_mb=cold["rss_mb"],
               build_s=float(meta.get("build_seconds", "nan")), index_mb=meta.get("file_mb"))
    log(f"[{size}] 无缓存冷启动 {cold['seconds']:.2f}s（建索引 {row['build_s']:.2f}s），"
        f"峰值内存 {cold['rss_mb']:.0f} MB")

    warm = [cold_start(faq_dir, data_dir, question, launcher) for _ in range(repeat)]
    best = sorted(warm, key=lambda r: r["seconds"])[len(warm) // 2]
    row.update(cold_cached_s=best["seconds"], rss_cached_mb=max(r["rss_mb"] or 0 for r in warm))
    log(f"[{size}] 有缓存冷启动 {row['cold_cached_s']:.2f}s，峰值内存 {row['rss_cached_mb']:.0f} MB")

    row.update(in_process(faq_dir, data_dir, queries, later))
    log(f"[{size}] 进程内 p50 {row['p50_ms']:.2f} ms，p99 {row['p99_ms']:.2f} ms"
        f"（首遍 p50 {row['first_p50_ms']:.2f} ms，p99 {row['first_p99_ms']:.2f} ms），结果 {row['ok']}")

    if server:
        sdata = out / f"data-{size}-server"
        shutil.rmtree(sdata, ignore_errors=True)
        first = server_healthy(faq_dir, sdata)
        again = server_healthy(faq_dir, sdata) if first["seconds"] is not None else first
        row.update(server_healthy_s=first["seconds"], server_healthy_cached_s=again["seconds"],
                   server_note=first["note"])
        if first["seconds"] is None:
            row["server_healthy_s"] = row["cold_nocache_s"]
            row["server_healthy_cached_s"] = row["cold_cached_s"]
            row["server_note"] = (first["note"] + "；改用 python -m bot ask 的冷启动时间").lstrip("；")
        log(f"[{size}] 服务健康 {row['server_healthy_s']:.2f}s（有缓存 {row['server_healthy_cached_s']:.2f}s）"
            + (f"　{row['server_note']}" if row["server_note"] else ""))
    return row


# ---------------------------------------------------------------- report

def _fmt(value, digits=2) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def format_table(rows: list[dict]) -> str:
    head = ["条目数", "文件", "YAML MB", "加载YAML s", "建索引 s", "冷启动(无缓存) s", "冷启动(有缓存) s",
            "p50 ms", "p99 ms", "首遍 p99 ms", "峰值内存(无缓存) MB", "峰值内存(有缓存) MB", "服务健康 s"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---:|" * len(head)]
    for r in rows:
        cells = [r["entries"], r["files"], _fmt(r["faq_mb"], 1), _fmt(r["load_s"]), _fmt(r["build_s"]),
                 _fmt(r["cold_nocache_s"]), _fmt(r["cold_cached_s"]), _fmt(r["p50_ms"]), _fmt(r["p99_ms"]),
                 _fmt(r.get("first_p99_ms")), _fmt(r["rss_cold_mb"], 0), _fmt(r["rss_cached_mb"], 0),
                 _fmt(r.get("server_healthy_s")) + (f"（有缓存 {_fmt(r.get('server_healthy_cached_s'))}）"
                                                    if r.get("server_healthy_cached_s") is not None else "")]
        lines.append("| " + " | ".join(map(str, cells)) + " |")
    return "\n".join(lines)


def check_targets(rows: list[dict]) -> list[dict]:
    results = []
    by_size = {r["size"]: r for r in rows}
    for figure, size, limit, unit in TARGETS:
        row = by_size.get(size)
        if row is None or row.get(figure) is None:
            continue
        value = row[figure]
        results.append({"figure": figure, "size": size, "limit": limit, "unit": unit,
                        "value": value, "ok": value <= limit})
    return results


def format_targets(results: list[dict]) -> str:
    lines = ["| 指标 | 规模 | 目标 | 实测 | 达标 |", "|---|---:|---:|---:|:---:|"]
    for t in results:
        lines.append(f"| {t['figure']} | {t['size']} | ≤ {t['limit']:g} {t['unit']} | "
                     f"{t['value']:.2f} {t['unit']} | {'✓' if t['ok'] else '✗'} |")
    return "\n".join(lines)


def log(*parts) -> None:
    print(*parts, file=sys.stderr, flush=True)


def cmd_bench(args) -> int:
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    rows = []
    server_size = min(sizes, key=lambda s: abs(s - 10_000)) if sizes else None
    launcher = Launcher()
    try:
        for size in sizes:
            rows.append(bench_size(size, out, args.queries, args.seed,
                                   server=not args.no_server and size == server_size, repeat=args.repeat,
                                   log=log, launcher=launcher))
    finally:
        launcher.close()
    targets = check_targets(rows)
    report = {"rows": rows, "targets": targets, "total_s": time.perf_counter() - started,
              "python": sys.version.split()[0], "cpus": os.cpu_count()}
    (out / "bench.json").write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    table = format_table(rows) + "\n\n" + format_targets(targets)
    (out / "bench.md").write_text(table + "\n", encoding="utf-8")
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(table)
        print(f"\n共用时 {report['total_s']:.0f}s；结果已写入 {out}/bench.md 和 bench.json")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m tests.bench",
                                description="性能测试：生成模拟FAQ，测建索引、冷启动、延迟、内存")
    p.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)),
                   help="条目数，逗号分隔（默认 200,10000,100000）")
    p.add_argument("--queries", type=int, default=400, help="每个规模的测试问题数（默认 400）")
    p.add_argument("--out", default=str(PROJECT_ROOT / "bench_out"),
                   help="生成的FAQ和索引放在这里（默认 bench_out/，已在 .gitignore）")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--repeat", type=int, default=3, help="有缓存冷启动重复次数，取中位数")
    p.add_argument("--no-server", action="store_true", help="不测 server.py")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    return p


def main(argv: list[str] | None = None) -> int:
    return cmd_bench(build_parser().parse_args(argv))


if __name__ == "__main__":  # the Launcher's process
    _launcher_loop()
