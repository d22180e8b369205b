"""What one message may cost (issue 12, item 8): the matched text is capped, for the webhook and
the API alike, and the caches of text functions are bounded by bytes. Figures (RSS over 20,000
long questions): `python -m tests.bench.long_questions`."""
from __future__ import annotations

import pytest

from bot.answer.engine import MAX_QUERY_CHARS
from bot.language import asks, features, specifics, textnorm
from bot.language.textcache import TextCache, size_of

FILLER = "我们家里老人想问一下这个事情"


def test_a_long_message_is_matched_on_its_first_characters(plain):
    head = "城铁末班车几点" + FILLER * 200  # 2,800 characters
    _, reply = plain.send("text", Content=head)
    assert "23时25分" in reply["Content"]
    buried = FILLER * (MAX_QUERY_CHARS // len(FILLER) + 1) + "城铁末班车几点"
    plain.openid = "o-another-citizen"  # not a follow-up of the first
    _, reply = plain.send("text", Content=buried)
    assert "23时25分" not in reply["Content"]  # past the cap: not read at all


def test_the_api_refuses_what_the_webhook_would_cut(plain_app):
    client = plain_app.test_client()
    assert client.get("/api/ask", query_string={"q": "长" * MAX_QUERY_CHARS}).status_code == 200
    refused = client.get("/api/ask", query_string={"q": "长" * (MAX_QUERY_CHARS + 1)})
    assert refused.status_code == 400 and str(MAX_QUERY_CHARS) in refused.get_json()["error"]


def test_text_cache_holds_at_most_its_bytes_least_recently_used_first():
    cache = TextCache(max_bytes=100_000)
    for number in range(2_000):
        cache.put(f"{number}" + "长" * 500, "结果" * 200)
        assert cache.bytes <= 100_000
    assert 0 < len(cache) < 2_000
    assert cache.get("1999" + "长" * 500) == "结果" * 200 and cache.get("0" + "长" * 500) is None
    cache.put("huge", "长" * 100_000)  # larger than the whole budget: not kept, nothing evicted for it
    assert cache.get("huge") is None and cache.bytes <= 100_000


def test_size_of_counts_nested_strings():
    assert size_of(("长" * 1000, ["长" * 1000])) > 4000


@pytest.mark.parametrize("func", [textnorm.normalize, features.sound_string, asks.without_disclaimers,
                                  specifics._head_of], ids=lambda f: f.__name__)
def test_text_functions_of_questions_are_bounded_by_bytes(func):
    cache = func.cache
    assert isinstance(cache, TextCache) and cache.max_bytes <= 16 << 20
    for number in range(300):
        func(f"{number}{FILLER * 30}")
    assert 0 < cache.bytes <= cache.max_bytes


def test_normalizer_cache_is_bounded_by_bytes():
    normalizer = textnorm.Normalizer([["城铁", "城际铁路"]])
    for number in range(300):
        normalizer(f"{number}{FILLER * 30}城际铁路")
    assert isinstance(normalizer._cache, TextCache) and 0 < normalizer._cache.bytes <= normalizer._cache.max_bytes
    assert normalizer("城际铁路末班车") == normalizer("城际铁路末班车") == "城铁末班车"


@pytest.mark.slow
def test_the_long_questions_bench_runs_and_reports_rss():
    from tests.bench.long_questions import run
    result = run(count=20, low=300, high=600, seed=1, steps=2)
    assert result["questions"] == 20 and result["rss_before_mb"] > 0 and len(result["curve"]) == 2
    assert result["p50_ms"] > 0


def test_a_remembered_value_is_made_once_and_measured_as_told():
    cache, made = TextCache(max_bytes=10_000), []
    def make():
        made.append(1)
        return ("结果",)
    assert cache.remembered("问题", make) == cache.remembered("问题", make) == ("结果",) and len(made) == 1
    cache.remembered("另一个", make, measure=lambda value: 20_000)  # told it is larger than the budget
    assert cache.get("另一个") is None and len(made) == 2 and cache.bytes <= 10_000
