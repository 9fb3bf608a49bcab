"""The web app's two languages: French (the default and the templates' own words) and English.

The templates are written in French; `{% trans %}` and `_()` mark what a person reads, and
the French text is the message id. The English catalogue is a gettext file,
`locale/en/LC_MESSAGES/messages.po`, read once at start-up with Babel (no compiled `.mo` in
the repository). French renders the templates' words with French plural
rules (« 0 dossier », « 2 dossiers »), so the French pages are the templates' text as written.

Python-side words (flash messages, errors, labels) come as `Text` pairs from
`proa.core.catalogue` and `proa.presentation`; `say` picks the request's side.

Which language a request gets: the `proa_lang` cookie set by the header's switch
(`/langue`), else the browser's first choice in `Accept-Language` (English when it is
English, French for anything else).
"""

from __future__ import annotations

import datetime as dt
import gettext
import io
from functools import cache
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from fastapi import Request

from proa.core.catalogue import Text
from proa.presentation import Lang

COOKIE = "proa_lang"
LANGS: tuple[Lang, ...] = ("fr", "en")
PO_FILE = Path(__file__).parent / "locale" / "en" / "LC_MESSAGES" / "messages.po"
# A year: the choice is a preference, not a session.
COOKIE_AGE = 365 * 24 * 3600


def catalog() -> Catalog:
    """The English catalogue as written (its message ids are the French text)."""
    with PO_FILE.open("rb") as f:
        return read_po(f, locale="en", domain="messages")


class French(gettext.NullTranslations):
    """The templates' own words, with French plural rules: 0 and 1 take the singular
    (« 0 dossier »), where gettext's default says "0 cases"."""

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return msgid1 if n <= 1 else msgid2


@cache
def translations(lang: Lang) -> gettext.NullTranslations:
    """The gettext translations of `lang`: the English catalogue, or the French words as
    they are written."""
    if lang == "fr":
        return French()
    buffer = io.BytesIO()
    write_mo(buffer, catalog())
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def _first_choice(header: str) -> str:
    """The language the browser prefers most ("en-GB,fr;q=0.8" → "en"); "" when none."""
    best, best_q = "", 0.0
    for part in header.split(","):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if tag and tag != "*" and q > best_q:
            best, best_q = tag, q
    return best.split("-")[0].lower()


def language(request: Request) -> Lang:
    """The request's language: the switch's cookie, else the browser's first choice."""
    chosen = request.cookies.get(COOKIE, "")
    if chosen in LANGS:
        return "en" if chosen == "en" else "fr"
    return "en" if _first_choice(request.headers.get("accept-language", "")) == "en" else "fr"


def say(request: Request, words: Text | str) -> str:
    """The request's side of a French/English pair (a plain string is shown as it is)."""
    return str(side(words, language(request)))


def side(words: Text | Any, lang: Lang) -> Any:
    """`lang`'s side of a pair; anything else as it is (for the templates' `say` filter)."""
    return getattr(words, lang) if isinstance(words, Text) else words


# --- the catalogue's upkeep ------------------------------------------------------------------

Message = str | tuple[str, str]
"""A template's message id: its French text, or (singular, plural)."""


def template_messages(templates: Path) -> dict[Message, list[tuple[str, int]]]:
    """Every message the templates mark for translation, with where each is used."""
    import jinja2

    env = jinja2.Environment(extensions=["jinja2.ext.i18n"])
    found: dict[Message, list[tuple[str, int]]] = {}
    for path in sorted(templates.glob("*.html")):
        source = path.read_text(encoding="utf-8")
        found_here = env.extract_translations(source)  # type: ignore[attr-defined]
        for line, function, message in found_here:
            # A call's other arguments (`_("…", status=s)`) come as None after the text.
            parts: tuple[str, ...] = (message,) if isinstance(message, str) else message
            key: Message = parts[0] if function in ("_", "gettext") else (parts[0], parts[1])
            found.setdefault(key, []).append((path.name, line))
    return found


def update_catalog(templates: Path) -> list[Message]:
    """Write the English catalogue with every template message, keeping the translations
    made and dropping the messages no template uses; returns those still untranslated.
    Run `python -m proa.web.i18n` after changing a template's words."""
    from babel.messages.pofile import write_po

    old = catalog()
    new = Catalog(
        locale="en",
        domain="messages",
        project="proa",
        version="1",
        header_comment="# English words of proa's web app (the French text is the id).",
        msgid_bugs_address="",
        last_translator="proa",
        language_team="proa",
        # Fixed dates: the file changes only when its words do.
        creation_date=dt.datetime(2026, 12, 4, tzinfo=dt.UTC),
        revision_date=dt.datetime(2026, 12, 4, tzinfo=dt.UTC),
        fuzzy=False,
    )
    untranslated: list[Message] = []
    for key, places in template_messages(templates).items():
        kept = old.get(key[0] if isinstance(key, tuple) else key)
        string: Any = kept.string if kept else ("" if isinstance(key, str) else ("", ""))
        if not (string if isinstance(string, str) else all(string)):
            untranslated.append(key)
        new.add(key, string, locations=places)
    with PO_FILE.open("wb") as f:
        write_po(f, new, width=100, sort_output=True, omit_header=False)
    return untranslated


if __name__ == "__main__":
    from proa.web import TEMPLATES

    for missing in update_catalog(TEMPLATES):
        print("untranslated:", missing)
