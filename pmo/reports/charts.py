"""Charts for PDFs: SVG drawn on the server by pygal from the core selectors' data.

Every chart sets the CJK font on its root ``<svg>`` and in pygal's own style, so that
Chinese labels print with real glyphs. No JavaScript and no external stylesheet is
embedded: WeasyPrint would ignore the one and must not fetch the other.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pygal
from pygal.style import Style

from pmo.core.charts import HEALTH_COLOURS
from pmo.core.formatting import WAN
from pmo.reports.pdf import FONT_FAMILY

_SVG_OPEN = re.compile(r"<svg\b")


def _style(colours: tuple[str, ...] = ("#0d6efd", "#6c757d", "#20c997")) -> Style:
    return Style(
        font_family=FONT_FAMILY,
        title_font_family=FONT_FAMILY,
        label_font_family=FONT_FAMILY,
        major_label_font_family=FONT_FAMILY,
        legend_font_family=FONT_FAMILY,
        value_font_family=FONT_FAMILY,
        tooltip_font_family=FONT_FAMILY,
        background="white",
        plot_background="white",
        foreground="#212529",
        foreground_strong="#212529",
        foreground_subtle="#6c757d",
        colors=colours,
        title_font_size=14,
        label_font_size=11,
        major_label_font_size=11,
        legend_font_size=11,
        value_font_size=11,
    )


def _config(**extra) -> dict:
    return {
        "js": [],
        "disable_xml_declaration": True,
        "show_y_guides": True,
        **extra,
    }


def _cjk_margin(labels: list[str], font_size: int) -> int:
    """Extra left margin for CJK labels: pygal sizes text as 0.6 em per character,
    but a Chinese character is a full em wide."""
    widest = max((sum(1 for ch in label if ord(ch) > 0x2E80) for label in labels), default=0)
    return int(widest * 0.45 * font_size) + 4


def with_font(svg: str) -> str:
    """Put the report font on the root element so every text inherits it."""
    family = FONT_FAMILY.replace('"', "'")
    return _SVG_OPEN.sub(f'<svg font-family="{family}" style="font-family: {family}"', svg, count=1)


def health_pie(rows: list[tuple[str, str, int]], title: str) -> str:
    """A doughnut of active projects per health, from ``selectors.health_counts``."""
    shown = [(code, label, n) for code, label, n in rows if n]
    colours = tuple(HEALTH_COLOURS.get(code, "#adb5bd") for code, _label, _n in shown)
    chart = pygal.Pie(
        style=_style(colours or ("#adb5bd",)),
        **_config(width=400, height=280, inner_radius=0.45, print_values=True),
    )
    chart.title = title
    for _code, label, count in shown:
        chart.add(label, count)
    return with_font(chart.render(is_unicode=True))


def money_by_unit_bar(
    rows: list[dict], *, language: str, title: str, budget_label: str, spend_label: str
) -> str:
    """Budget and spend of active projects per unit, from ``selectors.money_by_unit``.

    The axis counts in 万 (ten thousand yuan) for Chinese readers, as the register's
    money columns do, and in millions of yuan for English ones.
    """
    en = language.startswith("en")
    scale = Decimal(1_000_000) if en else WAN

    def unit_name(row: dict) -> str:
        return (en and row.get("org_unit__name_en")) or row["org_unit__name"]

    def scaled(value) -> float:
        return float((value or Decimal(0)) / scale)

    def axis_label(value: float) -> str:
        return f"¥{value:,.1f}M" if en else f"{value:,.0f}万"

    rows = list(reversed(rows))  # pygal draws the first bar at the bottom; largest on top
    labels = [unit_name(r) for r in rows]
    chart = pygal.HorizontalBar(
        style=_style(),
        **_config(
            width=640,
            height=max(220, 70 + 34 * len(rows)),
            legend_at_bottom=True,
            truncate_label=-1,
            margin_left=_cjk_margin(labels, 11),
            value_formatter=axis_label,
        ),
    )
    chart.title = title
    chart.x_labels = labels
    chart.add(budget_label, [scaled(r["budget"]) for r in rows])
    chart.add(spend_label, [scaled(r["spend"]) for r in rows])
    return with_font(chart.render(is_unicode=True))
