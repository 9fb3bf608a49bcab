"""Reading a batch file (Parquet, CSV, XLSX) into the table engine's columns, with errors.

Columns go straight into Polars (lazy scans for Parquet and CSV), never row by row through
Python. Each cell is checked against the contract in vectorised expressions; a bad cell
gives an error naming its line and its field in French, and only its row is set aside: the
other rows are evaluated.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import io
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from proa.batch.columns import (
    BY_PATH,
    COLUMNS,
    DESCRIPTIVE,
    FALSE_WORDS,
    FRENCH_VALUES,
    GROUPS,
    NONE_WORDS,
    TRUE_WORDS,
    Column,
    describe,
    fold,
    header_index,
    resolve,
)
from proa.core.catalogue import Text, entries, text
from proa.core.inputs import DECLARED
from proa.core.model import translate_error
from proa.core.table import NONE, NUMERIC, SCALE, coded

FORMATS = {".parquet": "parquet", ".pq": "parquet", ".csv": "csv", ".txt": "csv", ".xlsx": "xlsx"}
LINE = "#line"
EXTRA = "#extra"  # a CSV line with more fields than the header
ERRORS = "#err:"
BAD = "#bad"
RAW = "#raw:"


class FileError(Exception):
    """A file that cannot be read at all (format, header): a catalogue message."""

    def __init__(self, message: Text) -> None:
        super().__init__(message.fr)
        self.message = message


@dataclass
class Source:
    """A batch file opened lazily, its columns renamed to contract paths."""

    path: Path
    fmt: str
    scan: pl.LazyFrame  # the file's own columns
    renames: dict[str, str]  # header → contract path
    first: int  # the line of the first row
    inputs: list[str]  # contract paths present
    kept: list[str]  # other columns, carried to the output unchanged
    rows: int
    notes: list[Text] = field(default_factory=list)
    cleanup: Path | None = None

    @property
    def lazy(self) -> pl.LazyFrame:
        """Every row, columns renamed, with its `#line`."""
        return self.scan.rename(self.renames).with_row_index(LINE, offset=self.first)

    def slice(self, offset: int, rows: int) -> pl.DataFrame:
        """Rows [offset, offset + rows), with their `#line`: the slice is read from the
        scan itself (Polars reads only the row groups it needs; a slice of the renamed
        scan read the whole file each time)."""
        chunk = self.scan.slice(offset, rows).collect().rename(self.renames)
        return chunk.with_row_index(LINE, offset=self.first + offset)

    def chunks(self, size: int) -> Iterator[pl.DataFrame]:
        """The file's rows, `size` at a time, in order. Parquet: a slice read from its row
        groups (memory stays that of one chunk); CSV and XLSX: Polars' streaming batches."""
        if self.fmt != "parquet":
            yield from self.lazy.collect_batches(chunk_size=size)
            return
        for offset in range(0, self.rows, size):
            yield self.slice(offset, size)

    def close(self) -> None:
        if self.cleanup is not None:
            shutil.rmtree(self.cleanup, ignore_errors=True)


def file_format(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise FileError(text("batch.unknown_format", name=path.name))
    return fmt


def open_source(path: Path, encoding: str | None = None, sheet: str | None = None) -> Source:
    """Open a batch file lazily and map its headers to the contract's paths."""
    fmt = file_format(path)
    if not path.is_file():
        raise FileError(text("batch.not_found", path=path))
    cleanup = None
    try:
        if fmt == "parquet":
            lazy = pl.scan_parquet(path)
            headers = list(lazy.collect_schema())
        elif fmt == "xlsx":
            frame = pl.read_excel(path, sheet_name=sheet, infer_schema_length=0)
            headers = frame.columns
            lazy = frame.lazy()
        else:
            if encoding and codecs.lookup(encoding).name != "utf-8":
                cleanup = Path(tempfile.mkdtemp(prefix="proa-"))
                path_utf8 = cleanup / "utf8.csv"
                _transcode(path, path_utf8, encoding)
                lazy, headers = _scan_csv(path_utf8)
            else:
                lazy, headers = _scan_csv(path)
    except FileError:
        raise
    except LookupError:
        raise FileError(text("batch.unknown_encoding", encoding=encoding)) from None
    except Exception as exc:  # Polars and fastexcel raise their own errors on a corrupt file
        reason = type(exc).__name__
        raise FileError(
            text("batch.unreadable", name=path.name, fmt=fmt.upper(), reason=reason)
        ) from None
    index = header_index()
    renames: dict[str, str] = {}
    kept: list[str] = []
    for h in headers:
        if h == EXTRA:
            continue
        target = resolve(h, index)
        if target is None:
            group = h.split(".")[0]
            if group in GROUPS or (fold(h) != h.lower() and "." in h):
                close = difflib.get_close_matches(h, [c.path for c in COLUMNS], n=1)
                hint = text("batch.did_you_mean", path=close[0]) if close else Text("", "")
                raise FileError(text("batch.unknown_column", column=h, hint=hint))
            kept.append(h)
            continue
        if target in renames.values():
            column = BY_PATH[target].french if target in BY_PATH else target
            raise FileError(text("batch.twice", column=column, header=h))
        renames[h] = target
        if target in DESCRIPTIVE:
            kept.append(target)
    inputs = [t for t in renames.values() if t in BY_PATH]
    if not inputs:
        raise FileError(text("batch.no_contract_column", name=path.name))
    first = 1 if fmt == "parquet" else 2  # the header is line 1 of a CSV or a sheet
    rows = lazy.select(pl.len()).collect().item()
    notes = []
    absent = [c.french for c in COLUMNS if c.path not in inputs and c.path != "tutor"]
    if absent:
        columns = ", ".join(f"« {a} »" for a in absent)
        notes.append(text("batch.absent_columns", columns=columns))
    return Source(path, fmt, lazy, renames, first, inputs, kept, rows, notes, cleanup)


def _scan_csv(path: Path) -> tuple[pl.LazyFrame, list[str]]:
    with path.open("rb") as f:
        head = f.readline()
    first = head.decode("utf-8", errors="replace").lstrip("\ufeff").rstrip("\r\n")
    if not first.strip():
        raise FileError(text("batch.empty", name=path.name))
    separator = max(";,\t", key=first.count)
    headers = next(csv.reader(io.StringIO(first), delimiter=separator))
    schema = {h: pl.String for h in headers} | {EXTRA: pl.String}
    lazy = pl.scan_csv(
        path,
        has_header=False,
        skip_rows=1,
        separator=separator,
        schema=schema,
        missing_columns="insert",
        truncate_ragged_lines=True,
        encoding="utf8-lossy",
    )
    return lazy, headers


def _transcode(source: Path, target: Path, encoding: str) -> None:
    """Re-encode a CSV file to UTF-8, a megabyte at a time."""
    with (
        source.open("r", encoding=encoding, errors="replace", newline="") as src,
        target.open("w", encoding="utf-8", newline="") as dst,
    ):
        while chunk := src.read(1 << 20):
            dst.write(chunk)


# --- checking and converting ---------------------------------------------------------------


def _message(key: str, **values: Any) -> str:
    """The contract's French error messages (the catalogue's `case.*`, as `proa check`)."""
    return text(key, **values).fr


def _quoted(value: pl.Expr) -> pl.Expr:
    return pl.format("« {} »", value)


def _choices_text(choices: tuple[str, ...]) -> str:
    quoted = [f"'{c}'" for c in choices]
    return ", ".join(quoted[:-1]) + " ou " + quoted[-1] if len(quoted) > 1 else quoted[0]


def _text(raw: pl.Expr) -> pl.Expr:
    """A text cell trimmed, empty → null (missing)."""
    text = raw.str.strip_chars()
    return pl.when(text != "").then(text)


@dataclass
class Checked:
    """Converted column(s) in the engine's conventions, and the checks of a cell: each a
    condition and its French message (the first that holds is the cell's error)."""

    values: list[pl.Expr]
    errors: list[tuple[pl.Expr, pl.Expr | str]]

    @property
    def error(self) -> pl.Expr:
        """The cell's French error, or null."""
        return _first_error(self.errors)

    @property
    def bad(self) -> list[pl.Expr]:
        """The conditions alone (never null): the message is made for the bad rows only."""
        return [bad.fill_null(False) for bad, _ in self.errors]


def _bounds(col: Column, value: pl.Expr) -> list[tuple[pl.Expr, str]]:
    out = []
    if col.ge is not None:
        out.append((value < pl.lit(col.ge), _message("case.at_least", ge=describe(col.ge, col))))
    if col.gt is not None:
        out.append((value <= pl.lit(col.gt), _message("case.more_than", gt=describe(col.gt, col))))
    if col.le is not None:
        out.append((value > pl.lit(col.le), _message("case.at_most", le=describe(col.le, col))))
    return out


def _first_error(cases: list[tuple[pl.Expr, pl.Expr | str]]) -> pl.Expr:
    out: Any = pl
    for bad, message in cases:
        out = out.when(bad).then(pl.lit(message) if isinstance(message, str) else message)
    return out.otherwise(pl.lit(None, pl.String)) if cases else pl.lit(None, pl.String)


def _coded(col: Column, words: list[str]) -> dict[str, str | bool | None]:
    """Each distinct word of a coded column → its contract value (None: not recognised).

    Worked out once per distinct word in Python (accents, case, French synonyms), then
    applied to the column by Polars."""
    if col.kind == "bool":
        table: dict[str, Any] = {w: True for w in TRUE_WORDS} | {w: False for w in FALSE_WORDS}
    else:
        table = {fold(c): c for c in col.choices} | FRENCH_VALUES.get(col.path, {})
        if col.null_is_answer:
            table |= {w: NONE for w in NONE_WORDS}
    out: dict[str, Any] = {}
    for word in words:
        key = fold(word)
        if col.kind == "text":
            normalise = DECLARED[col.path].normalise or str.strip
            out[word] = NONE if col.null_is_answer and key in NONE_WORDS else normalise(word)
        else:
            out[word] = table.get(key)
    return out


def check_column(
    col: Column, raw: pl.Expr, dtype: pl.DataType, words: list[str] | None = None
) -> Checked:
    """Convert one column to the engine's conventions, with each cell's first error.

    `words`: the column's distinct values when it is coded text (choices, yes/no, codes)."""
    name = col.path
    cell = _text(raw) if dtype == pl.String else raw
    given = cell.is_not_null()
    errors: list[tuple[pl.Expr, pl.Expr | str]] = []
    if col.kind == "date":
        if dtype == pl.Date:
            value = raw
        elif isinstance(dtype, pl.Datetime):
            value = raw.dt.date()
        else:
            cell = cell.cast(pl.String)
            value = pl.coalesce(
                cell.str.strptime(pl.Date, "%Y-%m-%d", strict=False),
                cell.str.strptime(pl.Date, "%d/%m/%Y", strict=False),
                # a spreadsheet's date cell, read as cell
                cell.str.strptime(pl.Datetime, "%Y-%m-%d %H:%M:%S", strict=False).dt.date(),
            )
            errors.append((given & value.is_null(), _message("case.bad_date")))
        errors += _bounds(col, value)
        return Checked([value.alias(name)], errors)
    if col.kind in NUMERIC and dtype.is_integer():  # whole numbers as they are
        errors += _bounds(col, raw)
        one = pl.when(raw.is_not_null()).then(pl.lit(1, pl.Int64))
        return Checked([raw.cast(pl.Int64).alias(name + "#num"), one.alias(name + "#den")], errors)
    if col.kind in NUMERIC:
        if dtype.is_numeric():
            number = raw.cast(pl.Float64)
        else:
            cleaned = cell.cast(pl.String).str.replace_all(r"[\s\u00a0\u202f]", "")
            number = cleaned.str.replace(",", ".", literal=True).cast(pl.Float64, strict=False)
        # A cell of a numeric column is a number or empty; a text one may be unreadable.
        unreadable = pl.lit(False) if dtype.is_numeric() else given & number.is_null()
        if col.kind == "int":
            errors.append(
                (unreadable | (number != number.floor()), _message("case.integer_expected"))
            )
        elif not dtype.is_numeric():
            errors.append((unreadable, _message("case.number_expected")))
        errors.append((~number.is_finite(), _message("case.finite_number_expected")))
        errors += _bounds(col, number)
        # Exact to 1/SCALE: n/SCALE, or n/1 for a whole number, in float operations (exact
        # below 2^53; integer division and modulo cost twice as much in Polars).
        scaled, rounded = (number * SCALE).round(), number.round()
        whole = scaled == rounded * SCALE
        num = pl.when(whole).then(rounded).otherwise(scaled).cast(pl.Int64)
        den = pl.when(whole).then(1).when(number.is_not_null()).then(SCALE).cast(pl.Int64)
        return Checked([num.alias(name + "#num"), den.alias(name + "#den")], errors)
    if col.kind == "bool" and dtype == pl.Boolean:
        return Checked([raw.alias(name)], errors)
    # Coded cell (yes/no, choices, the tutor, the certification code): each distinct word is
    # read once in Python, then the column is mapped by Polars (to the engine's Enum).
    words = words or []
    mapping = _coded(col, words)
    raw = raw.cast(pl.String)
    blank = [w for w in words if not w.strip()]
    given = raw.is_not_null() & ~raw.is_in(blank) if blank else raw.is_not_null()
    garbled = [w for w in words if "\ufffd" in w]
    errors = [(raw.is_in(garbled), text("batch.garbled").fr)] if garbled else []
    out_type: Any = pl.Boolean
    if col.kind != "bool":
        out_type = coded(col.path, [v for v in mapping.values() if isinstance(v, str)])
    value = pl.when(given).then(raw.replace_strict(mapping, default=None, return_dtype=out_type))
    # The words not recognised, known from the distinct words: no check at all without them.
    unknown = [w for w in words if w.strip() and mapping[w] is None]
    if col.kind == "bool":
        if unknown:
            errors.append((raw.is_in(unknown), _message("case.boolean_expected")))
    elif col.kind == "text":
        longest = col.max_length or 10**9
        too_long = [
            w for w, v in mapping.items() if isinstance(v, str) and v != NONE and len(v) > longest
        ]
        if too_long:
            errors.append((raw.is_in(too_long), _message("case.text_too_long")))
    elif unknown:
        allowed = _choices_text(col.choices + (("aucun",) if col.null_is_answer else ()))
        template = entries()["case.unknown_value"].fr
        message = pl.format(
            template.replace("{input}", "{}").replace("{expected}", allowed), _quoted(raw)
        )
        errors.append((raw.is_in(unknown), message))
    return Checked([value.alias(name)], errors)


def _cross(columns: set[str]) -> list[tuple[str, pl.Expr, str]]:
    """Checks across fields (the contract's model validators), on the converted values:
    (field, condition, French message); those whose fields are all in `columns` (a field
    without a column is Missing on every row: the check cannot fail)."""

    def contract(code: str) -> tuple[str, str]:
        e = translate_error({"type": "value_error", "loc": (), "ctx": {"error": code}})
        return e["field"], e["message"]

    out = []
    if {"end_date", "start_date"} <= columns:
        path, message = contract("END_BEFORE_START")
        out.append((path, pl.col("end_date") < pl.col("start_date"), message))
    if {"outside_working_time.hours#num", "training_hours#num"} <= columns:
        path, message = contract("OUTSIDE_OVER_TRAINING")
        outside = pl.col("outside_working_time.hours#num") * pl.col("training_hours#den")
        training = pl.col("training_hours#num") * pl.col("outside_working_time.hours#den")
        out.append((path, outside > training, message))
    tutor = [c.path for c in COLUMNS if c.path.startswith("tutor.") and _column(c) in columns]
    if "tutor" in columns and tutor:
        given = pl.any_horizontal([_present(p) for p in tutor])
        none_but = text("batch.tutor_none_but_fields").fr
        out.append(("tutor", (pl.col("tutor") == NONE) & given, none_but))
    return out


def _column(col: Column) -> str:
    """The converted column that says whether a field is given."""
    return col.path + "#num" if col.kind in NUMERIC else col.path


def _present(path: str) -> pl.Expr:
    return pl.col(_column(BY_PATH[path])).is_not_null()


def convert(frame: pl.DataFrame, inputs: list[str]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(rows in the table engine's conventions with their `#line`, errors) for one chunk.

    A row with at least one error is left out of the first table; the errors table has one
    row per bad cell: line, column (contract path), field (French), value and message.
    """
    frame = frame.rename({p: RAW + p for p in inputs})
    schema = frame.schema
    converted: list[pl.Expr] = []
    checks: dict[str, Checked] = {}
    for col in COLUMNS:
        if col.path in inputs:
            dtype = schema[RAW + col.path]
            words = None
            if col.kind not in ("date", *NUMERIC) and dtype != pl.Boolean:
                words = frame[RAW + col.path].cast(pl.String).drop_nulls().unique().to_list()
            checks[col.path] = check_column(col, pl.col(RAW + col.path), dtype, words)
            converted += checks[col.path].values
    # An input without a column gets none: the table engine reads it as Missing throughout.
    tutor_fields = [p for p in inputs if p.startswith("tutor.")]
    staged = frame.lazy().with_columns(*converted)
    if tutor_fields:  # tutor fields given without a « Tuteur » column: a tutor is named
        tutor = pl.col("tutor") if "tutor" in inputs else pl.lit(None, coded("tutor"))
        staged = staged.with_columns(
            pl.when(tutor.is_null() & pl.any_horizontal(map(_present, tutor_fields)))
            .then(pl.lit("named", coded("tutor")))
            .otherwise(tutor)
            .alias("tutor")
        )
    columns = set(staged.collect_schema())
    for path, condition, message in _cross(columns):  # after the cell's own checks
        checks.setdefault(path, Checked([], [])).errors.append((condition, message))
    if EXTRA in schema:
        extra = pl.col(EXTRA).str.strip_chars() != ""
        checks["(ligne)"] = Checked([], [(extra, text("batch.extra_fields").fr)])
    # Which rows are bad, as one yes/no column; the French messages for those rows only.
    bad = pl.any_horizontal([b for c in checks.values() for b in c.bad])
    # In memory: one chunk a column (the streaming engine's many chunks made every later
    # eager step, even a `drop`, copy the whole table to align them: 0.2–0.3 s at 10^6 rows).
    table = staged.with_columns(bad.alias(BAD)).collect(engine="in-memory")
    raw = [RAW + p for p in inputs]
    drop = [BAD, *raw, *([EXTRA] if EXTRA in schema else [])]
    rejected = table[BAD].any()
    good = table.filter(~pl.col(BAD)).drop(drop) if rejected else table.drop(drop)
    error_columns = [ERRORS + p for p in checks]
    problems = (
        (table.filter(pl.col(BAD)) if rejected else table.clear())
        .select(LINE, *raw, *(c.error.alias(ERRORS + p) for p, c in checks.items()))
        .unpivot(index=[LINE, *raw], on=error_columns, variable_name="column", value_name="message")
        .drop_nulls("message")
    )
    return good, _errors_table(problems, inputs)


def _errors_table(problems: pl.DataFrame, inputs: list[str]) -> pl.DataFrame:
    column = pl.col("column").str.strip_prefix(ERRORS)
    french = {c.path: c.french for c in COLUMNS} | {"(ligne)": "(ligne)"}
    value: Any = pl.lit(None, pl.String)
    for path in inputs:
        value = pl.when(column == path).then(pl.col(RAW + path).cast(pl.String)).otherwise(value)
    return problems.select(
        pl.col(LINE).alias("ligne"),
        column.replace_strict(french, return_dtype=pl.String).alias("champ"),
        column.alias("colonne"),
        value.alias("valeur"),
        pl.col("message"),
    ).sort("ligne", "colonne")
