"""The `proa` command line. Heavy imports stay inside commands so `proa --help` is fast.
The CLI modules do not postpone annotations (`from __future__ import annotations`): Typer
reads every command's signature at each start, faster from objects than from strings."""

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from proa.cli.errors import FrenchGroup, fail, parse_date, read_text, say, write
from proa.core.catalogue import Text, text

app = typer.Typer(
    name="proa",
    help="Pro-A (avenant n°81, IDCC 1147) et période de reconversion : éligibilité, limites, "
    "financement et sources.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    cls=FrenchGroup,
    # A traceback must never print a case's personal data.
    pretty_exceptions_show_locals=False,
)

CasePath = Annotated[
    Path, typer.Argument(metavar="DOSSIER", help="Dossier au format JSON (docs/contract.md).")
]
AtOption = Annotated[
    str | None,
    typer.Option("--at", help="Appliquer le droit en vigueur à cette date (AAAA-MM-JJ)."),
]


def load_case(path: Path) -> Any:
    """Read and validate a case file; exit 2 with the field named when it is malformed."""
    from proa.core.model import CaseError, parse_case

    content = read_text(path, "cli.what_case")
    try:
        return parse_case(content)
    except CaseError as exc:
        fail(text("cli.invalid_case", path=path, errors=exc.text()))


@app.command()
def check(
    case: CasePath,
    as_json: Annotated[
        bool, typer.Option("--json", help="Sortie JSON (docs/contract.md).")
    ] = False,
    at: AtOption = None,
    english: Annotated[
        bool, typer.Option("--en", help="Ajouter l'anglais sous chaque constat / add English.")
    ] = False,
) -> None:
    """Évaluer un dossier : décision, limites, constats et leurs articles."""
    parsed = load_case(case)
    from proa import CaseError, evaluate

    try:
        result = evaluate(parsed, at=parse_date(at, "--at"), english=english)
    except CaseError as exc:  # a date before the law proa covers
        (error,) = exc.errors
        fail(text("case.field", field="--at", message=Text(error["message"], error["message_en"])))
    if as_json:
        typer.echo(json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=2))
        return
    from proa.cli.report import print_result

    print_result(result)


@app.command()
def questions(case: CasePath) -> None:
    """Lister les questions encore sans réponse, dans l'ordre du questionnaire."""
    parsed = load_case(case)
    from proa import evaluate
    from proa.core.inputs import BY_PATH
    from proa.presentation import answer_format

    result = evaluate(parsed)
    if not result.missing:
        typer.echo("Aucune question : le dossier est complet.")
        return
    for n, path in enumerate(result.missing, 1):
        spec = BY_PATH[path]
        typer.echo(f"{n}. {spec.question}  [{path}]")
        typer.echo(f"   Réponses possibles : {answer_format(spec)}")
        if spec.help:
            typer.echo(f"   {spec.help}")


@app.command()
def explain(
    rule: Annotated[
        str,
        typer.Argument(
            metavar="RÈGLE", help="Nom d'une règle, d'un avertissement ou d'un paramètre."
        ),
    ],
    english: Annotated[
        bool,
        typer.Option("--en", help="Ajouter l'anglais sous la condition / add English."),
    ] = False,
) -> None:
    """Expliquer une règle : ce qu'elle exige, ses paramètres dans le temps, ses sources."""
    from proa.cli.report import print_explanation
    from proa.explain import explain as build

    try:
        page = build(rule)
    except KeyError:
        from proa.explain import names

        fail(text("cli.unknown_rule", rule=rule, known=", ".join(names())))
    print_explanation(page, english=build(rule, lang="en") if english else None)


@app.command()
def params(at: AtOption = None) -> None:
    """Afficher les paramètres en vigueur à une date (aujourd'hui par défaut)."""
    from proa.cli.report import print_parameters

    day = parse_date(at, "--at") or dt.date.today()
    print_parameters(day)


EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "case.json"


@app.command()
def example(
    output: Annotated[
        Path | None,
        typer.Argument(metavar="FICHIER", help="Fichier à écrire (sinon la sortie standard)."),
    ] = None,
) -> None:
    """Écrire un dossier d'exemple valide (Pro-A, CQP Assistant médical)."""
    content = EXAMPLE.read_text(encoding="utf-8")
    if output is None:
        sys.stdout.write(content)
        return
    if output.exists():
        fail(text("cli.exists", path=output))
    write(output, content)
    typer.echo(f"Dossier d'exemple écrit dans {output}.")


@app.command()
def schema(
    which: Annotated[
        str, typer.Argument(metavar="SCHÉMA", help="case, result, certifications ou parameter")
    ] = "case",
) -> None:
    """Exporter un schéma JSON : dossier (case), résultat (result), catalogue des
    certifications (certifications) ou fichier de paramètre (parameter)."""
    from proa.core.model import Case, Result
    from proa.law import schemas

    found = {
        "case": Case.model_json_schema(),
        # What results are when written (their computed keys included).
        "result": Result.model_json_schema(mode="serialization"),
        **schemas(),
    }
    if which not in found:
        fail(text("cli.unknown_schema", which=which, known=", ".join(found)))
    typer.echo(json.dumps(found[which], ensure_ascii=False, indent=2))


@app.command()
def document(
    kind: Annotated[
        str,
        typer.Argument(
            metavar="TYPE", help="avenant, pedagogique, accord-reconversion ou droits-salarie."
        ),
    ],
    case: CasePath,
    output: Annotated[
        Path, typer.Option("-o", "--output", help="Fichier à écrire (.pdf ou .docx).")
    ],
    draft: Annotated[
        bool,
        typer.Option(
            "--draft",
            help="Produire un projet marqué « PROJET — "
            "non conforme » même si le dossier "
            "n'est pas éligible.",
        ),
    ] = False,
    fmt: Annotated[
        str | None,
        typer.Option("--format", help="pdf ou docx (par défaut : l'extension du fichier)."),
    ] = None,
) -> None:
    """Produire un document du dossier (avenant, document pédagogique, accord écrit de la
    période de reconversion, fiche des droits du salarié) en PDF ou DOCX."""
    chosen = (fmt or output.suffix.lstrip(".")).lower()
    if chosen not in ("pdf", "docx"):
        fail(text("cli.unknown_output_format", path=output))
    parsed = load_case(case)
    from proa.documents import KINDS, DocumentRefused, produce

    if kind not in KINDS:
        fail(text("document.unknown_kind", kind=kind, kinds=", ".join(KINDS)))
    try:
        doc = produce(kind, parsed, fmt=chosen, draft=draft)
    except DocumentRefused as exc:
        say(text("cli.refused", message=exc.text), err=True)
        raise typer.Exit(1) from None
    write(output, doc.data)
    if doc.problems:
        typer.echo(
            f"Projet écrit dans {output}, marqué « PROJET — non conforme » "
            f"({len(doc.problems)} point(s) à corriger)."
        )
    else:
        typer.echo(f"Document écrit dans {output}.")


def run() -> None:
    app()


def _register() -> None:
    """Subcommands living in their own modules (each imports nothing heavy at load)."""
    from proa.cli.batch import batch, simulate, synth
    from proa.cli.ingest import ingest
    from proa.cli.server import admin, reminders, serve
    from proa.cli.sources import sources_app

    app.command(name="ingest")(ingest)
    app.command()(batch)
    app.command()(synth)
    app.command()(simulate)
    app.add_typer(sources_app, name="sources")
    app.command()(serve)
    app.add_typer(admin, name="admin")
    app.add_typer(reminders, name="reminders")


_register()
