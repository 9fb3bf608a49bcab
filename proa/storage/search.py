"""Text search the same way on SQLite and PostgreSQL: `fold(column)` lowers case and strips
the accents of Latin letters ("Hélène", "HELENE" and "helene" meet), by one table applied
in SQL (PostgreSQL `translate`, SQLite a function of this module registered on every
connection) and in Python (`fold_text`, for the searched words). The table, not the
database's locale, decides: both databases answer the same."""

from __future__ import annotations

import string
from typing import Any

from sqlalchemy import String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

_FROM = string.ascii_uppercase + "ÀÁÂÃÄÅàáâãäåÇçÈÉÊËèéêëÌÍÎÏìíîïÑñÒÓÔÕÖòóôõöÙÚÛÜùúûüÝŸýÿŒÆ"
_TO = string.ascii_lowercase + "aaaaaaaaaaaacceeeeeeeeiiiiiiiinnoooooooooouuuuuuuuyyyyœæ"
_LIGATURES = (("œ", "oe"), ("æ", "ae"))
_TABLE = str.maketrans(_FROM, _TO)
SQLITE_FUNCTION = "proa_fold"


def fold_text(value: str | None) -> str | None:
    """`value` as `fold` compares it."""
    if value is None:
        return None
    out = value.translate(_TABLE)
    for ligature, letters in _LIGATURES:
        out = out.replace(ligature, letters)
    return out


class fold(FunctionElement[str]):  # an SQL function, named as one
    """`fold(expression)` in SQL."""

    type = String()
    inherit_cache = True


@compiles(fold, "sqlite")
def _fold_sqlite(element: fold, compiler: SQLCompiler, **kw: Any) -> str:
    return f"{SQLITE_FUNCTION}({compiler.process(element.clauses, **kw)})"


@compiles(fold)
def _fold_sql(element: fold, compiler: SQLCompiler, **kw: Any) -> str:
    out = f"translate({compiler.process(element.clauses, **kw)}, '{_FROM}', '{_TO}')"
    for ligature, letters in _LIGATURES:
        out = f"replace({out}, '{ligature}', '{letters}')"
    return out
