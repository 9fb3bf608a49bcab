"""`proa ingest` on other branches' Pro-A agreements (tests/agreements/, from the official
collection) and on arbitrary text: it reads the articles and annexes, or refuses in French;
it never fails."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from proa.cli.main import app
from proa.ingest import ingest, report

AGREEMENTS = Path(__file__).resolve().parent / "agreements"
runner = CliRunner()

# file → (IDCC, date, article numbers, annex numbers, rows of the annexes' tables)
EXPECTED = {
    "idcc0016-KALITEXT000044925386.md": (16, "2021-10-26", "1 2 3 4", "unique", [0]),
    "idcc0016-KALITEXT000047556934.txt": (16, "2023-02-22", "1 2 3 4", "", []),
    "idcc0843-KALITEXT000045139316.md": (
        843,
        "2021-10-28",
        "1 2 3 4 5 6 7 7.1 7.2 8 8.1 8.2 8.3 9 10 11 12",
        "unique",
        [0],
    ),
    "idcc1480-KALITEXT000047410228.txt": (1480, "2022-11-21", "unique", "", []),
    "idcc1518-KALITEXT000039178980.txt": (1518, "2019-04-16", "1 2 3 4 5", "", []),
    "idcc2098-KALITEXT000041789113.txt": (
        2098,
        "2019-12-09",
        "1 2 2.1 2.2 2.3 3 4 5 5.1 5.2 5.3",
        "1 2",
        [2, 0],
    ),
    "idcc2264-KALITEXT000041752108.md": (2264, "2019-11-07", "1 2 3 4 5 6 7 10", "", []),
    "idcc2941-KALITEXT000039399368.md": (2941, "2019-03-20", "1 2 3", "", []),
}


def test_every_fixture_is_listed() -> None:
    assert sorted(p.name for p in AGREEMENTS.glob("idcc*")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_other_branch_agreement_is_read(name: str) -> None:
    idcc, date, articles, annexes, rows = EXPECTED[name]
    doc = ingest((AGREEMENTS / name).read_text(encoding="utf-8"))
    assert doc.idcc == idcc
    assert str(doc.date) == date
    assert [a.number for a in doc.articles] == articles.split()
    assert [x.number for x in doc.annexes] == annexes.split()
    assert [len(x.table) for x in doc.annexes] == rows
    assert doc.form == ("markdown" if name.endswith(".md") else "ocr")
    assert all(a.text or a.title for a in doc.articles), "no article lost its text"
    rep = report(doc)
    assert rep.pack_source is None  # not the agreement the rule pack encodes
    assert rep.differences == []
    assert all(d.pack_defect is None for d in rep.defects)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_ingest_command_on_other_branches(name: str) -> None:
    path = str(AGREEMENTS / name)
    out = runner.invoke(app, ["ingest", path])
    assert out.exit_code == 0, out.output
    assert "Autre accord que celui du paquet de règles" in out.output
    data = json.loads(runner.invoke(app, ["ingest", path, "--json"]).output)
    assert data["pack_source"] is None and len(data["agreement"]["articles"]) >= 1
    refused = runner.invoke(app, ["ingest", path, "--diff"])
    assert refused.exit_code == 2
    assert refused.output.startswith("Erreur : --diff compare un texte")
    assert isinstance(refused.exception, SystemExit)


def test_text_without_articles_is_refused_in_french(tmp_path: Path) -> None:
    text = tmp_path / "note.txt"
    text.write_text("Compte rendu de la réunion paritaire du 3 mars 2020.\n", encoding="utf-8")
    out = runner.invoke(app, ["ingest", str(text)])
    assert out.exit_code == 2
    assert "aucun article trouvé" in out.output and "« Article 1 »" in out.output


def test_articles_quoted_by_an_avenant_stay_in_its_text() -> None:
    doc = ingest(
        "Avenant n° 2 du 3 mars 2022 relatif à la Pro-A\n\nPréambule\n\nTexte.\n\n"
        "Article 1er\nModification\n\nL'article 21 est ainsi rédigé :\n"
        "Article 21.2\nLa durée est de 12 mois.\n\n"
        "Article 2\nEntrée en vigueur\n\nLe présent avenant entre en vigueur.\n"
        "Article 1er\nCité une seconde fois.\n"
    )
    assert [a.number for a in doc.articles] == ["1", "2"]
    assert "21.2" in doc.article("1").text and "seconde fois" in doc.article("2").text


def test_impossible_date_is_unreadable_not_a_failure() -> None:
    doc = ingest("Avenant n° 3 du 31 février 2020 relatif à la Pro-A\nPréambule\nArticle 1\nx\n")
    assert doc.date is None and doc.date_raw == "31 février 2020"
    assert any("illisible" in w for w in doc.warnings)


# Lines an agreement is made of, some of them broken, to shuffle into arbitrary texts.
PIECES = st.sampled_from(
    [
        "Préambule",
        "PREAMBULE",
        "Article 1er",
        "Article 2 - Durée",
        "Article 7.1",
        "Article unique",
        "Article premier",
        "Article 99999999999999999999",
        "Article 3 du présent accord est modifié.",
        "ARTICLE 4",
        "Annexe",
        "Annexe 1 – Liste des certifications",
        "Annexe IV :",
        "Niveau | Type | Certification | Code RNCP",
        "3 | CQP | Assistant médical | En cours",
        "9 | BTS | X",
        "4 CQP Titre RNCP12345",
        "| | | |",
        "Avenant n° 81 du 8 juillet 2021 relatif à la Pro-A",
        "Avenant n° 12 du 31 février 2020 relatif à x",
        "Accord du 1er janvier 2020 portant sur la Pro-A",
        "IDCC 1147",
        "IDCC 0",
        "Convention collective des cabinets médicaux",
        "(Non étendu)",
        "(Étendu)",
        "Signataires :",
        "Organisation(s) patronale(s) :",
        "CSMF ; MG France ;",
        "D'une part,",
        "Syndicat(s) de salarié(s) :",
        "CGT – CFTC – XYZ",
        "Fait à Paris, le 8 juillet 2021",
        "d'une durée comprise entre 6 et 12 mois",
        "comprise entre 15 et 25 % de la durée totale",
        "sans être inférieure à 150 heures",
        "âgés de 45 ans",
        "entre en vigueur dès sa signature",
        "entre en vigueur à l'extension",
        "- item de liste",
        "**gras**",
        "## Titre",
        "",
        "   ",
        "4 4 4 4",
        "«»",
        "\u00ad\u202f\u00a0",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(PIECES, st.text(max_size=60)), max_size=40))
def test_any_text_is_read_or_refused_never_fails(lines: list[str]) -> None:
    doc = ingest("\n".join(lines))
    rep = report(doc)
    assert len(rep.agreement.articles) == len({a.number for a in doc.articles})
    for figure in rep.figures:
        assert 0 <= figure.start <= figure.end


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=2000))
def test_arbitrary_characters_never_fail(text: str) -> None:
    report(ingest(text))
