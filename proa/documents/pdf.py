"""HTML → PDF with WeasyPrint (A4, page numbers and draft mark from the stylesheet).

The stylesheet declares the fonts shipped in `fonts/` with `@font-face`, so a PDF never
depends on the machine's fonts. WeasyPrint loads them through a `FontConfiguration` given to
both the stylesheet and the rendering. Making one and parsing the stylesheet costs about
30 ms, so each thread keeps its own (Pango's font maps are not meant to be shared between
threads); they are dropped at exit, while the interpreter can still remove the temporary
folder where each keeps a copy of the fonts."""

from __future__ import annotations

import atexit
import threading
import warnings
from typing import Any

from proa.documents import TEMPLATES

# A machine without any font is fine: the documents bring their own.
warnings.filterwarnings("ignore", "No fonts configured in FontConfig", UserWarning)

_STYLES: dict[int, tuple[Any, Any]] = {}  # thread → (stylesheet, font configuration)
atexit.register(_STYLES.clear)


def _styles() -> tuple[Any, Any]:
    thread = threading.get_ident()  # a finished thread's entry serves the next with its id
    if thread not in _STYLES:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        fonts = FontConfiguration()
        _STYLES[thread] = (CSS(filename=str(TEMPLATES / "style.css"), font_config=fonts), fonts)
    return _STYLES[thread]


def to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    stylesheet, fonts = _styles()
    pdf: bytes = HTML(string=html, base_url=str(TEMPLATES)).write_pdf(
        stylesheets=[stylesheet], font_config=fonts
    )
    return pdf
