"""API benchmark: latency (p50, p99) and throughput of `POST /api/v1/evaluate` and of case
creation (`POST /api/v1/cases`), on loopback, with SQLite and with PostgreSQL.

`proa serve` runs in a subprocess on a fresh database; the client is open-loop (request i
leaves at t0 + i/rate whatever the previous ones did) and latency is measured from that
planned instant, so a stalled server cannot hide its queue (no coordinated omission).
Then a closed loop (16 concurrent clients) measures the maximum throughput.

    uv run python bench/api.py [--rate 100] [--duration 20] [--backends sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
CASE = json.loads((ROOT / "proa" / "examples" / "case.json").read_text(encoding="utf-8"))
PG_ADMIN = os.environ.get(
    "PROA_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
PROA = str(Path(sys.executable).parent / "proa")


@contextmanager
def database(backend: str) -> Iterator[str]:
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{tmp}/bench.db"
        return
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    name = f"proa_bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield PG_ADMIN.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def server(url: str) -> Iterator[tuple[str, dict[str, str]]]:
    """`proa serve` on a free loopback port; yields its base URL and a bearer header."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen(
        [PROA, "serve", "--port", str(port), "--database", url],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=dict(os.environ, PYTHONUNBUFFERED="1"),
    )
    try:
        assert proc.stdout is not None
        email = password = ""
        while not password:
            line = proc.stdout.readline()
            if not line:
                raise SystemExit("le serveur s'est arrêté avant d'afficher le compte")
            if "Adresse :" in line:
                email = line.split(":", 1)[1].strip()
            if "Mot de passe" in line:
                password = line.rsplit(": ", 1)[1].strip()
        base = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                httpx.get(base + "/api/v1/health", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        token = httpx.post(
            base + "/api/v1/auth/login", json={"email": email, "password": password}
        ).json()["token"]
        yield base, {"Authorization": f"Bearer {token}"}
    finally:
        proc.terminate()
        proc.wait()


Request = Callable[[httpx.AsyncClient], Any]


def evaluate_request(client: httpx.AsyncClient) -> Any:
    return client.post("/api/v1/evaluate", json=CASE)


def create_request(client: httpx.AsyncClient) -> Any:
    return client.post("/api/v1/cases", json={"payload": CASE})


async def open_loop(
    base: str, headers: dict[str, str], request: Request, rate: float, duration: float
) -> tuple[list[float], int]:
    """Latencies (ms, from the planned send time) and the count of non-2xx answers."""
    latencies: list[float] = []
    failures = 0
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
    async with httpx.AsyncClient(
        base_url=base, headers=headers, limits=limits, timeout=30
    ) as client:

        async def one(planned: float) -> None:
            nonlocal failures
            r = await request(client)
            latencies.append((time.perf_counter() - planned) * 1000)
            if r.status_code >= 300:
                failures += 1

        tasks = []
        t0 = time.perf_counter()
        for i in range(int(rate * duration)):
            planned = t0 + i / rate
            delay = planned - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(planned)))
        await asyncio.gather(*tasks)
    return latencies, failures


async def closed_loop(
    base: str, headers: dict[str, str], request: Request, duration: float, clients: int = 16
) -> float:
    """Requests per second with `clients` requests always in flight."""
    done = 0
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30) as client:
        end = time.perf_counter() + duration

        async def worker() -> None:
            nonlocal done
            while time.perf_counter() < end:
                await request(client)
                done += 1

        t0 = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        return done / (time.perf_counter() - t0)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=100.0, help="requêtes par seconde")
    parser.add_argument("--duration", type=float, default=20.0, help="secondes mesurées")
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    print(
        f"# {platform.machine()}, {cpu}, {os.cpu_count()} cœurs, Python "
        f"{platform.python_version()}; {args.rate:g} req/s pendant {args.duration:g} s"
    )
    print("| Base | Requête | p50 (ms) | p99 (ms) | max (ms) | erreurs | débit max (req/s) |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for backend in args.backends.split(","):
        with database(backend) as url, server(url) as (base, headers):
            for label, request in (
                ("POST /api/v1/evaluate", evaluate_request),
                ("POST /api/v1/cases", create_request),
            ):
                asyncio.run(open_loop(base, headers, request, args.rate, 2))  # warm-up
                lat, failures = asyncio.run(
                    open_loop(base, headers, request, args.rate, args.duration)
                )
                peak = asyncio.run(closed_loop(base, headers, request, 5))
                print(
                    f"| {backend} | `{label}` | {statistics.median(lat):.1f} | "
                    f"{percentile(lat, 99):.1f} | {max(lat):.1f} | {failures} | {peak:.0f} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
