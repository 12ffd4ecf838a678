#!/usr/bin/env bash
# Regenerates scenarios/aea-jira.yaml and its fit report from the AEA history,
# reports/NAME/ from scenarios/NAME.yaml for every example scenario,
# and reports/forecast/ from the release forecast and its delivery history.
# Every scenario carries a seed, so a re-run reproduces the committed reports byte
# for byte: `git status` stays clean unless the engine or a scenario changed.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
# The calibrated example first: its scenario is one of the scenarios below.
echo "reports/aea-jira-calibration (and scenarios/aea-jira.yaml)"
target/release/flowcast calibrate scenarios/data/aea-jira/transitions.csv \
  --workflow scenarios/workflows/aea-jira.workflow.yaml \
  --out scenarios/aea-jira.yaml --report reports/aea-jira-calibration --force --quiet
for f in scenarios/*.yaml; do
  name=$(basename "$f" .yaml)
  echo "reports/$name"
  target/release/flowcast run "$f" --report "reports/$name" --quiet
done
echo "reports/forecast"
target/release/flowcast forecast scenarios/forecast-the-release.yaml --by 2027-01-04 \
  --history scenarios/release-2.0-deliveries.csv --method daily --report reports/forecast --quiet
echo "reports/matplotlib-backtest"
target/release/flowcast backtest scenarios/data/matplotlib-closed/matplotlib_closed.csv \
  --last 156w --report reports/matplotlib-backtest --quiet
