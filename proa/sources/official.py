"""The official texts, by identifier: from the pinned extract or from the data packages.

`pinned()` reads `proa/law/legal/extract.json` (committed, used in CI). `from_packages()`
builds the same index from the `@socialgouv/legi-data` and `@socialgouv/kali-data` npm
packages, fetched on demand into a cache with `npm pack` (data only, no install script
runs; never at import time).
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import subprocess
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from proa.law import ROOT

EXTRACT = ROOT / "legal" / "extract.json"
CACHE = Path.home() / ".cache" / "proa" / "legal"
CODE_DU_TRAVAIL = "LEGITEXT000006072050"
IDCC_1147 = "KALICONT000005635409"
# legi-data keeps only the articles in force at its snapshot date: the pre-2026 Pro-A
# texts are read from the last release that still holds them.
OLD_LEGI = "2.263.0"
_FAR = 32472144000000  # legi-data's "no end date" (2999-01-01)


@dataclass
class OfficialArticle:
    id: str
    num: str
    etat: str
    start: dt.date | None
    end: dt.date | None
    text: str = ""
    nota: str = ""
    package: str = ""


@dataclass
class Official:
    """Official articles by id, the agreement record and the package versions read."""

    articles: dict[str, OfficialArticle]
    # Whole texts (KALITEXT: their état; JORFTEXT: cited as modifying or extending).
    texts: dict[str, str] = field(default_factory=dict)
    packages: dict[str, str] = field(default_factory=dict)


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def pinned(path: Path = EXTRACT) -> Official:
    data = json.loads(path.read_text(encoding="utf-8"))
    arts = {
        a["id"]: OfficialArticle(
            id=a["id"],
            num=a["num"],
            etat=a["etat"],
            start=_date(a.get("date_debut")),
            end=_date(a.get("date_fin")),
            text=a.get("text") or "",
            nota=a.get("nota") or "",
            package=a.get("package", ""),
        )
        for a in data["articles"]
    }
    texts = {
        m["jorf"]: "cité"
        for a in data["articles"]
        for m in (a.get("modified_by") or []) + (a.get("extension_links") or [])
        if m.get("jorf")
    }
    texts[data["agreement"]["text_id"]] = data["agreement"]["etat"]
    return Official(arts, texts, data["packages"])


def html_text(s: str | None) -> str:
    """Official HTML → one paragraph per line (the extract's convention)."""
    if not s:
        return ""
    s = re.sub(r"<br\s*/?>|</p>|</tr>|</li>", "\n", s)
    s = re.sub(r"</t[dh]>", " | ", s)
    s = html.unescape(re.sub(r"<[^>]+>", "", s)).replace("\u00a0", " ").replace("\u2002", " ")
    lines = (re.sub(r"[ \t]+", " ", x).strip() for x in s.split("\n"))
    return "\n".join(x for x in lines if x)


def _ms(value: int | None) -> dt.date | None:
    if value is None or value >= _FAR:
        return None
    return dt.datetime.fromtimestamp(value / 1000, dt.UTC).date()


def _nodes(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for child in node.get("children") or []:
        yield from _nodes(child)


def fetch(spec: str, member: str, cache: Path) -> Path:
    """`package@version`'s data file `member`, downloaded once into `cache`."""
    cache.mkdir(parents=True, exist_ok=True)
    name, version = spec.rsplit("@", 1)
    target = cache / f"{name.strip('@').replace('/', '-')}-{version}" / member
    if target.exists():
        return target
    tgz = cache / f"{name.strip('@').replace('/', '-')}-{version}.tgz"
    if not tgz.exists():
        subprocess.run(
            ["npm", "pack", spec, "--ignore-scripts", "--silent", "--pack-destination", str(cache)],
            check=True,
            capture_output=True,
        )
    with tarfile.open(tgz) as tar:
        src = tar.extractfile(f"package/{member}")
        if src is None:
            raise FileNotFoundError(f"{member} absent de {spec}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(src.read())
    return target


def latest(name: str) -> str:
    out = subprocess.run(
        ["npm", "view", name, "version"], check=True, capture_output=True, text=True
    )
    return out.stdout.strip()


def from_packages(
    cache: Path = CACHE, legi: str | None = None, kali: str | None = None, old_legi: str = OLD_LEGI
) -> Official:
    """Index the Code du travail (latest release, then `old_legi` for repealed texts) and
    IDCC 1147 straight from the npm packages."""
    legi = legi or latest("@socialgouv/legi-data")
    kali = kali or latest("@socialgouv/kali-data")
    arts: dict[str, OfficialArticle] = {}
    versions: dict[str, tuple[str, dt.date | None, dt.date | None]] = {}
    texts: dict[str, str] = {}
    for release in (legi, old_legi):
        spec = f"@socialgouv/legi-data@{release}"
        tree = json.loads(fetch(spec, f"data/{CODE_DU_TRAVAIL}.json", cache).read_text())
        for node in _nodes(tree):
            if node.get("type") != "article":
                continue
            d = node["data"]
            for v in d.get("articleVersions") or []:
                versions.setdefault(
                    v["id"], (v["etat"], _ms(v.get("dateDebut")), _ms(v.get("dateFin")))
                )
            texts |= {
                m["textCid"]: "cité" for m in d.get("lienModifications") or [] if m.get("textCid")
            }
            if d["id"] not in arts:
                arts[d["id"]] = OfficialArticle(
                    id=d["id"],
                    num=d["num"],
                    etat=d["etat"],
                    start=_ms(d.get("dateDebut")),
                    end=_ms(d.get("dateFin")),
                    text=html_text(d.get("texteHtml")) or d.get("texte", ""),
                    nota=html_text(d.get("notaHtml")) or d.get("nota") or "",
                    package=spec,
                )
    for vid, (etat, start, end) in versions.items():
        a = arts.get(vid)
        if a is None:
            arts[vid] = OfficialArticle(id=vid, num="", etat=etat, start=start, end=end)
        else:
            a.etat, a.start, a.end = etat, start, end
    spec = f"@socialgouv/kali-data@{kali}"
    tree = json.loads(fetch(spec, f"data/{IDCC_1147}.json", cache).read_text())
    for node in _nodes(tree):
        d = node.get("data", {})
        if node.get("type") == "article":
            arts[d["id"]] = OfficialArticle(
                id=d["id"],
                num=d.get("num") or "",
                etat=d["etat"],
                start=None,
                end=None,
                text=html_text(d.get("content")),
                nota=d.get("nota") or "",
                package=spec,
            )
            texts |= {
                m["textCid"]: "cité" for m in d.get("lstLienModification") or [] if m.get("textCid")
            }
        elif str(d.get("id", "")).startswith("KALITEXT"):
            texts[d["id"]] = d.get("etat", "")
    packages = {
        "@socialgouv/legi-data": legi,
        "@socialgouv/legi-data@old": old_legi,
        "@socialgouv/kali-data": kali,
    }
    return Official(arts, texts, packages)
