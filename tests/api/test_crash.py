"""Killing the server in the middle of writes loses no committed case and leaves the audit
trail consistent: `proa serve` on a SQLite file, concurrent case creations, SIGKILL, restart."""

from __future__ import annotations

import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import text

from proa import service as s
from proa.storage.db import Database
from tests.api import live
from tests.conftest import example_case


def test_sigkill_during_writes_loses_no_committed_case(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'crash.db'}"
    server = live.start(url)
    proc, base = server.proc, server.base
    headers = {"Authorization": f"Bearer {server.token(*server.credentials())}"}
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

    restarted = live.start(url)
    try:
        with httpx.Client(base_url=restarted.base, headers=headers, timeout=10) as client:
            for case_id, payload in committed.items():  # the session itself survived too
                r = client.get(f"/api/v1/cases/{case_id}")
                assert r.status_code == 200, (case_id, r.text)
                assert r.json()["payload"] == payload
    finally:
        assert "Mot de passe" not in restarted.stop()  # no second admin on restart

    db = Database.open(url)
    with db.reading() as session:
        assert session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        check = s.verify_audit_chain(db)
        assert check.ok
        created = session.execute(
            text("SELECT count(*) FROM audit_events WHERE entity = 'case' AND action = 'create'")
        ).scalar()
        cases = session.execute(text("SELECT count(*) FROM cases")).scalar()
        assert created == cases >= len(committed)
    db.dispose()
