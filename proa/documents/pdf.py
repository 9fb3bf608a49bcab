"""HTML → PDF with WeasyPrint (A4, page numbers and draft mark from the stylesheet).

The stylesheet declares the fonts shipped in `fonts/` with `@font-face`, so a PDF never
depends on the machine's fonts. WeasyPrint loads them through a `FontConfiguration` given to
both the stylesheet and the rendering; one per document (about 25 ms): it copies the fonts
to a temporary folder that it removes when it is freed, and Pango's font maps are not meant
to be shared between threads."""

from __future__ import annotations

import warnings

from proa.documents import TEMPLATES

# A machine without any font is fine: the documents bring their own.
warnings.filterwarnings("ignore", "No fonts configured in FontConfig", UserWarning)


def to_pdf(html: str) -> bytes:
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    stylesheet = CSS(filename=str(TEMPLATES / "style.css"), font_config=fonts)
    pdf: bytes = HTML(string=html, base_url=str(TEMPLATES)).write_pdf(
        stylesheets=[stylesheet], font_config=fonts
    )
    return pdf
