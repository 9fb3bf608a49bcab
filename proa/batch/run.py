"""`proa batch`: a file of cases in, a file of results and a file of errors out.

The file is read in chunks by Polars' streaming engine; each chunk is checked, evaluated by
the table engine (the same rule trees and dated parameters as the scalar engine) and
appended to the output. Rows with an error go to the errors file with their line and the
field in French; every other row is evaluated, whatever the errors elsewhere.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import polars as pl

from proa.batch.read import LINE, FileError, Source, convert, file_format, open_source
from proa.core.catalogue import Text, text
from proa.core.table import MISSING_ORDER, decode, evaluate_table, rule_names
from proa.law import RulePack, default_pack

XLSX_MAX_ROWS = 1_048_575  # a sheet's rows, less the header
CHUNK_ROWS = 250_000  # peak memory about 0.6 GiB whatever the file size
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


class Writer:
    """Appends result chunks to a Parquet, CSV or XLSX file."""

    def __init__(self, path: Path, separator: str = ",") -> None:
        self.path = path
        self.fmt = file_format(path)
        self.separator = separator
        self.parts: list[pl.DataFrame] = []
        self.rows = 0
        self.tmp: Path | None = None
        self.csv: IO[bytes] | None = None

    def write(self, frame: pl.DataFrame) -> None:
        self.rows += frame.height
        if self.fmt == "parquet":
            # Chunks as part files, joined by a streaming copy at the end (one chunk: no copy).
            if self.tmp is None:
                self.tmp = Path(tempfile.mkdtemp(prefix=".proa-", dir=self.path.parent))
            frame.write_parquet(self.tmp / f"{len(list(self.tmp.iterdir())):06d}.parquet")
        elif self.fmt == "csv":
            first = self.csv is None
            if self.csv is None:
                self.csv = self.path.open("wb")
            flat(frame).write_csv(
                self.csv, separator=self.separator, include_header=first, include_bom=first
            )
        else:
            if self.rows > XLSX_MAX_ROWS:
                raise FileError(text("batch.too_many_rows_xlsx", rows=self.rows))
            self.parts.append(frame)

    def close(self) -> None:
        if self.fmt == "parquet":
            if self.tmp is None:
                return
            try:
                parts = sorted(self.tmp.iterdir())
                if len(parts) == 1:
                    parts[0].replace(self.path)
                else:
                    pl.scan_parquet(parts).sink_parquet(self.path)
            finally:
                shutil.rmtree(self.tmp, ignore_errors=True)
        elif self.fmt == "csv" and self.csv is not None:
            self.csv.close()
        elif self.fmt == "xlsx" and self.parts:
            flat(pl.concat(self.parts)).write_excel(self.path, worksheet="Résultats")

    def abort(self) -> None:
        if self.tmp is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)
        if self.csv is not None:
            self.csv.close()


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
    writer = Writer(output, separator)
    bad_parts: list[pl.DataFrame] = []
    decisions: dict[str, int] = {}
    done = 0
    try:
        for chunk in source.chunks(chunk_rows):
            out, errors = evaluate_chunk(chunk, source, pack, at, rules)
            writer.write(out)
            if errors.height:
                bad_parts.append(errors)
            for decision, count in out["decision"].value_counts().iter_rows():
                decisions[decision] = decisions.get(decision, 0) + count
            done += chunk.height
            if progress is not None:
                progress(done, source.rows)
        writer.close()
    except BaseException:
        writer.abort()
        raise
    finally:
        source.close()
    bad = (
        pl.concat(bad_parts)
        if bad_parts
        else pl.DataFrame(schema=dict.fromkeys(ERROR_COLUMNS, pl.String))
    )
    bad.write_csv(errors_path, include_bom=True)
    summary.evaluated = writer.rows
    summary.rejected = bad["ligne"].n_unique() if bad.height else 0
    summary.errors = bad.height
    summary.decisions = decisions
    summary.output, summary.errors_path = output, errors_path
    return summary
