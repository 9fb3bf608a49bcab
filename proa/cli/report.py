"""Human French reports for the terminal (Rich)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from proa import presentation as show
from proa.core.model import Result
from proa.explain import RulePage, SourceRef

COLOURS = {
    "eligible": "bold green",
    "ineligible": "bold red",
    "incomplete": "bold yellow",
    "ok": "green",
    "violation": "red",
    "missing": "yellow",
    "warning": "magenta",
}


def print_result(result: Result, console: Console | None = None) -> None:
    c = console or Console(highlight=False, soft_wrap=True)
    label = show.DECISIONS[result.decision].fr
    summary = show.DECISION_SUMMARIES[result.decision].fr
    c.print(f"Décision : [{COLOURS[result.decision]}]{label.upper()}[/] — {summary}")
    if any(f.message_en for f in result.findings):  # English second (`--en`)
        english = show.DECISIONS[result.decision].en.upper()
        c.print(
            f"Decision: {english} — {show.DECISION_SUMMARIES[result.decision].en}",
            style="italic",
        )
    c.print(
        f"Dispositif : {show.capital(show.REGIMES[result.regime].fr)}"
        + (f" (droit en vigueur le {show.date(result.law_date)})" if result.law_date else "")
    )
    lim = result.limits
    t = Table(title="Limites applicables", show_header=True, title_justify="left")
    t.add_column("Limite")
    t.add_column("Valeur", justify="right")
    blank = show.limit_blank(result.decision)
    t.add_row("Durée de l'action", show.months(lim.duration_months))
    t.add_row("Durée minimale", show.months(lim.duration_months_min, blank=blank))
    t.add_row("Durée maximale", show.months(lim.duration_months_max, blank=blank))
    t.add_row("Durée totale en heures de travail", show.hours(lim.total_hours))
    t.add_row("Formation minimale", show.hours(lim.training_hours_min, blank=blank))
    t.add_row("Formation maximale", show.hours(lim.training_hours_max, blank=blank))
    c.print(t)
    c.print("[bold]Constats[/]")
    for f in result.findings:
        mark, label = show.STATUS_MARKS[f.status], show.FINDING_STATUS[f.status].fr
        c.print(
            f"[{COLOURS[f.status]}]{mark} {label}[/]  [bold]{f.title or f.rule}[/] "
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
    changes = [r for r in result.remedies if r.kind != "answer"]
    if changes:
        c.print("[bold]Pour rendre le dossier conforme[/] (chaque changement seul)")
        for r in changes:
            c.print(f"    → {escape(r.message)} [dim]({r.rule})[/]")
            if r.message_en:
                c.print(f"      {r.message_en}", style="italic", markup=False)
    fu = result.funding
    c.print("[bold]Financement estimé[/]")
    if fu.teaching_costs_eur is not None and fu.hourly_rate_eur is not None:
        c.print(
            f"    Frais pédagogiques : {show.euros(fu.teaching_costs_eur)}"
            f" ({show.euros(fu.hourly_rate_eur)} de l'heure)"
        )
    c.print(f"    [dim]Taux : {fu.rate_source}[/]")
    if fu.rate_source_en:
        c.print(f"      Rate: {fu.rate_source_en}", style="italic dim", markup=False)
    if fu.cpf_max_eur is not None:
        cpf = show.euros(fu.cpf_max_eur)
        c.print(f"    Droits CPF mobilisables : jusqu'à {cpf} (art. L6324-10)")
    for label, amount in show.pay_amounts(fu):
        c.print(f"    {label} : {show.euros(amount)}")
    for i, note in enumerate(fu.notes):
        c.print(f"    {note}", markup=False)
        if fu.notes_en:
            c.print(f"      {fu.notes_en[i]}", style="italic", markup=False)
    if result.deadlines:
        c.print("[bold]Échéances[/]")
        for d in result.deadlines:
            when = show.date(
                d.date, blank="non calculée (dates à renseigner, ou voir les constats)"
            )
            c.print(f"    {when} : {d.what} [dim]({' ; '.join(d.sources)})[/]")
            if d.what_en:
                c.print(f"      {d.what_en}", style="italic", markup=False)
    if result.papers:
        c.print("[bold]À envoyer à l'OPCO[/]")
        for p in result.papers:
            drafted = " — [bold]proa le rédige[/] (proa documents)" if p.document else ""
            c.print(f"    ☐ {escape(p.what)}{drafted} [dim]({' ; '.join(p.sources)})[/]")
            if p.what_en:
                c.print(f"      {p.what_en}", style="italic", markup=False)
    c.print(f"[dim]Jeu de règles {result.rulepack_version}[/]")


def print_explanation(
    page: RulePage, console: Console | None = None, english: RulePage | None = None
) -> None:
    """A rule's page, with its condition and overrides in English under the French ones
    when `english` (the same page built with `lang="en"`) is given."""
    c = console or Console(highlight=False, soft_wrap=True)

    def en(line: Callable[[RulePage], str]) -> None:
        if english:
            c.print(f"  {line(english)}", style="italic", markup=False)

    c.print(f"[bold]{page.name}[/] — {page.title} [dim]({show.PAGE_KINDS[page.kind].fr})[/]")
    if page.regimes:
        c.print("Dispositif(s) : " + ", ".join(show.REGIMES[r].fr for r in page.regimes))
    if page.applies:
        c.print(f"S'applique si : {page.applies}", markup=False)
        en(lambda e: f"Applies if: {e.applies}")
    if page.condition:
        c.print(f"Condition : {page.condition}", markup=False)
        en(lambda e: f"Condition: {e.condition}")
    if page.ok:
        ok = show.rule_message(page.ok, regime=page.regimes[0])
        c.print(f"Si elle est respectée : {ok}", markup=False)
    if page.violation:
        violation = show.rule_message(page.violation, regime=page.regimes[0])
        c.print(f"Sinon : {violation}", markup=False)
    if page.message:
        c.print(page.message, markup=False)
    if page.quote:
        c.print(f"Texte : « {page.quote} »", markup=False)
    for s in page.sources:
        c.print(f"Source : {_source(s)}", markup=False)
    for i, o in enumerate(page.overrides):
        c.print(f"[bold]{o.label}[/] [dim]({o.variable})[/]")
        c.print(o.summary, markup=False)
        en(lambda e: e.overrides[i].summary)  # noqa: B023 (called at once)
    for p in page.parameters:
        c.print(
            f"[bold]Paramètre {p.name}[/] — {p.description} ({show.LAYERS[p.layer].fr}"
            + (f", remplace {p.overrides}" if p.overrides else "")
            + (f", exclu : {p.excluded_by}" if p.excluded_by else "")
            + ")"
        )
        for v in p.history:
            c.print(
                f"    depuis le {show.date(v.start)} : {show.value(v.value, p.unit)}", markup=False
            )
            for s in v.sources:
                c.print(f"        {_source(s)}", markup=False)
                if english and s.note_en:
                    c.print(f"          {s.note_en}", style="italic", markup=False)


def _source(s: SourceRef) -> str:
    """A cited source on one line: label, official id and link, quoted words, note."""
    return (
        s.label
        + (f" [{s.official_id}]" if s.official_id else "")
        + (f" {s.url}" if s.url else "")
        + (f" — « {s.quote} »" if s.quote else "")
        + (f" ({s.note})" if s.note else "")
    )


def print_parameters(day: dt.date, console: Console | None = None) -> None:
    c = console or Console(highlight=False, soft_wrap=True)
    t = Table(title=f"Paramètres en vigueur le {show.date(day)}", title_justify="left")
    for col in ("Paramètre", "Valeur", "Depuis le", "Sources"):
        t.add_column(col)
    for p in show.parameters_in_force(day):
        t.add_row(
            p.name,
            show.value(p.value, p.unit),
            show.date(p.since),
            " ; ".join(s.label for s in p.sources),
        )
    c.print(t)
