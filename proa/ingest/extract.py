"""The figures a rule pack needs, found in an ingested agreement, each with its span.

Recipes are the wording of the Pro-A template that branch agreements copy from the Code
du travail (« d'une durée comprise entre 6 et 12 mois », « sans être inférieure à 150
heures »…). A recipe names the rule-pack parameter the figure feeds, or says why no
parameter takes it. Spans are character offsets in the article's ingested `text`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from proa.ingest.document import Agreement, Annex, Article

Kind = Literal[
    "duration_months",
    "percent",
    "hours",
    "age",
    "years",
    "headcount",
    "days",
    "contracts",
    "publics",
    "categories",
    "returning_from",
    "certifications",
    "entry_into_force",
    "signature_date",
    "idcc",
]


class Figure(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Kind
    value: Any
    parameter: str | None
    article: str
    start: int
    end: int
    excerpt: str
    note: str = ""


@dataclass(frozen=True)
class Recipe:
    pattern: str
    kind: Kind
    parameters: tuple[str | None, ...]
    note: str = ""


_A = r"(?:à|a)"
RECIPES = (
    Recipe(
        r"durée comprise entre (\d+) et (\d+) mois",
        "duration_months",
        ("pro_a.duration.min_months", "pro_a.duration.max_months"),
    ),
    Recipe(
        rf"portée jusqu'{_A} (\d+) mois, lorsque la nature des qualifications",
        "duration_months",
        ("pro_a.duration.max_months_qualification",),
    ),
    Recipe(
        rf"aller jusqu'{_A} (\d+) mois pour les publics prioritaires",
        "duration_months",
        ("pro_a.duration.max_months_priority",),
    ),
    Recipe(
        r"comprise entre (\d+) et (\d+) ?%",
        "percent",
        ("pro_a.training.min_share", "pro_a.training.max_share"),
    ),
    Recipe(rf"inférieure {_A} (\d+) heures", "hours", ("pro_a.training.min_hours",)),
    Recipe(r"maximum de (\d+) ?%", "percent", ("pro_a.training.max_share_priority",)),
    Recipe(r"âgés de moins de (\d+) ans", "age", ("pro_a.share.age_under",)),
    Recipe(r"âgés de (\d+) ans et plus", "age", ("pro_a.share.age_from",)),
    Recipe(r"au moins (\d+) ans d'activité", "years", ("pro_a.share.activity_years",)),
    Recipe(
        r"entreprises de moins de (\d+) salariés", "headcount", ("funding.small_firm_headcount",)
    ),
    Recipe(
        r"délai de (\d+) jours suivant la notification",
        "days",
        (None,),
        "Délai entre la notification aux organisations et le dépôt de l'accord : "
        "procédure des signataires, sans effet sur un dossier.",
    ),
)

# List items → the case input they are read from (docs/contract.md keys).
PUBLICS = (
    ("second cycle", "employee.no_secondary_diploma"),
    ("demandeurs d'emploi", None),
    ("minima sociaux", "employee.minima_sociaux"),
    ("contrat unique d'insertion", "employee.former_cui"),
)
CATEGORIES = (
    ("premiers niveaux de qualification", "employee.qualification_level"),
    ("moins de", "employee.birth_date"),
    ("ans d'activité", "employee.years_of_activity"),
    ("ans et plus", "employee.birth_date"),
    ("handicapés", "employee.disabled_worker"),
    ("reprenant leur activité", "employee.returning_from"),
)
RETURNING = (
    ("maternité", "maternity"),
    ("adoption", "adoption"),
    ("parental", "parental"),
    ("maladie", "illness"),
)
CONTRACTS = (("CDI", "CDI"), ("CDD", "CDD"), ("contrat unique d'insertion", "CUI-CDI"))
ENTRY = (
    (r"d[èe]s sa signature", "signature"),
    (r"formalités de dépôt", "deposit"),
    (r"extension", "extension"),
)


def figures(doc: Agreement) -> list[Figure]:
    """Every figure of the articles and of the certification annex, in text order."""
    out: list[Figure] = []
    for art in doc.articles:
        out += _recipes(art)
        out += _lists(art)
        out += _entry(art)
        out += _contracts(art)
    for annex in doc.annexes:
        if annex.table:
            out.append(_certifications(annex))
    if doc.date is not None:
        out.append(
            Figure(
                kind="signature_date",
                value=doc.date.isoformat(),
                parameter="avenant81.signature_date",
                article="En-tête",
                start=0,
                end=0,
                excerpt=doc.date_raw,
            )
        )
    if doc.idcc is not None:
        out.append(
            Figure(
                kind="idcc",
                value=doc.idcc,
                parameter="avenant81.idcc",
                article="En-tête",
                start=0,
                end=0,
                excerpt=doc.idcc_source,
            )
        )
    return out


def _figure(
    kind: Kind,
    value: Any,
    parameter: str | None,
    art: Article | Annex,
    start: int,
    end: int,
    note: str = "",
) -> Figure:
    label = art.number if isinstance(art, Article) else f"Annexe {art.number}"
    return Figure(
        kind=kind,
        value=value,
        parameter=parameter,
        article=label,
        start=start,
        end=end,
        excerpt=art.text[start:end],
        note=note,
    )


def _recipes(art: Article) -> list[Figure]:
    out = []
    for r in RECIPES:
        for m in re.finditer(r.pattern, art.text, re.I):
            for i, param in enumerate(r.parameters, 1):
                out.append(
                    _figure(r.kind, int(m.group(i)), param, art, m.start(i), m.end(i), r.note)
                )
    return out


def _items_after(text: str, intro: str) -> list[tuple[int, int]]:
    """Spans of the « - » list items that follow the sentence containing `intro`."""
    m = re.search(intro, text, re.I)
    if not m:
        return []
    spans = []
    pos = text.find("\n", m.end()) + 1
    while 0 < pos < len(text) and text.startswith("- ", pos):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        spans.append((pos + 2, end))
        pos = end + 1
    return spans


def _lists(art: Article) -> list[Figure]:
    out = []
    lists: tuple[tuple[str, tuple[tuple[str, str | None], ...], Kind], ...] = (
        ("publics prioritaires", PUBLICS, "publics"),
        ("pour les salariés suivants", CATEGORIES, "categories"),
    )
    for intro, table, kind in lists:
        for start, end in _items_after(art.text, intro):
            item = art.text[start:end]
            fields = sorted({f or "" for word, f in table if word in item.lower()})
            out.append(_figure(kind, [f for f in fields if f] or None, None, art, start, end))
            if kind == "categories" and "employee.returning_from" in fields:
                values = [v for word, v in RETURNING if word in item.lower()]
                out.append(
                    _figure("returning_from", values, "pro_a.share.returning_from", art, start, end)
                )
    return out


def _entry(art: Article) -> list[Figure]:
    out = []
    for m in re.finditer(r"[^.\n]*entr\w* en vigueur[^.\n]*", art.text):
        for pattern, kind in ENTRY:
            if re.search(pattern, m.group(0)):
                out.append(_figure("entry_into_force", kind, None, art, m.start(), m.end()))
                break
    return out


def _contracts(art: Article) -> list[Figure]:
    m = re.search(r"concerne principalement les salariés en ([^.\n]*?)(?: et vise|\.|$)", art.text)
    if not m:
        return []
    values = [v for word, v in CONTRACTS if re.search(rf"\b{word}\b", m.group(1))]
    return [_figure("contracts", values, "pro_a.contracts", art, m.start(1), m.end(1))]


def _certifications(annex: Annex) -> Figure:
    rows = [r.model_dump() for r in annex.table]
    return Figure(
        kind="certifications",
        value=rows,
        parameter="pro_a.annex1",
        article=f"Annexe {annex.number}",
        start=0,
        end=0,
        excerpt=" ; ".join(f"{r.level} {r.type} {r.title} {r.code_raw}" for r in annex.table),
    )


def entry_clauses(doc: Agreement) -> list[Figure]:
    return [f for art in doc.articles for f in _entry(art)]


def searchable(doc: Agreement, label: str) -> str:
    """An article's text, or an annex's text with its table rows, as quotes are written."""
    part = doc.article(label)
    if isinstance(part, Annex):
        rows = [f"{r.level} {r.type} {r.title} {r.code_raw}" for r in part.table]
        return "\n".join([part.title, *rows, part.text])
    return part.text
