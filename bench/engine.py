"""Engine benchmark: single-case latency (p50/p99) with full findings and traces, cases/s
over 100,000 generated cases, and the CLI's start-up time (`proa --help`).

Run: `uv run python bench/engine.py [--cases 100000]`. Record the output in
docs/benchmarks.md with the machine and the date.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import random
import shutil
import statistics
import subprocess
import sys
import time
from typing import Any

from proa import default_engine, parse_case
from proa.core.model import Case

CONTRACTS = ["CDI", "CDI", "CDI", "CDD", "CUI-CDI", "apprentissage"]
TARGETS = [
    ("certification", "RNCP40913"),
    ("certification", "RNCP36358"),
    ("certification", "RNCP12345"),
    ("socle", None),
    ("vae", None),
]


def generate(n: int, seed: int = 81) -> list[dict[str, Any]]:
    """Plausible cases over both regimes (deterministic for a given seed)."""
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        agreement = dt.date(2021, 6, 1) + dt.timedelta(days=rnd.randint(0, 1700))
        start = agreement + dt.timedelta(days=rnd.randint(0, 45))
        end = start + dt.timedelta(days=rnd.randint(120, 1000))
        kind, code = rnd.choice(TARGETS)
        out.append(
            {
                "agreement_date": agreement.isoformat(),
                "start_date": start.isoformat(),
                "end_date": end.isoformat(),
                "employer": {"idcc": 1147, "headcount": rnd.randint(1, 60)},
                "employee": {
                    "birth_date": dt.date(
                        rnd.randint(1960, 2004), rnd.randint(1, 12), rnd.randint(1, 28)
                    ).isoformat(),
                    "contract": rnd.choice(CONTRACTS),
                    "partial_activity": rnd.random() < 0.1,
                    "weekly_hours": rnd.choice([24, 28, 30, 35, 35, 35, 39]),
                    "licence_grade": rnd.random() < 0.1,
                    "qualification_level": rnd.randint(0, 6),
                    "years_of_activity": rnd.randint(0, 40),
                    "disabled_worker": rnd.random() < 0.05,
                    "returning_from": rnd.choice([None, None, None, "parental", "illness"]),
                    "minima_sociaux": rnd.random() < 0.05,
                    "former_cui": rnd.random() < 0.05,
                    "no_secondary_diploma": rnd.random() < 0.2,
                },
                "target": {"kind": kind, "code": code},
                "training_hours": rnd.choice([120, 150, 200, 279, 300, 400, 455, 600]),
                "tutor": None
                if rnd.random() < 0.05
                else {
                    "role": rnd.choice(["employee", "employer"]),
                    "experience_years": rnd.randint(0, 15),
                    "current_beneficiaries": rnd.randint(0, 3),
                },
                "reconversion": {
                    "mode": rnd.choice(["internal", "external"]),
                    "host_contract": "CDI",
                },
            }
        )
    return out


def percentile(sorted_ns: list[int], q: float) -> float:
    return sorted_ns[min(len(sorted_ns) - 1, int(q * len(sorted_ns)))] / 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--latency-cases", type=int, default=20_000)
    args = parser.parse_args()
    engine = default_engine()
    raw = generate(args.cases)
    t0 = time.perf_counter()
    models: list[Case] = [parse_case(c) for c in raw]
    parse_s = time.perf_counter() - t0
    for c in models[:2000]:  # warm caches (parameter snapshots, traces)
        engine.evaluate(c)

    lat: list[int] = []
    for c in models[: args.latency_cases]:
        s = time.perf_counter_ns()
        engine.evaluate(c)
        lat.append(time.perf_counter_ns() - s)
    lat.sort()
    lat_dict: list[int] = []
    for c in raw[: args.latency_cases // 4]:
        s = time.perf_counter_ns()
        engine.evaluate(c)
        lat_dict.append(time.perf_counter_ns() - s)
    lat_dict.sort()

    t0 = time.perf_counter()
    decisions: dict[str, int] = {}
    for c in models:
        d = engine.evaluate(c).decision
        decisions[d] = decisions.get(d, 0) + 1
    total_s = time.perf_counter() - t0

    from proa.core.table import evaluate_table, frame
    from proa.law import default_pack

    t0 = time.perf_counter()
    table_in = frame(raw)
    frame_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    table_out = evaluate_table(table_in, default_pack())
    table_s = time.perf_counter() - t0
    agree = sum(
        1
        for a, b in zip(
            table_out["decision"].to_list(),
            (engine.evaluate(c).decision for c in models[:5000]),
            strict=False,
        )
        if a == b
    )

    proa = shutil.which("proa") or sys.executable
    cmd = [proa, "--help"] if proa.endswith("proa") else [proa, "-m", "proa.cli", "--help"]
    starts = []
    for _ in range(15):
        s = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=True)
        starts.append(time.perf_counter() - s)

    print(
        f"machine: {platform.machine()} {platform.processor() or ''} "
        f"python {platform.python_version()}"
    )
    print(
        f"single case, parsed model, full findings + traces: p50 {percentile(lat, 0.5):.1f} µs,"
        f" p99 {percentile(lat, 0.99):.1f} µs  (n={len(lat)})"
    )
    print(
        f"single case from a dict (validation included): p50 {percentile(lat_dict, 0.5):.1f} µs,"
        f" p99 {percentile(lat_dict, 0.99):.1f} µs"
    )
    print(
        f"throughput: {len(models) / total_s:,.0f} cases/s over {len(models):,} cases "
        f"({total_s:.2f} s); decisions {decisions}"
    )
    print(f"parsing: {len(raw) / parse_s:,.0f} cases/s")
    print(
        f"table engine (Polars): {len(raw) / table_s:,.0f} cases/s over {len(raw):,} rows "
        f"({table_s:.2f} s; building the table {frame_s:.2f} s); "
        f"agrees with the scalar engine on {agree}/5000 decisions checked"
    )
    print(
        f"CLI start-up `proa --help`: median {statistics.median(starts) * 1000:.0f} ms, "
        f"min {min(starts) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
