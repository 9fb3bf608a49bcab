"""Deadlines that reach people (issue 13, §4): the coming deadlines of the user's cases, a
calendar feed to subscribe to in any calendar (a secret address, revocable), and the
choice of e-mail reminders (`proa reminders send` sends them).

The feed and the e-mails carry the case number, the deadline's label and date, the
cabinet and a link: never an employee's name or other personal data, since a calendar or a
mailbox is read outside proa (the page itself, behind the login, shows the names)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from proa import presentation
from proa.core.catalogue import Text, text
from proa.http import check_same_origin
from proa.service import deadlines, reminders
from proa.service.audit import sha256
from proa.service.errors import NotFound
from proa.service.lists import today
from proa.storage.db import Database
from proa.web import ical
from proa.web.i18n import say
from proa.web.routes import SignedIn, error_page, page
from proa.web.store import WebUser

router = APIRouter(include_in_schema=False)
SAME_ORIGIN = [Depends(check_same_origin)]
HORIZONS = {
    "7": Text("7 jours", "7 days"),
    "30": Text("30 jours", "30 days"),
    "90": Text("3 mois", "3 months"),
    "365": Text("un an", "a year"),
}
DEFAULT_HORIZON = "30"
SHOWN = 200  # deadlines on the page at most (the count says how many there are)
FEED_PAST = dt.timedelta(days=90)  # a calendar keeps the recent past
FEED_AHEAD = dt.timedelta(days=730)
FEED_MOST = 5000


def _db(request: Request) -> Database:
    db: Database = request.app.state.database
    return db


def _dashboard(
    request: Request,
    user: WebUser,
    horizon: str,
    *,
    status: int = 200,
    error: str = "",
    new_link: str = "",
    message: str = "",
) -> Response:
    db = _db(request)
    day = today()
    found = None
    if not error:
        end = day + dt.timedelta(days=int(horizon))
        found = deadlines.upcoming(db, user.raw, day, end, limit=SHOWN)
    return page(
        request,
        "echeances.html",
        status_code=status,
        user=user,
        today=day,
        horizon=horizon,
        horizons=HORIZONS,
        found=found,
        error=error,
        settings=deadlines.alert_settings(db, user.raw),
        reminder_days=reminders.lead_days(),
        new_link=new_link,
        message=message,
        several_organisations=user.raw.organisation_kind != "cabinet",
    )


@router.get("/echeances")
def dashboard(
    request: Request, user: SignedIn, jours: str = DEFAULT_HORIZON, fait: str = ""
) -> Response:
    if user.role == "branch":
        return error_page(request, 403, text("http.forbidden"), text("web.branch_reads_no_case"))
    messages = {
        "revoque": text("web.calendar_revoked"),
        "rappels-oui": text("web.reminders_on"),
        "rappels-non": text("web.reminders_off"),
    }
    if jours not in HORIZONS:
        listed = Text(
            ", ".join(f"« {k} »" for k in HORIZONS), ", ".join(f'"{k}"' for k in HORIZONS)
        )
        error = say(request, text("web.unknown_choice", value=jours[:20], allowed=listed))
        return _dashboard(request, user, DEFAULT_HORIZON, status=422, error=error)
    return _dashboard(request, user, jours, message=say(request, messages.get(fait, "")))


@router.post("/echeances/calendrier", dependencies=SAME_ORIGIN)
def new_link(request: Request, user: SignedIn) -> Response:
    """A new secret address (the previous one stops working), shown once on this page."""
    token = deadlines.new_calendar_token(_db(request), user.raw)
    url = str(request.url_for("calendar_feed", token=token))
    return _dashboard(request, user, DEFAULT_HORIZON, new_link=url)


@router.post("/echeances/calendrier/revoquer", dependencies=SAME_ORIGIN)
def revoke_link(request: Request, user: SignedIn) -> Response:
    deadlines.revoke_calendar_token(_db(request), user.raw)
    return RedirectResponse("/echeances?fait=revoque", status_code=303)


@router.post("/echeances/rappels", dependencies=SAME_ORIGIN)
def choose_reminders(
    request: Request, user: SignedIn, actif: Annotated[str, Form()] = ""
) -> Response:
    if actif not in ("oui", "non"):
        error = text(
            "web.unknown_choice", value=actif[:20], allowed=Text("« oui », « non »", '"oui", "non"')
        )
        detail = Text(f"« Rappels » : {error.fr}", f'"Reminders": {error.en}')
        return error_page(request, 422, text("http.invalid_input"), detail)
    deadlines.set_email_reminders(_db(request), user.raw, actif == "oui")
    return RedirectResponse(f"/echeances?fait=rappels-{actif}", status_code=303)


@router.get("/calendrier/{token}.ics", name="calendar_feed")
def calendar_feed(request: Request, token: str) -> Response:
    """The user's deadlines as iCalendar, for a calendar that subscribes (no cookie: the
    secret address is the key)."""
    db = _db(request)
    try:
        actor = deadlines.calendar_owner(db, token)
    except NotFound as exc:
        return error_page(request, 404, "", exc.message.capitalize() + ".")
    day = today()
    found = deadlines.upcoming(
        db, actor, day - FEED_PAST, day + FEED_AHEAD, limit=FEED_MOST, names=False
    )
    base = str(request.base_url).rstrip("/")
    host = request.url.hostname or "proa"
    events = []
    for d in found.items:
        url = f"{base}/dossiers/{d.case_id}"
        status = presentation.CASE_STATUS[d.status].fr
        events.append(
            ical.Event(
                uid=f"proa-{d.case_id}-{sha256(d.what)[:16]}@{host}",
                day=d.due_date,
                summary=f"{d.what} — dossier n°{d.case_id}",
                description=f"Dossier n°{d.case_id} ({d.organisation}), statut : {status}.\n"
                f"{d.what} : {presentation.date(d.due_date)}.\n{url}",
                url=url,
            )
        )
    body = ical.calendar("proa — échéances des dossiers", events, dt.datetime.now(dt.UTC))
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={
            "Content-Disposition": 'inline; filename="echeances.ics"',
            "Cache-Control": "private, no-store",
        },
    )
