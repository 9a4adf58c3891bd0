"""ECharts options of delivery pages, built from plain rows (no Django import)."""

from __future__ import annotations

HEALTH_COLOURS = {"green": "#198754", "amber": "#ffc107", "red": "#dc3545", "grey": "#adb5bd"}


def index_trend(reports, spi_label: str = "SPI", cpi_label: str = "CPI") -> dict:
    """SPI and CPI per reporting period, with the 1.0 line; ``reports`` oldest first."""
    labels = [f"{r.period_start:%m-%d}" for r in reports]

    def values(key):
        return [None if getattr(r, key) is None else float(getattr(r, key)) for r in reports]

    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"bottom": 0},
        "grid": {"left": 8, "right": 16, "top": 16, "bottom": 30, "containLabel": True},
        "xAxis": {"type": "category", "data": labels},
        "yAxis": {"type": "value", "min": 0.5, "max": 1.3},
        "series": [
            {
                "type": "line",
                "name": spi_label,
                "data": values("spi"),
                "markLine": {
                    "silent": True,
                    "symbol": "none",
                    "data": [{"yAxis": 1}],
                    "lineStyle": {"color": "#6c757d", "type": "dashed"},
                },
            },
            {"type": "line", "name": cpi_label, "data": values("cpi")},
        ],
    }


def count_bars(categories: list[str], values: list[int], name: str, colour: str = "") -> dict:
    return {
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 8, "right": 16, "top": 16, "bottom": 24, "containLabel": True},
        "xAxis": {"type": "category", "data": categories, "axisLabel": {"interval": 0}},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [
            {
                "type": "bar",
                "name": name,
                "data": values,
                **({"itemStyle": {"color": colour}} if colour else {}),
            }
        ],
    }
