"""The distributed path: a local Dask cluster of processes gives the single-process output."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from proa.batch.distributed import run_distributed
from proa.batch.read import FileError
from proa.batch.run import run_batch
from proa.batch.synth import workforce


def test_a_local_multi_process_cluster_gives_the_single_process_output(tmp_path: Path) -> None:
    frame = workforce(3_000, seed=21, missing_rate=0.05)
    bad = pl.int_range(0, frame.height, eager=True) % 97 == 0
    frame = frame.with_columns(
        pl.when(bad)
        .then(pl.lit("CDX"))
        .otherwise(pl.col("employee.contract"))
        .alias("employee.contract")
    )
    source = tmp_path / "w.parquet"
    frame.write_parquet(source)
    single = run_batch(source, tmp_path / "single.parquet")
    spread = run_distributed(
        source, tmp_path / "parts", scheduler="local", workers=2, rows_per_partition=700
    )
    assert len(list((tmp_path / "parts").glob("part-*.parquet"))) == 5
    assert (spread.evaluated, spread.rejected) == (single.evaluated, single.rejected)
    assert spread.decisions == single.decisions
    one = pl.read_parquet(tmp_path / "single.parquet")
    many = pl.read_parquet(sorted((tmp_path / "parts").glob("part-*.parquet")))
    assert many.equals(one)
    errors_one = pl.read_csv(tmp_path / "single.erreurs.csv")
    errors_many = pl.read_csv(tmp_path / "parts" / "erreurs.csv")
    assert errors_many.sort("ligne").equals(errors_one.sort("ligne"))


def test_the_distributed_path_reads_parquet_only(tmp_path: Path) -> None:
    workforce(10).write_csv(tmp_path / "w.csv")
    with pytest.raises(FileError) as info:
        run_distributed(tmp_path / "w.csv", tmp_path / "out")
    assert "Parquet" in info.value.message.fr
