"""Generated documents: every template, both formats, several cases; refusals and drafts.

PDF text is read back with pdfplumber; page 1 of each PDF goes to artifacts/documents/ as a
PNG (pdftoppm) so a person can look at it.
"""

from __future__ import annotations

import copy
import io
import json
import os
import re
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import docx
import pdfplumber
import pytest
from typer.testing import CliRunner

from proa import evaluate
from proa.cli.main import app
from proa.documents import KINDS, DocumentRefused, produce, render, render_html
from tests.conftest import machine_lacks

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "artifacts" / "documents"
EXAMPLE = json.loads((ROOT / "proa" / "examples" / "case.json").read_text(encoding="utf-8"))
NNBSP, NBSP = "\u202f", "\u00a0"

PARTIES = {
    "employer_name": "Cabinet médical des Tilleuls",
    "employer_address": "12 rue des Tilleuls, 69003 Lyon",
    "employer_siret": "12345678900015",
    "employer_representative": "Dr Anne Martin, gérante",
    "employee_name": "Marie Dupont",
    "employee_job": "secrétaire médicale",
    "tutor_name": "Sophie Bernard",
    "tutor_job": "assistante médicale",
    "training_organisation": "Institut de formation des cabinets médicaux",
    "training_organisation_nda": "84691234569",
    "training_blocks": [
        {"title": "Accueil et prise en charge du patient", "hours": 105},
        {"title": "Assistance au médecin et parcours de soins", "hours": 120},
        {"title": "Organisation du cabinet et hygiène", "hours": 75},
    ],
}


def _case(**changes: Any) -> dict[str, Any]:
    case = copy.deepcopy(EXAMPLE)
    case["parties"] = copy.deepcopy(PARTIES)
    for key, value in changes.items():
        case[key] = value
    return case


def _reconversion(mode: str) -> dict[str, Any]:
    case = _case(
        agreement_date="2026-03-02", start_date="2026-04-06", end_date="2027-02-26", tutor=None
    )
    if mode == "internal":
        case["reconversion"] = {"mode": "internal"}
    else:
        case["reconversion"] = {
            "mode": "external",
            "host_contract": "CDD",
            "host_contract_months": 8,
            "collective_agreement": False,  # decided alone: under 50 employees, no CSE
            "cse": "none",
        }
        case["parties"]["host_employer_name"] = "Centre de santé Saint-Jean"
    return case


def _employer_tutor() -> dict[str, Any]:
    case = _case(tutor={"role": "employer", "experience_years": 10, "current_beneficiaries": 0})
    case["parties"].update(tutor_name="Dr Anne Martin", tutor_job="médecin généraliste")
    case["outside_working_time"] = {"hours": 0}
    return case


CASES: dict[str, dict[str, Any]] = {
    "pro-a-tuteur-salarie": _case(),
    "pro-a-tuteur-employeur": _employer_tutor(),
    "reconversion-interne": _reconversion("internal"),
    "reconversion-externe": _reconversion("external"),
}
DOCUMENTS = [
    (name, kind)
    for name, case in CASES.items()
    for kind, spec in KINDS.items()
    if evaluate(case).regime in spec.regimes
]


@cache
def _pdf(name: str, kind: str) -> bytes:
    data = render(kind, CASES[name], fmt="pdf")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"{name}-{kind}.pdf").write_bytes(data)
    return data


def _pages(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [_plain(page.extract_text() or "") for page in pdf.pages]


def _plain(text: str) -> str:
    """Text with every kind of space as one plain space (PDF extraction varies)."""
    return re.sub(r"[\s\u00a0\u202f]+", " ", text)


def _docx_text(data: bytes) -> str:
    doc = docx.Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                parts += [p.text for p in cell.paragraphs]
                for inner in cell.tables:
                    parts += [c.text for r in inner.rows for c in r.cells]
    parts += [p.text for p in doc.sections[0].header.paragraphs]
    return "\n".join(parts)


def _expected(name: str, kind: str) -> list[str]:
    """Figures and names each document must show."""
    case = CASES[name]
    out = ["Marie Dupont", "300 h", evaluate(case).rulepack_version]
    if kind != "pedagogique":
        out.append("2 745,00 €")
    if kind != "droits-salarie":
        out.append("Cabinet médical des Tilleuls")
    if name.startswith("pro-a"):
        out += ["1er octobre 2025", "30 septembre 2026", "RNCP40913"]
        if kind == "avenant":
            out += ["12 mois", "273 h", "455 h", "6 octobre 2025", "Dr Anne Martin"]
            out += (
                ["Sophie Bernard"]
                if name == "pro-a-tuteur-salarie"
                else ["l’employeur assurant lui"]
            )
        if kind == "pedagogique":
            out += ["Assistance au médecin et parcours de soins", "120 h", "84691234569"]
    else:
        out += ["6 avril 2026", "26 février 2027"]
        if kind == "accord-reconversion":
            out += ["150 h", "450 h", "R6324-1"]
            if name == "reconversion-externe":
                out += ["Centre de santé Saint-Jean", "suspendu", "12 mois", "poste équivalent"]
            else:
                out += ["le contrat de travail est maintenu", "moitié des droits"]
    return out


@pytest.mark.parametrize(("name", "kind"), DOCUMENTS)
def test_pdf_states_the_case(name: str, kind: str) -> None:
    pages = _pages(_pdf(name, kind))
    text = " ".join(pages)
    for expected in _expected(name, kind):
        assert _plain(expected) in text, (expected, name, kind)
    assert f"Page 1 sur {len(pages)}" in pages[0]
    assert "PROJET" not in text
    if kind == "droits-salarie":
        assert len(pages) == 1, "the employee's summary holds on one page"


@pytest.mark.parametrize(("name", "kind"), DOCUMENTS)
def test_docx_opens_and_states_the_case(name: str, kind: str) -> None:
    data = render(kind, CASES[name], fmt="docx")
    (ARTIFACTS / f"{name}-{kind}.docx").write_bytes(data)
    text = _plain(_docx_text(data))
    for expected in _expected(name, kind):
        assert _plain(expected) in text, (expected, name, kind)


@pytest.mark.parametrize(("name", "kind"), DOCUMENTS)
def test_french_typography(name: str, kind: str) -> None:
    html = render_html(kind, CASES[name])
    text = re.sub(r"<[^>]*>", "", html)
    assert not re.search(r" [:;!?»]", text), "plain space before high punctuation"
    if kind != "pedagogique":
        assert f"2{NNBSP}745,00{NBSP}€" in text
    assert f"«{NBSP}" in text and "'" not in text


def test_page_one_as_png() -> None:
    if shutil.which("pdftoppm") is None:
        machine_lacks("pdftoppm absent (apt-get install poppler-utils) : aperçu PNG des PDF")
    for name, kind in DOCUMENTS:
        pdf = ARTIFACTS / f"{name}-{kind}.pdf"
        pdf.write_bytes(_pdf(name, kind))
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "60",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(pdf),
                str(pdf.with_suffix("")),
            ],
            check=True,
        )
        assert pdf.with_suffix(".png").stat().st_size > 10_000


def test_pro_a_cites_the_old_wording_and_the_rule_pack() -> None:
    text = _plain(render_html("avenant", CASES["pro-a-tuteur-salarie"]))
    assert "C. trav., art. L6324-6 (rédaction antérieure au 1er janvier 2026)" in text
    assert "LEGIARTI000018523007" in text  # D6325-11, the pedagogical document
    assert "C. trav., art. R6321-4" in text
    assert evaluate(CASES["pro-a-tuteur-salarie"]).rulepack_version in text


@pytest.mark.parametrize("kind", ["accord-reconversion", "droits-salarie"])
def test_periode_cites_the_2026_wording_only(kind: str) -> None:
    """The période's chapter was rewritten on 1 January 2026: its documents never cite the
    Pro-A wording of L6324-x, nor link to it (issue 10)."""
    text = _plain(render_html(kind, CASES["reconversion-externe"]))
    # The list of sources: each article with its official identifier.
    cited = set(re.findall(r"C\. trav\., art\. L6324-\d+(?: \([^)]*\))? \[LEGIARTI\d+\]", text))
    assert "C. trav., art. L6324-3 (rédaction 2026) [LEGIARTI000052437338]" in cited
    assert all("(rédaction 2026)" in c for c in cited), cited
    assert "LEGIARTI000052437305" in text  # L6324-7 (2026), the end of an external période
    assert "LEGIARTI000038951691" not in text  # L6324-3 before 2026, the branch list


def test_outside_working_time_clause_follows_the_hours() -> None:
    with_hours = _plain(render_html("avenant", CASES["pro-a-tuteur-salarie"]))
    assert "Accord écrit du salarié pour la formation hors du temps de travail" in with_hours
    assert "280 h" in with_hours and "huit jours" in with_hours
    # Pro-A: old L6324-7 refers to 2° of L6321-6 only, an agreement does not lift the 30 h.
    assert "même si un accord collectif" in with_hours and "prévoit davantage" in with_hours
    rights = _plain(render_html("droits-salarie", CASES["pro-a-tuteur-salarie"]))
    assert "même si un accord collectif prévoit davantage" in rights
    periode = _plain(render_html("droits-salarie", CASES["reconversion-interne"]))
    assert "trente heures par an en l\u2019absence d\u2019accord collectif" in periode
    none = _plain(render_html("avenant", CASES["pro-a-tuteur-employeur"]))
    assert "se déroulent en totalité pendant le temps de travail" in none
    assert "Accord écrit du salarié" not in none


def test_missing_names_are_blank_lines_never_invented() -> None:
    case = _case()
    del case["parties"]
    text = _plain(" ".join(_pages(render("avenant", case))))
    assert "………………" in text
    assert "Marie Dupont" not in text and "Sophie Bernard" not in text


INELIGIBLE = _case(end_date="2027-03-30", training_hours=140)
INELIGIBLE["parties"]["training_blocks"] = None
INELIGIBLE.pop("outside_working_time", None)


def test_ineligible_case_is_refused_in_french() -> None:
    with pytest.raises(DocumentRefused) as err:
        render("avenant", INELIGIBLE)
    message = _plain(str(err.value))
    assert "refusé" in message and "non éligible" in message and "--draft" in message
    assert "Durée de la Pro-A" in message and "140 h" in message


def test_incomplete_case_is_refused_with_the_questions() -> None:
    case = _case()
    del case["employee"]["contract"]
    with pytest.raises(DocumentRefused) as err:
        render("avenant", case, fmt="docx")
    assert "incomplet" in str(err.value) and "employee.contract" in str(err.value)


def test_draft_marks_every_page_and_lists_the_violations() -> None:
    doc = produce("avenant", INELIGIBLE, draft=True)
    assert doc.problems
    pages = _pages(doc.data)
    assert len(pages) > 1
    for page in pages:
        assert "PROJET — non conforme" in page
        assert "Durée de la Pro-A" in page
    assert "Durée minimale de la formation" in pages[0]
    header = _plain(_docx_text(render("avenant", INELIGIBLE, fmt="docx", draft=True)))
    assert "PROJET — non conforme" in header and "Durée de la Pro-A" in header


def test_inconsistent_training_blocks_are_refused() -> None:
    case = _case()
    case["parties"]["training_blocks"] = [{"title": "Bloc unique", "hours": 250}]
    with pytest.raises(DocumentRefused, match="totalisent 250"):
        render("pedagogique", case)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("pro-a-tuteur-salarie", "accord-reconversion"),
        ("reconversion-interne", "avenant"),
        ("reconversion-externe", "pedagogique"),
    ],
)
def test_kind_must_fit_the_regime_even_as_a_draft(name: str, kind: str) -> None:
    with pytest.raises(DocumentRefused, match="ne relève pas du dispositif"):
        render(kind, CASES[name], draft=True)


def test_unknown_kind_and_format() -> None:
    with pytest.raises(KeyError, match="type de document inconnu"):
        render("contrat", CASES["pro-a-tuteur-salarie"])
    with pytest.raises(DocumentRefused, match="format inconnu"):
        render("avenant", CASES["pro-a-tuteur-salarie"], fmt="odt")


runner = CliRunner()


def test_cli_writes_the_example_avenant(tmp_path: Path) -> None:
    case = tmp_path / "case.json"
    case.write_text(json.dumps(CASES["pro-a-tuteur-salarie"]), encoding="utf-8")
    out = tmp_path / "avenant.pdf"
    result = runner.invoke(app, ["document", "avenant", str(case), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")
    as_docx = tmp_path / "avenant.bin"
    result = runner.invoke(
        app, ["document", "avenant", str(case), "-o", str(as_docx), "--format", "docx"]
    )
    assert result.exit_code == 0, result.output
    assert as_docx.read_bytes().startswith(b"PK")


def test_cli_refuses_and_writes_nothing(tmp_path: Path) -> None:
    case = tmp_path / "case.json"
    case.write_text(json.dumps(INELIGIBLE), encoding="utf-8")
    out = tmp_path / "avenant.pdf"
    result = runner.invoke(app, ["document", "avenant", str(case), "-o", str(out)])
    assert result.exit_code == 1
    assert "refusé" in result.output and not out.exists()
    result = runner.invoke(app, ["document", "avenant", str(case), "-o", str(out), "--draft"])
    assert result.exit_code == 0 and "PROJET" in result.output and out.exists()
    bad = runner.invoke(app, ["document", "avenant", str(case), "-o", str(tmp_path / "x.txt")])
    assert bad.exit_code == 2 and not (tmp_path / "x.txt").exists()


def test_legal_basis_follows_the_regime() -> None:
    pro_a = _plain(render_html("droits-salarie", CASES["pro-a-tuteur-salarie"]))
    reconversion = _plain(render_html("droits-salarie", CASES["reconversion-interne"]))
    assert "D6325-7" in pro_a and "R6324-1" not in pro_a
    assert "R6324-1" in reconversion and "D6325-7" not in reconversion
    assert "rédaction antérieure" not in reconversion


NO_FONTS = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig><cachedir>{cache}</cachedir></fontconfig>
"""


def _layout(data: bytes) -> tuple[list[tuple[str, str, float, float]], set[str]]:
    """Every character with its page position, and the fonts the PDF uses."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        chars = [
            (str(n), c["text"], round(c["x0"], 1), round(c["top"], 1))
            for n, page in enumerate(pdf.pages)
            for c in page.chars
        ]
        fonts = {c["fontname"].split("+")[-1] for page in pdf.pages for c in page.chars}
    return chars, fonts  # type: ignore[return-value]


def test_pdf_is_the_same_on_a_machine_without_fonts(tmp_path: Path) -> None:
    """Only the fonts shipped in the package: a machine without any font (fontconfig sees
    none) lays every character of every document at the same place."""
    config = tmp_path / "fonts.conf"
    config.write_text(NO_FONTS.format(cache=tmp_path / "cache"), encoding="utf-8")
    script = (
        "import sys, json; from proa.documents import render; "
        "case = json.loads(sys.stdin.read()); "
        "[open(f'{sys.argv[1]}/{k}.pdf', 'wb').write(render(k, case[k])) for k in case]"
    )
    jobs = {kind: CASES[name] for name, kind in DOCUMENTS if name.endswith(("salarie", "externe"))}
    env = {k: v for k, v in os.environ.items() if not k.startswith("FONTCONFIG")}
    subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)],
        input=json.dumps(jobs),
        text=True,
        env=env | {"FONTCONFIG_FILE": str(config)},
        check=True,
        capture_output=True,
    )
    fc_list = shutil.which("fc-list")
    if fc_list:  # the configuration really hides every font of the machine
        listed = subprocess.run(
            [fc_list], env=env | {"FONTCONFIG_FILE": str(config)}, capture_output=True, text=True
        )
        assert listed.stdout.strip() == ""
    for kind, case in jobs.items():
        here, fonts = _layout(render(kind, case))
        bare, bare_fonts = _layout((tmp_path / f"{kind}.pdf").read_bytes())
        assert bare == here, kind
        assert fonts == bare_fonts
        assert {f.split("-")[0] for f in fonts} == {"Proa"}, fonts
