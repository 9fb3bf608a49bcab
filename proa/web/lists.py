"""The list of cases (issue 13, §2): a GET form without script — search in employees'
names, filters on the stored verdict, order, page size, pages « Page 2 sur 18 » with exact
counts — and the same list exported as CSV or XLSX. The database filters, counts, sorts
and pages (`proa.service.lists`); this module reads the address and writes the files."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import xlsxwriter
from fastapi import APIRouter, Request
from fastapi.responses import Response

from proa import presentation, service
from proa.core.catalogue import Text, text
from proa.core.inputs import PRINTABLE
from proa.service.inputs import MAX_OFFSET, CaseFilter, CaseQuery, check
from proa.service.lists import PARIS, today
from proa.service.views import CaseSummary
from proa.web.i18n import side
from proa.web.routes import SignedIn, StoreDep, error_page, page
from proa.web.store import StoreError, WebUser

router = APIRouter(include_in_schema=False)

SIZES = ("25", "50", "100")
DEFAULT_SIZE = "50"
MAX_PAGE = MAX_OFFSET // int(SIZES[-1])
# The orders offered, by their value in the address (`proa.service.inputs.CaseSort`).
SORTS: dict[str, Text] = {
    "-updated_at": Text("Modifiés le plus récemment", "Most recently changed"),
    "updated_at": Text("Modifiés le moins récemment", "Least recently changed"),
    "-created_at": Text("Créés le plus récemment", "Most recently created"),
    "created_at": Text("Créés le moins récemment", "Least recently created"),
    "next_deadline": Text("Prochaine échéance la plus proche", "Nearest next deadline"),
    "status": Text("Statut, du brouillon au dossier terminé", "Status, from draft to finished"),
    "employee_name": Text("Salarié, de A à Z", "Employee, A to Z"),
}
LABELS: dict[str, Text] = {
    "nom": Text("Salarié", "Employee"),
    "statut": Text("Statut", "Status"),
    "dispositif": Text("Dispositif", "Scheme"),
    "decision": Text("Décision", "Decision"),
    "tri": Text("Trier par", "Sort by"),
    "taille": Text("Dossiers par page", "Cases per page"),
    "page": Text("Page", "Page"),
}
_FILTERS = ("nom", "statut", "dispositif", "decision", "tri")


@dataclass
class ListForm:
    """The list's address, read: the values as typed, the query, and the refusals."""

    values: dict[str, str]
    # Each refusal in both languages: the page shows the request's.
    errors: dict[str, Text] = field(default_factory=dict)
    page: int = 1
    size: int = int(DEFAULT_SIZE)

    @property
    def filtered(self) -> bool:
        return any(self.values[k] for k in ("nom", "statut", "dispositif", "decision"))

    def query(self) -> dict[str, Any]:
        v = self.values
        return {
            "status": [v["statut"]] if v["statut"] else [],
            "regime": v["dispositif"] or None,
            "decision": v["decision"] or None,
            "employee_name": v["nom"] or None,
            "sort": v["tri"],
        }

    def address(self, **changes: str | int) -> str:
        """The query string of this list with `changes` (defaults left out)."""
        values: dict[str, str | int] = {**self.values, "taille": str(self.size), **changes}
        kept = {
            k: v
            for k, v in values.items()
            if v not in ("", None)
            and not (k == "tri" and v == "-updated_at")
            and not (k == "taille" and v == DEFAULT_SIZE)
            and not (k == "page" and v == 1)
        }
        return urlencode(kept)

    def export_address(self) -> str:
        return urlencode({k: self.values[k] for k in _FILTERS if self.values[k]})


def _choice(form: ListForm, name: str, allowed: Mapping[str, Text | str]) -> None:
    value = form.values[name]
    if value and value not in allowed:
        listed = Text(
            ", ".join(f"« {presentation.capital(side(v, 'fr'))} »" for v in allowed.values()),
            ", ".join(f'"{presentation.capital(side(v, "en"))}"' for v in allowed.values()),
        )
        form.errors[name] = text("web.unknown_choice", value=value, allowed=listed)


def _whole(form: ListForm, name: str, most: int) -> int:
    value = form.values[name]
    if not value:
        return 1
    if re.fullmatch(r"[0-9]{1,7}", value) and 1 <= int(value) <= most:
        return int(value)
    form.errors[name] = text(
        "web.whole_number", most=presentation.both(presentation.number, most), value=value[:20]
    )
    return 1


def read_form(params: Mapping[str, str]) -> ListForm:
    """The list's address as typed, each refused value named in French."""
    names = (*_FILTERS, "taille", "page")
    form = ListForm({k: params.get(k, "").strip() for k in names})
    form.values["tri"] = form.values["tri"] or "-updated_at"
    form.values["taille"] = form.values["taille"] or DEFAULT_SIZE
    name = form.values["nom"]
    if len(name) > 100 or not re.fullmatch(PRINTABLE, name):
        form.errors["nom"] = text("web.search_text")
    _choice(form, "statut", presentation.CASE_STATUS)
    _choice(form, "dispositif", {k: v for k, v in presentation.REGIMES.items() if k})
    _choice(form, "decision", presentation.DECISIONS)
    _choice(form, "tri", SORTS)
    _choice(form, "taille", {s: s for s in SIZES})
    if "taille" not in form.errors:
        form.size = int(form.values["taille"])
    form.page = _whole(form, "page", MAX_PAGE)
    return form


def _list_page(
    request: Request, user: WebUser, form: ListForm, status: int = 200, **context: Any
) -> Response:
    return page(
        request,
        "dossiers.html",
        status_code=status,
        user=user,
        form=form,
        sorts=SORTS,
        sizes=SIZES,
        labels=LABELS,
        several_organisations=user.raw is not None and user.raw.organisation_kind != "cabinet",
        **context,
    )


@router.get("/dossiers")
def case_list(request: Request, user: SignedIn, store: StoreDep) -> Response:
    if user.role == "branch":
        # The branch reads no case: the counts of the cabinets it follows, nothing personal.
        counts = service.statistics(request.app.state.database, user.raw)
        return page(request, "statistiques.html", user=user, stats=counts)
    form = read_form(request.query_params)
    if form.errors:
        return _list_page(request, user, form, 422, cases=None)
    query = check(CaseFilter, **form.query(), limit=form.size, offset=(form.page - 1) * form.size)
    found = store.cases(user, query)
    pages = max(1, -(-found.total // form.size))
    if form.page > pages:
        form.errors["page"] = text("web.page_past_end", page=form.page, pages=pages)
        return _list_page(request, user, form, 404, cases=None, pages=pages, total=found.total)
    return _list_page(
        request,
        user,
        form,
        cases=found.items,
        total=found.total,
        pages=pages,
        first=(form.page - 1) * form.size + 1,
        today=today(),
    )


# --- export ----------------------------------------------------------------------------------

COLUMNS = (
    "Dossier n°",
    "Salarié",
    "Cabinet",
    "Statut",
    "Décision",
    "Dispositif",
    "Prochaine échéance",
    "Objet de l'échéance",
    "Créé le",
    "Mis à jour le",
)


def _cells(c: CaseSummary) -> list[Any]:
    """One exported row: labels in French, dates as dates (France's day for moments)."""
    return [
        c.id,
        c.employee_name or "",
        c.organisation,
        presentation.capital(presentation.CASE_STATUS[c.status].fr),
        presentation.capital(presentation.DECISIONS[c.decision].fr) if c.decision else "",
        presentation.capital(presentation.REGIMES[c.regime].fr),
        c.next_deadline,
        c.next_deadline_what or "",
        c.created_at.astimezone(PARIS).date(),
        c.updated_at.astimezone(PARIS).date(),
    ]


def _inert(value: Any) -> Any:
    """A cell a spreadsheet never reads as a formula (OWASP: CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def write_csv(rows: list[CaseSummary]) -> bytes:
    """UTF-8 with a BOM and semicolons (what a French spreadsheet opens as is), dates
    AAAA-MM-JJ."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(COLUMNS)
    for c in rows:
        writer.writerow([v.isoformat() if isinstance(v, dt.date) else _inert(v) for v in _cells(c)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def write_xlsx(rows: list[CaseSummary]) -> bytes:
    """One sheet, dates as dates (jj/mm/aaaa), text never read as a formula."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(
        out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    sheet = book.add_worksheet("Dossiers")
    bold = book.add_format({"bold": True})
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write_row(0, 0, COLUMNS, bold)
    for r, c in enumerate(rows, start=1):
        for col, value in enumerate(_cells(c)):
            if value is None or value == "":
                continue
            if isinstance(value, int):
                sheet.write_number(r, col, value)
            elif isinstance(value, str):
                sheet.write_string(r, col, value)
            else:
                sheet.write_datetime(r, col, value, day)
    widths = (10, 28, 28, 18, 14, 24, 18, 50, 12, 14)
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, len(rows), len(COLUMNS) - 1)
    book.close()
    return out.getvalue()


_FORMATS = {
    "csv": ("text/csv; charset=utf-8", write_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", write_xlsx),
}


@router.get("/dossiers.{fmt}")
def export(request: Request, user: SignedIn, store: StoreDep, fmt: str) -> Response:
    """Every case of the filtered list (pages aside), in the list's order."""
    if fmt not in _FORMATS:
        return error_page(request, 404, "", text("http.no_page"))
    if user.role == "branch":
        return error_page(request, 403, text("http.forbidden"), text("web.branch_reads_no_case"))
    form = read_form(request.query_params)
    if form.errors:
        detail = Text(
            " ; ".join(f"« {LABELS[k].fr} » : {v.fr}" for k, v in form.errors.items()),
            "; ".join(f'"{LABELS[k].en}": {v.en}' for k, v in form.errors.items()),
        )
        return error_page(request, 422, text("http.invalid_input"), detail)
    try:
        rows = store.export_cases(user, check(CaseQuery, **form.query()))
    except StoreError as exc:
        return error_page(request, exc.status, text("http.invalid_input"), exc.text)
    media, write = _FORMATS[fmt]
    name = f"dossiers-{today().isoformat()}.{fmt}"
    return Response(
        write(rows),
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
