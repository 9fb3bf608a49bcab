"""From a published text (clean Markdown or noisy OCR) to plain, repaired lines.

Two steps, both line by line so a line of the output is a line of the input:
- `strip_markup` removes Markdown and HTML decoration (bold, headings, links, `<b>`);
- `repair` undoes the usual OCR confusions of French legal text (« 4 » for « à », « I' »
  for « l' », lost apostrophes and accents) and unifies the typography both forms share
  (article references, guillemets, apostrophes).
`key` is the accent-, case- and punctuation-blind form used to compare texts.
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher

from proa.core.french import MONTHS

_MARKUP = (
    (re.compile(r"</?b>|</?sup>|</?i>|</?u>"), ""),
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),  # [text](#) links
    (re.compile(r"\*\*"), ""),
    (re.compile(r"^\s*#{1,6}\s*"), ""),
    (re.compile(r"^\s*(?:-\s*){3,}$"), ""),  # "- - - -" rules
)

# Words OCR got wrong in the seed texts and in agreements of the same template; the
# comparison key ignores accents, so most of these only restore the reading text.
_WORDS = {
    "dipléme": "diplôme",
    "diplome": "diplôme",
    "Dipléme": "Diplôme",
    "Diplome": "Diplôme",
    "étre": "être",
    "arrétée": "arrêtée",
    "arrété": "arrêté",
    "dépét": "dépôt",
    "dépot": "dépôt",
    "Dépét": "Dépôt",
    "cotits": "coûts",
    "cotts": "coûts",
    "régles": "règles",
    "financiére": "financière",
    "financiéres": "financières",
    "financiere": "financière",
    "considérent": "considèrent",
    "aprés": "après",
    "apres": "après",
    "auprés": "auprès",
    "aupres": "auprès",
    "aupreés": "auprès",
    "oeuvre": "œuvre",
    "coeur": "cœur",
    "age": "âge",
    "systéme": "système",
    "systeme": "système",
    "systémes": "systèmes",
    "promotien": "promotion",
    "enquéte": "enquête",
    "intérét": "intérêt",
    "connait": "connaît",
    "carriére": "carrière",
    "compléte": "complète",
    "caractére": "caractère",
    "critéres": "critères",
    "derniére": "dernière",
    "confére": "confère",
    "integre": "intègre",
    "déja": "déjà",
    "relevent": "relèvent",
    "Ministere": "Ministère",
    "Collége": "Collège",
    "infirmiér.e": "infirmier.e",
    "Infirmiér.e": "Infirmier.e",
    "tiches": "tâches",
    "tAches": "tâches",
    "taches": "tâches",
    "dés": "dès",
    "acces": "accès",
    "accés": "accès",
    "hopitaux": "hôpitaux",
    "tracabilité": "traçabilité",
    "recu": "reçu",
    "concue": "conçue",
    "aménent": "amènent",
    "lides": "liées",
    "CPINEFP": "CPNEFP",
    "hygiene": "hygiène",
    "Diplomé.e": "Diplômé.e",
    "premiers.iéres": "premiers.ières",
    "Etat": "État",
    "dhébergement": "d'hébergement",
    "sapplique": "s'applique",
    "sappliquent": "s'appliquent",
    "sappliqueront": "s'appliqueront",
    "Sinscrivant": "S'inscrivant",
    "dun.e": "d'un.e",
    "dassistant.c": "d'assistant.e",
    "assistant.c": "assistant.e",
    "Larticle": "L'article",
    "I1/elle": "Il/elle",
    "Vularticle": "Vu l'article",
    "Vule": "Vu le",
    "delaloin®": "de la loi n°",
    "Avenantn°": "Avenant n°",
    "salarié¢": "salarié",
    "santé¢": "santé",
    "d'¢ligibilité": "d'éligibilité",
    "dadépot": "de dépôt",
}
_WORD = re.compile(r"[\w'¢®/°-]+(?:\.\w+)*")

_REPAIRS = (
    # « 4 » standing for « à » (not a figure: no unit, month or digit around it).
    (
        re.compile(
            r"(?<![\d,.%])\b4 (?!(?:mois|ans|heures|jours|semaines|salariés|"
            + "|".join(MONTHS)
            + r")\b|%|\d)(?=[A-Za-zÀ-ÿ'«])"
        ),
        "à ",
    ),
    (re.compile(r"\b(inférieure?s?|supérieure?s?|égale?s?) 4 (?=\d)"), r"\1 à "),
    (re.compile(r"\b4g(?=[ée]s?\b)"), "âg"),
    (re.compile(r"^I (?=est\b)"), "Il "),
    (re.compile(r"\bI'(?=[a-zàâéèêîôûœ])"), "l'"),
    # « l' » read as « T » before an acronym, or lost before a word.
    (re.compile(r"\bT(?=(?:OPCO|OMPL|UNAPL)\b)"), "l'"),
    (re.compile(r"\bTexpiration\b"), "l'expiration"),
    (re.compile(r"(?<=\s)'(?=[A-Za-zÀ-ÿ])"), "l'"),
    (re.compile(r"¢"), "é"),
    (re.compile(r"\b(?:IT|Il) (?=de l'article)"), "II "),
    # Article references: « L6324-1 », « L.5122-1 », « L. 6324 -1 » → « L. 6324-1 ».
    (re.compile(r"\b([LDR])\.?\s?(\d{4})\s?-\s?(\d)"), r"\1. \2-\3"),
    (re.compile(r"[’`]"), "'"),
    (re.compile("\u00ad"), ""),  # soft hyphens of the official HTML
    (re.compile(r"«\s*"), "« "),
    (re.compile(r"\s*»"), " »"),
    (re.compile(r"[ \t\u00a0\u202f]+"), " "),
)


def strip_markup(line: str) -> str:
    for pattern, repl in _MARKUP:
        line = pattern.sub(repl, line)
    return line.replace("\t", " | ") if "\t" in line else line


def repair(line: str) -> str:
    """Undo OCR confusions and unify typography on one line (harmless on clean text)."""
    line = _WORD.sub(lambda m: _WORDS.get(m.group(0), m.group(0)), line)
    for pattern, repl in _REPAIRS:
        line = pattern.sub(repl, line)
    return line.strip()


def key(text: str) -> str:
    """Accent-, case- and punctuation-blind form of a text, for comparisons."""
    text = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("Œ", "OE"))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(re.findall(r"[a-z0-9]+", text))


def similarity(a: str, b: str) -> float:
    """Word-level similarity in [0, 1] of two texts, blind to accents, case and punctuation."""
    wa, wb = key(a).split(), key(b).split()
    if not wa and not wb:
        return 1.0
    return SequenceMatcher(None, wa, wb, autojunk=False).ratio()
