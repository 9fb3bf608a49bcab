"""Where a case write's server time goes, without HTTP: the token look-up and
`service.create_case` (validation, verdict, employee, case, version, audit link, commit) in a
loop on a fresh SQLite file (`synchronous=FULL`) or on a PostgreSQL database
(`--database URL`, a new organisation of its own), then the same loop under cProfile.

Run: `uv run python bench/write.py [--writes 300] [--database URL]`. Record the output in
docs/benchmarks.md with the machine, its load and the date.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import json
import os
import platform
import pstats
import tempfile
import time
import uuid
from pathlib import Path

from proa import evaluate, service
from proa.cli.main import EXAMPLE
from proa.storage.db import Database

PASSWORD = "banc-d-essai-de-l-ecriture-42"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--writes", type=int, default=300)
    parser.add_argument("--database", help="a database URL (default: a new SQLite file)")
    args = parser.parse_args()
    n = args.writes
    payload = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as folder:
        db = Database.open(args.database or f"sqlite:///{Path(folder) / 'bench.db'}")
        tag = uuid.uuid4().hex[:8]  # a database given may already hold earlier runs
        org = service.create_organisation(db, None, f"Cabinet du banc d'essai {tag}", "cabinet")
        email = f"banc-{tag}@essai.fr"
        service.create_user(db, None, email, "employer", org.id, password=PASSWORD)
        token = service.login(db, email, PASSWORD).token

        def write() -> None:
            service.create_case(db, service.actor_for_token(db, token), payload)

        for _ in range(20):  # warm-up: caches, compiled pack, connections
            write()
        print(
            f"# {dt.datetime.now():%Y-%m-%d %H:%M}, {platform.machine()}, "
            f"Python {platform.python_version()}, {db.dialect}, charge : {os.getloadavg()}"
        )
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(n):
            write()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(f"écriture : {wall / n * 1000:.2f} ms (temps écoulé), {cpu / n * 1000:.2f} ms CPU")
        start = time.perf_counter()
        for _ in range(n):
            evaluate(payload)
        print(f"  dont verdict : {(time.perf_counter() - start) / n * 1000:.2f} ms")
        start = time.perf_counter()
        for _ in range(n):
            service.actor_for_token(db, token)
        print(f"  dont jeton : {(time.perf_counter() - start) / n * 1000:.2f} ms")
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(n):
            write()
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(20)
        db.dispose()


if __name__ == "__main__":
    main()
