"""Open-loop load against a running proa server, shared by `bench/api.py` and the short
load tests (tests/api/test_load.py).

Request i leaves at t0 + i/rate whatever the earlier ones did, and its latency is measured
from that planned instant: a stalled server cannot hide its queue (no coordinated
omission). Each case written names its employee uniquely, so that every acknowledged case
can be checked afterwards.

The client speaks HTTP/1.1 itself over asyncio streams, on kept-alive connections (a new
one when all are busy): a general-purpose client costs a few milliseconds of CPU per
request, which on a shared machine would measure the client instead of the server.
"""

from __future__ import annotations

import asyncio
import copy
import gc
import itertools
import json
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
CASE: dict[str, Any] = json.loads((ROOT / "proa" / "examples" / "case.json").read_text("utf-8"))
_serial = itertools.count(1)


@dataclass
class Outcome:
    planned: float  # seconds since the start of the run
    latency: float  # seconds from the planned instant to the answer (or the failure)
    status: int  # 0: no answer (connection refused, reset or timed out)
    retry_after: str | None = None
    case_id: int | None = None
    name: str | None = None


def new_case() -> tuple[dict[str, Any], str]:
    """The example case for a new employee, named uniquely."""
    payload = copy.deepcopy(CASE)
    name = f"Salarié {next(_serial)}"
    payload["parties"]["employee_name"] = name
    return payload, name


class Client:
    """Minimal HTTP/1.1 over kept-alive connections to one server."""

    def __init__(self, base: str, headers: dict[str, str], timeout: float = 30) -> None:
        parts = urlsplit(base)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.headers = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        self.timeout = timeout
        self.idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []

    async def request(
        self, method: str, path: str, body: bytes = b""
    ) -> tuple[int, dict[str, str], bytes]:
        return await asyncio.wait_for(self._request(method, path, body), self.timeout)

    async def _request(
        self, method: str, path: str, body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        while self.idle:  # a kept-alive connection the server may have closed meanwhile
            try:
                return await self._exchange(*self.idle.pop(), method, path, body)
            except (ConnectionError, asyncio.IncompleteReadError):
                continue
        reader, writer = await asyncio.open_connection(self.host, self.port)
        return await self._exchange(reader, writer, method, path, body)

    async def _exchange(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        method: str,
        path: str,
        body: bytes,
    ) -> tuple[int, dict[str, str], bytes]:
        try:
            writer.write(
                f"{method} {path} HTTP/1.1\r\nHost: {self.host}\r\n{self.headers}"
                f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n".encode()
                + body
            )
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            status = int(lines[0].split(" ", 2)[1])
            headers = {
                k.strip().lower(): v.strip()
                for k, _, v in (line.partition(":") for line in lines[1:] if line)
            }
            content = await reader.readexactly(int(headers.get("content-length", "0")))
        except BaseException:
            writer.close()
            raise
        if headers.get("connection", "").lower() == "close":
            writer.close()
        else:
            self.idle.append((reader, writer))
        return status, headers, content

    def close(self) -> None:
        for _, writer in self.idle:
            writer.close()
        self.idle.clear()


async def _write(client: Client, planned: float, t0: float) -> Outcome:
    payload, name = new_case()
    try:
        status, headers, body = await client.request(
            "POST", "/api/v1/cases", json.dumps({"payload": payload}).encode()
        )
    except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError):
        return Outcome(planned, time.perf_counter() - t0 - planned, 0)
    latency = time.perf_counter() - t0 - planned
    created = json.loads(body)["id"] if status == 201 else None
    return Outcome(planned, latency, status, headers.get("retry-after"), created, name)


async def open_loop(
    base: str, headers: dict[str, str], rate: float, duration: float, timeout: float = 30
) -> list[Outcome]:
    """Case writes at `rate` per second for `duration` seconds."""
    client = Client(base, headers, timeout)
    tasks = []
    t0 = time.perf_counter()
    for i in range(int(rate * duration)):
        planned = i / rate
        delay = t0 + planned - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(_write(client, planned, t0)))
    outcomes = list(await asyncio.gather(*tasks))
    client.close()
    return outcomes


def run(base: str, headers: dict[str, str], rate: float, duration: float) -> list[Outcome]:
    """One phase. The client's garbage collector is kept out of it: the outcomes of earlier
    phases (tens of thousands of objects) made its full collections pause the sending, and
    the delayed requests then left at once — a burst the server had to shed (measured: the
    second database of a run had p99 0.7–0.9 s at 100 writes/s, alone 17–31 ms)."""
    gc.collect()
    gc.freeze()  # what earlier phases left is never scanned again
    gc.disable()
    try:
        return asyncio.run(open_loop(base, headers, rate, duration))
    finally:
        gc.enable()


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


@dataclass
class Summary:
    sent: int
    statuses: dict[int, int]
    p50_ms: float  # of acknowledged writes
    p99_ms: float
    max_ms: float  # of every answer, refusals included
    refusals_without_retry_after: int

    @property
    def acknowledged(self) -> int:
        return self.statuses.get(201, 0)

    @property
    def errors(self) -> int:
        """Answers that are neither an acknowledged write nor a 503 refusal."""
        return self.sent - self.acknowledged - self.statuses.get(503, 0)


def summary(outcomes: list[Outcome]) -> Summary:
    ok = [o.latency * 1000 for o in outcomes if o.status == 201]
    return Summary(
        sent=len(outcomes),
        statuses=dict(sorted(Counter(o.status for o in outcomes).items())),
        p50_ms=percentile(ok, 50),
        p99_ms=percentile(ok, 99),
        max_ms=max((o.latency * 1000 for o in outcomes), default=float("nan")),
        refusals_without_retry_after=sum(
            1 for o in outcomes if o.status == 503 and not o.retry_after
        ),
    )


def acknowledged(outcomes: list[Outcome]) -> dict[int, str]:
    """Case id → its employee's unique name, for every acknowledged write."""
    return {o.case_id: o.name for o in outcomes if o.case_id is not None and o.name}


def lost(url: str, cases: dict[int, str]) -> list[int]:
    """The acknowledged cases the database does not hold as they were written."""
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from proa.storage.db import Database
    from proa.storage.models import Case

    db = Database.open(url, migrate=False)
    try:
        with db.reading() as session:
            rows = session.scalars(
                select(Case).where(Case.id.in_(cases)).options(selectinload(Case.current))
            )
            found = {c.id: c.payload["parties"]["employee_name"] for c in rows}
    finally:
        db.dispose()
    return sorted(i for i, name in cases.items() if found.get(i) != name)
