"""Check the rule pack's sources and quotes against the official texts.

- every Code du travail or agreement source the pack cites is pinned to official versions
  (`versions` in `sources.yaml`), each present in the official data with the same dates
  and, for the last one, still in force: otherwise the version in force **changed**;
- every quote of a parameter value is in the text (or nota) of a pinned version in force
  during that value's period, every quote of `defects.yaml` in one of its sources:
  otherwise the quote **drifted**. A citation of an official text without quote is reported.
Texts and quotes are compared with whitespace, apostrophes and table bars normalised.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict

from proa.core.lower import overrides_in
from proa.law import RulePack, Source, parameter_name
from proa.sources.official import Official, OfficialArticle

Kind = Literal[
    "quote-drift", "missing-quote", "version-changed", "unknown-version", "unpinned", "unknown-text"
]


class Problem(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Kind
    source: str
    where: str
    message: str


class Verification(BaseModel):
    model_config = ConfigDict(extra="forbid")

    packages: dict[str, str]
    sources_checked: int
    versions_checked: int
    quotes_checked: int
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.problems


def normal(text: str) -> str:
    text = re.sub(r"[’‘`]", "'", text).replace("|", " ")
    return re.sub(r"[\s\u00a0\u202f]+", " ", text).strip()


def verify(pack: RulePack, official: Official) -> Verification:
    problems: list[Problem] = []
    cited = _cited(pack)
    versions = 0
    for ref in sorted(cited):
        src = pack.source(ref)
        if not _official(src):
            continue
        if not src.versions and not src.quoted_in:
            problems.append(
                Problem(
                    kind="unpinned",
                    source=ref,
                    where="sources.yaml",
                    message="source officielle sans version épinglée",
                )
            )
        if src.id.startswith(("LEGIARTI", "KALIARTI")):
            if src.id not in {v.id for v in src.versions}:
                problems.append(
                    Problem(
                        kind="unpinned",
                        source=ref,
                        where="sources.yaml",
                        message=f"{src.id} absent des versions épinglées",
                    )
                )
        elif src.id and src.id not in official.texts:
            problems.append(
                Problem(
                    kind="unknown-text",
                    source=ref,
                    where="sources.yaml",
                    message=f"{src.id} absent des textes officiels",
                )
            )
        versions += len(src.versions)
        problems += _versions(ref, src, official)
    quotes = 0
    regimes = _regime_windows(pack)
    for p in pack.parameters.parameters.values():
        first, last = regimes.get(p.name, (None, None))
        for i, value in enumerate(p.values):
            end = p.values[i + 1].start if i + 1 < len(p.values) else None
            start = max(value.start, first) if first else value.start
            end = min(end, last) if end and last else end or last
            for c in value.sources:
                src = pack.source(c.ref)
                if not _official(src):
                    continue
                where = f"{p.name} (valeur du {value.start.isoformat()})"
                if not c.quote:
                    problems.append(
                        Problem(
                            kind="missing-quote", source=c.ref, where=where, message="citation vide"
                        )
                    )
                    continue
                quotes += 1
                texts = _texts(src, official, start, end)
                if not any(normal(c.quote) in t for t in texts):
                    problems.append(_drift(c.ref, where, c.quote, texts))
    for name, d in pack.defects.items():
        refs = [r for r in dict.fromkeys((*d.articles, *d.sources)) if _official(pack.source(r))]
        if not refs:
            continue
        if not d.quote:
            problems.append(
                Problem(
                    kind="missing-quote",
                    source=", ".join(refs),
                    where=name,
                    message="citation vide",
                )
            )
            continue
        quotes += 1
        texts = [t for r in refs for t in _texts(pack.source(r), official, None, None)]
        if not any(normal(d.quote) in t for t in texts):
            problems.append(_drift(", ".join(refs), name, d.quote, texts))
    return Verification(
        packages=official.packages,
        sources_checked=len(cited),
        versions_checked=versions,
        quotes_checked=quotes,
        problems=problems,
    )


def _cited(pack: RulePack) -> set[str]:
    refs = {c.ref for p in pack.parameters.parameters.values() for v in p.values for c in v.sources}
    refs |= {r for d in pack.defects.values() for r in (*d.articles, *d.sources)}
    for law in pack.regimes.values():
        for item in law.rules:
            refs |= set(getattr(item, "sources", ()))
        for v in law.variables:
            refs |= {*v.sources, *(r for o in overrides_in(v.expr) for r in o.sources)}
        refs |= {*law.funding.pay_sources, *law.selection_sources}
    return refs


def _regime_windows(pack: RulePack) -> dict[str, tuple[dt.date | None, dt.date | None]]:
    """A regime's parameters hold only while the regime does: Pro-A before the switch
    date (its texts in their wording before the loi 2025-989), the période de
    reconversion from it."""
    switch = pack.parameters["regime.switch_date"].values[-1].value
    windows: dict[str, tuple[dt.date | None, dt.date | None]] = {}
    for folder, window in (("pro_a", (None, switch)), ("reconversion", (switch, None))):
        for path in (pack.root / folder / "parameters").rglob("*.yaml"):
            windows[parameter_name(path.relative_to(pack.root))] = window
    return windows


def _official(src: Source) -> bool:
    """Whether the data packages can hold this source (Code du travail, agreement, JORF)."""
    return bool(
        src.code == "ctrav"
        or src.parent
        or src.versions
        or src.quoted_in
        or src.id.startswith(("KALI", "LEGI"))
    )


def _versions(ref: str, src: Source, official: Official) -> list[Problem]:
    out = []
    for i, v in enumerate(src.versions):
        a = official.articles.get(v.id)
        if a is None:
            out.append(
                Problem(
                    kind="unknown-version",
                    source=ref,
                    where="sources.yaml",
                    message=f"{v.id} absent des textes officiels",
                )
            )
            continue
        if v.id.startswith("KALIARTI"):
            if a.etat != "VIGUEUR":
                out.append(
                    Problem(
                        kind="version-changed",
                        source=ref,
                        where="sources.yaml",
                        message=f"{v.id} n'est plus en vigueur ({a.etat})",
                    )
                )
            continue
        last = i == len(src.versions) - 1
        if a.start != v.start or (
            a.end != v.end and not (last and v.end is None and a.end is None)
        ):
            now = f"{_d(a.start)} → {_d(a.end)}"
            was = f"{_d(v.start)} → {_d(v.end)}"
            message = (
                f"{v.id} : nouvelle version en vigueur à partir du {_d(a.end)}"
                if last and v.end is None and a.end is not None
                else f"{v.id} : dates officielles {now}, épinglées {was}"
            )
            out.append(
                Problem(kind="version-changed", source=ref, where="sources.yaml", message=message)
            )
    return out


def _d(day: dt.date | None) -> str:
    return day.isoformat() if day else "…"


def _texts(
    src: Source, official: Official, start: dt.date | None, end: dt.date | None
) -> list[str]:
    """Normalised texts and notas of the pinned versions in force during [start, end)."""
    chosen: list[OfficialArticle | None] = [
        official.articles.get(v.id) for v in src.versions if start is None or v.overlaps(start, end)
    ]
    chosen += [official.articles.get(i) for i in src.quoted_in]
    return [normal(t) for a in chosen if a for t in (a.text, a.nota) if t]


def _drift(ref: str, where: str, quote: str, texts: list[str]) -> Problem:
    if not texts:
        return Problem(
            kind="quote-drift",
            source=ref,
            where=where,
            message=f"aucun texte officiel en vigueur pour vérifier « {quote} »",
        )
    return Problem(
        kind="quote-drift",
        source=ref,
        where=where,
        message=f"citation introuvable dans le texte officiel : « {quote} »",
    )
