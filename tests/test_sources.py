"""`proa sources verify`: pinned versions and quotes checked against the official texts."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from proa.cli.main import app
from proa.law import ROOT, RulePack, default_pack
from proa.sources.official import EXTRACT, pinned
from proa.sources.verify import verify


@pytest.fixture
def pack_copy(tmp_path: Path) -> Path:
    root = tmp_path / "law"
    shutil.copytree(ROOT, root, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return root


def test_pinned_extract_passes() -> None:
    result = verify(default_pack(), pinned())
    assert result.problems == []
    assert result.quotes_checked >= 60
    assert result.versions_checked >= 40


def test_cli_passes_on_the_pinned_extract() -> None:
    out = CliRunner().invoke(app, ["sources", "verify"])
    assert out.exit_code == 0, out.output
    assert "extrait épinglé" in out.output


def test_every_cited_code_article_is_pinned() -> None:
    pack = default_pack()
    for ref, src in pack.sources.items():
        if src.code == "ctrav" or src.parent == "av81":
            assert src.versions, ref
            assert all(v.id.startswith(("LEGIARTI", "KALIARTI")) for v in src.versions)
    # The Pro-A wording (until 2026) and the 2026 wording are two sources of one article.
    old = pack.source("ctrav.L6324-1")
    new = pack.source("ctrav.L6324-1@2026")
    pro_a = old.version_at(dt.date(2025, 12, 31))
    assert pro_a is not None and pro_a.id == "LEGIARTI000038951696"
    assert old.version_at(dt.date(2026, 1, 1)) is None
    reconversion = new.version_at(dt.date(2026, 1, 1))
    assert reconversion is not None and reconversion.id == new.id == "LEGIARTI000052437351"


def test_altered_parameter_quote_fails(pack_copy: Path) -> None:
    path = pack_copy / "pro_a" / "parameters" / "training" / "min_hours.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "sans être inférieure à cent cinquante heures", "sans être inférieure à cent heures"
        ),
        encoding="utf-8",
    )
    problems = verify(RulePack(pack_copy), pinned()).problems
    assert {(p.kind, p.source) for p in problems} == {("quote-drift", "ctrav.L6325-13")}
    assert {p.where for p in problems} == {
        "pro_a.training.min_hours (valeur du 2019-01-01)",
        "pro_a.training.min_hours (valeur du 2021-07-08)",
    }


def test_altered_defect_quote_fails(pack_copy: Path) -> None:
    path = pack_copy / "defects.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "entrera en vigueur dès sa signature.", "entrera en vigueur dès son extension."
        ),
        encoding="utf-8",
    )
    (problem,) = verify(RulePack(pack_copy), pinned()).problems
    assert problem.kind == "quote-drift" and problem.where == "defect.entry-into-force"


def test_quote_from_the_wrong_version_fails(pack_copy: Path) -> None:
    """A Pro-A value (before 2026) cannot rely on words only the 2026 version holds."""
    path = pack_copy / "pro_a" / "parameters" / "contracts.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("quote: 'Elle concerne")
    end = text.index("\n", start)
    path.write_text(
        text[:start] + "quote: Tout salarié souhaitant bénéficier" + text[end:], encoding="utf-8"
    )
    (problem,) = verify(RulePack(pack_copy), pinned()).problems
    assert problem.kind == "quote-drift" and problem.source == "ctrav.L6324-1"


def test_changed_version_in_force_is_reported(tmp_path: Path) -> None:
    data = json.loads(EXTRACT.read_text(encoding="utf-8"))
    for a in data["articles"]:
        if a["id"] == "LEGIARTI000033024376":  # L6325-13, in force since 2016
            a["date_fin"] = "2027-01-01"
    path = tmp_path / "extract.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    (problem,) = verify(default_pack(), pinned(path)).problems
    assert problem.kind == "version-changed" and problem.source == "ctrav.L6325-13"
    assert "2027-01-01" in problem.message


def test_official_text_changed_is_reported(tmp_path: Path) -> None:
    data = json.loads(EXTRACT.read_text(encoding="utf-8"))
    for a in data["articles"]:
        if a["id"] == "KALIARTI000044392151":  # avenant 81, art. 6
            a["text"] = a["text"].replace("maximum de 40 %", "maximum de 50 %")
    path = tmp_path / "extract.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    problems = verify(default_pack(), pinned(path)).problems
    assert {(p.kind, p.source) for p in problems} == {("quote-drift", "av81.art6")}
