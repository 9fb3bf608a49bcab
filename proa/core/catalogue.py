"""Messages for people in French and English, each pair written once (`catalogue.yaml`).

A door never writes a French/English pair at the place it raises: it names the entry and
gives the values, and gets both languages back.

    >>> text("cli.unknown_rule", rule="x", known="a, b").fr
    "règle inconnue : 'x'. Règles connues : a, b."

A value may itself be a `Text` (a nested message): each language takes its own side.
Formatting stays with the caller (`proa.presentation`), so the catalogue only fills
placeholders. The file is read once, on the first message (never at import: `proa --help`
and the engine's hot path do not pay for it).
"""

from __future__ import annotations

import string
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

FILE = Path(__file__).with_name("catalogue.yaml")


class Text(NamedTuple):
    """One message in both languages (French first, the reference)."""

    fr: str
    en: str


@cache
def entries() -> dict[str, Text]:
    """Every entry by its dotted key (`case.missing`, `cli.unknown_rule`…)."""
    import yaml

    raw = yaml.safe_load(FILE.read_text(encoding="utf-8"))
    out: dict[str, Text] = {}
    _flatten(raw, "", out)
    return out


def _flatten(node: dict[str, Any], prefix: str, out: dict[str, Text]) -> None:
    for key, value in node.items():
        if set(value) == {"fr", "en"}:
            out[prefix + key] = Text(value["fr"], value["en"])
        else:
            _flatten(value, f"{prefix}{key}.", out)


def text(key: str, **values: Any) -> Text:
    """The entry `key` with its placeholders filled, in both languages."""
    entry = entries()[key]
    return Text(
        entry.fr.format(**{k: v.fr if isinstance(v, Text) else v for k, v in values.items()}),
        entry.en.format(**{k: v.en if isinstance(v, Text) else v for k, v in values.items()}),
    )


def placeholders(template: str) -> set[str]:
    """The names a template expects (to check that both languages ask for the same)."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}
