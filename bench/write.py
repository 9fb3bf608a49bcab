"""Where a case write's server time goes, without HTTP: the token look-up and
`service.create_case` (validation, verdict, employee, case, version, audit link, commit) in a
loop on a fresh SQLite file (`synchronous=FULL`), then the same loop under cProfile.

Run: `uv run python bench/write.py [--writes 300]`. Record the output in docs/benchmarks.md
with the machine, its load and the date.
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
from pathlib import Path

from proa import evaluate, service
from proa.cli.main import EXAMPLE
from proa.storage.db import Database

PASSWORD = "banc-d-essai-de-l-ecriture-42"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--writes", type=int, default=300)
    n = parser.parse_args().writes
    payload = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as folder:
        db = Database.open(f"sqlite:///{Path(folder) / 'bench.db'}")
        org = service.create_organisation(db, None, "Cabinet du banc d'essai", "cabinet")
        service.create_user(db, None, "banc@essai.fr", "employer", org.id, password=PASSWORD)
        token = service.login(db, "banc@essai.fr", PASSWORD).token

        def write() -> None:
            service.create_case(db, service.actor_for_token(db, token), payload)

        for _ in range(20):  # warm-up: caches, compiled pack, connections
            write()
        print(
            f"# {dt.datetime.now():%Y-%m-%d %H:%M}, {platform.machine()}, "
            f"Python {platform.python_version()}, charge : {os.getloadavg()}"
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
