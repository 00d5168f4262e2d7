#!/usr/bin/env bash
# Renders the HTML report of every example and takes a full-page screenshot of each in
# headless Chromium (apt-get install chromium), to look at them as a reader would.
#
#   scripts/screenshots.sh [OUTDIR]        (default: target/screenshots)
#
# HACALC=target/debug/hacalc uses that binary instead of building a release one; HEIGHT sets
# the window's height (the screenshot is of the window, from the top of the page).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-target/screenshots}
mkdir -p "$out"
out=$(cd "$out" && pwd) # absolute, for the file:// address
chrome=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$chrome" ]; then
  echo "Chromium not found: apt-get install chromium" >&2
  exit 2
fi
if [ -z "${HACALC:-}" ]; then
  cargo build --release --quiet
  HACALC=target/release/hacalc
fi
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
for model in examples/*.yaml; do
  name=$(basename "$model" .yaml)
  "$HACALC" report "$model" -o "$out/$name.html" --reproducible --quiet
  "$chrome" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" --hide-scrollbars --window-size=1280,${HEIGHT:-2400} \
    --screenshot="$out/$name.png" "file://$out/$name.html" 2>/dev/null
  echo "$out/$name.png"
done
