"""Each input is declared once (proa/core/inputs.py): the contract, its JSON Schema, the CLI
questions, the web form, the REST API's questions and the documents all follow a change
made there."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import typing
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError
from typer.testing import CliRunner

from proa import CaseError, parse_case
from proa.core import inputs
from proa.core.inputs import BY_PATH, DECLARED, INPUTS, Bounds, Choice
from proa.core.model import Case

PYTHON_TYPES = {
    "date": dt.date,
    "bool": bool,
    "int": int,
    "number": Decimal,
    "choice": str,
    "text": str,
}


def _leaves(model: type[BaseModel], prefix: str = "") -> dict[str, Any]:
    """Every field of the contract by dotted path (list items are transparent)."""
    out: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        path = prefix + name
        out[path] = info
        args = [a for a in typing.get_args(info.annotation) if a is not type(None)] or [
            info.annotation
        ]
        for arg in args:
            inner = typing.get_args(arg)[0] if typing.get_origin(arg) is list else arg
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                out.update(_leaves(inner, path + "."))
    return out


def test_every_contract_field_is_a_declared_input_and_of_its_kind() -> None:
    fields = _leaves(Case)
    containers = {p for p in fields if any(q.startswith(p + ".") for q in fields)}
    assert set(fields) - containers - {"tutor"} == set(DECLARED) - {"tutor"}
    for path, spec in DECLARED.items():
        info = fields[path]
        assert info.description and info.description.startswith(spec.question), path
        if spec.kind in PYTHON_TYPES:
            assert PYTHON_TYPES[spec.kind] in (
                typing.get_args(info.annotation) or (info.annotation,)
            ), path


def test_every_input_names_its_answer_for_messages_and_rule_pages() -> None:
    for spec in INPUTS:
        assert spec.term and spec.question.endswith("?") and spec.question_en.endswith("?")


PORTAGE = Choice("portage", "Portage salarial", "contrat de portage salarial")


@pytest.fixture
def declaration(monkeypatch: pytest.MonkeyPatch) -> None:
    """The one edit a maintainer makes in proa/core/inputs.py: a reworded question and a
    new allowed value for the employee's contract."""
    spec = BY_PATH["employee.contract"]
    changed = dataclasses.replace(
        spec,
        question="Sous quel contrat le salarié travaille-t-il ?",
        options=(*spec.options, PORTAGE),
    )
    for registry in (inputs.BY_PATH, inputs.DECLARED):
        monkeypatch.setitem(registry, spec.path, changed)


@pytest.mark.usefixtures("declaration")
def test_the_contract_and_its_schema_follow_the_declaration() -> None:
    from proa.core.model import declared

    class Employee(BaseModel):  # as proa.core.model declares it, built after the edit
        contract: str | None = declared("employee.contract")

    prop = Employee.model_json_schema()["properties"]["contract"]
    assert prop["anyOf"][0]["enum"][-1] == "portage"
    assert prop["description"] == "Sous quel contrat le salarié travaille-t-il ?"
    assert Employee.model_validate({"contract": "portage"}).contract == "portage"
    with pytest.raises(ValidationError, match="portage"):
        Employee.model_validate({"contract": "CDX"})


@pytest.mark.usefixtures("declaration")
def test_the_cli_web_api_and_documents_follow_the_declaration(tmp_path: Path) -> None:
    from proa import evaluate
    from proa.cli.main import app
    from proa.documents.context import problems, said
    from proa.service import questions_for
    from proa.web import questionnaire
    from proa.web.routes import templates

    case = {"agreement_date": "2025-09-15", "employer": {"idcc": 1147}}
    path = tmp_path / "c.json"
    path.write_text(json.dumps(case))
    out = CliRunner().invoke(app, ["questions", str(path)])
    assert "Sous quel contrat le salarié travaille-t-il ?" in out.output
    assert "portage = Portage salarial" in out.output

    result = evaluate(case)
    form = questionnaire.next_questions(result, case)[0]
    page = templates.env.get_template("_question.html").render(q=form)
    assert "Sous quel contrat le salarié travaille-t-il" in page
    assert 'value="portage"' in page and "Portage salarial" in page

    api = questions_for(["employee.contract"])[0].model_dump(mode="json")
    assert api["question"] == "Sous quel contrat le salarié travaille-t-il ?"
    assert ["portage", "Portage salarial"] in api["choices"]

    assert said("employee.contract", "portage") == "contrat de portage salarial"
    assert any("Sous quel contrat" in line for _, line in problems(result))


def test_bounds_come_from_the_declaration() -> None:
    assert BY_PATH["employer.idcc"].bounds == Bounds(ge=1, le=9999)
    with pytest.raises(CaseError) as err:
        parse_case({"employer": {"idcc": 10000}})
    assert "≤ 9999" in err.value.english()
    with pytest.raises(CaseError, match=r"parties\.employer_siret"):
        parse_case({"parties": {"employer_siret": "123"}})


def test_batch_files_read_the_declaration() -> None:
    from proa.batch.columns import BY_PATH as COLUMNS
    from proa.batch.columns import FRENCH_VALUES, fold

    for spec in INPUTS:
        assert COLUMNS[spec.path].french == spec.header
        assert COLUMNS[spec.path].choices == (spec.allowed if spec.kind != "object" else ("named",))
        for choice in spec.options:
            if choice.value is not None:
                assert FRENCH_VALUES[spec.path][fold(choice.label)] == choice.value
