"""The bundled rule pack: parameters, sources, certifications, defects and the rules.

Loading reads the YAML files once (the pack is data a lawyer reviews); evaluation never
touches the disk again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, RootModel

from proa.core.expr import Expr, params_of
from proa.core.figures import Figures, figures_of, stray_figures
from proa.core.inputs import FIRST_DAY, INPUTS
from proa.core.lower import Lowering, lower, overrides_in
from proa.core.params import Parameter, ParameterSet, ParameterValue
from proa.core.rules import Notice, RegimeLaw, RegimeTable, Rule

ROOT = Path(__file__).parent
PACK_VERSION = "2026.11.0"
PACK_CHECKED = dt.date(2026, 11, 23)


class SourceVersion(BaseModel):
    """One official version relied on (legi-data dates: `to` is exclusive, None = open)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    id: str = Field(pattern=r"^(LEGIARTI|KALIARTI)\d{12}$")
    start: dt.date | None = Field(default=None, alias="from")
    end: dt.date | None = Field(default=None, alias="to")
    note: str = ""

    def overlaps(self, start: dt.date, end: dt.date | None) -> bool:
        """Whether this version is in force at some day of [start, end)."""
        return (self.end is None or self.end > start) and (
            end is None or self.start is None or self.start < end
        )


class Source(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    label: str
    text: str = ""
    article: str = ""
    code: str = ""
    parent: str = ""
    id: str = ""
    url: str = ""
    # Official versions of the article relied on, checked by `proa sources verify`.
    versions: tuple[SourceVersion, ...] = ()
    # For a text the data packages do not hold (JORF): official articles quoting it.
    quoted_in: tuple[str, ...] = ()

    def version_at(self, day: dt.date) -> SourceVersion | None:
        return next((v for v in self.versions if v.overlaps(day, day + dt.timedelta(1))), None)


class RuleText(BaseModel):
    """A rule's or notice's English texts (proa's second language)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str
    ok: str = ""
    violation: str = ""
    not_applicable: str = ""
    message: str = ""


class English(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    regime: dict[str, str]
    rules: dict[str, RuleText]
    notices: dict[str, RuleText]
    # Each parameter's description (the web app's English pages).
    parameters: dict[str, str] = {}


class Defect(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: str
    title: str
    articles: tuple[str, ...]
    sources: tuple[str, ...]
    quote: str
    message: str


class Registration(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(pattern=r"^(RNCP|RS)\d{3,6}$")
    level: int = Field(ge=1, le=8)
    start: dt.date = Field(alias="from")
    end: dt.date = Field(alias="to")
    source: str
    note: str = ""


class Certification(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str
    type: str
    certifier: str
    level_annex1: int | None = None
    level_rncp: int
    training_hours: int | None = None
    aliases: tuple[str, ...] = ()
    registrations: tuple[Registration, ...]


class Catalogue(RootModel[dict[str, Certification]]):
    """`certifications.yaml`: the certifications proa knows, by id."""


# Parameters whose values are lists of certification ids of the catalogue.
CERTIFICATION_LISTS = ("pro_a.annex1",)


def schemas() -> dict[str, dict[str, Any]]:
    """JSON Schemas of the files a branch edits (for editors and reviews)."""
    return {
        "certifications": Catalogue.model_json_schema(by_alias=True),
        "parameter": Parameter.model_json_schema(by_alias=True),
    }


class RulePack:
    """Everything the engine needs, loaded and checked once."""

    def __init__(self, root: Path = ROOT) -> None:
        self.root = root
        self.sources = {k: Source(**v) for k, v in _yaml(root / "sources.yaml").items()}
        self.defects = {k: Defect(**v) for k, v in _yaml(root / "defects.yaml").items()}
        self.english = English(**_yaml(root / "messages.en.yaml"))
        self.certifications = {
            k: Certification(**v) for k, v in _yaml(root / "certifications.yaml").items()
        }
        params = {}
        for path in sorted(root.glob("*/parameters/**/*.yaml")):
            p = Parameter(**_yaml(path))
            expected = parameter_name(path.relative_to(root))
            if p.name != expected:
                raise ValueError(
                    f"{path.relative_to(root)} : le paramètre doit s'appeler {expected} "
                    f"(son nom suit son chemin), pas {p.name}"
                )
            _check_english_notes(p, path.relative_to(root))
            params[p.name] = p
        params.update(self._catalogue())
        self.parameters = ParameterSet(params)
        from proa.law.pro_a.rules import LAW as PRO_A
        from proa.law.reconversion.rules import LAW as RECONVERSION

        self.regimes: dict[str, RegimeLaw] = {
            PRO_A.regime: PRO_A,
            RECONVERSION.regime: RECONVERSION,
        }
        self.version = PACK_VERSION + "+" + self._digest()
        # The parameters that replace another in an override, and the struck clauses.
        self.overrides: dict[str, str] = {}
        self.excluded_by: dict[str, str] = {}
        for law in self.regimes.values():
            variables = {v.name: v.expr for v in law.variables}
            for v in law.variables:
                for o in overrides_in(v.expr):
                    base, by = params_of(o.base, variables), params_of(o.by, variables)
                    replaced = min(base - by)
                    for name in by - base:
                        self.overrides.setdefault(name, replaced)
                    for x in o.struck:
                        self.excluded_by[x.param] = x.notice
                        self.overrides.setdefault(x.param, replaced)
        self._check_references()
        # The regimes' periods are dates that never change and never overlap; the first
        # opens on the contract's first day (earlier agreements are malformed cases).
        if RegimeTable(self).starts[0] != FIRST_DAY:
            raise ValueError(f"le premier dispositif doit commencer le {FIRST_DAY}")
        self._check_figures()

    def _catalogue(self) -> dict[str, Parameter]:
        """The certification catalogue as two constant parameters the rules can read."""
        codes: dict[str, str] = {}
        windows: dict[str, list[tuple[dt.date, dt.date]]] = {}
        for cid, c in self.certifications.items():
            codes[cid] = cid
            for alias in c.aliases:
                codes[alias] = cid
            for r in c.registrations:
                codes[r.code] = cid
                windows.setdefault(r.code, []).append((r.start, r.end))
        since = dt.date(1900, 1, 1)
        return {
            name: Parameter(
                name=name,
                description=desc,
                unit="mapping",
                layer="reading",
                last_checked=PACK_CHECKED,
                values=(ParameterValue(**{"from": since, "value": value}),),
            )
            for name, desc, value in (
                ("catalogue.codes", "Codes et identifiants des certifications connues", codes),
                ("catalogue.windows", "Périodes d'enregistrement des codes RNCP", windows),
            )
        }

    def _digest(self) -> str:
        h = hashlib.sha256()
        for path in sorted(self.root.rglob("*.yaml")):
            h.update(path.relative_to(self.root).as_posix().encode())
            h.update(path.read_bytes())
        return h.hexdigest()[:10]

    def _check_references(self) -> None:
        """Fail at load, not at evaluation, on a dangling source or defect reference."""
        described = {n for n in self.parameters.parameters if not n.startswith("catalogue.")}
        if set(self.english.parameters) != described:
            raise ValueError(
                "messages.en.yaml : description des paramètres à revoir : "
                + ", ".join(sorted(set(self.english.parameters) ^ described))
            )
        # Rule pages in English name answers and computed values in English (STYLE.md §9).
        untranslated = [f"terme de {i.path}" for i in INPUTS if i.term and not i.term_en] + [
            f"libellé de {v.name}" if not v.label_en else f"clause de {v.name}"
            for law in self.regimes.values()
            for v in law.variables
            if not v.label_en or any(not o.text_en for o in overrides_in(v.expr))
        ]
        if untranslated:
            raise ValueError(
                "anglais absent (term_en, label_en, text_en) : " + ", ".join(untranslated)
            )
        for p in self.parameters.parameters.values():
            for v in p.values:
                for c in v.sources:
                    self.source(c.ref)
        for d in self.defects.values():
            for ref in d.sources:
                self.source(ref)
        for name in CERTIFICATION_LISTS:
            for v in self.parameters[name].values:
                unknown = set(v.value or ()) - set(self.certifications)
                if unknown:
                    raise ValueError(
                        f"{name} (valeur du {v.start}) : certification absente de "
                        f"certifications.yaml : {', '.join(sorted(unknown))}"
                    )
        for law in self.regimes.values():
            if law.regime not in self.english.regime:
                raise ValueError(f"messages.en.yaml : dispositif sans texte : {law.regime}")
            attached: set[str] = set()
            for var in law.variables:
                for ref in var.sources:
                    self.source(ref)
                for o in overrides_in(var.expr):
                    for ref in o.sources:
                        self.source(ref)
                    attached |= {x.notice for x in o.struck} | ({o.notice} if o.notice else set())
                    for x in o.struck:
                        if x.param not in self.parameters.parameters:
                            raise ValueError(f"clause exclue : paramètre inconnu {x.param}")
            shown = {item.name for item in lower(law).rules if isinstance(item, Notice)}
            if attached - shown:
                raise ValueError(
                    f"{law.regime} : aucune règle ne compare une valeur à l'override qui porte "
                    f"{', '.join(sorted(attached - shown))} : cet avertissement ne s'afficherait "
                    "jamais"
                )
            for item in lower(law).rules:
                if isinstance(item, Notice):
                    if item.name not in self.defects:
                        raise ValueError(
                            f"avertissement sans texte dans defects.yaml : {item.name}"
                        )
                    if item.name not in self.english.notices:
                        raise ValueError(f"messages.en.yaml : avertissement absent : {item.name}")
                elif isinstance(item, Rule):
                    for ref in item.sources:
                        self.source(ref)
                    if item.name not in self.english.rules:
                        raise ValueError(f"messages.en.yaml : règle absente : {item.name}")
            for ref in (*law.funding.pay_sources, *law.selection_sources):
                self.source(ref)

    def _check_figures(self) -> None:
        """No message writes a figure that stands for a parameter it depends on (see
        `proa.core.figures`): each template is checked against the values, in every period,
        of the parameters its rule, notice, variable, note or deadline reads."""
        for law in self.regimes.values():
            variables = {v.name: v.expr for v in law.variables}

            def reads(*nodes: Expr | None, variables: Mapping[str, Expr] = variables) -> set[str]:
                return set().union(*(params_of(n, variables) for n in nodes if n is not None))

            texts: list[tuple[str, str, set[str]]] = []
            low = Lowering(variables)
            for item in law.rules:
                if isinstance(item, Notice):
                    texts += self._notice_texts(item.name, reads(item.when))
                    continue
                used = reads(item.condition, item.applies)
                en = self.english.rules[item.name]
                for t in (item.ok, item.violation, item.not_applicable, en.ok, en.violation):
                    texts.append((item.name, t, used))
                # The notices of the overrides it compares with read what the rule reads.
                for name in low.notices(item):
                    texts += self._notice_texts(name, used)
            for var in law.variables:
                used = reads(var.expr)
                texts += [(var.name, t, used) for t in (var.label, var.label_en, var.computation)]
                texts += [
                    (var.name, t, used) for o in overrides_in(var.expr) for t in (o.text, o.text_en)
                ]
            for n in law.funding.notes:
                texts.append((law.regime, n.text, reads(n.when) | {law.funding.hourly_rate}))
            for d in law.deadlines:
                texts.append((d.name, d.label, reads(d.date)))
            period = {
                law.agreements_from,
                *([law.agreements_until] if law.agreements_until else []),
            }
            for t in (law.selection, self.english.regime[law.regime]):
                texts.append((law.regime, t, period))
            for where, text, used in texts:
                figures = [self._figures[name] for name in used]
                numbers = frozenset().union(*(f[0] for f in figures))
                stray = stray_figures(text, (numbers, frozenset().union(*(f[1] for f in figures))))
                if stray:
                    raise ValueError(
                        f"{where} : chiffre écrit en dur ({', '.join(stray)}) au lieu du "
                        f"paramètre dont il dépend, dans « {text} »"
                    )

    @cached_property
    def _figures(self) -> dict[str, Figures]:
        """Each parameter's values, in every period, as figures a template may not write."""
        return {
            name: figures_of(v.value for v in p.values)
            for name, p in self.parameters.parameters.items()
        }

    def _notice_texts(self, name: str, used: set[str]) -> list[tuple[str, str, set[str]]]:
        return [
            (name, self.defects[name].message, used),
            (name, self.english.notices[name].message, used),
        ]

    def source(self, ref: str) -> Source:
        try:
            return self.sources[ref]
        except KeyError:
            raise ValueError(f"source inconnue dans sources.yaml : {ref}") from None

    def labels(self, refs: Sequence[str]) -> list[str]:
        return [self.sources[r].label for r in refs]


def parameter_name(path: Path) -> str:
    """A parameter's name from its file, as in OpenFisca: the law's folder, then the path
    under `parameters/` (`pro_a/parameters/duration/max_months.yaml` is
    `pro_a.duration.max_months`); the parameters common to both regimes (`common/`) have no
    prefix (`common/parameters/regime/switch_date.yaml` is `regime.switch_date`)."""
    folder, _, *rest = path.with_suffix("").parts
    return ".".join(rest if folder == "common" else [folder, *rest])


def _check_english_notes(p: Parameter, path: Path) -> None:
    """Each note of a value or of its sources has its English (`note_en`), as each
    parameter's description has its own in `messages.en.yaml`."""
    for v in p.values:
        for where, note, note_en in (
            ("", v.note, v.note_en),
            *((f", source {c.ref}", c.note, c.note_en) for c in v.sources),
        ):
            if bool(note) != bool(note_en):
                raise ValueError(
                    f"{path} (valeur du {v.start}{where}) : note sans sa traduction anglaise "
                    "(note_en)"
                    if note
                    else f"{path} (valeur du {v.start}{where}) : note_en sans note française"
                )


def _yaml(path: Path) -> Any:
    import yaml  # not needed when the pack comes from the cache

    with path.open(encoding="utf-8") as f:
        return yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@cache
def default_pack() -> RulePack:
    """The bundled pack, once per process (and per machine: `proa.law.packcache`)."""
    from proa.law.packcache import load

    return load(RulePack)
