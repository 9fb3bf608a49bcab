"""French typography and number formatting for messages shown to people (and the English
variants, proa's second language)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from proa.core.inputs import BY_PATH

NBSP = "\u00a0"
NNBSP = "\u202f"  # narrow no-break space: thousands, before ; ! ?

MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)

_BEFORE_HIGH = re.compile(r" ([:;!?»])")
_AFTER_OPEN = re.compile(r"« ")


def typography(text: str) -> str:
    """No-break spaces before « : ; ! ? » and inside guillemets (French rules)."""
    text = _BEFORE_HIGH.sub(lambda m: (NBSP if m.group(1) in ":»" else NNBSP) + m.group(1), text)
    return _AFTER_OPEN.sub("«" + NBSP, text)


def _decimal(value: Any) -> Decimal:
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def _group(whole: int) -> str:
    return f"{whole:,}".replace(",", NNBSP)


def number(value: Any, decimals: int = 2) -> str:
    """1820 → "1 820"; 151.6666 → "151,67"; trailing zeros dropped (half-up rounding)."""
    if type(value) is int:
        return ("-" if value < 0 else "") + _group(abs(value))
    if type(value) is Fraction and value >= 0:
        # Exact integer arithmetic: the hot path of message formatting.
        scale = 10**decimals
        scaled = (2 * value.numerator * scale + value.denominator) // (2 * value.denominator)
        whole, frac = divmod(scaled, scale)
        digits = f"{frac:0{decimals}d}".rstrip("0") if decimals else ""
        return _group(whole) + ("," + digits if digits else "")
    d = _decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    sign = "-" if d < 0 else ""
    whole_text, _, frac_text = f"{abs(d):f}".partition(".")
    frac_text = frac_text.rstrip("0")
    return sign + _group(int(whole_text)) + ("," + frac_text if frac_text else "")


def euros(value: Any) -> str:
    """2745 → "2 745,00 €": Babel's French currency format (« #,##0.00 ¤ », rounding half
    to even), written out so that a rule message does not load Babel's locale data (a fifth
    of a `proa check`); tests/test_properties.py checks that both agree."""
    d = _decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)
    whole, _, cents = f"{abs(d):f}".partition(".")
    return f"{'-' if d.is_signed() else ''}{_group(int(whole))},{cents}{NBSP}€"


def date(value: dt.date) -> str:
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"


def plural(value: Any, one: str, many: str) -> str:
    return f"{number(value)}{NBSP}{one if abs(value) < 2 else many}"


# `{reconversion.mode|mode}`: the mode as its declaration says it ("interne", "externe").
_MODE = BY_PATH["reconversion.mode"]


def fmt(value: Any, spec: str) -> str:
    """Format one template value; `spec` names its unit (h, months, years, pct, eur, int…).

    A bare integer (`{employer.idcc}`) is an identifier, written as given: a quantity
    always names its unit, `|int` for a count."""
    if value is None:
        return "aucun"
    if spec == "h":
        return f"{number(value)}{NBSP}h"
    if spec == "months":
        return f"{number(value)}{NBSP}mois"
    if spec == "years":
        return plural(value, "an", "ans")
    if spec == "pct":
        return f"{number(value)}{NBSP}%"
    if spec == "eur":
        return euros(value)
    if spec == "int":
        return number(value, 0)
    if spec == "plus_one":
        return number(value + 1, 0)
    if spec == "mode":
        return _MODE.said(value)
    if isinstance(value, dt.date):
        return date(value)
    if isinstance(value, Fraction | Decimal | float):
        return number(value)
    return str(value)


MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def fmt_en(value: Any, spec: str) -> str:
    """`fmt` for English messages: 1,820.5 h; 12 months; 1 October 2025."""
    if value is None:
        return "none"
    if isinstance(value, dt.date):
        return f"{value.day} {MONTHS_EN[value.month - 1]} {value.year}"
    if spec == "mode" or isinstance(value, str | bool) or (type(value) is int and not spec):
        return str(value)
    shown = value + 1 if spec == "plus_one" else value
    text = number(shown, 0 if spec in ("int", "plus_one") else 2)
    text = text.replace(",", ".").replace(NNBSP, ",")
    if spec == "h":
        return f"{text} h"
    if spec == "months":
        return f"{text} month" + ("" if shown == 1 else "s")
    if spec == "years":
        return f"{text} year" + ("" if abs(shown) < 2 else "s")
    if spec == "pct":
        return f"{text} %"
    if spec == "eur":
        return f"€{text}"
    return text
