"""Web pages for what was only in the API (issue 13, §1): one's own password; for an
administrator, the accounts of their organisations (create, deactivate, reset); on a case,
its audit trail, deletion, export and the erasure of the employee's personal data.

Like `proa.web.files`, the pages call `proa.service` with the signed-in actor: roles and
tenancy stay there; a refusal becomes a French page with its status."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from proa import presentation, service
from proa.core.catalogue import text
from proa.core.model import field_error
from proa.http import COOKIE, check_same_origin
from proa.service.attachments import MAX_BYTES as ATTACHMENT_BYTES
from proa.service.errors import InvalidInput, ServiceError
from proa.storage.db import Database
from proa.uploads import attachment_response, read_upload
from proa.web.i18n import language, say
from proa.web.routes import SignedIn, error_page, page, refused
from proa.web.store import WebUser

router = APIRouter(include_in_schema=False)
SAME_ORIGIN = [Depends(check_same_origin)]


def _db(request: Request) -> Database:
    db: Database = request.app.state.database
    return db


def _field_errors(request: Request, exc: InvalidInput) -> dict[str, str]:
    """Each refused field's message in the request's language, as the forms show it."""
    english = language(request) == "en"
    return {
        e["field"]: presentation.sentence(e["message_en"] if english else e["message"])
        for e in exc.errors
    }


# --- one's own account -----------------------------------------------------------------------


@router.get("/compte")
def account(request: Request, user: SignedIn, change: str = "") -> Response:
    message = say(request, text("web.password_changed")) if change else ""
    return page(
        request,
        "compte.html",
        user=user,
        role=say(request, presentation.ROLES[user.role]),
        message=message,
    )


@router.post("/compte/mot-de-passe", dependencies=SAME_ORIGIN)
def change_password(
    request: Request,
    user: SignedIn,
    current: Annotated[str, Form()] = "",
    new: Annotated[str, Form()] = "",
    again: Annotated[str, Form()] = "",
) -> Response:
    errors: dict[str, str] = {}
    if new != again:
        errors["again"] = say(request, text("web.passwords_differ"))
    else:
        try:
            service.change_password(
                _db(request), user.raw, current, new, request.cookies.get(COOKIE)
            )
        except InvalidInput as exc:
            errors = _field_errors(request, exc)
    if errors:
        return page(
            request,
            "compte.html",
            status_code=422,
            user=user,
            role=say(request, presentation.ROLES[user.role]),
            errors=errors,
        )
    return RedirectResponse("/compte?change=1", status_code=303)


# --- the administrator's accounts ------------------------------------------------------------


def _accounts_page(request: Request, user: WebUser, status: int = 200, **context: Any) -> Response:
    db, actor = _db(request), user.raw
    try:
        users = service.list_users(db, actor)
    except ServiceError as exc:
        return refused(request, user, exc.status, text("web.administration_reserved"), exc.text)
    organisations = {o.id: o for o in service.list_organisations(db, actor)}
    return page(
        request,
        "administration.html",
        status_code=status,
        user=user,
        users=users,
        organisations=organisations,
        roles=presentation.ROLES,
        **context,
    )


@router.get("/administration")
def administration(request: Request, user: SignedIn) -> Response:
    return _accounts_page(request, user)


@router.post("/administration/comptes", dependencies=SAME_ORIGIN)
def create_account(
    request: Request,
    user: SignedIn,
    email: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "",
    organisation: Annotated[str, Form()] = "",
) -> Response:
    org_id = int(organisation) if organisation.isdigit() else user.raw.organisation_id
    try:
        made, password = service.create_user(_db(request), user.raw, email, role, org_id)
    except InvalidInput as exc:
        return _accounts_page(
            request, user, 422, errors=_field_errors(request, exc), form={"email": email}
        )
    except ServiceError as exc:
        return _accounts_page(
            request,
            user,
            exc.status,
            errors={"compte": presentation.sentence(say(request, exc.text))},
        )
    return _accounts_page(request, user, shown=(made.email, password))


@router.post("/administration/cabinets", dependencies=SAME_ORIGIN)
def create_cabinet(request: Request, user: SignedIn, name: Annotated[str, Form()] = "") -> Response:
    """A payroll firm's administrator adds a client cabinet (linked to the firm)."""
    try:
        service.create_organisation(_db(request), user.raw, name, "cabinet")
    except InvalidInput as exc:
        return _accounts_page(request, user, 422, errors=_field_errors(request, exc))
    except ServiceError as exc:
        return _accounts_page(
            request,
            user,
            exc.status,
            errors={"compte": presentation.sentence(say(request, exc.text))},
        )
    return RedirectResponse("/administration", status_code=303)


@router.post("/administration/comptes/{user_id}/{action}", dependencies=SAME_ORIGIN)
def account_action(request: Request, user: SignedIn, user_id: int, action: str) -> Response:
    db, actor = _db(request), user.raw
    try:
        if action == "desactiver":
            service.set_user_active(db, actor, user_id, False)
        elif action == "reactiver":
            service.set_user_active(db, actor, user_id, True)
        elif action == "mot-de-passe":
            made, password = service.reset_password(db, actor, user_id)
            return _accounts_page(request, user, shown=(made.email, password))
        else:
            return error_page(request, 404, "", text("web.unknown_action"))
    except ServiceError as exc:
        return _accounts_page(
            request,
            user,
            exc.status,
            errors={"compte": presentation.sentence(say(request, exc.text))},
        )
    return RedirectResponse("/administration", status_code=303)


# --- a case: audit trail, deletion, erasure --------------------------------------------------


@router.get("/dossiers/{case_id}/journal")
def case_trail(request: Request, user: SignedIn, case_id: int) -> Response:
    try:
        events = service.audit_trail(_db(request), user.raw, case_id=case_id, limit=1000)
    except ServiceError as exc:
        return refused(request, user, exc.status, text("web.journal_unavailable"), exc.text)
    return page(
        request,
        "journal.html",
        user=user,
        case_id=case_id,
        events=events,
        action=presentation.audit_action,
    )


@router.post("/dossiers/{case_id}/supprimer", dependencies=SAME_ORIGIN)
def delete_case(request: Request, user: SignedIn, case_id: int) -> Response:
    try:
        service.delete_case(_db(request), user.raw, case_id)
    except ServiceError as exc:
        return refused(request, user, exc.status, text("web.case_not_deleted"), exc.text)
    return RedirectResponse("/dossiers", status_code=303)


@router.post("/dossiers/{case_id}/effacer", dependencies=SAME_ORIGIN)
def erase_employee(request: Request, user: SignedIn, case_id: int) -> Response:
    db = _db(request)
    try:
        employee_id = service.get_case(db, user.raw, case_id).employee_id
        service.erase_employee(db, user.raw, employee_id)
    except ServiceError as exc:
        return refused(request, user, exc.status, text("web.data_not_erased"), exc.text)
    return RedirectResponse(f"/dossiers/{case_id}", status_code=303)


# --- a case's attachments ---------------------------------------------------------------------


@router.post("/dossiers/{case_id}/pieces", dependencies=SAME_ORIGIN)
async def attach(
    request: Request,
    user: SignedIn,
    case_id: int,
    file: Annotated[UploadFile | None, File()] = None,
    kind: Annotated[str, Form()] = "autre",
) -> Response:
    try:
        if file is None or not file.filename:
            raise InvalidInput(
                text("service.attachment_empty"),
                [field_error("file", text("service.attachment_empty"))],
            )
        content = await read_upload(file, ATTACHMENT_BYTES)
        await run_in_threadpool(
            service.add_attachment, _db(request), user.raw, case_id, kind, file.filename, content
        )
    except ServiceError as exc:
        return refused(request, user, exc.status, text("web.attachment_not_added"), exc.text)
    return RedirectResponse(f"/dossiers/{case_id}#pieces", status_code=303)


@router.get("/dossiers/{case_id}/pieces/{attachment_id}")
def attachment(request: Request, user: SignedIn, case_id: int, attachment_id: int) -> Response:
    try:
        found = service.get_attachment(_db(request), user.raw, case_id, attachment_id)
    except ServiceError as exc:
        return refused(request, user, exc.status, text("web.attachment_not_found"), exc.text)
    return attachment_response(*found)
