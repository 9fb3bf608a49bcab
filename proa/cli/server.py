"""`proa serve` and `proa admin …`: the service and its accounts. Heavy imports stay
inside the commands so that `proa --help` stays fast."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer

from proa.cli.errors import fail
from proa.core.catalogue import Text, text

if TYPE_CHECKING:
    from proa.storage.db import Database

DatabaseOption = Annotated[
    str | None,
    typer.Option(
        "--database", help="URL SQLAlchemy (défaut : PROA_DATABASE_URL, sinon sqlite:///./proa.db)."
    ),
]
DEMO_ORG = "Cabinet de démonstration"
DEMO_ADMIN = "admin@proa.local"
GRACE_SECONDS = 5  # on SIGTERM, how long requests in progress may take to finish

admin = typer.Typer(help="Comptes et journal d'audit.", no_args_is_help=True, rich_markup_mode=None)


def serve(
    host: Annotated[str, typer.Option(help="Adresse d'écoute.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port d'écoute.")] = 8000,
    database: DatabaseOption = None,
    trusted_proxy: Annotated[
        list[str] | None,
        typer.Option(
            "--trusted-proxy",
            envvar="PROA_TRUSTED_PROXIES",
            help="Adresse d'un mandataire inverse (proxy) dont les en-têtes X-Forwarded-For "
            "et X-Forwarded-Proto sont crus (répétable) ; sans elle, aucun ne l'est.",
        ),
    ] = None,
) -> None:
    """Démarrer le service (API et application web) ; au premier lancement, créer un
    cabinet de démonstration et un compte administrateur dont le mot de passe s'affiche
    une seule fois. SIGTERM : plus de nouvelle connexion, les requêtes en cours finissent
    (5 s au plus), puis arrêt."""
    import socket

    import uvicorn

    from proa.app import create_app
    from proa.service import accounts, verdicts
    from proa.storage.db import database_url

    try:  # say it in French before uvicorn says it in English
        socket.create_server((host, port)).close()
    except OSError:
        fail(text("cli.port_taken", host=host, port=port), code=1)
    with _database(database) as db:
        first = accounts.create_first_admin(db, DEMO_ORG, DEMO_ADMIN)
        if first is not None:
            _, user, password = first
            typer.echo(f"Premier lancement : compte administrateur créé pour « {DEMO_ORG} ».")
            typer.echo(f"  Adresse : {user.email}")
            typer.echo(f"  Mot de passe (affiché une seule fois) : {password}")
        verdicts.refresh(db)
        typer.echo(f"Base de données : {_safe(database_url(database))}")
        typer.echo(f"Ouvrez http://{host}:{port}/ (API : http://{host}:{port}/docs)")
        proxies = [p for value in trusted_proxy or [] for p in value.split(",") if p.strip()]
        uvicorn.run(
            create_app(database=db),
            host=host,
            port=port,
            log_level="warning",
            access_log=False,
            # The client address (login limit) and the scheme (HSTS, Secure cookie) come
            # from forwarded headers only when a trusted proxy sent them.
            proxy_headers=bool(proxies),
            forwarded_allow_ips=",".join(p.strip() for p in proxies) or None,
            timeout_graceful_shutdown=GRACE_SECONDS,
            server_header=False,  # no software name or version to whoever asks
        )


def _safe(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _cause(exc: Exception) -> Text:
    """The driver's own words, in the English message only (without SQLAlchemy's link)."""
    return Text(".", f": {str(getattr(exc, 'orig', None) or exc).strip()}")


@contextmanager
def _database(url: str | None) -> Iterator["Database"]:
    """The database, migrated; a bad address, an unreachable server or a file that is not a
    proa database is a French message, never a traceback."""
    from sqlalchemy.exc import ArgumentError, SQLAlchemyError

    from proa.service.errors import ServiceError
    from proa.storage.db import Database, database_url

    try:
        where = _safe(database_url(url))
    except ArgumentError:
        fail(text("cli.database_url"))
    try:
        db = Database.open(url)
    except ArgumentError:  # unknown dialect or driver
        fail(text("cli.database_kind", url=where))
    except SQLAlchemyError as exc:
        fail(text("cli.database_unreachable", url=where, cause=_cause(exc)), code=1)
    except ValueError as exc:  # a setting read from the environment
        fail(Text(str(exc), str(exc)))
    try:
        yield db
    except ServiceError as exc:
        fail(exc.text)
    except SQLAlchemyError as exc:
        fail(text("cli.database_error", url=where, cause=_cause(exc)), code=1)
    finally:
        db.dispose()


@admin.command("create")
def create(
    email: Annotated[
        str, typer.Argument(metavar="ADRESSE", help="Adresse électronique du compte.")
    ],
    org: Annotated[str, typer.Option("--org", help="Organisation (créée si absente).")] = DEMO_ORG,
    role: Annotated[str, typer.Option(help="admin, employer, payroll, opco, branch.")] = "admin",
    kind: Annotated[
        str | None,
        typer.Option(
            help="Type d'une organisation nouvelle : cabinet, payroll_firm, opco, branch "
            "(par défaut, celui du rôle : opco pour opco, payroll_firm pour payroll…)."
        ),
    ] = None,
    database: DatabaseOption = None,
) -> None:
    """Créer un compte et afficher son mot de passe (une seule fois)."""
    from proa import service

    with _database(database) as db:
        found = service.find_organisation(db, org)
        if found is None:
            # Checked before anything is written: a failed creation leaves no organisation.
            kind = service.check_role_fits(role, kind or service.kind_for_role(role))
        organisation = found or service.create_organisation(db, None, org, kind or "cabinet")
        user, password = service.create_user(db, None, email, role, organisation.id)
    typer.echo(f"Compte créé : {user.email} ({user.role}, « {organisation.name} »).")
    typer.echo(f"Mot de passe (affiché une seule fois) : {password}")


@admin.command("link")
def link(
    parent: Annotated[
        str, typer.Argument(metavar="ORGANISATION", help="Cabinet de paie, OPCO ou branche.")
    ],
    cabinet: Annotated[str, typer.Argument(metavar="CABINET", help="Cabinet rattaché.")],
    database: DatabaseOption = None,
) -> None:
    """Rattacher un cabinet à un cabinet de paie (gestion), un OPCO ou une branche (suivi)."""
    from proa import service

    with _database(database) as db:
        p = service.find_organisation(db, parent)
        c = service.find_organisation(db, cabinet)
        if p is None or c is None:
            fail(text("cli.organisation_not_found", name=parent if p is None else cabinet))
        service.link_organisations(db, p.id, c.id)
    typer.echo(f"« {cabinet} » est rattaché à « {parent} ».")


@admin.command("verify-audit")
def verify_audit(database: DatabaseOption = None) -> None:
    """Vérifier la chaîne du journal d'audit (sortie 1 si elle est rompue)."""
    from proa import service

    with _database(database) as db:
        check = service.verify_audit_chain(db)
    if check.ok:
        typer.echo(f"Journal d'audit intègre : {check.events} événements.")
        return
    typer.echo(f"Journal d'audit rompu à l'événement n° {check.first_bad_id}.", err=True)
    raise typer.Exit(1)


reminders = typer.Typer(
    help="Rappels des échéances par courriel (à lancer chaque jour, par cron).",
    no_args_is_help=True,
    rich_markup_mode=None,
)


@reminders.command("send")
def send_reminders(
    days: Annotated[
        int | None,
        typer.Option(
            "--days",
            min=1,
            max=365,
            help="Rappeler les échéances de ce nombre de jours (défaut : PROA_REMINDER_DAYS, "
            "sinon 7).",
        ),
    ] = None,
    day: Annotated[
        str | None,
        typer.Option(
            "--date", help="Jour de l'envoi, AAAA-MM-JJ (défaut : aujourd'hui, en France)."
        ),
    ] = None,
    base_url: Annotated[
        str,
        typer.Option(
            "--base-url",
            envvar="PROA_PUBLIC_URL",
            help="Adresse publique du service (https://…), pour les liens des courriels.",
        ),
    ] = "",
    database: DatabaseOption = None,
) -> None:
    """Envoyer à chaque compte abonné les échéances à venir de ses dossiers, une seule fois
    chacune ; serveur SMTP : PROA_SMTP_HOST, PROA_SMTP_PORT, PROA_SMTP_SECURITY,
    PROA_SMTP_USER, PROA_SMTP_PASSWORD, PROA_SMTP_FROM (docs/api.md). Sortie 1 si un
    courriel a été refusé (ses échéances repartent au prochain envoi)."""
    import os

    from proa.cli.errors import parse_date
    from proa.service import lists, verdicts
    from proa.service import reminders as service
    from proa.service.errors import ServiceError
    from proa.service.mail import SmtpMailer, SmtpSettings

    on = parse_date(day, "--date") or lists.today()
    try:
        settings = SmtpSettings.from_env(os.environ)
    except ServiceError as exc:
        fail(exc.text)
    lead = days or service.lead_days()
    with _database(database) as db:
        verdicts.refresh(db)  # deadlines judged by the rule pack in force
        mailer = SmtpMailer(settings)
        try:
            report = service.send_reminders(
                db, mailer, today=on, days=lead, sender=settings.sender, base_url=base_url
            )
        finally:
            mailer.close()
    typer.echo(
        f"Rappels du {on.isoformat()} ({lead} jours) : {report.messages} courriel(s) envoyé(s), "
        f"{report.reminders} échéance(s), {report.users} compte(s) abonné(s)."
    )
    if report.failures:
        typer.echo(
            f"{report.failures} courriel(s) refusé(s) par le serveur : leurs échéances "
            "repartiront au prochain envoi.",
            err=True,
        )
        raise typer.Exit(1)
