"""From a published agreement to the rule pack: parse, extract, compare, find defects.

`ingest(text)` gives the structured agreement; `report(doc)` adds the figures, the
comparison with the rule pack and the defects of the text.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict

from proa.ingest.defects import TextDefect, detect
from proa.ingest.diff import Difference, agreement_source, diff
from proa.ingest.document import Agreement
from proa.ingest.extract import Figure, figures
from proa.ingest.parser import parse
from proa.law import RulePack, default_pack

__all__ = ["Agreement", "Report", "ingest", "report"]


class Report(BaseModel):
    model_config = ConfigDict(extra="forbid")

    agreement: Agreement
    # The rule pack's source for this agreement (`sources.yaml`); None for another
    # agreement (another branch's): its figures and defects are read, nothing is compared.
    pack_source: str | None
    figures: list[Figure]
    differences: list[Difference]
    defects: list[TextDefect]

    @property
    def unexplained(self) -> list[Difference]:
        return [d for d in self.differences if d.status not in ("same", "explained")]


def ingest(text: str) -> Agreement:
    return parse(text)


def report(doc: Agreement, pack: RulePack | None = None) -> Report:
    pack = pack or default_pack()
    source = agreement_source(pack, doc)
    # The pack's known defects name articles of its own agreement only.
    known = {
        k: tuple(pack.sources[r].article for r in d.articles)
        for k, d in pack.defects.items()
        if d.articles and source is not None
    }
    return Report(
        agreement=doc,
        pack_source=source,
        figures=figures(doc),
        differences=diff(doc, pack),
        defects=detect(doc, official_agreement(pack), known),
    )


def official_agreement(pack: RulePack) -> dict[str, Any]:
    """The pinned official record of the agreement (`legal/extract.json`)."""
    path = pack.root / "legal" / "extract.json"
    if not path.exists():
        return {}
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))["agreement"]
    return data
