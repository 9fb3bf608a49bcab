"""Branch simulations: what a change to the dated parameters would do to a workforce.

A scenario (YAML) adds dated values to parameters — the hourly rate, the Annex 1 list, the
ages of the 40 % categories, the regime switch date, a company agreement's hours — and may
add certifications to the catalogue. It is applied to a copy of the parameter files and
loaded by the same loader (`proa.law.RulePack`), so a scenario is validated like the law
itself. The workforce is evaluated twice by the table engine, with the law as it is and
with the scenario, and the results are totalled by position, age band and cabinet size.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from proa.batch.read import FileError, convert, open_source
from proa.core.catalogue import Text, text
from proa.core.model import translate_error
from proa.core.table import evaluate_table
from proa.law import ROOT, Certification, RulePack, default_pack

Band = tuple[tuple[int, int, str], ...]
# Age bands meet the rules' thresholds (under 26, under 30, 45 and over).
AGE_BANDS: Band = (
    (0, 26, "moins de 26 ans"),
    (26, 30, "26 à 29 ans"),
    (30, 45, "30 à 44 ans"),
    (45, 55, "45 à 54 ans"),
    (55, 200, "55 ans et plus"),
)
# Cabinet sizes meet the small-firm threshold of funding (under 50 employees).
SIZE_BANDS: Band = (
    (0, 3, "1 à 2 salariés"),
    (3, 6, "3 à 5"),
    (6, 11, "6 à 10"),
    (11, 50, "11 à 49"),
    (50, 10**9, "50 et plus"),
)
UNKNOWN = "non renseigné"
DIMENSIONS = {"position": "Position", "age_band": "Tranche d'âge", "size_band": "Taille du cabinet"}
METRICS = ("rows", "eligible", "training_hours", "funding_eur")


class ScenarioValue(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    start: dt.date = Field(alias="from")
    value: Any
    note: str = ""


class Scenario(BaseModel):
    """A scenario file: dated values for existing parameters, certifications to add."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=200)
    description: str = ""
    parameters: dict[str, list[ScenarioValue]] = {}
    certifications: dict[str, Certification] = {}


class ScenarioError(FileError):
    """A scenario that cannot be applied (French, English second)."""


def load_scenario(path: Path) -> Scenario:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ScenarioError(
            text("batch.unreadable", name=path.name, fmt="YAML", reason=exc.strerror)
        ) from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        reason = type(exc).__name__
        raise ScenarioError(
            text("batch.unreadable", name=path.name, fmt="YAML", reason=reason)
        ) from None
    try:
        return Scenario.model_validate(raw)
    except ValidationError as exc:
        errors = [translate_error(e) for e in exc.errors()]
        details = Text(
            "\n".join(f"« {e['field']} » : {e['message']}" for e in errors),
            "\n".join(f"'{e['field']}': {e['message_en']}" for e in errors),
        )
        raise ScenarioError(text("simulate.invalid", path=path.name, errors=details)) from None


def _shape(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float | Decimal):
        return "number"
    if isinstance(value, dt.date):
        return "date"
    if isinstance(value, list | tuple):
        return "list"
    if isinstance(value, dict):
        return "mapping"
    return "text"


def scenario_pack(scenario: Scenario, base: Path = ROOT) -> RulePack:
    """The rule pack with the scenario's values, loaded and checked like the law's files."""
    files: dict[str, Path] = {}
    for path in base.glob("*/parameters/**/*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        files[data["name"]] = path.relative_to(base)
    tmp = Path(tempfile.mkdtemp(prefix="proa-scenario-"))
    try:
        for path in base.rglob("*.yaml"):
            target = tmp / path.relative_to(base)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
        for name, values in scenario.parameters.items():
            if name not in files:
                raise ScenarioError(text("simulate.unknown_parameter", name=name))
            target = tmp / files[name]
            data = yaml.safe_load(target.read_text(encoding="utf-8"))
            kept = [v for v in data["values"] if v["from"] < min(x.start for x in values)]
            shapes = {_shape(v["value"]) for v in data["values"] if v["value"] is not None}
            for v in values:
                if v.value is not None and shapes and _shape(v.value) not in shapes:
                    expected = ", ".join(sorted(shapes))
                    raise ScenarioError(
                        text("simulate.bad_value", name=name, value=v.value, expected=expected)
                    )
            note = text("simulate.value_note", title=scenario.title)
            # The pack wants each note's English: a scenario's own note stands for both.
            added = [
                {
                    "from": v.start,
                    "value": v.value,
                    "note": v.note or note.fr,
                    "note_en": v.note or note.en,
                }
                for v in sorted(values, key=lambda x: x.start)
            ]
            data["values"] = kept + added
            target.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        if scenario.certifications:
            target = tmp / "certifications.yaml"
            data = yaml.safe_load(target.read_text(encoding="utf-8"))
            data.update(
                {k: c.model_dump(by_alias=True) for k, c in scenario.certifications.items()}
            )
            target.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        try:
            return RulePack(tmp)
        except (ValueError, ValidationError) as exc:
            raise ScenarioError(
                text("simulate.rejected", reason=str(exc).splitlines()[0])
            ) from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def changes(base: RulePack, scenario: Scenario) -> list[dict[str, Any]]:
    """What the scenario changes, parameter by parameter (for the report)."""
    out = []
    for name, values in scenario.parameters.items():
        p = base.parameters[name]
        for v in sorted(values, key=lambda x: x.start):
            before = p.value_at(v.start)
            out.append(
                {
                    "name": name,
                    "description": p.description,
                    "unit": p.unit,
                    "from": v.start,
                    "before": None if before is None else before.value,
                    "after": v.value,
                }
            )
    return out


def _band(expr: pl.Expr, bands: Band) -> pl.Expr:
    out: Any = pl
    for low, high, label in bands:
        out = out.when((expr >= low) & (expr < high)).then(pl.lit(label))
    band: pl.Expr = out.otherwise(pl.lit(UNKNOWN))
    return band


def _totals(good: pl.DataFrame, evaluated: pl.DataFrame, kept: list[str]) -> pl.DataFrame:
    """Counts and sums by position, age band and cabinet size, for one chunk and one law."""
    # An input the file lacks has no column (the table engine reads it as Missing).
    good = good.with_columns(
        pl.lit(None, dtype).alias(name)
        for name, dtype in (
            ("employee.birth_date", pl.Date),
            ("start_date", pl.Date),
            ("training_hours#num", pl.Int64),
            ("training_hours#den", pl.Int64),
            ("employer.headcount#num", pl.Int64),
        )
        if name not in good.columns
    )
    birth, start = pl.col("employee.birth_date"), pl.col("start_date")
    age = (
        start.dt.year().cast(pl.Int32)
        - birth.dt.year().cast(pl.Int32)
        - (
            (start.dt.month() * 32 + start.dt.day()) < (birth.dt.month() * 32 + birth.dt.day())
        ).cast(pl.Int32)
    )
    hours = pl.col("training_hours#num") / pl.col("training_hours#den")
    eligible = pl.col("decision") == "eligible"
    position = pl.col("position").cast(pl.String) if "position" in kept else pl.lit(None, pl.String)
    frame = good.select(
        position.fill_null(UNKNOWN).alias("position"),
        _band(age, AGE_BANDS).alias("age_band"),
        _band(pl.col("employer.headcount#num"), SIZE_BANDS).alias("size_band"),
        hours.alias("hours"),
    ).with_columns(evaluated.select("decision", "funding.teaching_costs_eur"))
    parts = []
    for dim in DIMENSIONS:
        parts.append(
            frame.group_by(pl.col(dim).alias("group"))
            .agg(
                pl.len().alias("rows"),
                eligible.sum().alias("eligible"),
                pl.col("hours").filter(eligible).sum().alias("training_hours"),
                pl.col("funding.teaching_costs_eur").filter(eligible).sum().alias("funding_eur"),
            )
            .with_columns(pl.lit(dim).alias("dimension"))
        )
    total = frame.select(
        pl.lit("total").alias("dimension"),
        pl.lit("ensemble").alias("group"),
        pl.len().alias("rows"),
        eligible.sum().alias("eligible"),
        pl.col("hours").filter(eligible).sum().alias("training_hours"),
        pl.col("funding.teaching_costs_eur").filter(eligible).sum().alias("funding_eur"),
    )
    return pl.concat([*parts, total], how="diagonal_relaxed")


@dataclass
class Simulation:
    scenario: Scenario
    changes: list[dict[str, Any]]
    table: pl.DataFrame  # dimension, group, <metric>_before, <metric>_after, <metric>_delta
    rows: int = 0
    rejected: int = 0
    source: str = ""
    notes: list[Text] = field(default_factory=list)

    def total(self, metric: str, when: str) -> float:
        row = self.table.filter(pl.col("dimension") == "total").row(0, named=True)
        return float(row[f"{metric}_{when}"] or 0)


def simulate(
    workforce: Path,
    scenario: Scenario,
    *,
    pack: RulePack | None = None,
    chunk_rows: int = 1_000_000,
    progress: Callable[[int, int], Any] | None = None,
) -> Simulation:
    """Evaluate `workforce` under the law and under `scenario`; totals before and after."""
    base = pack or default_pack()
    changed = scenario_pack(scenario)
    source = open_source(workforce)
    parts: dict[str, list[pl.DataFrame]] = {"before": [], "after": []}
    rejected = done = 0
    try:
        for chunk in source.chunks(chunk_rows):
            good, errors = convert(chunk, source.inputs)
            rejected += errors["ligne"].n_unique() if errors.height else 0
            for when, law in (("before", base), ("after", changed)):
                evaluated = evaluate_table(good, law)
                parts[when].append(_totals(good, evaluated, source.kept))
            done += chunk.height
            if progress is not None:
                progress(done, source.rows)
    finally:
        source.close()
    keys = ["dimension", "group"]
    summed = {
        when: pl.concat(frames).group_by(keys).agg(pl.col(m).sum() for m in METRICS)
        for when, frames in parts.items()
    }
    table = summed["before"].join(
        summed["after"], on=keys, suffix="_after", how="full", coalesce=True
    )
    table = table.rename({m: m + "_before" for m in METRICS}).with_columns(
        (pl.col(m + "_after").fill_null(0) - pl.col(m + "_before").fill_null(0)).alias(m + "_delta")
        for m in METRICS
    )
    order = {d: i for i, d in enumerate([*DIMENSIONS, "total"])}
    table = table.sort(
        pl.col("dimension").replace_strict(order, return_dtype=pl.Int32), _group_order()
    )
    return Simulation(
        scenario,
        changes(base, scenario),
        table,
        source.rows,
        rejected,
        workforce.name,
        source.notes,
    )


def _group_order() -> pl.Expr:
    """Groups in their natural order: positions by number, bands as declared."""
    labels = [b[2] for b in AGE_BANDS] + [b[2] for b in SIZE_BANDS]
    rank = {label: i for i, label in enumerate(labels)}
    numeric = pl.col("group").cast(pl.Int32, strict=False)
    return pl.coalesce(
        numeric, pl.col("group").replace_strict(rank, default=999, return_dtype=pl.Int32)
    )
