"""Web pages for files of cases: upload a file, get the results or a simulation report.

The same service as the REST API (`proa.service.batch`): nothing stored, French errors."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, Response, UploadFile
from starlette.concurrency import run_in_threadpool

from proa.http import check_same_origin
from proa.service import batch as files
from proa.service.errors import ServiceError
from proa.uploads import read_upload
from proa.web.i18n import say
from proa.web.routes import SignedIn, page
from proa.web.store import WebUser

router = APIRouter(include_in_schema=False)


def _form(request: Request, user: WebUser, error: str = "", status: int = 200) -> Response:
    role = user.raw.role if user.raw is not None else ""
    return page(
        request,
        "fichiers.html",
        status_code=status,
        user=user,
        row_level=role in files.ROW_LEVEL,
        simulate=role in files.SIMULATE,
        limit=files.MAX_BYTES // 2**20,
        error=error,
    )


@router.get("/fichiers")
def files_page(request: Request, user: SignedIn) -> Response:
    return _form(request, user)


@router.post("/fichiers/evaluer", dependencies=[Depends(check_same_origin)])
async def evaluate_upload(
    request: Request,
    user: SignedIn,
    file: Annotated[UploadFile, File()],
    output: Annotated[str, Form()] = "xlsx",
) -> Response:
    try:
        data = await read_upload(file, files.MAX_BYTES)
        archive = await run_in_threadpool(
            files.evaluate_file, user.raw, file.filename or "", data, output or None
        )
    except ServiceError as exc:
        return _form(request, user, say(request, exc.text), exc.status)
    return Response(
        archive,
        media_type="application/zip",
        headers={"Content-Disposition": 'attachment; filename="resultats.zip"'},
    )


@router.post("/fichiers/simuler", dependencies=[Depends(check_same_origin)])
async def simulate_upload(
    request: Request,
    user: SignedIn,
    file: Annotated[UploadFile, File()],
    scenario: Annotated[UploadFile, File()],
) -> Response:
    try:
        data = await read_upload(file, files.MAX_BYTES)
        plan = await read_upload(scenario, 1 << 20)
        report = await run_in_threadpool(
            files.simulate_file, user.raw, file.filename or "", data, plan
        )
    except ServiceError as exc:
        return _form(request, user, say(request, exc.text), exc.status)
    return Response(report, media_type="text/html; charset=utf-8")
