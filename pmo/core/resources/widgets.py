"""Widgets of the import resources: one spreadsheet cell to one value, and back.

Cells come from Excel (typed: numbers, dates, booleans) or from CSV (all text), filled
in by people in Chinese or English; the widgets accept both and explain, in the user's
language, what they expected when a cell cannot be read.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import widgets
from import_export.fields import Field

LANGUAGES = ("zh-hans", "en")
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")
MONTH_FORMATS = ("%Y-%m", "%Y/%m", "%Y.%m", "%Y年%m月", "%Y%m", *DATE_FORMATS)
TRUE_WORDS = {"1", "true", "yes", "y", "t", "是", "对", "√", "✓", "✔"}
FALSE_WORDS = {"0", "false", "no", "n", "f", "否", "不", "×", "✗"}
# Excel and LibreOffice run a cell that starts with one of these as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def in_both_languages(text) -> set[str]:
    """A lazy translatable text in Chinese and in English, case-folded."""
    result = set()
    for language in LANGUAGES:
        with translation.override(language):
            result.add(str(text).strip().casefold())
    return result


def list_separator() -> str:
    # Translators: separates the items of a list, "、" in Chinese.
    return _(", ")


def normalise_header(text) -> str:
    """A header cell reduced to what matters: no spaces, marks, brackets or case."""
    return re.sub(r"[\s*＊_\-()（）\[\]【】:：]", "", str(text or "")).casefold()


def neutralise(value):
    """Make a text cell harmless in a spreadsheet: a leading quote stops formulas."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


# --- widgets: one cell to one value and back ---------------------------------------------


class TextWidget(widgets.CharWidget):
    """Text; an empty cell is "" and numbers typed into Excel come back as written."""

    def __init__(self, max_length: int | None = None):
        super().__init__()
        self.max_length = max_length

    def clean(self, value, row=None, **kwargs):
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return value.isoformat()
        return str(value).strip()

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class ChoiceWidget(widgets.Widget):
    """One of a model's choices, given by its code or its Chinese or English label."""

    def __init__(self, choices, default: str | None = None):
        super().__init__(coerce_to_string=False)
        self.choices = choices
        self.default = default
        self._lookup: dict[str, str] | None = None

    def lookup(self) -> dict[str, str]:
        if self._lookup is None:
            self._lookup = {}
            for code, label in self.choices.choices:
                self._lookup[code.casefold()] = code
                for text in in_both_languages(label):
                    self._lookup.setdefault(text, code)
        return self._lookup

    def labels(self) -> list[str]:
        return [str(label) for label in self.choices.labels]

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        if not text:
            if self.default is None:
                raise ValueError(
                    _("Choose one of: %(choices)s.")
                    % {"choices": list_separator().join(self.labels())}
                )
            return self.default
        code = self.lookup().get(text.casefold())
        if code is None:
            raise ValueError(
                _("“%(value)s” is not an allowed value. Use one of: %(choices)s.")
                % {"value": text, "choices": list_separator().join(self.labels())}
            )
        return code

    def render(self, value, obj=None, **kwargs):
        if not value:
            return ""
        try:
            return str(self.choices(value).label)
        except ValueError:
            return str(value)


class NumberWidget(widgets.Widget):
    """A decimal number; thousands separators and a yuan sign are allowed."""

    def __init__(self, default: Decimal | None = None):
        super().__init__(coerce_to_string=False)
        self.default = default

    def clean(self, value, row=None, **kwargs):
        if value is None or (isinstance(value, str) and not value.strip()):
            return self.default
        if isinstance(value, bool):
            raise ValueError(_("Enter a number."))
        if isinstance(value, int | Decimal):
            return Decimal(value)
        if isinstance(value, float):
            return Decimal(str(value))
        text = re.sub(r"[\s,，¥￥]", "", str(value))
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise ValueError(_("“%(value)s” is not a number.") % {"value": value})
        return number

    def render(self, value, obj=None, **kwargs):
        return value


class DateWidget(widgets.Widget):
    """A date: an Excel date cell or text such as 2026-03-31 or 2026/3/31."""

    formats = DATE_FORMATS

    def __init__(self, required: bool = False):
        super().__init__(coerce_to_string=False)
        self.required = required

    def parse(self, value) -> dt.date | None:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = str(value).strip()
        for fmt in self.formats:
            try:
                return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date
            except ValueError:
                continue
        return None

    def invalid(self, value) -> str:
        return _("“%(value)s” is not a date. Write dates like 2026-03-31.") % {"value": value}

    def clean(self, value, row=None, **kwargs):
        if value is None or (isinstance(value, str) and not value.strip()):
            if self.required:
                raise ValueError(_("This value is required."))
            return None
        date = self.parse(value)
        if date is None:
            raise ValueError(self.invalid(value))
        return date

    def render(self, value, obj=None, **kwargs):
        return value


class MonthWidget(DateWidget):
    """A month: 2026-03, 2026/3, 2026年3月 or any date in it; stored as its first day."""

    formats = MONTH_FORMATS

    def invalid(self, value) -> str:
        return _("“%(value)s” is not a month. Write months like 2026-03.") % {"value": value}

    def clean(self, value, row=None, **kwargs):
        date = super().clean(value, row, **kwargs)
        return date.replace(day=1) if date else date

    def render(self, value, obj=None, **kwargs):
        return value.strftime("%Y-%m") if value else ""


class BooleanWidget(widgets.Widget):
    """Yes or no: 是/否, yes/no, true/false, 1/0 or an Excel TRUE/FALSE cell."""

    def __init__(self, default: bool):
        super().__init__(coerce_to_string=False)
        self.default = default

    def clean(self, value, row=None, **kwargs):
        if value is None or (isinstance(value, str) and not value.strip()):
            return self.default
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float) and value in (0, 1):
            return bool(value)
        text = str(value).strip().casefold()
        if text in TRUE_WORDS or text in in_both_languages(gettext_lazy("Yes")):
            return True
        if text in FALSE_WORDS or text in in_both_languages(gettext_lazy("No")):
            return False
        raise ValueError(_("“%(value)s” is not yes or no. Write 是 or 否.") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        return _("Yes") if value else _("No")


class KeyWidget(widgets.Widget):
    """A related record named by its natural key (a code or an employee number).

    Lookups are primed in bulk for all keys of a file, and records created earlier in
    the same import are remembered, so a file may name a unit or a programme that one
    of its own earlier rows creates.
    """

    def __init__(self, model, key_field: str, *, required: bool = False, check=None):
        super().__init__(coerce_to_string=False)
        self.model, self.key_field = model, key_field
        self.required, self.check = required, check
        self.cache: dict[str, object] = {}
        self.primed: set[str] = set()

    def prime(self, keys) -> None:
        wanted = {k for k in keys if k and k not in self.primed}
        if not wanted:
            return
        for obj in self.model._default_manager.filter(**{f"{self.key_field}__in": wanted}):
            self.cache[getattr(obj, self.key_field)] = obj
        self.primed |= wanted

    def remember(self, obj) -> None:
        self.cache[getattr(obj, self.key_field)] = obj

    def clean(self, value, row=None, **kwargs):
        key = TextWidget().clean(value)
        if not key:
            if self.required:
                raise ValueError(_("This value is required."))
            return None
        self.prime([key])
        obj = self.cache.get(key)
        if obj is None:
            raise ValueError(
                _("There is no %(model)s with %(field)s “%(value)s”.")
                % {
                    "model": self.model._meta.verbose_name,
                    "field": self.model._meta.get_field(self.key_field).verbose_name,
                    "value": key,
                }
            )
        if self.check is not None:
            self.check(obj)
        return obj

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else getattr(value, self.key_field)


class Column(Field):
    """A spreadsheet column: a field with a translated label and help for the template."""

    def __init__(self, attribute, key, label, widget, *, required=False, help_text="", **kw):
        super().__init__(attribute=attribute, column_name=key, widget=widget, **kw)
        self.label, self.required, self.help_text = label, required, help_text

    @property
    def key(self) -> str:
        return self.column_name

    def title(self) -> str:
        """The column's header in the active language."""
        return capfirst(str(self.label))

    def aliases(self) -> set[str]:
        names = {normalise_header(self.key)}
        for text in in_both_languages(self.label):
            names.add(normalise_header(text))
        return names

    def describe(self) -> str:
        """What to write in the column, for the template and the import page."""
        widget = self.widget
        parts = [str(self.help_text)] if self.help_text else []
        if isinstance(widget, ChoiceWidget):
            parts.append(
                _("One of: %(choices)s.") % {"choices": list_separator().join(widget.labels())}
            )
            if widget.default:
                parts.append(_("Empty means %(value)s.") % {"value": widget.render(widget.default)})
        elif isinstance(widget, BooleanWidget):
            parts.append(
                _("是 or 否 (yes or no); empty means %(value)s.")
                % {"value": widget.render(widget.default)}
            )
        elif isinstance(widget, MonthWidget):
            parts.append(_("A month like 2026-03."))
        elif isinstance(widget, DateWidget):
            parts.append(_("A date like 2026-03-31."))
        elif isinstance(widget, NumberWidget):
            parts.append(_("A number."))
            if widget.default is not None:
                parts.append(_("Empty means %(value)s.") % {"value": widget.default})
        elif isinstance(widget, TextWidget):
            if widget.max_length:
                parts.append(_("Text, up to %(count)s characters.") % {"count": widget.max_length})
            else:
                parts.append(_("Text."))
        elif isinstance(widget, KeyWidget):
            parts.append(
                _("The %(field)s of an existing %(model)s.")
                % {
                    "field": widget.model._meta.get_field(widget.key_field).verbose_name,
                    "model": widget.model._meta.verbose_name,
                }
            )
        return " ".join(parts)


def field_label(model, name: str):
    return model._meta.get_field(name).verbose_name


def text_column(model, name: str, key: str | None = None, **kwargs) -> Column:
    """A text column for a model field, labelled with the field's verbose name."""
    widget = TextWidget(max_length=getattr(model._meta.get_field(name), "max_length", None))
    return Column(name, key or name, field_label(model, name), widget, **kwargs)


UNIQUE_CODE = gettext_lazy("Unique. A row with a code that already exists updates that record.")
