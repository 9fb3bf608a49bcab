"""The bundled rule pack: parameters, sources, certifications, defects and the rules.

Loading reads the YAML files once (the pack is data a lawyer reviews); evaluation never
touches the disk again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, RootModel

from proa.core.params import Parameter, ParameterSet, ParameterValue
from proa.core.rules import Notice, RegimeLaw, Rule

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
        self.certifications = {
            k: Certification(**v) for k, v in _yaml(root / "certifications.yaml").items()
        }
        params = {}
        for path in sorted(root.glob("*/parameters/*.yaml")):
            p = Parameter(**_yaml(path))
            if p.name in params:
                raise ValueError(f"paramètre en double : {p.name} ({path})")
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
        self._check_references()

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
            for item in law.rules:
                if isinstance(item, Notice):
                    if item.name not in self.defects:
                        raise ValueError(
                            f"avertissement sans texte dans defects.yaml : {item.name}"
                        )
                elif isinstance(item, Rule):
                    for ref in item.sources:
                        self.source(ref)
            for ref in (*law.pay_sources, *law.selection_sources):
                self.source(ref)

    def source(self, ref: str) -> Source:
        try:
            return self.sources[ref]
        except KeyError:
            raise ValueError(f"source inconnue dans sources.yaml : {ref}") from None

    def labels(self, refs: tuple[str, ...]) -> list[str]:
        return [self.sources[r].label for r in refs]


def _yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as f:
        return yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@cache
def default_pack() -> RulePack:
    return RulePack()
