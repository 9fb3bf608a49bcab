"""How every `proa` command refuses bad input: a French message (English second) on stderr,
exit 2, nothing written. Commands read and write files through here so that a missing file,
a folder, a file that is not UTF-8 text or an unwritable path all read the same way."""

from __future__ import annotations

import errno
import functools
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

import typer

# Typer's own exception classes (it vendors Click): public names do not cover them all.
from typer._click.exceptions import (
    BadOptionUsage,
    BadParameter,
    MissingParameter,
    NoArgsIsHelpError,
    NoSuchOption,
    UsageError,
)
from typer.core import TyperGroup
from typer.exceptions import Abort


def fail(message: str, english: str = "", code: int = 2) -> NoReturn:
    """French message (English second) on stderr, nothing written; exit 2 for malformed
    input, `code` 1 for a sound request the machine cannot serve (port taken, database
    unreachable)."""
    typer.echo(f"Erreur : {message}", err=True)
    if english:
        typer.echo(f"Error: {english}", err=True)
    raise typer.Exit(code)


# The system's own text (strerror) is English: say the common cases in French.
_REASONS = {
    errno.ENOENT: ("fichier introuvable", "no such file"),
    errno.EISDIR: ("c'est un répertoire, pas un fichier", "is a directory"),
    errno.ENOTDIR: ("un élément du chemin n'est pas un répertoire", "not a directory"),
    errno.EACCES: ("accès refusé", "permission denied"),
    errno.EPERM: ("opération non permise", "operation not permitted"),
    errno.ENOSPC: ("plus de place sur le disque", "no space left on device"),
    errno.EROFS: ("système de fichiers en lecture seule", "read-only file system"),
    errno.ENAMETOOLONG: ("nom de fichier trop long", "file name too long"),
    errno.ELOOP: ("trop de liens symboliques", "too many symbolic links"),
}


def reason(exc: OSError) -> tuple[str, str]:
    """French and English reason for a system error, without the system's English text."""
    if exc.errno in _REASONS:
        return _REASONS[exc.errno]
    code = errno.errorcode.get(exc.errno or 0, "inconnue")
    return f"erreur système {code}", f"system error {code}"


def read_text(path: Path, what: str, what_en: str) -> str:
    """A UTF-8 text file's content, or exit 2 saying why it cannot be read (`what`: « le
    dossier », « le texte de l'accord »…, `what_en` the same in English)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        fr, en = reason(exc)
        fail(f"impossible de lire {what} {path} : {fr}.", f"cannot read {what_en} {path}: {en}.")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        fail(
            f"{what} {path} n'est pas un texte encodé en UTF-8 (octet {data[exc.start]:#04x} "
            f"à la position {exc.start}) : l'enregistrer en UTF-8, par exemple avec "
            f"« iconv -f latin1 -t utf-8 ».",
            f"{path} is not UTF-8 text (byte {data[exc.start]:#04x} at offset {exc.start}).",
        )
    if not text.strip():
        fail(f"{what} {path} est vide.", f"{what_en} {path} is empty.")
    return text.removeprefix("\ufeff")


def write(path: Path, data: bytes | str) -> None:
    """Write a file, or exit 2 saying why it cannot be written."""
    try:
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_bytes(data)
    except OSError as exc:
        fr, en = reason(exc)
        if exc.errno == errno.ENOENT:
            fr, en = f"le répertoire {path.parent} n'existe pas", "no such directory"
        fail(f"impossible d'écrire {path} : {fr}.", f"cannot write {path}: {en}.")


def _usage_french(exc: UsageError) -> str:
    """What went wrong on the command line, in French (Typer only speaks English)."""
    param = getattr(exc, "param", None)
    name = ""
    if param is not None:
        name = param.metavar or param.get_error_hint().replace("'", "")
    if isinstance(exc, MissingParameter):
        if getattr(param, "param_type_name", "") == "argument":
            return f"argument obligatoire manquant : {name}"
        return f"option obligatoire manquante : {name}"
    if isinstance(exc, BadParameter):
        return f"valeur invalide pour {name}"
    if isinstance(exc, NoSuchOption):
        close = ", ".join(sorted(exc.possibilities or ()))
        return f"option inconnue : {exc.option_name}" + (
            f" (options proches : {close})" * bool(close)
        )
    if isinstance(exc, BadOptionUsage):
        return f"l'option {exc.option_name} attend une valeur"
    command = re.match(r"No such command '([^']*)'\.(?: Did you mean (.*)\?)?", exc.message)
    if command:
        close = (command[2] or "").replace("'", "")
        return f"commande inconnue : {command[1]}" + (close and f" (commandes proches : {close})")
    extra = re.match(r"Got unexpected extra argument\(s\) \((.*)\)", exc.message)
    if extra:
        return f"argument(s) en trop : {extra[1]}"
    return "ligne de commande incorrecte"


class FrenchGroup(TyperGroup):
    """The `proa` command group: usage errors in French (English second), exit 2."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        run = functools.partial(
            super().main, args, prog_name, complete_var, False, windows_expand_args, **extra
        )
        if not standalone_mode:
            return run()
        try:
            code = run()
        except NoArgsIsHelpError as exc:
            typer.echo(exc.format_message(), err=True)
            sys.exit(exc.exit_code)
        except UsageError as exc:
            if exc.ctx is not None:
                usage = exc.ctx.get_usage().removeprefix("Usage:").strip()
                typer.echo(f"Usage : {usage}", err=True)
            path = exc.ctx.command_path if exc.ctx is not None else self.name or "proa"
            typer.echo(f"Aide : {path} --help\n", err=True)
            typer.echo(f"Erreur : {_usage_french(exc)}.", err=True)
            typer.echo(f"Error: {exc.format_message()}", err=True)
            sys.exit(exc.exit_code)
        except Abort:
            typer.echo("Interrompu.", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)
