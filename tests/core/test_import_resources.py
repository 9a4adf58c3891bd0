"""The columns of the import resources: how cells are read, headers matched, rows ordered."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from pmo.core.importing import _parents_first
from pmo.core.models import Classification, ResourceDemand
from pmo.core.resources import (
    RESOURCES,
    BooleanWidget,
    ChoiceWidget,
    DateWidget,
    MonthWidget,
    NumberWidget,
    TextWidget,
    normalise_header,
)

pytestmark = pytest.mark.usefixtures("english")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (None, ""),
        ("  A-1 ", "A-1"),
        (1002, "1002"),
        (1002.0, "1002"),
        (dt.datetime(2026, 1, 2), "2026-01-02"),
    ],
)
def test_text_cells(cell, expected):
    assert TextWidget().clean(cell) == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("key", "key"),
        ("Key", "key"),
        ("KEY", "key"),
        (" Major ", "major"),
        (None, "general"),
        ("", "general"),
    ],
)
def test_choice_cells_take_the_code_or_the_label(cell, expected):
    assert ChoiceWidget(Classification, default="general").clean(cell) == expected


def test_choice_cells_take_the_chinese_label(monkeypatch):
    from django.utils.translation import trans_real

    def fake(message):  # stands in for the compiled catalogue
        if translation.get_language() == "zh-hans" and message == "Key":
            return "重点"
        return trans_real.gettext(message)

    monkeypatch.setattr(translation._trans, "gettext", fake)
    widget = ChoiceWidget(Classification)
    assert widget.clean("重点") == "key"


def test_an_unknown_choice_lists_the_allowed_values():
    with pytest.raises(
        ValueError, match="“huge” is not an allowed value. Use one of: Major, Key, General."
    ):
        ChoiceWidget(Classification).clean("huge")


def test_a_required_choice_without_default_must_be_given():
    with pytest.raises(ValueError, match="Choose one of"):
        ChoiceWidget(ResourceDemand.Source).clean("")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("1,500,000", Decimal("1500000")),
        ("￥2 000.50", Decimal("2000.50")),
        (12, Decimal(12)),
        (0.1, Decimal("0.1")),
        ("", None),
        (None, None),
    ],
)
def test_number_cells(cell, expected):
    assert NumberWidget().clean(cell) == expected


@pytest.mark.parametrize("cell", ["abc", "1.2.3", "NaN", "Infinity", True])
def test_bad_numbers(cell):
    with pytest.raises(ValueError):
        NumberWidget().clean(cell)


@pytest.mark.parametrize(
    "cell",
    [
        "2026-03-31",
        "2026/3/31",
        "2026.03.31",
        "2026年3月31日",
        "20260331",
        dt.datetime(2026, 3, 31, 0, 0),
    ],
)
def test_date_cells(cell):
    assert DateWidget().clean(cell) == dt.date(2026, 3, 31)


def test_bad_dates_say_how_to_write_them():
    with pytest.raises(ValueError, match="Write dates like 2026-03-31"):
        DateWidget().clean("31/13/2026")


@pytest.mark.parametrize(
    "cell",
    ["2026-03", "2026/3", "2026.03", "2026年3月", "202603", "2026-03-17", dt.datetime(2026, 3, 1)],
)
def test_month_cells_are_the_first_day(cell):
    assert MonthWidget(required=True).clean(cell) == dt.date(2026, 3, 1)


def test_month_renders_as_year_and_month():
    assert MonthWidget().render(dt.date(2026, 3, 1)) == "2026-03"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("是", True),
        ("否", False),
        ("Yes", True),
        ("n", False),
        (True, True),
        (0, False),
        (None, True),
    ],
)
def test_boolean_cells(cell, expected):
    assert BooleanWidget(default=True).clean(cell) is expected


def test_bad_booleans():
    with pytest.raises(ValueError, match="is not yes or no"):
        BooleanWidget(default=False).clean("maybe")


@pytest.mark.parametrize("kind", list(RESOURCES))
def test_every_header_alias_names_one_column(kind):
    resource = RESOURCES[kind]()
    seen: dict[str, str] = {}
    for column in resource.import_columns():
        for alias in column.aliases():
            assert seen.setdefault(alias, column.key) == column.key, (kind, alias)


def test_headers_match_keys_and_labels_loosely():
    mapping = RESOURCES["people"]().header_map()
    for header in [
        "employee_no",
        "Employee number *",
        " EMPLOYEE NUMBER",
        "employee number（必填）",
    ]:
        assert mapping.get(normalise_header(header.replace("（必填）", ""))) == "employee_no"
    assert mapping[normalise_header("Weekly capacity (hours)")] == "weekly_capacity_hours"


def test_rows_are_ordered_parents_first_and_cycles_end():
    rows = [["C", "B"], ["B", "A"], ["A", ""], ["X", "Y"], ["Y", "X"]]
    ordered = [row[0] for row in _parents_first(rows, 0, 1)]
    assert ordered.index("A") < ordered.index("B") < ordered.index("C")
    assert sorted(ordered) == ["A", "B", "C", "X", "Y"]
