"""Every `proa` command on broken input: a French message first (English second), the right
exit code, nothing written, never a traceback nor the system's English text."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from proa.cli.main import EXAMPLE, app

runner = CliRunner()

# The system's and Typer's own English texts that must not reach a French message.
ENGLISH = ("No such file", "Is a directory", "Traceback", "Permission denied", "Missing ")


def _refused(out: Result, code: int = 2) -> list[str]:
    """The output's lines, after checking the refusal itself."""
    assert out.exit_code == code, out.output
    assert isinstance(out.exception, SystemExit), out.exception  # no exception escaped
    lines = [line for line in out.output.splitlines() if line.startswith("Erreur")]
    assert lines, out.output
    for line in lines:
        assert not any(e in line for e in ENGLISH), line
    english = out.output.index("Error:") if "Error:" in out.output else len(out.output)
    assert out.output.index("Erreur :") < english, "French first"
    return out.output.splitlines()


BROKEN: dict[str, bytes | None] = {
    "absent": None,  # no file at all
    "folder": None,  # a directory
    "empty": b"",
    "blank": b"  \n\t\n",
    "latin1": '{"employee": {"name": "Hélène"}}'.encode("latin-1"),
    "binary": bytes(range(256)) * 4,
    "pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n",
}


def _broken(tmp_path: Path, kind: str) -> Path:
    path = tmp_path / f"{kind}.json"
    if kind == "folder":
        path.mkdir()
    elif BROKEN[kind] is not None:
        path.write_bytes(BROKEN[kind] or b"")
    return path


WHY = {
    "absent": "fichier introuvable",
    "folder": "c'est un répertoire",
    "empty": "est vide",
    "blank": "est vide",
    "latin1": "n'est pas un texte encodé en UTF-8",
    "binary": "n'est pas un texte encodé en UTF-8",
    "pdf": "n'est pas un texte encodé en UTF-8",
}


@pytest.mark.parametrize("kind", BROKEN)
@pytest.mark.parametrize(
    "command",
    [
        ["check"],
        ["check", "--json"],
        ["questions"],
        ["document", "avenant", "-o", "{out}"],
        ["ingest"],
    ],
    ids=lambda c: "-".join(c[:2]) if isinstance(c, list) else c,
)
def test_unreadable_file_is_refused_in_french(
    tmp_path: Path, kind: str, command: list[str]
) -> None:
    path = _broken(tmp_path, kind)
    out_file = tmp_path / "out.pdf"
    args = [a.replace("{out}", str(out_file)) for a in command]
    before = sorted(tmp_path.iterdir())
    lines = _refused(runner.invoke(app, [*args, str(path)]))
    assert WHY[kind] in lines[0]
    assert str(path) in lines[0]
    assert sorted(tmp_path.iterdir()) == before, "nothing written"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{not json", "JSON invalide (ligne 1, colonne 2)"),
        ('{"a": }', "JSON invalide (ligne 1, colonne 7)"),
        ("[1, 2]", "objet JSON attendu"),
        ('"text"', "objet JSON attendu"),
        ("null", "objet JSON attendu"),
        ('{"training_hours": "abc"}', "« training_hours » : nombre attendu"),
        ('{"training_hours": true}', "« training_hours »"),
        ('{"employee": []}', "« employee » : objet JSON attendu"),
        ('{"employer": {"headcount": 1.5}}', "« employer.headcount » : nombre entier attendu"),
        ('{"agreement_date": 20250101}', "« agreement_date »"),
        ("\ufeff{not json", "JSON invalide"),  # a byte-order mark is not the error
    ],
)
def test_malformed_json_names_what_is_wrong(tmp_path: Path, content: str, expected: str) -> None:
    case = tmp_path / "case.json"
    case.write_text(content, encoding="utf-8")
    for command in (["check"], ["questions"]):
        out = runner.invoke(app, [*command, str(case)])
        _refused(out)
        assert expected in out.output


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    case = tmp_path / "case.json"
    case.write_bytes(b"\xef\xbb\xbf" + EXAMPLE.read_bytes())
    assert runner.invoke(app, ["check", str(case)]).exit_code == 0


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["check", str(EXAMPLE), "--at", "2025-13-01"], "« --at » : date invalide"),
        (["check", str(EXAMPLE), "--at", "hier"], "« --at » : date invalide"),
        (["check", str(EXAMPLE), "--at", "2010-01-01"], "« --at » : le droit du 1er janvier 2010"),
        (["check", str(EXAMPLE), "--at", "0001-01-01"], "« --at » : le droit du"),
        (["params", "--at", "2025-02-30"], "« --at » : date invalide"),
        (["explain", "nope"], "règle inconnue"),
        (["schema", "nope"], "schéma inconnu"),
        (["document", "nope", str(EXAMPLE), "-o", "x.pdf"], "type de document inconnu"),
        (["document", "avenant", str(EXAMPLE), "-o", "x.txt"], "format de sortie inconnu"),
        (["example", "/nonexistent-dir/x.json"], "le répertoire /nonexistent-dir n'existe pas"),
        (["document", "avenant", str(EXAMPLE), "-o", "/nonexistent-dir/a.pdf"], "n'existe pas"),
    ],
)
def test_bad_arguments_are_refused_in_french(args: list[str], expected: str) -> None:
    out = runner.invoke(app, args)
    _refused(out)
    assert expected in out.output


def test_example_never_overwrites_a_folder(tmp_path: Path) -> None:
    out = runner.invoke(app, ["example", str(tmp_path)])
    assert "existe déjà" in _refused(out)[0]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["check"], "argument obligatoire manquant : DOSSIER"),
        (["check", "a", "b"], "argument(s) en trop : b"),
        (["chek", "x"], "commande inconnue : chek (proches : check, schema)"),
        (["check", "--jsn", "x"], "option inconnue : --jsn (proches : --en, --json)"),
        (["check", "x", "--at"], "l'option --at attend une valeur"),
        (["document", "avenant", "x"], "option obligatoire manquante : -o / --output"),
        (["serve", "--port", "abc"], "valeur invalide pour --port"),
        (["serve", "--port", "70000"], "valeur invalide pour --port"),
        (["sources", "nope"], "commande inconnue : nope"),
        (["admin", "create"], "argument obligatoire manquant : ADRESSE"),
    ],
)
def test_usage_errors_in_french(args: list[str], expected: str) -> None:
    out = runner.invoke(app, args)
    lines = _refused(out)
    assert f"Erreur : {expected}" in out.output
    assert lines[0].startswith("Usage : proa") or "--at" in args
    assert any(line.startswith("Aide : proa") for line in lines)


@pytest.mark.parametrize(
    ("database", "expected", "code"),
    [
        ("nope", "adresse de base de données illisible", 2),
        ("nope://x", "type de base inconnu", 2),
        ("sqlite:////nonexistent-dir/proa.db", "inaccessible", 1),
        ("{not_a_database}", "ce n'est pas une base proa", 1),
        ("postgresql+psycopg://proa@127.0.0.1:1/proa", "inaccessible", 1),
    ],
)
@pytest.mark.parametrize(
    "command",
    [["admin", "verify-audit"], ["admin", "create", "a@b.fr"], ["admin", "link", "A", "B"]],
)
def test_bad_database_is_refused_in_french(
    tmp_path: Path, database: str, expected: str, code: int, command: list[str]
) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database, just text\n" * 10)
    url = database.replace("{not_a_database}", f"sqlite:///{junk}")
    out = runner.invoke(app, [*command, "--database", url])
    _refused(out, code)
    assert expected in out.output


def test_admin_create_takes_the_roles_kind_and_leaves_nothing_when_it_fails(
    tmp_path: Path,
) -> None:
    from proa import service
    from proa.storage.db import Database

    url = f"sqlite:///{tmp_path / 'comptes.db'}"
    made = runner.invoke(
        app,
        [
            "admin",
            "create",
            "conseil@opco.fr",
            "--role",
            "opco",
            "--org",
            "OPCO",
            "--database",
            url,
        ],
    )
    assert made.exit_code == 0, made.output
    refused = runner.invoke(
        app,
        [
            "admin",
            "create",
            "x@y.fr",
            "--role",
            "opco",
            "--org",
            "Cab",
            "--kind",
            "cabinet",
            "--database",
            url,
        ],
    )
    _refused(refused, 2)
    assert "n'existe pas pour ce type d'organisation" in refused.output
    db = Database.open(url)
    try:
        opco = service.find_organisation(db, "OPCO")
        assert opco is not None and opco.kind == "opco"
        assert service.find_organisation(db, "Cab") is None  # no half-made organisation
    finally:
        db.dispose()


def test_serve_says_in_french_that_the_port_is_taken() -> None:
    import socket

    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        out = runner.invoke(app, ["serve", "--port", str(port), "--database", "sqlite://"])
    assert "port déjà utilisé" in _refused(out, 1)[0]


def test_a_real_process_refuses_a_non_utf8_file_without_traceback(tmp_path: Path) -> None:
    case = tmp_path / "case.json"
    case.write_bytes(BROKEN["latin1"] or b"")
    out = subprocess.run(
        [sys.executable, "-m", "proa.cli", "check", str(case)], capture_output=True, text=True
    )
    assert out.returncode == 2
    assert out.stderr.startswith("Erreur : le dossier")
    assert "Traceback" not in out.stderr and out.stdout == ""
