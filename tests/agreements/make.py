"""Write the agreement fixtures of this folder from the official collection (run by hand):

    uv run python tests/agreements/make.py

Each fixture is the text of one Pro-A agreement of another branch, read from the
`@socialgouv/kali-data` npm package (the collection Légifrance publishes, fetched into
proa's cache like `proa sources verify --full` does) and laid out as a published agreement
reads: the convention and the agreement's title, its status, « Préambule », « Article N »
headings with their titles, then the annexes. Half are written as Markdown (like
proa/ingest/seeds/*.md), half as plain text wrapped at 90 columns (like an OCR reading).
"""

from __future__ import annotations

import json
import re
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from proa.sources.official import CACHE, fetch, html_text

HERE = Path(__file__).resolve().parent
KALI = "@socialgouv/kali-data@3.449.0"
ETAT = {
    "VIGUEUR_ETEN": "Étendu",
    "VIGUEUR_NON_ETEN": "Non étendu",
    "VIGUEUR": "En vigueur",
    "ABROGE": "Abrogé",
}
# (convention id, text id, form): a handful of sizes and layouts.
FIXTURES = (
    ("KALICONT000005635886", "KALITEXT000045139316", "md"),  # IDCC 843, sub-articles 7.1…
    ("KALICONT000005635177", "KALITEXT000039178980", "txt"),  # IDCC 1518, non étendu
    ("KALICONT000025805800", "KALITEXT000039399368", "md"),  # IDCC 2941, 4 articles
    ("KALICONT000005635624", "KALITEXT000047556934", "txt"),  # IDCC 16, short avenant
    ("KALICONT000005635813", "KALITEXT000041752108", "md"),  # IDCC 2264
    ("KALICONT000005635444", "KALITEXT000047410228", "txt"),  # IDCC 1480, one article
    ("KALICONT000005635624", "KALITEXT000044925386", "md"),  # IDCC 16, « Annexe » unnumbered
    ("KALICONT000005635550", "KALITEXT000041789113", "txt"),  # IDCC 2098, certification tables
)


def _nodes(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for child in node.get("children") or []:
        yield from _nodes(child)


def render(convention: dict[str, Any], text: dict[str, Any], form: str) -> str:
    md = form == "md"
    strong = (lambda s: f"**{s}**") if md else (lambda s: s)
    out = [
        strong(convention["data"]["title"]),
        "",
        f"IDCC {convention['data']['num']}",
        "",
        strong(text["data"]["title"]),
        "",
        f"({ETAT.get(text['data'].get('etat', ''), text['data'].get('etat', ''))})",
        "",
    ]

    def body(html: str) -> None:
        for paragraph in html_text(html).splitlines():
            out.extend([paragraph] if md else textwrap.wrap(paragraph, 90) or [""])
            out.append("")

    for node in _nodes(text):
        data = node["data"]
        if node is text:
            continue
        if node["type"] == "section" and data.get("title", "").lower().startswith("préambule"):
            out += [strong("Préambule"), ""]
        elif node["type"] == "article" and not data.get("num"):
            html = data.get("content") or ""
            first = html_text(html).splitlines()[:1]
            if first and re.match(r"annexe", first[0], re.I):  # « Annexe 1<br/>Title »
                lines = html_text(html).splitlines()
                title = re.sub(r"\s+", " ", " – ".join(lines[:2]) if len(lines) > 1 else lines[0])
                out += [f"## {title}" if md else title, ""]
                html = "\n".join(f"<p>{x}</p>" for x in lines[2:])
            body(html)
        elif node["type"] == "article":
            num = data["num"]
            heading = num if num.lower().startswith("annexe") else f"Article {num}"
            out += [f"## {strong(heading)}" if md else heading]
            if data.get("surtitre"):
                out += [f"### {strong(data['surtitre'])}" if md else data["surtitre"]]
            out.append("")
            body(data.get("content") or "")
    return "\n".join(out).rstrip() + "\n"


def main() -> None:
    for convention_id, text_id, form in FIXTURES:
        path = fetch(KALI, f"data/{convention_id}.json", CACHE)
        convention = json.loads(path.read_text(encoding="utf-8"))
        text = next(n for n in _nodes(convention) if n["data"].get("id") == text_id)
        idcc = convention["data"]["num"]
        target = HERE / f"idcc{idcc:04d}-{text_id}.{form}"
        target.write_text(render(convention, text, form), encoding="utf-8")
        print(f"{target.name}: {text['data']['title']}", file=sys.stderr)


if __name__ == "__main__":
    main()
