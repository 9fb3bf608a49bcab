"""`proa ingest`: a published agreement text into its structure, figures and defects."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from proa.cli.main import fail
from proa.core import catalogue

if TYPE_CHECKING:
    from proa.ingest import Report

STATUS_FR = {
    "same": "identique",
    "explained": "expliqué",
    "different": "DIFFÉRENT",
    "missing-in-text": "ABSENT DU TEXTE",
    "missing-in-pack": "ABSENT DU PAQUET",
}


def ingest(
    text: Annotated[Path, typer.Argument(help="Texte de l'accord (Markdown propre ou texte OCR).")],
    as_json: Annotated[bool, typer.Option("--json", help="Sortie JSON.")] = False,
    show_diff: Annotated[
        bool, typer.Option("--diff", help="Comparer les chiffres du texte au paquet de règles.")
    ] = False,
) -> None:
    """Lire un accord publié : articles, annexes, chiffres, défauts ; --diff le compare au
    paquet de règles (code de sortie 1 si une différence n'est pas expliquée)."""
    from proa.ingest import ingest as parse
    from proa.ingest import report

    try:
        raw = text.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        fail(catalogue.text("cli.unreadable_text", path=text, reason=exc))
    doc = parse(raw)
    if not doc.articles:
        fail(catalogue.text("cli.no_article", path=text))
    rep = report(doc)
    if as_json:
        data = rep.model_dump(mode="json")
        if not show_diff:
            data.pop("differences")
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        _print(rep, show_diff)
    if show_diff and rep.unexplained:
        raise typer.Exit(1)


def _print(rep: Report, show_diff: bool) -> None:
    doc = rep.agreement
    echo = typer.echo
    echo(f"{doc.title} ({'Markdown' if doc.form == 'markdown' else 'OCR'})")
    echo(
        f"Date : {doc.date or '?'} ({doc.date_raw}) — IDCC : {doc.idcc or '?'} "
        f"({doc.idcc_source})" + (f" — en-tête : « {doc.status} »" if doc.status else "")
    )
    echo("Signataires : " + ", ".join(s.name for s in doc.signatories))
    echo(f"{len(doc.articles)} articles, {len(doc.annexes)} annexes :")
    for a in doc.articles:
        echo(f"  Art. {a.number} — {a.title}")
    for x in doc.annexes:
        rows = f" ({len(x.table)} certification(s) au tableau)" if x.table else ""
        echo(f"  Annexe {x.number} — {x.title}{rows}")
    echo("Défauts du texte :")
    for defect in rep.defects:
        known = f" [{defect.pack_defect}]" if defect.pack_defect else ""
        echo(f"  - {', '.join(defect.articles)} : {defect.message}{known}")
    for w in doc.warnings:
        echo(f"Avertissement : {w}")
    if show_diff:
        echo("Comparaison avec le paquet de règles :")
        for d in rep.differences:
            if d.status == "same":
                continue
            echo(
                f"  {STATUS_FR[d.status]} — {d.parameter or '(sans paramètre)'} "
                f"(art. {d.article}) : texte {d.text_value!r}, paquet {d.pack_value!r}. "
                f"{d.explanation}"
            )
        same = sum(d.status == "same" for d in rep.differences)
        echo(
            f"{same} chiffres identiques, {len(rep.differences) - same} expliqués ou "
            f"différents, {len(rep.unexplained)} non expliqués."
        )
