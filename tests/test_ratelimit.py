"""Rate limits (issue 12 item 9): per citizen and per client IP, on /wechat and /api/ask, in memory
per process or in Redis shared by every instance."""
from __future__ import annotations

from prometheus_client import REGISTRY

from bot.config import Config
from bot.store.shared import WindowCounter
from handlers import ratelimit
from tests.helpers import TOKEN, WeChat


def rejected(reason: str) -> float:
    return REGISTRY.get_sample_value("zhuzhou_rejected_requests_total", {"reason": reason}) or 0.0


def test_a_citizen_over_the_limit_gets_a_polite_reply(make_app):
    app = make_app(rate_limit_per_user=3)
    wx, other = WeChat(app.test_client(), TOKEN), WeChat(app.test_client(), TOKEN)
    before = rejected("rate_limit_user")
    replies = [wx.send("text", Content="城铁末班车几点")[1]["Content"] for _ in range(3)]
    assert all("23时25分" in r for r in replies)
    fields = wx.fields("text", Content="城铁末班车几点")
    over = wx.read(wx.post(*wx.request(fields)), fields)["Content"]
    assert over == ratelimit.WECHAT_REPLY
    assert wx.read(wx.post(*wx.request(fields)))["Content"] == over  # its retry: same reply, not counted again
    assert rejected("rate_limit_user") == before + 1
    assert "23时25分" in other.send("text", Content="城铁末班车几点")[1]["Content"]  # another citizen
    assert wx.send("event", Event="CLICK", EventKey="MENU_TRAIN")[1]["Content"].startswith("城铁相关")  # events pass


def test_an_api_caller_over_the_limit_gets_429_in_chinese(make_app):
    client = make_app(rate_limit_per_ip=2).test_client()
    before = rejected("rate_limit_ip")
    assert [client.get("/api/ask", query_string={"q": "城铁末班车几点"}).status_code for _ in range(2)] == [200, 200]
    response = client.get("/api/ask", query_string={"q": "城铁末班车几点"})
    assert response.status_code == 429 and response.get_json() == {"error": ratelimit.API_ERROR}
    assert response.headers["Retry-After"] == "60"
    assert rejected("rate_limit_ip") == before + 1
    assert client.get("/healthz").status_code == 200  # only /api/ask is limited


def test_the_api_user_is_limited_too(make_app):
    client = make_app(rate_limit_per_user=1, rate_limit_per_ip=0).test_client()
    ask = lambda user: client.get("/api/ask", query_string={"q": "你好", "user": user}).status_code  # noqa: E731
    assert [ask("alice"), ask("alice"), ask("bob")] == [200, 429, 200]


def test_zero_turns_the_limits_off(make_app):
    app = make_app(rate_limit_per_user=0, rate_limit_per_ip=0)
    client, wx = app.test_client(), WeChat(app.test_client(), TOKEN)
    assert {client.get("/api/ask", query_string={"q": "你好", "user": "u"}).status_code for _ in range(30)} == {200}
    assert all(wx.send("text", Content="你好")[1]["Content"] != ratelimit.WECHAT_REPLY for _ in range(30))


def test_behind_a_proxy_the_forwarded_client_is_counted(make_app):
    client = make_app(rate_limit_per_ip=1, proxy_hops=1).test_client()

    def ask(ip: str) -> int:
        return client.get("/api/ask", query_string={"q": "你好"}, headers={"X-Forwarded-For": ip}).status_code

    assert [ask("10.0.0.1"), ask("10.0.0.2"), ask("10.0.0.1")] == [200, 200, 429]


def test_instances_sharing_redis_count_together(make_app, redis_server, tmp_path):
    apps = [make_app(data_dir=tmp_path / name, redis_url=redis_server.url, user_hash_key="k", rate_limit_per_user=3)
            for name in ("a", "b")]
    wx = [WeChat(app.test_client(), TOKEN, openid="oFlooder") for app in apps]
    replies = [wx[i % 2].send("text", Content="你好")[1]["Content"] for i in range(4)]
    assert replies[:3] == ["您好！请直接发送您的问题。"] * 3 and replies[3] == ratelimit.WECHAT_REPLY
    keys = apps[0].extensions["engine"].shared.redis.keys("zhuzhou:rate:*")
    assert keys and not any("oFlooder" in k for k in keys)


def test_window_counter():
    counter = WindowCounter(keys=2)
    assert [counter.hit("a", 60, now=0), counter.hit("a", 60, now=59)] == [1, 2]
    assert counter.hit("a", 60, now=60) == 1  # the next minute starts afresh
    counter.hit("b", 60, now=60)
    counter.hit("c", 60, now=60)  # over two keys: the least recently counted ("a") is dropped
    assert counter.hit("a", 60, now=61) == 1


def test_limits_from_the_environment():
    config = Config.from_env({"RATE_LIMIT_PER_USER": "5", "RATE_LIMIT_PER_IP": "0", "PROXY_HOPS": "1",
                              "REDIS_URL": "redis://cache:6379/0"}, dotenv_path="/nonexistent")
    assert (config.rate_limit_per_user, config.rate_limit_per_ip, config.proxy_hops) == (5, 0, 1)
    assert config.redis_url == "redis://cache:6379/0" and config.rate_limit_wechat_per_ip == 0
    defaults = Config.from_env({}, dotenv_path="/nonexistent")
    assert (defaults.rate_limit_per_user, defaults.rate_limit_per_ip, defaults.redis_url) == (20, 60, "")
