"""Number and money formatting per language, without Django's slower localisation.

Chinese readers expect large sums in 万元 (units of ten thousand yuan); English
readers get the yuan sign with thousands separators.
"""

from __future__ import annotations

from decimal import Decimal

WAN = Decimal(10_000)
YI = Decimal(100_000_000)


def _number(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return None


def money(value, language: str, compact: bool = False) -> str:
    """Format an amount of CNY for ``language`` ("zh-hans" or "en")."""
    amount = _number(value)
    if amount is None:
        return "—"
    if language.startswith("zh"):
        if compact and abs(amount) >= YI:
            return f"{amount / YI:,.2f}亿元"
        if abs(amount) >= WAN:
            return f"{amount / WAN:,.0f}万元" if compact else f"{amount / WAN:,.2f}万元"
        return f"{amount:,.0f}元"
    sign, size = ("-", -amount) if amount < 0 else ("", amount)
    if compact and size >= 1_000_000:
        return f"{sign}¥{size / 1_000_000:,.2f}M"
    return f"{sign}¥{size:,.0f}"


def chart_unit(language: str) -> tuple[Decimal, str]:
    """The divisor and unit name for money on chart axes: 万元 in Chinese, ¥M in English."""
    return (WAN, "万元") if language.startswith("zh") else (Decimal(1_000_000), "¥M")


def percent(value, digits: int = 0) -> str:
    number = _number(value)
    if number is None:
        return "—"
    return f"{number:.{digits}f}%"


def decimal(value, digits: int = 1) -> str:
    number = _number(value)
    if number is None:
        return "—"
    return f"{number:,.{digits}f}"
