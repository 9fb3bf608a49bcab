"""The inputs of a case, each declared once (STYLE.md §6): its question, help, allowed values
and bounds, and how a message or a document names it.

Everything else derives from here: the pydantic contract (`proa.core.model.declared`) and
so the JSON Schema, the CLI's `questions`, the web form, the REST API's questions and the
documents' wording. The order of `INPUTS` is the questionnaire's order: conditions before
amounts, the most decisive first; the engine sorts its `missing` list by it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

Kind = Literal["date", "bool", "int", "number", "choice", "text", "object"]

# Pro-A exists from 1 January 2019 (loi n° 2018-771); proa covers nothing earlier.
FIRST_DAY = dt.date(2019, 1, 1)
# The last day a case may name: far enough for any plan, near enough that every date the
# engine derives (an end plus months, deadlines) stays within the calendar.
LAST_DAY = dt.date(2100, 12, 31)
# Text without control characters: they have no place in a name and break documents (and
# PostgreSQL refuses NUL in JSON).
PRINTABLE = r"^[^\x00-\x1f\x7f]*$"

# "rncp40913", "RNCP 40913", "Rncp-40913" all write RNCP40913 (issue 10, point 6).
_REGISTRY_CODE = re.compile(
    r"^\s*(RNCP|RS)[\s_\-.]*(\d+)(?:[\s_\-.]*(BC)[\s_\-.]*(\d+))?\s*$", re.IGNORECASE
)


def certification_code(raw: str) -> str:
    """A certification code as the registries write it: RNCP or RS in capitals, then the
    digits (and a block, BC and its digits), nothing between; any other code (a CQP id)
    only trimmed."""
    m = _REGISTRY_CODE.match(raw)
    if not m:
        return raw.strip()
    block = f"BC{m[4]}" if m[3] else ""
    return f"{m[1].upper()}{m[2]}{block}"


@dataclass(frozen=True)
class Choice:
    """One allowed value: `label` as the questionnaire offers it, `phrase` as a document or
    a message says it mid-sentence (the label when they are the same), `words` as a
    spreadsheet may also write it. `None` is the
    answer "none of these" where an explicit null is an answer."""

    value: str | None
    label: str
    phrase: str = ""
    # Other French words a batch file may write for it (besides the value, the label and
    # the phrase; case and accents do not matter).
    words: tuple[str, ...] = ()
    # The label in English (the web app's English pages); the French one when empty.
    label_en: str = ""

    @property
    def said(self) -> str:
        return self.phrase or self.label


@dataclass(frozen=True)
class Bounds:
    """What the contract accepts beyond the kind (pydantic's `Field` constraints)."""

    ge: int | Decimal | dt.date | None = None
    gt: int | Decimal | None = None
    le: int | Decimal | dt.date | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None

    def constraints(self) -> dict[str, Any]:
        return {k: v for k, v in vars(self).items() if v is not None}


@dataclass(frozen=True)
class Input:
    path: str
    kind: Kind
    question: str
    question_en: str
    help: str = ""
    options: tuple[Choice, ...] = ()
    # True when an explicit null is an answer ("none"), not an unknown.
    null_is_answer: bool = False
    bounds: Bounds = Bounds()
    # The answer named in a sentence ("IDCC du cabinet"): rule pages show it where a
    # message template has the input's placeholder, and `proa explain` in conditions.
    term: str = ""
    # Digits that name rather than count (an IDCC): shown as given, never grouped.
    identifier: bool = False
    # Its column's French header in a batch file (`proa batch`, docs/batch.md).
    header: str = ""
    # How a text answer is written canonically, for every door and both engines.
    normalise: Callable[[str], str] | None = None
    # The help in English (the web app's English pages); the French one when empty.
    help_en: str = ""
    # `term` in English (English rule pages); the pack refuses a term without it.
    term_en: str = ""

    @property
    def choices(self) -> tuple[tuple[str | None, str], ...]:
        """(value, French label) pairs, in the order offered."""
        return tuple((c.value, c.label) for c in self.options)

    @property
    def allowed(self) -> tuple[str, ...]:
        """The values the contract accepts (null aside)."""
        return tuple(c.value for c in self.options if c.value is not None)

    def said(self, value: str | None) -> str:
        """An allowed value as a sentence says it (the value itself when unknown)."""
        return next((c.said for c in self.options if c.value == value), str(value))


HOURS = Bounds(ge=0, le=5000)
YEARS = Bounds(ge=0, le=70)
NAME = Bounds(max_length=200, pattern=PRINTABLE)
DAYS = Bounds(ge=dt.date(1900, 1, 1), le=LAST_DAY)

INPUTS: tuple[Input, ...] = (
    Input(
        "agreement_date",
        "date",
        "À quelle date l'avenant au contrat de travail est-il (ou sera-t-il) signé ?",
        "On what date is the amendment to the employment contract signed?",
        "Cette date choisit le dispositif : Pro-A avant le 1er janvier 2026, période de "
        "reconversion à partir de cette date.",
        bounds=Bounds(ge=FIRST_DAY, le=LAST_DAY),
        term="date de signature de l'avenant",
        term_en="signature date of the avenant",
        header="Date de l'avenant",
        help_en=(
            "This date chooses the scheme: Pro-A before 1 January 2026, période de reconversion "
            "from that date."
        ),
    ),
    Input(
        "employer.idcc",
        "int",
        "Quelle convention collective l'employeur applique-t-il (IDCC) ?",
        "Which collective agreement (IDCC) does the employer apply?",
        "Cabinets médicaux : IDCC 1147.",
        bounds=Bounds(ge=1, le=9999),
        term="IDCC du cabinet",
        term_en="practice's IDCC",
        identifier=True,
        header="IDCC",
        help_en="Medical practices: IDCC 1147.",
    ),
    Input(
        "employee.contract",
        "choice",
        "Quel est le contrat de travail du salarié ?",
        "What is the employee's employment contract?",
        options=(
            Choice("CDI", "CDI", "contrat de travail à durée indéterminée"),
            Choice("CDD", "CDD", "contrat de travail à durée déterminée"),
            Choice(
                "CUI-CDI",
                "CUI à durée indéterminée (CUI-CDI)",
                "contrat unique d'insertion à durée indéterminée",
                words=("CUI",),
                label_en="Permanent CUI (CUI-CDI)",
            ),
            Choice(
                "CDD-sportif",
                "CDD de sportif ou d'entraîneur professionnel (C. sport, art. L222-2-3)",
                "contrat de travail à durée déterminée de sportif ou d'entraîneur "
                "professionnel (art. L222-2-3 du code du sport)",
                label_en=(
                    "Fixed-term contract of a professional athlete or coach (Sports Code, art. "
                    "L222-2-3)"
                ),
            ),
            Choice(
                "apprentissage",
                "Contrat d'apprentissage",
                "contrat d'apprentissage",
                label_en="Apprenticeship contract",
            ),
            Choice(
                "professionnalisation",
                "Contrat de professionnalisation",
                "contrat de professionnalisation",
                label_en="Professionalisation contract",
            ),
            Choice(
                "interim",
                "Contrat de travail temporaire (intérim)",
                "contrat de travail temporaire",
                words=("intérimaire",),
                label_en="Temporary work contract (agency work)",
            ),
        ),
        term="contrat du salarié",
        term_en="employee's contract",
        header="Contrat de travail",
    ),
    Input(
        "employee.partial_activity",
        "bool",
        "Le salarié est-il placé en activité partielle ?",
        "Is the employee on short-time work (activité partielle)?",
        "C. trav., art. L5122-1.",
        term="activité partielle",
        term_en="short-time work",
        header="Activité partielle",
        help_en="Labour Code, art. L5122-1.",
    ),
    Input(
        "employee.licence_grade",
        "bool",
        "Le salarié détient-il déjà une certification RNCP de grade licence ou plus ?",
        "Does the employee already hold an RNCP certification at licence grade or above?",
        "Licence, bachelor, diplôme de niveau 6 ou plus conférant le grade de licence.",
        term="grade de licence",
        term_en="licence grade",
        header="Grade licence",
        help_en="Licence, bachelor, a level 6 diploma or above conferring the licence grade.",
    ),
    Input(
        "target.kind",
        "choice",
        "Quelle action la formation vise-t-elle ?",
        "What does the training lead to?",
        options=(
            Choice(
                "certification",
                "Une certification (RNCP, RS ou CQP)",
                label_en="A certification (RNCP, RS or CQP)",
            ),
            Choice(
                "socle",
                "Le socle de connaissances et de compétences (CléA)",
                words=("CléA",),
                label_en="The base of knowledge and skills (CléA)",
            ),
            Choice(
                "vae",
                "Une validation des acquis de l'expérience (VAE)",
                label_en="A validation of prior experience (VAE)",
            ),
        ),
        term="action visée",
        term_en="action aimed at",
        header="Type d'action",
    ),
    Input(
        "target.code",
        "text",
        "Quel est le code de la certification visée (RNCP…, RS… ou identifiant du CQP) ?",
        "What is the code of the targeted certification (RNCP…, RS… or CQP id)?",
        "CQP Assistant médical : RNCP40913 (auparavant RNCP36358).",
        null_is_answer=True,
        bounds=Bounds(min_length=1, max_length=40, pattern=PRINTABLE),
        term="code de la certification visée",
        term_en="code of the certification aimed at",
        header="Code de la certification",
        normalise=certification_code,
        help_en="CQP Assistant médical: RNCP40913 (formerly RNCP36358).",
    ),
    Input(
        "target.on_branch_list",
        "bool",
        "La certification figure-t-elle sur la liste Pro-A étendue de la branche de l'employeur ?",
        "Is the certification on the extended Pro-A list of the employer's branch?",
        "Pour un employeur hors de la branche des cabinets médicaux (IDCC 1147) : chaque "
        "branche fixe sa liste par un accord étendu (art. L6324-3), que proa ne connaît pas.",
        term="inscription sur la liste de la branche de l'employeur",
        term_en="listing on the employer's branch list",
        header="Sur la liste de sa branche",
        help_en=(
            "For an employer outside the medical practices' branch (IDCC 1147): each branch sets "
            "its list by an extended agreement (art. L6324-3), which proa does not know."
        ),
    ),
    Input(
        "reconversion.mode",
        "choice",
        "La période de reconversion se déroule-t-elle dans l'entreprise ou chez un autre "
        "employeur ?",
        "Is the reconversion period internal or with another employer?",
        options=(
            Choice(
                "internal",
                "Dans l'entreprise (contrat maintenu)",
                "interne",
                label_en="Within the company (contract maintained)",
            ),
            Choice(
                "external",
                "Chez un autre employeur (contrat suspendu)",
                "externe",
                label_en="With another employer (contract suspended)",
            ),
        ),
        term="mode de la période",
        term_en="mode of the period",
        header="Mode de la période",
    ),
    Input(
        "reconversion.host_contract",
        "choice",
        "Quel contrat l'employeur d'accueil propose-t-il ?",
        "Which contract does the host employer offer?",
        options=(
            Choice("CDI", "CDI", "contrat à durée indéterminée"),
            Choice("CDD", "CDD", "contrat à durée déterminée"),
        ),
        term="contrat proposé par l'employeur d'accueil",
        term_en="contract offered by the host employer",
        header="Contrat d'accueil",
    ),
    Input(
        "reconversion.host_contract_months",
        "number",
        "Quelle est la durée du CDD proposé par l'employeur d'accueil (en mois) ?",
        "How long is the host employer's fixed-term contract (months)?",
        bounds=Bounds(gt=0, le=120),
        term="durée du CDD d'accueil",
        term_en="length of the host fixed-term contract",
        header="Durée du CDD d'accueil (mois)",
    ),
    Input(
        "reconversion.collective_agreement",
        "bool",
        "La période externe s'inscrit-elle dans un accord d'entreprise (GEPP ou rupture "
        "conventionnelle collective, art. L1237-17) qui l'organise ?",
        "Is the external period part of a company agreement (art. L1237-17) that organises it?",
        "Art. L6324-9, I : les périodes externes sont mises en œuvre dans le cadre de ces "
        "accords ; sans accord, l'employeur ne décide seul que dans les cas de l'article.",
        term="accord collectif organisant la période externe",
        term_en="collective agreement organising the external period",
        header="Accord L1237-17",
        help_en=(
            "Art. L6324-9, I: external periods are put in place under these agreements; without "
            "one, the employer decides alone only in the cases of the article."
        ),
    ),
    Input(
        "reconversion.union_delegate",
        "bool",
        "L'entreprise a-t-elle un délégué syndical ?",
        "Does the company have a union delegate?",
        "Entre 50 et 299 salariés, un délégué syndical impose de négocier avant toute décision "
        "unilatérale (art. L6324-9, I, A et C).",
        term="délégué syndical",
        term_en="union delegate",
        header="Délégué syndical",
        help_en=(
            "With 50 to 299 employees, a union delegate means negotiating before any unilateral "
            "decision (art. L6324-9, I, A and C)."
        ),
    ),
    Input(
        "reconversion.disagreement_record",
        "bool",
        "Un procès-verbal de désaccord a-t-il été établi après trois mois de négociation ?",
        "Was a record of disagreement drawn up after three months of negotiation?",
        "Art. L6324-9, I, A : faute d'accord après trois mois, le procès-verbal de désaccord "
        "permet à l'employeur de fixer seul les modalités.",
        term="procès-verbal de désaccord",
        term_en="record of disagreement",
        header="PV de désaccord",
        help_en=(
            "Art. L6324-9, I, A: with no agreement after three months, the record of disagreement"
            " lets the employer set the terms alone."
        ),
    ),
    Input(
        "reconversion.cse",
        "choice",
        "Le comité social et économique (CSE) a-t-il été consulté ?",
        "Was the social and economic committee (CSE) consulted?",
        "Art. L6324-9, I, C : consultation obligatoire lorsque l'entreprise a un CSE.",
        options=(
            Choice(
                "consulted",
                "Oui, le CSE a été consulté",
                "CSE consulté",
                label_en="Yes, the CSE was consulted",
            ),
            Choice("not_consulted", "Non, pas encore", "CSE non consulté", label_en="No, not yet"),
            Choice(
                "none",
                "L'entreprise n'a pas de CSE",
                "sans CSE",
                words=("aucun",),
                label_en="The company has no CSE",
            ),
        ),
        term="consultation du CSE",
        term_en="consultation of the CSE",
        header="Consultation du CSE",
        help_en="Art. L6324-9, I, C: consultation is required when the company has a CSE.",
    ),
    Input(
        "reconversion.agreement_hours_max",
        "number",
        "Un accord d'entreprise ou de branche porte-t-il la durée de formation au-delà de "
        "450 heures ? Si oui, jusqu'à combien d'heures ?",
        "Does a company or branch agreement raise the training time above 450 hours? If so, "
        "up to how many hours?",
        "Facultatif (art. L6324-4 et L6324-8) : le Code plafonne l'accord à 2 100 heures.",
        bounds=Bounds(gt=0, le=5000),
        term="durée de formation prévue par l'accord",
        term_en="training length set by the agreement",
        header="Heures prévues par l'accord",
        help_en="Optional (art. L6324-4 and L6324-8): the Code caps the agreement at 2,100 hours.",
    ),
    Input(
        "reconversion.agreement_months_max",
        "number",
        "Cet accord porte-t-il la période au-delà de 12 mois ? Si oui, jusqu'à combien de mois ?",
        "Does that agreement extend the period beyond 12 months? If so, up to how many months?",
        "Facultatif (art. L6324-4) : le Code plafonne l'accord à 36 mois.",
        bounds=Bounds(gt=0, le=120),
        term="durée de la période prévue par l'accord",
        term_en="period length set by the agreement",
        header="Mois prévus par l'accord",
        help_en="Optional (art. L6324-4): the Code caps the agreement at 36 months.",
    ),
    Input(
        "start_date",
        "date",
        "Quel est le premier jour de l'action ?",
        "What is the first day of the action?",
        bounds=DAYS,
        term="premier jour de l'action",
        term_en="first day of the action",
        header="Date de début",
    ),
    Input(
        "end_date",
        "date",
        "Quel est le dernier jour de l'action ?",
        "What is the last day of the action?",
        bounds=DAYS,
        term="dernier jour de l'action",
        term_en="last day of the action",
        header="Date de fin",
    ),
    Input(
        "employee.cpf_balance_eur",
        "number",
        "Quel est le solde du compte personnel de formation (CPF) du salarié, en euros ?",
        "What is the balance of the employee's personal training account (CPF), in euros?",
        "Facultatif : proa en déduit les droits mobilisables pour la période (art. L6324-10).",
        bounds=Bounds(ge=0, le=100000),
        term="solde du CPF",
        term_en="CPF balance",
        header="Solde CPF (€)",
        help_en=(
            "Optional: proa works out the rights that may be used for the period (art. L6324-10)."
        ),
    ),
    Input(
        "branch_hourly_rate_eur",
        "number",
        "Quel forfait horaire la branche (CPNEFP) ou l'OPCO applique-t-il aux frais "
        "pédagogiques, en euros de l'heure ?",
        "What hourly flat rate does the branch (CPNEFP) or the OPCO apply to teaching costs, "
        "in euros per hour?",
        "Facultatif : sans réponse, proa applique le forfait par défaut du Code (art. D6332-90).",
        bounds=Bounds(gt=0, le=1000),
        term="forfait horaire de la branche",
        term_en="branch's hourly flat rate",
        header="Forfait horaire de la branche (€)",
        help_en=(
            "Optional: without an answer, proa applies the Code's default flat rate (art. "
            "D6332-90)."
        ),
    ),
    # Pay and cost (issue 10, §2): optional, they give the employer's cost and what the OPCO
    # may reimburse; never asked as missing.
    Input(
        "employee.hourly_pay_eur",
        "number",
        "Quel est le salaire horaire brut du salarié, en euros ?",
        "What is the employee's gross hourly pay, in euros?",
        "Facultatif : proa en déduit le coût de la rémunération maintenue pendant les heures "
        "de formation sur le temps de travail.",
        # 200 € an hour is far above the branch's grid, and keeps the table engine's exact
        # integer arithmetic (numerator × denominator) within 64 bits.
        bounds=Bounds(gt=0, le=200),
        term="salaire horaire brut",
        term_en="gross hourly pay",
        header="Salaire horaire brut (€)",
        help_en=(
            "Optional: proa works out the cost of the pay maintained during training hours in "
            "working time."
        ),
    ),
    Input(
        "employer.social_charges_pct",
        "number",
        "Quel taux de cotisations patronales s'applique à ce salaire, en pourcentage du brut ?",
        "What rate of employer's social contributions applies to this pay, as a percentage "
        "of gross pay?",
        "Facultatif : charges légales et conventionnelles, après réductions (0 si vous "
        "raisonnez sur le brut).",
        bounds=Bounds(ge=0, le=100),
        term="taux de cotisations patronales",
        term_en="employer's social contribution rate",
        header="Cotisations patronales (%)",
        help_en=(
            "Optional: legal and agreed contributions, after reductions (0 if you reason on gross"
            " pay)."
        ),
    ),
    Input(
        "training_price_eur",
        "number",
        "Quel est le prix de la formation facturé par l'organisme, en euros ?",
        "What price does the training organisation charge for the training, in euros?",
        "Facultatif : proa en déduit les frais pédagogiques restant à la charge de "
        "l'employeur après le forfait de l'OPCO.",
        bounds=Bounds(ge=0, le=1_000_000),
        term="prix de la formation",
        term_en="price of the training",
        header="Prix de la formation (€)",
        help_en=(
            "Optional: proa works out the teaching costs left for the employer after the OPCO's "
            "flat rate."
        ),
    ),
    Input(
        "interruption_date",
        "date",
        "L'action a-t-elle été interrompue avant son terme ? Si oui, à quelle date ?",
        "Was the action interrupted before its end? If so, on what date?",
        "À renseigner seulement en cas de rupture ou d'arrêt anticipé : proa donne le délai "
        "pour le signaler.",
        bounds=DAYS,
        term="date de l'interruption",
        term_en="date of the interruption",
        header="Date d'interruption",
        help_en=(
            "Only if the action is broken off or stopped early: proa gives the time limit to "
            "report it."
        ),
    ),
    Input(
        "employee.no_secondary_diploma",
        "bool",
        "Le salarié est-il dépourvu à la fois d'un second cycle de l'enseignement secondaire "
        "validé et d'un diplôme de l'enseignement technologique ou professionnel ?",
        "Does the employee lack both a completed upper-secondary education and a "
        "technological or vocational diploma?",
        "Oui : ni baccalauréat ni diplôme professionnel (CAP, BEP…). Non : l'un des deux au moins.",
        term="absence de diplôme du second cycle",
        term_en="no upper-secondary diploma",
        header="Sans diplôme du secondaire",
        help_en=(
            "Yes: neither a baccalauréat nor a vocational diploma (CAP, BEP…). No: at least one "
            "of them."
        ),
    ),
    Input(
        "employee.minima_sociaux",
        "bool",
        "Le salarié bénéficie-t-il du RSA, de l'ASS ou de l'AAH ?",
        "Does the employee receive RSA, ASS or AAH?",
        term="minima sociaux",
        term_en="minimum social benefits",
        header="Minima sociaux",
    ),
    Input(
        "employee.former_cui",
        "bool",
        "Le salarié a-t-il été titulaire d'un contrat unique d'insertion (CUI) ?",
        "Has the employee held a CUI contract?",
        term="ancien contrat unique d'insertion",
        term_en="former single integration contract (CUI)",
        header="Ancien CUI",
    ),
    Input(
        "employee.weekly_hours",
        "number",
        "Quelle est la durée hebdomadaire de travail du salarié (en heures) ?",
        "How many hours a week does the employee work?",
        "Sert à calculer la durée totale de l'action : heures hebdomadaires × 52 / 12 par mois.",
        bounds=Bounds(gt=0, le=48),
        term="durée hebdomadaire de travail",
        term_en="weekly working hours",
        header="Heures hebdomadaires",
        help_en="Used to compute the action's total length: weekly hours × 52 / 12 a month.",
    ),
    Input(
        "training_hours",
        "number",
        "Combien d'heures de formation (positionnement, évaluation, accompagnement, "
        "enseignements) l'action comporte-t-elle ?",
        "How many training hours does the action include?",
        bounds=HOURS,
        term="heures de formation",
        term_en="training hours",
        header="Heures de formation",
    ),
    Input(
        "outside_working_time.hours",
        "number",
        "Combien de ces heures de formation se déroulent hors du temps de travail ?",
        "How many of these training hours take place outside working time?",
        "0 si toute la formation a lieu sur le temps de travail (cas par défaut).",
        bounds=HOURS,
        term="heures de formation hors du temps de travail",
        term_en="training hours outside working time",
        header="Heures hors temps de travail",
        help_en="0 if all the training takes place in working time (the default).",
    ),
    Input(
        "outside_working_time.written_agreement",
        "bool",
        "Le salarié a-t-il donné son accord écrit pour la formation hors du temps de travail ?",
        "Has the employee agreed in writing to training outside working time?",
        "Il peut le dénoncer dans les huit jours (art. R6321-4).",
        term="accord écrit du salarié",
        term_en="employee's written agreement",
        header="Accord écrit du salarié",
        help_en="The employee may withdraw it within eight days (art. R6321-4).",
    ),
    Input(
        "outside_working_time.collective_agreement",
        "bool",
        "Un accord collectif d'entreprise ou de branche fixe-t-il une limite aux heures de "
        "formation hors du temps de travail ?",
        "Does a company or branch agreement set a limit for training outside working time?",
        "Sans accord : trente heures par an et par salarié (art. L6321-6, 2°).",
        term="accord collectif",
        term_en="collective agreement",
        header="Accord collectif hors temps de travail",
        help_en="Without an agreement: thirty hours a year per employee (art. L6321-6, 2°).",
    ),
    Input(
        "employee.qualification_level",
        "int",
        "Quel est le plus haut niveau de qualification (RNCP, 0 à 8) détenu par le salarié ?",
        "What is the highest RNCP level the employee holds (0–8)?",
        "0 : aucun ; 3 : CAP, BEP ; 4 : baccalauréat ; 5 : bac + 2 ; 6 : licence, bachelor ou "
        "titre professionnel de niveau 6 (la Pro-A est fermée à partir du niveau 6).",
        bounds=Bounds(ge=0, le=8),
        term="niveau de qualification du salarié",
        term_en="employee's qualification level",
        header="Niveau de qualification",
        help_en=(
            "0: none; 3: CAP, BEP; 4: baccalauréat; 5: two years after the bac; 6: licence, "
            "bachelor or level 6 vocational title (Pro-A is closed from level 6)."
        ),
    ),
    Input(
        "employee.birth_date",
        "date",
        "Quelle est la date de naissance du salarié ?",
        "What is the employee's date of birth?",
        bounds=DAYS,
        term="date de naissance du salarié",
        term_en="employee's date of birth",
        header="Date de naissance",
    ),
    Input(
        "employee.years_of_activity",
        "number",
        "Combien d'années d'activité professionnelle le salarié compte-t-il ?",
        "How many years of professional activity does the employee have?",
        bounds=YEARS,
        term="années d'activité du salarié",
        term_en="employee's years of activity",
        header="Années d'activité",
    ),
    Input(
        "employee.disabled_worker",
        "bool",
        "Le salarié a-t-il la qualité de travailleur handicapé ?",
        "Is the employee a recognised disabled worker?",
        "Donnée de santé : conservée au minimum et effaçable.",
        term="qualité de travailleur handicapé",
        term_en="disabled worker status",
        header="Travailleur handicapé",
        help_en="Health data: kept to a minimum and erasable.",
    ),
    Input(
        "employee.returning_from",
        "choice",
        "Le salarié reprend-il son activité après l'un de ces congés ou absences ?",
        "Is the employee returning from one of these leaves?",
        "Donnée de santé pour la maladie : conservée au minimum et effaçable.",
        options=(
            Choice(None, "Aucun de ces congés", label_en="None of these leaves"),
            Choice(
                "maternity", "Congé de maternité", words=("maternité",), label_en="Maternity leave"
            ),
            Choice("adoption", "Congé d'adoption", label_en="Adoption leave"),
            Choice(
                "parental",
                "Congé parental d'éducation",
                words=("congé parental",),
                label_en="Parental education leave",
            ),
            Choice(
                "illness",
                "Absence de longue durée pour maladie ou accident",
                words=("maladie", "accident"),
                label_en="Long absence for illness or accident",
            ),
        ),
        null_is_answer=True,
        term="congé dont le salarié revient",
        term_en="leave the employee returns from",
        header="Retour de congé",
        help_en="Health data for illness: kept to a minimum and erasable.",
    ),
    Input(
        "tutor",
        "object",
        "Un tuteur est-il désigné ?",
        "Is a tutor named?",
        "Répondre « aucun » si personne n'est encore désigné.",
        null_is_answer=True,
        term="tuteur",
        term_en="tutor",
        header="Tuteur",
        help_en="Answer “none” if nobody is appointed yet.",
    ),
    Input(
        "tutor.role",
        "choice",
        "Le tuteur est-il un salarié ou l'employeur lui-même ?",
        "Is the tutor an employee or the employer?",
        options=(
            Choice("employee", "Un salarié", words=("salarié",), label_en="An employee"),
            Choice("employer", "L'employeur", words=("employeur",), label_en="The employer"),
        ),
        term="qualité du tuteur",
        term_en="tutor's position",
        header="Rôle du tuteur",
    ),
    Input(
        "tutor.experience_years",
        "number",
        "Combien d'années d'expérience le tuteur a-t-il dans une qualification en rapport "
        "avec la certification visée ?",
        "How many years of experience does the tutor have in a related qualification?",
        bounds=YEARS,
        term="expérience du tuteur",
        term_en="tutor's experience",
        header="Expérience du tuteur (années)",
    ),
    Input(
        "tutor.current_beneficiaries",
        "int",
        "Combien de bénéficiaires (Pro-A, contrats de professionnalisation ou "
        "d'apprentissage) le tuteur suit-il déjà, sans compter ce salarié ?",
        "How many trainees does the tutor already follow, not counting this one?",
        bounds=Bounds(ge=0, le=100),
        term="bénéficiaires déjà suivis par le tuteur",
        term_en="beneficiaries the tutor already follows",
        header="Bénéficiaires déjà suivis par le tuteur",
    ),
    Input(
        "employer.headcount",
        "int",
        "Combien de salariés le cabinet emploie-t-il ?",
        "How many employees does the practice have?",
        bounds=Bounds(ge=0, le=1_000_000),
        term="effectif du cabinet",
        term_en="practice's headcount",
        header="Effectif du cabinet",
    ),
)

BY_PATH: dict[str, Input] = {i.path: i for i in INPUTS}
ORDER: dict[str, int] = {i.path: n for n, i in enumerate(INPUTS)}

# What documents need and rules never read (docs/contract.md `parties`). Personal data: never
# logged. Not questionnaire inputs: the engine never asks for them.
PARTIES: tuple[Input, ...] = (
    Input(
        "parties.employee_name",
        "text",
        "Nom et prénom du salarié",
        "Employee's full name",
        "Nomme le dossier et remplit les documents.",
        bounds=NAME,
        help_en="Names the case and fills in the documents.",
    ),
    Input("parties.employee_job", "text", "Emploi du salarié", "Employee's job", bounds=NAME),
    Input(
        "parties.employer_name",
        "text",
        "Nom du cabinet (employeur)",
        "Employer's name",
        bounds=NAME,
    ),
    Input(
        "parties.employer_address",
        "text",
        "Adresse du cabinet",
        "Employer's address",
        bounds=Bounds(max_length=400, pattern=PRINTABLE),
    ),
    Input(
        "parties.employer_siret",
        "text",
        "Numéro SIRET du cabinet",
        "Employer's SIRET number",
        "Quatorze chiffres, sans espace.",
        bounds=Bounds(pattern=r"^\d{14}$"),
        help_en="Fourteen digits, no spaces.",
    ),
    Input(
        "parties.employer_representative",
        "text",
        "Nom et qualité du représentant de l'employeur",
        "Employer's representative (name and position)",
        bounds=NAME,
    ),
    Input(
        "parties.tutor_name", "text", "Nom et prénom du tuteur", "Tutor's full name", bounds=NAME
    ),
    Input("parties.tutor_job", "text", "Emploi du tuteur", "Tutor's job", bounds=NAME),
    Input(
        "parties.host_employer_name",
        "text",
        "Nom de l'employeur d'accueil",
        "Host employer's name",
        bounds=NAME,
    ),
    Input(
        "parties.training_organisation",
        "text",
        "Organisme de formation",
        "Training organisation",
        bounds=NAME,
    ),
    Input(
        "parties.training_organisation_nda",
        "text",
        "Numéro de déclaration d'activité de l'organisme de formation",
        "Training organisation's declaration number (NDA)",
        bounds=Bounds(max_length=20, pattern=PRINTABLE),
    ),
    Input(
        "parties.training_blocks.title",
        "text",
        "Intitulé du bloc de formation",
        "Title of the training block",
        bounds=Bounds(min_length=1, max_length=200, pattern=PRINTABLE),
    ),
    Input(
        "parties.training_blocks.hours",
        "number",
        "Heures du bloc de formation",
        "Hours of the training block",
        bounds=HOURS,
    ),
)
DECLARED: dict[str, Input] = {i.path: i for i in INPUTS + PARTIES}
