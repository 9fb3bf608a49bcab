"""The inputs of a case, each described once (STYLE.md §6).

The order of `INPUTS` is the questionnaire's order: conditions before amounts, the most
decisive first. The engine sorts its `missing` list by it; the CLI, the web form and the
JSON Schema take their questions and help texts from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["date", "bool", "int", "number", "choice", "text", "object"]


@dataclass(frozen=True)
class Input:
    path: str
    kind: Kind
    question: str
    question_en: str
    help: str = ""
    choices: tuple[tuple[str | None, str], ...] = ()
    # True when an explicit null is an answer ("none"), not an unknown.
    null_is_answer: bool = False


CONTRACTS: tuple[tuple[str | None, str], ...] = (
    ("CDI", "CDI"),
    ("CDD", "CDD"),
    ("CUI-CDI", "CUI à durée indéterminée (CUI-CDI)"),
    ("CDD-sportif", "CDD de sportif ou d'entraîneur professionnel (C. sport, art. L222-2-3)"),
    ("apprentissage", "Contrat d'apprentissage"),
    ("professionnalisation", "Contrat de professionnalisation"),
    ("interim", "Contrat de travail temporaire (intérim)"),
)

RETURNING_FROM: tuple[tuple[str | None, str], ...] = (
    (None, "Aucun de ces congés"),
    ("maternity", "Congé de maternité"),
    ("adoption", "Congé d'adoption"),
    ("parental", "Congé parental d'éducation"),
    ("illness", "Absence de longue durée pour maladie ou accident"),
)

TARGET_KINDS: tuple[tuple[str | None, str], ...] = (
    ("certification", "Une certification (RNCP, RS ou CQP)"),
    ("socle", "Le socle de connaissances et de compétences (CléA)"),
    ("vae", "Une validation des acquis de l'expérience (VAE)"),
)

INPUTS: tuple[Input, ...] = (
    Input(
        "agreement_date",
        "date",
        "À quelle date l'avenant au contrat de travail est-il (ou sera-t-il) signé ?",
        "On what date is the amendment to the employment contract signed?",
        "Cette date choisit le dispositif : Pro-A avant le 1er janvier 2026, période de "
        "reconversion à partir de cette date.",
    ),
    Input(
        "employer.idcc",
        "int",
        "Quelle convention collective l'employeur applique-t-il (IDCC) ?",
        "Which collective agreement (IDCC) does the employer apply?",
        "Cabinets médicaux : IDCC 1147.",
    ),
    Input(
        "employee.contract",
        "choice",
        "Quel est le contrat de travail du salarié ?",
        "What is the employee's employment contract?",
        choices=CONTRACTS,
    ),
    Input(
        "employee.partial_activity",
        "bool",
        "Le salarié est-il placé en activité partielle ?",
        "Is the employee on short-time work (activité partielle)?",
        "C. trav., art. L5122-1.",
    ),
    Input(
        "employee.licence_grade",
        "bool",
        "Le salarié détient-il déjà une certification RNCP de grade licence ou plus ?",
        "Does the employee already hold an RNCP certification at licence grade or above?",
        "Licence, bachelor, diplôme de niveau 6 ou plus conférant le grade de licence.",
    ),
    Input(
        "target.kind",
        "choice",
        "Quelle action la formation vise-t-elle ?",
        "What does the training lead to?",
        choices=TARGET_KINDS,
    ),
    Input(
        "target.code",
        "text",
        "Quel est le code de la certification visée (RNCP…, RS… ou identifiant du CQP) ?",
        "What is the code of the targeted certification (RNCP…, RS… or CQP id)?",
        "CQP Assistant médical : RNCP40913 (auparavant RNCP36358).",
        null_is_answer=True,
    ),
    Input(
        "reconversion.mode",
        "choice",
        "La période de reconversion se déroule-t-elle dans l'entreprise ou chez un autre "
        "employeur ?",
        "Is the reconversion period internal or with another employer?",
        choices=(
            ("internal", "Dans l'entreprise (contrat maintenu)"),
            ("external", "Chez un autre employeur (contrat suspendu)"),
        ),
    ),
    Input(
        "reconversion.host_contract",
        "choice",
        "Quel contrat l'employeur d'accueil propose-t-il ?",
        "Which contract does the host employer offer?",
        choices=(("CDI", "CDI"), ("CDD", "CDD")),
    ),
    Input(
        "reconversion.host_contract_months",
        "number",
        "Quelle est la durée du CDD proposé par l'employeur d'accueil (en mois) ?",
        "How long is the host employer's fixed-term contract (months)?",
    ),
    Input(
        "start_date",
        "date",
        "Quel est le premier jour de l'action ?",
        "What is the first day of the action?",
    ),
    Input(
        "end_date",
        "date",
        "Quel est le dernier jour de l'action ?",
        "What is the last day of the action?",
    ),
    Input(
        "employee.no_secondary_diploma",
        "bool",
        "Le salarié est-il sans second cycle de l'enseignement secondaire validé et sans "
        "diplôme de l'enseignement technologique ou professionnel ?",
        "Has the employee no upper-secondary and no technological or vocational diploma?",
    ),
    Input(
        "employee.minima_sociaux",
        "bool",
        "Le salarié bénéficie-t-il du RSA, de l'ASS ou de l'AAH ?",
        "Does the employee receive RSA, ASS or AAH?",
    ),
    Input(
        "employee.former_cui",
        "bool",
        "Le salarié a-t-il été titulaire d'un contrat unique d'insertion (CUI) ?",
        "Has the employee held a CUI contract?",
    ),
    Input(
        "employee.weekly_hours",
        "number",
        "Quelle est la durée hebdomadaire de travail du salarié (en heures) ?",
        "How many hours a week does the employee work?",
        "Sert à calculer la durée totale de l'action : heures hebdomadaires × 52 / 12 par mois.",
    ),
    Input(
        "training_hours",
        "number",
        "Combien d'heures de formation (positionnement, évaluation, accompagnement, "
        "enseignements) l'action comporte-t-elle ?",
        "How many training hours does the action include?",
    ),
    Input(
        "outside_working_time.hours",
        "number",
        "Combien de ces heures de formation se déroulent hors du temps de travail ?",
        "How many of these training hours take place outside working time?",
        "0 si toute la formation a lieu sur le temps de travail (cas par défaut).",
    ),
    Input(
        "outside_working_time.written_agreement",
        "bool",
        "Le salarié a-t-il donné son accord écrit pour la formation hors du temps de travail ?",
        "Has the employee agreed in writing to training outside working time?",
        "Il peut le dénoncer dans les huit jours (art. R6321-4).",
    ),
    Input(
        "outside_working_time.collective_agreement",
        "bool",
        "Un accord collectif d'entreprise ou de branche fixe-t-il une limite aux heures de "
        "formation hors du temps de travail ?",
        "Does a company or branch agreement set a limit for training outside working time?",
        "Sans accord : trente heures par an et par salarié (art. L6321-6, 2°).",
    ),
    Input(
        "employee.qualification_level",
        "int",
        "Quel est le plus haut niveau de qualification (RNCP, 0 à 8) détenu par le salarié ?",
        "What is the highest RNCP level the employee holds (0–8)?",
        "0 : aucun ; 3 : CAP, BEP ; 4 : baccalauréat ; 5 : bac + 2 ; 6 : licence.",
    ),
    Input(
        "employee.birth_date",
        "date",
        "Quelle est la date de naissance du salarié ?",
        "What is the employee's date of birth?",
    ),
    Input(
        "employee.years_of_activity",
        "number",
        "Combien d'années d'activité professionnelle le salarié compte-t-il ?",
        "How many years of professional activity does the employee have?",
    ),
    Input(
        "employee.disabled_worker",
        "bool",
        "Le salarié a-t-il la qualité de travailleur handicapé ?",
        "Is the employee a recognised disabled worker?",
        "Donnée de santé : conservée au minimum et effaçable.",
    ),
    Input(
        "employee.returning_from",
        "choice",
        "Le salarié reprend-il son activité après l'un de ces congés ou absences ?",
        "Is the employee returning from one of these leaves?",
        "Donnée de santé pour la maladie : conservée au minimum et effaçable.",
        choices=RETURNING_FROM,
        null_is_answer=True,
    ),
    Input(
        "tutor",
        "object",
        "Un tuteur est-il désigné ?",
        "Is a tutor named?",
        "Répondre « aucun » si personne n'est encore désigné.",
        null_is_answer=True,
    ),
    Input(
        "tutor.role",
        "choice",
        "Le tuteur est-il un salarié ou l'employeur lui-même ?",
        "Is the tutor an employee or the employer?",
        choices=(("employee", "Un salarié"), ("employer", "L'employeur")),
    ),
    Input(
        "tutor.experience_years",
        "number",
        "Combien d'années d'expérience le tuteur a-t-il dans une qualification en rapport "
        "avec la certification visée ?",
        "How many years of experience does the tutor have in a related qualification?",
    ),
    Input(
        "tutor.current_beneficiaries",
        "int",
        "Combien de bénéficiaires (Pro-A, contrats de professionnalisation ou "
        "d'apprentissage) le tuteur suit-il déjà, sans compter ce salarié ?",
        "How many trainees does the tutor already follow, not counting this one?",
    ),
    Input(
        "employer.headcount",
        "int",
        "Combien de salariés le cabinet emploie-t-il ?",
        "How many employees does the practice have?",
    ),
)

BY_PATH: dict[str, Input] = {i.path: i for i in INPUTS}
ORDER: dict[str, int] = {i.path: n for n, i in enumerate(INPUTS)}
