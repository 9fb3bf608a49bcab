"""proa: Pro-A (avenant n°81, IDCC 1147) and the période de reconversion, as code.

The Python API for every door:

    >>> from proa import evaluate
    >>> evaluate(case).decision          # case: a dict, JSON text or `proa.Case`
    'eligible'

Names are imported on first use so that `proa --help` stays fast.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from proa.core.engine import Engine
    from proa.core.model import Case, CaseError, Finding, Result, parse_case

__all__ = ["Case", "CaseError", "Finding", "Result", "default_engine", "evaluate", "parse_case"]


@cache
def default_engine() -> Engine:
    """The engine over the bundled rule pack (loaded once)."""
    from proa.core.engine import Engine
    from proa.law import default_pack

    return Engine(default_pack())


def evaluate(
    case: Case | dict[str, Any] | str, at: dt.date | None = None, english: bool = False
) -> Result:
    """Evaluate a case (model, dict or JSON text) under the law in force at `at`
    (default: the case's agreement date). With `english`, findings also carry English
    messages (French is the reference). Raises `CaseError` on a malformed case."""
    return default_engine().evaluate(case, at=at, english=english)


def __getattr__(name: str) -> Any:
    if name in ("Case", "CaseError", "Finding", "Result", "parse_case"):
        from proa.core import model

        return getattr(model, name)
    raise AttributeError(name)
