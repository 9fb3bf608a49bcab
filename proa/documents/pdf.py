"""HTML → PDF with WeasyPrint (A4, page numbers and draft mark from the stylesheet)."""

from __future__ import annotations

from functools import cache
from typing import Any

from proa.documents import TEMPLATES


@cache
def _stylesheet() -> Any:
    from weasyprint import CSS

    return CSS(filename=str(TEMPLATES / "style.css"))


def to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    pdf: bytes = HTML(string=html, base_url=str(TEMPLATES)).write_pdf(stylesheets=[_stylesheet()])
    return pdf
