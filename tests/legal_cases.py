"""Loading the YAML legal test cases (tests/cases/*.yaml): bases, changes, expectations."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

CASES = Path(__file__).parent / "cases"


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


BASES: dict[str, dict[str, Any]] = _load(CASES / "_bases.yaml")

# What a case may say, and what it may expect (tests/test_legal_cases.py checks each): a
# misspelt key would silently check nothing, so any other key is refused.
SPEC = frozenset({"name", "why", "base", "set", "unset", "at", "expect"})
EXPECT = frozenset(
    {
        "regime",
        "decision",
        "findings",
        "absent",
        "warnings",
        "no_warnings",
        "missing",
        "missing_contains",
        "limits",
        "limit_sources",
        "funding",
        "funding_notes_contain",
        "sources",
        "messages_contain",
        "deadlines",
        "papers",
        "law_date",
        "error",
    }
)


def build(spec: dict[str, Any]) -> dict[str, Any]:
    """The case a test describes: its base, with `set` (dotted paths) and `unset` applied."""
    unknown = sorted(set(spec) - SPEC) + sorted(set(spec.get("expect") or {}) - EXPECT)
    if unknown:
        raise ValueError(f"{spec.get('name')}: clés inconnues : {', '.join(unknown)}")
    case = copy.deepcopy(BASES[spec["base"]])
    for path, value in (spec.get("set") or {}).items():
        *parents, leaf = path.split(".")
        node = case
        for p in parents:
            node = node.setdefault(p, {})
        node[leaf] = value
    for path in spec.get("unset") or []:
        *parents, leaf = path.split(".")
        node = case
        for p in parents:
            node = node[p]
        node.pop(leaf, None)
    return case


def all_cases() -> list[tuple[str, dict[str, Any]]]:
    out = []
    for path in sorted(CASES.glob("*.yaml")):
        if path.name.startswith("_"):
            continue
        for spec in _load(path)["cases"]:
            out.append((f"{path.stem}: {spec['name']}", spec))
    return out
