"""The catalogue of French/English messages: every pair complete, every entry used, and
no door writes a pair of its own."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from proa.core.catalogue import Text, entries, placeholders, text

PROA = Path(__file__).resolve().parents[1] / "proa"
SOURCES = {p: p.read_text(encoding="utf-8") for p in PROA.rglob("*.py")}


@pytest.mark.parametrize("key", sorted(entries()))
def test_both_languages_name_the_same_placeholders(key: str) -> None:
    entry = entries()[key]
    assert entry.fr.strip() and entry.en.strip()
    assert placeholders(entry.fr) == placeholders(entry.en), key


def test_every_entry_is_used_and_every_key_named_in_code_exists() -> None:
    called = {
        m.group(1) for s in SOURCES.values() for m in re.finditer(r"text\(\s*\"([\w.]+)\"", s)
    }
    quoted = {m.group(1) for s in SOURCES.values() for m in re.finditer(r"\"([\w.]+)\"", s)}
    assert called - set(entries()) == set()
    assert set(entries()) - quoted == set()


def test_a_nested_message_takes_each_language_its_own_side() -> None:
    inner = Text("le dossier est incomplet", "the case is incomplete")
    outer = text("cli.error", message=inner)
    assert outer == Text("Erreur : le dossier est incomplet", "Error: the case is incomplete")


def test_no_door_writes_a_french_english_pair_at_a_raise() -> None:
    """A second positional English string beside a French one is what the catalogue
    replaced (`fail("…", "…")`, `raise X("…", "…")`)."""
    pair = re.compile(r"(?:fail|raise \w+)\(\s*f?\"[^\"]*[éèàç«][^\"]*\",\s*f?\"")
    offenders = [
        str(p.relative_to(PROA.parent)) for p, source in SOURCES.items() if pair.search(source)
    ]
    assert offenders == []


def test_the_cli_prints_the_catalogue_pair_and_exits_2() -> None:
    from typer.testing import CliRunner

    from proa.cli.main import app

    out = CliRunner().invoke(app, ["schema", "nope"])
    expected = text("cli.unknown_schema", which="nope", known="case")
    assert out.exit_code == 2
    assert expected.fr.split(" (")[0] in out.output
    assert "Error: " + expected.en.split(" (")[0] in out.output
