"""Charts of the overview as inline SVG drawn on the server: no script, nothing fetched
(the network of the city's servers is closed), readable on a phone as on a laptop."""
from __future__ import annotations

from markupsafe import Markup, escape

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 34, 8, 10, 28
SERIES = (("answer", "回答", "#2e7d32"), ("clarify", "反问澄清", "#f9a825"), ("fallback", "无法回答", "#c62828"))


def nice_max(value: int) -> int:
    """The top of the axis: 1, 2, 5 × a power of ten, at least `value`."""
    step = 1
    while True:
        for m in (1, 2, 5):
            if m * step >= value:
                return m * step
        step *= 10


NARROW = 340             # drawn for a phone's width, so that its labels stay readable


def per_day_svg(days: list[dict], width: int = WIDTH, css: str = "chart") -> Markup:
    """Stacked bars of each day's questions by outcome, with the axis; `width` in the units of
    the labels (a narrow chart has fewer day labels)."""
    top = nice_max(max([d["questions"] for d in days] + [1]))
    plot_w, plot_h = width - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(days), 1)
    bar = max(slot * 0.7, 1.0)
    parts = [f'<svg class="{css}" viewBox="0 0 {width} {HEIGHT}" role="img" aria-label="每日提问量" '
             f'xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMidYMid meet">']
    for tick in (0, top // 2, top):
        y = TOP + plot_h - plot_h * tick / top
        parts.append(f'<line x1="{LEFT}" x2="{width - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
                     f'<text x="{LEFT - 4}" y="{y + 4:.1f}" text-anchor="end" font-size="11">{tick}</text>')
    label_every = max(1, round(len(days) / (7 if width >= WIDTH else 4)))
    for i, d in enumerate(days):
        x, base = LEFT + i * slot + (slot - bar) / 2, TOP + plot_h
        for key, label, color in SERIES:
            h = plot_h * d[key] / top
            if h > 0:
                base -= h
                parts.append(f'<rect x="{x:.1f}" y="{base:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{color}">'
                             f'<title>{escape(d["date"])} {label} {d[key]}</title></rect>')
        last = i == len(days) - 1
        if last or (i % label_every == 0 and len(days) - 1 - i >= label_every / 2):  # labels never overlap
            anchor, at = ("end", x + bar) if last else ("middle", x + bar / 2)  # the last stays inside
            parts.append(f'<text x="{at:.1f}" y="{HEIGHT - 10}" text-anchor="{anchor}" font-size="11">'
                         f'{escape(d["date"][5:])}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def legend() -> list[tuple[str, str]]:
    return [(label, color) for _, label, color in SERIES]
