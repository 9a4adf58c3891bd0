"""ECharts options of the portfolio pages, built from selector data.

No Django import (as ``pmo.core.charts``): callers pass translated labels and money
already divided into the chart unit, so reports can reuse the builders.
"""

from __future__ import annotations

import math

RED, BLUE, GREY, GREEN, AMBER = "#dc3545", "#0d6efd", "#adb5bd", "#198754", "#ffc107"


def _grid(bottom: int = 40) -> dict:
    return {"left": 12, "right": 24, "top": 40, "bottom": bottom, "containLabel": True}


def frontier(
    points: list[dict],
    *,
    scenario: dict | None,
    budget: float | None,
    labels: dict,
) -> dict:
    """The efficient frontier: best value (y) against the cost (x) of the optimal set
    at each budget, with the scenario's own point and its budget limit.

    ``points`` and ``scenario`` are ``{"x": cost in chart unit, "y": value, "name":
    tooltip text}``; ``labels`` holds ``frontier``, ``scenario``, ``budget``, ``x``,
    ``y``.
    """
    series = [
        {
            "type": "line",
            "name": labels["frontier"],
            "data": [{"value": [p["x"], p["y"]], "name": p["name"]} for p in points],
            "symbolSize": 7,
            "lineStyle": {"width": 2},
            "itemStyle": {"color": BLUE},
        }
    ]
    if scenario is not None:
        marker = {
            "type": "scatter",
            "name": labels["scenario"],
            "data": [{"value": [scenario["x"], scenario["y"]], "name": scenario["name"]}],
            "symbolSize": 18,
            "itemStyle": {"color": RED},
            "z": 5,
        }
        if budget is not None:
            marker["markLine"] = {
                "symbol": "none",
                "silent": True,
                "lineStyle": {"type": "dashed", "color": RED},
                "label": {"formatter": labels["budget"], "position": "insideEndTop"},
                "data": [{"xAxis": budget}],
            }
        series.append(marker)
    return {
        "tooltip": {"trigger": "item", "formatter": "{b}"},
        "legend": {"bottom": 0},
        "grid": _grid(),
        "xAxis": {
            "type": "value",
            "name": labels["x"],
            "nameLocation": "middle",
            "nameGap": 26,
            "scale": True,
        },
        "yAxis": {
            "type": "value",
            "name": labels["y"],
            "scale": True,
            "nameTextStyle": {"align": "left"},
        },
        "series": series,
    }


def bubble(groups: dict[str, list[dict]], *, labels: dict, colours: dict | None = None) -> dict:
    """Value (y) against risk (x) with the bubble's area proportional to cost.

    ``groups`` maps a legend label to points ``{"risk", "value", "cost", "name",
    "label"}`` (cost in any unit, ``label`` written next to the bubble); projects of
    equal risk are spread a little sideways so that none hides another.
    """
    colours = colours or {}
    largest = max((p["cost"] for pts in groups.values() for p in pts), default=0) or 1
    seen: dict[int, int] = {}
    series = []
    for label, points in groups.items():
        data = []
        for point in points:
            risk = point["risk"]
            offset = seen.get(risk, 0)
            seen[risk] = offset + 1
            spread = ((offset % 7) - 3) * 0.07
            data.append(
                {
                    "value": [round(risk + spread, 3), round(point["value"], 2)],
                    "name": point["name"],
                    "symbolSize": round(10 + 42 * math.sqrt(point["cost"] / largest), 1),
                    "label": {
                        "show": True,
                        "formatter": point.get("label", ""),
                        "position": "right",
                        "fontSize": 10,
                    },
                }
            )
        entry = {"type": "scatter", "name": label, "data": data, "itemStyle": {"opacity": 0.75}}
        if label in colours:
            entry["itemStyle"]["color"] = colours[label]
        series.append(entry)
    if series:
        series[0]["markLine"] = {
            "symbol": "none",
            "silent": True,
            "lineStyle": {"type": "dashed", "color": GREY},
            "label": {"formatter": labels["risk_line"]},
            "data": [{"xAxis": 3.5}],
        }
    return {
        "tooltip": {"trigger": "item", "formatter": "{b}"},
        "legend": {"bottom": 0},
        "grid": _grid(),
        "xAxis": {
            "type": "value",
            "name": labels["x"],
            "nameLocation": "middle",
            "nameGap": 26,
            "min": 0.5,
            "max": 5.5,
            "interval": 1,
        },
        "yAxis": {"type": "value", "name": labels["y"], "nameTextStyle": {"align": "left"}},
        "series": series,
    }


def funnel(rows: list[tuple[str, int]], *, title: str = "") -> dict:
    """Candidates by lifecycle stage, in lifecycle order (stages with none left out)."""
    return {
        "title": {"text": title, "left": "center", "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "item", "formatter": "{b}: {c}"},
        "series": [
            {
                "type": "funnel",
                "sort": "none",
                "minSize": "8%",
                "left": "10%",
                "width": "80%",
                "label": {"show": True, "position": "inside", "formatter": "{b}: {c}"},
                "data": [{"name": label, "value": count} for label, count in rows if count],
            }
        ],
    }


def dependency_graph(nodes: list[dict], edges: list[dict], *, labels: dict) -> dict:
    """Projects as nodes, "requires" as arrows and "excludes" as red dashed lines.

    ``nodes`` are ``{"id", "name", "tooltip", "candidate": bool}``; ``edges`` are
    ``{"source", "target", "kind"}`` with ids as strings.
    """
    categories = [{"name": labels["candidate"]}, {"name": labels["other"]}]
    return {
        "tooltip": {"trigger": "item", "formatter": "{b}"},
        "legend": {"bottom": 0, "data": [c["name"] for c in categories]},
        "series": [
            {
                "type": "graph",
                "layout": "force",
                "roam": True,
                "draggable": True,
                "categories": categories,
                "force": {"repulsion": 220, "edgeLength": 110},
                "label": {"show": True, "position": "right"},
                "edgeSymbol": ["none", "arrow"],
                "edgeSymbolSize": 9,
                "data": [
                    {
                        "id": node["id"],
                        "name": node["tooltip"],
                        "value": node["name"],
                        "category": 0 if node["candidate"] else 1,
                        "symbolSize": 18 if node["candidate"] else 12,
                        "label": {"formatter": node["name"]},
                    }
                    for node in nodes
                ],
                "links": [
                    {
                        "source": edge["source"],
                        "target": edge["target"],
                        "name": edge.get("name", ""),
                        **(
                            {
                                "lineStyle": {"type": "dashed", "color": RED, "width": 2},
                                "symbol": ["none", "none"],
                            }
                            if edge["kind"] == "excludes"
                            else {"lineStyle": {"color": BLUE, "width": 2}}
                        ),
                    }
                    for edge in edges
                ],
            }
        ],
    }


def risk_mix(rows: list[tuple[str, float, int]], *, labels: dict) -> dict:
    """Cost (bars) per risk rating; ``rows`` are (label, cost in chart unit, count)."""
    colours = [GREEN, GREEN, AMBER, RED, RED, GREY]
    return {
        "tooltip": {"trigger": "axis"},
        "grid": _grid(30),
        "xAxis": {"type": "category", "data": [label for label, _c, _n in rows]},
        "yAxis": {"type": "value", "name": labels["y"]},
        "series": [
            {
                "type": "bar",
                "name": labels["series"],
                "data": [
                    {"value": round(cost, 1), "itemStyle": {"color": colours[min(i, 5)]}}
                    for i, (_label, cost, _n) in enumerate(rows)
                ],
                "label": {"show": True, "position": "top", "formatter": "{c}"},
            }
        ],
    }


def scenario_bars(names: list[str], series: dict[str, list[float]], *, labels: dict) -> dict:
    """Value and cost of several scenarios side by side (two value axes)."""
    keys = list(series)
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"bottom": 0},
        "grid": _grid(),
        "xAxis": {"type": "category", "data": names},
        "yAxis": [
            {"type": "value", "name": labels["value"]},
            {"type": "value", "name": labels["cost"]},
        ],
        "series": [
            {
                "type": "bar",
                "name": key,
                "yAxisIndex": index,
                "data": [round(v, 2) for v in series[key]],
                "label": {"show": True, "position": "top"},
            }
            for index, key in enumerate(keys)
        ],
    }
