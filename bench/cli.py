"""Whole-process time of the `proa` commands people type, as a shell runs them.

    uv run python bench/cli.py [--runs 30]

Prints a Markdown table for docs/benchmarks.md (section « CLI start-up »): wall-clock and
CPU time (user + system) per run, the median and the 90th percentile over `--runs` runs
after one warm-up run. « cold » runs start without the kept rule pack (`PROA_CACHE` set to
an empty folder each time: the first run after an install or a change of the law), the
others with it. The target: `proa check CASE --json` under 300 ms. On a shared machine the
wall clock also counts waiting for a core: say what else was running.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CASE = str(ROOT / "proa" / "examples" / "case.json")
COMMANDS = {
    "proa check CASE --json": ["check", CASE, "--json"],
    "proa check CASE (report)": ["check", CASE],
    "proa check CASE --json, cold": ["check", CASE, "--json"],
    "proa --help": ["--help"],
}


def _proa() -> list[str]:
    """The installed entry point, as a shell would run it."""
    found = shutil.which("proa") or str(Path(sys.executable).with_name("proa"))
    return [found]


def _once(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([*_proa(), *args], env=env, stdout=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall * 1000, cpu * 1000


def _p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10)[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    runs = parser.parse_args().runs
    print(f"`{' '.join(_proa())}`, {runs} runs each after one warm-up run\n")
    print("| command | wall median (ms) | wall p90 (ms) | CPU median (ms) |")
    print("|---|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        kept = {**os.environ, "PROA_CACHE": str(Path(tmp) / "kept")}
        for label, args in COMMANDS.items():
            cold = label.endswith("cold")
            walls, cpus = [], []
            for n in range(runs + 1):
                env = kept
                if cold:
                    env = {**os.environ, "PROA_CACHE": str(Path(tmp) / f"cold-{n}")}
                wall, cpu = _once(args, env)
                if n:  # the first run warms the disk cache (and keeps the pack)
                    walls.append(wall)
                    cpus.append(cpu)
            print(
                f"| `{label}` | {statistics.median(walls):.0f} | {_p90(walls):.0f} "
                f"| {statistics.median(cpus):.0f} |"
            )


if __name__ == "__main__":
    main()
