"""The case list at scale (issue 13, §2): one cabinet with N cases (default 2,000, names with
accents, start dates over the coming year), then the web list's pages, search, orders and
exports timed through the app in process (no network), median of several runs.

Run: `uv run python bench/lists.py [--cases 2000] [--database URL]` (default: a fresh SQLite
file; a PostgreSQL URL must name an empty database, analysed after the load as autovacuum
would). Record the output in
docs/benchmarks.md with the machine, its load and the date.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from proa import service
from proa.app import create_app
from proa.cli.main import EXAMPLE
from proa.storage.db import Database

PASSWORD = "banc-d-essai-des-listes-42"
FIRST = ("Hélène", "Jean", "Zoé", "Loïc", "Amélie", "Noël", "Chloé", "Théo", "Maëlle", "Paul")
LAST = ("Dupont", "Lœwy", "Martin", "Bérénice", "Durand", "Lefèvre", "Moreau", "Gauthier")
QUERIES = {
    "page 1 (récents d'abord)": "/dossiers",
    "page 20": "/dossiers?page=20",
    "100 par page, page 10": "/dossiers?taille=100&page=10",
    "recherche « helene »": "/dossiers?nom=helene",
    "recherche « loewy hel »": "/dossiers?nom=loewy+hel",
    "tri prochaine échéance": "/dossiers?tri=next_deadline",
    "tri salarié, page 15": "/dossiers?tri=employee_name&page=15",
    "filtre décision + tri statut": "/dossiers?decision=eligible&tri=status",
    "échéances à 90 jours": "/echeances?jours=90",
    "export CSV (tout)": "/dossiers.csv",
    "export XLSX (tout)": "/dossiers.xlsx",
}


def _payload(i: int, base: dict[str, object], today: dt.date) -> dict[str, object]:
    """A quarter the example as it is (eligible, its deadlines past), the others starting
    over the coming year (still to complete, their deadlines ahead)."""
    payload = copy.deepcopy(base)
    if i % 4:
        start = today + dt.timedelta(days=10 + i % 360)
        payload["agreement_date"] = (start - dt.timedelta(days=20)).isoformat()
        payload["start_date"] = start.isoformat()
        payload["end_date"] = (start + dt.timedelta(days=364)).isoformat()
    parties = payload["parties"]
    assert isinstance(parties, dict)
    parties["employee_name"] = f"{FIRST[i % len(FIRST)]} {LAST[i // len(FIRST) % len(LAST)]} {i}"
    return payload


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--database", default=None)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    base = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as folder:
        db = Database.open(args.database or f"sqlite:///{Path(folder) / 'bench.db'}")
        org = service.create_organisation(db, None, "Cabinet du banc d'essai", "cabinet")
        service.create_user(db, None, "banc@essai.fr", "employer", org.id, password=PASSWORD)
        actor = service.actor_for_token(db, service.login(db, "banc@essai.fr", PASSWORD).token)
        today = dt.date.today()
        start = time.perf_counter()
        for i in range(args.cases):
            service.create_case(db, actor, _payload(i, base, today))
        made = time.perf_counter() - start
        if db.dialect == "postgresql":  # the statistics autovacuum gathers after a bulk load
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
                c.exec_driver_sql("ANALYZE")
        print(
            f"# {dt.datetime.now():%Y-%m-%d %H:%M}, {platform.machine()}, "
            f"Python {platform.python_version()}, {db.dialect}, charge : {os.getloadavg()}"
        )
        print(f"{args.cases} dossiers créés en {made:.1f} s ({made / args.cases * 1000:.1f} ms)")
        with TestClient(create_app(database=db), headers={"Origin": "http://testserver"}) as c:
            c.post("/connexion", data={"email": "banc@essai.fr", "password": PASSWORD})
            for label, url in QUERIES.items():
                times, size = [], 0
                for _ in range(args.runs):
                    t = time.perf_counter()
                    r = c.get(url)
                    times.append(time.perf_counter() - t)
                    assert r.status_code == 200, (url, r.status_code)
                    size = len(r.content)
                median = statistics.median(times) * 1000
                print(f"{label:32} {median:8.1f} ms  ({size / 1024:.0f} Kio)")
        db.dispose()


if __name__ == "__main__":
    main()
