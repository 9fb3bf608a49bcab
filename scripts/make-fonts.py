"""Rebuild the fonts shipped in proa/documents/fonts/ (run once by hand, not at install):

    uv run python scripts/make-fonts.py

Takes Liberation 2.1.5 (SIL OFL 1.1) and DejaVu Sans 2.37 (Bitstream Vera licence, DejaVu
changes in the public domain) from Debian's packages fonts-liberation2 and fonts-dejavu-core
(`apt-get download`, nothing installed), keeps the Latin, punctuation and symbol ranges a
French document needs and renames them « Proa Serif », « Proa Sans » and « Proa Symbols »:
both licences require a modified font (a subset is one) to drop the original's reserved name.
Liberation Serif and Sans have the metrics of Times New Roman and Arial, which the DOCX
documents name, so a PDF and a DOCX lay out alike.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

OUT = Path(__file__).resolve().parents[1] / "proa" / "documents" / "fonts"

# Latin (with Vietnamese and the combining accents), punctuation, currency, letter-like
# symbols, arrows, comparison signs, boxes and check marks.
TEXT_RANGES = (
    "U+0020-007E,U+00A0-024F,U+0259,U+02BB-02BC,U+02C6-02DD,U+0300-036F,U+1E00-1EFF,"
    "U+2000-206F,U+20A0-20CF,U+2100-2152,U+2190-2199,U+2212,U+2260-2265,U+FB01-FB02"
)
SYMBOL_RANGES = "U+2022,U+2192,U+25A0-25A1,U+25CB-25CF,U+2610-2612,U+2713-2718"

FONTS = {
    # output: (source package, font in it, family, style)
    "ProaSerif-Regular.ttf": ("liberation2", "LiberationSerif-Regular", "Serif", "Regular"),
    "ProaSerif-Bold.ttf": ("liberation2", "LiberationSerif-Bold", "Serif", "Bold"),
    "ProaSerif-Italic.ttf": ("liberation2", "LiberationSerif-Italic", "Serif", "Italic"),
    "ProaSerif-BoldItalic.ttf": (
        "liberation2",
        "LiberationSerif-BoldItalic",
        "Serif",
        "Bold Italic",
    ),
    "ProaSans-Regular.ttf": ("liberation2", "LiberationSans-Regular", "Sans", "Regular"),
    "ProaSans-Bold.ttf": ("liberation2", "LiberationSans-Bold", "Sans", "Bold"),
    "ProaSymbols-Regular.ttf": ("dejavu", "DejaVuSans", "Symbols", "Regular"),
}
PACKAGES = {"liberation2": "fonts-liberation2", "dejavu": "fonts-dejavu-core"}


def fetch(where: Path) -> dict[str, Path]:
    """Download and unpack the two Debian packages; the folder holding each one's fonts."""
    found = {}
    for key, package in PACKAGES.items():
        subprocess.run(["apt-get", "download", package], cwd=where, check=True)
        deb = next(where.glob(f"{package}_*.deb"))
        subprocess.run(["dpkg-deb", "-x", str(deb), str(where / key)], check=True)
        found[key] = next((where / key).rglob("*.ttf")).parent
    return found


def rename(font: TTFont, family: str, style: str) -> None:
    """New names everywhere a name is recorded; the copyright and licence records stay."""
    full = f"Proa {family}"
    postscript = f"Proa{family}-{style.replace(' ', '')}"
    names = font["name"]
    for record in list(names.names):
        if record.nameID in (1, 3, 4, 6, 16, 17, 21, 22):
            names.removeNames(nameID=record.nameID)
    for name_id, value in (
        (1, full),
        (2, style),
        (3, f"{postscript};proa"),
        (4, f"{full} {style}" if style != "Regular" else full),
        (6, postscript),
        (10, "Subset renamed for proa: see README.md and the licence beside this file."),
    ):
        names.setName(value, name_id, 3, 1, 0x409)
        names.setName(value, name_id, 1, 0, 0)


def main() -> None:
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        folders = fetch(Path(tmp))
        for output, (key, source, family, style) in FONTS.items():
            font = TTFont(folders[key] / f"{source}.ttf", recalcTimestamp=False)
            ranges = SYMBOL_RANGES if family == "Symbols" else TEXT_RANGES
            options = subset.Options()
            options.layout_features = ["kern", "liga", "ccmp", "locl", "mark", "mkmk"]
            options.hinting = False
            options.name_IDs = ["*"]
            options.name_languages = ["*"]
            options.notdef_outline = True
            options.recalc_bounds = True
            sub = subset.Subsetter(options)
            sub.populate(unicodes=subset.parse_unicodes(ranges))
            sub.subset(font)
            rename(font, family, style)
            font.save(OUT / output)
            print(f"{output}: {(OUT / output).stat().st_size // 1024} Kio", file=sys.stderr)


if __name__ == "__main__":
    main()
