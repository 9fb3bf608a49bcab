"""Defects of an agreement's text, found by reading it, with the articles concerned.

Each detector is general (any agreement can have them): a certification level that the
annexes state differently, a paragraph repeated in two articles, entry-into-force clauses
that disagree, a certification without an RNCP code, and a header status (« Non étendu »)
contradicted by the official record. `pack_defect` names the matching entry of the rule
pack's `defects.yaml`, when the pack already knows the defect.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from pydantic import BaseModel, ConfigDict

from proa.core import french
from proa.ingest.document import Agreement
from proa.ingest.extract import entry_clauses
from proa.ingest.normalise import key, similarity

ENTRY_LABELS = {
    "signature": "dès sa signature",
    "deposit": "après les formalités de dépôt",
    "extension": "à l'extension",
}


class TextDefect(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: str
    articles: list[str]
    message: str
    evidence: list[str]
    pack_defect: str | None = None


def detect(
    doc: Agreement,
    official: dict[str, Any] | None = None,
    known: dict[str, tuple[str, ...]] | None = None,
) -> list[TextDefect]:
    """`official`: the pinned record of the agreement (extension); `known`: pack defects
    by id → the article labels they concern (« 6 », « Annexe 1 »)."""
    found = [*_levels(doc), *_duplicates(doc), *_entry(doc), *_codes(doc), *_status(doc, official)]
    for d in found:
        d.pack_defect = next(
            (k for k, arts in (known or {}).items() if set(arts) == set(d.articles)), None
        )
    return found


def _levels(doc: Agreement) -> list[TextDefect]:
    out = []
    for annex in doc.annexes:
        for row in annex.table:
            for other in doc.annexes:
                if other is annex:
                    continue
                for m in re.finditer(
                    r"(?:certificat de qualification professionnelle|"
                    + re.escape(row.type)
                    + r")[^.]{0,40}?niveau (\d)",
                    other.text,
                    re.I,
                ):
                    if int(m.group(1)) != row.level:
                        out.append(
                            TextDefect(
                                kind="level-mismatch",
                                articles=[f"Annexe {annex.number}", f"Annexe {other.number}"],
                                message=f"Le {row.type} « {row.title} » est de niveau {row.level} "
                                f"dans l'annexe {annex.number} et de niveau {m.group(1)} "
                                f"dans l'annexe {other.number}.",
                                evidence=[f"{row.level} {row.type} {row.title}", m.group(0)],
                            )
                        )
    return out


def _duplicates(doc: Agreement) -> list[TextDefect]:
    """Paragraphs of 80 characters or more that two articles share (similarity ≥ 0.95)."""
    paras = [(a.number, p) for a in doc.articles for p in a.text.split("\n") if len(p) >= 80]
    pairs: dict[tuple[str, str], list[str]] = {}
    for i, (na, pa) in enumerate(paras):
        for nb, pb in paras[i + 1 :]:
            if na != nb and similarity(pa, pb) >= 0.95:
                pairs.setdefault((na, nb), []).append(pa)
    out = []
    for (na, nb), same in pairs.items():
        heading = _heading_before(doc.article(na).text, same[0])
        out.append(
            TextDefect(
                kind="duplicated-paragraph",
                articles=[na, nb],
                message=f"{len(same)} paragraphe(s) identique(s) dans les articles {na} et {nb}"
                + (f" (« {heading} »)" if heading else "")
                + ".",
                evidence=[p[:120] for p in same],
            )
        )
    return out


def _heading_before(text: str, paragraph: str) -> str:
    lines = text.split("\n")
    i = lines.index(paragraph) if paragraph in lines else 0
    prev = lines[i - 1] if i else ""
    return prev if prev and not re.search(r"[.;:]$", prev) else ""


def _entry(doc: Agreement) -> list[TextDefect]:
    clauses = entry_clauses(doc)
    kinds = {f.value for f in clauses}
    if len(kinds) < 2:
        return []
    return [
        TextDefect(
            kind="entry-into-force",
            articles=[f.article for f in clauses],
            message="Entrée en vigueur contradictoire : "
            + " ; ".join(f"art. {f.article} {ENTRY_LABELS[f.value]}" for f in clauses)
            + ".",
            evidence=[f.excerpt for f in clauses],
        )
    ]


def _codes(doc: Agreement) -> list[TextDefect]:
    out = []
    for annex in doc.annexes:
        for row in annex.table:
            if row.code is None:
                out.append(
                    TextDefect(
                        kind="missing-rncp-code",
                        articles=[f"Annexe {annex.number}"],
                        message=f"Le {row.type} « {row.title} » n'a pas de code RNCP "
                        f"(« {row.code_raw} »).",
                        evidence=[f"{row.level} {row.type} {row.title} {row.code_raw}"],
                    )
                )
    return out


def _status(doc: Agreement, official: dict[str, Any] | None) -> list[TextDefect]:
    ext = (official or {}).get("extension")
    if doc.status != "non étendu" or not ext or not _same_text(doc, official or {}):
        return []
    return [
        TextDefect(
            kind="stale-status",
            articles=["En-tête"],
            message=f"L'en-tête indique « Non étendu », mais l'avenant a été étendu par "
            f"l'{ext['arrete'][0].lower()}{ext['arrete'][1:]} (JORF du "
            f"{french.date(dt.date.fromisoformat(ext['date_publication']))}, {ext['jorf']}) : "
            "copie antérieure à l'extension.",
            evidence=["Non étendu"],
        )
    ]


def _same_text(doc: Agreement, official: dict[str, Any]) -> bool:
    return (
        official.get("idcc") == doc.idcc
        and f"avenant n {doc.number} " in key(official.get("title", "")) + " "
    )
