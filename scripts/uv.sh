# Sourced by the scripts: finds uv, or installs it (PyPI) without touching system Python.
if command -v uv >/dev/null 2>&1; then
  UV=uv
elif [ -x .tools/bin/uv ]; then
  UV=.tools/bin/uv
else
  python3 -m venv .tools && .tools/bin/pip install -q uv && UV=.tools/bin/uv
fi
"$UV" sync --frozen -q
