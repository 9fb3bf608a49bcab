"""The `proa` command line: reports, JSON contract, errors (exit 2), questions, explain."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from proa.cli.main import EXAMPLE, app
from proa.core.inputs import INPUTS
from proa.explain import names
from proa.law import default_pack

runner = CliRunner()


def test_check_example_reports_in_french() -> None:
    out = runner.invoke(app, ["check", str(EXAMPLE)])
    assert out.exit_code == 0, out.output
    assert "ÉLIGIBLE" in out.output
    assert "Avenant 81, art. 6" in out.output
    assert "2\u202f745,00\u00a0€" in out.output


def test_check_json_follows_the_contract() -> None:
    out = runner.invoke(app, ["check", str(EXAMPLE), "--json"])
    assert out.exit_code == 0
    data = json.loads(out.output)
    assert data["regime"] == "pro-a"
    assert data["decision"] == "eligible"
    assert data["limits"]["duration_months_max"] == 12
    assert data["limits"]["training_hours_min"] == 273.0
    assert data["limits"]["training_hours_max"] == 455.0
    assert data["missing"] == []
    assert data["funding"]["teaching_costs_eur"] == 2745.0
    assert data["funding"]["hourly_rate_eur"] == 9.15
    assert data["funding"]["rate_source"]
    for f in data["findings"]:
        assert set(f) >= {"rule", "status", "message", "sources"}
        assert f["status"] in {"ok", "violation", "missing", "warning"}


@pytest.mark.parametrize(
    ("content", "field"),
    [
        ("{not json", "(dossier)"),
        ('{"employee": {"contract": "CDX"}}', "employee.contract"),
        ('{"start_date": "2025-10-01", "end_date": "2025-09-01"}', "end_date"),
        ('{"training_hours": -3}', "training_hours"),
        ('{"agreement_date": "2025-02-30"}', "agreement_date"),
        ('{"unknown_key": 1}', "unknown_key"),
        ('{"agreement_date": "2018-06-01"}', "agreement_date"),
        (
            '{"training_hours": 10, "outside_working_time": {"hours": 20}}',
            "outside_working_time.hours",
        ),
    ],
)
def test_malformed_case_exits_2_naming_the_field(tmp_path: Path, content: str, field: str) -> None:
    case = tmp_path / "case.json"
    case.write_text(content, encoding="utf-8")
    before = sorted(tmp_path.iterdir())
    out = runner.invoke(app, ["check", str(case)])
    assert out.exit_code == 2
    assert "Erreur" in out.output
    assert f"« {field} »" in out.output
    assert sorted(tmp_path.iterdir()) == before


def test_missing_file_exits_2(tmp_path: Path) -> None:
    out = runner.invoke(app, ["check", str(tmp_path / "absent.json")])
    assert out.exit_code == 2
    assert "impossible de lire" in out.output


def test_example_writes_a_valid_case_and_never_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "exemple.json"
    assert runner.invoke(app, ["example", str(target)]).exit_code == 0
    assert runner.invoke(app, ["check", str(target)]).exit_code == 0
    again = runner.invoke(app, ["example", str(target)])
    assert again.exit_code == 2


def test_questions_lists_missing_inputs_in_order(tmp_path: Path) -> None:
    case = tmp_path / "c.json"
    case.write_text('{"agreement_date": "2025-09-15", "employer": {"idcc": 1147}}')
    out = runner.invoke(app, ["questions", str(case)])
    assert out.exit_code == 0
    lines = [line for line in out.output.splitlines() if line[:1].isdigit()]
    asked = [line.rsplit("[", 1)[1].rstrip("]") for line in lines]
    # Progressive: conditions first; hours come once the target is known.
    assert asked[0] == "employee.contract"
    assert "target.kind" in asked
    assert "training_hours" not in asked
    assert asked == sorted(asked, key=lambda p: [i.path for i in INPUTS].index(p))


def test_questions_on_complete_case() -> None:
    out = runner.invoke(app, ["questions", str(EXAMPLE)])
    assert "complet" in out.output


@pytest.mark.parametrize("name", [*names(), "pro_a.training.max_share_priority"])
def test_explain_every_rule(name: str) -> None:
    out = runner.invoke(app, ["explain", name])
    assert out.exit_code == 0, out.output
    assert name in out.output


def test_explain_shows_parameter_history_and_exclusions() -> None:
    out = runner.invoke(app, ["explain", "exclusion.art5-24-months"])
    assert "L6325-12" in out.output
    out = runner.invoke(app, ["explain", "pro-a.training-share"])
    assert "40\u00a0%" in out.output and "depuis le 8 juillet 2021" in out.output


def test_explain_in_english_adds_the_condition_and_clauses_in_english() -> None:
    out = runner.invoke(app, ["explain", "pro-a.duration", "--en"], env={"COLUMNS": "400"})
    assert out.exit_code == 0, out.output
    assert "S'applique si : non ‹l'action vise le socle (CléA) ou une VAE›" in out.output
    assert "Applies if: not ‹the action aims at the socle (CléA) or a VAE›" in out.output
    assert "‹length of the action› ≥ ‹minimum length of the Pro-A› and" in out.output
    assert "General rule (Avenant 81, art. 5; C. trav., art. L6325-11): 12 months." in out.output
    assert "Applies if" not in runner.invoke(app, ["explain", "pro-a.duration"]).output


def test_explain_in_english_gives_the_notes_of_the_sources_second() -> None:
    args = ["explain", "funding.hourly_rate_eur"]
    out = runner.invoke(app, [*args, "--en"], env={"COLUMNS": "400"}).output
    assert "Aucune délibération de la CPNEFP IDCC 1147" in out
    assert "No decision of the CPNEFP IDCC 1147 setting a flat rate was found" in out
    assert "No decision" not in runner.invoke(app, args, env={"COLUMNS": "400"}).output


def test_explain_unknown_rule_exits_2() -> None:
    assert runner.invoke(app, ["explain", "nope"]).exit_code == 2


def test_params_at_a_date() -> None:
    wide = {"COLUMNS": "300"}
    out = runner.invoke(app, ["params", "--at", "2026-03-01"], env=wide)
    assert out.exit_code == 0
    row = next(
        line for line in out.output.splitlines() if "reconversion.training.max_hours" in line
    )
    assert "450\u00a0h" in row and "1er janvier 2026" in row
    before = runner.invoke(app, ["params", "--at", "2025-03-01"], env=wide)
    row = next(
        line for line in before.output.splitlines() if "reconversion.training.max_hours" in line
    )
    assert "450" not in row


def test_schema_exports_json_schema() -> None:
    for which in ("case", "result"):
        out = runner.invoke(app, ["schema", which])
        assert json.loads(out.output)["type"] == "object"


def test_every_parameter_value_cites_a_known_source() -> None:
    pack = default_pack()
    for p in pack.parameters.parameters.values():
        if p.name.startswith("catalogue."):
            continue
        for v in p.values:
            assert v.sources, p.name
            for c in v.sources:
                assert c.ref in pack.sources


def test_entry_point_help_runs() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "proa.cli", "--help"], capture_output=True, text=True, check=True
    )
    assert "check" in out.stdout


def test_help_imports_no_model_nor_law() -> None:
    """`proa --help` stays fast: pydantic, the models, Polars and the law load in commands."""
    code = (
        "import sys, proa.cli.main; "
        "print([m for m in ('pydantic', 'proa.core.model', 'polars', 'proa.law') "
        "if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_check_in_english_second() -> None:
    out = runner.invoke(app, ["check", str(EXAMPLE), "--en"])
    assert out.exit_code == 0
    assert "ÉLIGIBLE" in out.output  # French first
    assert "at least 15 % of the total duration (1,820 h)" in out.output
    # The rate's source: French, then its English (the notes of the sources in English).
    text = " ".join(out.output.split())
    assert "Taux : C. trav., art. D6332-90 — Aucune délibération" in text
    assert "Rate: C. trav., art. D6332-90 — No decision of the CPNEFP" in text
    data = json.loads(runner.invoke(app, ["check", str(EXAMPLE), "--json", "--en"]).output)
    assert all(f["message_en"] and f["title_en"] for f in data["findings"])
    assert "No decision of the CPNEFP" in data["funding"]["rate_source_en"]
    plain = json.loads(runner.invoke(app, ["check", str(EXAMPLE), "--json"]).output)
    assert all(f["message_en"] is None for f in plain["findings"])
    assert plain["funding"]["rate_source_en"] is None
    french = runner.invoke(app, ["check", str(EXAMPLE)]).output
    assert "Rate:" not in french and "No decision" not in french


def test_english_texts_use_the_french_placeholders() -> None:
    from proa.core.rules import Rule, placeholders

    pack = default_pack()
    for law in pack.regimes.values():
        for item in law.rules:
            if isinstance(item, Rule):
                en = pack.english.rules[item.name]
                for fr_text, en_text in ((item.ok, en.ok), (item.violation, en.violation)):
                    assert set(placeholders(fr_text)) == set(placeholders(en_text)), item.name
                assert bool(item.not_applicable) == bool(en.not_applicable), item.name


def test_limits_that_bound_nothing_say_sans_objet(tmp_path: Path) -> None:
    """Issue 10, point 7: the socle has no duration or training bounds in Pro-A."""
    case = json.loads(EXAMPLE.read_text())
    case["target"] = {"kind": "socle", "code": None}
    path = tmp_path / "socle.json"
    path.write_text(json.dumps(case))
    out = CliRunner().invoke(app, ["check", str(path)], env={"COLUMNS": "200"})
    assert out.output.count("sans objet") == 4, out.output
    full = CliRunner().invoke(app, ["check", str(EXAMPLE)], env={"COLUMNS": "200"})
    assert "sans objet" not in full.output


def test_the_report_lists_what_to_send_to_the_opco() -> None:
    out = CliRunner().invoke(app, ["check", str(EXAMPLE)], env={"COLUMNS": "300"})
    text = " ".join(out.output.split())
    assert "À envoyer à l'OPCO" in text
    assert "☐ L'avenant au contrat de travail" in text and "proa le rédige" in text
