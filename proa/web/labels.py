"""French labels and value formatting for the pages (one place, shared by the templates)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from proa.core import french

DECISIONS = french.DECISIONS
FINDING_STATUS = french.FINDING_STATUS
REGIMES = french.REGIMES
CASE_STATUS: dict[str, str] = {
    "draft": "Brouillon",
    "ready": "Prêt à envoyer",
    "sent": "Envoyé à l'OPCO",
    "accepted": "Accepté par l'OPCO",
    "refused": "Refusé par l'OPCO",
    "finished": "Terminé",
}
KINDS = {
    "rule": "Règle",
    "exclusion": "Exclusion de l'extension",
    "defect": "Défaut du texte",
    "reading": "Lecture retenue",
    "parameter": "Paramètre",
}
LAYERS = {
    "code": "Code du travail",
    "agreement": "Accord de branche (avenant n°81)",
    "convention": "Convention collective",
    "reading": "Lecture retenue par proa",
}
UNITS = {
    "month": "mois",
    "hour": "h",
    "percent": "%",
    "eur_per_hour": "€ de l'heure",
    "day": "jours",
    "year": "ans",
}

_PLACEHOLDER = re.compile(r"\{(\w+)(?:\|\w+)?\}")


def placeholders(template: str) -> str:
    """A finding's message template for a lawyer: "{training_hours|h}" → "‹training_hours›"."""
    return _PLACEHOLDER.sub(lambda m: f"‹{m.group(1)}›", template)


def date_fr(value: dt.date | str | None) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return french.date(value)


def number(value: Any) -> str:
    if value is None:
        return "—"
    return french.number(Decimal(str(value)))


def hours(value: Any) -> str:
    return "—" if value is None else french.fmt(Decimal(str(value)), "h")


def months(value: Any) -> str:
    return "—" if value is None else french.fmt(Decimal(str(value)), "months")


def euros(value: Any) -> str:
    return "—" if value is None else french.euros(Decimal(str(value)))


def value(raw: Any, unit: str = "") -> str:
    """A parameter value in French, with its unit."""
    if raw is None:
        return "—"
    if isinstance(raw, bool):
        return "oui" if raw else "non"
    if isinstance(raw, list | tuple):
        return ", ".join(value(v) for v in raw)
    if isinstance(raw, dict):
        return " ; ".join(f"{k} → {value(v)}" for k, v in raw.items())
    if unit == "date" or isinstance(raw, dt.date):
        return date_fr(raw)
    if isinstance(raw, int | float | Decimal):
        text = number(raw)
        suffix = UNITS.get(unit)
        return f"{text}{french.NBSP}{suffix}" if suffix else text
    return str(raw)
