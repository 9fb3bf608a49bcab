"""Files of cases: a batch run or a branch simulation on an uploaded file (docs/batch.md).
Nothing is stored; the answer goes to the sender only."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, File, Query, Response, UploadFile
from starlette.concurrency import run_in_threadpool

from proa.http import ActorDep
from proa.service import batch as files
from proa.uploads import read_upload

router = APIRouter(prefix="/batch", tags=["Fichiers de dossiers"])
Output = Literal["parquet", "csv", "xlsx"]


@router.post(
    "",
    summary="Évaluer un fichier de dossiers (Parquet, CSV ou XLSX)",
    response_class=Response,
    responses={200: {"content": {"application/zip": {}}}},
)
async def evaluate_file(
    actor: ActorDep,
    file: Annotated[UploadFile, File(description="Une ligne par dossier (docs/batch.md)")],
    output: Annotated[Output | None, Query(description="Format des résultats")] = None,
) -> Response:
    """Un ZIP : `resultats.<format>` (une ligne par dossier valide) et `erreurs.csv` (ligne,
    champ en français, message). Taille maximale : 50 Mio."""
    data = await read_upload(file, files.MAX_BYTES)
    archive = await run_in_threadpool(files.evaluate_file, actor, file.filename or "", data, output)
    return Response(
        archive,
        media_type="application/zip",
        headers={"Content-Disposition": 'attachment; filename="resultats.zip"'},
    )


@router.post(
    "/simulation",
    summary="Simuler un scénario de paramètres sur un effectif",
    response_class=Response,
    responses={200: {"content": {"text/html": {}, "text/csv": {}}}},
)
async def simulate_file(
    actor: ActorDep,
    file: Annotated[UploadFile, File(description="L'effectif (Parquet, CSV ou XLSX)")],
    scenario: Annotated[UploadFile, File(description="Le scénario (YAML)")],
    output: Annotated[Literal["html", "csv"], Query(description="Rapport ou tableau")] = "html",
) -> Response:
    """Le rapport HTML (graphiques inclus, rien à télécharger ailleurs) ou son tableau CSV."""
    data = await read_upload(file, files.MAX_BYTES)
    plan = await read_upload(scenario, 1 << 20)
    report = await run_in_threadpool(
        files.simulate_file, actor, file.filename or "", data, plan, output
    )
    media = "text/csv; charset=utf-8" if output == "csv" else "text/html; charset=utf-8"
    return Response(report, media_type=media)
