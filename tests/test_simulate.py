"""`proa simulate`: a scenario of dated parameters over a synthetic workforce."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from typer.testing import CliRunner

from proa.batch.read import FileError
from proa.batch.simulate import Scenario, load_scenario, scenario_pack, simulate
from proa.batch.synth import workforce
from proa.cli.main import app

EXAMPLE = Path(__file__).parents[1] / "proa" / "examples" / "scenario.yaml"


@pytest.fixture(scope="module")
def staff(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sim") / "effectif.parquet"
    workforce(4_000, seed=9).write_parquet(path)
    return path


def scenario(**parameters: object) -> Scenario:
    return Scenario.model_validate({"title": "Essai", "parameters": parameters})


def test_a_new_hourly_rate_changes_funding_not_eligibility(staff: Path) -> None:
    sim = simulate(
        staff, scenario(**{"funding.hourly_rate_eur": [{"from": "2019-01-01", "value": 12}]})
    )
    assert sim.total("eligible", "after") == sim.total("eligible", "before") > 0
    before, after = sim.total("funding_eur", "before"), sim.total("funding_eur", "after")
    assert math.isclose(after, before * 12 / 9.15, rel_tol=1e-6)
    assert sim.changes[0]["before"] == 9.15 and sim.changes[0]["after"] == 12


def test_more_reconversion_hours_open_more_cases(staff: Path) -> None:
    sim = simulate(staff, load_scenario(EXAMPLE))
    assert sim.total("eligible", "after") > sim.total("eligible", "before")
    positions = sim.table.filter(sim.table["dimension"] == "position")["group"].to_list()
    assert positions[:3] == ["4", "5", "6"]
    ages = sim.table.filter(sim.table["dimension"] == "age_band")["group"].to_list()
    assert ages[0] == "moins de 26 ans"


@pytest.mark.parametrize(
    ("parameters", "expected"),
    [
        ({"funding.taux": [{"from": "2024-01-01", "value": 12}]}, "paramètre inconnu"),
        ({"funding.hourly_rate_eur": [{"from": "2024-01-01", "value": "douze"}]}, "autre type"),
        ({"pro_a.annex1": [{"from": "2024-01-01", "value": ["CQP-INCONNU"]}]}, "certification"),
    ],
)
def test_a_bad_scenario_is_refused_in_french(parameters: dict[str, object], expected: str) -> None:
    with pytest.raises(FileError) as info:
        scenario_pack(scenario(**parameters))
    assert expected in info.value.message.fr


def test_cli_simulate_writes_the_report_with_inline_charts(staff: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: x\nparametres: {}\n", encoding="utf-8")
    out = CliRunner().invoke(
        app, ["simulate", "--workforce", str(staff), "--scenario", str(bad), "-o", "x"]
    )
    assert out.exit_code == 2 and "parametres" in out.output and "Traceback" not in out.output
    prefix = tmp_path / "sim"
    out = CliRunner().invoke(
        app,
        ["simulate", "--workforce", str(staff), "--scenario", str(EXAMPLE), "-o", str(prefix)],
    )
    assert out.exit_code == 0, out.output
    html = (tmp_path / "sim.html").read_text(encoding="utf-8")
    assert html.count("<svg") == 4
    # Nothing fetched: no script, no stylesheet link, no external image or link.
    for fetch in ("<script", "<link", " src=", 'href="http'):
        assert fetch not in html, fetch
    assert "Forfait horaire" in html or "forfait" in html.lower()
    csv = (tmp_path / "sim.csv").read_text(encoding="utf-8-sig")
    assert csv.splitlines()[0] == "dimension,groupe,mesure,avant,apres,ecart"
