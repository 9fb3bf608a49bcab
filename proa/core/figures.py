"""Figures of the law reach messages only through parameter placeholders.

A message template (a rule's, a notice's, a note, a label — French and English) may not
write a figure that stands for a parameter it depends on: `{pro_a.training.min_hours|h}`,
never "150 h", so that a new value of the parameter can never leave a stale figure behind.

Told apart from such figures, and allowed:
- references: article numbers and official ids (`L6325-13`, `RNCP40913`, `n° 2025-989`,
  `art. 5`, `annexe 1`, `avenant 81`), ordinals (`1er`, `2°`);
- the text's own words, quoted between « » (or "…" in English);
- dates ("25 novembre 2021", "1 January 2026"), unless equal to the value of a date
  parameter the template depends on (`{regime.switch_date}`, not "1er janvier 2026");
- numbers equal to no value (in any period) of a parameter the template depends on.
Titles name their clause in its own words and are not checked.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from proa.core import french
from proa.core.rules import PLACEHOLDER

MONTHS = {
    name: i + 1 for names in (french.MONTHS, french.MONTHS_EN) for i, name in enumerate(names)
}
_MONTH = "|".join(MONTHS)
_DATE = re.compile(rf"\b(?:(1er|\d{{1,2}})\s+)?({_MONTH})\s+(\d{{4}})\b")
_QUOTED = re.compile(r"«[^»]*»|\"[^\"]*\"|“[^”]*”")
_REFERENCE = re.compile(
    r"\b[A-Za-z]+\d[\w-]*"  # L6325-13, RNCP40913, D6332-89
    r"|\b\d+(?:-\d+)+"  # 2025-989
    r"|\b\d+(?:er|re|e|ème|°)"  # 1er, 2e, 1°
    r"|(?:\bn°|\bno\.|\bart\.|\barticles?|\bannexe|\bannex|\bavenant|\balinéa)\s*\d+",
    re.IGNORECASE,
)
_DIGIT = re.compile(r"\d")
_YEAR = re.compile(r"\d{4}")
_NUMBER = re.compile(r"(?<![\w,.])\d+(?:[.,]\d+)?(?![\w])")


def _number(text: str) -> Fraction | None:
    try:
        return Fraction(Decimal(text.replace(",", ".")))
    except InvalidOperation:
        return None


Figures = tuple[frozenset[Fraction], frozenset[dt.date]]


def figures_of(values: Iterable[Any]) -> Figures:
    """The numbers and the dates among parameter values (what a template may not write)."""
    numbers: set[Fraction] = set()
    days: set[dt.date] = set()
    for v in values:
        if isinstance(v, bool) or v is None:
            continue
        if isinstance(v, dt.date):
            days.add(v)
        elif isinstance(v, int | float | Fraction | Decimal):
            numbers.add(Fraction(Decimal(str(v))) if isinstance(v, float) else Fraction(v))
    return frozenset(numbers), frozenset(days)


def stray_figures(template: str, values: Iterable[Any] | Figures) -> list[str]:
    """The figures of `template` that stand for one of `values` (the values, in every
    period, of the parameters the template depends on; or their `figures_of`)."""
    numbers, days = values if isinstance(values, tuple) else figures_of(values)
    text = _QUOTED.sub(" ", PLACEHOLDER.sub(" ", template))
    if not _DIGIT.search(text):
        return []
    found = []
    for m in _DATE.finditer(text) if _YEAR.search(text) else ():
        day, month, year = m.groups()
        if day and dt.date(int(year), MONTHS[month], 1 if day == "1er" else int(day)) in days:
            found.append(m.group(0))
    text = _REFERENCE.sub(" ", _DATE.sub(" ", text))
    for m in _NUMBER.finditer(text):
        if _number(m.group(0)) in numbers:
            found.append(m.group(0))
    return found
