"""Generated documents: the Pro-A avenant and its pedagogical annex, the période de
reconversion written agreement, and the employee's summary of rights, as PDF or DOCX.

    >>> from proa.documents import render
    >>> pdf = render("avenant", case, fmt="pdf")

A document renders only from the engine's evaluation of the case (`proa.evaluate`): it is
refused (`DocumentRefused`, French message, nothing produced) when the case is not
eligible or incomplete, unless `draft=True`, which marks every page « PROJET — non
conforme » and lists what must be corrected.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from proa import presentation
from proa.core.catalogue import Text, text
from proa.core.french import typography
from proa.core.inputs import BY_PATH
from proa.core.model import Case, Result

Format = Literal["pdf", "docx"]
FORMATS: tuple[Format, ...] = ("pdf", "docx")
TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class Kind:
    """One kind of document: its title and, per regime it belongs to, the sources its own
    wording relies on (beyond those of the evaluation)."""

    slug: str
    title: str
    sources: dict[str, tuple[str, ...]]

    @property
    def regimes(self) -> tuple[str, ...]:
        return tuple(self.sources)


_PRO_A_CONTRACT = (
    "ctrav.L6324-6",
    "ctrav.L6324-7",
    "ctrav.L6321-6",
    "ctrav.R6321-4",
    "ctrav.L6324-8",
    "ctrav.L6324-9",
    "ctrav.D6325-7",
    "ctrav.D6325-8",
    "ctrav.D6325-9",
    "ctrav.D6332-89",
    "ctrav.D6325-1",
    "ctrav.D6325-2",
    "ctrav.D6325-5",
    "ctrav.D6325-11",
)
# The période cites the 2026 wording of L6324-x, never the Pro-A one (issue 10).
_RECONVERSION = (
    "ctrav.L6324-3@2026",
    "ctrav.L6324-4@2026",
    "ctrav.L6324-6@2026",
    "ctrav.L6324-7@2026",
    "ctrav.L6324-9@2026",
    "ctrav.L6324-10@2026",
    "ctrav.L6321-6",
    "ctrav.R6321-4",
    "ctrav.L6332-1",
    "ctrav.L6332-14-1",
    "ctrav.L6353-1",
    "ctrav.L1242-3",
    "ctrav.L1237-11",
    "ctrav.L1243-1",
    "ctrav.R6324-1",
    "ctrav.R6324-2",
    "ctrav.R6324-5",
)

KINDS: dict[str, Kind] = {
    k.slug: k
    for k in (
        Kind("avenant", "Avenant au contrat de travail", {"pro-a": _PRO_A_CONTRACT}),
        Kind("pedagogique", "Document pédagogique", {"pro-a": ("ctrav.D6325-11", "ctrav.D6325-7")}),
        Kind(
            "accord-reconversion",
            "Accord écrit — période de reconversion",
            {"periode-de-reconversion": _RECONVERSION},
        ),
        Kind(
            "droits-salarie",
            "Vos droits",
            {
                "pro-a": (
                    "ctrav.L6324-6",
                    "ctrav.L6324-7",
                    "ctrav.L6324-8",
                    "ctrav.L6324-9",
                    "ctrav.L6321-6",
                    "ctrav.R6321-4",
                    "ctrav.D6325-7",
                    "ctrav.D6325-1",
                ),
                "periode-de-reconversion": (
                    "ctrav.L6324-3@2026",
                    "ctrav.L6324-6@2026",
                    "ctrav.L6324-7@2026",
                    "ctrav.L6324-10@2026",
                    "ctrav.L6321-6",
                    "ctrav.R6321-4",
                    "ctrav.R6324-1",
                ),
            },
        ),
    )
}


class DocumentRefused(ValueError):
    """The document cannot be produced from this case; the message says why, in French
    (`str`) and English (`text.en`), with the French reasons. Nothing has been written."""

    def __init__(self, message: Text, reasons: list[str] | None = None) -> None:
        self.reasons = reasons or []
        listed = "".join(f"\n- {r}" for r in self.reasons)
        self.text = Text(message.fr + listed, message.en + listed)
        super().__init__(self.text.fr)


class UnknownKind(DocumentRefused, KeyError):
    """No document of that kind (also a `KeyError`, for callers that look kinds up)."""

    def __str__(self) -> str:
        return ValueError.__str__(self)


@dataclass(frozen=True)
class Document:
    """A rendered document; `problems` is empty unless it is a marked draft."""

    data: bytes
    fmt: str
    problems: tuple[str, ...]


def render(
    kind: str,
    case: Case | dict[str, Any] | str,
    fmt: Format | str = "pdf",
    draft: bool = False,
    *,
    today: dt.date | None = None,
) -> bytes:
    """Render one document of `kind` for `case` as PDF or DOCX bytes.

    Raises `proa.CaseError` on a malformed case and `DocumentRefused` when the case does
    not allow this document (not eligible, incomplete, wrong regime)."""
    return produce(kind, case, fmt, draft, today=today).data


def produce(
    kind: str,
    case: Case | dict[str, Any] | str,
    fmt: Format | str = "pdf",
    draft: bool = False,
    *,
    today: dt.date | None = None,
) -> Document:
    """Like `render`, and also say what a draft must correct."""
    if fmt not in FORMATS:
        raise DocumentRefused(text("document.unknown_format", fmt=fmt))
    html, problems = _prepare(kind, case, draft, today)
    if fmt == "pdf":
        from proa.documents.pdf import to_pdf

        return Document(to_pdf(html), fmt, problems)
    from proa.documents.docx import to_docx

    return Document(to_docx(html), fmt, problems)


def render_html(
    kind: str,
    case: Case | dict[str, Any] | str,
    draft: bool = False,
    *,
    today: dt.date | None = None,
) -> str:
    """The document as HTML (the single source of the PDF and DOCX outputs)."""
    return _prepare(kind, case, draft, today)[0]


def _prepare(
    kind: str, case: Case | dict[str, Any] | str, draft: bool, today: dt.date | None
) -> tuple[str, tuple[str, ...]]:
    from proa import evaluate
    from proa.core.model import parse_case
    from proa.documents import context
    from proa.law import default_pack

    spec = KINDS.get(kind)
    if spec is None:
        raise UnknownKind(text("document.unknown_kind", kind=kind, kinds=", ".join(KINDS)))
    parsed = parse_case(case)
    result = evaluate(parsed)
    regime = _check_fits(spec, parsed, result)
    found = context.problems(result) + [(c, c) for c in context.consistency(parsed)]
    if found and not draft:
        state = (
            text("document.inconsistent")
            if result.decision == "eligible"
            else presentation.DECISIONS[result.decision]
        )
        raise DocumentRefused(
            text("document.not_allowed", title=spec.title, state=state),
            [message for _, message in found],
        )
    facts = context.build(
        kind,
        _title(spec, result, parsed),
        parsed,
        result,
        default_pack(),
        spec.sources[regime],
        today or dt.date.today(),
    )
    facts.draft = bool(found)
    facts.problem_titles = [title for title, _ in found]
    facts.problems = [message for _, message in found]
    html = (
        _environment()
        .get_template(f"{kind}.html")
        .render(
            **context.as_template_vars(facts),
            regime_label=presentation.REGIMES[result.regime].fr,
            decision_label=presentation.DECISIONS[result.decision].fr,
            old_wording=context.OLD_WORDING,
        )
    )
    return _french_text(html), tuple(facts.problems)


def _check_fits(spec: Kind, case: Case, result: Result) -> str:
    """The case's regime, when this kind of document belongs to it."""
    if result.regime is None:
        raise DocumentRefused(text("document.no_regime", title=spec.title))
    if result.regime not in spec.regimes:
        other = ", ".join(k.slug for k in KINDS.values() if result.regime in k.regimes)
        raise DocumentRefused(
            text(
                "document.wrong_regime",
                title=spec.title,
                regime=presentation.REGIMES[result.regime],
                others=other,
            )
        )
    if spec.slug == "accord-reconversion" and not (case.reconversion and case.reconversion.mode):
        raise DocumentRefused(text("document.mode_required", title=spec.title))
    return result.regime


def _title(spec: Kind, result: Result, case: Case) -> str:
    if spec.slug == "accord-reconversion":
        mode = case.reconversion.mode if case.reconversion else None
        return "Accord écrit — période de reconversion " + BY_PATH["reconversion.mode"].said(mode)
    if spec.slug == "droits-salarie":
        return "Vos droits pendant " + (
            "la Pro-A" if result.regime == "pro-a" else "la période de reconversion"
        )
    if spec.slug == "pedagogique":
        return "Document pédagogique annexé à l'avenant"
    return spec.title


@cache
def _environment() -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["capitalize_first"] = lambda s: s[:1].upper() + s[1:]
    return env


_TAG = re.compile(r"(<[^>]*>)")
_SPACES = re.compile(r"[ \t\r\n]+")
_GLUED = re.compile(r"\b(n°|art\.|C\.|av\.) ")  # "n° 81", "C. trav., art. L6324-6" never split


def _french_text(html: str) -> str:
    """Collapse template whitespace and apply French typography (no-break spaces,
    typographic apostrophe) to text, never to tags."""
    parts = _TAG.split(html)
    return "".join(
        p
        if p.startswith("<")
        else typography(
            _GLUED.sub("\\1\u00a0", _SPACES.sub(" ", p)).replace("'", "’").replace("&#39;", "’")
        )
        for p in parts
    )


__all__ = [
    "FORMATS",
    "KINDS",
    "Document",
    "DocumentRefused",
    "Format",
    "Kind",
    "UnknownKind",
    "produce",
    "render",
    "render_html",
]
