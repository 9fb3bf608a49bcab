"""What both regimes share: the action's length in months and hours, the target, funding.

Total duration in hours = weekly hours × 52 / 12 per month of the action (docs/contract.md),
in exact fractions; each limit is rounded half-up to 0.01 h once, at the end.
"""

from __future__ import annotations

from proa.core.expr import (
    ALWAYS,
    Expr,
    Override,
    add_days,
    all_of,
    any_of,
    calendar_years,
    established,
    if_,
    lookup,
    max_,
    months_between,
    round2,
)
from proa.core.expr import Field as F
from proa.core.expr import Param as P
from proa.core.expr import Var as V
from proa.core.rules import Deadline, FundingLaw, FundingNote, Notice, Rule, Variable

BRANCH_RATE = F("branch_hourly_rate_eur")

VARIABLES = (
    Variable(
        "duration_months",
        months_between(F("start_date"), F("end_date")),
        "Durée de l'action",
        "month",
        computation="du {start_date} au {end_date} inclus : mois civils entiers à partir du "
        "premier jour, puis les jours restants en fraction du mois suivant",
        label_en="Length of the action",
    ),
    Variable(
        "total_hours",
        F("employee.weekly_hours") * P("hours.weeks_per_year") * V("duration_months") / 12,
        "Durée totale de l'action en heures de travail",
        "hour",
        sources=("contract",),
        computation="{employee.weekly_hours|h} par semaine × {hours.weeks_per_year|int} "
        "semaines ÷ 12 × {duration_months|months}",
        label_en="Total length of the action in working hours",
    ),
    Variable(
        "socle_or_vae",
        F("target.kind").is_in({"socle", "vae"}),
        "L'action vise le socle (CléA) ou une VAE",
        label_en="The action aims at the socle (CléA) or a VAE",
    ),
    Variable(
        "certification",
        lookup(P("catalogue.codes"), F("target.code")),
        "Certification désignée par le code visé",
        label_en="Certification named by the code aimed at",
    ),
    Variable(
        "hourly_rate",
        # The default rate applies "à défaut" of the branch's own flat rate (D6332-90): the
        # rate the branch (CPNEFP) or its OPCO publishes, when the case declares it.
        Override(
            base=P("funding.hourly_rate_eur"),
            by=BRANCH_RATE,
            when=established(~BRANCH_RATE.is_null()),
            sources=("ctrav.D6332-90",),
            text="{branch_hourly_rate_eur|eur} de l'heure, le forfait de la branche déclaré",
            text_en="{branch_hourly_rate_eur|eur} an hour, the branch's declared flat rate",
        ),
        "Forfait horaire des frais pédagogiques",
        "eur",
        label_en="Hourly flat rate of teaching costs",
    ),
    Variable(
        "teaching_costs",
        round2(F("training_hours") * V("hourly_rate")),
        "Frais pédagogiques pris en charge au forfait horaire",
        "eur",
        label_en="Teaching costs covered at the hourly flat rate",
    ),
    # L6321-6, 2°: "trente heures par an", read per calendar year (issue 10, point 10).
    Variable(
        "outside_hours_max",
        P("training.outside_hours_per_year") * calendar_years(F("start_date"), F("end_date")),
        "Heures hors du temps de travail permises sans accord collectif "
        "({training.outside_hours_per_year|h} par année civile de l'action)",
        "hour",
        label_en="Hours outside working time allowed without a collective agreement "
        "({training.outside_hours_per_year|h} per calendar year of the action)",
    ),
    # Pay and cost (issue 10, §2): read only when the case gives the employee's pay.
    Variable(
        "paid_training_hours",
        # None declared outside working time: all of it is working time (L6321-6).
        if_(
            established(F("outside_working_time.hours") > 0),
            F("training_hours") - F("outside_working_time.hours"),
            F("training_hours"),
        ),
        "Heures de formation sur le temps de travail (rémunération maintenue)",
        "hour",
        label_en="Training hours during working time (pay maintained)",
    ),
    Variable(
        "pay_cost",
        round2(
            V("paid_training_hours")
            * F("employee.hourly_pay_eur")
            * (F("employer.social_charges_pct") + 100)
            / 100
        ),
        "Rémunération et cotisations patronales des heures de formation sur le temps de travail",
        "eur",
        label_en="Pay and employer contributions of the training hours during working time",
    ),
    Variable(
        "teaching_remaining",
        # Unknown price: none counted, so the remaining cost stays a lower bound (a note says).
        if_(
            established(F("training_price_eur") >= 0),
            max_(0, F("training_price_eur") - V("teaching_costs")),
            0,
        ),
        "Frais pédagogiques au-delà du forfait de l'OPCO",
        "eur",
        label_en="Teaching costs beyond the OPCO's flat rate",
    ),
    Variable(
        "small_firm",
        F("employer.headcount") < P("funding.small_firm_headcount"),
        "Entreprise de moins de {funding.small_firm_headcount|int} salariés",
        label_en="Company of fewer than {funding.small_firm_headcount|int} employees",
    ),
)


def share_of_total(percent_param: str) -> Expr:
    """`percent_param` % of the total duration in hours, rounded once (docs/contract.md)."""
    return round2(V("total_hours") * P(percent_param) / 100)


ASK_PAY = (
    "Donnez le salaire horaire brut du salarié et le taux de cotisations patronales : proa "
    "chiffre alors la rémunération maintenue, ce que l'OPCO peut en rembourser et le reste "
    "à charge de l'employeur."
)

ASK_PRICE = (
    "Sans le prix de la formation, le reste à charge ne compte que la rémunération : "
    "donnez-le pour y ajouter les frais pédagogiques au-delà du forfait."
)
ASK_PAY_EN = (
    "Give the employee's gross hourly pay and the employer's contribution rate: proa then "
    "works out the pay maintained, what the OPCO may reimburse of it and what the employer "
    "keeps paying."
)
ASK_PRICE_EN = (
    "Without the training's price, what the employer keeps paying counts the pay only: give "
    "it to add the teaching costs beyond the flat amount."
)

# Every amount is an estimate (issue 10, §2): the OPCO decides within its criteria and budget.
ESTIMATE = FundingNote(
    ALWAYS,
    "Estimation : la prise en charge dépend des critères et du budget de l'OPCO, dans la "
    "limite des fonds que lui alloue France compétences (art. L6332-1).",
    "An estimate: what is funded depends on the OPCO's criteria and budget, within the funds "
    "France compétences allocates to it (art. L6332-1).",
)


def funding(
    pay_maintained: Expr,
    pay_sources: tuple[str, ...],
    notes: tuple[FundingNote, ...],
    cpf_max: Expr | None = None,
    pay_reimbursement_max: Expr | None = None,
) -> FundingLaw:
    """Teaching costs at the hourly rate (D6332-90: the default rate when the branch set
    none), in both regimes; with the employee's pay, the pay the employer maintains and what
    it keeps paying at least: pay beyond what the OPCO may reimburse, teaching costs beyond
    the OPCO's flat amount (none of it for an employer whose contract is suspended)."""
    reimbursed = 0 if pay_reimbursement_max is None else pay_reimbursement_max
    return FundingLaw(
        hourly_rate="funding.hourly_rate_eur",
        rate=V("hourly_rate"),
        rate_declared=established(~BRANCH_RATE.is_null()),
        teaching_costs=V("teaching_costs"),
        pay_maintained=pay_maintained,
        pay_sources=pay_sources,
        notes=(
            *notes,
            FundingNote(
                all_of(pay_maintained, ~established(V("pay_cost") >= 0)), ASK_PAY, ASK_PAY_EN
            ),
            FundingNote(
                all_of(
                    pay_maintained,
                    established(V("pay_cost") >= 0),
                    ~established(F("training_price_eur") >= 0),
                ),
                ASK_PRICE,
                ASK_PRICE_EN,
            ),
            ESTIMATE,
        ),
        cpf_max=cpf_max,
        pay_reimbursement_max=pay_reimbursement_max,
        pay_cost=if_(pay_maintained, V("pay_cost"), None),
        employer_cost=if_(
            pay_maintained, V("pay_cost") - reimbursed + V("teaching_remaining"), None
        ),
    )


def interruption_deadline(
    name: str,
    days: str,
    recipients: str,
    recipients_en: str,
    source: str,
    in_force: str | None = None,
) -> Deadline:
    """The time to report an interruption (`days` after it), listed once an interruption
    date is given — and, with `in_force` (a date parameter), only for an interruption from
    the day the article reporting it came into force."""
    due = add_days(F("interruption_date"), P(days))
    return Deadline(
        name,
        f"Signalement de l'interruption {recipients} (au plus tard)",
        due if in_force is None else if_(P(in_force) <= F("interruption_date"), due, None),
        (source,),
        only_when_known=True,
        label_en=f"Report of the interruption {recipients_en} (at the latest)",
    )


OUTSIDE = F("outside_working_time.hours")


def outside_working_time_rules(
    sources: tuple[str, ...], by_agreement: bool, reading: str
) -> tuple[Rule | Notice, ...]:
    """Training outside working time: the employee's written agreement and 30 hours a year
    (L6321-6, 2°) — unless `by_agreement`, where a collective agreement sets its own limit
    (L6321-6, 1°). `reading` names the notice saying which of the two the regime applies.
    Declared hours only: when none are declared the training is taken to be in working
    time, the rule of L6321-6."""
    within = V("outside_hours_max") >= OUTSIDE
    limit = any_of(F("outside_working_time.collective_agreement").eq(True), within)
    return (
        Rule(
            name="training.outside-working-time",
            title="Formation hors du temps de travail",
            applies=established(OUTSIDE > 0),
            condition=all_of(
                F("outside_working_time.written_agreement").eq(True),
                limit if by_agreement else within,
            ),
            ok="{outside_working_time.hours|h} hors du temps de travail, avec l'accord écrit "
            "du salarié, dans la limite applicable.",
            violation="{outside_working_time.hours|h} hors du temps de travail : il faut "
            "l'accord écrit du salarié et rester dans la limite de {outside_hours_max|h} "
            "({training.outside_hours_per_year|h} par an"
            + (", sauf accord collectif" if by_agreement else "")
            + ").",
            not_applicable="Sans objet : aucune heure de formation n'est déclarée hors du temps "
            "de travail ; la formation est alors du temps de travail effectif, rémunéré.",
            sources=sources,
        ),
        Notice(reading, OUTSIDE > 0),
        Notice(
            "reading.outside-hours-per-year",
            all_of(
                P("training.outside_hours_per_year") < OUTSIDE,
                F("outside_working_time.collective_agreement").ne(True) if by_agreement else ALWAYS,
            ),
        ),
        *(
            (
                Notice(
                    "reading.outside-collective-agreement",
                    all_of(OUTSIDE > 0, F("outside_working_time.collective_agreement").eq(True)),
                ),
            )
            if by_agreement
            else ()
        ),
    )
