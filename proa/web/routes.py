"""The French web app's pages (HTML, server-rendered; the script only enhances).

Every decision comes from `proa.evaluate`, every rule page from `proa.explain`; this
module only turns them into pages.
"""

from __future__ import annotations

import datetime as dt
import importlib
from functools import cache, partial
from typing import Annotated, Any
from urllib.parse import quote, urlsplit

import jinja2
from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from proa import Result, presentation
from proa.core import french
from proa.core.catalogue import Text, text
from proa.explain import RulePage, explain, names
from proa.http import (
    COOKIE,
    check_same_origin,
    clear_session_cookie,
    client_address,
    set_session_cookie,
)
from proa.law import default_pack
from proa.presentation import Lang
from proa.service.attachments import KINDS as ATTACHMENT_KINDS
from proa.service.lists import is_met
from proa.web import TEMPLATES, i18n, questionnaire
from proa.web.store import CaseRow, Store, StoreError, WebUser

router = APIRouter(include_in_schema=False)
# One loader for both languages (each environment compiles and caches its own templates).
_LOADER = jinja2.FileSystemLoader(TEMPLATES)


def environment(lang: Lang) -> jinja2.Environment:
    """The templates in `lang`: its gettext catalogue, and every format and label bound to
    it. Every label and format comes from `proa.presentation`, as in the other doors."""
    env = jinja2.Environment(
        loader=_LOADER,
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(i18n.translations(lang), newstyle=True)  # type: ignore[attr-defined]
    date = partial(presentation.date, lang=lang)
    env.filters.update(
        date=date,
        date_fr=date,
        number=partial(presentation.number, lang=lang),
        euros=partial(presentation.euros, lang=lang),
        hours=partial(presentation.hours, lang=lang),
        months=partial(presentation.months, lang=lang),
        value=partial(presentation.value, lang=lang),
        typo=french.typography if lang == "fr" else str,
        rule_message=partial(presentation.rule_message, lang=lang),
        label=lambda words: presentation.capital(i18n.side(words, lang)),
        say=partial(i18n.side, lang=lang),
    )
    env.globals.update(
        lang=lang,
        DECISIONS=presentation.DECISIONS,
        DECISION_SUMMARIES=presentation.DECISION_SUMMARIES,
        FINDING_STATUS=presentation.FINDING_STATUS,
        STATUS_MARKS=presentation.STATUS_MARKS,
        REGIMES=presentation.REGIMES,
        CASE_STATUS=presentation.CASE_STATUS,
        KINDS=presentation.PAGE_KINDS,
        LAYERS=presentation.LAYERS,
        limit_blank=presentation.limit_blank,
        pay_amounts=presentation.pay_amounts,
        deadline_met=is_met,
        OPCO_ACTIONS={
            "accepted": Text("Accepter le dossier", "Accept the case"),
            "refused": Text("Refuser le dossier", "Refuse the case"),
        },
    )
    return env


# One set of templates per language, sharing their files; `page` picks the request's.
TEMPLATES_BY_LANG: dict[Lang, Jinja2Templates] = {
    lang: Jinja2Templates(env=environment(lang)) for lang in i18n.LANGS
}
templates = TEMPLATES_BY_LANG["fr"]


def _here(request: Request) -> str:
    """The page to come back to after switching language: this address for a GET, else
    the local page the form was sent from."""
    if request.method == "GET":
        url = request.url
    else:
        url = urlsplit(request.headers.get("referer", ""))  # type: ignore[assignment]
        if url.netloc != request.url.netloc:
            return "/"
    return url.path + (f"?{url.query}" if url.query else "")


def page(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("user", None)
    lang = i18n.language(request)
    context.setdefault(
        "switch_url",
        f"/langue?choix={'fr' if lang == 'en' else 'en'}&suite=" + quote(_here(request), safe=""),
    )
    response = TEMPLATES_BY_LANG[lang].TemplateResponse(
        request, name, context, status_code=status_code
    )
    response.headers["Content-Language"] = lang
    # Without the cookie, the browser's language chose the words: caches must know.
    response.headers.add_vary_header("Accept-Language")
    return response


def not_found(request: Request, what: Text | str, **context: Any) -> HTMLResponse:
    return page(
        request, "introuvable.html", status_code=404, what=i18n.say(request, what), **context
    )


def error_page(
    request: Request,
    status: int,
    title: Text | str,
    detail: Text | str,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    """A refusal as a page in the request's language, with its status (`proa.refusals`)."""
    if status == 404:
        response = not_found(request, detail)
    else:
        response = page(
            request,
            "erreur.html",
            status_code=status,
            title=i18n.say(request, title),
            detail=i18n.say(request, detail),
        )
    response.headers.update(headers or {})
    return response


# --- accounts --------------------------------------------------------------------------------


def get_store(request: Request) -> Store:
    """The storage behind the pages (overridable in tests)."""
    from proa.web.services_store import ServiceStore

    return ServiceStore.for_app(request.app)


StoreDep = Annotated[Store, Depends(get_store)]


def current_user(request: Request, store: Store) -> WebUser | None:
    token = request.cookies.get(COOKIE)
    return store.user(token) if token else None


class SignInFirst(Exception):
    """A page for signed-in users asked without a session (`proa.app` answers it with the
    login page, which comes back here after)."""


def signed_in(request: Request, store: StoreDep) -> WebUser:
    user = current_user(request, store)
    if user is None:
        raise SignInFirst
    return user


SignedIn = Annotated[WebUser, Depends(signed_in)]


def sign_in_first(request: Request, _: Exception) -> Response:
    return _to_login(request)


@cache
def _rule_names() -> frozenset[str]:
    return frozenset(names())


@router.get("/")
def home() -> Response:
    return RedirectResponse("/dossiers", status_code=303)


def _in_language(found: RulePage, lang: Lang) -> RulePage:
    """A rule's page with its title, messages and parameters' descriptions in `lang`: the
    rule pack's English (`proa/law/messages.en.yaml`); its sources stay as the law writes
    them (its conditions come in English from `explain(..., lang="en")`)."""
    if lang == "fr":
        return found
    english = default_pack().english
    words = english.rules.get(found.name) or english.notices.get(found.name)
    update: dict[str, Any] = {
        key: getattr(words, key)
        for key in ("title", "ok", "violation", "message")
        if words and getattr(found, key) and getattr(words, key)
    }
    if found.kind == "parameter":
        update["title"] = english.parameters.get(found.name, found.title)
    update["parameters"] = [
        p.model_copy(update={"description": english.parameters.get(p.name, p.description)})
        for p in found.parameters
    ]
    return found.model_copy(update=update)


@router.get("/regles")
def rules(request: Request, store: StoreDep) -> HTMLResponse:
    lang = i18n.language(request)
    return page(
        request,
        "regles.html",
        user=current_user(request, store),
        pages=[_in_language(explain(n, lang=lang), lang) for n in names()],
    )


@router.get("/regles/{name}")
def rule(request: Request, store: StoreDep, name: str) -> HTMLResponse:
    lang = i18n.language(request)
    try:
        found = explain(name, lang=lang)
    except KeyError:
        return not_found(
            request,
            text("web.rule_not_found", name=name),
            user=current_user(request, store),
            back_url="/regles",
            back_label=i18n.say(request, text("web.all_rules")),
        )
    return page(
        request,
        "regle.html",
        user=current_user(request, store),
        rule=_in_language(found, lang),
    )


@router.get("/parametres")
def parameters(request: Request, store: StoreDep, date: str = "") -> HTMLResponse:
    error = ""
    day = dt.date.today()
    if date:
        try:
            day = dt.date.fromisoformat(date)
        except ValueError:
            error = i18n.say(request, text("query.bad_date", option="Date", value=date))
    rows = presentation.parameters_in_force(day)
    if i18n.language(request) == "en":
        english = default_pack().english.parameters
        rows = [r.model_copy(update={"description": english[r.name]}) for r in rows]
    return page(
        request,
        "parametres.html",
        status_code=422 if error else 200,
        rows=rows,
        day=day,
        error=error,
        user=current_user(request, store),
    )


def _to_login(request: Request) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/connexion?suite={quote(target)}", status_code=303)


def _safe_next(target: str) -> str:
    """Only a local path (no open redirect to another site)."""
    return target if target.startswith("/") and not target.startswith("//") else "/dossiers"


@router.get("/connexion")
def login_form(
    request: Request, store: StoreDep, suite: str = "/dossiers", deconnecte: str = ""
) -> Response:
    if current_user(request, store):
        return RedirectResponse(_safe_next(suite), status_code=303)
    return page(
        request,
        "connexion.html",
        next_url=_safe_next(suite),
        email="",
        error="",
        message=i18n.say(request, text("web.logged_out")) if deconnecte else "",
    )


@router.post("/connexion", dependencies=[Depends(check_same_origin)])
def login(
    request: Request,
    store: StoreDep,
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    suite: Annotated[str, Form()] = "/dossiers",
) -> Response:
    try:
        token = store.login(email.strip(), password, client_address(request))
    except StoreError as exc:
        return page(
            request,
            "connexion.html",
            status_code=429,
            next_url=_safe_next(suite),
            email=email,
            error=i18n.say(request, exc.text),
            message="",
        )
    if token is None:
        return page(
            request,
            "connexion.html",
            status_code=401,
            next_url=_safe_next(suite),
            email=email,
            message="",
            error=presentation.sentence(i18n.say(request, text("service.wrong_login"))),
        )
    response = RedirectResponse(_safe_next(suite), status_code=303)
    set_session_cookie(request, response, token)
    return response


@router.post("/deconnexion", dependencies=[Depends(check_same_origin)])
def logout(request: Request, store: StoreDep) -> Response:
    token = request.cookies.get(COOKIE)
    if token:
        store.logout(token)
    response = RedirectResponse("/connexion?deconnecte=1", status_code=303)
    clear_session_cookie(response)
    return response


@router.get("/langue")
def choose_language(request: Request, choix: str = "", suite: str = "/") -> Response:
    """The header's switch: remember the language chosen and come back to the same page."""
    response = RedirectResponse(_safe_next(suite), status_code=303)
    if choix in i18n.LANGS:
        response.set_cookie(
            i18n.COOKIE,
            choix,
            max_age=i18n.COOKIE_AGE,
            samesite="lax",
            secure=request.url.scheme == "https",
            path="/",
        )
    return response


# --- cases -----------------------------------------------------------------------------------


def _form(form: Any) -> dict[str, str]:
    return {k: v for k, v in form.items() if isinstance(v, str)}


# The kinds of attachment (`proa.service.attachments.KINDS`), named in both languages.
_ATTACHMENTS_EN = {
    "avenant-signe": "Signed avenant",
    "decision-opco": "The OPCO's decision",
    "autre": "Other document",
}
ATTACHMENT_LABELS = {k: Text(v, _ATTACHMENTS_EN[k]) for k, v in ATTACHMENT_KINDS.items()}
_OTHER_LABELS = {
    "statut": Text("Statut", "Status"),
    "dossier": Text("Dossier", "Case"),
    "cabinet": Text("Cabinet du dossier", "The case's cabinet"),
}


def _errors_context(errors: dict[str, Text]) -> dict[str, Any]:
    return {
        "errors": errors,
        "field_labels": {**questionnaire.LABELS, **_OTHER_LABELS},
        "field_ids": {p: questionnaire.field_id(p) for p in errors},
    }


def _may_not_create(request: Request, user: WebUser) -> HTMLResponse | None:
    """The refusal page for a role that does not create cases (OPCO, employee, branch)."""
    if user.writes_cases:
        return None
    return page(
        request,
        "erreur.html",
        status_code=403,
        user=user,
        title=i18n.say(request, text("web.creation_for_cabinet")),
        detail=i18n.say(request, text("web.creation_for_cabinet_detail")),
    )


@router.get("/dossiers/nouveau")
def new_case_form(request: Request, user: SignedIn, store: StoreDep) -> Response:
    if refused := _may_not_create(request, user):
        return refused
    return page(
        request,
        "dossier_nouveau.html",
        user=user,
        parties=questionnaire.parties({})[:1],
        cabinets=store.cabinets(user),
        cabinet="",
        **_errors_context({}),
    )


@router.post("/dossiers/nouveau", dependencies=[Depends(check_same_origin)])
async def new_case(request: Request, user: SignedIn, store: StoreDep) -> Response:
    if refused := _may_not_create(request, user):
        return refused
    form = _form(await request.form())
    payload = questionnaire.apply_answers({}, form)
    checked = questionnaire.assess(payload)
    errors = dict(checked.errors)
    # A payroll firm says which client cabinet the case belongs to.
    cabinets = store.cabinets(user)
    chosen = form.get("cabinet", "")
    organisation_id = next((i for i, _ in cabinets if str(i) == chosen), None)
    if organisation_id is None and len(cabinets) == 1:
        organisation_id = cabinets[0][0]
    if organisation_id is None:
        errors["cabinet"] = text("web.choose_cabinet" if cabinets else "web.no_client_cabinet")
    if errors:
        return page(
            request,
            "dossier_nouveau.html",
            status_code=422,
            user=user,
            parties=questionnaire.parties({}, form, errors)[:1],
            cabinets=cabinets,
            cabinet=chosen,
            **_errors_context(errors),
        )
    try:
        case_id = store.create(user, payload, organisation_id)
    except StoreError as exc:
        return error_page(request, exc.status, text("web.case_not_created"), exc.text)
    return RedirectResponse(f"/dossiers/{case_id}", status_code=303)


def refused(request: Request, user: WebUser, status: int, title: Text, words: Text) -> HTMLResponse:
    """A refusal as a page in the request's language with its status, the user still signed
    in (a change typed by hand that the user's role may not make: 403)."""
    detail = presentation.sentence(i18n.say(request, words))
    if status == 404:
        return error_page(request, 404, title, detail)
    return page(
        request,
        "erreur.html",
        status_code=status,
        user=user,
        title=i18n.say(request, title),
        detail=detail,
    )


def _case_or_404(
    request: Request, store: Store, user: WebUser, case_id: int
) -> CaseRow | HTMLResponse:
    row = store.case(user, case_id)
    if row is None:
        return not_found(
            request,
            text("web.case_not_found", case_id=case_id),
            user=user,
            back_url="/dossiers",
            back_label=i18n.say(request, text("web.back_to_list")),
        )
    return row


def _documents(result: Result | None) -> list[dict[str, str]] | None:
    """The documents of this case's regime; None when the server cannot render documents."""
    try:
        documents = importlib.import_module("proa.documents")
    except ImportError:
        return None
    regime = result.regime if result else None
    return [
        {"kind": slug, "title": kind.title}
        for slug, kind in documents.KINDS.items()
        if regime in kind.regimes
    ]


def _case_page(
    request: Request,
    store: Store,
    user: WebUser,
    row: CaseRow,
    *,
    form: dict[str, str] | None = None,
    errors: dict[str, Text] | None = None,
    message: str = "",
) -> HTMLResponse:
    evaluation = questionnaire.assess(row.payload, english=i18n.language(request) == "en")
    result = evaluation.result
    questions = questionnaire.next_questions(result, row.payload) if result else []
    if form:
        questions = [
            questionnaire.Question(
                q.spec, form.get(q.path, q.value), (errors or {}).get(q.path, "")
            )
            for q in questions
        ]
    answered = questionnaire.answered_questions(row.payload, form, errors)
    parties = questionnaire.parties(row.payload, form, errors)
    # The cabinet's own particulars, offered where the case has none yet (saved by the user).
    prefilled: set[str] = set()
    if user.writes_cases and not form:
        defaults = store.document_defaults(user, row.id)
        for i, q in enumerate(parties):
            if not q.value and defaults.get(q.path):
                parties[i] = questionnaire.Question(q.spec, defaults[q.path])
                prefilled.add(q.path)
    edit_open = any(e in {q.path for q in answered} for e in errors or {})
    documents_open = any(e.startswith("parties.") for e in errors or {})
    return page(
        request,
        "dossier.html",
        status_code=422 if errors else 200,
        user=user,
        case=row,
        result=result,
        questions=questions,
        answered=answered,
        parties=parties,
        blocks=questionnaire.block_rows(row.payload, form),
        block_key=questionnaire.block_key,
        prefilled=prefilled,
        documents_open=documents_open,
        edit_open=edit_open,
        transitions=store.transitions(user, row.status, result.decision if result else None),
        documents=_documents(result),
        attachments=store.attachments(user, row.id),
        attachment_kinds=ATTACHMENT_LABELS,
        rule_names=_rule_names(),
        message=message,
        preview=False,
        **_errors_context(errors or {}),
    )


@router.get("/dossiers/{case_id}")
def case_page(
    request: Request, user: SignedIn, store: StoreDep, case_id: int, enregistre: str = ""
) -> Response:
    row = _case_or_404(request, store, user, case_id)
    if isinstance(row, HTMLResponse):
        return row
    message = ""
    if enregistre:
        decision = questionnaire.assess(row.payload)
        if decision.result is not None:
            message = i18n.say(
                request,
                text(
                    "web.answers_saved", decision=presentation.DECISIONS[decision.result.decision]
                ),
            )
    return _case_page(request, store, user, row, message=message)


@router.post("/dossiers/{case_id}", dependencies=[Depends(check_same_origin)])
async def answer(request: Request, user: SignedIn, store: StoreDep, case_id: int) -> Response:
    row = _case_or_404(request, store, user, case_id)
    if isinstance(row, HTMLResponse):
        return row
    form = _form(await request.form())
    payload = questionnaire.apply_answers(row.payload, form)
    checked = questionnaire.assess(payload)
    if not checked.ok:
        return _case_page(request, store, user, row, form=form, errors=checked.errors)
    if payload != row.payload:
        try:
            store.save(user, case_id, payload)
        except StoreError as exc:
            if exc.status == 403:
                return refused(request, user, 403, text("web.answers_not_saved"), exc.text)
            return _case_page(request, store, user, row, form=form, errors={"dossier": exc.text})
    return RedirectResponse(f"/dossiers/{case_id}?enregistre=1", status_code=303)


@router.post("/dossiers/{case_id}/apercu", dependencies=[Depends(check_same_origin)])
async def preview(request: Request, store: StoreDep, case_id: int) -> Response:
    """The decision for the answers being typed, not saved (the script's live update)."""
    user = current_user(request, store)
    if user is None:
        return HTMLResponse("", status_code=401)
    row = _case_or_404(request, store, user, case_id)
    if isinstance(row, HTMLResponse):
        return row
    payload = questionnaire.apply_answers(row.payload, _form(await request.form()))
    checked = questionnaire.assess(payload, english=i18n.language(request) == "en")
    if checked.result is None:
        return page(
            request, "_apercu_erreurs.html", status_code=422, **_errors_context(checked.errors)
        )
    return page(
        request, "_resultat.html", result=checked.result, preview=True, rule_names=_rule_names()
    )


@router.post("/dossiers/{case_id}/statut", dependencies=[Depends(check_same_origin)])
def change_status(
    request: Request,
    user: SignedIn,
    store: StoreDep,
    case_id: int,
    statut: Annotated[str, Form()] = "",
    motif: Annotated[str, Form()] = "",
) -> Response:
    row = _case_or_404(request, store, user, case_id)
    if isinstance(row, HTMLResponse):
        return row
    try:
        store.set_status(user, case_id, statut, motif or None)
    except StoreError as exc:
        if exc.status == 403:
            return refused(request, user, 403, text("web.status_unchanged"), exc.text)
        return _case_page(request, store, user, row, errors={"statut": exc.text})
    return RedirectResponse(f"/dossiers/{case_id}", status_code=303)
