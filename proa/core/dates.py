"""Calendar arithmetic used by the rules (pure, exact)."""

from __future__ import annotations

import calendar
import datetime as dt
from fractions import Fraction

ONE_DAY = dt.timedelta(days=1)


def add_months(day: dt.date, months: int | Fraction) -> dt.date:
    """`day` moved by whole months, clamped to the month's last day (31 Jan + 1 = 28/29 Feb)."""
    n = int(months)
    index = day.year * 12 + day.month - 1 + n
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def months(start: dt.date, end: dt.date) -> int | Fraction:
    """Length of the action [start, end], both days included, in months.

    Whole calendar months from `start`, then the remaining days as a fraction of the
    month that follows (e.g. 1 Oct 2025 → 30 Sep 2026 is exactly 12). A period ending
    before it starts has a negative or zero length; the contract rejects those earlier.
    """
    stop = end + ONE_DAY
    whole = (stop.year - start.year) * 12 + stop.month - start.month
    if add_months(start, whole) > stop:
        whole -= 1
    anchor = add_months(start, whole)
    following = add_months(start, whole + 1)
    rest = (stop - anchor).days
    return whole if rest == 0 else whole + Fraction(rest, (following - anchor).days)


def last_day(start: dt.date, length: int | Fraction, reaching: bool = False) -> dt.date:
    """The last day of an action starting on `start` that lasts at most `length` months
    (`months(start, end) <= length`), or, `reaching`, the first end that lasts at least
    that long: the same day for a whole number of months (1 Oct + 12 → 30 Sep)."""
    whole = int(length)
    anchor = add_months(start, whole)
    span = (add_months(start, whole + 1) - anchor).days
    rest = (Fraction(length) - whole) * span
    days = -(-rest.numerator // rest.denominator) if reaching else int(rest)
    return anchor + dt.timedelta(days=days) - ONE_DAY


def calendar_years(start: dt.date, end: dt.date) -> int:
    """How many calendar years the span [start, end] runs through (1 Jan–31 Dec each)."""
    return end.year - start.year + 1


def age(birth: dt.date, day: dt.date) -> int:
    """Age in completed years on `day`."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
