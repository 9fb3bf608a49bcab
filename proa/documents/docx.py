"""HTML → editable DOCX with python-docx.

The templates are one XHTML source for both formats; this module maps their small
vocabulary (h1, h2, p, ul/li, table, strong/em/br and a few classes) onto Word paragraphs,
lists and tables, so the legal wording is written once.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

SERIF = "Times New Roman"  # LibreOffice substitutes the metric-compatible Liberation Serif
RED = RGBColor(0xB0, 0x00, 0x00)
GREY = RGBColor(0x55, 0x55, 0x55)
Run = tuple[str, bool, bool, bool]  # text, bold, italic, line break before


def to_docx(html: str) -> bytes:
    body = ET.fromstring(html).find("body")
    assert body is not None
    doc = Document()
    _page_setup(doc, title=_text(body.find("h1")))
    for el in body:
        _block(doc, el, doc)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _page_setup(doc: Any, title: str) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(22), Mm(20)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    normal = doc.styles["Normal"]
    normal.font.name = SERIF
    normal.font.size = Pt(10.5)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), SERIF)
    normal.paragraph_format.space_after = Pt(4)
    for name, size in (("Heading 2", 11), ("Title", 16)):
        style = doc.styles[name]
        style.font.name = SERIF
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor(0, 0, 0)
    footer = section.footer.paragraphs[0]
    footer.style.font.size = Pt(8)
    footer.add_run(f"{title} — Page ")
    _field(footer, "PAGE")
    footer.add_run(" sur ")
    _field(footer, "NUMPAGES")
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _field(paragraph: Any, instruction: str) -> None:
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _block(doc: Any, el: ET.Element, box: Any, small: bool = False) -> None:
    """Render one block element into `box` (the document or a table cell)."""
    cls = el.get("class", "")
    tag = el.tag
    if cls == "draft-mark":  # Word repeats the header on every page
        header = doc.sections[0].header.paragraphs[0]
        header.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _add_runs(header, _runs(el), color=RED, size=8, bold=True)
        return
    if cls in ("draft-box", "consent"):
        table = box.add_table(rows=1, cols=1)
        table.style = doc.styles["Table Grid"]
        cell = table.cell(0, 0)
        cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
        for child in el:
            _block(doc, child, cell, small)
        if cls == "draft-box":
            for p in cell.paragraphs:
                for r in p.runs:
                    r.font.color.rgb = RED
        box.add_paragraph()
        return
    if tag == "aside":
        for child in el:
            _block(doc, child, box, small=True)
        return
    if tag == "div":
        for child in el:
            _block(doc, child, box, small)
        return
    if tag == "h1":
        p = box.add_paragraph(style="Title")
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _add_runs(p, [(r[0].upper(), *r[1:]) for r in _runs(el)])
        return
    if tag == "h2":
        p = box.add_paragraph(style="Heading 2")
        _add_runs(p, _runs(el), size=8.5 if small else None)
        return
    if tag == "ul":
        for li in el:
            p = box.add_paragraph(style="List Bullet")
            _add_runs(p, _runs(li), size=8 if small else None)
        return
    if tag == "table":
        _table(doc, el, box)
        return
    p = box.add_paragraph()
    size = 8 if small else None
    if cls == "subtitle":
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _add_runs(p, [(t, b, True, br) for t, b, _, br in _runs(el)], size=size)
        return
    if cls == "docref":
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _add_runs(p, _runs(el), size=7.5, color=GREY)
        return
    if cls == "sign-here":
        p.paragraph_format.space_after = Pt(48)
        _add_runs(p, _runs(el), size=8.5, color=GREY)
        return
    p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    _add_runs(p, _runs(el), size=size, italic=cls == "annex")


def _table(doc: Any, el: ET.Element, box: Any) -> None:
    rows = [tr for tr in el.iter("tr")]
    cols = max(len(list(tr)) for tr in rows)
    table = box.add_table(rows=len(rows), cols=cols)
    signatures = "sig" in el.get("class", "")
    if not signatures:
        table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, tr in enumerate(rows):
        for j, td in enumerate(tr):
            cell = table.cell(i, j)
            blocks = [c for c in td if c.tag == "p"]
            if blocks:  # a signature column: several paragraphs
                cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
                for child in blocks:
                    _block(doc, child, cell)
                continue
            p = cell.paragraphs[0]
            if "num" in td.get("class", ""):
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _add_runs(p, _runs(td), bold=td.tag == "th")
    box.add_paragraph()


def _runs(el: ET.Element, bold: bool = False, italic: bool = False) -> list[Run]:
    """The inline text of `el` as runs; whitespace at both ends of the paragraph trimmed."""
    runs = list(_walk(el, bold, italic))
    if runs:
        runs[0] = (runs[0][0].lstrip(), *runs[0][1:])
        runs[-1] = (runs[-1][0].rstrip(), *runs[-1][1:])
    return [r for r in runs if r[0] or r[3]]


def _walk(el: ET.Element, bold: bool, italic: bool) -> Iterator[Run]:
    if el.text:
        yield (el.text, bold, italic, False)
    for child in el:
        if child.tag == "br":
            yield ("", bold, italic, True)
        else:
            yield from _walk(
                child,
                bold or child.tag in ("strong", "b", "th"),
                italic or child.tag in ("em", "i"),
            )
        if child.tail:
            yield (child.tail, bold, italic, False)


def _add_runs(
    p: Any,
    runs: list[Run],
    *,
    size: float | None = None,
    color: RGBColor | None = None,
    bold: bool = False,
    italic: bool = False,
) -> None:
    for text, b, i, br in runs:
        if br:
            p.add_run().add_break()
        if not text:
            continue
        run = p.add_run(text)
        run.bold = b or bold or None
        run.italic = i or italic or None
        if size:
            run.font.size = Pt(size)
        if color is not None:
            run.font.color.rgb = color


def _text(el: ET.Element | None) -> str:
    return "" if el is None else "".join(t for t, *_ in _runs(el))
