"""`proa reminders send` end to end (issue 13, §4): the SMTP settings from the environment, a
local SMTP server started by the test catches the reminder, a second run sends nothing, a
refused message goes with the next run, a missing setting is a French error."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from proa import service as s
from proa.cli.main import app
from proa.service import deadlines
from proa.storage.db import Database
from tests.conftest import example_case
from tests.smtp_sink import SmtpSink

runner = CliRunner()


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    with SmtpSink() as server:
        yield server


@pytest.fixture
def url(tmp_path: Path) -> Iterator[str]:
    """A database with one cabinet, its employer subscribed, and the example case."""
    address = f"sqlite:///{tmp_path / 'proa.db'}"
    db = Database.open(address)
    org = s.create_organisation(db, None, "Cabinet des Tilleuls", "cabinet")
    user, password = s.create_user(db, None, "marie@tilleuls.fr", "employer", org.id)
    actor = s.actor_for_token(db, s.login(db, user.email, password).token)
    s.create_case(db, actor, example_case())
    deadlines.set_email_reminders(db, actor, True)
    db.dispose()
    yield address


def send(url: str, sink: SmtpSink, *extra: str) -> tuple[int, str]:
    env = {
        "PROA_SMTP_HOST": "127.0.0.1",
        "PROA_SMTP_PORT": str(sink.port),
        "PROA_SMTP_SECURITY": "none",
        "PROA_SMTP_FROM": "proa@cabinet.fr",
        "PROA_PUBLIC_URL": "https://proa.example",
    }
    args = ["reminders", "send", "--database", url, "--date", "2025-10-02", *extra]
    out = runner.invoke(app, args, env=env)
    return out.exit_code, out.output


def test_a_reminder_reaches_the_local_smtp_server_once(url: str, sink: SmtpSink) -> None:
    code, output = send(url, sink)
    assert code == 0, output
    assert "1 courriel(s) envoyé(s), 1 échéance(s), 1 compte(s) abonné(s)" in output
    (mail,) = sink.messages
    assert sink.envelopes == [("proa@cabinet.fr", ["marie@tilleuls.fr"])]
    assert mail["Subject"] == "proa : 1 échéance d'ici le 9 octobre 2025"
    body = mail.get_content()
    assert "6 octobre 2025 (dans 4 jours) : Transmission de l'avenant" in body
    assert "https://proa.example/dossiers/1" in body
    assert "Marie Dupont" not in body
    code, output = send(url, sink)
    assert code == 0 and "0 courriel(s) envoyé(s)" in output
    assert len(sink.messages) == 1  # never twice
    code, _ = send(url, sink, "--days", "30")
    assert code == 0 and len(sink.messages) == 2  # the OPCO's decision date, 26 October
    assert "26 octobre 2025" in sink.messages[1].get_content()


def test_a_refused_message_goes_with_the_next_run(url: str, sink: SmtpSink) -> None:
    sink.refuse = 1
    code, output = send(url, sink)
    assert code == 1
    assert "1 courriel(s) refusé(s) par le serveur" in output
    assert sink.messages == []
    code, _ = send(url, sink)
    assert code == 0 and len(sink.messages) == 1


def test_settings_are_checked_before_anything_is_sent(url: str) -> None:
    out = runner.invoke(app, ["reminders", "send", "--database", url], env={"PROA_SMTP_HOST": ""})
    assert out.exit_code == 2
    assert "réglage d'envoi des courriels absent ou invalide : PROA_SMTP_HOST" in out.output
    out = runner.invoke(
        app,
        ["reminders", "send", "--database", url],
        env={"PROA_SMTP_HOST": "x", "PROA_SMTP_FROM": "a@b", "PROA_SMTP_PORT": "99999"},
    )
    assert out.exit_code == 2 and "PROA_SMTP_PORT (« 99999 »)" in out.output
