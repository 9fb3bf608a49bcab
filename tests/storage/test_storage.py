"""Storage on SQLite and PostgreSQL: migrations, versions, statuses, audit, erasure, logins."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, inspect, select, text
from sqlalchemy.exc import DBAPIError

from proa.storage import models as m
from proa.storage import services as s
from proa.storage.db import Database, downgrade, upgrade
from proa.storage.errors import (
    AuthFailed,
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    RateLimited,
)
from tests.conftest import example_case

TABLES = {
    "organisations",
    "organisation_links",
    "employees",
    "users",
    "sessions",
    "login_failures",
    "cases",
    "case_versions",
    "evaluations",
    "documents",
    "audit_events",
}


def _cabinet(db: Database, name: str = "Cabinet A") -> tuple[s.Actor, int]:
    """A cabinet with an employer; returns the employer as actor and the cabinet id."""
    with db.session() as session:
        org = s.create_organisation(session, None, name, "cabinet")
        user, password = s.create_user(session, None, f"employeur@{org.id}.fr", "employer", org.id)
        actor = s.actor_for_token(session, s.login(session, user.email, password).token)
    return actor, org.id


def test_migrations_go_down_and_up_and_match_the_models(db: Database) -> None:
    assert set(inspect(db.engine).get_table_names()) >= TABLES
    downgrade(db.engine)
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    upgrade(db.engine)
    assert set(inspect(db.engine).get_table_names()) >= TABLES
    with db.engine.connect() as c:
        diff = compare_metadata(MigrationContext.configure(c), m.Base.metadata)
    assert diff == []


def test_an_update_is_a_new_version(db: Database) -> None:
    actor, _ = _cabinet(db)
    with db.session() as session:
        case = s.create_case(session, actor, {"agreement_date": "2025-09-15"})
        assert (case.version, case.status) == (1, "draft")
        changed = s.update_case(session, actor, case.id, example_case(), expected_version=1)
        assert changed.version == 2
        same = s.update_case(session, actor, case.id, example_case())
        assert same.version == 2  # nothing changed: no new version
        with pytest.raises(Conflict) as stale:
            s.update_case(session, actor, case.id, {"training_hours": 10}, expected_version=1)
        assert stale.value.errors[0]["field"] == "expected_version"
        versions = s.list_versions(session, actor, case.id)
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].payload == {"agreement_date": "2025-09-15"}
    assert versions[1].payload == example_case()


def test_a_malformed_case_names_the_field_and_writes_nothing(db: Database) -> None:
    actor, _ = _cabinet(db)
    bad = example_case()
    bad["employee"]["contract"] = "CDX"
    with db.session() as session:
        before = session.scalar(select(func.count()).select_from(m.AuditEvent))
        with pytest.raises(InvalidInput) as err:
            s.create_case(session, actor, bad)
        assert err.value.errors[0]["field"] == "employee.contract"
        assert "non reconnue" in err.value.errors[0]["message"]
        assert session.scalar(select(func.count()).select_from(m.Case)) == 0
        assert session.scalar(select(func.count()).select_from(m.AuditEvent)) == before


def test_status_workflow_and_stored_evaluations(db: Database) -> None:
    actor, _ = _cabinet(db)
    with db.session() as session:
        incomplete = s.create_case(session, actor, {"agreement_date": "2025-09-15"})
        with pytest.raises(Conflict, match="incomplet"):
            s.set_status(session, actor, incomplete.id, "ready")
        case = s.create_case(session, actor, example_case())
        with pytest.raises(Conflict, match="passage impossible"):
            s.set_status(session, actor, case.id, "sent")
        for status in ("ready", "sent", "accepted", "finished"):
            view = s.set_status(session, actor, case.id, status)
            assert view.status == status
        with pytest.raises(Conflict):
            s.update_case(session, actor, case.id, {"training_hours": 1})
        with pytest.raises(Conflict):
            s.delete_case(session, actor, case.id)
        evaluations = s.list_evaluations(session, actor, case.id)
        assert [e.decision for e in evaluations] == ["eligible", "eligible"]
        assert all(e.rulepack_version.startswith("20") for e in evaluations)
        s.delete_case(session, actor, incomplete.id)
        with pytest.raises(NotFound):
            s.get_case(session, actor, incomplete.id)
        assert s.verify_audit_chain(session).ok


def test_the_audit_trail_refuses_update_and_delete(db: Database) -> None:
    actor, _ = _cabinet(db)
    with db.session() as session:
        s.create_case(session, actor, example_case())
    for statement in ("UPDATE audit_events SET action = 'x'", "DELETE FROM audit_events"):
        with db.engine.connect() as c, pytest.raises(DBAPIError, match="append-only"):
            c.execute(text(statement))
    with db.session() as session:
        check = s.verify_audit_chain(session)
        assert check.ok and check.events >= 4


def test_a_tampered_audit_row_breaks_the_chain(db: Database) -> None:
    actor, _ = _cabinet(db)
    with db.session() as session:
        case = s.create_case(session, actor, example_case())
        s.evaluate_case(session, actor, case.id)
    postgres = db.engine.dialect.name == "postgresql"
    with db.engine.begin() as c:  # only an operator bypassing the trigger can do this
        if postgres:
            c.execute(text("ALTER TABLE audit_events DISABLE TRIGGER audit_append_only"))
        else:
            c.execute(text("DROP TRIGGER audit_no_update"))
        victim = c.scalar(
            text("SELECT min(id) FROM audit_events WHERE action = 'create' AND entity = 'case'")
        )
        c.execute(text("UPDATE audit_events SET actor_id = 999 WHERE id = :id"), {"id": victim})
    with db.session() as session:
        check = s.verify_audit_chain(session)
    assert not check.ok and check.first_bad_id == victim


def test_concurrent_writers_keep_one_audit_chain(db: Database) -> None:
    actor, _ = _cabinet(db)
    errors: list[BaseException] = []

    def write() -> None:
        try:
            for _ in range(5):
                with db.session() as session:
                    s.create_case(session, actor, example_case())
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with db.session() as session:
        assert len(s.list_cases(session, actor)) == 30
        assert s.verify_audit_chain(session).ok


def test_erasure_removes_personal_data_everywhere_and_keeps_the_audit(db: Database) -> None:
    actor, _ = _cabinet(db)
    personal = example_case()
    personal["employee"]["disabled_worker"] = True
    personal["employee"]["returning_from"] = "illness"
    personal["parties"] = {"employee_name": "Marie Curieuse", "tutor_name": "Paul Tuteur"}
    with db.session() as session:
        case = s.create_case(session, actor, personal, employee_reference="MAT-42")
        s.evaluate_case(session, actor, case.id)
        second = dict(personal, training_hours=310)
        s.update_case(session, actor, case.id, second)
        s.set_status(session, actor, case.id, "ready")
        s.set_status(session, actor, case.id, "sent")
        report = s.erase_employee(session, actor, case.employee_id)
        assert (report.cases, report.versions, report.evaluations) == (1, 2, 3)
        for v in s.list_versions(session, actor, case.id):
            assert "birth_date" not in v.payload["employee"]
            assert "disabled_worker" not in v.payload["employee"]
            assert "returning_from" not in v.payload["employee"]
            assert v.payload["parties"] == {"tutor_name": "Paul Tuteur"}
        for e in s.list_evaluations(session, actor, case.id):
            assert all(
                f["message"] == s.ERASED and f["trace"] is None for f in e.result["findings"]
            )
        assert s.list_employees(session, actor)[0].erased
        assert s.list_employees(session, actor)[0].reference is None
        with pytest.raises(Conflict):
            s.create_case(session, actor, example_case(), employee_id=case.employee_id)
        trail = s.audit_trail(session, actor, case_id=case.id)
        assert trail[-1].action == "erase"
        assert s.verify_audit_chain(session).ok
        dump = " ".join(str(row) for row in session.execute(select(m.AuditEvent)).all())
        assert "Marie" not in dump and "1990" not in dump


def test_logins_are_rate_limited_per_email_and_address(db: Database) -> None:
    with db.session() as session:
        org = s.create_organisation(session, None, "Cabinet", "cabinet")
        user, password = s.create_user(session, None, "Qui@Exemple.fr", "admin", org.id)
        assert user.email == "qui@exemple.fr"
        for _ in range(5):
            with pytest.raises(AuthFailed, match="incorrect"):
                s.login(session, "qui@exemple.fr", "mauvais mot", "10.0.0.1")
        with pytest.raises(RateLimited, match="trop de tentatives"):
            s.login(session, "qui@exemple.fr", password, "10.0.0.1")
        assert s.login(session, "QUI@exemple.fr", password, "10.0.0.2").token
        with pytest.raises(AuthFailed):
            s.login(session, "personne@exemple.fr", password, "10.0.0.2")


def test_sessions_expire_and_log_out(db: Database) -> None:
    with db.session() as session:
        org = s.create_organisation(session, None, "Cabinet", "cabinet")
        _, password = s.create_user(session, None, "a@b.fr", "admin", org.id)
        token = s.login(session, "a@b.fr", password).token
        assert s.actor_for_token(session, token).role == "admin"
        s.logout(session, token)
        with pytest.raises(AuthFailed):
            s.actor_for_token(session, token)
        token = s.login(session, "a@b.fr", password).token
        row = session.scalars(select(m.AuthSession)).one()
        assert row.token_hash != token  # only the hash is stored
        session.execute(
            text("UPDATE sessions SET expires_at = :t"), {"t": m.utcnow() - dt.timedelta(seconds=1)}
        )
        session.commit()
        with pytest.raises(AuthFailed, match="expirée"):
            s.actor_for_token(session, token)


def test_accounts_respect_kinds_and_admins(db: Database) -> None:
    actor, org_id = _cabinet(db)
    with db.session() as session:
        with pytest.raises(Forbidden):
            s.create_user(session, actor, "x@y.fr", "employer", org_id)
        with pytest.raises(InvalidInput) as err:
            s.create_user(session, None, "x@y.fr", "opco", org_id)
        assert err.value.errors[0]["field"] == "role"
        with pytest.raises(InvalidInput):
            s.create_user(session, None, "z@y.fr", "employee", org_id)  # no employee record
        with pytest.raises(Conflict):
            s.create_user(session, None, actor.email, "employer", org_id)
