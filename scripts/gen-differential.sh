#!/usr/bin/env bash
# Regenerates tests/differential/cases.json (random models with exact 50-digit answers) in a
# virtualenv under target/differential-venv that has mpmath. Arguments go to the Python script:
#
#   scripts/gen-differential.sh                                   # write the cases
#   scripts/gen-differential.sh --check target/release/hacalc     # ... and compare a binary
set -euo pipefail
cd "$(dirname "$0")/.."
venv=target/differential-venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c "import mpmath, sys; sys.exit(mpmath.__version__ != '1.3.0')" 2>/dev/null; then
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "mpmath==1.3.0"
fi
exec "$venv/bin/python" scripts/gen-differential.py "$@"
