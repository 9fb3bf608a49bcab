"""E-mail reminders of coming deadlines (issue 13, §4), sent by `proa reminders send` (a cron).

Each user who turned reminders on (`deadline_alerts.email_reminders`) and whose account is
active gets, per run, one message listing the deadlines of the next `days` days of the open
cases they may read (tenancy as everywhere: `proa.service.access`) not yet reminded to them.

Never twice: the reminders of a message are recorded (`sent_reminders`, unique per user,
case, label and date) and committed before the message leaves; if the server refuses it,
they are deleted again so that the next run retries. Two runs at once claim each deadline
once (the unique key; on SQLite, one writer at a time). A run that stops between the commit
and the sending loses those reminders rather than sending them twice.

A message holds the case number, the cabinet, the deadline's label and date and a link:
no employee's name, no health data (a mailbox is read outside proa).
"""

from __future__ import annotations

import datetime as dt
import os
import smtplib
from collections.abc import Mapping
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from proa import presentation
from proa.service.audit import sha256
from proa.service.deadlines import deadlines_of
from proa.service.login import actor_of
from proa.service.mail import Mailer
from proa.service.views import Actor, DeadlineView, ReminderReport
from proa.storage import models as m
from proa.storage.db import Database

DEFAULT_DAYS = 7
MAX_DAYS = 365
PER_MESSAGE = 500  # deadlines in one message at most (the rest goes with the next run)


def lead_days(env: Mapping[str, str] = os.environ) -> int:
    """How many days ahead a deadline is reminded: `PROA_REMINDER_DAYS`, else 7."""
    value = env.get("PROA_REMINDER_DAYS", "")
    if value.isdigit() and 1 <= int(value) <= MAX_DAYS:
        return int(value)
    return DEFAULT_DAYS


def _key(d: DeadlineView) -> tuple[int, str, dt.date]:
    return d.case_id, sha256(d.what), d.due_date


def _claim(db: Database, actor: Actor, today: dt.date, days: int) -> list[DeadlineView]:
    """The deadlines to remind the actor of, recorded as reminded (committed)."""
    end = today + dt.timedelta(days=days)
    try:
        with db.writing() as session:
            found = deadlines_of(session, actor, today, end, limit=PER_MESSAGE, names=False)
            r = m.SentReminder
            sent = {
                (case_id, what_hash, day)
                for case_id, what_hash, day in session.execute(
                    select(r.case_id, r.what_hash, r.due_date).where(
                        r.user_id == actor.user_id, r.due_date >= today, r.due_date <= end
                    )
                )
            }
            due = [d for d in found.items if _key(d) not in sent]
            now = m.utcnow()
            for d in due:
                case_id, what_hash, day = _key(d)
                session.add(
                    m.SentReminder(
                        user_id=actor.user_id,
                        case_id=case_id,
                        what_hash=what_hash,
                        due_date=day,
                        sent_at=now,
                    )
                )
    except IntegrityError:  # another run claimed them meanwhile: it sends them
        return []
    return due


def _release(db: Database, actor: Actor, due: list[DeadlineView]) -> None:
    """Forget reminders that could not be sent (the next run tries again)."""
    with db.writing() as session:
        for d in due:
            case_id, what_hash, day = _key(d)
            session.execute(
                delete(m.SentReminder).where(
                    m.SentReminder.user_id == actor.user_id,
                    m.SentReminder.case_id == case_id,
                    m.SentReminder.what_hash == what_hash,
                    m.SentReminder.due_date == day,
                )
            )


def _when(day: dt.date, today: dt.date) -> str:
    left = (day - today).days
    return "aujourd'hui" if left == 0 else "demain" if left == 1 else f"dans {left} jours"


def message(
    actor: Actor,
    due: list[DeadlineView],
    *,
    today: dt.date,
    days: int,
    sender: str,
    base_url: str,
) -> EmailMessage:
    """The French reminder for `due` (no personal data)."""
    count = len(due)
    last = presentation.date(today + dt.timedelta(days=days))
    plural = "s" if count > 1 else ""
    lines = [
        "Bonjour,",
        "",
        f"Échéance{plural} des {days} prochains jours dans les dossiers que vous suivez sur proa :",
        "",
    ]
    for d in due:
        lines.append(f"- {presentation.date(d.due_date)} ({_when(d.due_date, today)}) : {d.what}")
        where = f"  Dossier n°{d.case_id}, {d.organisation}"
        lines.append(f"{where} : {base_url}/dossiers/{d.case_id}" if base_url else where)
    lines += [
        "",
        "Chaque échéance n'est rappelée qu'une fois. Ce message ne contient aucune donnée "
        "personnelle des salariés : ouvrez le dossier pour la consulter.",
    ]
    if base_url:
        lines.append(f"Pour ne plus recevoir ces rappels : {base_url}/echeances")
    lines += ["", "— proa"]
    mail = EmailMessage()
    mail["Subject"] = f"proa : {count} échéance{plural} d'ici le {last}"
    mail["From"] = sender
    mail["To"] = actor.email
    mail["Date"] = formatdate(localtime=False)
    mail["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    mail.set_content("\n".join(lines))
    return mail


def send_reminders(
    db: Database,
    mailer: Mailer,
    *,
    today: dt.date,
    days: int,
    sender: str,
    base_url: str = "",
) -> ReminderReport:
    """One message per user with deadlines to remind; how many were sent and refused."""
    with db.reading() as session:
        users = session.scalars(
            select(m.User)
            .join(m.DeadlineAlert, m.DeadlineAlert.user_id == m.User.id)
            .where(m.DeadlineAlert.email_reminders, m.User.active)
            .order_by(m.User.id)
        )
        actors = [actor_of(u) for u in users]
    report = ReminderReport(users=len(actors), messages=0, reminders=0, failures=0)
    base = base_url.rstrip("/")
    for actor in actors:
        due = _claim(db, actor, today, days)
        if not due:
            continue
        mail = message(actor, due, today=today, days=days, sender=sender, base_url=base)
        try:
            mailer.send(mail)
        except (smtplib.SMTPException, OSError):
            _release(db, actor, due)
            report.failures += 1
            continue
        report.messages += 1
        report.reminders += len(due)
    return report
