"""Files of cases through the service: a batch run or a simulation on an uploaded file.

Nothing is stored: the file is evaluated in a private temporary folder, the result goes
back to the person who sent it, and the folder is deleted. So an OPCO or a branch sees the
totals of its own file only. A branch works on aggregates: it may simulate, not receive
row-level results; an employee may do neither.
"""

from __future__ import annotations

import io
import shutil
import tempfile
import zipfile
from pathlib import Path

from proa.batch.read import FORMATS, FileError
from proa.core.catalogue import Text, text
from proa.service.errors import Forbidden, InvalidInput, ServiceError
from proa.service.views import Actor

ROW_LEVEL = frozenset({"admin", "employer", "payroll", "opco"})
SIMULATE = ROW_LEVEL | {"branch"}
MAX_BYTES = 50 * 2**20  # an upload: about 500,000 rows of CSV


class TooLarge(ServiceError):
    status = 413
    title_key = "http.too_large"


def check_size(received: int, limit: int = MAX_BYTES) -> None:
    if received > limit:
        raise TooLarge(text("simulate.too_large", limit=limit // 2**20))


def _invalid(message: Text) -> InvalidInput:
    return InvalidInput(
        message, [{"field": "file", "message": message.fr, "message_en": message.en}]
    )


def _suffix(filename: str) -> str:
    suffix = Path(filename or "").suffix.lower()
    if suffix not in FORMATS:
        raise _invalid(text("batch.unknown_format", name=filename or "?"))
    return suffix


def evaluate_file(actor: Actor, filename: str, data: bytes, output: str | None = None) -> bytes:
    """A ZIP with the results (`resultats.<format>`) and the errors file (`erreurs.csv`)."""
    from proa.batch.run import run_batch

    if actor.role not in ROW_LEVEL:
        raise Forbidden(text("simulate.row_level_refused"))
    suffix = _suffix(filename)
    out_suffix = "." + output if output else suffix
    if out_suffix not in FORMATS:
        raise _invalid(text("batch.unknown_format", name=out_suffix))
    folder = Path(tempfile.mkdtemp(prefix="proa-upload-"))
    try:
        source = folder / ("fichier" + suffix)
        source.write_bytes(data)
        result = folder / ("resultats" + out_suffix)
        errors = folder / "erreurs.csv"
        try:
            run_batch(source, result, errors)
        except FileError as exc:
            raise _invalid(exc.message) from None
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(result, result.name)
            archive.write(errors, errors.name)
        return buffer.getvalue()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def simulate_file(
    actor: Actor, filename: str, data: bytes, scenario: bytes, output: str = "html"
) -> bytes:
    """The simulation report (HTML with its charts) or its table (CSV)."""
    from proa.batch.report import write_csv, write_html
    from proa.batch.simulate import load_scenario, simulate

    if actor.role not in SIMULATE:
        raise Forbidden(text("simulate.simulation_refused"))
    suffix = _suffix(filename)
    folder = Path(tempfile.mkdtemp(prefix="proa-upload-"))
    try:
        source = folder / ("effectif" + suffix)
        source.write_bytes(data)
        scenario_path = folder / "scenario.yaml"
        scenario_path.write_bytes(scenario)
        try:
            sim = simulate(source, load_scenario(scenario_path))
        except FileError as exc:
            raise _invalid(exc.message) from None
        target = folder / ("rapport.csv" if output == "csv" else "rapport.html")
        (write_csv if output == "csv" else write_html)(sim, target)
        return target.read_bytes()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
