"""A CPNEFP change of the Annex 1 list is a data change only: schema-checked files, and
a case targeting the new certification turns eligible on the day the change takes effect."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from proa.core.engine import Engine
from proa.law import ROOT, RulePack, schemas

EFFECTIVE = dt.date(2025, 9, 15)
NEW_ID = "TP-SECRETAIRE-ASSISTANT-MEDICO-SOCIAL"
NEW_CODE = "RNCP36805"


def _pack_with_new_certification(root: Path, *, in_catalogue: bool = True) -> Path:
    law = root / "law"
    shutil.copytree(ROOT, law, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    catalogue = law / "certifications.yaml"
    if in_catalogue:
        with catalogue.open("a", encoding="utf-8") as f:
            f.write(f"""
{NEW_ID}:
  title: "Titre professionnel Secrétaire assistant médico-social"
  type: TP
  certifier: "Ministère du Travail"
  level_rncp: 4
  registrations:
    - code: {NEW_CODE}
      level: 4
      from: 2022-07-01
      to: 2027-07-01
      source: rncp
""")
    sources = law / "sources.yaml"
    with sources.open("a", encoding="utf-8") as f:
        f.write(
            'cpnefp.2025-09:\n  label: "Délibération de la CPNEFP du 15 septembre 2025"\n'
            "  parent: av81\n"
        )
    annex = law / "pro_a" / "parameters" / "annex1.yaml"
    data = yaml.safe_load(annex.read_text(encoding="utf-8"))
    data["values"].append(
        {
            "from": EFFECTIVE,
            "value": ["CQP-ASSISTANT-MEDICAL", NEW_ID],
            "sources": [{"ref": "cpnefp.2025-09", "quote": ""}],
        }
    )
    annex.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return law


def _case(agreement: dt.date) -> dict[str, Any]:
    case: dict[str, Any] = json.loads((ROOT.parent / "examples" / "case.json").read_text())
    case["agreement_date"] = agreement.isoformat()
    case["target"] = {"kind": "certification", "code": NEW_CODE}
    return case


def test_new_certification_is_eligible_from_its_effective_date(tmp_path: Path) -> None:
    engine = Engine(RulePack(_pack_with_new_certification(tmp_path)))
    before = engine.evaluate(_case(EFFECTIVE - dt.timedelta(days=1)))
    after = engine.evaluate(_case(EFFECTIVE))
    assert before.decision == "ineligible"
    assert [f.rule for f in before.findings if f.status == "violation"] == ["pro-a.target-on-list"]
    assert after.decision == "eligible"
    assert next(f for f in after.findings if f.rule == "pro-a.target-on-list").status == "ok"


def test_list_entry_must_be_in_the_catalogue(tmp_path: Path) -> None:
    law = _pack_with_new_certification(tmp_path, in_catalogue=False)
    with pytest.raises(ValueError, match=NEW_ID):
        RulePack(law)


def test_malformed_registration_is_rejected(tmp_path: Path) -> None:
    law = _pack_with_new_certification(tmp_path)
    catalogue = law / "certifications.yaml"
    catalogue.write_text(catalogue.read_text("utf-8").replace(NEW_CODE, "RNCP-36805"), "utf-8")
    with pytest.raises(ValueError, match="code"):
        RulePack(law)


def test_committed_schemas_are_current() -> None:
    for name, schema in schemas().items():
        path = ROOT / "schema" / f"{name}.schema.json"
        assert json.loads(path.read_text(encoding="utf-8")) == schema, name
    catalogue = schemas()["certifications"]
    registration = catalogue["$defs"]["Registration"]
    assert registration["properties"]["code"]["pattern"] == r"^(RNCP|RS)\d{3,6}$"
    assert set(registration["required"]) >= {"code", "level", "from", "to", "source"}
