"""The contract lives in the project: docs/contract.md and its JSON Schemas, which must be
what `proa schema` generates today (regenerate them as docs/contract.md says)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from proa import evaluate
from proa.cli.main import app

DOCS = Path(__file__).resolve().parents[1] / "docs"
EXAMPLE = Path(__file__).resolve().parents[1] / "proa" / "examples" / "case.json"


@pytest.mark.parametrize("which", ["case", "result"])
def test_committed_schemas_are_what_proa_schema_generates(which: str) -> None:
    out = CliRunner().invoke(app, ["schema", which])
    assert out.exit_code == 0, out.output
    committed = json.loads((DOCS / "schema" / f"{which}.schema.json").read_text("utf-8"))
    assert committed == json.loads(out.output), f"régénérer docs/schema/{which}.schema.json"


def test_every_result_key_is_documented() -> None:
    """A key of the result (and of its parts) that docs/contract.md does not name is a key
    no consumer was told about."""
    contract = (DOCS / "contract.md").read_text("utf-8")
    schema = json.loads((DOCS / "schema" / "result.schema.json").read_text("utf-8"))
    keys = set(schema["properties"])
    for part in (
        "Limits",
        "Finding",
        "Funding",
        "LimitTrace",
        "OverrideTrace",
        "Deadline",
        "Remedy",
    ):
        keys |= set(schema["$defs"][part]["properties"])
    undocumented = {k for k in keys if not re.search(rf"\b{k}\b", contract)}
    assert undocumented == set()


def test_the_documented_example_is_the_example_result() -> None:
    """The contract's `limits_trace` example is what the engine gives for the example case."""
    result = evaluate(EXAMPLE.read_text("utf-8"))
    contract = (DOCS / "contract.md").read_text("utf-8")
    assert result.limits_trace is not None
    trace = result.limits_trace["training_hours_max"]
    shown = trace.computation.replace("\u00a0", " ").replace("\u202f", " ")
    assert f'"computation": "{shown}"' in contract
    assert result.limits.training_hours_max == trace.value == 455.0


def test_no_file_cites_the_contract_outside_the_project() -> None:
    root = DOCS.parent
    for path in [*root.glob("proa/**/*"), *root.glob("tests/**/*"), *root.glob("docs/*.md")]:
        if path.is_file() and path.suffix in (".py", ".md", ".yaml", ".html"):
            assert "CONTRACT" + ".md" not in path.read_text("utf-8", errors="ignore"), path


def test_papers_speak_english_second_only_when_asked() -> None:
    from proa.law import default_pack

    pack = default_pack()
    for law in pack.regimes.values():
        assert all(p.label_en for p in law.papers), law.regime
    external = json.loads(EXAMPLE.read_text("utf-8")) | {
        "agreement_date": "2026-03-02",
        "start_date": "2026-04-01",
        "end_date": "2026-12-31",
        "reconversion": {"mode": "external", "host_contract": "CDI", "collective_agreement": True},
    }
    english = evaluate(external, english=True)
    assert len(english.papers) == 4
    assert all(p.what_en and p.what_en != p.what for p in english.papers)
    assert all(p.what_en is None for p in evaluate(external).papers)


def test_each_deadline_says_which_step_of_the_case_meets_it() -> None:
    """`deadlines[].met_by` (optional key): the OPCO deadlines of both regimes are met by the
    sending and by the OPCO's answer; an interruption's report by no step of the case."""
    example = json.loads((DOCS.parent / "proa/examples/case.json").read_text("utf-8"))
    pro_a = evaluate(example)
    assert [d.met_by for d in pro_a.deadlines] == ["sending", "decision"]
    later = dict(
        example,
        agreement_date="2026-03-02",
        start_date="2026-04-01",
        end_date="2027-03-31",
        interruption_date="2026-06-01",
    )
    periode = evaluate(later)
    assert periode.regime == "periode-de-reconversion"
    assert [d.met_by for d in periode.deadlines] == ["sending", "sending", "decision", None]
    # English second, only when asked for, every deadline of both regimes.
    assert all(d.what_en is None for d in pro_a.deadlines + periode.deadlines)
    english = evaluate(example, english=True).deadlines + evaluate(later, english=True).deadlines
    assert all(d.what_en and d.what_en != d.what for d in english)
    assert "Report of the interruption to the OPCO" in (english[-1].what_en or "")


def test_funding_notes_come_in_english_when_asked_for() -> None:
    """`funding.notes_en`: one English note for each French one, only when asked for, with
    the same figures."""
    example = json.loads((DOCS.parent / "proa/examples/case.json").read_text("utf-8"))
    assert evaluate(example).funding.notes_en is None
    for case in (
        example,
        {
            **example,
            "agreement_date": "2026-01-15",
            "start_date": "2026-04-01",
            "end_date": "2027-03-31",
            "reconversion": {"mode": "internal"},
        },
    ):
        funding = evaluate(case, english=True).funding
        assert funding.notes_en is not None and len(funding.notes_en) == len(funding.notes)
        assert all(en != fr for en, fr in zip(funding.notes_en, funding.notes, strict=True))
    assert any("9.15 an hour" in n for n in funding.notes_en)


def test_rate_source_comes_in_english_when_asked_for() -> None:
    """`funding.rate_source_en`: the same sources' labels (French texts) with their notes in
    English, only when asked for; the French one unchanged."""
    example = json.loads((DOCS.parent / "proa/examples/case.json").read_text("utf-8"))
    french = evaluate(example).funding
    assert french.rate_source_en is None
    assert "Aucune délibération de la CPNEFP" in french.rate_source
    funding = evaluate(example, english=True).funding
    assert funding.rate_source == french.rate_source
    en = funding.rate_source_en or ""
    assert en.startswith("C. trav., art. D6332-90 — ")
    assert "No decision of the CPNEFP IDCC 1147 setting a flat rate was found" in en
    assert "Aucune" not in en
    declared = evaluate({**example, "branch_hourly_rate_eur": 15}, english=True).funding
    assert declared.rate_source.startswith("Forfait horaire déclaré pour le dossier")
    assert (declared.rate_source_en or "").startswith("Hourly flat rate declared for the case")
