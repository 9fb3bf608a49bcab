"""Killing the server in the middle of writes loses no committed case and leaves the audit
trail consistent: `proa serve` on a SQLite file, concurrent case creations, SIGKILL, restart."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import text

from proa.storage import services as s
from proa.storage.db import Database
from tests.conftest import example_case

PROA = str(Path(sys.executable).parent / "proa")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _start(url: str) -> tuple[subprocess.Popen[str], str]:
    port = _free_port()
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        [PROA, "serve", "--port", str(port), "--database", url],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(base + "/api/v1/health", timeout=1).status_code == 200:
                return proc, base
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise AssertionError("server did not start: " + (proc.stdout.read() if proc.stdout else ""))


def _first_run_credentials(proc: subprocess.Popen[str]) -> tuple[str, str]:
    assert proc.stdout is not None
    email = password = ""
    while not password:
        line = proc.stdout.readline()
        assert line, "no credentials printed"
        if "Adresse :" in line:
            email = line.split(":", 1)[1].strip()
        if "Mot de passe" in line:
            password = line.rsplit(": ", 1)[1].strip()
    return email, password


def test_sigkill_during_writes_loses_no_committed_case(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'crash.db'}"
    proc, base = _start(url)
    email, password = _first_run_credentials(proc)
    token = httpx.post(
        base + "/api/v1/auth/login", json={"email": email, "password": password}
    ).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    committed: dict[int, dict[str, Any]] = {}
    lock = threading.Lock()
    stop = threading.Event()

    def writer(n: int) -> None:
        with httpx.Client(base_url=base, headers=headers, timeout=10) as client:
            i = 0
            while not stop.is_set():
                payload = example_case()
                payload["training_hours"] = 200 + n * 1000 + i
                i += 1
                try:
                    r = client.post("/api/v1/cases", json={"payload": payload})
                except httpx.TransportError:
                    return  # the server died under us: this write never answered
                if r.status_code == 201:
                    with lock:
                        committed[r.json()["id"]] = payload

    with ThreadPoolExecutor(8) as pool:
        futures = [pool.submit(writer, n) for n in range(8)]
        while len(committed) < 60:
            time.sleep(0.01)
        proc.send_signal(signal.SIGKILL)  # mid-flight: other writes are still in progress
        proc.wait()
        stop.set()
        for f in futures:
            f.result()

    restarted, base = _start(url)
    try:
        with httpx.Client(base_url=base, headers=headers, timeout=10) as client:
            for case_id, payload in committed.items():  # the session itself survived too
                r = client.get(f"/api/v1/cases/{case_id}")
                assert r.status_code == 200, (case_id, r.text)
                assert r.json()["payload"] == payload
    finally:
        restarted.terminate()
        restarted.wait()
        output = restarted.stdout.read() if restarted.stdout else ""
        assert "Mot de passe" not in output  # no second admin on restart

    db = Database.open(url)
    with db.session() as session:
        assert session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        check = s.verify_audit_chain(session)
        assert check.ok
        created = session.execute(
            text("SELECT count(*) FROM audit_events WHERE entity = 'case' AND action = 'create'")
        ).scalar()
        cases = session.execute(text("SELECT count(*) FROM cases")).scalar()
        assert created == cases >= len(committed)
    db.dispose()
