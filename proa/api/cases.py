"""/api/v1/cases: case files (versioned), status, evaluation, questions, documents, export,
audit trail. Every route calls one service function, which enforces tenancy."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from proa.api.deps import ActorDep, SessionDep
from proa.storage import services
from proa.storage.errors import NotFound

router = APIRouter(prefix="/cases", tags=["Dossiers"])


class CaseCreate(BaseModel):
    payload: dict[str, Any] = Field(description="Le dossier (docs/contract.md)")
    organisation_id: int | None = Field(None, description="Cabinet (défaut : le vôtre)")
    employee_id: int | None = Field(None, description="Salarié existant (défaut : nouveau)")
    employee_reference: str | None = Field(
        None, max_length=100, description="Référence interne du nouveau salarié"
    )


class CaseUpdate(BaseModel):
    payload: dict[str, Any]
    expected_version: int | None = Field(None, description="Refus (409) si le dossier a changé")


class StatusChange(BaseModel):
    status: str = Field(description="draft, ready, sent, accepted, refused, finished")


@router.get("", summary="Lister les dossiers (filtres : statut, cabinet, salarié)")
def list_cases(
    actor: ActorDep,
    session: SessionDep,
    status: Annotated[list[str] | None, Query()] = None,
    organisation_id: int | None = None,
    employee_id: int | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[services.CaseView]:
    return services.list_cases(
        session,
        actor,
        status=status or (),
        organisation_id=organisation_id,
        employee_id=employee_id,
        limit=limit,
        offset=offset,
    )


@router.post("", status_code=201, summary="Créer un dossier (version 1, brouillon)")
def create_case(body: CaseCreate, actor: ActorDep, session: SessionDep) -> services.CaseView:
    return services.create_case(
        session,
        actor,
        body.payload,
        organisation_id=body.organisation_id,
        employee_id=body.employee_id,
        employee_reference=body.employee_reference,
    )


@router.get("/{case_id}", summary="Lire un dossier (version courante)")
def get_case(case_id: int, actor: ActorDep, session: SessionDep) -> services.CaseView:
    return services.get_case(session, actor, case_id)


@router.put("/{case_id}", summary="Modifier un dossier (nouvelle version)")
def update_case(
    case_id: int, body: CaseUpdate, actor: ActorDep, session: SessionDep
) -> services.CaseView:
    return services.update_case(
        session, actor, case_id, body.payload, expected_version=body.expected_version
    )


@router.delete("/{case_id}", status_code=204, summary="Supprimer un dossier non envoyé")
def delete_case(case_id: int, actor: ActorDep, session: SessionDep) -> Response:
    services.delete_case(session, actor, case_id)
    return Response(status_code=204)


@router.post("/{case_id}/status", summary="Changer le statut du dossier")
def set_status(
    case_id: int, body: StatusChange, actor: ActorDep, session: SessionDep
) -> services.CaseView:
    return services.set_status(session, actor, case_id, body.status)


@router.get("/{case_id}/versions", summary="Les versions du dossier")
def versions(case_id: int, actor: ActorDep, session: SessionDep) -> list[services.VersionView]:
    return services.list_versions(session, actor, case_id)


@router.post(
    "/{case_id}/evaluate",
    status_code=201,
    summary="Évaluer la version courante et enregistrer le résultat",
)
def evaluate_stored(
    case_id: int, actor: ActorDep, session: SessionDep, at: dt.date | None = None
) -> services.EvaluationView:
    return services.evaluate_case(session, actor, case_id, at=at)


@router.get("/{case_id}/evaluation", summary="Évaluer la version courante (sans enregistrer)")
def evaluation(
    case_id: int, actor: ActorDep, session: SessionDep, at: dt.date | None = None
) -> services.EvaluationView:
    return services.evaluate_case(session, actor, case_id, at=at, store=False)


@router.get("/{case_id}/evaluations", summary="Les évaluations enregistrées")
def evaluations(
    case_id: int, actor: ActorDep, session: SessionDep
) -> list[services.EvaluationView]:
    return services.list_evaluations(session, actor, case_id)


@router.get("/{case_id}/questions", summary="Les questions encore sans réponse, dans l'ordre")
def questions(case_id: int, actor: ActorDep, session: SessionDep) -> list[services.Question]:
    return services.case_questions(session, actor, case_id)


@router.get("/{case_id}/export", summary="Exporter le dossier complet (JSON)")
def export(case_id: int, actor: ActorDep, session: SessionDep) -> dict[str, Any]:
    return services.export_case(session, actor, case_id)


@router.get("/{case_id}/audit", summary="Le journal d'audit du dossier")
def audit(case_id: int, actor: ActorDep, session: SessionDep) -> list[services.AuditEntry]:
    return services.audit_trail(session, actor, case_id=case_id)


@router.get("/{case_id}/documents", summary="Les documents générés (métadonnées)")
def documents(case_id: int, actor: ActorDep, session: SessionDep) -> list[services.DocumentView]:
    return services.list_documents(session, actor, case_id)


_MEDIA = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@router.get(
    "/{case_id}/documents/{filename}",
    summary="Générer et télécharger un document",
    response_class=Response,
    responses={200: {"content": {m: {} for m in _MEDIA.values()}}},
)
def document(
    case_id: int, filename: str, actor: ActorDep, session: SessionDep, draft: bool = False
) -> Response:
    """`filename` est `<type>.pdf` ou `<type>.docx` ; `draft=true` produit un projet marqué
    « PROJET — non conforme » même si le dossier n'est pas éligible."""
    kind, _, fmt = filename.rpartition(".")
    if not kind or fmt not in _MEDIA:
        raise NotFound(
            f"document inconnu : « {filename} » (attendu : <type>.pdf ou .docx)",
            f"unknown document {filename!r}",
        )
    content, meta = services.render_document(session, actor, case_id, kind, fmt, draft=draft)
    return Response(
        content,
        media_type=_MEDIA[fmt],
        headers={
            "Content-Disposition": f'attachment; filename="dossier-{case_id}-{kind}.{fmt}"',
            "X-Proa-Sha256": meta.sha256,
        },
    )
