"""What both regimes share: the action's length in months and hours, the target, funding.

Total duration in hours = weekly hours × 52 / 12 per month of the action (CONTRACT.md),
in exact fractions; each limit is rounded half-up to 0.01 h once, at the end.
"""

from __future__ import annotations

from proa.core.expr import Expr, lookup, months_between, round2
from proa.core.expr import Field as F
from proa.core.expr import Param as P
from proa.core.expr import Var as V
from proa.core.rules import Variable

VARIABLES = (
    Variable(
        "duration_months",
        months_between(F("start_date"), F("end_date")),
        "Durée de l'action",
        "month",
    ),
    Variable(
        "total_hours",
        F("employee.weekly_hours") * P("hours.weeks_per_year") * V("duration_months") / 12,
        "Durée totale de l'action en heures de travail",
        "hour",
    ),
    Variable(
        "socle_or_vae",
        F("target.kind").is_in({"socle", "vae"}),
        "L'action vise le socle (CléA) ou une VAE",
    ),
    Variable(
        "certification",
        lookup(P("catalogue.codes"), F("target.code")),
        "Certification désignée par le code visé",
    ),
    Variable(
        "teaching_costs",
        round2(F("training_hours") * P("funding.hourly_rate_eur")),
        "Frais pédagogiques pris en charge au forfait horaire",
        "eur",
    ),
    Variable(
        "small_firm",
        F("employer.headcount") < P("funding.small_firm_headcount"),
        "Entreprise de moins de 50 salariés",
    ),
)


def share_of_total(percent_param: str) -> Expr:
    """`percent_param` % of the total duration in hours, rounded once (CONTRACT.md)."""
    return round2(V("total_hours") * P(percent_param) / 100)
