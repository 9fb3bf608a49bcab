"""/api/v1/cases: case files (versioned), status, evaluation, questions, documents, export,
audit trail. Every route calls one service function, which enforces tenancy."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Path, Query, Response, UploadFile
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from proa import service
from proa.core.catalogue import text
from proa.core.model import Decision
from proa.http import ActorDep, DatabaseDep
from proa.service import inputs
from proa.service.attachments import MAX_BYTES as ATTACHMENT_BYTES
from proa.service.errors import NotFound
from proa.storage.models import CaseStatus
from proa.uploads import attachment_response, read_upload

router = APIRouter(prefix="/cases", tags=["Dossiers"])

CaseId = Annotated[int, Path(ge=1, le=inputs.MAX_ID, description="Numéro du dossier")]
At = Annotated[inputs.LawDate | None, Query()]


class CaseCreate(inputs.Input):
    payload: dict[str, Any] = Field(description="Le dossier (docs/contract.md)")
    organisation_id: inputs.Id | None = Field(None, description="Cabinet (défaut : le vôtre)")
    employee_id: inputs.Id | None = Field(None, description="Salarié existant (défaut : nouveau)")
    employee_reference: inputs.Reference | None = Field(
        None, description="Référence interne du nouveau salarié"
    )


class CaseUpdate(inputs.Input):
    payload: dict[str, Any]
    expected_version: inputs.Id | None = Field(
        None, description="Refus (409) si le dossier a changé"
    )


class StatusChange(BaseModel):
    status: CaseStatus = Field(description="draft, ready, sent, accepted, refused, finished")
    reason: str | None = Field(
        None,
        max_length=2000,
        description="Motif (obligatoire pour un refus de l'OPCO, art. R6324-3)",
    )


@router.get(
    "",
    summary="Lister les dossiers (filtres : statut, dispositif, décision, cabinet, nom du "
    "salarié ; tri ; nombre total dans l'en-tête X-Total-Count)",
)
def list_cases(
    actor: ActorDep,
    db: DatabaseDep,
    response: Response,
    status: Annotated[list[CaseStatus] | None, Query()] = None,
    regime: inputs.Regime | None = None,
    decision: Decision | None = None,
    organisation_id: Annotated[int | None, Query(ge=1, le=inputs.MAX_ID)] = None,
    employee_id: Annotated[int | None, Query(ge=1, le=inputs.MAX_ID)] = None,
    employee_name: Annotated[
        str | None,
        Query(
            max_length=100,
            description="Mots cherchés dans le nom du salarié (sans casse ni accents)",
        ),
    ] = None,
    sort: Annotated[
        inputs.CaseSort,
        Query(description="Clé de tri, décroissante précédée de « - »"),
    ] = "-updated_at",
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=inputs.MAX_OFFSET)] = 0,
) -> list[service.CaseView]:
    filters: dict[str, Any] = {
        "status": status or [],
        "regime": regime,
        "decision": decision,
        "organisation_id": organisation_id,
        "employee_id": employee_id,
        "employee_name": employee_name or None,
        "sort": sort,
    }
    cases = service.list_cases(db, actor, **filters, limit=limit, offset=offset)
    response.headers["X-Total-Count"] = str(service.count_cases(db, actor, **filters))
    return cases


@router.post("", status_code=201, summary="Créer un dossier (version 1, brouillon)")
def create_case(body: CaseCreate, actor: ActorDep, db: DatabaseDep) -> service.CaseView:
    return service.create_case(
        db,
        actor,
        body.payload,
        organisation_id=body.organisation_id,
        employee_id=body.employee_id,
        employee_reference=body.employee_reference,
    )


@router.get("/{case_id}", summary="Lire un dossier (version courante)")
def get_case(case_id: CaseId, actor: ActorDep, db: DatabaseDep) -> service.CaseView:
    return service.get_case(db, actor, case_id)


@router.put("/{case_id}", summary="Modifier un dossier (nouvelle version)")
def update_case(
    case_id: CaseId, body: CaseUpdate, actor: ActorDep, db: DatabaseDep
) -> service.CaseView:
    return service.update_case(
        db, actor, case_id, body.payload, expected_version=body.expected_version
    )


@router.delete("/{case_id}", status_code=204, summary="Supprimer un dossier non envoyé")
def delete_case(case_id: CaseId, actor: ActorDep, db: DatabaseDep) -> Response:
    service.delete_case(db, actor, case_id)
    return Response(status_code=204)


@router.post("/{case_id}/status", summary="Changer le statut du dossier")
def set_status(
    case_id: CaseId, body: StatusChange, actor: ActorDep, db: DatabaseDep
) -> service.CaseView:
    return service.set_status(db, actor, case_id, body.status, body.reason)


@router.get("/{case_id}/versions", summary="Les versions du dossier")
def versions(case_id: CaseId, actor: ActorDep, db: DatabaseDep) -> list[service.VersionView]:
    return service.list_versions(db, actor, case_id)


@router.post(
    "/{case_id}/evaluate",
    status_code=201,
    summary="Évaluer la version courante et enregistrer le résultat",
)
def evaluate_stored(
    case_id: CaseId, actor: ActorDep, db: DatabaseDep, at: At = None
) -> service.EvaluationView:
    return service.evaluate_case(db, actor, case_id, at=at)


@router.get("/{case_id}/evaluation", summary="Évaluer la version courante (sans enregistrer)")
def evaluation(
    case_id: CaseId, actor: ActorDep, db: DatabaseDep, at: At = None
) -> service.EvaluationView:
    return service.evaluate_case(db, actor, case_id, at=at, store=False)


@router.get("/{case_id}/evaluations", summary="Les évaluations enregistrées")
def evaluations(case_id: CaseId, actor: ActorDep, db: DatabaseDep) -> list[service.EvaluationView]:
    return service.list_evaluations(db, actor, case_id)


@router.get("/{case_id}/questions", summary="Les questions encore sans réponse, dans l'ordre")
def questions(case_id: CaseId, actor: ActorDep, db: DatabaseDep) -> list[service.Question]:
    return service.case_questions(db, actor, case_id)


@router.get("/{case_id}/export", summary="Exporter le dossier complet (JSON)")
def export(case_id: CaseId, actor: ActorDep, db: DatabaseDep) -> dict[str, Any]:
    return service.export_case(db, actor, case_id)


@router.get("/{case_id}/audit", summary="Le journal d'audit du dossier")
def audit(case_id: CaseId, actor: ActorDep, db: DatabaseDep) -> list[service.AuditEntry]:
    return service.audit_trail(db, actor, case_id=case_id)


@router.get("/{case_id}/documents", summary="Les documents émis (métadonnées)")
def documents(case_id: CaseId, actor: ActorDep, db: DatabaseDep) -> list[service.DocumentView]:
    return service.list_documents(db, actor, case_id)


_MEDIA = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
_DOCUMENT: dict[int | str, dict[str, Any]] = {200: {"content": {m: {} for m in _MEDIA.values()}}}


def _split(filename: str) -> tuple[str, str]:
    kind, _, fmt = filename.rpartition(".")
    if not kind or fmt not in _MEDIA:
        raise NotFound(text("service.unknown_document_file", filename=filename))
    return kind, fmt


def _download(case_id: int, content: bytes, meta: service.DocumentView, status: int) -> Response:
    return Response(
        content,
        status_code=status,
        media_type=_MEDIA[meta.format],
        headers={
            "Content-Disposition": (
                f'attachment; filename="dossier-{case_id}-{meta.kind}.{meta.format}"'
            ),
            "X-Proa-Sha256": meta.sha256,
        },
    )


@router.get(
    "/{case_id}/documents/{filename}",
    summary="Consulter un document (rien n'est enregistré)",
    response_class=Response,
    responses=_DOCUMENT,
)
def document(
    case_id: CaseId, filename: str, actor: ActorDep, db: DatabaseDep, draft: bool = False
) -> Response:
    """`filename` est `<type>.pdf` ou `<type>.docx` ; `draft=true` produit un projet marqué
    « PROJET — non conforme » même si le dossier n'est pas éligible."""
    kind, fmt = _split(filename)
    content, meta = service.render_document(db, actor, case_id, kind, fmt, draft=draft)
    return _download(case_id, content, meta, 200)


@router.post(
    "/{case_id}/documents/{filename}",
    status_code=201,
    summary="Émettre un document : le produire et enregistrer son empreinte",
    response_class=Response,
    responses={201: _DOCUMENT[200]},
)
def issue_document(case_id: CaseId, filename: str, actor: ActorDep, db: DatabaseDep) -> Response:
    """Réservé aux rôles qui modifient les dossiers ; refusé (409) si le dossier ne permet
    pas ce document."""
    kind, fmt = _split(filename)
    content, meta = service.render_document(db, actor, case_id, kind, fmt, issue=True)
    return _download(case_id, content, meta, 201)


AttachmentId = Annotated[int, Path(ge=1, le=inputs.MAX_ID, description="Numéro de la pièce")]


@router.get("/{case_id}/attachments", summary="Les pièces jointes du dossier")
def attachments(case_id: CaseId, actor: ActorDep, db: DatabaseDep) -> list[service.AttachmentView]:
    return service.list_attachments(db, actor, case_id)


@router.post(
    "/{case_id}/attachments", status_code=201, summary="Joindre une pièce (PDF, PNG ou JPEG)"
)
async def attach(
    case_id: CaseId,
    actor: ActorDep,
    db: DatabaseDep,
    file: Annotated[UploadFile, File(description="PDF, PNG ou JPEG, 10 Mio au plus")],
    kind: Annotated[str, Form(description="avenant-signe, decision-opco ou autre")] = "autre",
) -> service.AttachmentView:
    """Le type est lu dans le contenu du fichier ; l'ajout figure au journal d'audit
    (empreinte SHA-256, jamais le contenu)."""
    content = await read_upload(file, ATTACHMENT_BYTES)
    return await run_in_threadpool(
        service.add_attachment, db, actor, case_id, kind, file.filename or "", content
    )


@router.get(
    "/{case_id}/attachments/{attachment_id}",
    summary="Télécharger une pièce jointe",
    response_class=Response,
)
def attachment(
    case_id: CaseId, attachment_id: AttachmentId, actor: ActorDep, db: DatabaseDep
) -> Response:
    return attachment_response(*service.get_attachment(db, actor, case_id, attachment_id))
