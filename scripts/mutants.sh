#!/usr/bin/env bash
# Mutation testing of the numeric core and the CI gate with cargo-mutants: every mutant of
# these files (an operator flipped, a return value replaced...) must make a test fail, or be
# listed in tests/mutants-accepted.md with the reason it is equivalent or harmless.
#
#   cargo install cargo-mutants --locked     # once
#   scripts/mutants.sh                       # every file below (hours on 2 cores)
#   scripts/mutants.sh src/solve/rbd.rs      # some of them
#
#   MUTANTS_ARGS="--jobs 2 --shard 0/3 --sharding round-robin" scripts/mutants.sh
#                                            # a third of them, spread over every file, two at
#                                            # a time (extra arguments for cargo-mutants)
#
# Results: mutants.out/ (or $MUTANTS_OUT/mutants.out/): outcomes.json, missed.txt, caught.txt,
# timeout.txt. Not part of CI: run it on demand and before a release. Each mutant builds
# incrementally in the `mutants` profile of Cargo.toml and runs the fast, exact test suites
# below; the full suite adds nothing on these files but time.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v cargo-mutants >/dev/null || {
  echo "cargo-mutants is not installed: cargo install cargo-mutants --locked" >&2
  exit 2
}
files=("$@")
if [ ${#files[@]} -eq 0 ]; then
  files=(
    src/solve/rbd.rs
    src/solve/mod.rs
    src/solve/ctmc/gth.rs
    src/solve/ctmc/banded.rs
    src/solve/ctmc/birth_death.rs
    src/solve/ctmc/derivative.rs
    src/solve/ctmc/mod.rs
    src/solve/ctmc/gauss_seidel.rs
    src/solve/ctmc/aggregation.rs
    src/solve/ctmc/irreducible.rs
    src/analysis/targets.rs
    src/units.rs
    src/probability.rs
    src/parse/quantity.rs
    src/compile/bdd.rs
    src/compile/zdd.rs
    src/compile/network.rs
    src/solve/shared.rs
    src/solve/cuts.rs
    src/solve/improvement.rs
    src/solve/teams.rs
    src/validate/common_cause.rs
    src/compile/chains/crews.rs
    src/solve/served.rs
    src/solve/durability.rs
    src/decide/sweep.rs
    src/decide/allocate.rs
    src/solve/simulate/stats.rs
    src/solve/simulate/laws.rs
    src/solve/simulate/distance.rs
    src/analysis/uncertainty.rs
    src/analysis/maintenance.rs
  )
fi
args=()
for f in "${files[@]}"; do
  args+=(--file "$f")
done
# The suites that check numbers against independent truth, and the gate's. They go to every
# cargo invocation (build and test), so a mutant rebuilds only these test crates, not all of
# them. MUTANTS_TESTS="lib reference" narrows the list for a quick look at one file.
suites=(${MUTANTS_TESTS:-lib properties reference shared importance network markov targets \
  transient_paths differential examples teams common_cause served durability decide \
  maintenance uncertainty})
for s in "${suites[@]}"; do
  if [ "$s" = lib ]; then args+=(--cargo-arg=--lib); else args+=("--cargo-arg=--test=$s"); fi
done
exec cargo mutants "${args[@]}" --profile mutants --timeout 120 --output "${MUTANTS_OUT:-.}" \
  ${MUTANTS_ARGS:-}
