"""The French web app: HTML pages served by the API's process (`proa serve`).

`routes.router` holds the pages; `STATIC` is the folder the app mounts at `/static`
(own CSS and a small script, no external CDN).
"""

from __future__ import annotations

from pathlib import Path

STATIC = Path(__file__).parent / "static"
TEMPLATES = Path(__file__).parent / "templates"
