"""Files of cases through the API: upload, results, French errors, size limit, roles."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import polars as pl

from proa.batch.synth import workforce
from proa.service import batch as files
from tests.api.conftest import World

SCENARIO = (Path(__file__).parents[2] / "proa" / "examples" / "scenario.yaml").read_bytes()


def _csv(rows: int = 200) -> bytes:
    buffer = io.BytesIO()
    workforce(rows, seed=4).write_csv(buffer)
    return buffer.getvalue()


def test_a_payroll_firm_uploads_a_file_and_gets_results_and_errors(world: World) -> None:
    data = _csv() + b"S9,1,5,2025-13-45,,,,,,CDX\n"
    r = world.call(
        "payroll", "POST", "/api/v1/batch?output=xlsx", files={"file": ("paie.csv", data)}
    )
    assert r.status_code == 200, r.text
    archive = zipfile.ZipFile(io.BytesIO(r.content))
    assert sorted(archive.namelist()) == ["erreurs.csv", "resultats.xlsx"]
    results = pl.read_excel(io.BytesIO(archive.read("resultats.xlsx")))
    assert results.height == 200
    errors = pl.read_csv(io.BytesIO(archive.read("erreurs.csv")))
    assert set(errors["ligne"]) == {202}
    assert "Date de l'avenant" in set(errors["champ"])


def test_bad_files_are_refused_in_french(world: World) -> None:
    r = world.call("adminA", "POST", "/api/v1/batch", files={"file": ("paie.pdf", b"%PDF")})
    assert r.status_code == 422 and "format inconnu" in r.json()["detail"]
    r = world.call("adminA", "POST", "/api/v1/batch", files={"file": ("x.csv", b"nom;age\na;3\n")})
    assert r.status_code == 422 and "aucune colonne du contrat" in r.json()["detail"]
    r = world.call("adminA", "POST", "/api/v1/batch", files={"file": ("x.parquet", b"PAR1??")})
    assert r.status_code == 422 and "illisible" in r.json()["detail"]
    assert (
        world.call(None, "POST", "/api/v1/batch", files={"file": ("x.csv", b"a")}).status_code
        == 401
    )


def test_the_size_limit_is_a_french_413(world: World, monkeypatch: object) -> None:
    monkeypatch.setattr(files, "MAX_BYTES", 1000)  # type: ignore[attr-defined]
    r = world.call("adminA", "POST", "/api/v1/batch", files={"file": ("big.csv", _csv())})
    assert r.status_code == 413
    assert "trop volumineux" in r.json()["detail"]


def test_roles_a_branch_simulates_only_an_employee_neither(world: World) -> None:
    upload = {"file": ("effectif.csv", _csv(300)), "scenario": ("s.yaml", SCENARIO)}
    r = world.call("branch", "POST", "/api/v1/batch/simulation", files=upload)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert r.text.count("<svg") == 4 and "<script" not in r.text
    r = world.call("opco", "POST", "/api/v1/batch/simulation?output=csv", files=upload)
    assert r.status_code == 200 and r.text.lstrip("\ufeff").startswith("dimension,groupe")
    r = world.call("branch", "POST", "/api/v1/batch", files={"file": ("e.csv", _csv(5))})
    assert r.status_code == 403 and "totaux" in r.json()["detail"]
    r = world.call("employeeA", "POST", "/api/v1/batch/simulation", files=upload)
    assert r.status_code == 403
    bad = {"file": ("effectif.csv", _csv(5)), "scenario": ("s.yaml", b"title: x\nparametres: 1\n")}
    r = world.call("branch", "POST", "/api/v1/batch/simulation", files=bad)
    assert r.status_code == 422 and "parametres" in r.json()["detail"]


def test_the_web_page_offers_each_role_its_own_forms(world: World) -> None:
    client = world.client
    origin = {"Origin": "http://testserver"}
    client.cookies.set("proa_session", world.tokens["payroll"])
    page = client.get("/fichiers")
    assert page.status_code == 200
    assert "Évaluer le fichier" in page.text and "Simuler" in page.text
    r = client.post(
        "/fichiers/evaluer",
        files={"file": ("paie.csv", _csv(20))},
        data={"output": "csv"},
        headers=origin,
    )
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    r = client.post("/fichiers/evaluer", files={"file": ("paie.doc", b"x")}, headers=origin)
    assert r.status_code == 422 and "format inconnu" in r.text and 'role="alert"' in r.text
    client.cookies.set("proa_session", world.tokens["branch"])
    page = client.get("/fichiers")
    assert "Évaluer le fichier" not in page.text and "Simuler" in page.text
    upload = {"file": ("effectif.csv", _csv(50)), "scenario": ("s.yaml", SCENARIO)}
    r = client.post("/fichiers/simuler", files=upload, headers=origin)
    assert r.status_code == 200 and "<svg" in r.text
    client.cookies.clear()
    assert client.get("/fichiers", follow_redirects=False).status_code == 303
