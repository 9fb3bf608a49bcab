"""Schemathesis over the OpenAPI document (issue 12, §3): requests generated from every
operation's schema, with a valid session, find no 5xx. A short budget, so that CI stays
quick; `--hypothesis-seed` reproduces a run."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from proa import service
from proa.app import create_app
from proa.storage.db import Database
from tests.conftest import example_case


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FastAPI, str]]:
    path: Path = tmp_path_factory.mktemp("fuzz") / "proa.db"
    db = Database.open(f"sqlite:///{path}")
    org = service.create_organisation(db, None, "Cabinet fuzz", "cabinet")
    user, password = service.create_user(db, None, "fuzz@test.fr", "admin", org.id)
    token = service.login(db, user.email, password).token
    service.create_case(db, service.actor_for_token(db, token), example_case())
    yield create_app(database=db), token
    db.dispose()


def test_no_operation_answers_a_server_error(fuzzed: tuple[FastAPI, str]) -> None:
    app, token = fuzzed
    # Logging out would end the session the other operations use.
    schema = schemathesis.openapi.from_asgi("/openapi.json", app).exclude(
        path="/api/v1/auth/logout"
    )
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 25

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=12,
            deadline=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def call(case: Any) -> None:
            case.call_and_validate(
                headers={"Authorization": f"Bearer {token}"}, checks=[not_a_server_error]
            )

        call()
