"""Money and number formatting per language."""

from decimal import Decimal

import pytest

from pmo.core.formatting import decimal, money, percent


@pytest.mark.parametrize(
    ("value", "language", "expected"),
    [
        (Decimal("12345678"), "zh-hans", "1,234.57万元"),
        (Decimal("10000"), "zh-hans", "1.00万元"),
        (Decimal("9999"), "zh-hans", "9,999元"),
        (Decimal("-250000"), "zh-hans", "-25.00万元"),
        (Decimal("12345678"), "en", "¥12,345,678"),
        (0, "en", "¥0"),
        (None, "en", "—"),
        ("", "zh-hans", "—"),
    ],
)
def test_money(value, language, expected):
    assert money(value, language) == expected


def test_money_compact_in_chinese():
    assert money(Decimal("416280000"), "zh-hans", compact=True) == "4.16亿元"
    assert money(Decimal("12345678"), "zh-hans", compact=True) == "1,235万元"


def test_money_compact_in_english():
    assert money(Decimal("12345678"), "en", compact=True) == "¥12.35M"
    assert money(Decimal("999999"), "en", compact=True) == "¥999,999"


def test_negative_money_puts_the_sign_before_the_currency():
    assert money(Decimal("-2133568.4"), "en") == "-¥2,133,568"
    assert money(Decimal("-12345678"), "en", compact=True) == "-¥12.35M"
    assert money(Decimal("-123456"), "zh-hans") == "-12.35万元"


def test_percent_and_decimal():
    assert percent(Decimal("42.46")) == "42%"
    assert percent(Decimal("42.46"), 1) == "42.5%"
    assert decimal(Decimal("1234.56"), 1) == "1,234.6"
    assert percent(None) == "—"
