"""ECharts options built from selector data; no Django import, so reports reuse them."""

from __future__ import annotations

HEALTH_COLOURS = {"green": "#198754", "amber": "#ffc107", "red": "#dc3545", "grey": "#adb5bd"}


def health_pie(rows: list[tuple[str, str, int]], title: str = "") -> dict:
    return {
        "title": {"text": title, "left": "center", "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "item", "formatter": "{b}: {c} ({d}%)"},
        "legend": {"bottom": 0},
        "series": [
            {
                "type": "pie",
                "radius": ["40%", "68%"],
                "data": [
                    {
                        "key": code,
                        "name": label,
                        "value": count,
                        "itemStyle": {"color": HEALTH_COLOURS.get(code)},
                    }
                    for code, label, count in rows
                ],
            }
        ],
    }


def bar(
    categories: list[str],
    series: dict[str, list[float]],
    keys: list | None = None,
    title: str = "",
    horizontal: bool = False,
    value_name: str = "",
) -> dict:
    """Grouped bars; ``keys`` travel with the data points for drill-down clicks."""
    # Many or long category names are turned so that they do not overlap.
    rotate = 30 if len(categories) > 6 and not horizontal else 0
    category_axis = {
        "type": "category",
        "data": categories,
        "axisLabel": {"interval": 0, "rotate": rotate},
    }
    value_axis = {"type": "value", "name": value_name}
    return {
        "title": {"text": title, "left": "center", "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "axis"},
        "legend": {"bottom": 0} if len(series) > 1 else {"show": False},
        "grid": {
            "left": 8,
            "right": 16,
            "top": 36,
            "bottom": 40 if rotate else 30,
            "containLabel": True,
        },
        "xAxis": value_axis if horizontal else category_axis,
        "yAxis": category_axis if horizontal else value_axis,
        "series": [
            {
                "type": "bar",
                "name": name,
                "data": [{"value": v, "key": keys[i]} if keys else v for i, v in enumerate(values)],
            }
            for name, values in series.items()
        ],
    }


def health_trend(weeks: list[str], counts: dict[str, list[int]], labels: dict[str, str]) -> dict:
    """Stacked bars of projects per health and week; ``counts`` maps a health code to one
    count per week, ``labels`` a health code to its name."""
    return {
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "legend": {"bottom": 0},
        "grid": {"left": 8, "right": 16, "top": 16, "bottom": 30, "containLabel": True},
        "xAxis": {"type": "category", "data": weeks},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [
            {
                "type": "bar",
                "stack": "health",
                "name": labels[code],
                "itemStyle": {"color": HEALTH_COLOURS.get(code)},
                "data": [{"value": n, "key": code} for n in values],
            }
            for code, values in counts.items()
        ],
    }


def distribution(
    categories: list[str], values: list[int], keys: list | None = None, colours=None
) -> dict:
    """One bar per category (a grade, a level …), each optionally in its own colour."""
    colours = colours or []
    return {
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 8, "right": 16, "top": 16, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "category", "data": categories, "axisLabel": {"interval": 0}},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [
            {
                "type": "bar",
                "data": [
                    {
                        "value": v,
                        **({"key": keys[i]} if keys else {}),
                        **({"itemStyle": {"color": colours[i]}} if i < len(colours) else {}),
                    }
                    for i, v in enumerate(values)
                ],
            }
        ],
    }
