"""`proa ingest`: a published agreement text into its structure, figures and defects."""

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from proa.cli.errors import fail, read_text
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
    text: Annotated[
        Path,
        typer.Argument(metavar="TEXTE", help="Texte de l'accord (Markdown propre ou texte OCR)."),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Sortie JSON.")] = False,
    show_diff: Annotated[
        bool, typer.Option("--diff", help="Comparer les chiffres du texte au paquet de règles.")
    ] = False,
) -> None:
    """Lire un accord publié : articles, annexes, chiffres, défauts ; --diff le compare au
    paquet de règles (code de sortie 1 si une différence n'est pas expliquée)."""
    from proa.ingest import ingest as parse
    from proa.ingest import report

    doc = parse(read_text(text, "cli.what_text"))
    if not doc.articles:
        fail(catalogue.text("cli.no_article", path=text))
    rep = report(doc)
    if show_diff and rep.pack_source is None:
        fail(
            catalogue.text(
                "cli.other_agreement", known=_known(), title=doc.title, idcc=doc.idcc or "?"
            )
        )
    if as_json:
        data = rep.model_dump(mode="json")
        if not show_diff:
            data.pop("differences")
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        _print(rep, show_diff)
    if show_diff and rep.unexplained:
        raise typer.Exit(1)


def _print(rep: "Report", show_diff: bool) -> None:
    doc = rep.agreement
    echo = typer.echo
    echo(f"{doc.title} ({'Markdown' if doc.form == 'markdown' else 'OCR'})")
    echo(
        f"Date : {doc.date or '?'} ({doc.date_raw}) — IDCC : {doc.idcc or '?'} "
        f"({doc.idcc_source})" + (f" — en-tête : « {doc.status} »" if doc.status else "")
    )
    echo("Signataires : " + (", ".join(s.name for s in doc.signatories) or "aucun lu"))
    echo(f"{_count(len(doc.articles), 'article')}, {_count(len(doc.annexes), 'annexe')} :")
    for a in doc.articles:
        echo(f"  Art. {a.number} — {a.title}")
    for x in doc.annexes:
        rows = f" ({len(x.table)} certification(s) au tableau)" if x.table else ""
        echo(f"  Annexe {x.number} — {x.title}{rows}")
    if rep.pack_source is None:
        echo(catalogue.text("cli.not_compared", known=_known()).fr)
    echo("Défauts du texte :" + ("" if rep.defects else " aucun trouvé"))
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


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' if n > 1 else ''}"


def _known() -> str:
    """The agreements the rule pack encodes, the only ones `--diff` can compare."""
    from proa.ingest.diff import pack_agreements
    from proa.law import default_pack

    return " ; ".join(pack_agreements(default_pack()))
