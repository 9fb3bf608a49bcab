"""Service under load (issue 12, §2), on SQLite and PostgreSQL: `proa serve` in a subprocess
on a fresh database, on loopback, driven open-loop by `bench/load.py` (latency from each
request's planned send time). Phases, one server per database:

1. sustained: 100 case writes/s for 60 s (target p99 < 50 ms, no error);
2. burst: 500 case writes/s for 20 s (target: fast 503s with Retry-After, no 30 s wait);
3. recovery: 100 writes/s for 20 s right after (target: normal p99 within 5 s);
4. drain: 100 writes/s, SIGTERM after 3 s (target: stopped within 10 s);
then every acknowledged case is looked up in the database (target: none lost).

    uv run python bench/api.py [--backends sqlite,postgresql] [--scale 1.0]

`--scale 0.1` runs every phase ten times shorter (a smoke run, not a measurement).
"""

from __future__ import annotations

import argparse
import os
import platform
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench import live, load

PG_ADMIN = os.environ.get(
    "PROA_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


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


def start(url: str) -> tuple[subprocess.Popen[str], str, dict[str, str]]:
    """`proa serve` on a free loopback port; its process, base URL and a bearer header."""
    server = live.start(url)
    token = server.token(*server.credentials())
    assert server.proc.stdout is not None
    threading.Thread(target=server.proc.stdout.read, daemon=True).start()  # keep it drained
    return server.proc, server.base, {"Authorization": f"Bearer {token}"}


def row(backend: str, phase: str, s: load.Summary, note: str = "") -> str:
    statuses = ", ".join(f"{k or 'aucune réponse'}: {v}" for k, v in s.statuses.items())
    return (
        f"| {backend} | {phase} | {s.sent} | {statuses} | {s.p50_ms:.1f} | {s.p99_ms:.1f} | "
        f"{s.max_ms:.0f} | {note} |"
    )


def recovery(outcomes: list[load.Outcome], target_ms: float = 50.0) -> tuple[float, float]:
    """p99 (ms) of the writes planned 5 s or more after the burst, and the first second
    from which every one-second window's p99 is under `target_ms`."""
    late = [o.latency * 1000 for o in outcomes if o.status == 201 and o.planned >= 5]
    windows: dict[int, list[float]] = {}
    for o in outcomes:
        windows.setdefault(int(o.planned), []).append(
            o.latency * 1000 if o.status == 201 else float("inf")
        )
    recovered = next(
        (
            float(second)
            for second in sorted(windows)
            if all(load.percentile(windows[s], 99) < target_ms for s in windows if s >= second)
        ),
        float("inf"),
    )
    return load.percentile(late, 99), recovered


def drain(
    proc: subprocess.Popen[str], base: str, headers: dict[str, str], scale: float
) -> tuple[list[load.Outcome], float]:
    """Writes at 100/s; SIGTERM after 3 s; how long the server took to stop."""
    stopped: list[float] = []

    def terminate() -> None:
        time.sleep(3 * scale)
        sent = time.perf_counter()
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        stopped.append(time.perf_counter() - sent)

    killer = threading.Thread(target=terminate)
    killer.start()
    outcomes = load.run(base, headers, 100, max(6.0, 10 * scale))
    killer.join()
    return outcomes, stopped[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--scale", type=float, default=1.0, help="durée des phases (1 = cible)")
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
        f"# {time.strftime('%Y-%m-%d %H:%M')}, {platform.machine()}, {cpu}, {os.cpu_count()} "
        f"cœurs, Python {platform.python_version()}, charge avant : "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    print("| Base | Phase | requêtes | réponses | p50 (ms) | p99 (ms) | max (ms) | |")
    print("|---|---|---:|---|---:|---:|---:|---|")
    for backend in args.backends.split(","):
        with database(backend) as url:
            proc, base, headers = start(url)
            written: dict[int, str] = {}
            load.run(base, headers, 50, 2)  # warm-up
            sustained = load.run(base, headers, 100, 60 * args.scale)
            written |= load.acknowledged(sustained)
            print(row(backend, "100 écritures/s", load.summary(sustained)), flush=True)
            burst = load.run(base, headers, 500, 20 * args.scale)
            written |= load.acknowledged(burst)
            s = load.summary(burst)
            note = f"503 sans Retry-After : {s.refusals_without_retry_after}"
            print(row(backend, "rafale 500/s", s, note), flush=True)
            after = load.run(base, headers, 100, 20 * args.scale)
            written |= load.acknowledged(after)
            late_p99, recovered = recovery(after)
            note = f"p99 après 5 s : {late_p99:.1f} ms ; p99 < 50 ms à partir de {recovered:g} s"
            print(row(backend, "reprise 100/s", load.summary(after), note), flush=True)
            drained, seconds = drain(proc, base, headers, args.scale)
            written |= load.acknowledged(drained)
            note = f"arrêt {seconds:.1f} s après SIGTERM (code {proc.returncode})"
            print(row(backend, "SIGTERM", load.summary(drained), note), flush=True)
            missing = load.lost(url, written)
            print(
                f"| {backend} | perdus | {len(written)} acquittés | {len(missing)} absents "
                f"| | | | |",
                flush=True,
            )
    print(f"# charge après : {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
