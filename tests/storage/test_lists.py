"""Lists of cases on SQLite and PostgreSQL (issue 13, §2): exact counts and pages, search in
employees' names without case or accents, order by date, status and next deadline, filters
on the stored verdict past any page, tenancy, the deadlines kept with the verdict."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select, text

from proa import service as s
from proa.service import lists, verdicts
from proa.service.errors import InvalidInput
from proa.service.inputs import CaseFilter, CaseQuery, check
from proa.storage import models as m
from proa.storage.db import Database
from proa.storage.search import fold_text
from tests.conftest import example_case
from tests.storage.test_storage import _cabinet

# The example case's deadlines: deposit 6 October 2025, OPCO decision 26 October 2025.
TODAY = dt.date(2025, 10, 2)


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lists, "today", lambda: TODAY)


def case(name: str | None = None, shift: int = 0, **changes: Any) -> dict[str, Any]:
    """The example case for `name`, its dates moved by `shift` days."""
    payload = copy.deepcopy(example_case())
    for key in ("agreement_date", "start_date", "end_date"):
        day = dt.date.fromisoformat(payload[key]) + dt.timedelta(days=shift)
        payload[key] = day.isoformat()
    if name is None:
        del payload["parties"]["employee_name"]
    else:
        payload["parties"]["employee_name"] = name
    payload.update(changes)
    return payload


def page(db: Database, actor: s.Actor, **query: Any) -> s.CasePage:
    return s.case_summaries(db, actor, check(CaseFilter, **query))


def names(found: s.CasePage) -> list[str | None]:
    return [c.employee_name for c in found.items]


def test_pages_count_exactly_and_cover_the_list_once(db: Database) -> None:
    actor, _ = _cabinet(db)
    other, _ = _cabinet(db, "Cabinet B")
    ids = [s.create_case(db, actor, case(f"Salarié {i}")).id for i in range(7)]
    s.create_case(db, other, case("Ailleurs"))
    seen = []
    for offset in (0, 3, 6):
        found = page(db, actor, limit=3, offset=offset)
        assert found.total == 7  # every case of the list, not this page's
        seen += [c.id for c in found.items]
    assert seen == ids[::-1]  # newest change first, each case once
    assert page(db, actor, limit=3, offset=9).items == []
    assert s.count_cases(db, actor) == 7


def test_filters_on_the_stored_verdict_reach_past_any_page(db: Database) -> None:
    """The decision and regime filters are evaluated in the database: an old eligible case
    behind 100 newer ones is found and counted (the list used to stop at 100)."""
    actor, _ = _cabinet(db)
    old = s.create_case(db, actor, case("Première"))
    draft = {"agreement_date": "2025-09-15"}
    with db.writing() as session:  # 104 newer incomplete cases, in one transaction
        for _ in range(104):
            row = m.Case(
                organisation_id=actor.organisation_id,
                employee=m.Employee(organisation_id=actor.organisation_id),
                **verdicts.judge(draft).columns(),
            )
            row.versions.append(m.CaseVersion(version=1, payload=draft))
            session.add(row)
    found = page(db, actor, decision="eligible", regime="pro-a", limit=100)
    assert (found.total, [c.id for c in found.items]) == (1, [old.id])
    assert page(db, actor, decision="incomplete", limit=100).total == 104
    assert page(db, actor, limit=100).total == 105
    assert len(s.export_summaries(db, actor, check(CaseQuery))) == 105


def test_search_ignores_case_accents_and_ligatures(db: Database) -> None:
    actor, _ = _cabinet(db)
    for name in ("Hélène Dupont", "HELENE MARTIN", "Jean Dùpont", "Zoé Lœwy", "100 % Durand"):
        s.create_case(db, actor, case(name))
    s.create_case(db, actor, case(None))

    def search(words: str) -> list[str | None]:
        return sorted(names(page(db, actor, employee_name=words, sort="employee_name")))

    assert search("helene") == ["HELENE MARTIN", "Hélène Dupont"]
    assert search("DUPONT") == ["Hélène Dupont", "Jean Dùpont"]
    assert search("loewy") == search("zoe") == ["Zoé Lœwy"]
    assert search("hél mart") == ["HELENE MARTIN"]  # every word, anywhere in the name
    assert search("%") == ["100 % Durand"]  # a wildcard is a character like another
    assert search("_") == []
    assert s.list_cases(db, actor, employee_name="Zoé")[0].payload["parties"]["employee_name"]
    assert fold_text("Œdipe À L'ÉCOLE") == "oedipe a l'ecole"


def test_the_list_sorts_by_deadline_status_date_and_name(db: Database) -> None:
    actor, _ = _cabinet(db)
    late = s.create_case(db, actor, case("Bernard", shift=10))  # deposit 16 October
    soon = s.create_case(db, actor, case("Alain", shift=0))  # deposit 6 October
    past = s.create_case(db, actor, case("Claire", shift=-60))  # every deadline passed
    blank = s.create_case(db, actor, {"agreement_date": "2025-09-15"})  # no deadline known
    s.set_status(db, actor, soon.id, "ready")
    by_deadline = page(db, actor, sort="next_deadline").items
    assert [c.id for c in by_deadline][:2] == [soon.id, late.id]
    assert {c.id for c in by_deadline[2:]} == {past.id, blank.id}  # without one: last
    assert (by_deadline[0].next_deadline, by_deadline[1].next_deadline) == (
        dt.date(2025, 10, 6),
        dt.date(2025, 10, 16),
    )
    assert by_deadline[0].next_deadline_what is not None
    assert "OPCO" in by_deadline[0].next_deadline_what
    assert [c.id for c in page(db, actor, sort="-next_deadline").items][:2] == [late.id, soon.id]
    # Sent, a case has met its sending deadline: its next one is the OPCO's answer.
    s.set_status(db, actor, soon.id, "sent")
    by_deadline = page(db, actor, sort="next_deadline").items
    assert [c.id for c in by_deadline][:2] == [late.id, soon.id]
    assert by_deadline[1].next_deadline == dt.date(2025, 10, 26)
    assert (by_deadline[1].next_deadline_what or "").startswith("Décision de l'OPCO")
    assert (by_deadline[1].next_deadline_what_en or "").startswith("The OPCO's decision")
    by_status = [c.status for c in page(db, actor, sort="-status").items]
    assert by_status == ["sent", "draft", "draft", "draft"]  # the workflow's order
    assert [c.id for c in page(db, actor, sort="created_at").items] == [
        late.id,
        soon.id,
        past.id,
        blank.id,
    ]
    assert names(page(db, actor, sort="employee_name")) == ["Alain", "Bernard", "Claire", None]
    api = s.list_cases(db, actor, sort="next_deadline")
    assert [c.id for c in api][:2] == [late.id, soon.id]  # soon was sent: its next date is the 26th
    with pytest.raises(InvalidInput) as err:
        s.list_cases(db, actor, sort="salaire")
    assert err.value.errors[0]["field"] == "sort"


def test_a_payroll_firm_lists_its_cabinets_with_their_names(db: Database) -> None:
    actor, cabinet = _cabinet(db, "Cabinet des Tilleuls")
    s.create_case(db, actor, case("Marie"))
    firm = s.create_organisation(db, None, "Paie & Co", "payroll_firm")
    s.link_organisations(db, firm.id, cabinet)
    user, password = s.create_user(db, None, "paie@x.fr", "payroll", firm.id)
    payroll = s.actor_for_token(db, s.login(db, user.email, password).token)
    other, _ = _cabinet(db, "Cabinet du Port")
    s.create_case(db, other, case("Paul"))
    found = page(db, payroll)
    assert [(c.employee_name, c.organisation) for c in found.items] == [
        ("Marie", "Cabinet des Tilleuls")
    ]
    assert found.total == 1


def test_an_export_has_a_ceiling(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    actor, _ = _cabinet(db)
    for i in range(3):
        s.create_case(db, actor, case(f"S{i}"))
    monkeypatch.setattr(lists, "MAX_EXPORT", 2)
    with pytest.raises(InvalidInput) as err:
        s.export_summaries(db, actor, check(CaseQuery))
    assert "3 dossiers correspondent" in err.value.message
    assert len(s.export_summaries(db, actor, check(CaseQuery, employee_name="S1"))) == 1


def test_deadlines_follow_the_verdict(db: Database) -> None:
    actor, _ = _cabinet(db)
    created = s.create_case(db, actor, case("Marie"))

    def stored() -> list[tuple[int, dt.date]]:
        with db.reading() as session:
            rows = session.execute(
                select(m.CaseDeadline.position, m.CaseDeadline.due_date)
                .where(m.CaseDeadline.case_id == created.id)
                .order_by(m.CaseDeadline.position)
            )
            return [tuple(r) for r in rows]  # type: ignore[misc]

    assert stored() == [(0, dt.date(2025, 10, 6)), (1, dt.date(2025, 10, 26))]
    s.update_case(db, actor, created.id, case("Marie", shift=1))
    assert stored() == [(0, dt.date(2025, 10, 7)), (1, dt.date(2025, 10, 27))]
    with db.writing() as session:  # as the migration leaves them: judged again at start-up
        session.execute(text("DELETE FROM case_deadlines"))
        session.execute(text("UPDATE cases SET rulepack_version = NULL"))
    assert verdicts.refresh(db) == 1
    assert stored() == [(0, dt.date(2025, 10, 7)), (1, dt.date(2025, 10, 27))]
    s.delete_case(db, actor, created.id)
    assert stored() == []
