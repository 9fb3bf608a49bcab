"""The use cases of the service: every read and change of stored data goes through here.

Each function takes the `Database` and the `Actor` acting, enforces tenancy and roles
(`access`), and runs in one short transaction of its own: a read never waits for a
writer, and a change is committed together with its audit event (`audit`) or not at all.
The REST API, the web app and the command line call these functions; they never query
the models themselves.

    views        Actor and the views returned (pydantic, from rows)
    inputs       input models (French field errors), ids, pages, filters
    errors       ServiceError and its kinds, each with its HTTP status
    access       tenancy: organisations, cases and employees an actor reaches
    audit        the per-organisation hash chain, its verification, the trail
    accounts     organisations, links, users, employees
    login        log in and out, the actor behind a token
    cases        case files and their versions
    lists        lists of cases: filters, search, order, count, pages, next deadlines
    deadlines    coming deadlines, the calendar feed's token, the reminder choice
    reminders    e-mail reminders of deadlines, each sent once (`mail`: SMTP)
    verdicts     the engine's verdict stored with each case
    workflow     statuses and transitions
    evaluations  evaluations computed or stored, questions still open
    documents    documents rendered, issued ones recorded
    export       the whole case file as JSON
    erasure      GDPR erasure of an employee's personal data
    statistics   aggregated counts
"""

from __future__ import annotations

from proa.service.accounts import (
    change_password,
    check_role_fits,
    count_users,
    create_employee,
    create_organisation,
    create_user,
    find_organisation,
    kind_for_role,
    link_organisations,
    list_employees,
    list_organisations,
    list_users,
    reset_password,
    set_user_active,
)
from proa.service.attachments import add_attachment, get_attachment, list_attachments
from proa.service.audit import audit_trail, verify_audit_chain
from proa.service.cases import (
    count_cases,
    create_case,
    delete_case,
    document_defaults,
    get_case,
    list_cases,
    list_versions,
    update_case,
)
from proa.service.documents import list_documents, render_document
from proa.service.erasure import erase_employee, redact
from proa.service.evaluations import (
    case_questions,
    evaluate_case,
    list_evaluations,
    questions_for,
)
from proa.service.export import export_case
from proa.service.lists import case_summaries, export_summaries
from proa.service.login import actor_for_token, get_user, login, logout
from proa.service.statistics import statistics
from proa.service.views import (
    Actor,
    AttachmentView,
    AuditCheck,
    AuditEntry,
    CasePage,
    CaseSummary,
    CaseView,
    DocumentView,
    EmployeeView,
    ErasureReport,
    EvaluationView,
    LoginResult,
    OrganisationView,
    Question,
    Statistics,
    UserView,
    VersionView,
)
from proa.service.workflow import TRANSITIONS, offered, set_status

__all__ = [
    "TRANSITIONS",
    "Actor",
    "AttachmentView",
    "AuditCheck",
    "AuditEntry",
    "CasePage",
    "CaseSummary",
    "CaseView",
    "DocumentView",
    "EmployeeView",
    "ErasureReport",
    "EvaluationView",
    "LoginResult",
    "OrganisationView",
    "Question",
    "Statistics",
    "UserView",
    "VersionView",
    "actor_for_token",
    "add_attachment",
    "audit_trail",
    "case_questions",
    "case_summaries",
    "change_password",
    "check_role_fits",
    "count_cases",
    "count_users",
    "create_case",
    "create_employee",
    "create_organisation",
    "create_user",
    "delete_case",
    "document_defaults",
    "erase_employee",
    "evaluate_case",
    "export_case",
    "export_summaries",
    "find_organisation",
    "get_attachment",
    "get_case",
    "get_user",
    "kind_for_role",
    "link_organisations",
    "list_attachments",
    "list_cases",
    "list_documents",
    "list_employees",
    "list_evaluations",
    "list_organisations",
    "list_users",
    "list_versions",
    "login",
    "logout",
    "offered",
    "questions_for",
    "redact",
    "render_document",
    "reset_password",
    "set_status",
    "set_user_active",
    "statistics",
    "update_case",
    "verify_audit_chain",
]
