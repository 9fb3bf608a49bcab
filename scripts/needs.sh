# Sourced by scripts/test and .ci/run: what the tests need from the machine (Debian), in one
# place. Fills three arrays of "package(s)|what needs it":
#   REQUIRED  without it tests fail (scripts/test stops before running them);
#   SKIPPED   without it some tests are skipped locally, and fail when CI=true;
#   OPTIONAL  nothing fails without it.
REQUIRED=()
SKIPPED=()
OPTIONAL=()
# Read once, matched in the shell: `ldconfig -p | grep -q` fails now and then under
# `set -o pipefail` (grep stops early, ldconfig gets SIGPIPE).
_LIBS="$(ldconfig -p 2>/dev/null || true)"
_lib() { [[ "$_LIBS" == *"$1"* ]]; }
_lib 'libpangoft2-1.0.so' \
  || REQUIRED+=("libpango-1.0-0 libpangoft2-1.0-0|WeasyPrint (tous les documents PDF)")
command -v chromium >/dev/null \
  || SKIPPED+=("chromium|tests de navigateur (tests/web/test_browser*.py, Chromium de Debian)")
_lib 'libatomic.so.1' \
  || SKIPPED+=("libatomic1|tests de navigateur (le pilote de Playwright en a besoin)")
command -v pdftoppm >/dev/null \
  || SKIPPED+=("poppler-utils|aperçu PNG de la première page des PDF (test_page_one_as_png)")
_lib 'libharfbuzz-subset.so' \
  || OPTIONAL+=("libharfbuzz-subset0|PDF plus rapides (sinon fontTools, avec un avertissement)")
# The packages of a list, for apt-get.
packages() { local item; for item in "$@"; do printf '%s ' "${item%%|*}"; done; }
