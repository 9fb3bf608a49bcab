"""Human French reports for the terminal (Rich)."""

from __future__ import annotations

import datetime as dt

from rich.console import Console
from rich.table import Table

from proa.core import french
from proa.core.model import Result
from proa.explain import RulePage

COLOURS = {
    "eligible": "bold green",
    "ineligible": "bold red",
    "incomplete": "bold yellow",
    "ok": "green",
    "violation": "red",
    "missing": "yellow",
    "warning": "magenta",
}


def _hours(v: float | None) -> str:
    return "—" if v is None else french.fmt(v, "h")


def print_result(result: Result, console: Console | None = None) -> None:
    c = console or Console(highlight=False, soft_wrap=True)
    label, summary = french.DECISIONS[result.decision]
    c.print(f"Décision : [{COLOURS[result.decision]}]{label.upper()}[/] — {summary}")
    c.print(
        f"Dispositif : {french.REGIMES[result.regime]}"
        + (f" (droit en vigueur le {french.date(result.law_date)})" if result.law_date else "")
    )
    lim = result.limits
    t = Table(title="Limites applicables", show_header=True, title_justify="left")
    t.add_column("Limite")
    t.add_column("Valeur", justify="right")
    t.add_row(
        "Durée de l'action",
        "—" if lim.duration_months is None else french.fmt(lim.duration_months, "months"),
    )
    t.add_row(
        "Durée maximale",
        "—" if lim.duration_months_max is None else french.fmt(lim.duration_months_max, "months"),
    )
    t.add_row("Durée totale en heures de travail", _hours(lim.total_hours))
    t.add_row("Formation minimale", _hours(lim.training_hours_min))
    t.add_row("Formation maximale", _hours(lim.training_hours_max))
    c.print(t)
    c.print("[bold]Constats[/]")
    for f in result.findings:
        mark, label = french.FINDING_STATUS[f.status]
        c.print(
            f"[{COLOURS[f.status]}]{mark} {label.lower()}[/]  [bold]{f.title or f.rule}[/] "
            f"[dim]({f.rule})[/]"
        )
        c.print(f"    {f.message}", markup=False)
        if f.message_en:
            c.print(f"    {f.message_en}", style="italic", markup=False)
        c.print(f"    [dim]Sources : {' ; '.join(f.sources)}[/]")
    if result.missing:
        c.print(
            "[bold]À compléter[/] (dans l'ordre du questionnaire) : " + ", ".join(result.missing)
        )
    fu = result.funding
    c.print("[bold]Financement estimé[/]")
    if fu.teaching_costs_eur is not None and fu.hourly_rate_eur is not None:
        c.print(
            f"    Frais pédagogiques : {french.euros(fu.teaching_costs_eur)}"
            f" ({french.euros(fu.hourly_rate_eur)} de l'heure)"
        )
    c.print(f"    [dim]Taux : {fu.rate_source}[/]")
    for note in fu.notes:
        c.print(f"    {note}", markup=False)
    if result.deadlines:
        c.print("[bold]Échéances[/]")
        for d in result.deadlines:
            when = french.date(d.date) if d.date else "date de début à renseigner"
            c.print(f"    {when} : {d.what} [dim]({' ; '.join(d.sources)})[/]")
    c.print(f"[dim]Jeu de règles {result.rulepack_version}[/]")


def print_explanation(page: RulePage, console: Console | None = None) -> None:
    c = console or Console(highlight=False, soft_wrap=True)
    c.print(f"[bold]{page.name}[/] — {page.title} [dim]({page.kind})[/]")
    if page.regimes:
        c.print("Dispositif(s) : " + ", ".join(french.REGIMES.get(r, r) for r in page.regimes))
    if page.applies:
        c.print(f"S'applique si : {page.applies}", markup=False)
    if page.condition:
        c.print(f"Condition : {page.condition}", markup=False)
    if page.message:
        c.print(page.message, markup=False)
    if page.quote:
        c.print(f"Texte : « {page.quote} »", markup=False)
    for s in page.sources:
        c.print(
            f"Source : {s.label}"
            + (f" [{s.official_id}]" if s.official_id else "")
            + (f" {s.url}" if s.url else ""),
            markup=False,
        )
    for o in page.overrides:
        c.print(f"[bold]{o.label}[/] [dim]({o.variable})[/]")
        c.print(o.summary, markup=False)
    for p in page.parameters:
        c.print(
            f"[bold]Paramètre {p.name}[/] — {p.description} ({p.unit}, {p.layer}"
            + (f", remplace {p.overrides}" if p.overrides else "")
            + (f", exclu : {p.excluded_by}" if p.excluded_by else "")
            + ")"
        )
        for v in p.history:
            c.print(f"    depuis le {v.start} : {v.value}", markup=False)
            for s in v.sources:
                c.print(
                    f"        {s.label}"
                    + (f" — « {s.quote} »" if s.quote else "")
                    + (f" ({s.note})" if s.note else ""),
                    markup=False,
                )


def print_parameters(day: dt.date, console: Console | None = None) -> None:
    from proa.law import default_pack

    pack = default_pack()
    c = console or Console(highlight=False, soft_wrap=True)
    t = Table(title=f"Paramètres en vigueur le {french.date(day)}", title_justify="left")
    for col in ("Paramètre", "Valeur", "Depuis", "Sources"):
        t.add_column(col)
    for name, p in sorted(pack.parameters.parameters.items()):
        if name.startswith("catalogue."):
            continue
        v = p.value_at(day)
        t.add_row(
            name,
            "—" if v is None else str(v.value),
            "—" if v is None else v.start.isoformat(),
            "" if v is None else " ; ".join(pack.sources[s.ref].label for s in v.sources),
        )
    c.print(t)
