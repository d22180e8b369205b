"""Fixtures and helpers for the web console's tests (handlers/console), imported by
tests/conftest.py so that every test module can use them.

Fixtures:
    console          ConsoleSite: an app with CONSOLE_ENABLED over a temp copy of the tiny FAQ
                     (tests/helpers.FAQ_FILES) with reports for the number check (REPORTS), its
                     own DATA_DIR, and one account per role (USERS).
    console_direct   the same with CONSOLE_DIRECT_PUBLISH=1.
    browser          a headless Chromium (selenium, Debian's chromium + chromium-driver); skipped
                     only when /usr/bin/chromedriver is missing.
    live_console     LiveConsole: gunicorn (2 workers, as production) serving such a site on
                     127.0.0.1 with FAQ_RELOAD_INTERVAL=0.5; `.url(path)`, `.sign_in(browser, name)`.
    artifacts        a folder for screenshots (ARTIFACTS_DIR if set, else a tmp dir of the run).

ConsoleSite:
    .app .config .faq_dir .data_dir .reports_dir
    .client(name=None) -> StaffClient   signed in as `name` (a key of USERS), or signed out
StaffClient (a Flask test client):
    .get(path) / .post(path, data)      post() adds the session's CSRF token unless csrf=False
    .csrf_token()                       one valid for this session
Accounts (USERS): name -> (role, categories); the password of NAME is password_of(NAME).
    editor   编辑 of 城铁出行 (chengtie.yaml)     editor2  编辑 of 养老救助 (yanglao.yaml)
    reviewer 审核                                  admin    管理员
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.answer.engine import Engine
from bot.config import Config
from bot.staff import accounts
from server import create_app
from tests.helpers import APPID, TOKEN, make_faq_dir

CHROMEDRIVER = Path("/usr/bin/chromedriver")
CHROMIUM = Path("/usr/bin/chromium")

# The tiny FAQ's numbers stand in these reports near their subjects (bot/content/checks.py).
REPORTS = {
    "report-004.txt": "株洲日报：城铁启用新运行图。\n"
                      "长株潭城铁末班车终到长沙为23时25分，现行时刻请以铁路12306查询为准。\n"
                      "长沙、株洲南、湘潭每日首发列车均在6时整点开出，城铁首班车时间不变。\n",
    "report-001.txt": "政府工作报告。\n全市建成老年食堂120个，老年助餐点若干，养老服务持续改善。\n",
}

USERS = {
    "editor": ("editor", ["城铁出行"]),
    "editor2": ("editor", ["养老救助"]),
    "reviewer": ("reviewer", []),
    "admin": ("admin", []),
}


def password_of(name: str) -> str:
    return f"pw-{name}-12345"


def make_site_dirs(root: Path) -> tuple[Path, Path, Path]:
    """FAQ_DIR (the tiny FAQ), REPORTS_DIR and DATA_DIR (with the USERS accounts) under `root`."""
    faq_dir = make_faq_dir(root / "faq")
    reports_dir = root / "reports"
    reports_dir.mkdir()
    for name, text in REPORTS.items():
        (reports_dir / name).write_text(text, encoding="utf-8")
    data_dir = root / "data"
    data_dir.mkdir(mode=0o700)
    shutil.copy2(_accounts_file(), data_dir / "staff.sqlite")
    return faq_dir, reports_dir, data_dir


_ACCOUNTS: list[Path] = []


def _accounts_file() -> Path:
    """staff.sqlite with the USERS accounts, made once per run (argon2 hashing is slow on purpose)."""
    if not _ACCOUNTS:
        folder = Path(tempfile.mkdtemp(prefix="console-accounts-"))
        for name, (role, categories) in USERS.items():
            accounts.add_user(folder, name, role, password_of(name), categories)
        _ACCOUNTS.append(folder / "staff.sqlite")
    return _ACCOUNTS[0]


_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


class StaffClient:
    """A Flask test client that fills in the CSRF token of its session."""

    def __init__(self, client):
        self.raw = client

    def get(self, path: str, **kwargs):
        return self.raw.get(path, **kwargs)

    def csrf_token(self) -> str:
        page = self.raw.get("/console/login").get_data(as_text=True)
        return _TOKEN.search(page).group(1)

    def post(self, path: str, data: dict | None = None, csrf: bool = True, **kwargs):
        data = dict(data or {})
        if csrf:
            data.setdefault("csrf_token", self.csrf_token())
        return self.raw.post(path, data=data, **kwargs)

    def sign_in(self, name: str, password: str | None = None):
        return self.post("/console/login", {"name": name, "password": password or password_of(name)})


@dataclass
class ConsoleSite:
    app: object
    config: Config
    faq_dir: Path
    data_dir: Path
    reports_dir: Path

    def client(self, name: str | None = None) -> StaffClient:
        client = StaffClient(self.app.test_client())
        if name is not None:
            response = client.sign_in(name)
            assert response.status_code == 302, response.get_data(as_text=True)
        return client


def _site(tmp_path: Path, shared_index, **changes) -> ConsoleSite:
    faq_dir, reports_dir, data_dir = make_site_dirs(tmp_path / "site")
    config = Config(faq_dir=faq_dir, data_dir=data_dir, reports_dir=reports_dir, wechat_token=TOKEN,
                    wechat_appid=APPID, public_base_url="http://127.0.0.1:8000", faq_reload_interval=0,
                    console_enabled=True, **changes)
    # The shared index was built from the same files: served until the console changes them.
    app = create_app(config, engine=Engine(config, index=shared_index))
    app.testing = True
    return ConsoleSite(app, config, faq_dir, data_dir, reports_dir)


@pytest.fixture
def console(tmp_path, shared_index) -> ConsoleSite:
    return _site(tmp_path, shared_index)


@pytest.fixture
def console_direct(tmp_path, shared_index) -> ConsoleSite:
    return _site(tmp_path, shared_index, console_direct_publish=True)


# ---------------------------------------------------------------- a real browser

@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Screenshots of the run: ARTIFACTS_DIR, else a folder under the system's tmp."""
    path = Path(os.environ.get("ARTIFACTS_DIR") or tempfile.gettempdir()) / "console-screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def browser(tmp_path):
    """Headless Chromium driven by Debian's chromedriver: nothing is downloaded (no Selenium
    Manager), and the flags keep it off the closed network."""
    if not CHROMEDRIVER.exists():
        if os.environ.get("CI"):
            pytest.fail("chromium-driver is not installed: .ci/run should apt-get install chromium chromium-driver")
        pytest.skip("/usr/bin/chromedriver is missing (apt-get install chromium chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--lang=zh-CN", "--window-size=1280,900", f"--user-data-dir={tmp_path / 'chromium-profile'}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def screenshot(driver, folder: Path, name: str, width: int) -> Path:
    """The whole page at `width` CSS pixels wide (375: a phone, 1280: a laptop)."""
    driver.set_window_size(width, 900)
    height = driver.execute_script("return Math.max(document.body.scrollHeight, 600)")
    driver.set_window_size(width, min(int(height) + 140, 5000))
    path = folder / f"{name}-{width}.png"
    driver.save_screenshot(str(path))
    return path


def screenshots(driver, folder: Path, name: str) -> list[Path]:
    """The page at phone and at laptop width."""
    return [screenshot(driver, folder, name, width) for width in (375, 1280)]


class LiveConsole:
    """gunicorn with 2 workers (the Dockerfile's command) on a temp site, console switched on."""

    def __init__(self, root: Path):
        from tests.bench.webhook import BOT_APP, Server

        self.faq_dir, self.reports_dir, self.data_dir = make_site_dirs(root)
        self.server = Server("console", BOT_APP, root, self.faq_dir)
        self.server.data_dir = self.data_dir
        self.server.env.update(DATA_DIR=str(self.data_dir), REPORTS_DIR=str(self.reports_dir), CONSOLE_ENABLED="1",
                               FAQ_RELOAD_INTERVAL="0.5", PUBLIC_BASE_URL=f"http://127.0.0.1:{self.server.port}",
                               PROMETHEUS_MULTIPROC_DIR=str(root / "metrics"), RATE_LIMIT_PER_USER="0")

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.port}{path}"

    def ask(self, question: str) -> dict:
        import json
        from urllib.parse import quote

        with urllib.request.urlopen(self.url(f"/api/ask?q={quote(question)}"), timeout=10) as response:
            return json.load(response)

    def sign_in(self, driver, name: str) -> None:
        from selenium.webdriver.common.by import By

        driver.get(self.url("/console/login"))
        driver.find_element(By.NAME, "name").send_keys(name)
        driver.find_element(By.NAME, "password").send_keys(password_of(name))
        driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        wait_for(lambda: "/console/login" not in driver.current_url, 10)


def wait_for(condition, timeout: float, step: float = 0.1):
    """condition()'s first true value within `timeout` seconds, else AssertionError."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout} s")
        time.sleep(step)


@pytest.fixture
def live_console(tmp_path):
    site = LiveConsole(tmp_path)
    site.server.start(timeout=120)
    yield site
    site.server.stop()
    shutil.rmtree(tmp_path / "metrics", ignore_errors=True)
