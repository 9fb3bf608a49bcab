# Sourced by the scripts: finds uv, or installs it (PyPI) without touching system Python.
if command -v uv >/dev/null 2>&1; then
  UV=uv
elif [ -x .tools/bin/uv ]; then
  UV=.tools/bin/uv
else
  python3 -m venv .tools && .tools/bin/pip install -q uv && UV=.tools/bin/uv
fi
# Installs from the lock file; installed modules are compiled to bytecode (pyproject.toml).
"$UV" sync --frozen -q
# proa itself is installed as editable source: compile it too (only what changed), so the
# first `proa check` is as fast as the next, also where bytecode cannot be written later.
"$UV" run --no-sync python -m compileall -q proa >/dev/null
