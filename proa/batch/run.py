"""`proa batch`: a file of cases in, a file of results and a file of errors out.

The file is read in chunks by Polars' streaming engine; each chunk is checked, evaluated by
the table engine (the same rule trees and dated parameters as the scalar engine) and
appended to the output. Rows with an error go to the errors file with their line and the
field in French; every other row is evaluated, whatever the errors elsewhere.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import polars as pl
from polars.io.plugins import register_io_source

from proa.batch.read import LINE, FileError, Source, convert, file_format, open_source
from proa.core.catalogue import Text, text
from proa.core.table import MISSING_ORDER, decode, evaluate_table, rule_names
from proa.law import RulePack, default_pack

XLSX_MAX_ROWS = 1_048_575  # a sheet's rows, less the header
CHUNK_ROWS = 250_000  # peak memory about 0.6 GiB whatever the file size
# The Parquet writer's compression (docs/benchmarks.md: zstd level 1 against the others).
COMPRESSION: Literal["zstd", "lz4", "snappy", "uncompressed"] = "zstd"
LEVEL = 1
RESULTS = (
    "regime",
    "decision",
    "limits.duration_months_min",
    "limits.duration_months_max",
    "limits.training_hours_min",
    "limits.training_hours_max",
    "funding.teaching_costs_eur",
    "funding.pay_cost_eur",
    "funding.pay_reimbursement_max_eur",
    "funding.employer_cost_eur",
    "violations",
    "missing",
)
ERROR_COLUMNS = ("ligne", "champ", "colonne", "valeur", "message")


@dataclass
class Summary:
    rows: int = 0
    evaluated: int = 0
    rejected: int = 0  # rows set aside for errors
    errors: int = 0  # bad cells
    decisions: dict[str, int] = field(default_factory=dict)
    notes: list[Text] = field(default_factory=list)
    output: Path | None = None
    errors_path: Path | None = None


def results(evaluated: pl.DataFrame, rules: list[str]) -> pl.DataFrame:
    """The output columns: regime, decision, limits, funding, violated rules, missing inputs."""
    types = {"regime": pl.String, "decision": pl.String}
    columns = [
        pl.col(c).cast(types.get(c, pl.Float64))
        if c in evaluated.columns
        else pl.lit(None, types.get(c, pl.Float64)).alias(c)
        for c in RESULTS[:-2]
    ]
    return evaluated.select(*columns).with_columns(
        decode(evaluated["#violations"], rules).alias("violations"),
        decode(evaluated["#missing"], MISSING_ORDER).alias("missing"),
    )


def evaluate_chunk(
    chunk: pl.DataFrame,
    source: Source,
    pack: RulePack,
    at: dt.date | None,
    rules: list[str],
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(results with the kept columns and the line, errors) for one chunk."""
    good, errors = convert(chunk, source.inputs)
    evaluated = evaluate_table(good, pack, at=at, missing=True)
    out = pl.concat(
        [good.select(LINE, *source.kept).rename({LINE: "line"}), results(evaluated, rules)],
        how="horizontal",
    )
    return out, errors


def write_results(
    frames: Iterator[pl.DataFrame], path: Path, schema: pl.Schema, separator: str = ","
) -> None:
    """Result chunks into one Parquet, CSV or XLSX file, as they come. Parquet: Polars'
    streaming sink pulls the chunks (no part files joined afterwards), into a temporary
    file renamed once complete."""
    fmt = file_format(path)
    if fmt == "parquet":
        fd, name = tempfile.mkstemp(prefix=".proa-", suffix=".parquet", dir=path.parent)
        os.close(fd)
        tmp = Path(name)
        try:
            source = register_io_source(lambda *_: frames, schema=schema)
            source.sink_parquet(tmp, compression=COMPRESSION, compression_level=LEVEL)
            tmp.replace(path)
        finally:
            tmp.unlink(missing_ok=True)
    elif fmt == "csv":
        with path.open("wb") as f:
            first = True
            for frame in frames:
                flat(frame).write_csv(
                    f, separator=separator, include_header=first, include_bom=first
                )
                first = False
            if first:  # no row: the header alone
                empty = flat(pl.DataFrame(schema=schema))
                empty.write_csv(f, separator=separator, include_bom=True)
    else:
        parts = []
        rows = 0
        for frame in frames:
            rows += frame.height
            if rows > XLSX_MAX_ROWS:
                raise FileError(text("batch.too_many_rows_xlsx", rows=rows))
            parts.append(frame)
        whole = pl.concat(parts) if parts else pl.DataFrame(schema=schema)
        flat(whole).write_excel(path, worksheet="Résultats")


def flat(frame: pl.DataFrame) -> pl.DataFrame:
    """Lists as text, for CSV and XLSX: `rule-a, rule-b`."""
    return frame.with_columns(
        pl.col(c).list.join(", ") for c, t in frame.schema.items() if isinstance(t, pl.List)
    )


def errors_path_for(output: Path) -> Path:
    return output.with_name(output.stem + ".erreurs.csv")


def run_batch(
    input_path: Path,
    output: Path,
    errors_path: Path | None = None,
    *,
    encoding: str | None = None,
    sheet: str | None = None,
    at: dt.date | None = None,
    separator: str = ",",
    chunk_rows: int = CHUNK_ROWS,
    pack: RulePack | None = None,
    progress: Callable[[int, int], Any] | None = None,
) -> Summary:
    """Evaluate every row of `input_path` into `output`; bad rows into the errors file."""
    file_format(output)
    pack = pack or default_pack()
    errors_path = errors_path or errors_path_for(output)
    source = open_source(input_path, encoding=encoding, sheet=sheet)
    summary = Summary(rows=source.rows, notes=list(source.notes))
    if file_format(output) == "xlsx" and source.rows > XLSX_MAX_ROWS:
        source.close()
        raise FileError(text("batch.too_many_rows_xlsx", rows=source.rows))
    rules = rule_names(pack)
    bad_parts: list[pl.DataFrame] = []
    decisions: dict[str, int] = {}
    counts = {"rows": 0, "evaluated": 0}

    def evaluated() -> Iterator[pl.DataFrame]:
        for chunk in source.chunks(chunk_rows):
            out, errors = evaluate_chunk(chunk, source, pack, at, rules)
            if errors.height:
                bad_parts.append(errors)
            for decision, count in out["decision"].value_counts().iter_rows():
                decisions[decision] = decisions.get(decision, 0) + count
            counts["rows"] += chunk.height
            counts["evaluated"] += out.height
            if progress is not None:
                progress(counts["rows"], source.rows)
            yield out

    try:
        schema = evaluate_chunk(source.lazy.head(0).collect(), source, pack, at, rules)[0].schema
        write_results(evaluated(), output, schema, separator)
    finally:
        source.close()
    bad = (
        pl.concat(bad_parts)
        if bad_parts
        else pl.DataFrame(schema=dict.fromkeys(ERROR_COLUMNS, pl.String))
    )
    bad.write_csv(errors_path, include_bom=True)
    summary.evaluated = counts["evaluated"]
    summary.rejected = bad["ligne"].n_unique() if bad.height else 0
    summary.errors = bad.height
    summary.decisions = decisions
    summary.output, summary.errors_path = output, errors_path
    return summary
