#!/usr/bin/env bash
# Runs a fuzz target (model or render) with a seed corpus made from examples/ and
# models/invalid/, for SECONDS (default 60). Needs the nightly toolchain and cargo-fuzz
# (`cargo install cargo-fuzz`).
#
#   scripts/fuzz.sh model 1800
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:-model}
seconds=${2:-60}
corpus=fuzz/corpus/$target
mkdir -p "$corpus"
cp examples/*.yaml models/invalid/*.yaml tests/reference/*.yaml "$corpus"/ 2>/dev/null || true
cargo +nightly fuzz run "$target" "$corpus" -- -max_total_time="$seconds" -max_len=4096 -timeout=10 -rss_limit_mb=2048
