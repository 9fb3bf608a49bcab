"""Période de reconversion: loi n° 2025-989 du 24 octobre 2025 (art. 11) and its decrees,
for avenants / written agreements concluded from the regime switch date (1 January 2026, a
parameter).

No branch list is required and none has been signed for IDCC 1147, so the target is
checked on its form only (with a warning); hours and months are the legal defaults.
"""

from __future__ import annotations

from proa.core.expr import (
    ALWAYS,
    Expr,
    Override,
    add_days,
    all_of,
    any_of,
    code_prevails,
    established,
    if_,
    in_window,
    last_day,
    matches,
    round2,
)
from proa.core.expr import Field as F
from proa.core.expr import Param as P
from proa.core.expr import Var as V
from proa.core.rules import (
    Deadline,
    FundingNote,
    Notice,
    Paper,
    RegimeLaw,
    Remedy,
    Rule,
    Variable,
)
from proa.law.common.rules import VARIABLES as COMMON
from proa.law.common.rules import funding, interruption_deadline, outside_working_time_rules

CERTIFICATION = F("target.kind").eq("certification")
EXTERNAL = F("reconversion.mode").eq("external")
# L6324-4 frames "les actions de formation mentionnées au premier alinéa de l'article
# L. 6324-2" (1° of L6313-1), except the socle: a VAE (3° of L6313-1, fourth paragraph of
# L6324-2) is outside the 150–450 h / 12-month frame (issue 10, point 11).
FRAMED = ~V("socle_or_vae")
# R6324-1 and R6324-2 (décret n° 2026-39) apply from 1 February 2026: they set the time to
# send a file whose last sending day falls from then on, never before (issue 10, point 11).
LAST_DEPOSIT = add_days(F("start_date"), -1)
UNDER_DECREE = P("regime.decrees_date") <= LAST_DEPOSIT

# L6324-4, second paragraph: a company or branch agreement (L6324-8) may lengthen the
# frame, within 2,100 hours and 36 months; the Code prevails over an agreement beyond them.
AGREED_HOURS = F("reconversion.agreement_hours_max")
AGREED_MONTHS = F("reconversion.agreement_months_max")


def _agreed(general: str, agreed: F, ceiling: str, unit: str) -> Expr:
    """The general frame, lengthened by the agreement declared, within the Code's ceiling."""
    return code_prevails(
        over=Override(
            base=P(general),
            by=agreed,
            when=established(agreed > P(general)),
            sources=("ctrav.L6324-4@2026", "ctrav.L6324-8"),
            text=f"{{{agreed.path}|{unit}}} selon l'accord d'entreprise ou de branche",
            text_en=f"{{{agreed.path}|{unit}}} under the company or branch agreement",
        ),
        by=P(ceiling),
        when=established(agreed > P(ceiling)),
        sources=("ctrav.L6324-4@2026",),
        text=f"{{{ceiling}|{unit}}} : le plafond du Code prévaut sur l'accord",
        text_en=f"{{{ceiling}|{unit}}}: the Code's ceiling prevails over the agreement",
    )


# L6324-4: the legal frame, lengthened by an agreement when the case declares one.
LIMITS = (
    Variable(
        "duration_months_max",
        _agreed(
            "reconversion.duration.max_months",
            AGREED_MONTHS,
            "reconversion.agreement.max_months",
            "months",
        ),
        "Durée maximale de la période",
        "month",
        sources=("ctrav.L6324-4@2026",),
        bounds=FRAMED,
        label_en="Maximum length of the period",
    ),
    Variable(
        "training_hours_min",
        P("reconversion.training.min_hours"),
        "Durée minimale de formation",
        "hour",
        sources=("ctrav.L6324-4@2026",),
        bounds=FRAMED,
        label_en="Minimum training length",
    ),
    Variable(
        "training_hours_max",
        _agreed(
            "reconversion.training.max_hours", AGREED_HOURS, "reconversion.agreement.max_hours", "h"
        ),
        "Durée maximale de formation",
        "hour",
        sources=("ctrav.L6324-4@2026",),
        bounds=FRAMED,
        label_en="Maximum training length",
    ),
)

RULES: tuple[Rule | Notice, ...] = (
    Notice("reading.reconversion-before-decree", ~UNDER_DECREE),
    Notice(
        "reading.reconversion-interruption-before-decree",
        F("interruption_date") < P("regime.decrees_date"),
    ),
    # The written agreement is sent to the OPCO within the thirty days before the start
    # (R6324-1): an agreement concluded on or after the start cannot be (issue 10, point 8).
    Rule(
        name="reconversion.agreement-date",
        title="Accord écrit conclu avant le début",
        # R6324-1 governs a file whose last sending day falls from 1 February 2026 (point 11).
        applies=UNDER_DECREE,
        not_applicable="Sans objet : la période commence au plus tard le {regime.decrees_date}, "
        "avant que l'article R6324-1 n'impose d'adresser l'accord écrit à l'OPCO avant le début.",
        condition=F("agreement_date") < F("start_date"),
        ok="L'accord écrit du {agreement_date} précède le début de la période ({start_date}).",
        violation="L'accord écrit est daté du {agreement_date}, alors que la période commence "
        "le {start_date} : il doit être adressé à l'OPCO avant le début de son exécution.",
        sources=("ctrav.R6324-1", "ctrav.L6324-3@2026"),
        # Never earlier than the regime's first day: the change must keep the regime.
        remedies=(
            Remedy(
                "agreement_date",
                at_least=P("regime.switch_date"),
                at_most=add_days(F("start_date"), -1),
            ),
        ),
    ),
    Rule(
        name="reconversion.beneficiary",
        title="Salarié bénéficiaire",
        condition=F("employee.contract").is_in(P("reconversion.contracts")),
        ok="« Tout salarié » peut bénéficier d'une période de reconversion : un contrat "
        "{employee.contract} y ouvre droit (art. L6324-1).",
        violation="La période de reconversion n'est pas ouverte à un contrat {employee.contract}.",
        sources=("ctrav.L6324-1@2026",),
    ),
    # L6324-9, I: an external period is set by a collective agreement (L1237-17); the
    # employer decides alone only under 50 employees, or under 300 without a union delegate
    # (C), or after a record of disagreement (A), the CSE consulted where there is one
    # (issue 10, point 9). From 300 employees (B), only an agreement.
    Rule(
        name="reconversion.external-framework",
        title="Cadre de la période externe",
        applies=EXTERNAL,
        condition=any_of(
            F("reconversion.collective_agreement").eq(True),
            all_of(
                F("employer.headcount") < P("reconversion.external.negotiation_headcount"),
                any_of(
                    F("employer.headcount") < P("reconversion.external.unilateral_headcount"),
                    F("reconversion.union_delegate").eq(False),
                    F("reconversion.disagreement_record").eq(True),
                ),
                F("reconversion.cse").ne("not_consulted"),
            ),
        ),
        ok="La période externe s'inscrit dans le cadre de l'article L6324-9, I : un accord "
        "collectif, ou une décision de l'employeur dans les cas où il peut la prendre seul, "
        "le CSE consulté s'il existe.",
        violation="La période externe n'a pas le cadre qu'exige l'article L6324-9, I : sans "
        "accord collectif (art. L1237-17), l'employeur ne la fixe seul que sous "
        "{reconversion.external.unilateral_headcount|int} salariés, ou sous "
        "{reconversion.external.negotiation_headcount|int} salariés sans délégué syndical "
        "ou après un procès-verbal de désaccord, et après consultation du CSE s'il existe.",
        not_applicable="Sans objet : la période est interne à l'entreprise.",
        sources=("ctrav.L6324-9@2026",),
    ),
    # The employer's own decision is examined: say how the article's silences are read.
    Notice(
        "reading.external-unilateral",
        all_of(EXTERNAL, F("reconversion.collective_agreement").eq(False)),
    ),
    Notice(
        "reading.reconversion-training-contract",
        F("employee.contract").is_in({"apprentissage", "professionnalisation", "interim"}),
    ),
    Rule(
        name="reconversion.target",
        title="Action visée",
        condition=any_of(
            V("socle_or_vae"),
            all_of(CERTIFICATION, matches(F("target.code"), P("reconversion.code_pattern"))),
        ),
        ok="L'action vise une certification professionnelle enregistrée au RNCP, un CQP, des "
        "blocs de compétences, le socle CléA ou une VAE (art. L6324-1 et L6324-2).",
        violation="Le code « {target.code} » est inconnu de proa : il n'a la forme ni d'une "
        "certification du RNCP (RNCP…, ou un bloc de compétences RNCP…BC…), ni d'un CQP "
        "(CQP-…). La période de reconversion vise ces qualifications, le socle CléA ou une "
        "VAE ; une certification du seul répertoire spécifique (RS) n'en fait pas partie.",
        sources=("ctrav.L6324-1@2026", "ctrav.L6324-2@2026"),
    ),
    Notice(
        "reading.registry-unchecked",
        all_of(
            CERTIFICATION,
            V("certification").is_null(),
            matches(F("target.code"), P("reconversion.code_pattern")),
        ),
    ),
    Notice(
        "reading.registration-window",
        in_window(P("catalogue.windows"), F("target.code"), F("start_date")).eq(False),
    ),
    Notice("reading.reconversion-vae-frame", F("target.kind").eq("vae")),
    Rule(
        name="reconversion.duration",
        title="Durée de la période",
        applies=FRAMED,
        not_applicable="Sans objet : la durée n'est encadrée ni pour le socle CléA, ni pour "
        "une VAE (art. L6324-4 et L6324-2).",
        condition=V("duration_months") <= V("duration_months_max"),
        ok="La période dure {duration_months|months}, dans la limite de "
        "{duration_months_max|months}.",
        violation="La période dure {duration_months|months} : elle ne peut dépasser "
        "{duration_months_max|months} ; un accord d'entreprise ou de branche peut porter la "
        "limite jusqu'à {reconversion.agreement.max_months|months} (art. L6324-4).",
        sources=("ctrav.L6324-4@2026",),
        remedies=(Remedy("end_date", at_most=last_day(F("start_date"), V("duration_months_max"))),),
    ),
    Rule(
        name="reconversion.training-hours",
        title="Durée de la formation",
        applies=FRAMED,
        not_applicable="Sans objet : la durée de formation n'est encadrée ni pour le socle "
        "CléA, ni pour une VAE (art. L6324-4 et L6324-2).",
        condition=all_of(
            F("training_hours") >= V("training_hours_min"),
            F("training_hours") <= V("training_hours_max"),
        ),
        ok="{training_hours|h} de formation, entre {reconversion.training.min_hours|h} et "
        "{training_hours_max|h}.",
        violation="{training_hours|h} de formation : la période de reconversion en comporte "
        "entre {reconversion.training.min_hours|h} et {training_hours_max|h} ; un accord "
        "d'entreprise ou de branche peut aller jusqu'à {reconversion.agreement.max_hours|h} "
        "(art. L6324-4).",
        sources=("ctrav.L6324-4@2026",),
    ),
    # The 2026 chapter refers to no paragraph of L6321-6: its general rule, 1° or 2°.
    *outside_working_time_rules(
        ("ctrav.L6321-6", "ctrav.R6321-4"),
        by_agreement=True,
        reading="reading.reconversion-outside-hours",
    ),
    Rule(
        name="reconversion.mode",
        title="Période interne ou externe",
        condition=F("reconversion.mode").is_in({"internal", "external"}),
        ok="Mode de la période : {reconversion.mode|mode}.",
        violation="Le mode de la période (interne ou externe) doit être précisé.",
        sources=("ctrav.L6324-3@2026",),
    ),
    Rule(
        name="reconversion.host-contract",
        title="Contrat de l'employeur d'accueil",
        applies=EXTERNAL,
        condition=any_of(
            F("reconversion.host_contract").eq("CDI"),
            all_of(
                F("reconversion.host_contract").eq("CDD"),
                F("reconversion.host_contract_months")
                >= P("reconversion.host_contract.min_months"),
            ),
        ),
        ok="L'employeur d'accueil embauche en {reconversion.host_contract} : la condition de la "
        "période externe est remplie.",
        violation="Pour une période externe, l'employeur d'accueil doit embaucher en CDI ou en "
        "CDD d'au moins {reconversion.host_contract.min_months|months}.",
        not_applicable="Sans objet : la période se déroule dans l'entreprise.",
        sources=("ctrav.L6324-3@2026",),
    ),
)

LAW = RegimeLaw(
    regime="periode-de-reconversion",
    title="Période de reconversion",
    selection="L'accord est conclu à partir du {regime.switch_date} : la Pro-A de l'avenant "
    "n°81 n'ouvre plus de nouvelles actions (loi n° 2025-989, art. 11) ; proa évalue la "
    "période de reconversion.",
    selection_sources=("loi-2025-989", "ctrav.L6324-1@2026"),
    agreements_from="regime.switch_date",
    agreements_until=None,
    variables=(*COMMON, *LIMITS),
    rules=RULES,
    limits=(
        "duration_months_max",
        "training_hours_min",
        "training_hours_max",
        "duration_months",
        "total_hours",
    ),
    funding=funding(
        ~EXTERNAL,
        ("ctrav.L6324-3@2026",),
        (
            FundingNote(
                ~EXTERNAL,
                "Période interne : le contrat de travail est maintenu et la rémunération "
                "est inchangée (art. L6324-3, I) ; le CPF peut cofinancer, dans la limite "
                "de la moitié des droits (art. L6324-10).",
                "Internal period: the employment contract is maintained and the pay is "
                "unchanged (art. L6324-3, I); the CPF may co-fund it, up to half of the "
                "rights (art. L6324-10).",
            ),
            FundingNote(
                EXTERNAL,
                "Période externe : le contrat est suspendu (art. L6324-3, II) ; l'employeur "
                "d'accueil rémunère le salarié selon le contrat qu'il conclut, l'employeur "
                "d'origine ne verse rien pendant la suspension ; l'écart éventuel de "
                "rémunération est pris en charge selon l'accord ou la décision de l'employeur "
                "(art. L6324-9, II, 1°), par l'OPCO au niveau que fixe son conseil "
                "d'administration si l'accord le prévoit sans le chiffrer (art. D6332-91, I) ; "
                "le CPF peut être mobilisé sans limite (art. L6324-10).",
                "External period: the contract is suspended (art. L6324-3, II); the host "
                "employer pays the employee under the contract it concludes, the original "
                "employer pays nothing during the suspension; any pay gap is covered as the "
                "agreement or the employer's decision provides (art. L6324-9, II, 1°), by the "
                "OPCO at the level its board sets where the agreement provides for it without "
                "an amount (art. D6332-91, I); the CPF may be mobilised without limit "
                "(art. L6324-10).",
            ),
            FundingNote(
                ALWAYS,
                "L'OPCO prend en charge les frais pédagogiques au forfait fixé par la "
                "branche pour la période, à défaut {funding.hourly_rate_eur|eur} de l'heure "
                "(art. D6332-89 et D6332-90) ; transport et hébergement ne sont plus couverts "
                "par ce forfait. L'OPCO ne prend en charge la rémunération et les frais "
                "annexes que si un accord ou la décision unilatérale de l'employeur le prévoit "
                "(art. L6324-10 et L6332-14-1, II) ; aucun plafond n'est fixé par le Code : "
                "proa n'estime pas ce remboursement.",
                "The OPCO covers the teaching costs at the flat amount the branch sets for the "
                "period, failing that {funding.hourly_rate_eur|eur} an hour (art. D6332-89 and "
                "D6332-90); travel and accommodation are no longer covered by this amount. The "
                "OPCO covers pay and related costs only where an agreement or the employer's "
                "unilateral decision provides for it (art. L6324-10 and L6332-14-1, II); the "
                "Code sets no ceiling: proa does not estimate this reimbursement.",
            ),
            FundingNote(
                F("agreement_date") < P("regime.decrees_date"),
                "Accord conclu avant le {regime.decrees_date} : la loi s'applique, mais ses "
                "décrets d'application (n° 2026-39 et 2026-40) ne sont en vigueur qu'à partir "
                "de cette date ; d'ici là, le taux et les formalités sont incertains.",
                "Agreement concluded before {regime.decrees_date}: the law applies, but its "
                "implementing decrees (no. 2026-39 and 2026-40) are in force only from that "
                "date; until then, the rate and the formalities are uncertain.",
            ),
        ),
        # L6324-10: half of the rights for an internal period, no limit for an external one.
        cpf_max=if_(
            EXTERNAL,
            F("employee.cpf_balance_eur"),
            round2(F("employee.cpf_balance_eur") * P("reconversion.cpf.internal_share") / 100),
        ),
    ),
    deadlines=(
        Deadline(
            "reconversion.deposit-opens",
            "Transmission du dossier à l'OPCO : pas avant "
            "(dans les trente jours précédant le début)",
            if_(
                UNDER_DECREE,
                add_days(F("start_date"), -P("reconversion.deposit_days_before_start")),
                None,
            ),
            ("ctrav.R6324-1",),
            met_by="sending",
            label_en="Sending of the file to the OPCO: not before (within the thirty days "
            "before the start)",
        ),
        Deadline(
            "reconversion.deposit",
            "Transmission du dossier à l'OPCO : au plus tard (la veille du début)",
            if_(UNDER_DECREE, LAST_DEPOSIT, None),
            ("ctrav.R6324-1",),
            met_by="sending",
            label_en="Sending of the file to the OPCO: at the latest (the day before the start)",
        ),
        Deadline(
            "reconversion.decision",
            "Décision de l'OPCO, au plus tard, si le dossier est reçu le dernier jour "
            "({reconversion.decision_days|int} jours ; pas de règle d'acceptation tacite)",
            if_(UNDER_DECREE, add_days(LAST_DEPOSIT, P("reconversion.decision_days")), None),
            ("ctrav.R6324-2",),
            met_by="decision",
            label_en="The OPCO's decision, at the latest, if the file is received on the last "
            "day ({reconversion.decision_days|int} days; no rule of tacit acceptance)",
        ),
        # R6324-5 (décret n° 2026-39) governs interruptions from 1 February 2026.
        interruption_deadline(
            "reconversion.interruption",
            "reconversion.interruption_report_days",
            "à l'OPCO",
            "to the OPCO",
            "ctrav.R6324-5",
            in_force="regime.decrees_date",
        ),
    ),
    # R6324-1, 1° to 4°: what the employer sends to the OPCO.
    papers=(
        # What R6324-1 lists, once in force (issue 10, point 11); before it, only what
        # L6324-3 itself requires: the written agreement and, external, the host contract.
        Paper(
            "L'accord écrit : durée de la période interne, ou modalités de suspension du contrat "
            "pour une période externe (R6324-1, 1°)",
            ("ctrav.R6324-1", "ctrav.L6324-3@2026"),
            when=UNDER_DECREE,
            document="accord-reconversion",
            label_en="The written agreement: length of an internal period, or terms of the "
            "contract's suspension for an external one (R6324-1, 1°)",
        ),
        Paper(
            "L'accord écrit : durée de la période interne, ou modalités de suspension du contrat "
            "pour une période externe (art. L6324-3)",
            ("ctrav.L6324-3@2026",),
            when=~UNDER_DECREE,
            document="accord-reconversion",
            label_en="The written agreement: length of an internal period, or terms of the "
            "contract's suspension for an external one (art. L6324-3)",
        ),
        Paper(
            "La convention de formation annexée à cet accord (art. L6353-1 ; R6324-1, 2°)",
            ("ctrav.R6324-1",),
            when=UNDER_DECREE,
            label_en="The training agreement attached to it (art. L6353-1; R6324-1, 2°)",
        ),
        Paper(
            "Le contrat de travail conclu avec l'entreprise d'accueil (R6324-1, 3°)",
            ("ctrav.R6324-1",),
            when=all_of(EXTERNAL, UNDER_DECREE),
            label_en="The employment contract with the host company (R6324-1, 3°)",
        ),
        Paper(
            "Le contrat de travail conclu avec l'entreprise d'accueil (art. L6324-3, II)",
            ("ctrav.L6324-3@2026",),
            when=all_of(EXTERNAL, ~UNDER_DECREE),
            label_en="The employment contract with the host company (art. L6324-3, II)",
        ),
        Paper(
            "Tout autre document que l'OPCO demande pour vérifier les critères de l'article "
            "L6332-1, I, 1° bis (R6324-1, 4°)",
            ("ctrav.R6324-1",),
            when=UNDER_DECREE,
            label_en="Any other document the OPCO asks for to check the criteria of art. "
            "L6332-1, I, 1° bis (R6324-1, 4°)",
        ),
    ),
)
