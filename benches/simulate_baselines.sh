#!/usr/bin/env bash
# Runs CERN's availsim4 (PyPI `availsim4`) and `hacalc simulate` on the same two small systems, for
# the README's comparison of simulation speed and accuracy. Sets up its own virtualenv from PyPI
# in benches/.venv-availsim4 (git-ignored), so a clean clone needs nothing installed by hand.
#
#   cargo build --release && benches/simulate_baselines.sh    # a few minutes, most in availsim4
#
# HACALC overrides the binary; SIMULATE_BASELINE_HISTORIES=2 makes a quick check of the set-up.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
venv=$here/.venv-availsim4
# Test the import, not just the interpreter: an install cut short leaves bin/python behind.
if ! "$venv/bin/python" -c "import availsim4core, openpyxl" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --upgrade pip
  # Pinned so that the figures quoted in the README can be reproduced.
  "$venv/bin/pip" install --quiet "availsim4==2.2.1" "openpyxl==3.1.5"
fi
# One core each: hacalc runs --threads 1 and availsim4 is one process; numpy must not add threads.
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
exec "$venv/bin/python" "$here/simulate_baselines.py"
