"""A simulation's report: a terminal table, a CSV file and an HTML page with charts.

The charts are SVG drawn by matplotlib and written into the page itself: the report is one
file that opens offline, prints, and fetches nothing (no script, no CDN).
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import polars as pl

from proa import presentation
from proa.batch.simulate import DIMENSIONS, METRICS, Simulation

LABELS = {
    "rows": "Dossiers",
    "eligible": "Dossiers éligibles",
    "training_hours": "Heures de formation (éligibles)",
    "funding_eur": "Frais pédagogiques pris en charge (éligibles)",
}
BEFORE, AFTER = "#8c9bab", "#1f5fa8"  # grey-blue before, strong blue after (print-safe)


def fmt(value: Any, metric: str) -> str:
    if value is None:
        return "—"
    if metric == "funding_eur":  # totals: whole euros
        return presentation.number(round(float(value))) + "\u00a0€"
    if metric == "training_hours":
        return presentation.hours(round(float(value)))
    return presentation.number(int(value))


def signed(value: Any, metric: str) -> str:
    text = fmt(abs(value or 0), metric)
    return ("+" if (value or 0) > 0 else "−" if (value or 0) < 0 else "") + text


def write_csv(sim: Simulation, path: Path) -> None:
    """Long format, one line per group and metric: easy to pivot in a spreadsheet."""
    rows = []
    for r in sim.table.iter_rows(named=True):
        for m in METRICS:
            rows.append(
                {
                    "dimension": DIMENSIONS.get(r["dimension"], "Ensemble"),
                    "groupe": r["group"],
                    "mesure": LABELS[m],
                    "avant": r[m + "_before"],
                    "apres": r[m + "_after"],
                    "ecart": r[m + "_delta"],
                }
            )
    pl.DataFrame(rows).write_csv(path, include_bom=True)


def print_table(sim: Simulation) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    console.print(f"[bold]{sim.scenario.title}[/bold]")
    for dim, title in [*DIMENSIONS.items(), ("total", "Ensemble")]:
        table = Table(title=title, title_justify="left")
        table.add_column(title)
        for m in ("Éligibles", "Frais pris en charge"):
            for when in ("avant", "après", "écart"):
                table.add_column(f"{m} {when}" if when == "avant" else when, justify="right")
        for r in sim.table.filter(pl.col("dimension") == dim).iter_rows(named=True):
            cells = [str(r["group"])]
            for m in ("eligible", "funding_eur"):
                cells += [fmt(r[m + "_before"], m), fmt(r[m + "_after"], m)]
                cells.append(signed(r[m + "_delta"], m))
            table.add_row(*cells)
        console.print(table)


def _chart(sim: Simulation, dimension: str, metric: str, title: str) -> str:
    """Grouped bars, before and after, as inline SVG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter

    rows = sim.table.filter(pl.col("dimension") == dimension)
    groups = [str(g) for g in rows["group"]]
    before = [float(v or 0) for v in rows[metric + "_before"]]
    after = [float(v or 0) for v in rows[metric + "_after"]]
    plt.rcParams.update({"svg.fonttype": "none", "svg.hashsalt": "proa", "font.size": 10})
    fig, ax = plt.subplots(figsize=(7.2, 3.2))
    xs = range(len(groups))
    width = 0.4
    ax.bar([x - width / 2 for x in xs], before, width, label="Droit actuel", color=BEFORE)
    ax.bar([x + width / 2 for x in xs], after, width, label="Scénario", color=AFTER)
    ax.set_xticks(list(xs), groups, rotation=0 if len(groups) < 8 else 30)
    ax.set_title(title, loc="left", fontsize=11)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: presentation.number(round(v))))
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(frameon=False, loc="upper right")
    fig.tight_layout()
    out = io.StringIO()
    fig.savefig(out, format="svg", metadata={"Date": None})
    plt.close(fig)
    svg = out.getvalue()
    return svg[svg.index("<svg") :]


def write_html(sim: Simulation, path: Path) -> None:
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(
        loader=PackageLoader("proa.batch", "templates"), autoescape=select_autoescape()
    )
    env.filters["fmt"] = fmt
    env.filters["signed"] = signed
    env.filters["fmt_rows"] = lambda n: presentation.number(n)
    charts = []
    for dim, title in DIMENSIONS.items():
        charts.append(
            {
                "title": f"Dossiers éligibles par {title.lower()}",
                "svg": _chart(sim, dim, "eligible", f"Dossiers éligibles — {title.lower()}"),
                "dimension": dim,
                "metric": "eligible",
            }
        )
    charts.append(
        {
            "title": "Frais pédagogiques pris en charge par position",
            "svg": _chart(sim, "position", "funding_eur", "Frais pédagogiques (€) — position"),
            "dimension": "position",
            "metric": "funding_eur",
        }
    )
    html = env.get_template("simulation.html").render(
        sim=sim,
        labels=LABELS,
        dimensions=DIMENSIONS,
        metrics=METRICS,
        charts=charts,
        rows={
            d: list(sim.table.filter(pl.col("dimension") == d).iter_rows(named=True))
            for d in DIMENSIONS
        },
        total={m: {w: sim.total(m, w) for w in ("before", "after", "delta")} for m in METRICS},
        changes=[
            {
                **c,
                "before_text": presentation.value(c["before"], c["unit"]),
                "after_text": presentation.value(c["after"], c["unit"]),
                "from_text": presentation.date(c["from"]),
            }
            for c in sim.changes
        ],
        today=presentation.date(dt.date.today()),
    )
    path.write_text(html, encoding="utf-8")
