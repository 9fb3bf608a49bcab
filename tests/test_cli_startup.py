"""What `proa check` loads: only the engine's own modules (start-up time is measured in
docs/benchmarks.md, never by a timed test), and the CLI modules without import cycles."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from proa.cli.main import EXAMPLE

# Doors and libraries the check path must never load.
HEAVY = (
    "proa.api",
    "proa.web",
    "proa.storage",
    "proa.documents",
    "proa.batch",
    "proa.ingest",
    "proa.sources",
    "proa.core.table",
    "polars",
    "numpy",
    "weasyprint",
    "docx",
    "sqlalchemy",
    "alembic",
    "fastapi",
    "starlette",
    "uvicorn",
    "jinja2",
)
# The report for people formats with Babel and lays out with Rich; the JSON needs neither.
HEAVY_JSON = (*HEAVY, "babel", "rich")

LOADED = """
import contextlib, io, json, sys
from proa.cli.main import run
sys.argv = ["proa", *sys.argv[1:]]
out = io.StringIO()
with contextlib.redirect_stdout(out):
    try:
        run()
    except SystemExit as exit:
        code = exit.code
print(json.dumps({"code": code, "modules": sorted(sys.modules), "out": out.getvalue()}))
"""


def _run(args: list[str], cache: Path) -> dict[str, object]:
    env = {"PROA_CACHE": str(cache), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-c", LOADED, *args], capture_output=True, text=True, env=env, check=True
    )
    data: dict[str, object] = json.loads(done.stdout)
    return data


@pytest.mark.parametrize("args", [["check", str(EXAMPLE), "--json"], ["check", str(EXAMPLE)]])
def test_check_loads_no_door_and_no_heavy_library(tmp_path: Path, args: list[str]) -> None:
    first = _run(args, tmp_path)  # builds the rule pack and keeps it
    second = _run(args, tmp_path)  # reads it back
    assert first["code"] == second["code"] == 0
    modules = set(second["modules"])  # type: ignore[arg-type]
    for name in HEAVY_JSON if "--json" in args else HEAVY:
        assert not any(m == name or m.startswith(name + ".") for m in modules), name
    # The kept pack spares reading the law's YAML files, and the rule modules.
    assert "yaml" not in modules and "proa.law.pro_a.rules" not in modules
    if "--json" in args:  # the same result from the kept pack as from the files
        result = json.loads(str(second["out"]))
        assert result == json.loads(str(first["out"]))
        assert result["decision"] == "eligible"
    else:
        assert first["out"] == second["out"]


def test_a_command_module_never_imports_the_cli_entry_point() -> None:
    """`proa.cli.main` imports every command module: they take what they share from
    `proa.cli.errors`, so the import graph of the CLI has no cycle."""
    script = (
        "import sys, importlib\n"
        "for name in ('ingest', 'server', 'sources', 'batch', 'report', 'errors'):\n"
        "    importlib.import_module('proa.cli.' + name)\n"
        "print('proa.cli.main' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
