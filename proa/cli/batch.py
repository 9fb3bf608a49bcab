"""`proa batch`, `proa synth` and `proa simulate`: whole files of cases at once."""

from pathlib import Path
from typing import Annotated

import typer

from proa.cli.errors import fail, parse_date, say, unwritable
from proa.core.catalogue import Text, text

DECISIONS = ("eligible", "ineligible", "incomplete")


def _count(n: int) -> Text:
    from proa.presentation import both, number

    return both(number, n)


def _print_columns() -> None:
    from proa.batch.columns import COLUMNS, DESCRIPTIVE

    typer.echo("Colonnes acceptées (chemin du contrat ou en-tête français) :")
    for c in COLUMNS:
        allowed = f"  [{', '.join(c.choices)}]" if c.choices and c.kind != "object" else ""
        typer.echo(f"  {c.path:42} {c.french}{allowed}")
    typer.echo("Colonnes descriptives (conservées, utilisées par proa simulate) :")
    for path, french in DESCRIPTIVE.items():
        typer.echo(f"  {path:42} {french}")


def batch(
    input_path: Annotated[
        Path | None,
        typer.Argument(
            metavar="INPUT", help="Fichier de dossiers : .parquet, .csv ou .xlsx, un par ligne."
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Fichier de résultats : .parquet, .csv ou .xlsx."),
    ] = None,
    errors: Annotated[
        Path | None,
        typer.Option(
            "--errors", help="Fichier des lignes en erreur (par défaut : SORTIE.erreurs.csv)."
        ),
    ] = None,
    encoding: Annotated[
        str | None,
        typer.Option("--encoding", help="Encodage d'un CSV qui n'est pas en UTF-8."),
    ] = None,
    sheet: Annotated[
        str | None, typer.Option("--sheet", help="Feuille d'un fichier XLSX (la première).")
    ] = None,
    at: Annotated[
        str | None,
        typer.Option("--at", help="Appliquer le droit en vigueur à cette date (AAAA-MM-JJ)."),
    ] = None,
    separator: Annotated[
        str, typer.Option("--separator", help="Séparateur d'une sortie CSV.")
    ] = ",",
    columns: Annotated[
        bool, typer.Option("--columns", help="Lister les colonnes acceptées et quitter.")
    ] = False,
    dask: Annotated[
        str | None,
        typer.Option(
            "--dask",
            help="Calcul réparti (Parquet) : « local » ou l'adresse d'un ordonnanceur Dask "
            "(tcp://hôte:8786) ; la sortie est alors un dossier de fichiers Parquet.",
        ),
    ] = None,
    workers: Annotated[
        int, typer.Option("--workers", min=1, help="Processus du cluster local (--dask local).")
    ] = 2,
) -> None:
    """Évaluer un fichier de dossiers (un par ligne) : régime, décision, limites, règles
    enfreintes et financement par ligne ; les lignes en erreur vont dans un fichier à part.

    Code de sortie : 0 si toutes les lignes sont évaluées, 1 si des lignes sont en erreur
    (les autres sont évaluées), 2 si le fichier est illisible (rien n'est écrit)."""
    if columns:
        _print_columns()
        return
    if input_path is None or output is None:
        fail(text("batch.usage"))
    law_date = parse_date(at, "--at")
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    from proa.batch.read import FileError
    from proa.batch.run import run_batch
    from proa.core.model import CaseError

    console = Console(stderr=True)
    progress = Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        disable=not console.is_terminal,
        transient=True,
    )
    task = progress.add_task("Évaluation", total=None)

    def advance(done: int, total: int) -> None:
        progress.update(task, completed=done, total=total)

    try:
        with progress:
            if dask is not None:
                from proa.batch.distributed import run_distributed

                summary = run_distributed(
                    input_path,
                    output,
                    scheduler=dask,
                    workers=workers,
                    at=law_date,
                    progress=advance,
                )
            else:
                summary = run_batch(
                    input_path,
                    output,
                    errors,
                    encoding=encoding,
                    sheet=sheet,
                    at=law_date,
                    separator=separator,
                    progress=advance,
                )
    except FileError as exc:
        fail(exc.message)
    except CaseError as exc:  # `--at` before the regime of some rows
        fail(exc.text())
    except OSError as exc:
        fail(unwritable(output, exc))
    for note in summary.notes:
        say(note)
    counts = {k: _count(summary.decisions.get(k, 0)) for k in DECISIONS}
    say(
        text(
            "batch.summary",
            rows=_count(summary.rows),
            evaluated=_count(summary.evaluated),
            output=summary.output,
            **counts,
        )
    )
    if summary.rejected:
        rows, cells = _count(summary.rejected), _count(summary.errors)
        say(text("batch.rejected", rows=rows, cells=cells, path=summary.errors_path))
        raise typer.Exit(1)
    say(text("batch.no_error", path=summary.errors_path))


def synth(
    output: Annotated[
        Path, typer.Argument(help="Fichier à écrire : .parquet, .csv ou .xlsx.")
    ] = Path("effectif-synthetique.parquet"),
    rows: Annotated[int, typer.Option("--rows", min=1, help="Nombre de lignes.")] = 10_000,
    seed: Annotated[int, typer.Option("--seed", help="Graine (même graine, même fichier).")] = 81,
    missing_rate: Annotated[
        float,
        typer.Option("--missing-rate", min=0.0, max=1.0, help="Part de réponses laissées vides."),
    ] = 0.02,
) -> None:
    """Écrire un effectif SYNTHÉTIQUE de la branche (aucune personne réelle) : positions 4 à
    16, âges, temps partiels, contrats, tailles de cabinet, les deux régimes selon la date."""
    from proa.batch.read import FileError, file_format
    from proa.batch.run import XLSX_MAX_ROWS
    from proa.batch.synth import workforce

    try:
        fmt = file_format(output)
    except FileError as exc:
        fail(exc.message)
    if fmt == "xlsx" and rows > XLSX_MAX_ROWS:
        fail(text("batch.too_many_rows_xlsx", rows=_count(rows)))
    frame = workforce(rows, seed=seed, missing_rate=missing_rate)
    try:
        if fmt == "parquet":
            frame.write_parquet(output)
        elif fmt == "csv":
            frame.write_csv(output)
        else:
            frame.write_excel(output, worksheet="Effectif synthétique")
    except OSError as exc:
        fail(unwritable(output, exc))
    say(text("batch.synthetic", rows=_count(rows), seed=seed, path=output))


def simulate(
    workforce: Annotated[
        Path, typer.Option("--workforce", help="Effectif : .parquet, .csv ou .xlsx (proa synth).")
    ],
    scenario: Annotated[
        Path,
        typer.Option("--scenario", help="Scénario YAML (exemple : proa/examples/scenario.yaml)."),
    ],
    output: Annotated[
        str, typer.Option("-o", "--output", help="Préfixe des fichiers écrits (.csv et .html).")
    ] = "simulation",
) -> None:
    """Simuler un changement de paramètres sur un effectif : dossiers éligibles, heures de
    formation et frais pris en charge, avant et après, par position, âge et taille de
    cabinet ; tableau dans le terminal, CSV et rapport HTML avec graphiques."""
    from proa.batch.read import FileError
    from proa.batch.report import print_table, write_csv, write_html
    from proa.batch.simulate import load_scenario
    from proa.batch.simulate import simulate as run

    try:
        parsed = load_scenario(scenario)
        sim = run(workforce, parsed)
    except FileError as exc:
        fail(exc.message)
    csv, html = Path(output + ".csv"), Path(output + ".html")
    try:
        write_csv(sim, csv)
        write_html(sim, html)
    except OSError as exc:
        fail(unwritable(html, exc))
    for note in sim.notes:
        say(note)
    print_table(sim)
    say(text("simulate.written", html=html, csv=csv))
