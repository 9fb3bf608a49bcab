"""Beyond one machine: the batch, partitioned over a Dask cluster.

A national file (10^8 rows) does not fit one machine's time budget. The Parquet input is
cut into partitions of rows; each partition is one Dask task that reads its rows, checks
them and evaluates them with the table engine — the same function as the single-process
run, `evaluate_chunk` — and writes its own part of the output. The driver only schedules
and adds up counts: no row goes through it.

Why Dask (`dask.distributed`) rather than Ray: pure-Python packages that install from the
lock file in seconds, a scheduler and workers that run the same way on a laptop
(`LocalCluster`, processes) and on a cluster (`dask scheduler` / `dask worker`, or
Kubernetes and HPC deployments), and task futures are all this needs — the table engine
is Polars, so neither Dask DataFrame nor Ray's object store would be used. Ray's wheel
and daemons (GCS, raylets) are far heavier for the same job on a 2-core machine.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from proa.batch.read import FileError, open_source
from proa.batch.run import ERROR_COLUMNS, Summary, evaluate_chunk
from proa.core.catalogue import text
from proa.core.table import rule_names
from proa.law import default_pack


@dataclass(frozen=True)
class Partition:
    path: str
    index: int
    offset: int
    rows: int


def evaluate_partition(part: Partition, output: str, at: dt.date | None) -> dict[str, Any]:
    """One task: rows [offset, offset + rows) of the file, evaluated into a part file."""
    source = open_source(Path(part.path))
    pack = default_pack()
    chunk = source.slice(part.offset, part.rows)  # lines as the file counts
    out, errors = evaluate_chunk(chunk, source, pack, at, rule_names(pack))
    name = f"part-{part.index:06d}.parquet"
    out.write_parquet(Path(output) / name)
    if errors.height:
        errors.write_parquet(Path(output) / ".errors" / name)
    counts = out["decision"].value_counts()
    return {
        "rows": chunk.height,
        "evaluated": out.height,
        "rejected": errors["ligne"].n_unique() if errors.height else 0,
        "errors": errors.height,
        "decisions": dict(zip(counts["decision"], counts["count"], strict=True)),
    }


def partitions(path: Path, rows_per_partition: int) -> list[Partition]:
    source = open_source(path)
    if source.fmt != "parquet":
        raise FileError(text("batch.distributed_parquet", name=path.name))
    count = source.rows
    return [
        Partition(str(path), i, offset, min(rows_per_partition, count - offset))
        for i, offset in enumerate(range(0, count, rows_per_partition))
    ]


def run_distributed(
    input_path: Path,
    output: Path,
    *,
    scheduler: str = "local",
    workers: int = 2,
    rows_per_partition: int = 1_000_000,
    at: dt.date | None = None,
    progress: Callable[[int, int], Any] | None = None,
) -> Summary:
    """Evaluate a Parquet file on a Dask cluster into a directory of Parquet parts.

    `scheduler`: `local` starts a cluster of `workers` processes on this machine; otherwise
    the address of a running scheduler (`tcp://host:8786`)."""
    from dask.distributed import Client, LocalCluster, as_completed

    parts = partitions(input_path, rows_per_partition)
    if output.exists():
        shutil.rmtree(output)
    (output / ".errors").mkdir(parents=True)
    cluster = None
    if scheduler == "local":
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
        client = Client(cluster)
    else:
        client = Client(scheduler)
    summary = Summary(rows=sum(p.rows for p in parts), output=output)
    try:
        futures = [client.submit(evaluate_partition, p, str(output), at, pure=False) for p in parts]
        done = 0
        for future in as_completed(futures):
            result = future.result()
            summary.evaluated += result["evaluated"]
            summary.rejected += result["rejected"]
            summary.errors += result["errors"]
            for decision, n in result["decisions"].items():
                summary.decisions[decision] = summary.decisions.get(decision, 0) + n
            done += result["rows"]
            if progress is not None:
                progress(done, summary.rows)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    errors = output / "erreurs.csv"
    found = sorted((output / ".errors").glob("*.parquet"))
    empty = pl.DataFrame(schema=dict.fromkeys(ERROR_COLUMNS, pl.String))
    (pl.read_parquet(found) if found else empty).write_csv(errors, include_bom=True)
    shutil.rmtree(output / ".errors")
    summary.errors_path = errors
    return summary
