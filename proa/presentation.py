"""How every door shows things to people: labels, numbers, dates and the law in force.

The CLI report, the web pages, the REST API, the documents and `proa explain` take their
words and formats from here, so a decision, an amount, a date or a parameter reads the same
through every door. French first, English second (`lang="en"`).

Numbers, amounts and dates follow Babel's fr_FR and en_GB rules, rounded half-up to 0.01
as docs/contract.md computes. The engine formats its own messages with `proa.core.french` (pure,
on its hot path); tests/test_presentation.py checks that both write French numbers and
dates to the character. The core never imports this module.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal
from pydantic import BaseModel

from proa.core import french
from proa.core.catalogue import Text
from proa.core.inputs import DECLARED, INPUTS, PRINTABLE, Input
from proa.core.rules import PLACEHOLDER
from proa.explain import SourceRef, jsonable, source_ref

if TYPE_CHECKING:
    from proa.law import RulePack

Lang = Literal["fr", "en"]
LOCALES: dict[str, str] = {"fr": "fr_FR", "en": "en_GB"}
NONE = "—"
"""What a page or a report shows for a value that does not apply or is not known yet."""

# --- labels ----------------------------------------------------------------------------------
# Mid-sentence forms ("le dossier est incomplet"); `capital` for a heading or an option.

DECISIONS: dict[str, Text] = {
    "eligible": Text("éligible", "eligible"),
    "ineligible": Text("non éligible", "ineligible"),
    "incomplete": Text("incomplet", "incomplete"),
}
DECISION_SUMMARIES: dict[str, Text] = {
    "eligible": Text(
        "Le dossier respecte toutes les règles vérifiées.", "The case meets every rule checked."
    ),
    "ineligible": Text("Au moins une règle n'est pas respectée.", "At least one rule is not met."),
    "incomplete": Text(
        "Des réponses manquent pour conclure.", "Some answers are missing to conclude."
    ),
}
FINDING_STATUS: dict[str, Text] = {
    "ok": Text("conforme", "compliant"),
    "violation": Text("non conforme", "not compliant"),
    "missing": Text("à compléter", "to complete"),
    "warning": Text("avertissement", "warning"),
}
STATUS_MARKS: dict[str, str] = {"ok": "✔", "violation": "✘", "missing": "?", "warning": "!"}
REGIMES: dict[str | None, Text] = {
    "pro-a": Text("Pro-A (avenant n° 81, IDCC 1147)", "Pro-A (avenant no. 81, IDCC 1147)"),
    "periode-de-reconversion": Text("période de reconversion", "période de reconversion"),
    None: Text("non déterminé", "not determined"),
}
ROLES: dict[str, Text] = {
    "admin": Text("administrateur", "administrator"),
    "employer": Text("employeur", "employer"),
    "payroll": Text("gestionnaire de paie", "payroll manager"),
    "employee": Text("salarié", "employee"),
    "opco": Text("conseiller OPCO", "OPCO adviser"),
    "branch": Text("branche (CPNEFP)", "branch (CPNEFP)"),
}
# What an audit event did (`status:<s>` adds the status reached).
AUDIT_ACTIONS: dict[str, Text] = {
    "create": Text("création", "creation"),
    "update": Text("modification", "change"),
    "delete": Text("suppression", "deletion"),
    "evaluate": Text("évaluation enregistrée", "evaluation stored"),
    "document": Text("document établi", "document drawn up"),
    "attach": Text("pièce jointe ajoutée", "attachment added"),
    "erase": Text("effacement des données personnelles", "personal data erased"),
    "login": Text("connexion", "login"),
    "activate": Text("compte réactivé", "account reactivated"),
    "deactivate": Text("compte désactivé", "account deactivated"),
    "password:reset": Text("mot de passe réinitialisé", "password reset"),
    "password:change": Text("mot de passe changé", "password changed"),
    "calendar:create": Text("lien d'agenda créé", "calendar link created"),
    "calendar:revoke": Text("lien d'agenda révoqué", "calendar link revoked"),
}


def audit_action(action: str, lang: Lang = "fr") -> str:
    """An audit event's action in words (« statut : envoyé à l'OPCO »; en: "status: sent to
    the OPCO")."""
    if action.startswith("status:"):
        status = CASE_STATUS.get(action.split(":", 1)[1])
        if status is None:
            return action
        return f"statut : {status.fr}" if lang == "fr" else f"status: {status.en}"
    known = AUDIT_ACTIONS.get(action)
    return getattr(known, lang) if known else action


CASE_STATUS: dict[str, Text] = {
    "draft": Text("brouillon", "draft"),
    "ready": Text("prêt à envoyer", "ready to send"),
    "sent": Text("envoyé à l'OPCO", "sent to the OPCO"),
    "accepted": Text("accepté par l'OPCO", "accepted by the OPCO"),
    "refused": Text("refusé par l'OPCO", "refused by the OPCO"),
    "finished": Text("terminé", "finished"),
}
PAGE_KINDS: dict[str, Text] = {
    "rule": Text("règle", "rule"),
    "exclusion": Text("exclusion de l'extension", "extension exclusion"),
    "defect": Text("défaut du texte", "defect of the text"),
    "reading": Text("lecture retenue", "reading taken"),
    "parameter": Text("paramètre", "parameter"),
}
LAYERS: dict[str, Text] = {
    "code": Text("Code du travail", "Labour Code"),
    "agreement": Text("accord de branche (avenant n° 81)", "branch agreement (avenant no. 81)"),
    "convention": Text("convention collective", "collective agreement"),
    "reading": Text("lecture retenue par proa", "reading taken by proa"),
}


def capital(text: str) -> str:
    """ "éligible" → "Éligible" (a heading, an option, the start of a sentence)."""
    return text[:1].upper() + text[1:]


def sentence(text: str) -> str:
    """A message as a sentence on its own: capital first, one full stop last."""
    return capital(text.rstrip(".")) + "."


# --- numbers and dates -----------------------------------------------------------------------

_CENT = Decimal("0.01")


def _decimal(value: Any) -> Decimal:
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    return Decimal(str(value))


def _cents(value: Any) -> Decimal:
    """Half-up to 0.01, as docs/contract.md rounds (Babel alone rounds half-even); never "-0"."""
    rounded = _decimal(value).quantize(_CENT, rounding=ROUND_HALF_UP)
    return rounded.copy_abs() if rounded == 0 else rounded


# Pay and cost (docs/contract.md, optional `funding` keys), in the order shown.
PAY_AMOUNTS = (
    (
        "pay_cost_eur",
        Text(
            "Rémunération maintenue pendant la formation (cotisations patronales comprises)",
            "Pay maintained during training (employer's contributions included)",
        ),
    ),
    (
        "pay_reimbursement_max_eur",
        Text(
            "Remboursement de la rémunération par l'OPCO, au plus",
            "Pay reimbursed by the OPCO, at most",
        ),
    ),
    (
        "employer_cost_eur",
        Text(
            "Reste à charge de l'employeur, au moins (rémunération et frais pédagogiques "
            "au-delà du forfait)",
            "Left for the employer to pay, at least (pay, and teaching costs beyond the flat rate)",
        ),
    ),
)


def pay_amounts(funding: Any, lang: Lang = "fr") -> list[tuple[str, float]]:
    """The pay and cost amounts a result gives (none until the employee's pay is known)."""
    return [
        (getattr(label, lang), amount)
        for key, label in PAY_AMOUNTS
        if (amount := getattr(funding, key, None)) is not None
    ]


NOT_BOUNDED = "sans objet"


def limit_blank(decision: str) -> str:
    """What a null limit says: once every answer it needs is known (a decision other than
    incomplete), a null limit is one that bounds nothing here, « sans objet » (the socle,
    a VAE); before, it may also be an answer still missing."""
    return NONE if decision == "incomplete" else NOT_BOUNDED


def number(value: Any, lang: Lang = "fr", blank: str = NONE) -> str:
    """1820 → "1 820"; 151.665 → "151,67" (half-up to 0.01, trailing zeros dropped)."""
    if value is None:
        return blank
    return str(format_decimal(_cents(value), format="#,##0.##", locale=LOCALES[lang]))


def identifier(value: Any, blank: str = NONE) -> str:
    """An identifier written with digits (an IDCC, a SIRET): never grouped, never rounded."""
    return blank if value is None else str(value)


def euros(value: Any, lang: Lang = "fr", blank: str = NONE) -> str:
    """2745 → "2 745,00 €" (en: "€2,745.00")."""
    if value is None:
        return blank
    return str(format_currency(_cents(value), "EUR", locale=LOCALES[lang]))


def hours(value: Any, lang: Lang = "fr", blank: str = NONE) -> str:
    return blank if value is None else f"{number(value, lang)}{french.NBSP}h"


def months(value: Any, lang: Lang = "fr", blank: str = NONE) -> str:
    if value is None:
        return blank
    unit = "mois" if lang == "fr" else "month" if value == 1 else "months"
    return f"{number(value, lang)}{french.NBSP}{unit}"


def years(value: Any, lang: Lang = "fr", blank: str = NONE) -> str:
    if value is None:
        return blank
    one = abs(value) < 2 if lang == "fr" else value == 1
    unit = ("an" if one else "ans") if lang == "fr" else ("year" if one else "years")
    return f"{number(value, lang)}{french.NBSP}{unit}"


def date(value: dt.date | str | None, lang: Lang = "fr", blank: str = NONE) -> str:
    """2025-10-01 → "1er octobre 2025" (en: "1 October 2025"); a datetime or ISO text too."""
    if value is None or value == "":
        return blank
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    if isinstance(value, dt.datetime):
        value = value.date()
    written = str(format_date(value, "d MMMM y", locale=LOCALES[lang]))
    if lang == "fr" and value.day == 1:
        written = "1er" + written[1:]  # French writes the first day as an ordinal
    return written


def both(written: Callable[[Any, Lang], str], value: Any) -> Text:
    """A value written in French and in English (for a catalogue message's placeholder)."""
    return Text(written(value, "fr"), written(value, "en"))


UNITS: dict[str, Text] = {
    "month": Text("mois", "months"),
    "hour": Text("h", "h"),
    "percent": Text("%", "%"),
    "day": Text("jours", "days"),
    "year": Text("ans", "years"),
}


# Each coded answer written as an English word (`parental`) as its choice says it in French
# (« congé parental »), for lists of allowed values shown to a person; codes that are
# already what people write (CDI, CUI-CDI) stay as they are.
VALUE_WORDS = {
    c.value: c.said for spec in INPUTS for c in spec.options if c.value and c.value.islower()
}


def value(raw: Any, unit: str = "", lang: Lang = "fr", blank: str = NONE) -> str:
    """A parameter's value with its unit ("12 mois", "9,15 € de l'heure", "1147")."""
    if raw is None:
        return blank
    if isinstance(raw, bool):
        return ("oui" if raw else "non") if lang == "fr" else ("yes" if raw else "no")
    if isinstance(raw, list | tuple | frozenset | set):
        words = VALUE_WORDS if lang == "fr" else {}
        return ", ".join(
            words.get(v, v) if isinstance(v, str) else value(v, lang=lang) for v in raw
        )
    if isinstance(raw, dict):
        return " ; ".join(f"{k} → {value(v, lang=lang)}" for k, v in raw.items())
    if unit == "date" or isinstance(raw, dt.date):
        return date(raw, lang)
    if unit == "code":
        return identifier(raw)
    if unit == "eur_per_hour":
        return euros(raw, lang) + (" de l'heure" if lang == "fr" else " an hour")
    if isinstance(raw, int | float | Decimal | Fraction):
        suffix = UNITS.get(unit)
        written = number(raw, lang)
        return f"{written}{french.NBSP}{getattr(suffix, lang)}" if suffix else written
    return str(raw)


# --- answers --------------------------------------------------------------------------------


def answer_format(spec: Input) -> str:
    """What an answer to `spec` may be, from its declaration ("nombre entier de 0 à 8")."""
    if spec.options:
        return " ; ".join(
            f"{v if v is not None else 'null'} = {label}" for v, label in spec.choices
        )
    if spec.kind == "bool":
        return "true (oui) ou false (non)"
    if spec.kind == "object":
        return "null (aucun) ou un objet, décrit par les questions suivantes"
    b = spec.bounds
    shown = identifier if spec.identifier else number
    if spec.kind == "date":
        first = f", à partir du {date(b.ge)}" if isinstance(b.ge, dt.date) else ""
        return "date AAAA-MM-JJ" + first
    if spec.kind == "text":
        parts = ["texte"]
        if b.max_length:
            parts.append(f"{b.max_length} caractères au plus")
        if b.pattern == PRINTABLE:
            parts.append("sans caractère de contrôle")
        elif b.pattern:
            parts.append(f"de la forme {b.pattern}")
        if spec.null_is_answer:
            parts.append("ou null (aucun)")
        return ", ".join(parts)
    low = f"de {shown(b.ge)}" if b.ge is not None else f"de plus de {shown(b.gt)}" if b.gt else ""
    high = f"à {shown(b.le)}" if b.le is not None else ""
    if low and not high:
        low = f"au moins {shown(b.ge)}" if b.ge is not None else f"plus de {shown(b.gt)}"
    kind = "nombre entier" if spec.kind == "int" else "nombre"
    return " ".join(x for x in (kind, low, high) if x)


# --- the law in force ------------------------------------------------------------------------


class ParameterInForce(BaseModel):
    """One parameter's value on a day, with the sources of that value."""

    name: str
    description: str
    unit: str
    layer: str
    value: Any
    since: str | None
    sources: list[SourceRef]


def parameters_in_force(day: dt.date, pack: RulePack | None = None) -> list[ParameterInForce]:
    """Every parameter a person reads (not the certification catalogue), by name, with the
    value in force on `day` (None before its first value). The CLI's `params`, the web's
    /parametres and the API's /parameters list exactly this."""
    from proa.law import default_pack

    pack = pack or default_pack()
    out = []
    for name, p in sorted(pack.parameters.parameters.items()):
        if name.startswith("catalogue."):
            continue
        current = p.value_at(day)
        out.append(
            ParameterInForce(
                name=name,
                description=p.description,
                unit=p.unit,
                layer=p.layer,
                value=None if current is None else jsonable(current.value),
                since=None if current is None else current.start.isoformat(),
                sources=[]
                if current is None
                else [source_ref(pack, c.ref, c.quote, c.note, c.note_en) for c in current.sources],
            )
        )
    return out


def rule_message(
    template: str,
    pack: RulePack | None = None,
    day: dt.date | None = None,
    lang: Lang = "fr",
    regime: str = "",
) -> str:
    """A rule's message template as a lawyer reads it on the rule's page (no case at hand):
    a parameter shows its value in force on `day` (today by default; its last value when
    none is in force then), as the engine would write it ("6 mois"); an answer shows its
    name between brackets ("[IDCC du cabinet]"); a computed value its label between chevrons
    ("‹durée minimale de formation›") — the conventions of the page's conditions. In English
    (`lang="en"`, the rule's English template), values are written the English way and answers
    and computed values named in English, as in the page's English conditions. `regime`: the
    rule's, whose labels win where both regimes name a value alike (`duration_months_max`)."""
    from proa.law import default_pack

    pack = pack or default_pack()
    snapshot = pack.parameters.snapshot(day or dt.date.today())
    labels = variable_labels(pack, lang, regime)

    def shown(m: re.Match[str]) -> str:
        name, spec = m.group(1), m.group(2) or ""
        plus_one = " + 1" if spec == "plus_one" else ""
        if name in labels:
            return f"‹{labels[name]}›{plus_one}"
        if name in DECLARED:
            spec = DECLARED[name]
            return f"[{spec.term_en if lang == 'en' else spec.term}]{plus_one}"
        if name in pack.parameters.parameters:
            raw = snapshot.get(name)
            if raw is None:
                raw = _last_value(pack, name)
            return (french.fmt_en if lang == "en" else french.fmt)(raw, spec)
        return m.group(0)

    return PLACEHOLDER.sub(shown, template)


def _last_value(pack: RulePack, name: str) -> Any:
    from proa.core.params import engine_value

    found = [v.value for v in pack.parameters[name].values if v.value is not None]
    return engine_value(found[-1]) if found else None


@cache
def variable_labels(pack: RulePack, lang: Lang = "fr", regime: str = "") -> Mapping[str, str]:
    """Each variable's label, mid-sentence and without its parenthesised gloss; `regime`'s
    first where both regimes have a variable of that name."""
    fmt = french.fmt_en if lang == "en" else french.fmt
    out: dict[str, str] = {}
    for law in sorted(pack.regimes.values(), key=lambda law: law.regime != regime):
        for v in law.variables:
            # A label names its figures by parameter (`{pro_a.training.min_share|pct}`).
            label = PLACEHOLDER.sub(
                lambda m: fmt(_last_value(pack, m.group(1)), m.group(2) or ""),
                v.label_en if lang == "en" else v.label,
            )
            short = re.sub(r"\s*\([^)]*\)$", "", label)
            out.setdefault(v.name, short[:1].lower() + short[1:])
    return out
