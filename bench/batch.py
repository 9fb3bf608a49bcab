"""Batch benchmark: the table engine's speed, a Parquet → Parquet run end to end, peak
memory of a streamed run, and row-for-row agreement with the scalar engine.

Run: `uv run python bench/batch.py [--rows 1000000] [--big 10000000] [--agree 1000000]`.
Targets (issue 11, this 2-core machine): decision + limits ≥ 5 M rows/s at 10^6 rows;
10^6 rows Parquet → Parquet < 2 s; peak memory < 1 GiB at 10^7 rows; same decisions as
the scalar engine. Also measured: reading the file, and the Parquet writer's compressions
(time, size, reading back). Record the output in docs/benchmarks.md with the machine, the
date and the load average (printed here): on a shared machine, compare only runs made in
the same minutes, and take the best of several.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Literal

import polars as pl

from proa import default_engine
from proa.batch.read import convert, open_source
from proa.batch.run import CHUNK_ROWS, COMPRESSION, run_batch
from proa.batch.synth import workforce
from proa.core.table import evaluate_table
from proa.law import default_pack


def best(times: int, fn: Callable[[], object]) -> float:
    out = []
    for _ in range(times):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return min(out)


def machine() -> str:
    cpu = platform.processor()
    with contextlib.suppress(OSError):
        lines = Path("/proc/cpuinfo").read_text().splitlines()
        models = [line.split(":", 1)[1].strip() for line in lines if "model name" in line]
        cpu = models[0] if models else cpu
    return f"{platform.machine()} {cpu}, {os.cpu_count()} cores"


def big_file(path: Path, rows: int) -> None:
    """`rows` synthetic rows written a million at a time (different seeds)."""
    parts = []
    for i, offset in enumerate(range(0, rows, 1_000_000)):
        part = path.with_name(f"{path.stem}-{i}.parquet")
        workforce(min(1_000_000, rows - offset), seed=100 + i).write_parquet(part)
        parts.append(part)
    pl.scan_parquet(parts).sink_parquet(path)
    for part in parts:
        part.unlink()


def peak_memory(source: Path, output: Path) -> tuple[float, float]:
    """(seconds, peak RSS in MiB) of `proa batch` in a fresh process.

    The child reports its own VmHWM (the peak of its address space since `exec`): the
    `ru_maxrss` that `wait4` returns carries over the peak of the process it was forked
    from (Linux keeps the larger across `exec`), here this benchmark's 1–2 GiB."""
    code = (
        "import sys; from pathlib import Path; from proa.batch.run import run_batch; "
        "run_batch(Path(sys.argv[1]), Path(sys.argv[2])); "
        "print(next(l for l in open('/proc/self/status') if l.startswith('VmHWM')))"
    )
    start = time.perf_counter()
    child = subprocess.run(
        [sys.executable, "-c", code, str(source), str(output)], capture_output=True, text=True
    )
    if child.returncode:
        raise SystemExit(f"proa batch failed: {child.returncode}\n{child.stderr}")
    kib = int(child.stdout.split()[-2])  # "VmHWM:   524288 kB"
    return time.perf_counter() - start, kib / 1024


def writer(results: pl.DataFrame, path: Path) -> None:
    """The results written with each compression: time, size, time to read them back."""
    print("Parquet writer: compression, write (s), size (MiB), read back (s)")
    options: list[tuple[Literal["zstd", "lz4", "snappy", "uncompressed"], int | None]] = [
        ("zstd", 1),
        ("zstd", 3),
        ("lz4", None),
        ("snappy", None),
        ("uncompressed", None),
    ]
    for name, level in options:
        write = partial(results.lazy().sink_parquet, path, compression=name)
        write_s = best(3, partial(write, compression_level=level))
        size = path.stat().st_size / 2**20
        read_s = best(3, lambda: pl.read_parquet(path))
        label = f"{name} {level}" if level else name
        print(f"  {label:13s} {write_s:6.3f} {size:7.1f} {read_s:6.3f}")


def as_case(row: dict[str, object]) -> dict[str, object]:
    from tests.test_batch import as_case as convert_row

    return convert_row(row)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--big", type=int, default=10_000_000, help="0: skip the memory run")
    parser.add_argument("--agree", type=int, default=1_000_000, help="rows checked vs scalar")
    args = parser.parse_args()
    print(
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {machine()}, "
        f"Python {platform.python_version()}, Polars {pl.__version__}"
    )
    print(f"load average at start: {os.getloadavg()}")
    pack = default_pack()
    tmp = Path(tempfile.mkdtemp(prefix="proa-bench-"))
    source = tmp / "effectif.parquet"
    frame = workforce(args.rows)
    frame.write_parquet(source)

    opened = open_source(source)
    read_s = best(5, lambda: opened.slice(0, opened.rows))
    sliced_s = best(5, lambda: list(opened.chunks(CHUNK_ROWS)))
    chunk = opened.slice(0, opened.rows)
    convert_s = best(3, lambda: convert(chunk, opened.inputs))
    good, _ = convert(chunk, opened.inputs)
    evaluate_table(good.head(1_000), pack)  # compile the plans once
    engine_s = best(5, lambda: evaluate_table(good, pack))
    missing_s = best(3, lambda: evaluate_table(good, pack, missing=True))
    print(
        f"table engine, decision + limits, {args.rows:,} rows: {engine_s:.3f} s, "
        f"{args.rows / engine_s / 1e6:.2f} M rows/s"
    )
    print(f"  with the missing inputs traced: {missing_s:.3f} s")
    print(f"reading the file: {read_s:.3f} s whole, {sliced_s:.3f} s by chunks of {CHUNK_ROWS:,}")
    print(f"checking and converting the columns: {convert_s:.3f} s")
    end_s = best(3, lambda: run_batch(source, tmp / "resultats.parquet"))
    print(f"Parquet → Parquet end to end, {args.rows:,} rows: {end_s:.3f} s ({COMPRESSION})")
    writer(pl.read_parquet(tmp / "resultats.parquet"), tmp / "w.parquet")

    if args.agree:
        engine = default_engine()
        result = pl.read_parquet(tmp / "resultats.parquet").head(args.agree)
        rows = frame.head(args.agree)
        start = time.perf_counter()
        differ = 0
        for row, got in zip(rows.iter_rows(named=True), result.iter_rows(named=True), strict=True):
            scalar = engine.evaluate(as_case(row), trace=False)
            if (scalar.decision, scalar.regime, scalar.missing) != (
                got["decision"],
                got["regime"],
                got["missing"],
            ):
                differ += 1
        print(
            f"agreement with the scalar engine: {args.agree - differ:,} / {args.agree:,} "
            f"rows (decision, regime, missing inputs) in {time.perf_counter() - start:.0f} s"
        )

    if args.big:
        big = tmp / "gros.parquet"
        big_file(big, args.big)
        seconds, peak = peak_memory(big, tmp / "gros-resultats.parquet")
        print(
            f"{args.big:,} rows Parquet → Parquet, streamed by chunks: {seconds:.1f} s, "
            f"peak memory {peak:.0f} MiB"
        )
    shutil.rmtree(tmp)
    print(f"load average at end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
