"""Time per generated document (PDF and DOCX), after one warm-up render per kind.

    uv run python bench/documents.py [--repeat 20]

Prints a Markdown table for docs/benchmarks.md. The target is under 300 ms per PDF. Both
the process CPU time and the wall-clock time are given: on a shared machine the wall clock
also counts the time other processes hold the cores.
"""

from __future__ import annotations

import argparse
import copy
import json
import statistics
import time
from pathlib import Path
from typing import Any

from proa.documents import render

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = json.loads((ROOT / "proa" / "examples" / "case.json").read_text(encoding="utf-8"))


def cases() -> dict[str, dict[str, Any]]:
    pro_a = copy.deepcopy(EXAMPLE)  # the example case names its parties
    external = copy.deepcopy(pro_a) | {
        "agreement_date": "2026-03-02",
        "start_date": "2026-04-06",
        "end_date": "2027-02-26",
        "tutor": None,
        "reconversion": {"mode": "external", "host_contract": "CDD", "host_contract_months": 8},
    }
    return {"pro-a": pro_a, "reconversion": external}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    jobs = [("pro-a", k) for k in ("avenant", "pedagogique", "droits-salarie")]
    jobs += [("reconversion", k) for k in ("accord-reconversion", "droits-salarie")]
    start = time.perf_counter()
    render("avenant", cases()["pro-a"])  # imports WeasyPrint, loads fonts and templates
    first = time.perf_counter() - start
    print(f"First document (imports, fonts, templates): {first * 1000:.0f} ms\n")
    print("| document | format | CPU median (ms) | CPU max (ms) | wall median (ms) |")
    print("|---|---|---:|---:|---:|")
    for regime, kind in jobs:
        case = cases()[regime]
        for fmt in ("pdf", "docx"):
            render(kind, case, fmt=fmt)
            cpu, wall = [], []
            for _ in range(args.repeat):
                c, t = time.process_time(), time.perf_counter()
                render(kind, case, fmt=fmt)
                cpu.append((time.process_time() - c) * 1000)
                wall.append((time.perf_counter() - t) * 1000)
            print(
                f"| {kind} ({regime}) | {fmt.upper()} | {statistics.median(cpu):.0f} "
                f"| {max(cpu):.0f} | {statistics.median(wall):.0f} |"
            )


if __name__ == "__main__":
    main()
