"""Ingestion of avenant 81: clean and OCR texts give the same structure, figures and defects."""

from __future__ import annotations

from pathlib import Path

import pytest

from proa.ingest import Agreement, ingest, report
from proa.ingest.normalise import repair, similarity

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "proa" / "ingest" / "seeds"
SHARED = REPO.parent / "shared" / "law"
NAMES = ("avenant-81-idcc1147.md", "avenant-81-idcc1147.ocr.txt")


def _text(name: str) -> str:
    """The seed text from ../shared/law/ when present (CI), else the copy in the repo."""
    shared = SHARED / name
    return (shared if shared.exists() else SEEDS / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def docs() -> tuple[Agreement, Agreement]:
    return ingest(_text(NAMES[0])), ingest(_text(NAMES[1]))


def test_bundled_seeds_match_shared() -> None:
    for name in NAMES:
        if (SHARED / name).exists():
            assert (SEEDS / name).read_text() == (SHARED / name).read_text()


def test_same_11_articles_and_2_annexes(docs: tuple[Agreement, Agreement]) -> None:
    clean, ocr = docs
    assert [a.number for a in clean.articles] == [str(n) for n in range(1, 12)]
    assert [a.number for a in ocr.articles] == [str(n) for n in range(1, 12)]
    assert [x.number for x in clean.annexes] == [x.number for x in ocr.annexes] == ["1", "2"]
    title = "Financement des actions éligibles au dispositif dit « Pro-A »"
    assert clean.article("7").title == title
    for a, b in zip(clean.articles, ocr.articles, strict=True):
        assert similarity(a.title, b.title) >= 0.8, a.number


def test_ocr_similarity_per_article(docs: tuple[Agreement, Agreement]) -> None:
    clean, ocr = docs
    for a, b in zip(clean.articles, ocr.articles, strict=True):
        assert similarity(a.text, b.text) >= 0.98, (a.number, similarity(a.text, b.text))
    for a, b in zip(clean.annexes, ocr.annexes, strict=True):
        assert similarity(a.text, b.text) >= 0.97
    assert similarity(clean.preamble, ocr.preamble) >= 0.98
    # The signature block is not part of article 11.
    assert "Fédération" not in clean.article("11").text


def test_ocr_noise_is_repaired() -> None:
    assert repair("Vularticle 28 delaloin® 2018-771") == "Vu l'article 28 de la loi n° 2018-771"
    assert repair("les articles L. 6324-1 4 L. 6324-6") == "les articles L. 6324-1 à L. 6324-6"
    assert repair("d'un dipléme") == "d'un diplôme"
    assert repair("pris en charge par TOPCO") == "pris en charge par l'OPCO"
    assert repair("sans étre inférieure 4 150 heures.") == "sans être inférieure à 150 heures."
    # Figures stay figures.
    assert repair("de niveau 4.") == "de niveau 4."
    assert repair("entre 6 et 12 mois") == "entre 6 et 12 mois"


def test_header(docs: tuple[Agreement, Agreement]) -> None:
    clean, ocr = docs
    for d in docs:
        assert d.number == 81
        assert d.idcc == 1147
        assert "reconversion ou promotion par l'alternance" in d.title.lower()
        assert {s.name for s in d.signatories if s.side == "employers"} == {
            "CSMF",
            "FMF",
            "SML",
            "MG France",
        }
        assert {s.name for s in d.signatories if s.side == "employees"} == {"CGT", "CFTC", "UNSA"}
    assert str(clean.date) == "2021-07-08"
    assert ocr.date is None and ocr.date_raw == "8 jui"
    assert ocr.status == "non étendu" and clean.status is None


def test_certification_table(docs: tuple[Agreement, Agreement]) -> None:
    for d in docs:
        (row,) = d.annexes[0].table
        assert (row.level, row.type, row.code, row.code_raw) == (3, "CQP", None, "En cours")
        assert row.title.lower().replace("é", "e") == "assistant medical"


def test_figures_with_spans(docs: tuple[Agreement, Agreement]) -> None:
    for d in docs:
        figs = report(d).figures
        by = {f.parameter: f for f in figs if f.parameter}
        assert by["pro_a.duration.max_months_priority"].value == 36
        assert by["pro_a.training.min_hours"].value == 150
        assert by["pro_a.training.max_share_priority"].value == 40
        for f in figs:
            if f.end:
                assert d.article(f.article).text[f.start : f.end] == f.excerpt
        publics = [f for f in figs if f.kind == "publics"]
        assert len(publics) == 4
        assert {f.value for f in figs if f.kind == "entry_into_force"} == {"signature", "deposit"}


def test_diff_with_the_pack_is_explained(docs: tuple[Agreement, Agreement]) -> None:
    for d in docs:
        rep = report(d)
        assert rep.unexplained == [], rep.unexplained
        same = {x.parameter for x in rep.differences if x.status == "same"}
        assert {
            "pro_a.duration.min_months",
            "pro_a.training.min_share",
            "funding.small_firm_headcount",
        } <= same


def test_diff_reports_a_changed_figure(docs: tuple[Agreement, Agreement]) -> None:
    text = _text(NAMES[0]).replace("maximum de 40 %", "maximum de 45 %")
    rep = report(ingest(text))
    (bad,) = rep.unexplained
    assert bad.parameter == "pro_a.training.max_share_priority"
    assert (bad.text_value, bad.pack_value) == (45, 40)


def test_defects(docs: tuple[Agreement, Agreement]) -> None:
    expected = {
        ("level-mismatch", ("Annexe 1", "Annexe 2"), "defect.annex1-level"),
        ("duplicated-paragraph", ("6", "7"), "defect.financing-duplicated"),
        ("entry-into-force", ("8", "10"), "defect.entry-into-force"),
        ("missing-rncp-code", ("Annexe 1",), "defect.annex1-rncp-code"),
    }
    clean, ocr = docs
    got = {(d.kind, tuple(d.articles), d.pack_defect) for d in report(clean).defects}
    assert got == expected
    ocr_defects = report(ocr).defects
    assert {(d.kind, tuple(d.articles), d.pack_defect) for d in ocr_defects} == expected | {
        ("stale-status", ("En-tête",), None)
    }
    stale = next(d for d in ocr_defects if d.kind == "stale-status")
    assert "25 novembre 2021" in stale.message
