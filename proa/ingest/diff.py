"""Compare the figures of an ingested agreement with the bundled rule pack.

For each parameter the pack attributes to the agreement (a value citing one of its
articles) the text's figure must be equal, and the value's quote must be in the article.
A difference is `explained` when the pack says why (an extension exclusion or defect of
`defects.yaml`, a reading, a value the Code du travail completes); otherwise it is
`different`, `missing-in-text` or `missing-in-pack`.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from proa.ingest.document import Agreement
from proa.ingest.extract import Figure, figures, searchable
from proa.ingest.normalise import key
from proa.law import RulePack

Status = Literal["same", "explained", "different", "missing-in-text", "missing-in-pack"]


class Difference(BaseModel):
    model_config = ConfigDict(extra="forbid")

    parameter: str | None
    article: str | None
    status: Status
    text_value: Any = None
    pack_value: Any = None
    explanation: str = ""


def pack_agreements(pack: RulePack) -> list[str]:
    """Labels of the agreements the pack encodes (« Avenant n°81 du 8 juillet 2021 (IDCC
    1147) »): the texts `diff` can compare."""
    return [
        s.label
        for s in pack.sources.values()
        if not s.parent and re.match(r"avenant n°", s.label, re.I)
    ]


def agreement_source(pack: RulePack, doc: Agreement) -> str | None:
    """The source id of the agreement in `sources.yaml` (label « Avenant n°N … IDCC I »);
    None for any other agreement (another branch's, or one whose number or IDCC is not
    read): the pack encodes nothing to compare it with."""
    if doc.number is None or doc.idcc is None:
        return None
    for ref, s in pack.sources.items():
        if (
            not s.parent
            and re.search(rf"avenant n° ?{doc.number}\b", s.label, re.I)
            and re.search(rf"\bIDCC {doc.idcc}\b", s.label)
        ):
            return str(ref)
    return None


def diff(doc: Agreement, pack: RulePack) -> list[Difference]:
    """The comparison; empty for an agreement the pack does not encode."""
    root = agreement_source(pack, doc)
    if root is None:
        return []
    refs = {root} | {k for k, s in pack.sources.items() if s.parent == root}
    article_of = {k: pack.sources[k].article for k in refs}
    figs = figures(doc)
    out: list[Difference] = []
    seen: set[str] = set()
    for f in figs:
        if f.parameter is None:
            if f.kind == "publics":
                seen.add(PRIORITY_PUBLICS)
            out.append(_unmapped(f, pack, root))
            continue
        seen.add(f.parameter)
        out.append(_compare(f, pack, refs, article_of, doc))
    for name, p in pack.parameters.parameters.items():
        if name in seen:
            continue
        value = next((v for v in p.values if any(c.ref in refs for c in v.sources)), None)
        if value is None:
            continue
        arts = ", ".join(article_of[c.ref] for c in value.sources if c.ref in refs)
        why = ""
        if p.layer == "reading":
            why = "Lecture de proa (couche « reading ») : le texte ne chiffre pas cette valeur."
        elif name in pack.excluded_by:  # read with its public or clause, never applied
            why = _struck(pack, name)
        elif name == "avenant81.signature_date" and doc.date is None:
            why = "Date illisible dans ce texte (« " + doc.date_raw + " »)."
        out.append(
            Difference(
                parameter=name,
                article=arts,
                status="explained" if why else "missing-in-text",
                pack_value=_plain(value.value),
                explanation=why,
            )
        )
    return out


def _struck(pack: RulePack, name: str) -> str:
    return f"Clause exclue de l'extension ({pack.excluded_by[name]}) : jamais appliquée."


def _plain(v: Any) -> Any:
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, tuple | list):
        return [_plain(x) for x in v]
    return v


def _compare(
    f: Figure, pack: RulePack, refs: set[str], article_of: dict[str, str], doc: Agreement
) -> Difference:
    p = pack.parameters.parameters.get(f.parameter or "")
    if p is None:
        return Difference(
            parameter=f.parameter, article=f.article, status="missing-in-pack", text_value=f.value
        )
    value = next((v for v in p.values if any(c.ref in refs for c in v.sources)), None)
    if value is None:
        return Difference(
            parameter=p.name,
            article=f.article,
            status="missing-in-pack",
            text_value=f.value,
            explanation="Le paramètre ne cite pas l'accord.",
        )
    pack_value = _plain(value.value)
    notes = []
    for c in value.sources:
        art = article_of.get(c.ref)
        if art and c.quote and f.article not in ("En-tête",):
            try:
                text = searchable(doc, art)
            except KeyError:
                text = ""
            if text and key(c.quote) not in key(text):
                return Difference(
                    parameter=p.name,
                    article=art,
                    status="different",
                    text_value=f.value,
                    pack_value=pack_value,
                    explanation=f"Citation absente de l'article : « {c.quote} ».",
                )
    if p.name in pack.excluded_by:
        notes.append(_struck(pack, p.name))
    if f.kind == "certifications":
        return _certifications(f, pack, pack_value)
    if isinstance(pack_value, list):
        same = sorted(map(str, pack_value)) == sorted(map(str, f.value))
        if not same and set(map(str, f.value)) <= set(map(str, pack_value)):
            others = [c.ref for c in value.sources if c.ref not in refs]
            if others:
                return Difference(
                    parameter=p.name,
                    article=f.article,
                    status="explained",
                    text_value=f.value,
                    pack_value=pack_value,
                    explanation="Le paquet complète la liste de l'accord par "
                    + ", ".join(pack.source(r).label for r in others)
                    + ".",
                )
    else:
        same = str(pack_value) == str(f.value)
    return Difference(
        parameter=p.name,
        article=f.article,
        status="same" if same else "different",
        text_value=f.value,
        pack_value=pack_value,
        explanation=" ".join(notes),
    )


def _certifications(f: Figure, pack: RulePack, listed: list[str]) -> Difference:
    found: list[str] = []
    notes: list[str] = []
    for row in f.value:
        match = next(
            (
                cid
                for cid, c in pack.certifications.items()
                if key(row["title"]) in key(c.title) and row["type"] == c.type
            ),
            None,
        )
        if match is None:
            return Difference(
                parameter=f.parameter,
                article=f.article,
                status="different",
                text_value=f.value,
                pack_value=listed,
                explanation=f"Certification absente du catalogue : {row['title']}.",
            )
        found.append(match)
        cert = pack.certifications[match]
        if cert.level_annex1 != row["level"]:
            return Difference(
                parameter=f.parameter,
                article=f.article,
                status="different",
                text_value=f.value,
                pack_value=listed,
                explanation=f"Niveau {row['level']} dans le texte, "
                f"{cert.level_annex1} dans certifications.yaml.",
            )
        if row["code"] is None:
            codes = ", ".join(r.code for r in cert.registrations)
            notes.append(
                f"Code « {row['code_raw']} » dans le texte ; le catalogue retient {codes} "
                "(defect.annex1-rncp-code)."
            )
        if cert.level_rncp != row["level"]:
            notes.append(
                f"Niveau {row['level']} dans l'annexe, {cert.level_rncp} au RNCP "
                "(defect.annex1-level)."
            )
    same = sorted(found) == sorted(listed)
    return Difference(
        parameter=f.parameter,
        article=f.article,
        status=("explained" if notes else "same") if same else "different",
        text_value=found,
        pack_value=listed,
        explanation=" ".join(notes),
    )


def _unmapped(f: Figure, pack: RulePack, root: str) -> Difference:
    if f.note:
        return Difference(
            parameter=None,
            article=f.article,
            status="explained",
            text_value=f.value,
            explanation=f.note,
        )
    if f.kind == "entry_into_force":
        d = next(
            (
                k
                for k, d in pack.defects.items()
                if f"{root}.art{f.article}" in d.articles and k.endswith("entry-into-force")
            ),
            None,
        )
        if d:
            return Difference(
                parameter=None,
                article=f.article,
                status="explained",
                text_value=f.value,
                explanation=f"Clause contradictoire, traitée par {d}.",
            )
    if f.kind in ("publics", "categories"):
        return _list_item(f, pack)
    return Difference(
        parameter=None,
        article=f.article,
        status="missing-in-pack",
        text_value=f.value,
        explanation=f.excerpt,
    )


PRIORITY_PUBLICS = "pro_a.priority_publics"


def _list_item(f: Figure, pack: RulePack) -> Difference:
    """A listed public or category must be read by the Pro-A rule that lists them (the
    publics through the parameter that lists them, as in force once the agreement is signed)."""
    from proa.core.expr import fields_of

    law = pack.regimes["pro-a"]
    variables = {v.name: v.expr for v in law.variables}
    var = "priority_public" if f.kind == "publics" else "share_category"
    signed = pack.parameters["avenant81.signature_date"].values[-1].value
    read = fields_of(variables[var], variables, pack.parameters.snapshot(signed))
    if f.value is None:
        item = key(f.excerpt)
        excl = next(
            (
                k
                for k, d in pack.defects.items()
                if d.kind == "exclusion"
                and key(d.quote)
                and (key(d.quote) in item or item in key(d.quote))
            ),
            None,
        )
        if excl:
            return Difference(
                parameter=None,
                article=f.article,
                status="explained",
                text_value=f.excerpt,
                explanation=f"Exclu de l'extension ({excl}).",
            )
        return Difference(
            parameter=None, article=f.article, status="missing-in-pack", text_value=f.excerpt
        )
    missing = [x for x in f.value if x not in read]
    return Difference(
        parameter=None,
        article=f.article,
        status="different" if missing else "same",
        text_value=f.value,
        pack_value=sorted(read),
        explanation=(
            f"Non lu par la variable « {var} » : {', '.join(missing)}."
            if missing
            else f"Lu par la variable « {var} »."
        ),
    )
