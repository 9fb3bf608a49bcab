"""Dated parameters: the figures of the law, each value with the date it takes effect.

A parameter file (YAML, one per parameter, under `proa/law/**/parameters/`) lists the
values in force from given dates, each with its sources and a short quote. Picking the
value in force at a date is the one mechanism for "dates are data" (STYLE.md §2).
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator


class Citation(BaseModel):
    """A value's legal basis: a source id from `sources.yaml` and the words relied on."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    ref: str
    quote: str = ""
    note: str = ""
    note_en: str = ""  # English second (the web app's English pages, `rate_source_en`)


class ParameterValue(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    start: dt.date = Field(alias="from")
    value: Any
    sources: tuple[Citation, ...] = ()
    note: str = ""
    note_en: str = ""


class Parameter(BaseModel):
    """One parameter and its history."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    description: str
    unit: Literal[
        "month",
        "hour",
        "percent",
        "eur_per_hour",
        "date",
        "day",
        "year",
        "list",
        "count",
        "code",  # digits that name (an IDCC): never grouped
        "text",
        "mapping",
        "bool",
    ]
    layer: Literal["code", "agreement", "convention", "reading"] = "code"
    last_checked: dt.date
    values: tuple[ParameterValue, ...]

    @field_validator("values")
    @classmethod
    def _sorted(cls, v: tuple[ParameterValue, ...]) -> tuple[ParameterValue, ...]:
        starts = [x.start for x in v]
        if starts != sorted(starts) or len(set(starts)) != len(starts):
            raise ValueError("les valeurs doivent être triées par date d'effet, sans doublon")
        if not v:
            raise ValueError("au moins une valeur est requise")
        return v

    def value_at(self, day: dt.date) -> ParameterValue | None:
        """The value in force on `day` (None before the first one or when ended by null)."""
        i = bisect.bisect_right([x.start for x in self.values], day) - 1
        if i < 0 or self.values[i].value is None:
            return None
        return self.values[i]


def engine_value(raw: Any) -> Any:
    """A YAML value as the engine computes with it: exact numbers, frozen collections."""
    if isinstance(raw, bool) or raw is None or isinstance(raw, dt.date | str):
        return raw
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float | Decimal):
        value = Fraction(Decimal(str(raw)))
        return value.numerator if value.denominator == 1 else value
    if isinstance(raw, tuple):
        return tuple(engine_value(x) for x in raw)
    if isinstance(raw, list):
        return frozenset(engine_value(x) for x in raw)
    if isinstance(raw, dict):
        return {k: engine_value(v) for k, v in raw.items()}
    raise TypeError(f"valeur de paramètre non prise en charge : {raw!r}")


class ParameterSet:
    """All parameters, with cached snapshots per period (between two effect dates)."""

    def __init__(self, parameters: Mapping[str, Parameter]) -> None:
        self.parameters = dict(parameters)
        self._breaks = sorted({v.start for p in parameters.values() for v in p.values})
        self._snapshots: dict[int, dict[str, Any]] = {}

    def __getitem__(self, name: str) -> Parameter:
        return self.parameters[name]

    def snapshot(self, day: dt.date) -> dict[str, Any]:
        """{name: value} in force on `day`, engine-ready; a parameter not yet in force is None."""
        i = bisect.bisect_right(self._breaks, day)
        snap = self._snapshots.get(i)
        if snap is None:
            snap = {}
            for name, p in self.parameters.items():
                v = p.value_at(day)
                snap[name] = None if v is None else engine_value(v.value)
            self._snapshots[i] = snap
        return snap
