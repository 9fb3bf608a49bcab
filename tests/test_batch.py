"""`proa batch` and `proa synth`: files in, results and French errors out, and the table
engine agreeing row for row with the scalar engine on a generated workforce."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from typer.testing import CliRunner

from proa import default_engine
from proa.batch.columns import COLUMNS, DESCRIPTIVE, NONE_WORDS
from proa.batch.read import open_source
from proa.batch.run import run_batch
from proa.batch.synth import workforce
from proa.cli.main import app
from proa.presentation import PAY_AMOUNTS

runner = CliRunner()
LIMITS = ("duration_months_min", "duration_months_max", "training_hours_min", "training_hours_max")


def as_case(row: dict[str, Any]) -> dict[str, Any]:
    """A synthetic row (dotted columns) as a contract case, the way a person would type it."""
    case: dict[str, Any] = {}
    for path, value in row.items():
        if path in DESCRIPTIVE or value is None:
            continue
        if isinstance(value, dt.date):
            value = value.isoformat()
        if path == "tutor":
            if value in NONE_WORDS:
                case["tutor"] = None
            continue
        if isinstance(value, str) and value in NONE_WORDS:
            value = None
        node = case
        *parents, leaf = path.split(".")
        for p in parents:
            node = node.setdefault(p, {})
        node[leaf] = value
    return case


def test_a_generated_workforce_agrees_with_the_scalar_engine(tmp_path: Path) -> None:
    """Synthetic file → CSV → batch → results: decision, violated rules, missing inputs,
    limits and funding equal the scalar engine's, row for row (3,000 rows, both regimes)."""
    frame = workforce(3_000, seed=11, missing_rate=0.05)
    source = tmp_path / "effectif.csv"
    frame.write_csv(source)
    out = tmp_path / "resultats.parquet"
    summary = run_batch(source, out, chunk_rows=1_000)
    assert summary.rejected == 0 and summary.evaluated == 3_000
    results = pl.read_parquet(out)
    assert results["line"].to_list() == list(range(2, 3_002))
    assert set(results["regime"].unique()) == {"pro-a", "periode-de-reconversion"}
    assert set(results["decision"].unique()) == {"eligible", "ineligible", "incomplete"}
    engine = default_engine()
    for row, got in zip(frame.iter_rows(named=True), results.iter_rows(named=True), strict=True):
        scalar = engine.evaluate(as_case(row))
        assert got["id"] == row["id"]
        assert (got["regime"], got["decision"]) == (scalar.regime, scalar.decision), row
        violated = [f.rule for f in scalar.findings if f.status == "violation"]
        assert sorted(got["violations"]) == sorted(violated), row
        assert got["missing"] == scalar.missing, row
        for key in LIMITS:
            expected = getattr(scalar.limits, key)
            if expected is None:
                assert got["limits." + key] is None
            else:
                assert math.isclose(got["limits." + key], expected, abs_tol=1e-9), key
        for key in ("teaching_costs_eur", *(k for k, _ in PAY_AMOUNTS)):
            amount = getattr(scalar.funding, key)
            if amount is None:
                assert got["funding." + key] is None, key
            else:
                assert math.isclose(got["funding." + key], amount, abs_tol=1e-9), key


def test_synth_is_seeded_and_branch_shaped() -> None:
    a, b = workforce(2_000, seed=5), workforce(2_000, seed=5)
    assert a.equals(b)
    assert not a.equals(workforce(2_000, seed=6))
    assert a["position"].min() >= 4 and a["position"].max() <= 16  # type: ignore[operator]
    assert (a["employee.weekly_hours"] < 35).mean() > 0.2  # type: ignore[operator]
    switch = dt.date(2026, 1, 1)
    assert (a["agreement_date"] < switch).any() and (a["agreement_date"] >= switch).any()
    assert a["employer.headcount"].median() <= 10  # type: ignore[operator]


def _csv(path: Path, header: list[str], rows: list[list[str]], encoding: str = "utf-8") -> Path:
    text = "\n".join(";".join(r) for r in [header, *rows]) + "\n"
    path.write_bytes(text.encode(encoding))
    return path


FRENCH_HEADER = [
    "Date de l'avenant",
    "Date de début",
    "Date de fin",
    "IDCC",
    "Contrat de travail",
    "Heures hebdomadaires",
    "Retour de congé",
]
GOOD = ["15/09/2025", "2025-10-01", "2026-09-30", "1147", "CDI", "35", "congé parental"]


def test_french_headers_and_values_are_read(tmp_path: Path) -> None:
    src = _csv(tmp_path / "f.csv", FRENCH_HEADER, [GOOD])
    summary = run_batch(src, tmp_path / "o.csv")
    assert summary.evaluated == 1 and summary.rejected == 0
    out = pl.read_csv(tmp_path / "o.csv")
    assert out["regime"][0] == "pro-a"
    assert "target.kind" in out["missing"][0]


def test_certification_codes_are_read_as_the_registries_write_them(tmp_path: Path) -> None:
    """Issue 10, point 6: the batch door normalises codes as the scalar engine does."""
    header = [*FRENCH_HEADER, "Type d'action", "Code de la certification"]
    codes = ("rncp 40913", "Rncp-40913", "RNCP40913", "RNCP 12345")
    rows = [[*GOOD, "certification", code] for code in codes]
    summary = run_batch(_csv(tmp_path / "f.csv", header, rows), tmp_path / "o.csv")
    assert summary.evaluated == 4 and summary.rejected == 0
    off_list = [
        "pro-a.target-on-list" in (v or "") for v in pl.read_csv(tmp_path / "o.csv")["violations"]
    ]
    assert off_list == [False, False, False, True]


def test_bad_cells_are_reported_in_french_and_good_rows_kept(tmp_path: Path) -> None:
    rows = [
        GOOD,
        ["2025-09-15", "2025-10-01", "2025-09-01", "1147", "CDI", "35", "aucun"],  # end < start
        ["2025-09-15", "2025-10-01", "2026-09-30", "1147", "CDX", "35", "aucun"],  # unknown value
        ["2025-13-45", "2025-10-01", "2026-09-30", "1147", "CDI", "trente", "aucun"],
        GOOD,
    ]
    src = _csv(tmp_path / "f.csv", FRENCH_HEADER, rows)
    summary = run_batch(src, tmp_path / "o.parquet")
    assert (summary.evaluated, summary.rejected, summary.errors) == (2, 3, 4)
    assert pl.read_parquet(tmp_path / "o.parquet")["line"].to_list() == [2, 6]
    errors = pl.read_csv(tmp_path / "o.erreurs.csv")
    by_line = {(r["ligne"], r["champ"]): r["message"] for r in errors.iter_rows(named=True)}
    assert by_line[(3, "Date de fin")] == "la date de fin précède la date de début"
    assert "« CDX » non reconnue" in by_line[(4, "Contrat de travail")]
    assert "'CDI'" in by_line[(4, "Contrat de travail")]
    assert by_line[(5, "Date de l'avenant")] == "date invalide, format attendu AAAA-MM-JJ"
    assert by_line[(5, "Heures hebdomadaires")] == "nombre attendu"


def test_wrong_encoding_is_reported_per_row_and_fixed_by_the_option(tmp_path: Path) -> None:
    rows = [[*GOOD[:6], "aucun"], [*GOOD[:6], "congé parental"]]
    src = _csv(tmp_path / "latin.csv", FRENCH_HEADER, rows, encoding="cp1252")
    summary = run_batch(src, tmp_path / "o.csv")
    assert (summary.evaluated, summary.rejected) == (1, 1)  # the header still maps
    errors = pl.read_csv(tmp_path / "o.erreurs.csv")
    assert errors["ligne"].to_list() == [3]
    assert "UTF-8" in errors["message"][0] and errors["champ"][0] == "Retour de congé"
    fixed = run_batch(src, tmp_path / "o2.csv", encoding="windows-1252")
    assert (fixed.evaluated, fixed.rejected) == (2, 0)


def test_a_hundred_thousand_bad_rows_lose_no_good_row(tmp_path: Path) -> None:
    frame = workforce(200_000, seed=3, missing_rate=0)
    bad = pl.int_range(0, frame.height, eager=True) % 2 == 1
    frame = frame.with_columns(
        pl.col("employee.contract").cast(pl.String),
        pl.when(bad).then(pl.lit("inconnu")).otherwise(pl.col("target.kind")).alias("target.kind"),
    )
    frame.write_parquet(tmp_path / "w.parquet")
    summary = run_batch(tmp_path / "w.parquet", tmp_path / "o.parquet", chunk_rows=50_000)
    assert (summary.evaluated, summary.rejected) == (100_000, 100_000)
    out = pl.read_parquet(tmp_path / "o.parquet")
    assert out["id"].to_list() == frame.filter(~bad)["id"].to_list()
    errors = pl.read_csv(tmp_path / "o.erreurs.csv")
    assert errors.height == 100_000
    assert errors["ligne"].to_list() == list(range(2, 200_001, 2))  # Parquet: line = row
    assert set(errors["champ"]) == {"Type d'action"}


def test_cli_batch_exit_codes_and_xlsx(tmp_path: Path) -> None:
    src = tmp_path / "w.xlsx"
    assert runner.invoke(app, ["synth", str(src), "--rows", "300"]).exit_code == 0
    result = runner.invoke(app, ["batch", str(src), "-o", str(tmp_path / "r.xlsx")])
    assert result.exit_code == 0, result.output
    assert "300 lignes lues" in result.output
    out = pl.read_excel(tmp_path / "r.xlsx")
    assert out.height == 300 and {"decision", "violations", "missing"} <= set(out.columns)
    bad = _csv(tmp_path / "bad.csv", ["agreement_date", "employee.contract"], [["x", "CDI"]])
    result = runner.invoke(app, ["batch", str(bad), "-o", str(tmp_path / "r.csv")])
    assert result.exit_code == 1 and "1 lignes en erreur" in result.output
    typo = _csv(tmp_path / "typo.csv", ["agreement_date", "employee.birthdate"], [["x", "y"]])
    result = runner.invoke(app, ["batch", str(typo), "-o", str(tmp_path / "r.csv")])
    assert result.exit_code == 2
    assert "employee.birth_date" in result.output and "Traceback" not in result.output
    result = runner.invoke(app, ["batch", str(tmp_path / "none.csv"), "-o", "x.csv"])
    assert result.exit_code == 2 and "introuvable" in result.output


@pytest.mark.parametrize("column", COLUMNS, ids=lambda c: c.path)
def test_every_column_has_one_french_header(column: Any) -> None:
    assert column.french and column.french[0].isupper()


def test_missing_columns_are_named(tmp_path: Path) -> None:
    src = _csv(tmp_path / "f.csv", FRENCH_HEADER, [GOOD])
    notes = open_source(src).notes
    assert any("« Date de naissance »" in n.fr for n in notes)


def test_docs_list_every_column() -> None:
    doc = (Path(__file__).parents[1] / "docs" / "batch.md").read_text(encoding="utf-8")
    for c in COLUMNS:
        assert f"| `{c.path}` | {c.french} |" in doc, c.path


def test_an_interrupted_run_leaves_no_partial_parquet(tmp_path: Path) -> None:
    """The Parquet result is written to a temporary file renamed once complete: a run
    stopped midway (here by its progress callback) leaves neither result nor debris."""
    workforce(3_000, seed=2).write_parquet(tmp_path / "w.parquet")

    def stop(done: int, total: int) -> None:
        if done >= 2_000:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_batch(tmp_path / "w.parquet", tmp_path / "o.parquet", chunk_rows=1_000, progress=stop)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.parquet"]
    summary = run_batch(tmp_path / "w.parquet", tmp_path / "o.parquet", chunk_rows=1_000)
    assert pl.read_parquet(tmp_path / "o.parquet")["line"].to_list() == list(range(1, 3_001))
    assert summary.evaluated == 3_000
