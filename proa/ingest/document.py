"""The structured form of a branch agreement, as `proa ingest --json` prints it."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Signatory(_Model):
    side: Literal["employers", "employees"]
    name: str
    raw: str


class Article(_Model):
    number: str
    title: str
    text: str


class CertificationRow(_Model):
    """One row of a certification table (annex), as printed."""

    level: int | None
    type: str
    title: str
    code: str | None
    code_raw: str


class Annex(_Model):
    number: str
    title: str
    text: str
    table: list[CertificationRow] = []


class Agreement(_Model):
    form: Literal["markdown", "ocr"]
    number: int | None
    title: str
    date: dt.date | None
    date_raw: str
    idcc: int | None
    idcc_source: str
    status: str | None
    signatories: list[Signatory]
    preamble: str
    articles: list[Article]
    annexes: list[Annex]
    warnings: list[str] = []

    def article(self, number: str) -> Article | Annex:
        """An article by number ("6") or an annex by label ("Annexe 1")."""
        for a in self.articles:
            if a.number == number:
                return a
        for x in self.annexes:
            if f"Annexe {x.number}" == number:
                return x
        raise KeyError(number)
