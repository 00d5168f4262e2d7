#!/usr/bin/env bash
# Runs the baseline solvers (scipy's SuperLU, Storm via stormpy) on the Markov benchmark
# chains. Sets up its own virtualenv from PyPI under target/, so nothing is installed by hand.
#
#   cargo bench --bench markov      # writes target/markov-bench/*.mtx and hacalc's answers
#   benches/baselines.sh            # then this
set -euo pipefail
cd "$(dirname "$0")/.."
venv=target/baseline-venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --upgrade pip
  "$venv/bin/pip" install --quiet "scipy>=1.11" "numpy" "stormpy==2.0.0"
fi
if [ ! -f target/markov-bench/a-birth-death.mtx ]; then
  echo "run 'cargo bench --bench markov' first: it writes the chains" >&2
  exit 2
fi
# The reference (long double) first, then every tool measured against it. (b) has none: its
# LU factors do not fit, so its figures are the residual and the tools' agreement.
for chain in a-birth-death c-random-banded e-wrapped-banded; do
  timeout 900 "$venv/bin/python" benches/baselines.py reference "target/markov-bench/$chain" \
    || echo "$chain reference: failed or timed out (exit $?)"
done
for chain in a-birth-death c-random-banded e-wrapped-banded b-priority-repair; do
  for solver in hacalc superlu storm storm-gs; do
    # Each run in its own process with a time limit, so one that runs out of memory or time
    # is reported and the others still run.
    timeout 600 "$venv/bin/python" benches/baselines.py "$solver" "target/markov-bench/$chain" \
      || echo "$chain $solver: failed or timed out (exit $?)"
  done
done
