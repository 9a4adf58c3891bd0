"""ECharts options of the evaluation pages, built from ``evaluation.analysis`` data."""

from __future__ import annotations

from pmo.core.charts import bar

GRADE_COLOURS = ("#198754", "#20c997", "#ffc107", "#fd7e14", "#dc3545")


def _r(value: float | None, places: int = 2) -> float | None:
    return None if value is None else round(value, places)


def grades(rows: list[tuple[str, str, int]], title: str, name: str) -> dict:
    option = bar(
        [f"{code} {label}" for code, label, _n in rows],
        {name: [n for *_x, n in rows]},
        keys=[code for code, _l, _n in rows],
        title=title,
    )
    option["series"][0]["data"] = [
        {
            "value": n,
            "key": code,
            "itemStyle": {"color": GRADE_COLOURS[min(i, len(GRADE_COLOURS) - 1)]},
        }
        for i, (code, _label, n) in enumerate(rows)
    ]
    return option


def by_unit(rows: list[tuple[str, float, int]], title: str, name: str) -> dict:
    return bar(
        [r[0] for r in rows], {name: [_r(r[1], 1) for r in rows]}, title=title, value_name="0–100"
    )


def dimensions(rows, title: str, now: str, before: str) -> dict:
    series = {now: [_r(r[2]) for r in rows]}
    if any(r[3] is not None for r in rows):
        series[before] = [_r(r[3]) for r in rows]
    option = bar([r[1] for r in rows], series, title=title, value_name="1–5")
    option["yAxis"]["min"], option["yAxis"]["max"] = 0, 5
    return option


def lowest_criteria(criteria, title: str, now: str, before: str) -> dict:
    shown = list(reversed(criteria[:8]))
    series = {now: [_r(c.mean) for c in shown]}
    if any(c.previous is not None for c in shown):
        series[before] = [_r(c.previous) for c in shown]
    option = bar(
        [f"{c.code} {c.label}" for c in shown],
        series,
        title=title,
        horizontal=True,
        value_name="1–5",
    )
    option["xAxis"]["min"], option["xAxis"]["max"] = 0, 5
    return option


def groups(by_group, labels: dict[str, str], title: str) -> dict:
    codes = list(labels)
    option = bar(
        [g for g, _v in by_group],
        {labels[code]: [_r(values.get(code)) for _g, values in by_group] for code in codes},
        title=title,
        value_name="1–5",
    )
    # Many dimensions: a scrolling legend at the bottom, with room above it for the unit names.
    option["legend"] = {"bottom": 0, "type": "scroll"}
    option["grid"]["bottom"] = 48
    return option


def trend(cycle_labels: list[str], series: dict[str, list[float | None]], title: str) -> dict:
    return {
        "title": {"text": title, "left": "center", "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "axis"},
        "legend": {"bottom": 0, "type": "scroll"},
        "grid": {"left": 8, "right": 16, "top": 36, "bottom": 48, "containLabel": True},
        "xAxis": {"type": "category", "data": cycle_labels},
        "yAxis": {"type": "value", "min": 1, "max": 5, "name": "1–5"},
        "series": [
            {"type": "line", "name": name, "data": [_r(v) for v in values], "connectNulls": True}
            for name, values in series.items()
        ],
    }
