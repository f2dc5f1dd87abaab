"""A tile map of the 33 municipalities, drawn on the server as SVG.

One square per municipality on a hand-made grid that keeps the rough geography
(geo/tiles.py, shared with the dashboard), so a reader sees at a glance where the roll-out
has reached without any external map data. The SVG is an image (role="img" with a title
and a description); the table beside it holds the same numbers and is the real content.
Colour is never the only cue: each tile says its stage number.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from tsunagari.geo.tiles import TILE_LAYOUT
from tsunagari.rollout.models import MunicipalityRollout
from tsunagari.rollout.services import Figures

# (column, row) per municipality code: the one layout the dashboard's tile maps use too.
GRID = TILE_LAYOUT
TILE_W, TILE_H, GAP = 100, 64, 4
COLUMNS = 1 + max(c for c, _r in GRID.values())
ROWS = 1 + max(r for _c, r in GRID.values())

# Fill and text colour per stage: the text keeps a contrast of at least 4.5:1.
COLOURS = {
    MunicipalityRollout.Stage.FIRST: ("#eef2f7", "#1a1a1a"),
    MunicipalityRollout.Stage.SECOND: ("#8fbce6", "#102030"),
    MunicipalityRollout.Stage.THIRD: ("#1d4f86", "#ffffff"),
}


@dataclass(frozen=True)
class LegendItem:
    stage: str
    label: str
    fill: str
    text: str
    count: int


def stage_short(number: int) -> str:
    return _("第%(n)d") % {"n": number}


def legend(figures: Iterable[Figures]) -> list[LegendItem]:
    rows = list(figures)
    return [
        LegendItem(
            stage=stage.value,
            label=str(stage.label),
            fill=COLOURS[stage][0],
            text=COLOURS[stage][1],
            count=sum(1 for f in rows if f.stage == stage.value),
        )
        for stage in MunicipalityRollout.Stage
    ]


def svg(figures: Iterable[Figures]) -> SafeString:
    """The map as inline SVG; municipalities missing from GRID are left out (never one of
    the 33)."""
    rows = list(figures)
    width = COLUMNS * (TILE_W + GAP)
    height = ROWS * (TILE_H + GAP)
    tiles = []
    for f in rows:
        if f.code not in GRID:
            continue
        column, row = GRID[f.code]
        x, y = column * (TILE_W + GAP), row * (TILE_H + GAP)
        fill, ink = COLOURS[MunicipalityRollout.Stage(f.stage)]
        tiles.append(
            (
                f.code,
                x,
                y,
                TILE_W,
                TILE_H,
                fill,
                x + TILE_W / 2,
                y + 26,
                ink,
                f.municipality.label,
                x + TILE_W / 2,
                y + 48,
                ink,
                stage_short(f.stage_number),
            )
        )
    body = format_html_join(
        "\n",
        '<g data-code="{}"><rect x="{}" y="{}" width="{}" height="{}" rx="6" fill="{}" '
        'stroke="#5a6b7d" stroke-width="1"/>'
        '<text x="{}" y="{}" fill="{}" font-size="13" text-anchor="middle">{}</text>'
        '<text x="{}" y="{}" fill="{}" font-size="13" font-weight="bold" '
        'text-anchor="middle">{}</text></g>',
        tiles,
    )
    summary = "、".join(
        _("%(label)s %(count)d市町村") % {"label": item.label, "count": item.count}
        for item in legend(rows)
    )
    return format_html(
        '<svg class="tilemap" viewBox="0 0 {} {}" role="img" aria-labelledby="tilemap-title '
        'tilemap-desc" xmlns="http://www.w3.org/2000/svg"><title id="tilemap-title">{}</title>'
        '<desc id="tilemap-desc">{}</desc>{}</svg>',
        width,
        height,
        _("33市町村のステージ（地図風の配置）"),
        _("各市町村の現在のステージ。%(summary)s。数値は下の表にあります。") % {"summary": summary},
        body,
    )
