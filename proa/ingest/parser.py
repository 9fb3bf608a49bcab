"""Parse a published agreement (clean Markdown or OCR text) into an `Agreement`.

The layout both forms share: a header (convention, avenant number, subject, date or
status), the signatories, « Préambule », « Article N » headings (title on the same or the
next line), a signature block (« Fait à … »), then « Annexe N – title » sections, the
first holding the certification table. Line wraps, page marks and blank lines inside
sentences are OCR artefacts: paragraphs are rebuilt from sentence ends.
"""

from __future__ import annotations

import datetime as dt
import re
from difflib import get_close_matches

from proa.core.french import MONTHS
from proa.ingest.document import Agreement, Annex, Article, CertificationRow, Signatory
from proa.ingest.normalise import key, repair, strip_markup

_DATE = re.compile(r"\b(\d{1,2})(?:er)?\s+(" + "|".join(MONTHS) + r")\s+(\d{4})\b", re.I)
# « Article 1er », « Article 7.1 », « Article unique », then the title on the line or the
# next; not « Article 3 du présent accord est modifié » (a sentence) nor « Article L. 6324-1 ».
_ARTICLE = re.compile(
    r"^(?:[Aa]rticle|ARTICLE)\s+(\d+(?:[.-]\d+)*|premier|unique|PREMIER|UNIQUE)(?:er)?"
    r"(?![\w.-])\s*(?:[-–—:.]\s*)?([^a-zà-ÿ].*)?$"
)
_ANNEX = re.compile(r"^annexe(?:\s+(\d+|[IVX]+|unique))?\s*(?:[-–—:]\s*(.*))?$", re.I)
# The agreement's own title line: « Accord du 28 octobre 2021 relatif à … », « Avenant n° 3
# du … portant … ».
_TITLE = re.compile(r"^(?:avenant|accord|protocole)\b.*\b(?:du|en date du)\s+\d", re.I)
_SIGNED_AT = re.compile(r"^fait à\b", re.I)
_PAGE_MARK = re.compile(r"^[A-Z0-9 ]{1,4}$")
_LIST = re.compile(r"^[-*•–]\s+")
_CODE = re.compile(r"^(?:RNCP|RS)\s?\d{3,6}$")

# Branches whose agreements proa knows: convention name (comparison key) → IDCC.
KNOWN_BRANCHES = {"cabinets medicau": 1147}

# Signatory organisations: canonical name → names and acronyms they appear under.
ORGANISATIONS = {
    "CSMF": ("csmf", "confederation des syndicats medicaux francais"),
    "FMF": ("fmf", "federation des medecins de france"),
    "SML": ("sml", "syndicat des medecins liberaux"),
    "MG France": ("mg france", "federation francaise des medecins generalistes"),
    "CGT": ("cgt",),
    "CFTC": ("cftc",),
    "UNSA": ("unsa",),
    "CFDT": ("cfdt",),
    "CFE-CGC": ("cfe cgc",),
    "FO": ("fo", "cgt fo"),
}
_ALIASES = {alias: name for name, aliases in ORGANISATIONS.items() for alias in aliases}


def detect_form(raw: str) -> str:
    return "markdown" if re.search(r"^\s*#{1,6}\s|\*\*", raw, re.M) else "ocr"


def parse(raw: str) -> Agreement:
    """The structured agreement; defects of the text are reported elsewhere, not fixed."""
    form = detect_form(raw)
    lines = [repair(strip_markup(x)) for x in raw.splitlines()]
    warnings: list[str] = []
    sections = _split(lines)
    header = sections.pop("header", [])
    number, title, status = _header(header)
    date, date_raw = _date(header, sections.get("signature", []))
    if date is None:
        warnings.append(f"Date de signature illisible ou tronquée : « {date_raw} ».")
    idcc, idcc_source = _idcc(lines)
    signatories = _signatories(header, warnings)
    articles = [
        _article(label, body) for label, body in sections.items() if label.startswith("article ")
    ]
    annexes = [
        _annex(label, body) for label, body in sections.items() if label.startswith("annexe ")
    ]
    return Agreement(
        form="markdown" if form == "markdown" else "ocr",
        number=number,
        title=title,
        date=date,
        date_raw=date_raw,
        idcc=idcc,
        idcc_source=idcc_source,
        status=status,
        signatories=signatories,
        preamble="\n".join(_paragraphs(sections.get("preamble", []))),
        articles=articles,
        annexes=annexes,
        warnings=warnings,
    )


def _split(lines: list[str]) -> dict[str, list[str]]:
    """Lines grouped by section: header, preamble, "article N", signature, "annexe N".
    Without a « Préambule », the first article heading ends the header; a heading already
    seen or out of sequence (an article quoted by an avenant that rewrites it) stays in the
    text."""
    sections: dict[str, list[str]] = {"header": []}
    current = "header"
    major = 0  # the last article's leading number
    for line in lines:
        if current == "header" and key(line) == "preambule":
            current = "preamble"
            sections[current] = []
            continue
        m = _ARTICLE.match(line)
        if m and not current.startswith("annexe") and f"article {_number(m[1])}" not in sections:
            number = _number(m[1])
            lead = int(re.split(r"[.-]", number)[0]) if number[0].isdigit() else major + 1
            # Articles go forward (7, 7.1, 8, or 10 when the collection leaves out repealed
            # ones): « Article 21.2 » inside article 1, or « Article 3 » inside article 5, is
            # an article of another text that this one quotes.
            if not major or major <= lead <= major + 5:
                major = lead
                current = f"article {number}"
                sections[current] = [m[2]] if m[2] else []
                continue
        m = _ANNEX.match(line)
        if m and current != "header" and f"annexe {m[1] or 'unique'}" not in sections:
            current = f"annexe {m[1] or 'unique'}"
            sections[current] = [m[2] or ""]
            continue
        if _SIGNED_AT.match(line) and current.startswith("article"):
            current = "signature"
            sections[current] = []
        sections[current].append(line)
    return sections


def _number(raw: str) -> str:
    """An article's number as the text writes it (« premier » is 1)."""
    return "1" if raw.lower() == "premier" else raw.lower()


def _own_title(header: list[str]) -> str | None:
    """The agreement's title when the header has it on one line (« Accord du … relatif à … »);
    the convention's own title (« Convention collective … du 13 avril 1976 ») is not it."""
    for line in header:
        if _TITLE.match(line) and re.search(r"\b(?:relati[fv]e?s?|portant|concernant)\b", line):
            return line.strip()
    return None


def _header(lines: list[str]) -> tuple[int | None, str, str | None]:
    text = " ".join(lines)
    m = re.search(r"avenant\s*n\s*°\s*(\d+)", text, re.I)
    number = int(m.group(1)) if m else None
    status = (
        "non étendu"
        if re.search(r"\bnon\s+étendu", text, re.I)
        else (
            "étendu"
            if re.search(r"\bétendu par arrêté", text, re.I) or "(étendu)" in text.lower()
            else None
        )
    )
    subject: list[str] = []
    for line in lines:
        k = key(line)
        if not k:
            continue
        if (
            "convention collective" in k
            or any(b in k for b in KNOWN_BRANCHES)
            or re.match(r"avenant ?n", k)
            or line.startswith("(")
            or _DATE.search(line)
            or k.startswith(("signataires", "le ", "entre", "organisation", "syndicat", "idcc"))
        ):
            if subject:
                break
            continue
        subject.append(line)
    words = " ".join(subject)
    words = re.sub(r"^relatif\s+(?:à|a)\s+(?:la|le|l'|aux|au)\s*", "", words, flags=re.I)
    if words.isupper():
        words = words.lower()
    words = words[:1].upper() + words[1:]
    title = f"Avenant n° {number} — {words}" if number is not None else words
    return number, _own_title(lines) or title, status


def _date(header: list[str], signature: list[str]) -> tuple[dt.date | None, str]:
    own = [line for line in header if _TITLE.match(line)]
    for line in (*own, *header, *signature):
        m = _DATE.search(line)
        if m:
            month = MONTHS.index(m.group(2).lower()) + 1
            try:
                return dt.date(int(m.group(3)), month, int(m.group(1))), m.group(0)
            except ValueError:  # « 31 février 2020 »: reported as unreadable
                return None, m.group(0)
    m = re.search(r"avenant\s*n\s*°\s*\d+\s+du\s+(.*)$", " ".join(header), re.I)
    return None, (m.group(1).split("(")[0].strip() if m else "")


def _idcc(lines: list[str]) -> tuple[int | None, str]:
    text = "\n".join(lines)
    m = re.search(r"\bIDCC\s*(?:n\s*°\s*)?(\d{1,4})\b", text)
    if m:
        return int(m.group(1)), "texte"
    k = key(" ".join(lines[:15]))
    for name, idcc in KNOWN_BRANCHES.items():
        if name in k:
            return idcc, f"nom de la convention (« {name} »)"
    return None, "inconnu"


def _signatories(header: list[str], warnings: list[str]) -> list[Signatory]:
    """Organisations before « D'une part » (or under « patronale ») are employers'."""
    out: list[Signatory] = []
    side = ""
    for line in header:
        k = key(line)
        if k.startswith(("organisation s patronale", "entre")) or k.endswith(" entre"):
            side = "employers"
            continue
        if k.startswith(("syndicat s de salarie", "d une part")):
            side = "employees"
            continue
        if not side or k.startswith("d autre part") or not k:
            continue
        raw = _LIST.sub("", line).strip(" ;.,")
        if ":" in raw:
            raw = raw.split(":", 1)[1]
        for part in re.split(r"\s[–-]\s|,", raw):
            name = _organisation(part.strip(" ;.,"), warnings)
            if name:
                out.append(
                    Signatory(
                        side="employers" if side == "employers" else "employees",
                        name=name,
                        raw=part.strip(" ;.,"),
                    )
                )
    return out


def _organisation(raw: str, warnings: list[str]) -> str | None:
    if not raw:
        return None
    inner = re.search(r"\(([^)]*)\)\s*$", raw)
    for candidate in (inner.group(1) if inner else None, raw):
        if candidate:
            k = key(candidate.replace(".", ""))
            if k in _ALIASES:
                return _ALIASES[k]
    k = key(raw.replace(".", ""))
    close = get_close_matches(k, list(_ALIASES), n=1, cutoff=0.6)
    if close:
        warnings.append(f"Signataire « {raw} » lu comme « {_ALIASES[close[0]]} ».")
        return _ALIASES[close[0]]
    warnings.append(f"Signataire inconnu : « {raw} ».")
    return raw


def _paragraphs(lines: list[str]) -> list[str]:
    """Rebuild paragraphs: a line continues the previous one unless that one ended a
    sentence or was a heading, or the line starts a list item."""
    out: list[str] = []
    headings: set[int] = set()
    blank_before = False
    for i, line in enumerate(lines):
        if not line:
            blank_before = True
            continue
        if _PAGE_MARK.match(line) and not line.isdigit():
            continue
        is_item = bool(_LIST.match(line))
        line = _LIST.sub("- ", line)
        heading = blank_before and _is_heading(line, lines[i + 1 :])
        if (
            not out
            or is_item
            or heading
            or len(out) - 1 in headings
            or re.search(r"[.;:!?]$", out[-1])
        ):
            out.append(line)
            if heading:
                headings.add(len(out) - 1)
        else:
            out[-1] = f"{out[-1]} {line}"
        blank_before = False
    return out


def _is_heading(line: str, after: list[str]) -> bool:
    """A short capitalised line without final punctuation, followed by a capitalised one."""
    if len(line) > 90 or re.search(r"[.;:,!?]$", line) or not line[0].isupper():
        return False
    nxt = next((x for x in after if x), "")
    return nxt[:1].isupper() and not _LIST.match(nxt)


def _article(label: str, body: list[str]) -> Article:
    number = label.split()[1]
    title, rest = _title(body)
    return Article(number=number, title=title, text="\n".join(_paragraphs(rest)))


def _title(body: list[str]) -> tuple[str, list[str]]:
    """The article's title: its first line, if short, without final punctuation and not
    continued on the next line (a wrapped sentence goes on in lower case)."""
    for i, line in enumerate(body):
        if line:
            after = next((x for x in body[i + 1 :] if x), "")
            if (
                len(line) <= 100
                and not re.search(r"[.;:,]$", line)
                and not (after[:1].islower() and body[i + 1 : i + 2] == [after])
            ):
                return line, body[i + 1 :]
            return "", body
    return "", body


def _annex(label: str, body: list[str]) -> Annex:
    number = label.split()[1]
    title = body[0] if body else ""
    rows: list[CertificationRow] = []
    text: list[str] = []
    in_table = False
    for line in body[1:]:
        k = key(line)
        if "niveau" in k and "certification" in k and len(k) < 60:
            in_table = True
            continue
        row = _row(line) if in_table else None
        if row:
            rows.append(row)
        else:
            in_table = in_table and not line
            text.append(line)
    paragraphs = _paragraphs(text)
    return Annex(number=number, title=title, text="\n".join(paragraphs), table=rows)


def _row(line: str) -> CertificationRow | None:
    """« 3 | CQP | ASSISTANT MEDICAL | En cours » or « 3 CQP Assistant médical En cours »."""
    cells = [c.strip() for c in line.split("|") if c.strip()]
    if len(cells) < 4:
        m = re.match(
            r"^(\d)\s+(\S+)\s+(.+?)\s+((?:RNCP|RS)\s?\d{3,6}|en cours|néant|-)$", line, re.I
        )
        if not m:
            return None
        cells = list(m.groups())
    if not cells[0].isdigit():
        return None
    code = cells[3].replace(" ", "")
    return CertificationRow(
        level=int(cells[0]),
        type=cells[1],
        title=cells[2],
        code=code if _CODE.match(code) else None,
        code_raw=cells[3],
    )
