"""A synthetic workforce of the branch (cabinets médicaux, IDCC 1147): one planned training
action a row, for tests, demos, benchmarks and simulations.

SYNTHETIC: no row describes a real person. The shapes follow what the branch's texts and
usual figures suggest — small cabinets (most under 10 employees), classification positions
4 to 16 (avenant 76; assistant médical positions 5 to 9), many part-time contracts, mostly
CDI, the CQP Assistant médical as the main target — but the proportions are assumptions
chosen for realism, not statistics. Agreement dates spread from 2022 to 2026, so both
regimes appear (Pro-A before 1 January 2026, période de reconversion from that day).
The same seed gives the same file.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

EPOCH = dt.date(1970, 1, 1)
FIRST_AGREEMENT = dt.date(2022, 1, 3)
LAST_AGREEMENT = dt.date(2026, 12, 18)

# Cabinet sizes (employees) and the share of cabinets of each size band.
SIZE_BANDS = ((1, 2, 0.50), (3, 5, 0.30), (6, 10, 0.14), (11, 30, 0.055), (50, 80, 0.005))
# Classification positions 4–16: the secretary and assistant positions dominate.
POSITIONS = np.arange(4, 17)
POSITION_WEIGHTS = np.array([14, 22, 18, 12, 9, 7, 5, 4, 3, 2, 2, 1, 1], dtype=float)
CONTRACTS: tuple[tuple[object, float], ...] = (
    ("CDI", 0.80),
    ("CDD", 0.12),
    ("apprentissage", 0.03),
    ("professionnalisation", 0.02),
    ("CUI-CDI", 0.02),
    ("interim", 0.01),
)
WEEKLY_HOURS: tuple[tuple[object, float], ...] = (
    (35.0, 0.58),
    (39.0, 0.04),
    (28.0, 0.10),
    (24.0, 0.10),
    (17.5, 0.08),
    (30.0, 0.07),
    (32.0, 0.03),
)
# (kind, code, share, usual training hours): the CQP (its code depends on the date).
TARGETS = (
    ("certification", "CQP", 0.58, 279.0),
    ("certification", "RNCP37874", 0.10, 420.0),  # synthetic RNCP code, not on Annex 1
    ("certification", "RS5643", 0.04, 150.0),  # synthetic RS code
    ("socle", "aucun", 0.14, 200.0),
    ("vae", "CQP", 0.14, 150.0),
)
LEAVES: tuple[tuple[object, float], ...] = (
    ("aucun", 0.90),
    ("parental", 0.05),
    ("maternity", 0.03),
    ("illness", 0.02),
)
# The CQP's RNCP record changed on 25 June 2025 (RNCP36358, then RNCP40913).
CQP_SWITCH = dt.date(2025, 6, 25)


def _days(day: dt.date) -> int:
    return (day - EPOCH).days


def _pick(rng: np.random.Generator, table: tuple[tuple[object, float], ...], n: int) -> pl.Series:
    weights = np.array([w for _, w in table])
    index = rng.choice(len(table), size=n, p=weights / weights.sum())
    return pl.Series([v for v, _ in table]).gather(index)


def _where(mask: np.ndarray, yes: str, no: str) -> pl.Series:
    return pl.Series([no, yes]).gather(mask.astype(np.int8))


def workforce(rows: int, seed: int = 81, missing_rate: float = 0.02) -> pl.DataFrame:
    """`rows` synthetic cases in batch columns (contract paths in dotted form, typed).

    `missing_rate` leaves that share of the optional answers empty, as real files do."""
    rng = np.random.default_rng(seed)
    n = rows
    # Cabinets: draw enough of them, then seat each employee in one, in proportion to size.
    band = rng.choice(len(SIZE_BANDS), size=max(n // 3, 1), p=[b[2] for b in SIZE_BANDS])
    low = np.array([SIZE_BANDS[b][0] for b in band])
    high = np.array([SIZE_BANDS[b][1] for b in band])
    sizes = rng.integers(low, high + 1)
    cabinet = rng.choice(len(sizes), size=n, p=sizes / sizes.sum())
    headcount = sizes[cabinet]
    position = rng.choice(POSITIONS, size=n, p=POSITION_WEIGHTS / POSITION_WEIGHTS.sum())

    agreement = rng.integers(_days(FIRST_AGREEMENT), _days(LAST_AGREEMENT) + 1, size=n)
    start = agreement + rng.integers(1, 46, size=n)
    months = rng.choice([6, 9, 10, 12, 12, 12, 14, 18, 24, 36], size=n)
    end = start + (months * 30.44).astype(np.int64) - rng.integers(0, 3, size=n)
    age = np.clip(rng.normal(39, 11, size=n), 18, 64)
    birth = start - (age * 365.25).astype(np.int64)

    # Qualification grows with the position; a licence grade mostly from level 6.
    level = np.clip(np.round(2.2 + (position - 4) * 0.35 + rng.normal(0, 0.8, n)), 0, 8)
    licence = (level >= 6) & (rng.random(n) < 0.85)
    years = np.clip(np.round(age - 19 - rng.exponential(3, n), 1), 0, 45)
    pick = rng.choice(len(TARGETS), size=n, p=[t[2] for t in TARGETS])
    kind = pl.Series([t[0] for t in TARGETS]).gather(pick)
    code = pl.Series([t[1] for t in TARGETS]).gather(pick)
    cqp = _where(start >= _days(CQP_SWITCH), "RNCP40913", "RNCP36358")
    code = pl.select(pl.when(code == "CQP").then(cqp).otherwise(code)).to_series()
    usual = np.array([t[3] for t in TARGETS])[pick]
    training = np.round(usual * rng.choice([0.8, 1.0, 1.0, 1.0, 1.3, 1.6], size=n))
    outside = np.where(rng.random(n) < 0.1, rng.choice([10.0, 20.0, 30.0, 45.0], size=n), 0.0)
    external = rng.random(n) < 0.12
    cdi = rng.random(n) < 0.7
    tutor_named = rng.random(n) < 0.95

    frame = pl.DataFrame(
        {
            "cabinet": (cabinet + 1).astype(np.int64),
            "position": position.astype(np.int64),
            "agreement_date": agreement,
            "start_date": start,
            "end_date": end,
            "employer.idcc": np.where(rng.random(n) < 0.995, 1147, 1996),
            "employer.headcount": headcount.astype(np.int64),
            "employee.birth_date": birth,
            "employee.contract": _pick(rng, CONTRACTS, n),
            "employee.partial_activity": rng.random(n) < 0.02,
            "employee.weekly_hours": _pick(rng, WEEKLY_HOURS, n),
            "employee.licence_grade": licence,
            "employee.qualification_level": level.astype(np.int64),
            "employee.years_of_activity": years,
            "employee.disabled_worker": rng.random(n) < 0.04,
            "employee.returning_from": _pick(rng, LEAVES, n),
            "employee.minima_sociaux": rng.random(n) < 0.01,
            "employee.former_cui": rng.random(n) < 0.02,
            "employee.no_secondary_diploma": (level <= 2) & (rng.random(n) < 0.6),
            "target.kind": kind,
            "target.code": code,
            "training_hours": training,
            # Pay above the position's minimum (avenant 90 grid, roughly), usual charge
            # rates after reductions, and a price per training hour: assumptions, not data.
            "employee.hourly_pay_eur": np.round(
                (11.9 + (position - 4) * 1.25) * rng.uniform(1.0, 1.15, n), 2
            ),
            "employer.social_charges_pct": np.round(rng.uniform(12, 38, n), 1),
            "training_price_eur": np.round(training * rng.uniform(8, 22, n), -1),
            "outside_working_time.hours": outside,
            "outside_working_time.written_agreement": outside > 0,
            "outside_working_time.collective_agreement": rng.random(n) < 0.05,
            "tutor": _where(tutor_named, "oui", "aucun"),
            "tutor.role": _where(rng.random(n) < 0.7, "employee", "employer"),
            "tutor.experience_years": np.round(rng.gamma(2.5, 3.0, n), 0),
            "tutor.current_beneficiaries": rng.choice([0, 0, 0, 1, 1, 2, 3], size=n),
            "reconversion.mode": _where(external, "external", "internal"),
            "reconversion.host_contract": _where(cdi, "CDI", "CDD"),
            "reconversion.host_contract_months": np.where(
                cdi, np.nan, rng.choice([3.0, 6.0, 12.0], size=n)
            ),
        }
    ).with_columns(pl.col("reconversion.host_contract_months").fill_nan(None))
    ids = pl.format("S{}", pl.int_range(1, n + 1).cast(pl.String).str.zfill(8))
    frame = frame.select(ids.alias("id"), pl.all())
    dates = ["agreement_date", "start_date", "end_date", "employee.birth_date"]
    frame = frame.with_columns(pl.col(dates).cast(pl.Int32).cast(pl.Date))
    # Tutor fields only when a tutor is named; host contract only for an external period.
    tutor_cols = ["tutor.role", "tutor.experience_years", "tutor.current_beneficiaries"]
    host_cols = ["reconversion.host_contract", "reconversion.host_contract_months"]
    frame = frame.with_columns(
        *(pl.when(pl.col("tutor") == "oui").then(pl.col(c)).alias(c) for c in tutor_cols),
        *(
            pl.when(pl.col("reconversion.mode") == "external").then(pl.col(c)).alias(c)
            for c in host_cols
        ),
    )
    if missing_rate > 0:
        optional = [
            "employee.qualification_level",
            "employee.years_of_activity",
            "employee.disabled_worker",
            "employee.returning_from",
            "tutor.experience_years",
            "employer.headcount",
            "employee.no_secondary_diploma",
        ]
        holes = rng.random((len(optional), n)) < missing_rate
        frame = frame.with_columns(
            pl.when(pl.Series(holes[i])).then(None).otherwise(pl.col(c)).alias(c)
            for i, c in enumerate(optional)
        )
    return frame
