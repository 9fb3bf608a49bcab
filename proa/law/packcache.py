"""The bundled rule pack, built from its files once per machine and version.

Reading and checking some fifty YAML files took a fifth of a `proa check` (instructions
counted in docs/benchmarks.md): the built pack is kept as a pickle in the user's cache
(`$XDG_CACHE_HOME/proa`, else `~/.cache/proa`; `PROA_CACHE` to move it, `PROA_CACHE=off` to
never use one), named by a digest of everything it is built from — every Python and YAML
file of `proa/law` and `proa/core`, the Python and pydantic versions — so a changed file or
an upgrade builds it afresh. Only a file and folder this user owns are read back (written
mode 0600); a damaged or foreign cache is ignored and the pack built from its files, as
without a cache.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
PROA = Path(__file__).resolve().parents[1]
SOURCES = (PROA / "law", PROA / "core")
KEEP = 8  # packs kept in the folder (about 100 KB each)


def folder() -> Path | None:
    """Where the pack is kept (None: no cache)."""
    chosen = os.environ.get("PROA_CACHE")
    if chosen == "off":
        return None
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "proa"


def digest() -> str:
    """Of every file the pack is built from, and of what unpickles it."""
    import pydantic

    h = hashlib.sha256(f"{sys.version}|{pydantic.VERSION}".encode())
    for source in SOURCES:
        for path in sorted(source.rglob("*")):
            if path.suffix in (".py", ".yaml") and "__pycache__" not in path.parts:
                h.update(path.relative_to(PROA).as_posix().encode())
                h.update(path.read_bytes())
    return h.hexdigest()[:24]


def load(build: Callable[[], T]) -> T:
    """`build()`'s result, from the cache when it holds this version's."""
    where = folder()
    if where is None:
        return build()
    path = where / f"pack-{digest()}.pickle"
    try:
        if path.stat().st_uid == os.getuid() and where.stat().st_uid == os.getuid():
            with path.open("rb") as f:
                found: T = pickle.load(f)
            return found
    except Exception:  # absent, unreadable or from another version: build it
        pass
    built = build()
    _keep(built, where, path)
    return built


def _keep(value: object, where: Path, path: Path) -> None:
    """Write atomically; a machine where the cache cannot be written just has none."""
    try:
        where.mkdir(mode=0o700, parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=where, prefix=".pack-", delete=False) as f:
            temporary = Path(f.name)
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
        # Several installs (worktrees, versions) share the folder: keep the latest few.
        kept = sorted(where.glob("pack-*.pickle"), key=lambda p: p.stat().st_mtime_ns)
        for old in kept[:-KEEP]:
            old.unlink(missing_ok=True)
    except Exception:  # read-only home, full disk, an object that does not pickle
        if "temporary" in locals():
            temporary.unlink(missing_ok=True)
