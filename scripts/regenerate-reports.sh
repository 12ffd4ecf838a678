#!/usr/bin/env bash
# Regenerates reports/NAME/ from scenarios/NAME.yaml for every example scenario.
# Every scenario carries a seed, so a re-run reproduces the committed reports byte
# for byte: `git status` stays clean unless the engine or a scenario changed.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
for f in scenarios/*.yaml; do
  name=$(basename "$f" .yaml)
  echo "reports/$name"
  target/release/flowcast run "$f" --report "reports/$name" --quiet
done
