"""menu.yaml: the account's custom menu (自定义菜单) as staff write it, checked against WeChat's
limits with file and line, and turned into the JSON of WeChat's menu/create.

The buttons live here; what a CLICK button replies stays where staff write every reply, in
keywords.yaml's `menu:` (key → text). A VIEW button opens a web page: `url:` (http/https), or
`faq: <条目id>` for that entry's detail page on this service (PUBLIC_BASE_URL/faq/<id>).

No WeChat client here: pushing and reading the live menu is handlers/wechat_api.py.
"""
from __future__ import annotations

import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from bot.content.model import Faq, Problem
from bot.content.yamlread import line_of

# WeChat's menu/create (developers.weixin.qq.com, 创建自定义菜单): 1–3 buttons, 1–5 sub-buttons each;
# a name of at most 16 bytes (sub-button: 60), a key of at most 128 bytes, a URL of at most 1024;
# the client shows 4 汉字 of a button and 8 of a sub-button, and "..." for the rest.
MAX_BUTTONS, MAX_SUB_BUTTONS = 3, 5
NAME_MAX_BYTES = {1: 16, 2: 60}
NAME_SHOWN_CHARS = {1: 4, 2: 8}
KEY_MAX_BYTES, URL_MAX_BYTES = 128, 1024
TYPES = {"click": "点击后回复文字", "view": "打开网页"}
BUTTON_FIELDS = ("name", "type", "key", "url", "faq", "sub_buttons")
FILE = "menu.yaml"
LEVEL_NAMES = {1: "一级菜单", 2: "二级菜单"}


@dataclass
class Button:
    name: str
    type: str = ""    # click / view; "" for a button that only opens its sub-buttons
    key: str = ""     # click: the EventKey WeChat pushes, answered from keywords.yaml `menu:`
    url: str = ""     # view: a web page
    faq: str = ""     # view: this entry's detail page (url made from PUBLIC_BASE_URL)
    sub_buttons: list[Button] = field(default_factory=list)
    line: int | None = None

    def leaves(self) -> list[Button]:
        return self.sub_buttons or [self]


class MenuError(Exception):
    """The menu cannot be sent as configured; the message is for staff, in Chinese."""


def load_menu(path: Path, data, faq: Faq, problems: list[Problem]) -> None:
    """menu.yaml's parsed document into faq.buttons, with what breaks WeChat's limits."""
    faq.buttons = []
    if data is None:
        return
    if not isinstance(data, dict) or not isinstance(data.get("buttons"), list):
        problems.append(Problem(path.name, line_of(data),
                                "menu.yaml 应以“buttons:”开头，下面是一级菜单的列表（最多3个）"))
        return
    for key in data:
        if key != "buttons":
            problems.append(Problem(path.name, line_of(data, key), f"未知字段“{key}”（只能写 buttons）"))
    raw = data["buttons"]
    if not 1 <= len(raw) <= MAX_BUTTONS:
        problems.append(Problem(path.name, line_of(data, "buttons"),
                                f"一级菜单应有1到{MAX_BUTTONS}个，现在有{len(raw)}个"))
    faq.buttons = [b for b in (_button(item, 1, problems) for item in raw) if b is not None]


def _button(raw, level: int, problems: list[Problem]) -> Button | None:
    line = line_of(raw)
    if not isinstance(raw, dict):
        problems.append(Problem(FILE, line, f"{LEVEL_NAMES[level]}的每一项应写成“- name: 名称”加 type、key 或 url"))
        return None
    for key in raw:
        if key not in BUTTON_FIELDS:
            problems.append(Problem(FILE, line_of(raw, key), f"未知字段“{key}”（可用：{'、'.join(BUTTON_FIELDS)}）"))
    button = Button(name=_text(raw.get("name")), type=_text(raw.get("type")).lower(), key=_text(raw.get("key")),
                    url=_text(raw.get("url")), faq=_text(raw.get("faq")), line=line)
    problems.extend(_name_problems(button, level))
    subs = raw.get("sub_buttons")
    if subs is None:
        problems.extend(_action_problems(button))
        return button
    problems.extend(_parent_problems(button, subs, level, line_of(raw, "sub_buttons")))
    if isinstance(subs, list) and level == 1:
        button.sub_buttons = [b for b in (_button(s, 2, problems) for s in subs) if b is not None]
    return button


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _name_problems(button: Button, level: int) -> list[Problem]:
    name, what = button.name, LEVEL_NAMES[level]
    if not name:
        return [Problem(FILE, button.line, f"{what}缺少名称 name")]
    size, limit, shown = len(name.encode("utf-8")), NAME_MAX_BYTES[level], NAME_SHOWN_CHARS[level]
    if size > limit:
        return [Problem(FILE, button.line, f"{what}名称“{name}”有{size}个字节，微信最多{limit}个字节"
                                           f"（约{limit // 3}个汉字）：请改短")]
    if _width(name) > shown * 2:
        return [Problem(FILE, button.line, f"{what}名称“{name}”超过{shown}个汉字，"
                                           f"微信只显示前{shown}个，其余显示为“...”", level="warning")]
    return []


def _width(text: str) -> int:
    """Display width in half-width units: a 汉字 is 2, a Latin letter or digit 1."""
    return sum(1 if ord(ch) < 0x2E80 else 2 for ch in text)


def _parent_problems(button: Button, subs, level: int, line: int | None) -> list[Problem]:
    if level > 1:
        return [Problem(FILE, line, "二级菜单下不能再有 sub_buttons：微信菜单只有两级")]
    if not isinstance(subs, list) or not 1 <= len(subs) <= MAX_SUB_BUTTONS:
        count = len(subs) if isinstance(subs, list) else 0
        return [Problem(FILE, line, f"“{button.name}”的二级菜单应有1到{MAX_SUB_BUTTONS}个，现在有{count}个")]
    if button.type or button.key or button.url or button.faq:
        return [Problem(FILE, button.line, f"“{button.name}”有二级菜单，点它只会展开二级菜单："
                                           "请删掉它的 type、key、url、faq")]
    return []


def _action_problems(button: Button) -> list[Problem]:
    """What a button without sub-buttons does: reply (click) or open a page (view)."""
    where = f"菜单“{button.name}”"
    if button.type not in TYPES:
        kinds = "、".join(f"{k}（{v}）" for k, v in TYPES.items())
        return [Problem(FILE, button.line, f"{where}的 type 应为 {kinds}，现在是“{button.type or '（空）'}”")]
    if button.type == "click":
        if not button.key:
            return [Problem(FILE, button.line, f"{where}是 click，缺少 key（与 keywords.yaml 的 menu 里的回复对应）")]
        if len(button.key.encode("utf-8")) > KEY_MAX_BYTES:
            return [Problem(FILE, button.line,
                            f"{where}的 key 有{len(button.key.encode())}个字节，微信最多{KEY_MAX_BYTES}个")]
        return []
    if bool(button.url) == bool(button.faq):
        return [Problem(FILE, button.line,
                        f"{where}是 view，要写 url（网址）或 faq（条目 id，打开本服务的详情页）中的一个")]
    return _url_problems(button.url, where, button.line) if button.url else []


def _url_problems(url: str, where: str, line: int | None) -> list[Problem]:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return [Problem(FILE, line, f"{where}的网址“{url}”应以 http:// 或 https:// 开头")]
    if len(url.encode("utf-8")) > URL_MAX_BYTES:
        return [Problem(FILE, line, f"{where}的网址有{len(url.encode())}个字节，微信最多{URL_MAX_BYTES}个")]
    return []


# Keys the bot answers itself, a text in keywords.yaml `menu` being optional (put above the list).
HOT_MENU_KEY = "MENU_HOT"  # 热点问题: the most asked questions of the last 7 days, picked by number
ANSWERED_BY_THE_BOT = frozenset({HOT_MENU_KEY})


def check_menu(faq: Faq) -> None:
    """Across files, once all are read: each CLICK key has its reply in keywords.yaml (else the
    citizen gets the help text), each `faq:` names an entry, each reply has a button."""
    if faq.buttons is None:  # no menu.yaml: the menu is kept on the 公众平台, the replies serve it
        return
    ids = {e.id for e in faq.entries}
    keys: dict[str, Button] = {}
    for button in (leaf for top in faq.buttons for leaf in top.leaves()):
        where = f"菜单“{button.name}”"
        if button.type == "click" and button.key:
            if button.key in keys:
                faq.problems.append(Problem(FILE, button.line, f"{where}的 key“{button.key}”与“{keys[button.key].name}”"
                                                               "相同：两个按钮回复同样的文字", level="warning"))
            keys.setdefault(button.key, button)
            if button.key not in faq.menu and button.key not in ANSWERED_BY_THE_BOT:
                faq.problems.append(Problem(FILE, button.line, f"{where}的 key“{button.key}”在 keywords.yaml 的 menu 里"
                                                               "没有回复：市民点了只会收到帮助文字，请在那里加上"))
        if button.type == "view" and button.faq and button.faq not in ids:
            faq.problems.append(Problem(FILE, button.line, f"{where}要打开的条目“{button.faq}”不存在"))
    for key in faq.menu:
        if key not in keys:
            faq.problems.append(Problem("keywords.yaml", faq.menu_lines.get(key), f"menu 里的“{key}”没有对应的菜单按钮"
                                        "（menu.yaml）：市民点不到它", level="warning"))


# ---------------------------------------------------------------- WeChat's JSON

def detail_url(entry_id: str, public_base: str | None) -> str:
    if not public_base:
        raise MenuError(f"菜单要打开条目“{entry_id}”的详情页，需要把 PUBLIC_BASE_URL 设为市民手机能打开的公网地址"
                        "（如 https://bot.example.gov.cn）")
    return f"{public_base}/faq/{urllib.parse.quote(entry_id)}"


def menu_json(buttons: list[Button], public_base: str | None) -> dict:
    """The body of WeChat's menu/create; `public_base` (None: not public) makes the faq: links."""
    return {"button": [_button_json(b, public_base) for b in buttons]}


def _button_json(button: Button, public_base: str | None) -> dict:
    if button.sub_buttons:
        return {"name": button.name, "sub_button": [_button_json(b, public_base) for b in button.sub_buttons]}
    if button.type == "click":
        return {"type": "click", "name": button.name, "key": button.key}
    url = button.url or detail_url(button.faq, public_base)
    if len(url.encode("utf-8")) > URL_MAX_BYTES:
        raise MenuError(f"菜单“{button.name}”的网址有{len(url.encode())}个字节，微信最多{URL_MAX_BYTES}个")
    return {"type": "view", "name": button.name, "url": url}


def normalized(menu: dict | None) -> list[dict]:
    """The buttons of a menu JSON (ours, or menu/get's, which adds empty sub_button lists and
    other fields) in one shape, to compare and to print."""
    def one(raw: dict) -> dict:
        subs = [one(s) for s in raw.get("sub_button") or []]
        if subs:
            return {"name": raw.get("name", ""), "sub_button": subs}
        kept = {k: raw[k] for k in ("type", "name", "key", "url") if raw.get(k)}
        return kept
    return [one(b) for b in (menu or {}).get("button") or []]


def describe(menu: dict | None) -> list[str]:
    """A menu as staff read it, one line a button."""
    lines = []
    for i, top in enumerate(normalized(menu), start=1):
        if "sub_button" in top:
            lines.append(f"{i}. {top['name']}")
            lines += [f"   {i}.{j} {_action(sub)}" for j, sub in enumerate(top["sub_button"], start=1)]
        else:
            lines.append(f"{i}. {_action(top)}")
    return lines


def _action(button: dict) -> str:
    if button.get("type") == "click":
        return f"{button['name']}　点击 → 回复 {button.get('key', '')}"
    if button.get("type") == "view":
        return f"{button['name']}　打开 {button.get('url', '')}"
    return f"{button.get('name', '')}　（{button.get('type', '未知类型')}）"
