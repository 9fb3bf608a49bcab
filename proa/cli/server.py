"""`proa serve` and `proa admin …`: the service and its accounts. Heavy imports stay
inside the commands so that `proa --help` stays fast."""

from __future__ import annotations

from typing import Annotated

import typer

DatabaseOption = Annotated[
    str | None,
    typer.Option(
        "--database", help="URL SQLAlchemy (défaut : PROA_DATABASE_URL, sinon sqlite:///./proa.db)."
    ),
]
DEMO_ORG = "Cabinet de démonstration"
DEMO_ADMIN = "admin@proa.local"

admin = typer.Typer(help="Comptes et journal d'audit.", no_args_is_help=True, rich_markup_mode=None)


def serve(
    host: Annotated[str, typer.Option(help="Adresse d'écoute.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port d'écoute.")] = 8000,
    database: DatabaseOption = None,
) -> None:
    """Démarrer le service (API et application web) ; au premier lancement, créer un
    cabinet de démonstration et un compte administrateur dont le mot de passe s'affiche
    une seule fois."""
    import uvicorn

    from proa.api.app import create_app
    from proa.storage import services
    from proa.storage.db import Database, database_url

    db = Database.open(database)
    with db.session() as session:
        if services.count_users(session) == 0:
            org = services.create_organisation(session, None, DEMO_ORG, "cabinet")
            user, password = services.create_user(session, None, DEMO_ADMIN, "admin", org.id)
            typer.echo(f"Premier lancement : compte administrateur créé pour « {DEMO_ORG} ».")
            typer.echo(f"  Adresse : {user.email}")
            typer.echo(f"  Mot de passe (affiché une seule fois) : {password}")
    typer.echo(f"Base de données : {_safe(database_url(database))}")
    typer.echo(f"Ouvrez http://{host}:{port}/ (API : http://{host}:{port}/docs)", err=False)
    uvicorn.run(
        create_app(database=db), host=host, port=port, log_level="warning", access_log=False
    )


def _safe(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@admin.command("create")
def create(
    email: Annotated[str, typer.Argument(help="Adresse électronique du compte.")],
    org: Annotated[str, typer.Option("--org", help="Organisation (créée si absente).")] = DEMO_ORG,
    role: Annotated[str, typer.Option(help="admin, employer, payroll, opco, branch.")] = "admin",
    kind: Annotated[
        str,
        typer.Option(
            help="Type d'une organisation nouvelle : cabinet, payroll_firm, opco, branch."
        ),
    ] = "cabinet",
    database: DatabaseOption = None,
) -> None:
    """Créer un compte et afficher son mot de passe (une seule fois)."""
    from proa.cli.main import fail
    from proa.core.catalogue import Text
    from proa.storage import services
    from proa.storage.db import Database
    from proa.storage.errors import ServiceError

    db = Database.open(database)
    try:
        with db.session() as session:
            found = services.find_organisation(session, org)
            organisation = found or services.create_organisation(session, None, org, kind)
            user, password = services.create_user(session, None, email, role, organisation.id)
    except ServiceError as exc:
        fail(Text(exc.message, exc.message_en))
    finally:
        db.dispose()
    typer.echo(f"Compte créé : {user.email} ({user.role}, « {organisation.name} »).")
    typer.echo(f"Mot de passe (affiché une seule fois) : {password}")


@admin.command("link")
def link(
    parent: Annotated[str, typer.Argument(help="Cabinet de paie, OPCO ou branche.")],
    cabinet: Annotated[str, typer.Argument(help="Cabinet rattaché.")],
    database: DatabaseOption = None,
) -> None:
    """Rattacher un cabinet à un cabinet de paie (gestion), un OPCO ou une branche (suivi)."""
    from proa.cli.main import fail
    from proa.core.catalogue import Text, text
    from proa.storage import services
    from proa.storage.db import Database
    from proa.storage.errors import ServiceError

    db = Database.open(database)
    try:
        with db.session() as session:
            p, c = (
                services.find_organisation(session, parent),
                services.find_organisation(session, cabinet),
            )
            if p is None or c is None:
                fail(text("cli.organisation_not_found", name=parent if p is None else cabinet))
            services.link_organisations(session, p.id, c.id)
    except ServiceError as exc:
        fail(Text(exc.message, exc.message_en))
    finally:
        db.dispose()
    typer.echo(f"« {cabinet} » est rattaché à « {parent} ».")


@admin.command("verify-audit")
def verify_audit(database: DatabaseOption = None) -> None:
    """Vérifier la chaîne du journal d'audit (sortie 1 si elle est rompue)."""
    from proa.storage import services
    from proa.storage.db import Database

    db = Database.open(database)
    with db.session() as session:
        check = services.verify_audit_chain(session)
    db.dispose()
    if check.ok:
        typer.echo(f"Journal d'audit intègre : {check.events} événements.")
        return
    typer.echo(f"Journal d'audit rompu à l'événement n° {check.first_bad_id}.", err=True)
    raise typer.Exit(1)
