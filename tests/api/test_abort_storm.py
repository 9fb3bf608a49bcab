"""Reproduction (issue 12, §1): a logged-in user sent 300 requests, each socket reset (TCP
RST) right after sending; afterwards /health, login and every page hung for minutes, on
SQLite (write lock held) and PostgreSQL (connections idle in transaction). Reads take no
write lock, a request holds a connection only inside one use case, and a request whose
client has gone is dropped before any work: the service answers within a second."""

from __future__ import annotations

import socket
import struct
import time
from collections.abc import Callable

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.api import live
from tests.conftest import example_case

ABORTED = 300


def _abort(port: int, request: bytes) -> None:
    sock = socket.create_connection(("127.0.0.1", port))
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.sendall(request)
    sock.close()  # linger 0: a reset, not a polite close


def _timed(call: Callable[[], httpx.Response]) -> tuple[httpx.Response, float]:
    started = time.perf_counter()
    response = call()
    return response, time.perf_counter() - started


def test_aborted_requests_leave_the_service_answering(database_url: str) -> None:
    with live.running(database_url) as server, httpx.Client(base_url=server.base) as client:
        email, password = server.credentials()
        credentials = {"email": email, "password": password}
        login, usual_login = _timed(lambda: client.post("/api/v1/auth/login", json=credentials))
        token = login.json()["token"]
        bearer = {"Authorization": f"Bearer {token}"}
        for path in ("/api/v1/auth/me", "/api/v1/cases"):  # a warm server, as in real use
            assert client.get(path, headers=bearer).status_code == 200
        for i in range(ABORTED):
            path = ("/api/v1/auth/me", "/api/v1/cases")[i % 2]
            _abort(
                server.port,
                f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"Authorization: Bearer {token}\r\n\r\n".encode(),
            )
        health, seconds = _timed(lambda: client.get("/api/v1/health"))
        assert health.status_code == 200 and seconds < 1.0
        # A login costs its argon2 hash, slow on purpose: the storm adds under a second.
        login, seconds = _timed(lambda: client.post("/api/v1/auth/login", json=credentials))
        assert login.status_code == 200 and seconds < 1.0 + usual_login
        created, seconds = _timed(
            lambda: client.post("/api/v1/cases", json={"payload": example_case()}, headers=bearer)
        )
        assert created.status_code == 201 and seconds < 1.0  # no write lock left behind
        if database_url.startswith("postgresql"):
            engine = create_engine(database_url)
            with engine.connect() as c:
                stuck = c.scalar(
                    text(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = :db "
                        "AND state LIKE 'idle in transaction%'"
                    ),
                    {"db": make_url(database_url).database},
                )
            engine.dispose()
            assert stuck == 0
