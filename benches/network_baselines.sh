#!/usr/bin/env bash
# Runs RePyability (PyPI `repyability`) on the network benchmark models, for comparison with
# hacalc's times and unavailabilities. Sets up its own virtualenv from PyPI under target/.
#
#   cargo bench --bench network     # writes target/network-bench/*.yaml, prints hacalc's U
#   benches/network_baselines.sh    # then this (tracebacks in target/network-baseline-logs/)
#
# Minimal cut sets are listed only for the models in NETWORK_BASELINE_CUTS (default: net-60, as
# the hacalc bench does): RePyability keeps the cut sets of every diagram node in memory, 11 GB
# for a 60-link graph of 514,074 cut sets. Each run is capped at NETWORK_BASELINE_MEM_GB
# (default 16) of virtual memory so that one that runs out fails alone, not the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=target/network-baseline-venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --upgrade pip
  "$venv/bin/pip" install --quiet "repyability==0.15" "pyyaml==6.0.4"
fi
shopt -s nullglob
models=(target/network-bench/*.yaml)
if [ ${#models[@]} -eq 0 ]; then
  echo "run 'cargo bench --bench network' first: it writes the models" >&2
  exit 2
fi
# One core: the other work on the machine keeps the rest, and the times stay comparable.
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
cuts=" ${NETWORK_BASELINE_CUTS:-net-60} "
mem_kb=$(( ${NETWORK_BASELINE_MEM_GB:-16} * 1024 * 1024 ))
logs=target/network-baseline-logs
mkdir -p "$logs"

run() {  # the model's path, then any options for network_baselines.py
  local model=$1 name rc=0 log
  name=$(basename "$model" .yaml)
  shift
  log="$logs/$name$*.err"
  # Each run in its own process with a time and memory limit, so one that runs out of either
  # is reported and the others still run. Tracebacks go to the log, not the table.
  (ulimit -v "$mem_kb"; timeout 600 "$venv/bin/python" benches/network_baselines.py \
    "$model" "$@" 2>"$log") || rc=$?
  case $rc in
    0 | 3) ;;  # 3: RePyability refused the model, and the line says why
    124) echo "$name repyability $*: timed out after 600 s" ;;
    *) echo "$name repyability $*: failed (exit $rc): $(tail -n 1 "$log")" ;;
  esac
}

for model in "${models[@]}"; do
  run "$model"
done
for model in "${models[@]}"; do
  if [[ $cuts == *" $(basename "$model" .yaml) "* ]]; then
    run "$model" --cuts
  fi
done
