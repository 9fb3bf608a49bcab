"""Public law: inline evaluation and questions, rules and parameters with their sources.
No account needed (it is public law, and nothing is stored)."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from fastapi import APIRouter, Body, Response
from pydantic import BaseModel

from proa import Result, service
from proa.core.catalogue import text
from proa.explain import ParameterPage, RulePage, explain, names, parameter_page
from proa.law import default_pack
from proa.presentation import ParameterInForce, parameters_in_force
from proa.service.errors import NotFound
from proa.service.inputs import LawDate
from proa.service.verdicts import evaluated

router = APIRouter(tags=["Droit"])

CaseBody = Body(
    description="Le dossier (docs/contract.md)",
    examples=[
        {"agreement_date": "2025-09-15", "start_date": "2025-10-01", "end_date": "2026-09-30"}
    ],
)


@router.post(
    "/evaluate", response_model=Result, summary="Évaluer un dossier envoyé tel quel (sans compte)"
)
async def evaluate_inline(
    case: dict[str, Any] = CaseBody, at: LawDate | None = None, en: bool = False
) -> Response:
    """`en=true` adds English (`message_en`, `title_en`) beside each French finding."""
    # Serialised once by the model itself (the hot path: no second validation).
    return Response(evaluated(case, at, en).model_dump_json(), media_type="application/json")


@router.post("/questions", summary="Les questions sans réponse d'un dossier envoyé tel quel")
async def questions_inline(case: dict[str, Any] = CaseBody) -> list[service.Question]:
    return service.questions_for(evaluated(case).missing)


class RuleSummary(BaseModel):
    name: str
    kind: str
    title: str
    regimes: list[str]


@cache
def _rule_summaries() -> list[RuleSummary]:
    pages = [explain(n) for n in names()]
    return [RuleSummary(name=p.name, kind=p.kind, title=p.title, regimes=p.regimes) for p in pages]


@router.get("/rules", summary="Les règles et avertissements")
def rules() -> list[RuleSummary]:
    return _rule_summaries()


@router.get("/rules/{name}", summary="La page d'une règle : condition, paramètres, sources")
def rule(name: str, en: bool = False) -> RulePage:
    """`en=true`: the condition, applicability and overriding clauses in English words (as
    `proa explain NAME --en`); the rest stays the French page."""
    try:
        return explain(name, lang="en" if en else "fr")
    except KeyError:
        raise NotFound(text("service.unknown_rule", name=name)) from None


@router.get("/parameters", summary="Les paramètres en vigueur à une date (défaut : ce jour)")
def parameters(at: LawDate | None = None) -> list[ParameterInForce]:
    """The listing of `proa params` and of the web's /parametres page."""
    return parameters_in_force(at or dt.date.today())


@router.get("/parameters/{name}", summary="La page d'un paramètre : valeurs datées, sources")
def parameter(name: str) -> ParameterPage:
    if name not in default_pack().parameters.parameters:
        raise NotFound(text("service.unknown_parameter", name=name))
    return parameter_page(name)
