"""ECharts options of the study pages, built from selector data; no Django import."""

from __future__ import annotations

from collections.abc import Sequence

PALETTE = ["#0d6efd", "#20c997", "#fd7e14", "#6f42c1", "#d63384", "#6c757d", "#198754"]


def _grid(bottom: int = 40) -> dict:
    return {"left": 8, "right": 16, "top": 40, "bottom": bottom, "containLabel": True}


def cash_flow_chart(
    years: Sequence[str],
    net: Sequence[float],
    cumulative: Sequence[float],
    discounted: Sequence[float],
    *,
    labels: dict[str, str],
    value_name: str,
) -> dict:
    """Net cash flow per year as bars, the cumulative and discounted cumulative as lines."""
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"bottom": 0},
        "grid": _grid(),
        "xAxis": {"type": "category", "data": list(years)},
        "yAxis": {"type": "value", "name": value_name},
        "series": [
            {
                "type": "bar",
                "name": labels["net"],
                "data": [round(v, 2) for v in net],
                "itemStyle": {"color": "#0d6efd"},
            },
            {
                "type": "line",
                "name": labels["cumulative"],
                "data": [round(v, 2) for v in cumulative],
                "itemStyle": {"color": "#6c757d"},
            },
            {
                "type": "line",
                "name": labels["discounted"],
                "data": [round(v, 2) for v in discounted],
                "itemStyle": {"color": "#20c997"},
                "lineStyle": {"type": "dashed"},
            },
        ],
    }


def weighted_score_chart(
    alternatives: Sequence[str], criteria: Sequence[str], contributions: Sequence[Sequence[float]]
) -> dict:
    """Stacked horizontal bars: each alternative's weighted score split by criterion.

    ``contributions[i][k]`` is w_k · s_ik for alternative i and criterion k; the best
    alternative is drawn on top.
    """
    names = list(reversed(alternatives))
    return {
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "legend": {"bottom": 0},
        "grid": _grid(60),
        "color": PALETTE,
        "xAxis": {"type": "value", "max": 10},
        "yAxis": {"type": "category", "data": names},
        "series": [
            {
                "type": "bar",
                "stack": "score",
                "name": criterion,
                "data": [round(row[k], 2) for row in reversed(contributions)],
            }
            for k, criterion in enumerate(criteria)
        ],
    }


def npv_chart(alternatives: Sequence[str], npvs: Sequence[float | None], value_name: str) -> dict:
    """NPV of each alternative (bars turn red below zero)."""
    return {
        "tooltip": {"trigger": "axis"},
        "grid": _grid(30),
        "xAxis": {
            "type": "category",
            "data": list(alternatives),
            "axisLabel": {"interval": 0, "width": 110, "overflow": "break"},
        },
        "yAxis": {"type": "value", "name": value_name},
        "series": [
            {
                "type": "bar",
                "name": "NPV",
                "data": [
                    {
                        "value": None if v is None else round(v, 2),
                        "itemStyle": {"color": "#dc3545" if (v or 0) < 0 else "#198754"},
                    }
                    for v in npvs
                ],
            }
        ],
    }


def roadmap_chart(points: Sequence[tuple[str, str, bool]], labels: dict[str, str]) -> dict:
    """Milestones on a time line: (ISO date, name, is roadmap point); roadmap points
    (路标) sit on their own row as diamonds."""
    rows = [labels["milestone"], labels["roadmap"]]
    return {
        "tooltip": {"trigger": "item", "formatter": "{b}"},
        "grid": _grid(30),
        "xAxis": {"type": "time"},
        "yAxis": {"type": "category", "data": rows},
        "series": [
            {
                "type": "scatter",
                "symbolSize": 16,
                "label": {"show": True, "position": "top", "formatter": "{b}", "fontSize": 11},
                "data": [
                    {
                        "name": name,
                        "value": [day, rows[1] if roadmap else rows[0]],
                        "symbol": "diamond" if roadmap else "circle",
                        "itemStyle": {"color": "#fd7e14" if roadmap else "#0d6efd"},
                    }
                    for day, name, roadmap in points
                ],
            }
        ],
    }


def review_spread_chart(
    criteria: Sequence[str],
    reviewers: Sequence[str],
    scores: Sequence[Sequence[int | None]],
) -> dict:
    """Each reviewer's score per criterion as a point, to see where they disagree."""
    return {
        "tooltip": {"trigger": "item"},
        "legend": {"bottom": 0},
        "grid": _grid(50),
        "color": PALETTE,
        "xAxis": {"type": "category", "data": list(criteria), "axisLabel": {"interval": 0}},
        "yAxis": {"type": "value", "min": 0, "max": 10},
        "series": [
            {
                "type": "scatter",
                "name": reviewer,
                "symbolSize": 14,
                "data": [row[j] for row in scores],
            }
            for j, reviewer in enumerate(reviewers)
        ],
    }
