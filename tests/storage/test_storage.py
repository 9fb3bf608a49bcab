"""Storage on SQLite and PostgreSQL: migrations, versions, statuses, audit, erasure, logins."""

from __future__ import annotations

import datetime as dt
import itertools
import sys
import threading
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, inspect, select, text
from sqlalchemy.exc import DBAPIError

from proa import service as s
from proa.service import audit, verdicts
from proa.service.erasure import ERASED
from proa.service.errors import (
    AuthFailed,
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    RateLimited,
)
from proa.storage import models as m
from proa.storage.db import Database, downgrade, upgrade
from tests.conftest import example_case

TABLES = {
    "organisations",
    "organisation_links",
    "employees",
    "users",
    "sessions",
    "login_failures",
    "cases",
    "case_deadlines",
    "case_versions",
    "evaluations",
    "documents",
    "audit_events",
}


def _cabinet(db: Database, name: str = "Cabinet A") -> tuple[s.Actor, int]:
    """A cabinet with an employer; returns the employer as actor and the cabinet id."""
    org = s.create_organisation(db, None, name, "cabinet")
    user, password = s.create_user(db, None, f"employeur@{org.id}.fr", "employer", org.id)
    actor = s.actor_for_token(db, s.login(db, user.email, password).token)
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
    case = s.create_case(db, actor, {"agreement_date": "2025-09-15"})
    assert (case.version, case.status) == (1, "draft")
    changed = s.update_case(db, actor, case.id, example_case(), expected_version=1)
    assert changed.version == 2
    same = s.update_case(db, actor, case.id, example_case())
    assert same.version == 2  # nothing changed: no new version
    with pytest.raises(Conflict) as stale:
        s.update_case(db, actor, case.id, {"training_hours": 10}, expected_version=1)
    assert stale.value.errors[0]["field"] == "expected_version"
    versions = s.list_versions(db, actor, case.id)
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].payload == {"agreement_date": "2025-09-15"}
    assert versions[1].payload == example_case()


def test_a_malformed_case_names_the_field_and_writes_nothing(db: Database) -> None:
    actor, _ = _cabinet(db)
    bad = example_case()
    bad["employee"]["contract"] = "CDX"
    with db.reading() as session:
        before = session.scalar(select(func.count()).select_from(m.AuditEvent))
    with pytest.raises(InvalidInput) as err:
        s.create_case(db, actor, bad)
    assert err.value.errors[0]["field"] == "employee.contract"
    assert "non reconnue" in err.value.errors[0]["message"]
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(m.Case)) == 0
        assert session.scalar(select(func.count()).select_from(m.AuditEvent)) == before


def test_status_workflow_and_stored_evaluations(db: Database) -> None:
    actor, _ = _cabinet(db)
    incomplete = s.create_case(db, actor, {"agreement_date": "2025-09-15"})
    with pytest.raises(Conflict, match="incomplet"):
        s.set_status(db, actor, incomplete.id, "ready")
    case = s.create_case(db, actor, example_case())
    with pytest.raises(Conflict, match="passage impossible"):
        s.set_status(db, actor, case.id, "sent")
    for status in ("ready", "sent", "accepted", "finished"):
        view = s.set_status(db, actor, case.id, status)
        assert view.status == status
    with pytest.raises(Conflict):
        s.update_case(db, actor, case.id, {"training_hours": 1})
    with pytest.raises(Conflict):
        s.delete_case(db, actor, case.id)
    evaluations = s.list_evaluations(db, actor, case.id)
    assert [e.decision for e in evaluations] == ["eligible", "eligible"]
    assert all(e.rulepack_version.startswith("20") for e in evaluations)
    s.delete_case(db, actor, incomplete.id)
    with pytest.raises(NotFound):
        s.get_case(db, actor, incomplete.id)
    assert s.verify_audit_chain(db).ok


def test_the_audit_trail_refuses_update_and_delete(db: Database) -> None:
    actor, _ = _cabinet(db)
    s.create_case(db, actor, example_case())
    for statement in ("UPDATE audit_events SET action = 'x'", "DELETE FROM audit_events"):
        with db.engine.connect() as c, pytest.raises(DBAPIError, match="append-only"):
            c.execute(text(statement))
    check = s.verify_audit_chain(db)
    assert check.ok and check.events >= 4


def test_a_tampered_audit_row_breaks_the_chain(db: Database) -> None:
    actor, _ = _cabinet(db)
    case = s.create_case(db, actor, example_case())
    s.evaluate_case(db, actor, case.id)
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
    check = s.verify_audit_chain(db)
    assert not check.ok and check.first_bad_id == victim


def test_the_link_postgresql_hashes_is_the_one_python_verifies() -> None:
    """`proa_audit_append` hashes `'["' + prev + '",' + tail`: the canonical JSON that
    `verify_audit_chain` hashes, for any event (the PostgreSQL runs verify whole chains)."""
    prev = audit.sha256("précédent")
    for actor_id, entity_id, microsecond in ((None, None, 0), (7, 42, 123456)):
        event = m.AuditEvent(
            at=dt.datetime(2026, 12, 4, 6, 55, 1, microsecond, tzinfo=dt.UTC),
            actor_id=actor_id,
            organisation_id=3,
            action="create",
            entity="case",
            entity_id=entity_id,
            before_hash=None,
            after_hash=audit.sha256("après"),
            org_chain=True,
        )
        assert audit.sha256('["' + prev + '",' + audit.tail(event)) == audit._chain(prev, event)


def test_concurrent_writers_keep_one_audit_chain(db: Database) -> None:
    actor, _ = _cabinet(db)
    errors: list[BaseException] = []

    def write() -> None:
        try:
            for _ in range(5):
                s.create_case(db, actor, example_case())
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(s.list_cases(db, actor)) == 30
    assert s.verify_audit_chain(db).ok


def test_erasure_removes_personal_data_everywhere_and_keeps_the_audit(db: Database) -> None:
    actor, _ = _cabinet(db)
    personal = example_case()
    personal["employee"]["disabled_worker"] = True
    personal["employee"]["returning_from"] = "illness"
    personal["parties"] = {"employee_name": "Marie Curieuse", "tutor_name": "Paul Tuteur"}
    case = s.create_case(db, actor, personal, employee_reference="MAT-42")
    s.evaluate_case(db, actor, case.id)
    second = dict(personal, training_hours=310)
    s.update_case(db, actor, case.id, second)
    s.set_status(db, actor, case.id, "ready")
    s.set_status(db, actor, case.id, "sent")
    report = s.erase_employee(db, actor, case.employee_id)
    assert (report.cases, report.versions, report.evaluations) == (1, 2, 3)
    for v in s.list_versions(db, actor, case.id):
        assert "birth_date" not in v.payload["employee"]
        assert "disabled_worker" not in v.payload["employee"]
        assert "returning_from" not in v.payload["employee"]
        assert v.payload["parties"] == {"tutor_name": "Paul Tuteur"}
    for e in s.list_evaluations(db, actor, case.id):
        assert all(f["message"] == ERASED and f["trace"] is None for f in e.result["findings"])
    assert s.list_employees(db, actor)[0].erased
    assert s.list_employees(db, actor)[0].reference is None
    with pytest.raises(Conflict):
        s.create_case(db, actor, example_case(), employee_id=case.employee_id)
    trail = s.audit_trail(db, actor, case_id=case.id)
    assert trail[-1].action == "erase"
    assert s.verify_audit_chain(db).ok
    # The rows' values (not the objects' reprs, whose memory addresses may hold "1990"),
    # hex hashes left out: they hold no data and may hold any four digits.
    hashes = {"before_hash", "after_hash", "prev_hash", "hash"}
    columns = [c for c in m.AuditEvent.__table__.columns if c.name not in hashes]
    with db.reading() as session:
        rows = session.execute(select(*columns)).all()
    dump = " ".join(str(tuple(row)) for row in rows)
    assert rows and "erase" in dump
    assert "Marie" not in dump and "1990" not in dump


def test_logins_are_rate_limited_per_email_and_address(db: Database) -> None:
    org = s.create_organisation(db, None, "Cabinet", "cabinet")
    user, password = s.create_user(db, None, "Qui@Exemple.fr", "admin", org.id)
    assert user.email == "qui@exemple.fr"
    for _ in range(5):
        with pytest.raises(AuthFailed, match="incorrect"):
            s.login(db, "qui@exemple.fr", "mauvais mot", "10.0.0.1")
    with pytest.raises(RateLimited, match="trop de tentatives"):
        s.login(db, "qui@exemple.fr", password, "10.0.0.1")
    assert s.login(db, "QUI@exemple.fr", password, "10.0.0.2").token
    with pytest.raises(AuthFailed):
        s.login(db, "personne@exemple.fr", password, "10.0.0.2")


def test_sessions_expire_and_log_out(db: Database) -> None:
    org = s.create_organisation(db, None, "Cabinet", "cabinet")
    _, password = s.create_user(db, None, "a@b.fr", "admin", org.id)
    token = s.login(db, "a@b.fr", password).token
    assert s.actor_for_token(db, token).role == "admin"
    s.logout(db, token)
    with pytest.raises(AuthFailed):
        s.actor_for_token(db, token)
    token = s.login(db, "a@b.fr", password).token
    with db.writing() as session:
        row = session.scalars(select(m.AuthSession)).one()
        assert row.token_hash != token  # only the hash is stored
        hashed = session.scalars(select(m.User.password_hash)).one()
        assert hashed.startswith("$argon2id$") and password not in hashed
        session.execute(
            text("UPDATE sessions SET expires_at = :t"), {"t": m.utcnow() - dt.timedelta(seconds=1)}
        )
    with pytest.raises(AuthFailed, match="expirée"):
        s.actor_for_token(db, token)


def test_a_token_is_read_once_per_interval_and_forgotten_at_logout(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The token's actor is kept for `ACTOR_SECONDS` in the process (one query less per
    request): a change made elsewhere (another worker, the database) is seen after it, a
    logout here at once."""
    login = sys.modules["proa.service.login"]  # the package exports a function of that name
    org = s.create_organisation(db, None, "Cabinet", "cabinet")
    _, password = s.create_user(db, None, "a@b.fr", "admin", org.id)
    token = s.login(db, "a@b.fr", password).token
    assert s.actor_for_token(db, token).role == "admin"
    with db.writing() as session:
        session.execute(text("UPDATE users SET active = false"))
    assert s.actor_for_token(db, token).role == "admin"  # within the interval: kept
    monkeypatch.setattr(login, "ACTOR_SECONDS", 0.0)
    db.memo.clear()
    with pytest.raises(AuthFailed):
        s.actor_for_token(db, token)
    with db.writing() as session:
        session.execute(text("UPDATE users SET active = true"))
    monkeypatch.setattr(login, "ACTOR_SECONDS", 60.0)
    assert s.actor_for_token(db, token).role == "admin"
    s.logout(db, token)
    with pytest.raises(AuthFailed):
        s.actor_for_token(db, token)


def test_an_admin_deactivates_and_resets_accounts_and_a_user_changes_their_password(
    db: Database,
) -> None:
    org = s.create_organisation(db, None, "Cabinet", "cabinet")
    admin_user, admin_password = s.create_user(db, None, "admin@c.fr", "admin", org.id)
    user, password = s.create_user(db, None, "emp@c.fr", "employer", org.id)
    admin = s.actor_for_token(db, s.login(db, admin_user.email, admin_password).token)
    token = s.login(db, user.email, password).token
    employer = s.actor_for_token(db, token)
    with pytest.raises(Forbidden):
        s.set_user_active(db, employer, admin_user.id, False)
    with pytest.raises(Conflict, match="propre compte"):
        s.set_user_active(db, admin, admin_user.id, False)
    assert s.set_user_active(db, admin, user.id, False).active is False
    with pytest.raises(AuthFailed):  # its session ended at once, cached actor included
        s.actor_for_token(db, token)
    with pytest.raises(AuthFailed):
        s.login(db, user.email, password)
    s.set_user_active(db, admin, user.id, True)
    _, fresh = s.reset_password(db, admin, user.id)
    with pytest.raises(AuthFailed):
        s.login(db, user.email, password)
    token = s.login(db, user.email, fresh).token
    employer = s.actor_for_token(db, token)
    with pytest.raises(InvalidInput) as wrong:
        s.change_password(db, employer, "pas le bon", "un nouveau mot de passe", token)
    assert wrong.value.errors[0]["field"] == "current"
    with pytest.raises(InvalidInput) as short:
        s.change_password(db, employer, fresh, "court", token)
    assert short.value.errors[0]["field"] == "new"
    s.change_password(db, employer, fresh, "un nouveau mot de passe", token)
    assert s.actor_for_token(db, token).user_id == user.id  # this session goes on
    assert s.login(db, user.email, "un nouveau mot de passe").token
    other = s.create_organisation(db, None, "Autre", "cabinet")
    stranger, _ = s.create_user(db, None, "x@autre.fr", "employer", other.id)
    with pytest.raises(NotFound):
        s.reset_password(db, admin, stranger.id)
    actions = [e.action for e in s.audit_trail(db, admin)]
    assert {"deactivate", "activate", "password:reset", "password:change"} <= set(actions)


def test_accounts_respect_kinds_and_admins(db: Database) -> None:
    actor, org_id = _cabinet(db)
    with pytest.raises(Forbidden):
        s.create_user(db, actor, "x@y.fr", "employer", org_id)
    with pytest.raises(InvalidInput) as err:
        s.create_user(db, None, "x@y.fr", "opco", org_id)
    assert err.value.errors[0]["field"] == "role"
    with pytest.raises(InvalidInput):
        s.create_user(db, None, "z@y.fr", "employee", org_id)  # no employee record
    with pytest.raises(Conflict):
        s.create_user(db, None, actor.email, "employer", org_id)
    with pytest.raises(InvalidInput) as short:  # OWASP ASVS 2.1.1: 12 characters at least
        s.create_user(db, None, "court@y.fr", "employer", org_id, password="onze-lettre")
    assert short.value.errors[0]["field"] == "password"
    assert "12 caractères" in short.value.errors[0]["message"]
    passphrase = "une phrase de passe assez longue pour tenir sur une ligne entière !"
    s.create_user(db, None, "long@y.fr", "employer", org_id, password=passphrase)  # 2.1.2
    assert s.login(db, "long@y.fr", passphrase).token


def test_the_list_filters_by_verdict_before_its_limit(db: Database) -> None:
    """The verdict is stored with each case: a filter applies before the row limit (it was
    applied after it, on cases re-evaluated one by one)."""
    actor, _ = _cabinet(db)
    eligible = s.create_case(db, actor, example_case())
    for _ in range(3):
        s.create_case(db, actor, {"agreement_date": "2025-09-15"})
    assert (eligible.regime, eligible.decision) == ("pro-a", "eligible")
    newest = s.list_cases(db, actor, limit=1)
    assert newest[0].decision == "incomplete"
    found = s.list_cases(db, actor, decision="eligible", limit=1)
    assert [c.id for c in found] == [eligible.id]
    assert s.list_cases(db, actor, regime="periode-de-reconversion") == []
    changed = s.update_case(db, actor, eligible.id, dict(example_case(), training_hours=100))
    assert changed.decision == "ineligible"  # kept current on every change
    assert s.list_cases(db, actor, decision="eligible") == []
    assert s.statistics(db, actor).by_decision == {"incomplete": 3, "ineligible": 1}
    with pytest.raises(InvalidInput) as err:
        s.list_cases(db, actor, limit=-1)
    assert err.value.errors[0]["field"] == "limit"


def test_verdicts_are_refreshed_after_a_rule_pack_change(db: Database) -> None:
    actor, _ = _cabinet(db)
    case = s.create_case(db, actor, example_case())
    with db.writing() as session:
        session.execute(text("UPDATE cases SET decision = NULL, rulepack_version = 'ancien'"))
    assert s.get_case(db, actor, case.id).decision is None
    assert verdicts.refresh(db) == 1
    assert s.get_case(db, actor, case.id).decision == "eligible"
    assert verdicts.refresh(db) == 0


def test_each_organisation_has_its_own_audit_chain(db: Database) -> None:
    first, _ = _cabinet(db, "Cabinet A")
    second, _ = _cabinet(db, "Cabinet B")
    errors: list[BaseException] = []

    def write(actor: s.Actor) -> None:
        try:
            for _ in range(4):
                s.create_case(db, actor, example_case())
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(a,)) for a in (first, second) * 2]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with db.reading() as session:
        events = session.scalars(select(m.AuditEvent).order_by(m.AuditEvent.id)).all()
    for org in (first.organisation_id, second.organisation_id):
        chain = [e for e in events if e.organisation_id == org]
        assert chain[0].prev_hash == "0" * 64
        assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(chain))
    assert s.verify_audit_chain(db).ok


def test_no_copy_of_erased_data_stays_in_the_sqlite_files(tmp_path: Path) -> None:
    """Reproduction (issue 12, §4): after an erasure the write-ahead log still held 15
    copies of the erased name."""
    db = Database.open(f"sqlite:///{tmp_path / 'proa.db'}")
    try:
        actor, _ = _cabinet(db)
        personal = example_case()
        personal["parties"]["employee_name"] = "Marie Curieuse"
        case = s.create_case(db, actor, personal)
        for hours in (310, 320, 330):
            s.update_case(db, actor, case.id, dict(personal, training_hours=hours))
        s.evaluate_case(db, actor, case.id)
        s.erase_employee(db, actor, case.employee_id)
        files = [p for p in tmp_path.iterdir() if p.name.startswith("proa.db")]
        assert any(p.name == "proa.db" for p in files)
        for path in files:
            assert b"Curieuse" not in path.read_bytes(), path.name
    finally:
        db.dispose()
