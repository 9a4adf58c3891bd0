"""Forms of prioritisation: drivers, weights and framework, pairwise comparison, the
rating grid, rating scales and the ranking filter. They check input; services write."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from portfolio.models import BusinessDriver, Portfolio, PortfolioItem, RatingScale
from portfolio.selectors.prioritisation import (
    SAATY_CHOICES,
    VERBAL,
    saaty_code,
    saaty_value,
)
from portfolio.services.prioritisation import LevelInput, RatingRow

ONE_TO_FIVE = (
    (1, _("1 · very low")),
    (2, _("2 · low")),
    (3, _("3 · medium")),
    (4, _("4 · high")),
    (5, _("5 · very high")),
)


def _style(form: forms.BaseForm, small: bool = False) -> None:
    size = "-sm" if small else ""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.RadioSelect | forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", f"form-select form-select{size}")
        else:
            widget.attrs.setdefault("class", f"form-control form-control{size}")


class DriverForm(forms.ModelForm):
    class Meta:
        model = BusinessDriver
        fields = ("name", "name_en", "description")
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["description"].help_text = _(
            "What the driver means and how to tell a strong contribution from a weak one."
        )
        _style(self)


class WeightsForm(forms.Form):
    """The framework of the portfolio and a manual weight (%) per driver."""

    framework = forms.ChoiceField(
        label=_("Prioritisation framework"),
        choices=Portfolio.Framework.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, drivers: list[BusinessDriver], **kwargs):
        super().__init__(*args, **kwargs)
        self.drivers = drivers
        for driver in drivers:
            self.fields[f"w_{driver.pk}"] = forms.DecimalField(
                label=driver.label,
                required=False,
                min_value=0,
                max_value=100,
                max_digits=5,
                decimal_places=1,
                initial=driver.manual_weight,
            )
            self.fields[f"w_{driver.pk}"].widget.attrs.update(
                {"step": "0.1", "inputmode": "decimal", "data-weight": "1"}
            )
        _style(self)

    def clean(self):
        data = super().clean()
        if data.get("framework") == Portfolio.Framework.MANUAL and not self.errors:
            values = [data.get(f"w_{d.pk}") for d in self.drivers]
            for driver, value in zip(self.drivers, values, strict=True):
                if value is None:
                    self.add_error(f"w_{driver.pk}", _("Give this driver a weight."))
            if all(v is not None for v in values) and self.drivers:
                total = sum(values, Decimal(0))
                if total != 100:
                    raise forms.ValidationError(
                        _("The manual weights add up to %(total)s %%; they must make 100 %%.")
                        % {"total": f"{total:g}"}
                    )
        return data

    def typed_total(self) -> Decimal | None:
        """The sum of the weights typed so far (unparseable ones left out)."""
        values = []
        for driver in self.drivers:
            raw = (self.data.get(f"w_{driver.pk}") or "").strip() if self.is_bound else None
            value = driver.manual_weight if raw is None else raw
            try:
                values.append(Decimal(str(value)) if value not in (None, "") else None)
            except ArithmeticError:
                values.append(None)
        given = [v for v in values if v is not None and v.is_finite()]
        return sum(given, Decimal(0)) if given else None

    def weight_fields(self):
        return [(driver, self[f"w_{driver.pk}"]) for driver in self.drivers]

    def manual_weights(self) -> dict[int, Decimal | None]:
        return {d.pk: self.cleaned_data.get(f"w_{d.pk}") for d in self.drivers}


def judgement_choices() -> list[tuple[str, str]]:
    """Saaty's 17 steps, read left to right: ◀ the left driver matters more, ▶ the right."""
    choices = []
    for code in SAATY_CHOICES:
        value = saaty_value(code)
        if value > 1:
            choices.append((code, f"◀ {int(value)} · {VERBAL[int(value)]}"))
        elif value == 1:
            choices.append((code, f"1 · {VERBAL[1]}"))
        else:
            step = round(1 / value)
            choices.append((code, f"{VERBAL[step]} · {step} ▶"))
    return choices


class CompareForm(forms.Form):
    """One evaluator's judgement of every pair of drivers."""

    def __init__(self, *args, pairs, current: dict[tuple[int, int], float] | None = None, **kw):
        super().__init__(*args, **kw)
        self.pairs = pairs
        current = current or {}
        choices = judgement_choices()
        for left, right in pairs:
            name = f"p_{left.pk}_{right.pk}"
            value = current.get((left.pk, right.pk))
            if value is None and (right.pk, left.pk) in current:
                value = 1 / current[(right.pk, left.pk)]
            self.fields[name] = forms.ChoiceField(
                label=_("%(left)s compared with %(right)s")
                % {"left": left.label, "right": right.label},
                choices=choices,
                initial=saaty_code(value) if value is not None else "1",
            )
            self.fields[name].widget.attrs["class"] = "form-select form-select-sm"
        self.had_judgements = bool(current)

    def rows(self):
        return [(left, right, self[f"p_{left.pk}_{right.pk}"]) for left, right in self.pairs]

    def judgements(self) -> dict[tuple[int, int], float]:
        return {
            (left.pk, right.pk): saaty_value(self.cleaned_data[f"p_{left.pk}_{right.pk}"])
            for left, right in self.pairs
        }

    def lenient_judgements(self) -> dict[tuple[int, int], float]:
        """The judgements of the posted data, a missing or odd value counting as 1
        (used by the live preview, which never writes)."""
        found = {}
        for left, right in self.pairs:
            code = self.data.get(f"p_{left.pk}_{right.pk}", "1")
            found[(left.pk, right.pk)] = saaty_value(code) if code in SAATY_CHOICES else 1.0
        return found


class RatingGridForm(forms.Form):
    """A page of the rating grid: candidates × drivers, plus feasibility, risk, mandate
    and, with the WSJF framework, its four inputs."""

    def __init__(self, *args, items, drivers, levels, wsjf: bool, ratings: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.items, self.drivers, self.wsjf = items, drivers, wsjf
        self.levels = {str(level.pk): level for level in levels}
        # Short labels: the page's legend gives each level's value and the 1–5 meanings.
        level_choices = [("", "—")] + [(str(level.pk), level.label) for level in levels]
        one_to_five = [("", "—")] + [(n, str(n)) for n in range(1, 6)]
        for item in items:
            for driver in drivers:
                level = ratings.get((item.pk, driver.pk))
                self.fields[f"r_{item.pk}_{driver.pk}"] = forms.ChoiceField(
                    label=f"{item.project.code} · {driver.label}",
                    choices=level_choices,
                    required=False,
                    initial=str(level.pk) if level else "",
                )
            self.fields[f"f_{item.pk}"] = forms.TypedChoiceField(
                label=_("Feasibility"),
                choices=one_to_five,
                coerce=int,
                empty_value=None,
                required=False,
                initial=item.feasibility,
            )
            self.fields[f"k_{item.pk}"] = forms.TypedChoiceField(
                label=_("Risk"),
                choices=one_to_five,
                coerce=int,
                empty_value=None,
                required=False,
                initial=item.risk,
            )
            self.fields[f"m_{item.pk}"] = forms.ChoiceField(
                label=_("Mandatory"),
                choices=PortfolioItem.Mandate.choices,
                required=False,
                initial=item.mandate,
            )
            if wsjf:
                for prefix, name, low in (
                    ("bv", "business_value", 0),
                    ("tc", "time_criticality", 0),
                    ("rr", "risk_reduction", 0),
                    ("js", "job_size", 1),
                ):
                    self.fields[f"{prefix}_{item.pk}"] = forms.IntegerField(
                        label=PortfolioItem._meta.get_field(name).verbose_name,
                        required=False,
                        min_value=low,
                        max_value=100 if prefix != "js" else 32767,
                        initial=getattr(item, name),
                    )
        _style(self, small=True)
        for name, field in self.fields.items():
            width = "8rem" if name.startswith("m_") else "5rem"
            field.widget.attrs["style"] = f"min-width: {width}"

    def rows(self):
        """Per candidate: its item, the rating cells and the other inputs (bound fields)."""
        rows = []
        for item in self.items:
            rows.append(
                {
                    "item": item,
                    "cells": [self[f"r_{item.pk}_{d.pk}"] for d in self.drivers],
                    "feasibility": self[f"f_{item.pk}"],
                    "risk": self[f"k_{item.pk}"],
                    "mandate": self[f"m_{item.pk}"],
                    "wsjf": [self[f"{p}_{item.pk}"] for p in ("bv", "tc", "rr", "js")]
                    if self.wsjf
                    else [],
                }
            )
        return rows

    def rating_rows(self) -> list[RatingRow]:
        data = self.cleaned_data
        rows = []
        for item in self.items:
            wsjf = None
            if self.wsjf:
                wsjf = {
                    "business_value": data.get(f"bv_{item.pk}"),
                    "time_criticality": data.get(f"tc_{item.pk}"),
                    "risk_reduction": data.get(f"rr_{item.pk}"),
                    "job_size": data.get(f"js_{item.pk}"),
                }
            rows.append(
                RatingRow(
                    item=item,
                    levels={
                        d.pk: self.levels.get(data.get(f"r_{item.pk}_{d.pk}") or "")
                        for d in self.drivers
                    },
                    feasibility=data.get(f"f_{item.pk}"),
                    risk=data.get(f"k_{item.pk}"),
                    mandate=data.get(f"m_{item.pk}") or "",
                    wsjf=wsjf,
                )
            )
        return rows


class RatingScaleForm(forms.ModelForm):
    class Meta:
        model = RatingScale
        fields = ("code", "name", "name_en")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)

    def validate_unique(self):
        """Left to the service, which checks the scale and its levels together."""


class RatingLevelForm(forms.Form):
    level_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Level"), max_length=200)
    name_en = forms.CharField(label=_("English name"), max_length=200, required=False)
    value = forms.DecimalField(label=_("Points"), max_digits=6, decimal_places=2)
    description = forms.CharField(label=_("Meaning"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self, small=True)
        if "DELETE" in self.fields:
            self.fields["DELETE"].label = _("Delete")
            self.fields["DELETE"].widget.attrs["class"] = "form-check-input"


class BaseLevelFormSet(forms.BaseFormSet):
    def __init__(self, *args, levels=(), **kwargs):
        self.known = {level.pk: level for level in levels}
        super().__init__(*args, **kwargs)

    def clean(self):
        if any(self.errors):
            return
        for form in self.forms:
            pk = form.cleaned_data.get("level_id")
            if pk and pk not in self.known:
                raise forms.ValidationError(_("A level can only be edited on its own scale."))

    def level_inputs(self) -> list[LevelInput]:
        found = []
        for form in self.forms:
            data = form.cleaned_data
            if not data:
                continue  # an empty extra row
            found.append(
                LevelInput(
                    name=data["name"],
                    name_en=data.get("name_en", ""),
                    value=data["value"],
                    description=data.get("description", ""),
                    level=self.known.get(data.get("level_id")),
                    delete=bool(data.get("DELETE")),
                )
            )
        return found


LevelFormSet = forms.formset_factory(
    RatingLevelForm, formset=BaseLevelFormSet, extra=2, can_delete=True, max_num=20
)


def level_formset(data=None, *, scale: RatingScale | None):
    levels = list(scale.levels.order_by("value")) if scale else []
    initial = [
        {
            "level_id": level.pk,
            "name": level.name,
            "name_en": level.name_en,
            "value": level.value,
            "description": level.description,
        }
        for level in levels
    ]
    return LevelFormSet(data, initial=initial, levels=levels, prefix="levels")


class RankingFilterForm(forms.Form):
    """Which candidates to list and what counts as acceptable feasibility and risk."""

    SHOW = (
        ("", _("All candidates")),
        ("acceptable", _("Acceptable feasibility and risk")),
        ("outside", _("Outside the limits")),
        ("unassessed", _("Not assessed")),
        ("mandatory", _("Mandatory")),
    )
    show = forms.ChoiceField(label=_("Show"), choices=SHOW, required=False)
    min_feasibility = forms.TypedChoiceField(
        label=_("Feasibility at least"),
        choices=ONE_TO_FIVE,
        coerce=int,
        initial=3,
        required=False,
        empty_value=None,
    )
    max_risk = forms.TypedChoiceField(
        label=_("Risk at most"),
        choices=ONE_TO_FIVE,
        coerce=int,
        initial=3,
        required=False,
        empty_value=None,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self, small=True)

    def values(self) -> tuple[str, int, int]:
        """The filter, each field falling back to its default when missing or odd."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return data.get("show") or "", data.get("min_feasibility") or 3, data.get("max_risk") or 3
