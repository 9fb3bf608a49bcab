"""The guided questionnaire: form answers in and out of a case, by contract path.

The engine decides what to ask (`Result.missing`, in questionnaire order) and `BY_PATH`
says how to ask it; this module only converts between HTML form values and the case's
JSON, so the same case evaluates identically here, in the API and on the command line.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from proa import CaseError, Result, evaluate, parse_case
from proa.core.catalogue import Text
from proa.core.inputs import BY_PATH, DECLARED, INPUTS, Input
from proa.presentation import Lang
from proa.web.i18n import side

# How many of the engine's missing questions one page asks at once.
QUESTIONS_PER_PAGE = 3

YES, NO = "oui", "non"
# Form value of a choice whose answer is JSON null ("aucun tuteur", "aucun de ces congés").
NONE = "aucun"
TUTOR_CHOICES: tuple[tuple[str, Text], ...] = (
    (NONE, Text("Aucun tuteur", "No tutor")),
    (YES, Text("Un tuteur est désigné", "A tutor is appointed")),
)
YES_NO = (Text("Oui", "Yes"), Text("Non", "No"))
_ABSENT = object()
BLOCKS = "parties.training_blocks"

# What documents need and rules never read, asked for on the case page (« Pour les
# documents »), the employee's name first (the new-case form asks it alone).
PARTIES: tuple[Input, ...] = tuple(
    spec
    for path, spec in DECLARED.items()
    if path.startswith("parties.") and not path.startswith(BLOCKS + ".")
)
FIELDS: tuple[Input, ...] = INPUTS + PARTIES
# The training's blocks (pedagogical document): rows of a title and hours.
BLOCK_ROWS = 6
BLOCK_FIELDS = ("title", "hours")


@dataclass(frozen=True)
class Question:
    """One input as the form shows it, with its current form value."""

    spec: Input
    value: str
    # The refusal of the value typed, in both languages ("" when none).
    error: Text | str = ""

    @property
    def path(self) -> str:
        return self.spec.path

    @property
    def field_id(self) -> str:
        return field_id(self.spec.path)

    @property
    def choices(self) -> tuple[tuple[str, str], ...]:
        """(form value, French label) pairs for radio buttons; empty for typed inputs."""
        return self.choices_in("fr")

    def choices_in(self, lang: Lang) -> tuple[tuple[str, str], ...]:
        """(form value, label in `lang`) pairs for radio buttons; empty for typed inputs."""
        if self.spec.kind == "bool":
            return ((YES, side(YES_NO[0], lang)), (NO, side(YES_NO[1], lang)))
        if self.spec.kind == "object":
            return tuple((value, side(label, lang)) for value, label in TUTOR_CHOICES)
        return tuple(
            (
                NONE if c.value is None else c.value,
                c.label_en if lang == "en" and c.label_en else c.label,
            )
            for c in self.spec.options
        )

    def question_in(self, lang: Lang) -> str:
        return self.spec.question_en if lang == "en" else self.spec.question

    def help_in(self, lang: Lang) -> str:
        """The help in `lang` (French where no English was written)."""
        return self.spec.help_en if lang == "en" and self.spec.help_en else self.spec.help

    def placeholder_in(self, lang: Lang) -> str:
        """The form of a date to type: day, month, year in either language."""
        if self.spec.kind != "date":
            return ""
        return "dd/mm/yyyy" if lang == "en" else "jj/mm/aaaa"

    @property
    def input_type(self) -> str:
        # Dates are typed jj/mm/aaaa as text: a date picker writes the browser's locale.
        return "text"

    @property
    def inputmode(self) -> str:
        return {"int": "numeric", "number": "decimal", "date": "numeric"}.get(self.spec.kind, "")

    @property
    def placeholder(self) -> str:
        return self.placeholder_in("fr")


def get(data: dict[str, Any], path: str) -> Any:
    """The value at a dotted path, or `_ABSENT`."""
    node: Any = data
    for key in path.split("."):
        if not isinstance(node, dict) or key not in node:
            return _ABSENT
        node = node[key]
    return node


def answered(data: dict[str, Any], path: str) -> bool:
    return get(data, path) is not _ABSENT


def _set(data: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    node = data
    for key in parents:
        if not isinstance(node.get(key), dict):
            node[key] = {}
        node = node[key]
    node[last] = value


def _unset(data: dict[str, Any], path: str) -> None:
    *parents, last = path.split(".")
    node: Any = data
    for key in parents:
        node = node.get(key) if isinstance(node, dict) else None
    if isinstance(node, dict):
        node.pop(last, None)


def form_value(data: dict[str, Any], spec: Input) -> str:
    """The case's answer as the form shows it ("" when unanswered)."""
    value = get(data, spec.path)
    if value is _ABSENT:
        return ""
    if spec.kind == "object":
        return NONE if value is None else YES
    if value is None:
        return NONE
    if spec.kind == "bool":
        return YES if value else NO
    if spec.kind == "number":
        return str(value).replace(".", ",")
    if spec.kind == "date":
        return _french_date(str(value))
    return str(value)


_FRENCH_DATE = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\s*$")


def _french_date(iso: str) -> str:
    """2025-09-15 → 15/09/2025 (anything else as it is)."""
    try:
        return dt.date.fromisoformat(iso).strftime("%d/%m/%Y")
    except ValueError:
        return iso


def _iso_date(text: str) -> str:
    """A date typed jj/mm/aaaa (or already ISO) as the contract writes it; the raw text when
    it is not a date, so that the case's validation names the field in French."""
    m = _FRENCH_DATE.match(text)
    if not m:
        return text
    try:
        return dt.date(int(m[3]), int(m[2]), int(m[1])).isoformat()
    except ValueError:
        return text


def _number(text: str, integer: bool) -> Any:
    """A French-typed number ("151,5", "1 820") as JSON; the raw text when it is not a
    number, so that the case's validation names the field in French."""
    cleaned = "".join(text.split()).replace("\u202f", "").replace(",", ".")
    try:
        d = Decimal(cleaned)
    except InvalidOperation:
        return text
    if not d.is_finite():
        return text
    if d == d.to_integral_value():
        return int(d)
    return text if integer else float(cleaned)


def apply_answers(data: dict[str, Any], form: dict[str, str]) -> dict[str, Any]:
    """A copy of the case with the submitted answers (keys are contract paths).

    An empty answer makes the input unknown again; unknown keys are ignored.
    """
    out = copy.deepcopy(data)
    if any(k.startswith(BLOCKS + ".") for k in form):
        _apply_blocks(out, form)
    for spec in FIELDS:
        if spec.path not in form:
            continue
        raw = form[spec.path].strip()
        if raw == "":
            _unset(out, spec.path)
        elif spec.kind == "object":
            if raw == NONE:
                _set(out, spec.path, None)
            elif not isinstance(get(out, spec.path), dict):
                _set(out, spec.path, {})
        elif raw == NONE and spec.null_is_answer:
            _set(out, spec.path, None)
        elif spec.kind == "bool":
            _set(out, spec.path, {YES: True, NO: False}.get(raw, raw))
        elif spec.kind in ("int", "number"):
            _set(out, spec.path, _number(raw, spec.kind == "int"))
        elif spec.kind == "date":
            _set(out, spec.path, _iso_date(raw))
        else:
            _set(out, spec.path, raw)
    return out


def block_key(row: int, part: str) -> str:
    """A block row's form key (and the contract path its error names)."""
    return f"{BLOCKS}.{row}.{part}"


def _apply_blocks(out: dict[str, Any], form: dict[str, str]) -> None:
    """The blocks typed in the rows, in order; an empty row is dropped, a half-filled one
    kept so that the case's validation names what is missing."""
    blocks: list[dict[str, Any]] = []
    for row in range(BLOCK_ROWS):
        title = form.get(block_key(row, "title"), "").strip()
        hours = form.get(block_key(row, "hours"), "").strip()
        if not title and not hours:
            continue
        block: dict[str, Any] = {}
        if title:
            block["title"] = title
        if hours:
            block["hours"] = _number(hours, integer=False)
        blocks.append(block)
    if blocks:
        _set(out, BLOCKS, blocks)
    else:
        _unset(out, BLOCKS)


def block_rows(data: dict[str, Any], form: dict[str, str] | None = None) -> list[dict[str, str]]:
    """The rows of blocks as the form shows them: the stored ones, then empty rows."""
    stored = get(data, BLOCKS)
    stored = stored if isinstance(stored, list) else []
    rows = []
    for row in range(BLOCK_ROWS):
        block = stored[row] if row < len(stored) and isinstance(stored[row], dict) else {}
        values = {}
        for part in BLOCK_FIELDS:
            key = block_key(row, part)
            value = block.get(part, "")
            shown = str(value).replace(".", ",") if part == "hours" and value != "" else value
            values[part] = form[key] if form and key in form else str(shown)
        rows.append(values)
    return rows


@dataclass(frozen=True)
class Evaluation:
    """A case's evaluation, or the errors that stop it (French and English)."""

    result: Result | None
    errors: dict[str, Text]

    @property
    def ok(self) -> bool:
        return self.result is not None


def assess(data: dict[str, Any], english: bool = False) -> Evaluation:
    """The case's evaluation (with English messages too when `english`), or its errors."""
    try:
        return Evaluation(evaluate(parse_case(data), english=english), {})
    except CaseError as exc:
        return Evaluation(
            None, {e["field"]: Text(e["message"], e["message_en"]) for e in exc.errors}
        )


LABELS: dict[str, Text] = {spec.path: Text(spec.question, spec.question_en) for spec in FIELDS} | {
    block_key(row, part): Text(
        f"Bloc {row + 1} : " + ("intitulé" if part == "title" else "heures"),
        f"Block {row + 1}: " + ("title" if part == "title" else "hours"),
    )
    for row in range(BLOCK_ROWS)
    for part in BLOCK_FIELDS
}


def next_questions(result: Result, data: dict[str, Any]) -> list[Question]:
    """The next questions the engine says are missing, in its order."""
    paths = [p for p in result.missing if p in BY_PATH][:QUESTIONS_PER_PAGE]
    return [Question(BY_PATH[p], form_value(data, BY_PATH[p])) for p in paths]


def _questions(
    specs: Iterable[Input],
    data: dict[str, Any],
    form: dict[str, str] | None,
    errors: dict[str, Text] | None,
) -> list[Question]:
    """Questions with the value typed in the form (if any), else the stored one."""
    errors = errors or {}
    return [
        Question(
            spec,
            form[spec.path] if form and spec.path in form else form_value(data, spec),
            errors.get(spec.path, ""),
        )
        for spec in specs
    ]


def answered_questions(
    data: dict[str, Any], form: dict[str, str] | None = None, errors: dict[str, Text] | None = None
) -> list[Question]:
    """Every answered input, in questionnaire order, for the "Modifier" section."""
    return _questions((s for s in INPUTS if answered(data, s.path)), data, form, errors)


# Particulars a document prints only in some cases: the host employer in an external
# période's accord, the tutor where one is appointed (unknown yet: asked).
ONLY_WHEN: dict[str, Callable[[dict[str, Any]], bool]] = {
    "parties.host_employer_name": lambda d: get(d, "reconversion.mode") == "external",
    "parties.tutor_name": lambda d: get(d, "tutor") is not None,
    "parties.tutor_job": lambda d: get(d, "tutor") is not None,
}


def parties(
    data: dict[str, Any], form: dict[str, str] | None = None, errors: dict[str, Text] | None = None
) -> list[Question]:
    """The « Pour les documents » questions the case's documents print (one already answered
    is always shown, so that it can be corrected or cleared)."""
    wanted = (
        s
        for s in PARTIES
        if s.path not in ONLY_WHEN or ONLY_WHEN[s.path](data) or answered(data, s.path)
    )
    return _questions(wanted, data, form, errors)


def field_id(path: str) -> str:
    return "q-" + path.replace(".", "-").replace("_", "-")
