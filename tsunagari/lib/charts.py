"""Charts as server-rendered SVG: no JavaScript, no external fonts, nothing fetched.

Every renderer prints each value as text next to its mark (a bar, a tile, a cell), so a
reader never needs colour to read a number, and every value's <text> carries
`data-category` and `data-series` (the positions in the table the page shows under the
chart) so a test can compare the drawing with the table. The SVG has a viewBox and no
fixed width: it scales to the column (390 px phones included). `fmt` turns a value into
its text; a None value (a suppressed count) gets `missing` and no mark.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from html import escape

Value = float | int | None
Formatter = Callable[[Value], str]

PALETTE = ("#1f5fa8", "#b4531a", "#2e7d32", "#6a3d9a", "#8a6d00", "#00838f", "#5d4037")
INK = "#1a1a1a"
MUTED = "#595959"  # 7:1 on white
GRID = "#c8c8c8"
FONT = 13
ROW = 24


def _attr(value: object) -> str:
    return escape(str(value), quote=True)


def _svg(ident: str, title: str, desc: str, width: float, height: float, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" role="img" '
        f'viewBox="0 0 {width:g} {height:g}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" font-size="{FONT}" '
        f'font-family="sans-serif" aria-labelledby="{ident}-title {ident}-desc">'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(desc)}</desc>' + "".join(body) + "</svg>"
    )


def _value_text(
    x: float, y: float, text: str, value: Value, category: int, series: int, **extra: str
) -> str:
    attrs = "".join(f' {k.replace("_", "-")}="{_attr(v)}"' for k, v in extra.items())
    data = "" if value is None else f' data-value="{_attr(value)}"'
    return (
        f'<text class="chart-value" x="{x:.1f}" y="{y:.1f}" fill="{INK}" '
        f'data-category="{category}" data-series="{series}"{data}{attrs}>{escape(text)}</text>'
    )


def _label(x: float, y: float, text: str, *, anchor: str = "start", bold: bool = False) -> str:
    weight = ' font-weight="bold"' if bold else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" fill="{INK}" text-anchor="{anchor}"{weight}>'
        f"{escape(text)}</text>"
    )


def _max(values: Sequence[Value]) -> float:
    shown = [float(v) for v in values if v is not None]
    return max([*shown, 0.0]) or 1.0


def bar_chart(
    *,
    ident: str,
    title: str,
    desc: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[Value]]],
    fmt: Formatter,
    width: int = 420,
) -> str:
    """Horizontal bars: each category's name on a line of its own (long names never run
    off the edge), then one bar per series, each named (when there are several) and with
    its value printed after it. Narrow enough to read on a phone."""
    many = len(series) > 1
    peak = _max([v for _label_, values in series for v in values])
    plot = width - 90
    body: list[str] = []
    y = 4.0
    for c, category in enumerate(categories):
        body.append(_label(0, y + FONT, category, bold=many))
        y += ROW - 4
        for s, (name, values) in enumerate(series):
            value = values[c] if c < len(values) else None
            if many:
                body.append(_label(0, y + FONT, name))
                y += ROW - 6
            length = 0.0 if value is None else plot * float(value) / peak
            if length > 0:
                body.append(
                    f'<rect x="0" y="{y + 2:.1f}" width="{length:.1f}" '
                    f'height="{ROW - 8}" fill="{PALETTE[s % len(PALETTE)]}"/>'
                )
            body.append(_value_text(length + 6, y + FONT, fmt(value), value, c, s))
            y += ROW
        y += 6
    return _svg(ident, title, desc, width, y + 4, body)


def stacked_bar(
    *,
    ident: str,
    title: str,
    desc: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[Value]]],
    fmt: Formatter,
    width: int = 420,
) -> str:
    """One full-width bar per category split by series (e.g. shares adding up to 100%);
    under each bar, every part named with its value, in the bar's order."""
    body: list[str] = []
    y = 4.0
    for c, category in enumerate(categories):
        body.append(_label(0, y + FONT, category, bold=True))
        y += ROW
        values = [values[c] if c < len(values) else None for _n, values in series]
        total = sum(float(v) for v in values if v is not None) or 1.0
        x = 0.0
        for s, value in enumerate(values):
            if value is None or value <= 0:
                continue
            length = width * float(value) / total
            body.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{length:.1f}" height="{ROW - 4}" '
                f'fill="{PALETTE[s % len(PALETTE)]}" stroke="#fff"/>'
            )
            x += length
        y += ROW + 4
        for s, (name, _values) in enumerate(series):
            value = values[s]
            body.append(
                f'<rect x="0" y="{y + 3:.1f}" width="12" height="12" '
                f'fill="{PALETTE[s % len(PALETTE)]}"/>'
            )
            body.append(_label(18, y + FONT, name))
            body.append(
                _value_text(width - 4, y + FONT, fmt(value), value, c, s, text_anchor="end")
            )
            y += ROW - 4
        y += 8
    return _svg(ident, title, desc, width, y, body)


def line_chart(
    *,
    ident: str,
    title: str,
    desc: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[Value]]],
    fmt: Formatter,
    target: float | None = None,
    target_label: str = "",
    width: int = 420,
    height: int = 220,
) -> str:
    """Values over time (categories are periods), each point labelled with its value; an
    optional dashed reference line (a KPI's baseline or target) named in the chart."""
    left, right, top, bottom = 48, 48, 24, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max(_max([v for _n, values in series for v in values]), target or 0.0) * 1.2
    step = plot_w / max(len(categories) - 1, 1)

    def at(i: int, value: float) -> tuple[float, float]:
        x = left + (step * i if len(categories) > 1 else plot_w / 2)
        return x, top + plot_h - plot_h * value / peak

    body = [
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" '
        f'stroke="{GRID}"/>'
    ]
    for i, category in enumerate(categories):
        x, _y = at(i, 0)
        body.append(_label(x, height - 14, category, anchor="middle"))
    if target is not None:
        _x, ty = at(0, target)
        body.append(
            f'<line class="chart-target" x1="{left}" y1="{ty:.1f}" x2="{width - right}" '
            f'y2="{ty:.1f}" stroke="{MUTED}" stroke-dasharray="6 4" data-value="{target:g}"/>'
        )
        body.append(_label(left, ty + 18, target_label))  # under the line, clear of the values
    for s, (name, values) in enumerate(series):
        colour = PALETTE[s % len(PALETTE)]
        points = [(i, float(v)) for i, v in enumerate(values) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in (at(i, v) for i, v in points))
            body.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"/>'
            )
        for i, value in enumerate(values):
            x, y = at(i, float(value) if value is not None else 0)
            if value is not None:
                body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>')
            text = fmt(value) if len(series) == 1 else f"{name} {fmt(value)}"
            body.append(_value_text(x, y - 10 - 16 * s, text, value, i, s, text_anchor="middle"))
    return _svg(ident, title, desc, width, height, body)


def funnel(
    *,
    ident: str,
    title: str,
    desc: str,
    categories: Sequence[str],
    values: Sequence[Value],
    fmt: Formatter,
    width: int = 420,
) -> str:
    """Stages narrowing down (proposed → accepted → completed), centred bars, each stage
    named with its value and, when both are shown, its share of the first stage."""
    peak = _max(values)
    first = values[0] if values else None
    body: list[str] = []
    y = 4.0
    for c, (category, value) in enumerate(zip(categories, values, strict=True)):
        body.append(_label(0, y + FONT, category, bold=True))
        y += ROW - 4
        length = 0.0 if value is None else (width - 4) * float(value) / peak
        if length > 0:
            body.append(
                f'<rect x="{(width - length) / 2:.1f}" y="{y:.1f}" width="{length:.1f}" '
                f'height="{ROW}" fill="{PALETTE[0]}" fill-opacity="{1 - 0.2 * c:.1f}"/>'
            )
        y += ROW + 16
        text = fmt(value)
        if c and value is not None and first:
            text += f"（{float(value) * 100 / float(first):.0f}%）"
        body.append(_value_text(width / 2, y - 3, text, value, c, 0, text_anchor="middle"))
        y += 8
    return _svg(ident, title, desc, width, y, body)


def _shade(value: float, peak: float) -> str:
    """Light to mid blue: black text stays readable (contrast ≥ 4.5:1) on every shade."""
    share = max(0.0, min(1.0, value / peak)) if peak else 0.0
    start, end = (0xF2, 0xF6, 0xFC), (0x7F, 0xA6, 0xDB)
    return "#" + "".join(
        f"{round(a + (b - a) * share):02x}" for a, b in zip(start, end, strict=True)
    )


def heatmap(
    *,
    ident: str,
    title: str,
    desc: str,
    rows: Sequence[str],
    columns: Sequence[str],
    values: Sequence[Sequence[Value]],
    fmt: Formatter,
    label_width: int = 110,
    cell_width: int = 64,
    diverging: bool = False,
) -> str:
    """A grid of rows × columns, every cell with its value printed in it; the shade grows
    with the value (with `diverging`, blue above zero and orange below)."""
    flat = [abs(float(v)) for line in values for v in line if v is not None]
    peak = max([*flat, 1.0])
    head = 56
    width = label_width + cell_width * len(columns)
    body: list[str] = []
    for j, column in enumerate(columns):
        x = label_width + cell_width * j + cell_width / 2
        for k, part in enumerate(_wrap(column, 5)[:3]):
            body.append(_label(x, 14 + k * 15, part, anchor="middle"))
    for i, row in enumerate(rows):
        y = head + i * ROW
        body.append(_label(label_width - 6, y + FONT + 3, row, anchor="end"))
        for j in range(len(columns)):
            value = values[i][j] if j < len(values[i]) else None
            x = label_width + cell_width * j
            if value is None:
                fill = "#ffffff"
            elif diverging and value < 0:
                fill = _orange(abs(float(value)), peak)
            else:
                fill = _shade(float(value), peak)
            body.append(
                f'<rect x="{x}" y="{y}" width="{cell_width}" height="{ROW}" fill="{fill}" '
                f'stroke="{GRID}"/>'
            )
            body.append(
                _value_text(
                    x + cell_width / 2, y + FONT + 3, fmt(value), value, i, j, text_anchor="middle"
                )
            )
    return _svg(ident, title, desc, width, head + ROW * len(rows) + 4, body)


def _orange(value: float, peak: float) -> str:
    share = max(0.0, min(1.0, value / peak)) if peak else 0.0
    start, end = (0xFD, 0xF3, 0xEA), (0xF0, 0xA8, 0x6A)
    return "#" + "".join(
        f"{round(a + (b - a) * share):02x}" for a, b in zip(start, end, strict=True)
    )


def _wrap(text: str, size: int) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]


def tile_map(
    *,
    ident: str,
    title: str,
    desc: str,
    layout: Mapping[str, tuple[int, int]],
    names: Mapping[str, str],
    values: Mapping[str, Value],
    categories: Sequence[str],
    series: int,
    fmt: Formatter,
    selected: str = "",
    tile: tuple[int, int] = (84, 52),
) -> str:
    """Equal tiles on a grid roughly like the map (no boundaries needed, every place
    equally visible however small), each with its name and value; the shade grows with
    the value. `categories` are the codes in the table's order (for data-category);
    `series` is the table column the values come from; `selected` is outlined."""
    w, h = tile
    cols = max(c for c, _r in layout.values()) + 1
    rows = max(r for _c, r in layout.values()) + 1
    peak = _max(list(values.values()))
    order = {code: i for i, code in enumerate(categories)}
    body: list[str] = []
    for code, (c, r) in layout.items():
        x, y = c * w + 2, r * h + 2
        value = values.get(code)
        fill = "#ffffff" if value is None else _shade(float(value), peak)
        chosen = code == selected
        stroke = f'stroke="{INK}" stroke-width="3"' if chosen else f'stroke="{GRID}"'
        body.append(
            f'<g class="tile" data-code="{_attr(code)}">'
            f'<rect x="{x}" y="{y}" width="{w - 4}" height="{h - 4}" rx="4" fill="{fill}" '
            f"{stroke}/>"
            + _label(x + (w - 4) / 2, y + 18, names.get(code, code), anchor="middle", bold=chosen)
            + _value_text(
                x + (w - 4) / 2,
                y + 38,
                fmt(value),
                value,
                order.get(code, -1),
                series,
                text_anchor="middle",
            )
            + "</g>"
        )
    return _svg(ident, title, desc, cols * w + 4, rows * h + 4, body)
