# Sourced by the scripts: finds uv, or installs it (PyPI) without touching system Python.
if command -v uv >/dev/null 2>&1; then
  UV=uv
elif [ -x .tools/bin/uv ]; then
  UV=.tools/bin/uv
else
  python3 -m venv .tools && .tools/bin/pip install -q uv && UV=.tools/bin/uv
fi
# Installs from the lock file and compiles the installed modules to bytecode, so that
# `proa check` does not compile them on its first run (nor on every run where bytecode cannot
# be written). A flag here rather than uv's `compile-bytecode` setting: with the setting,
# every `uv run` compiles the whole environment again (about 0.5 s per command).
"$UV" sync --frozen -q --compile-bytecode
# proa itself is installed as editable source: compile it too (only what changed), so the
# first `proa check` is as fast as the next, also where bytecode cannot be written later.
"$UV" run --no-sync python -m compileall -q proa >/dev/null
