"""A small HTML reader for page tests (stdlib only)."""

from __future__ import annotations

from html.parser import HTMLParser


class Page(HTMLParser):
    """Collects elements with their attributes, label targets and the text of headings."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.label_for: set[str] = set()
        self.headings: list[tuple[str, str]] = []
        self._heading: str | None = None
        self._text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        self.elements.append((tag, attributes))
        if tag == "label" and "for" in attributes:
            self.label_for.add(attributes["for"])
        if tag in ("h1", "h2", "h3", "h4"):
            self._heading, self._text = tag, []

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.elements.append(("/form", {}))
        if tag == self._heading:
            self.headings.append((tag, " ".join("".join(self._text).split())))
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._heading:
            self._text.append(data)

    def all(self, tag: str) -> list[dict[str, str]]:
        return [a for t, a in self.elements if t == tag]

    def field_names(self, form_id: str) -> list[str]:
        """Names of the fields of the form with this id, in document order."""
        names: list[str] = []
        inside = False
        for tag, attrs in self.elements:
            if tag == "form":
                inside = attrs.get("id") == form_id
            elif tag == "/form":
                inside = False
            elif inside and tag in ("input", "select", "textarea"):
                name = attrs.get("name", "")
                if attrs.get("type") != "hidden" and name and name not in names:
                    names.append(name)
        return names
