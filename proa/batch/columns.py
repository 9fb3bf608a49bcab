"""The columns of a batch file: one per input of the case contract, in dotted form.

Each column is named by its contract path (`employee.birth_date`) or by its French header
(« Date de naissance »); the French header is also the field's name in every error
message. Types, allowed values and bounds are not restated here: they come from the inputs'
one declaration (`proa.core.inputs`), as the pydantic contract's do, so that a batch row
and a JSON case are held to the same rules. `docs/batch.md` lists the mapping (`proa batch
--columns` prints it).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from proa.core.inputs import INPUTS, Input, Kind
from proa.core.model import bound

# French headers, in the questionnaire's order (declared with each input).
FRENCH: dict[str, str] = {i.path: i.header for i in INPUTS}

# Descriptive columns a workforce file may carry: not read by any rule, kept in the output
# and used by `proa simulate` to group its totals.
DESCRIPTIVE: dict[str, str] = {
    "id": "Identifiant",
    "cabinet": "Cabinet",
    "position": "Position",
}

# An explicit "none" answer (no tutor, no leave, no code), distinct from an empty cell.
NONE_WORDS = ("aucun", "aucune", "none", "null", "sans")
TRUE_WORDS = ("true", "vrai", "oui", "o", "1", "yes", "y", "x")
FALSE_WORDS = ("false", "faux", "non", "n", "0", "no")


@dataclass(frozen=True)
class Column:
    """One input column: its contract path, French header and the contract's constraints."""

    path: str
    french: str
    kind: Kind
    choices: tuple[str, ...] = ()
    null_is_answer: bool = False
    ge: Any = None
    gt: Any = None
    le: Any = None
    min_length: int | None = None
    max_length: int | None = None
    identifier: bool = False


def _column(spec: Input) -> Column:
    choices = ("named",) if spec.kind == "object" else spec.allowed
    b = spec.bounds
    return Column(
        spec.path,
        FRENCH[spec.path],
        spec.kind,
        choices,
        spec.null_is_answer,
        ge=b.ge,
        gt=b.gt,
        le=b.le,
        min_length=b.min_length,
        max_length=b.max_length,
        identifier=spec.identifier,
    )


COLUMNS: tuple[Column, ...] = tuple(_column(i) for i in INPUTS)
BY_PATH: dict[str, Column] = {c.path: c for c in COLUMNS}
GROUPS = frozenset(c.path.split(".")[0] for c in COLUMNS if "." in c.path) | {"parties"}


def fold(text: str) -> str:
    """A header or value as compared: lower case, without accents, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.replace("’", "'").split())


def _garbled(text: str) -> str:
    """A header read in the wrong encoding keeps its ASCII letters only (« Date de d?but »)."""
    return "".join(c for c in text.lower() if c.isascii() and c.isalnum())


# French words accepted for coded values (accents and case do not matter): each allowed
# value's label, phrase and other words, as declared; a tutor is "oui" or "désigné".
FRENCH_VALUES: dict[str, dict[str, str]] = {
    i.path: {
        fold(word): c.value
        for c in i.options
        if c.value is not None
        for word in (c.label, c.phrase, *c.words)
        if word
    }
    for i in INPUTS
    if i.options
} | {"tutor": {"oui": "named", "designe": "named"}}


def header_index() -> dict[str, str]:
    """Every accepted spelling of a header → its contract path (or descriptive name)."""
    index: dict[str, str] = {}
    for path, french in [*FRENCH.items(), *DESCRIPTIVE.items()]:
        for spelling in (path, french):
            index[fold(spelling)] = path
            index["~" + _garbled(spelling)] = path
    return index


def resolve(header: str, index: dict[str, str]) -> str | None:
    found = index.get(fold(header))
    if found is None and "\ufffd" in header:  # read in the wrong encoding
        found = index.get("~" + _garbled(header))
    return found


def describe(value: Any, col: Column) -> str:
    """A bound as the French messages show it (as `proa check` does)."""
    return bound(value, col.identifier).fr


assert all(FRENCH.values()), "every input declares its French header"
