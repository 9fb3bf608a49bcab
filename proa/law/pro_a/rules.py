"""Pro-A: avenant n°81 (IDCC 1147) over the Code du travail, for avenants au contrat de
travail concluded from the creation of Pro-A (1 January 2019) to the regime switch date
(1 January 2026), both parameters.

The Code du travail gives the general rule (L6324-1 ff., L6325-11 ff.); avenant 81
overrides it where the law lets a branch do so (36 months, 40 %: `Override`), and the
extension order struck two of its clauses (`Excluded`: never applied, shown as warnings).
Each section below holds a rule, the variables and overrides it reads, and their articles.
"""

from __future__ import annotations

from proa.core.expr import (
    ALWAYS,
    Const,
    Excluded,
    Override,
    add_days,
    age_at,
    all_of,
    any_of,
    any_true,
    code_prevails,
    if_,
    in_window,
    last_day,
    max_,
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
from proa.law.common.rules import (
    funding,
    interruption_deadline,
    outside_working_time_rules,
    share_of_total,
)

AGE = V("age")
IN_BRANCH = F("employer.idcc").eq(P("avenant81.idcc"))
NOT_SOCLE_OR_VAE = ~V("socle_or_vae")
TUTOR_NAMED = ~F("tutor").is_null()

# --- Who: the employer's branch, the employee's contract and qualification ----------------

SCOPE = (
    # Outside the branch, Pro-A is still open under the Code with that branch's own list,
    # which proa does not hold: asked, not refused (issue 10, point 12).
    Rule(
        name="pro-a.employer-scope",
        title="Champ de l'avenant n°81",
        applies=IN_BRANCH,
        condition=ALWAYS,
        ok="Le cabinet relève de la convention collective des cabinets médicaux (IDCC "
        "{avenant81.idcc}), quel que soit son effectif : l'avenant n°81 s'applique.",
        violation="",
        not_applicable="L'employeur relève d'une autre convention collective que celle des "
        "cabinets médicaux : l'avenant n°81 ne s'applique pas ; proa lit les règles générales "
        "du Code du travail et demande si la certification figure sur la liste de sa branche.",
        sources=("av81.art2", "ctrav.L6324-3"),
    ),
    Notice("reading.other-branch", ~IN_BRANCH),
    Rule(
        name="pro-a.beneficiary",
        title="Salarié bénéficiaire",
        condition=any_of(
            F("employee.contract").is_in(P("pro_a.contracts")),
            F("employee.partial_activity").eq(True),
        ),
        ok="Le salarié peut bénéficier de la Pro-A : contrat {employee.contract} ou activité "
        "partielle (art. L6324-1 ; avenant 81, art. 3).",
        violation="La Pro-A est réservée aux salariés en CDI, en CUI à durée indéterminée, aux "
        "sportifs et entraîneurs professionnels en CDD et aux salariés en activité "
        "partielle : un contrat {employee.contract} hors activité partielle n'y ouvre "
        "pas droit.",
        sources=("ctrav.L6324-1", "av81.art3", "ctrav.L5122-1"),
        remedies=(Remedy("employee.contract", values=P("pro_a.contracts")),),
    ),
    Rule(
        name="pro-a.qualification-ceiling",
        title="Qualification inférieure au grade de licence",
        # A level test (D6324-1-1: "n'ayant pas atteint un niveau de qualification"), not
        # only the university grade (issue 10, point 2).
        condition=all_of(
            F("employee.licence_grade").eq(False),
            F("employee.qualification_level") < P("pro_a.qualification.licence_level"),
        ),
        ok="Le salarié n'a pas atteint le niveau {pro_a.qualification.licence_level|int} (grade "
        "de licence) : la condition de qualification est remplie.",
        violation="Le salarié a déjà atteint le niveau de qualification du grade de licence "
        "(niveau {pro_a.qualification.licence_level|int} ou un grade de licence) : la Pro-A "
        "lui est fermée.",
        sources=("ctrav.L6324-2", "ctrav.D6324-1-1", "av81.art3"),
    ),
    Notice(
        "reading.qualification-level",
        all_of(
            F("employee.licence_grade").eq(False),
            F("employee.qualification_level") >= P("pro_a.qualification.licence_level"),
        ),
    ),
)

# --- When: the avenant exists before it must be sent (L6324-6, D6325-1; issue 10, point 8) -

DEPOSIT_CLOSES = add_days(F("start_date"), P("pro_a.deposit_days_after_start"))

DATES = (
    Rule(
        name="pro-a.agreement-date",
        title="Avenant conclu à temps",
        condition=F("agreement_date") <= DEPOSIT_CLOSES,
        ok="L'avenant du {agreement_date} existe avant la fin du délai de transmission à l'OPCO "
        "({pro_a.deposit_days_after_start|int} jours après le début de l'action).",
        violation="L'avenant est daté du {agreement_date}, après la fin du délai de "
        "transmission à l'OPCO ({pro_a.deposit_days_after_start|int} jours après le début "
        "de l'action, le {start_date}) : il ne peut pas lui être adressé à temps.",
        sources=("ctrav.L6324-6", "ctrav.D6325-1"),
        remedies=(
            Remedy("agreement_date", at_least=P("pro_a.agreements_from"), at_most=DEPOSIT_CLOSES),
        ),
    ),
    Notice(
        "reading.agreement-after-start",
        all_of(F("agreement_date") > F("start_date"), F("agreement_date") <= DEPOSIT_CLOSES),
    ),
)

# --- What: a certification of Annex 1 (usable once the avenant is extended), the socle, VAE -

TARGET_VARIABLES = (
    Variable(
        "on_annex1",
        all_of(IN_BRANCH, V("certification").is_in(P("pro_a.annex1"))),
        "La certification visée figure à l'annexe 1",
        sources=("av81.art4", "av81.annex1"),
        label_en="The certification aimed at is on Annex 1",
    ),
)

TARGET = (
    Rule(
        name="pro-a.target-on-list",
        title="Certification de la liste de l'annexe 1",
        # Old L6324-3 exempts only the socle from the branch list: a VAE must lead to a
        # certification of the list too (issue 10, point 3).
        applies=IN_BRANCH,
        condition=any_of(F("target.kind").eq("socle"), V("on_annex1")),
        ok="L'action vise le socle ou une certification de l'annexe 1, par la formation ou "
        "par une VAE (art. L6324-3).",
        violation="La certification « {target.code} » ne figure pas sur la liste de l'annexe 1 "
        "de l'avenant n°81 : seuls le CQP Assistant médical (RNCP36358, RNCP40913), "
        "par la formation ou par une VAE, et le socle CléA sont ouverts à la Pro-A dans la "
        "branche.",
        not_applicable="Sans objet : l'employeur relève d'une autre branche, dont la liste est "
        "demandée à part.",
        sources=("ctrav.L6324-3", "av81.art4", "av81.annex1"),
        remedies=(Remedy("target.code", values=P("pro_a.annex1")),),
    ),
    Rule(
        name="pro-a.target-on-branch-list",
        title="Certification de la liste de la branche de l'employeur",
        applies=all_of(~IN_BRANCH, F("target.kind").ne("socle")),
        condition=F("target.on_branch_list").eq(True),
        ok="La certification figure sur la liste Pro-A étendue de la branche de l'employeur "
        "(art. L6324-3), selon la réponse donnée.",
        violation="La certification ne figure pas sur la liste Pro-A étendue de la branche de "
        "l'employeur : l'article L6324-3 n'ouvre la Pro-A qu'aux certifications de cette "
        "liste, au socle de connaissances et de compétences, et à la VAE vers une "
        "certification de la liste.",
        not_applicable="Sans objet : l'employeur relève de la branche des cabinets médicaux, "
        "ou l'action vise le socle.",
        sources=("ctrav.L6324-3",),
        remedies=(Remedy("target.on_branch_list", values=Const(frozenset({True}))),),
    ),
    Rule(
        name="pro-a.list-extended",
        title="Liste de branche étendue",
        applies=all_of(IN_BRANCH, F("target.kind").ne("socle")),
        condition=P("pro_a.branch_list_usable").eq(True),
        ok="La liste de l'annexe 1 est utilisable : l'avenant est étendu depuis le 25 novembre "
        "2021.",
        violation="À la date de l'avenant au contrat, la liste de l'annexe 1 n'est pas encore "
        "étendue (arrêté publié le 25 novembre 2021) ; or l'article L6324-3 exige une "
        "liste fixée par un accord de branche étendu. Inférence de proa : la "
        "certification n'est pas encore ouverte à la Pro-A.",
        not_applicable="Sans objet : l'action vise le socle, qui ne dépend d'aucune liste.",
        sources=("ctrav.L6324-3", "extension"),
    ),
    Notice("reading.vae-branch-list", F("target.kind").eq("vae")),
    Notice(
        "reading.list-from-extension",
        all_of(F("target.kind").eq("certification"), P("pro_a.branch_list_usable").eq(False)),
    ),
    Notice(
        "defect.entry-into-force",
        all_of(
            F("agreement_date") >= P("avenant81.signature_date"),
            P("pro_a.branch_list_usable").eq(False),
        ),
    ),
    Notice(
        "reading.registration-window",
        in_window(P("catalogue.windows"), F("target.code"), F("start_date")).eq(False),
    ),
    Notice("defect.annex1-level", V("on_annex1")),
    Notice("defect.annex1-rncp-code", V("on_annex1")),
)

# --- How long: 6 to 12 months (L6325-11; avenant 81, art. 5), 36 months for the priority
# publics; the extension order struck the 24-month clause and the jobseekers public. ------

DURATION_VARIABLES = (
    Variable(
        "age",
        age_at(F("employee.birth_date"), F("start_date")),
        "Âge du salarié au premier jour de l'action (années révolues)",
        "year",
        label_en="Employee's age on the first day of the action (full years)",
    ),
    Variable(
        "priority_public",
        any_true(P("pro_a.priority_publics")),
        "Public prioritaire de l'article 5 (jusqu'à {pro_a.duration.max_months_priority|months})",
        sources=("av81.art5", "ctrav.L6325-11", "ctrav.L6325-1-1"),
        label_en="Priority public of article 5 (up to {pro_a.duration.max_months_priority|months})",
    ),
    Variable(
        "no_diploma_only_over_age",
        all_of(
            F("employee.no_secondary_diploma").eq(True),
            F("employee.minima_sociaux").ne(True),
            F("employee.former_cui").ne(True),
            P("pro_a.priority.age_max") < AGE,
        ),
        "Seul titre prioritaire : sans diplôme, au-delà de {pro_a.priority.age_max|years}",
        sources=("ctrav.L6325-1-1", "ctrav.L6325-1"),
        label_en="Only priority title: no diploma, over {pro_a.priority.age_max|years}",
    ),
    Variable(
        "duration_months_min",
        P("pro_a.duration.min_months"),
        "Durée minimale de la Pro-A",
        "month",
        sources=("ctrav.L6325-11", "av81.art5"),
        bounds=NOT_SOCLE_OR_VAE,
        label_en="Minimum length of the Pro-A",
    ),
    Variable(
        "duration_months_max",
        # The Code prevails: art. 5 opens 36 months to the "no diploma" public without the
        # 16–25 bound of L6325-1 1°, to which L6325-1-1 refers (issue 10, point 4).
        code_prevails(
            over=Override(
                base=P("pro_a.duration.max_months"),
                by=P("pro_a.duration.max_months_priority"),
                when=V("priority_public"),
                sources=("av81.art5", "ctrav.L6325-11"),
                text="{pro_a.duration.max_months_priority|months} pour un public prioritaire de "
                "l'article 5",
                struck=(
                    Excluded("pro_a.duration.max_months_qualification", "exclusion.art5-24-months"),
                    Excluded("pro_a.priority.jobseekers", "exclusion.art5-jobseekers"),
                ),
                text_en="{pro_a.duration.max_months_priority|months} for a priority public of "
                "article 5",
            ),
            by=P("pro_a.duration.max_months"),
            when=V("no_diploma_only_over_age"),
            sources=("ctrav.L6325-1-1", "ctrav.L6325-1", "ctrav.L6325-11"),
            text="{pro_a.duration.max_months|months} : au-delà de "
            "{pro_a.priority.age_max|years}, le public « sans diplôme » n'ouvre pas les "
            "{pro_a.duration.max_months_priority|months}",
            notice="reading.priority-age-bound",
            text_en="{pro_a.duration.max_months|months}: over {pro_a.priority.age_max|years}, the "
            "“no diploma” public does not open the {pro_a.duration.max_months_priority|months}",
        ),
        "Durée maximale de la Pro-A",
        "month",
        sources=("ctrav.L6325-11", "av81.art5"),
        computation="{pro_a.duration.max_months|months}, la règle générale",
        bounds=NOT_SOCLE_OR_VAE,
        label_en="Maximum length of the Pro-A",
    ),
    Variable(
        "beyond_12_months",
        all_of(NOT_SOCLE_OR_VAE, V("duration_months") > P("pro_a.duration.max_months")),
        "L'action dépasse la durée générale de {pro_a.duration.max_months|months}",
        label_en="The action exceeds the general length of {pro_a.duration.max_months|months}",
    ),
)

DURATION = (
    Rule(
        name="pro-a.duration",
        title="Durée de la Pro-A",
        applies=NOT_SOCLE_OR_VAE,
        condition=all_of(
            V("duration_months") >= V("duration_months_min"),
            V("duration_months") <= V("duration_months_max"),
        ),
        ok="L'action dure {duration_months|months} : entre {pro_a.duration.min_months|months} "
        "et {duration_months_max|months} (avenant 81, art. 5).",
        violation="L'action dure {duration_months|months} ; la Pro-A doit durer entre "
        "{pro_a.duration.min_months|months} et {duration_months_max|months}, "
        "{pro_a.duration.max_months_priority|months} pour les publics prioritaires de "
        "l'article 5.",
        not_applicable="Sans objet : les règles de durée ne s'appliquent ni au socle ni à la "
        "VAE (avenant 81, art. 5).",
        sources=("av81.art5", "ctrav.L6325-11", "ctrav.D6324-1"),
        remedies=(
            Remedy(
                "end_date",
                at_least=last_day(F("start_date"), V("duration_months_min"), reaching=True),
                at_most=last_day(F("start_date"), V("duration_months_max")),
            ),
        ),
    ),
)

# --- How much training: 15 % to 25 % of the total duration and at least 150 h (L6325-13;
# avenant 81, art. 6), up to 40 % for the categories of art. 6 (L6325-14). -----------------

# 25 % of the total, 40 % for the categories of art. 6 (L6325-14).
CEILING = Override(
    base=V("share_max_hours"),
    by=V("share_max_priority_hours"),
    when=all_of(IN_BRANCH, V("share_category")),
    sources=("av81.art6", "ctrav.L6325-14"),
    text="{pro_a.training.max_share_priority|pct} de la durée totale ({total_hours|h}) "
    "pour un salarié d'une catégorie de l'article 6",
    text_en="{pro_a.training.max_share_priority|pct} of the total length ({total_hours|h}) for an "
    "employee of a category of article 6",
)

TRAINING_VARIABLES = (
    Variable(
        "share_category",
        any_of(
            F("employee.qualification_level") <= P("pro_a.first_levels_max"),
            P("pro_a.share.age_under") > AGE,
            P("pro_a.share.age_from") <= AGE,
            F("employee.years_of_activity") >= P("pro_a.share.activity_years"),
            F("employee.disabled_worker").eq(True),
            F("employee.returning_from").is_in(P("pro_a.share.returning_from")),
        ),
        "Salarié d'une catégorie de l'article 6 (formation jusqu'à "
        "{pro_a.training.max_share_priority|pct})",
        sources=("av81.art6", "ctrav.L6325-14"),
        label_en="Employee of a category of article 6 (training up to "
        "{pro_a.training.max_share_priority|pct})",
    ),
    Variable(
        "share_min_hours",
        share_of_total("pro_a.training.min_share"),
        "{pro_a.training.min_share|pct} de la durée totale",
        "hour",
        label_en="{pro_a.training.min_share|pct} of the total length",
    ),
    Variable(
        "share_max_hours",
        share_of_total("pro_a.training.max_share"),
        "{pro_a.training.max_share|pct} de la durée totale",
        "hour",
        label_en="{pro_a.training.max_share|pct} of the total length",
    ),
    Variable(
        "share_max_priority_hours",
        share_of_total("pro_a.training.max_share_priority"),
        "{pro_a.training.max_share_priority|pct} de la durée totale",
        "hour",
        label_en="{pro_a.training.max_share_priority|pct} of the total length",
    ),
    Variable(
        "training_hours_min",
        max_(V("share_min_hours"), P("pro_a.training.min_hours")),
        "Durée minimale de formation",
        "hour",
        sources=("ctrav.L6325-13", "av81.art6"),
        computation="{pro_a.training.min_share|pct} de la durée totale ({total_hours|h}), soit "
        "{share_min_hours|h}, sans descendre sous {pro_a.training.min_hours|h}",
        bounds=NOT_SOCLE_OR_VAE,
        label_en="Minimum training length",
    ),
    Variable(
        "training_hours_max",
        # The Code prevails: the 150 h floor of L6325-13 ("sans être inférieure à cent
        # cinquante heures") is absolute, never an empty range (issue 10, point 5).
        code_prevails(
            over=CEILING,
            by=P("pro_a.training.min_hours"),
            when=P("pro_a.training.min_hours") > CEILING,
            sources=("ctrav.L6325-13",),
            text="{pro_a.training.min_hours|h} : le plancher légal prévaut sur le plafond",
            notice="reading.training-floor-over-ceiling",
            text_en="{pro_a.training.min_hours|h}: the legal floor prevails over the ceiling",
        ),
        "Durée maximale de formation",
        "hour",
        sources=("ctrav.L6325-13", "av81.art6"),
        computation="{pro_a.training.max_share|pct} de la durée totale ({total_hours|h}), la "
        "règle générale",
        bounds=NOT_SOCLE_OR_VAE,
        label_en="Maximum training length",
    ),
    Variable(
        "beyond_25_percent",
        all_of(NOT_SOCLE_OR_VAE, F("training_hours") > V("share_max_hours")),
        "La formation dépasse {pro_a.training.max_share|pct} de la durée totale",
        label_en="The training exceeds {pro_a.training.max_share|pct} of the total length",
    ),
)

# Both training rules are satisfied by the same range of hours.
TRAINING_RANGE = (
    Remedy("training_hours", V("training_hours_min"), V("training_hours_max"), unit="hour"),
)

TRAINING = (
    Rule(
        name="pro-a.training-minimum",
        title="Durée minimale de la formation",
        applies=NOT_SOCLE_OR_VAE,
        condition=F("training_hours") >= V("training_hours_min"),
        ok="{training_hours|h} de formation : au moins {pro_a.training.min_share|pct} de la "
        "durée totale ({total_hours|h}) et au moins {pro_a.training.min_hours|h}, soit "
        "{training_hours_min|h}.",
        violation="{training_hours|h} de formation : la Pro-A en exige au moins "
        "{training_hours_min|h} ({pro_a.training.min_share|pct} de la durée totale de "
        "{total_hours|h}, sans descendre sous {pro_a.training.min_hours|h}).",
        not_applicable="Sans objet : la durée de formation n'est pas encadrée pour le socle ou "
        "la VAE (avenant 81, art. 6).",
        sources=("av81.art6", "ctrav.L6325-13"),
        remedies=TRAINING_RANGE,
    ),
    Rule(
        name="pro-a.training-share",
        title="Part maximale de la formation",
        applies=NOT_SOCLE_OR_VAE,
        condition=F("training_hours") <= V("training_hours_max"),
        ok="{training_hours|h} de formation : dans la limite de {training_hours_max|h} "
        "({pro_a.training.max_share|pct} de la durée totale, "
        "{pro_a.training.max_share_priority|pct} pour les salariés de l'article 6).",
        violation="{training_hours|h} de formation dépassent la limite de "
        "{training_hours_max|h} : {pro_a.training.max_share|pct} de la durée totale "
        "({total_hours|h}), {pro_a.training.max_share_priority|pct} seulement pour les "
        "salariés des catégories de l'article 6.",
        not_applicable="Sans objet : la durée de formation n'est pas encadrée pour le socle ou "
        "la VAE (avenant 81, art. 6).",
        sources=("av81.art6", "ctrav.L6325-13", "ctrav.L6325-14"),
        remedies=TRAINING_RANGE,
    ),
    Notice("reading.training-share-ceiling", V("beyond_25_percent")),
    Notice(
        "reading.first-levels",
        all_of(
            V("beyond_25_percent"),
            F("employee.qualification_level") <= P("pro_a.first_levels_max"),
        ),
    ),
    # Old L6324-7 allows it "en application du 2° de l'article L. 6321-6" only: no collective
    # agreement lifts the 30 hours (issue 10, point 10).
    *outside_working_time_rules(
        ("ctrav.L6324-7", "ctrav.L6321-6", "ctrav.R6321-4"),
        by_agreement=False,
        reading="reading.pro-a-outside-hours",
    ),
)

# --- The tutor (avenant 81, art. 5; D6325-6, D6325-9) -------------------------------------

TUTOR_VARIABLES = (
    Variable(
        "tutor_max",
        if_(
            F("tutor.role").eq("employer"),
            P("pro_a.tutor.max_beneficiaries_employer"),
            P("pro_a.tutor.max_beneficiaries_employee"),
        ),
        "Nombre maximal de bénéficiaires du tuteur",
        "count",
        sources=("ctrav.D6325-9",),
        label_en="Maximum number of the tutor's beneficiaries",
    ),
)

TUTOR = (
    Rule(
        name="pro-a.tutor",
        title="Tuteur désigné",
        condition=TUTOR_NAMED,
        ok="Un tuteur est désigné pour accompagner le salarié (avenant 81, art. 5).",
        violation="Aucun tuteur n'est désigné : l'article 5 de l'avenant n°81 exige qu'un "
        "tuteur accompagne chaque bénéficiaire de Pro-A.",
        sources=("av81.art5", "ctrav.D6325-6"),
    ),
    Rule(
        name="pro-a.tutor-experience",
        title="Expérience du tuteur",
        applies=TUTOR_NAMED,
        condition=F("tutor.experience_years") >= P("pro_a.tutor.min_experience_years"),
        ok="Le tuteur justifie de {tutor.experience_years|years} d'expérience dans une "
        "qualification en rapport avec l'objectif (au moins "
        "{pro_a.tutor.min_experience_years|years}).",
        violation="Le tuteur n'a que {tutor.experience_years|years} d'expérience : il en faut "
        "au moins {pro_a.tutor.min_experience_years|years} dans une qualification en "
        "rapport avec l'objectif visé.",
        not_applicable="Sans objet : aucun tuteur n'est désigné.",
        sources=("ctrav.D6325-6", "ctrav.D6324-2"),
        remedies=(
            Remedy(
                "tutor.experience_years",
                at_least=P("pro_a.tutor.min_experience_years"),
                unit="year",
            ),
        ),
    ),
    Rule(
        name="pro-a.tutor-load",
        title="Nombre de bénéficiaires par tuteur",
        applies=TUTOR_NAMED,
        condition=F("tutor.current_beneficiaries") + 1 <= V("tutor_max"),
        ok="Le tuteur suivra {tutor.current_beneficiaries|plus_one} bénéficiaire(s), ce "
        "salarié compris : au plus {tutor_max|int}.",
        violation="Le tuteur suit déjà {tutor.current_beneficiaries|int} bénéficiaire(s) : "
        "avec ce salarié il dépasserait le maximum de {tutor_max|int} "
        "({pro_a.tutor.max_beneficiaries_employee|int} pour un tuteur salarié, "
        "{pro_a.tutor.max_beneficiaries_employer|int} pour l'employeur).",
        not_applicable="Sans objet : aucun tuteur n'est désigné.",
        sources=("ctrav.D6325-9",),
    ),
)

# Old D6332-90 (2nd paragraph; D6332-89 says the same): avenant 81, art. 7 lets the OPCO
# cover the pay without setting its level; the OPCO sets it, "sans que le montant total pris
# en charge au titre de la rémunération puisse toutefois excéder le coût horaire du [SMIC]
# par heure" — read as the gross hourly SMIC per training hour in working time, charges
# included (issue 10, §2; reading.pay-cap-smic names the other reading).
FUNDING_VARIABLES = (
    Variable(
        "pay_cap",
        round2(V("paid_training_hours") * P("funding.smic_hourly_eur")),
        "Plafond du remboursement de la rémunération : SMIC horaire "
        "({funding.smic_hourly_eur|eur}) par heure de formation sur le temps de travail",
        "eur",
        sources=("ctrav.D6332-90", "smic"),
        label_en="Cap of the pay reimbursement: hourly SMIC ({funding.smic_hourly_eur|eur}) per "
        "training hour during working time",
    ),
    Variable(
        "pay_reimbursement_max",
        if_(V("pay_cost") < V("pay_cap"), V("pay_cost"), V("pay_cap")),
        "Remboursement de la rémunération par l'OPCO, au plus",
        "eur",
        sources=("ctrav.D6332-90", "av81.art7"),
        label_en="Reimbursement of the pay by the OPCO, at most",
    ),
)

LAW = RegimeLaw(
    regime="pro-a",
    title="Reconversion ou promotion par l'alternance (Pro-A)",
    selection="L'avenant au contrat de travail est conclu avant le {regime.switch_date} : la "
    "Pro-A s'applique (avenant n°81 et art. L6324-1 et suivants).",
    selection_sources=("loi-2025-989", "ctrav.L6324-1"),
    agreements_from="pro_a.agreements_from",
    agreements_until="regime.switch_date",
    variables=(
        *COMMON,
        *TARGET_VARIABLES,
        *DURATION_VARIABLES,
        *TRAINING_VARIABLES,
        *TUTOR_VARIABLES,
        *FUNDING_VARIABLES,
    ),
    rules=(
        *SCOPE,
        *DATES,
        *TARGET,
        *DURATION,
        *TRAINING,
        *TUTOR,
        Notice(
            "defect.financing-duplicated",
            all_of(IN_BRANCH, P("pro_a.branch_list_usable").eq(True)),
        ),
        Notice("reading.pro-a-decree-transition", F("end_date") >= P("regime.decrees_date")),
        # D6325-5 reaches Pro-A only through old D6332-89's reference (issue 10, §2).
        Notice("reading.pro-a-interruption", F("interruption_date") >= F("start_date")),
        Notice("reading.pay-cap-smic", V("pay_cost") >= 0),
    ),
    limits=(
        "duration_months_max",
        "training_hours_min",
        "training_hours_max",
        "duration_months_min",
        "duration_months",
        "total_hours",
    ),
    funding=funding(
        ALWAYS,
        ("ctrav.L6324-8", "ctrav.D6332-90"),
        (
            FundingNote(
                ALWAYS,
                "La rémunération est maintenue pendant la formation suivie sur le temps de "
                "travail (art. L6324-8) ; l'OPCO peut la rembourser avec les charges "
                "sociales légales et conventionnelles, au niveau qu'il fixe, dans la limite "
                "du coût horaire du SMIC par heure (art. D6332-90 ; avenant 81, art. 7).",
                "Pay is maintained during training followed in working time (art. L6324-8); "
                "the OPCO may reimburse it with the statutory and agreed social charges, at "
                "the level it sets, up to the hourly cost of the SMIC per hour "
                "(art. D6332-90; avenant 81, art. 7).",
            ),
            FundingNote(
                V("small_firm"),
                "Cabinet de moins de {funding.small_firm_headcount|int} salariés : l'OPCO peut "
                "mobiliser des fonds supplémentaires (art. D6332-91).",
                "Practice with fewer than {funding.small_firm_headcount|int} employees: the "
                "OPCO may mobilise additional funds (art. D6332-91).",
            ),
            FundingNote(
                ALWAYS,
                "Le forfait couvre tout ou partie des frais pédagogiques, de transport et "
                "d'hébergement ; chaque OPCO publie ses propres plafonds.",
                "The flat amount covers all or part of the teaching, travel and accommodation "
                "costs; each OPCO publishes its own ceilings.",
            ),
        ),
        pay_reimbursement_max=V("pay_reimbursement_max"),
    ),
    deadlines=(
        Deadline(
            "pro-a.deposit",
            "Transmission de l'avenant et du document pédagogique à l'OPCO (au plus tard)",
            add_days(F("start_date"), P("pro_a.deposit_days_after_start")),
            ("ctrav.D6325-1",),
            met_by="sending",
            label_en="Sending of the avenant and the pedagogical document to the OPCO "
            "(at the latest)",
        ),
        Deadline(
            "opco.decision",
            "Décision de l'OPCO, si l'avenant est transmis ce jour-là (silence vaut acceptation)",
            add_days(
                add_days(F("start_date"), P("pro_a.deposit_days_after_start")),
                P("opco.decision_days"),
            ),
            ("ctrav.D6325-2",),
            met_by="decision",
            label_en="The OPCO's decision, if the avenant is sent that day "
            "(silence means acceptance)",
        ),
        interruption_deadline(
            "pro-a.interruption",
            "pro_a.interruption_report_days",
            "à la DREETS, à l'OPCO et à l'Urssaf",
            "to the DREETS, the OPCO and the Urssaf",
            "ctrav.D6325-5",
        ),
    ),
    # What the OPCO receives (D6325-1, by the reference of old D6332-89; D6325-11).
    papers=(
        Paper(
            "L'avenant au contrat de travail (durée et objet de la Pro-A)",
            ("ctrav.L6324-6", "ctrav.D6325-1"),
            document="avenant",
            label_en="The avenant to the employment contract (length and purpose of the Pro-A)",
        ),
        Paper(
            "Le document pédagogique annexé : objectifs, programme, modalités d'organisation, "
            "d'évaluation et de sanction de la formation",
            ("ctrav.D6325-11", "ctrav.D6325-1"),
            document="pedagogique",
            label_en="The attached pedagogical document: aims, programme, organisation, "
            "assessment and certification of the training",
        ),
    ),
)
