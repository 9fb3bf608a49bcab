"""Deadlines that reach people on SQLite and PostgreSQL (issue 13, §4): the coming deadlines
of the cases a user may read, the calendar feed's secret token, e-mail reminders sent once
and only once, with no personal data."""

from __future__ import annotations

import datetime as dt
import threading
from email.message import EmailMessage

import pytest
from sqlalchemy import func, select

from proa import service as s
from proa.service import deadlines, reminders
from proa.service.errors import NotFound
from proa.service.views import ReminderReport
from proa.storage import models as m
from proa.storage.db import Database
from tests.storage.test_lists import case
from tests.storage.test_storage import _cabinet

# The example case: deposit 6 October 2025, OPCO decision 26 October 2025.
TODAY = dt.date(2025, 10, 2)
WEEK = TODAY + dt.timedelta(days=7)


class Outbox:
    """A mailer that keeps what it sends, or refuses while `down`."""

    def __init__(self) -> None:
        self.sent: list[EmailMessage] = []
        self.down = False
        self.lock = threading.Lock()

    def send(self, message: EmailMessage) -> None:
        if self.down:
            raise OSError("serveur injoignable")
        with self.lock:
            self.sent.append(message)


def _send(db: Database, outbox: Outbox, day: dt.date = TODAY) -> ReminderReport:
    return reminders.send_reminders(
        db, outbox, today=day, days=7, sender="proa@cabinet.fr", base_url="https://proa.test/"
    )


def _account(db: Database, role: str, org_id: int, email: str) -> s.Actor:
    user, password = s.create_user(db, None, email, role, org_id)
    return s.actor_for_token(db, s.login(db, user.email, password).token)


def test_coming_deadlines_respect_tenancy_status_and_window(db: Database) -> None:
    actor, cabinet = _cabinet(db)
    mine = s.create_case(db, actor, case("Marie Curie"))
    later = s.create_case(db, actor, case("Paul Langevin", shift=30))  # 5 November
    done = s.create_case(db, actor, case("Pierre Curie"))
    s.set_status(db, actor, done.id, "ready")
    s.set_status(db, actor, done.id, "sent")
    other, _ = _cabinet(db, "Cabinet B")
    s.create_case(db, other, case("Ailleurs"))
    found = deadlines.upcoming(db, actor, TODAY, WEEK)
    # The sent case has met its sending deadline (6 October): only the others' are listed.
    assert found.total == 1
    assert [(d.case_id, d.due_date) for d in found.items] == [(mine.id, dt.date(2025, 10, 6))]
    assert found.items[0].employee_name == "Marie Curie"
    assert "OPCO" in found.items[0].what
    forty = TODAY + dt.timedelta(days=40)
    month = deadlines.upcoming(db, actor, TODAY, forty, limit=3)
    assert (month.total, len(month.items)) == (4, 3)  # the count is exact, the page short
    assert deadlines.upcoming(db, actor, TODAY, forty).items[-1].case_id == later.id
    assert deadlines.upcoming(db, actor, TODAY, WEEK, names=False).items[0].employee_name is None
    # The OPCO sees the sent case only, with the date of its own answer; once it has
    # answered, and a finished case, nothing is left to meet.
    opco = s.create_organisation(db, None, "OPCO EP", "opco")
    s.link_organisations(db, opco.id, cabinet)
    adviser = _account(db, "opco", opco.id, "conseil@opco.fr")
    assert deadlines.upcoming(db, adviser, TODAY, WEEK).total == 0
    answer = deadlines.upcoming(db, adviser, TODAY, forty).items
    assert [(d.case_id, d.due_date) for d in answer] == [(done.id, dt.date(2025, 10, 26))]
    assert answer[0].what.startswith("Décision de l'OPCO")
    s.set_status(db, adviser, done.id, "accepted")
    assert deadlines.upcoming(db, adviser, TODAY, forty).total == 0
    s.set_status(db, actor, done.id, "finished")
    assert deadlines.upcoming(db, actor, TODAY, forty).total == 3


def test_a_calendar_token_opens_one_feed_until_replaced_or_revoked(db: Database) -> None:
    actor, _ = _cabinet(db)
    assert deadlines.alert_settings(db, actor).calendar_since is None
    first = deadlines.new_calendar_token(db, actor)
    assert deadlines.calendar_owner(db, first).user_id == actor.user_id
    assert deadlines.alert_settings(db, actor).calendar_since is not None
    second = deadlines.new_calendar_token(db, actor)
    with pytest.raises(NotFound):
        deadlines.calendar_owner(db, first)  # replaced: the old address stops working
    assert deadlines.calendar_owner(db, second).user_id == actor.user_id
    with db.reading() as session:  # only its hash is stored
        stored = session.scalar(select(m.DeadlineAlert.calendar_token_hash))
    assert stored is not None and second not in stored
    deadlines.revoke_calendar_token(db, actor)
    with pytest.raises(NotFound) as gone:
        deadlines.calendar_owner(db, second)
    assert gone.value.message == "ce lien d'agenda n'existe pas ou a été révoqué"
    third = deadlines.new_calendar_token(db, actor)
    with db.writing() as session:  # a deactivated account's feed closes with it
        user = session.get(m.User, actor.user_id)
        assert user is not None
        user.active = False
    with pytest.raises(NotFound):
        deadlines.calendar_owner(db, third)
    with db.reading() as session:
        actions = list(session.scalars(select(m.AuditEvent.action)))
    assert actions.count("calendar:create") == 3 and actions.count("calendar:revoke") == 1


def test_reminders_go_once_to_those_who_asked_without_personal_data(db: Database) -> None:
    actor, cabinet = _cabinet(db)
    created = s.create_case(db, actor, case("Marie Curie"))
    colleague = _account(db, "employer", cabinet, "collegue@cabinet.fr")
    other, _ = _cabinet(db, "Cabinet B")
    s.create_case(db, other, case("Ailleurs"))
    deadlines.set_email_reminders(db, other, True)
    outbox = Outbox()
    assert _send(db, outbox).messages == 1  # cabinet B's employer: its own case only
    deadlines.set_email_reminders(db, actor, True)
    report = _send(db, outbox)
    assert (report.users, report.messages, report.reminders) == (2, 1, 1)
    mail = outbox.sent[-1]
    assert mail["To"] == actor.email and mail["From"] == "proa@cabinet.fr"
    assert mail["Subject"] == "proa : 1 échéance d'ici le 9 octobre 2025"
    body = mail.get_content()
    assert "6 octobre 2025 (dans 4 jours)" in body
    assert f"Dossier n°{created.id}, Cabinet A : https://proa.test/dossiers/{created.id}" in body
    assert "https://proa.test/echeances" in body
    for personal in ("Marie", "Curie", "1990", "secrétaire"):  # name, birth date, job
        assert personal not in body
    assert colleague.email not in [m["To"] for m in outbox.sent]  # never asked
    assert _send(db, outbox).messages == 0  # never twice
    assert _send(db, outbox, TODAY + dt.timedelta(days=1)).messages == 0
    # The OPCO decision date comes within the window later: reminded then, once.
    later = _send(db, outbox, dt.date(2025, 10, 20))
    assert (later.messages, later.reminders) == (2, 2)
    # A changed date is another deadline: reminded again.
    s.update_case(db, actor, created.id, case("Marie Curie", shift=1))
    assert _send(db, outbox, dt.date(2025, 10, 20)).messages == 1
    deadlines.set_email_reminders(db, actor, False)
    s.update_case(db, actor, created.id, case("Marie Curie", shift=2))
    assert _send(db, outbox, dt.date(2025, 10, 20)).users == 1


def test_a_refused_message_is_sent_by_the_next_run(db: Database) -> None:
    actor, _ = _cabinet(db)
    s.create_case(db, actor, case("Marie Curie"))
    deadlines.set_email_reminders(db, actor, True)
    outbox = Outbox()
    outbox.down = True
    report = _send(db, outbox)
    assert (report.messages, report.failures) == (0, 1)
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(m.SentReminder)) == 0
    outbox.down = False
    assert _send(db, outbox).messages == 1
    assert _send(db, outbox).messages == 0


def test_two_runs_at_once_remind_each_deadline_once(db: Database) -> None:
    actor, _ = _cabinet(db)
    for i in range(3):
        s.create_case(db, actor, case(f"S{i}"))
    deadlines.set_email_reminders(db, actor, True)
    outbox = Outbox()
    errors: list[BaseException] = []

    def run() -> None:
        try:
            _send(db, outbox)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    assert len(outbox.sent) == 1
    assert outbox.sent[0].get_content().count("- 6 octobre 2025") == 3
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(m.SentReminder)) == 3


def test_lead_days_come_from_the_environment() -> None:
    assert reminders.lead_days({}) == 7
    assert reminders.lead_days({"PROA_REMINDER_DAYS": "14"}) == 14
    assert reminders.lead_days({"PROA_REMINDER_DAYS": "0"}) == 7
    assert reminders.lead_days({"PROA_REMINDER_DAYS": "abc"}) == 7
