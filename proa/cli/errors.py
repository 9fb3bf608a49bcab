"""How every `proa` command speaks and refuses: a message in French then English
(catalogue entries), exit 2 for malformed input, nothing written. Commands read and write
files and parse dates through here, so that a missing file, a folder, a file that is not
UTF-8 text or an unwritable path read the same way everywhere; `FrenchGroup` does the same
for Typer's own usage errors. Every command module imports from here, never from
`proa.cli.main` (which imports them)."""

from __future__ import annotations

import datetime as dt
import errno
import functools
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

import typer

# Typer's own exception classes (it vendors Click): its public names do not cover them all.
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

from proa.core.catalogue import Text, text


def say(message: Text, err: bool = False) -> None:
    """A message in French, then in English."""
    typer.echo(message.fr, err=err)
    typer.echo(message.en, err=err)


def fail(message: Text, code: int = 2) -> NoReturn:
    """Refuse: French message (English second) on stderr, nothing written; exit 2 for
    malformed input, `code` 1 for a sound request the machine cannot serve (port taken,
    database unreachable)."""
    say(text("cli.error", message=message), err=True)
    raise typer.Exit(code)


def parse_date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(text("query.bad_date", option=option, value=repr(value)))


# The system's own text (strerror) is English: the common cases have their entry.
_REASONS = {
    errno.ENOENT: "os.no_such_file",
    errno.EISDIR: "os.is_a_directory",
    errno.ENOTDIR: "os.not_a_directory",
    errno.EACCES: "os.permission_denied",
    errno.EPERM: "os.not_permitted",
    errno.ENOSPC: "os.no_space",
    errno.EROFS: "os.read_only",
    errno.ENAMETOOLONG: "os.name_too_long",
    errno.ELOOP: "os.symlink_loop",
}


def reason(exc: OSError) -> Text:
    """Why a file operation failed, in both languages, without the system's English text
    (Rust libraries such as Polars only give it as « … (os error 2) »)."""
    code = exc.errno
    if code is None:
        found = re.search(r"\(os error (\d+)\)", str(exc))
        code = int(found[1]) if found else None
    if code in _REASONS:
        return text(_REASONS[code])
    return text("os.other", code=errno.errorcode.get(code or 0, "?"))


def read_text(path: Path, what: str) -> str:
    """A UTF-8 text file's content, or exit 2 saying why it cannot be read (`what`: the
    catalogue entry naming it, « le dossier »…; read only on failure: a good file costs no
    catalogue). A leading byte-order mark is dropped."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        fail(text("cli.unreadable", what=text(what), path=path, reason=reason(exc)))
    try:
        content = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        byte = f"{data[exc.start]:#04x}"
        fail(text("cli.not_utf8", what=text(what), path=path, byte=byte, offset=exc.start))
    if not content.strip():
        fail(text("cli.empty", what=text(what), path=path))
    return content.removeprefix("\ufeff")


def write(path: Path, data: bytes | str) -> None:
    """Write a file, or exit 2 saying why it cannot be written."""
    try:
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_bytes(data)
    except OSError as exc:
        fail(unwritable(path, exc))


def unwritable(path: Path, exc: OSError) -> Text:
    """Why `path` could not be written (a missing file there means a missing folder)."""
    why = reason(exc)
    if why == text("os.no_such_file"):
        why = text("os.no_such_directory", path=path.parent)
    return text("cli.unwritable", path=path, reason=why)


def _usage(exc: UsageError) -> Text:
    """What went wrong on the command line (Typer only says it in English)."""
    param = getattr(exc, "param", None)
    name = ""
    if param is not None:
        name = param.metavar or param.get_error_hint().replace("'", "")
    if isinstance(exc, MissingParameter):
        argument = getattr(param, "param_type_name", "") == "argument"
        return text("usage.missing_argument" if argument else "usage.missing_option", name=name)
    if isinstance(exc, BadParameter):
        return text("usage.bad_value", name=name)
    if isinstance(exc, NoSuchOption):
        return text("usage.unknown_option", option=exc.option_name, close=_close(exc.possibilities))
    if isinstance(exc, BadOptionUsage):
        return text("usage.option_needs_value", option=exc.option_name)
    command = re.match(r"No such command '([^']*)'\.(?: Did you mean (.*)\?)?", exc.message)
    if command:
        close = (command[2] or "").replace("'", "").split(", ")
        return text("usage.unknown_command", command=command[1], close=_close(close))
    extra = re.match(r"Got unexpected extra argument\(s\) \((.*)\)", exc.message)
    if extra:
        return text("usage.extra_arguments", arguments=extra[1])
    return text("usage.incorrect")


def _close(names: Sequence[str] | None) -> Text:
    """« (proches : a, b) » after an unknown name, or nothing."""
    known = ", ".join(sorted(n for n in names or () if n))
    return text("usage.close", names=known) if known else Text("", "")


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
                typer.echo(text("usage.usage", usage=usage).fr, err=True)
            path = exc.ctx.command_path if exc.ctx is not None else self.name or "proa"
            typer.echo(text("usage.help", command=path).fr + "\n", err=True)
            say(text("cli.error", message=_usage(exc)), err=True)
            sys.exit(exc.exit_code)
        except Abort:
            say(text("usage.aborted"), err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)
