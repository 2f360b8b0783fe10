#!/usr/bin/env bash
# The long fault soak: the CLI's whole lifecycle (fork → edit in $EDITOR → publish --wait --activate)
# ATOMS_SOAK_RUNS times (default 200) against the simulator with the `soak` fault mix (~20 %: 500,
# 503 and 429 with Retry-After, answers slowed up to 5 s, dropped connections, applied-but-answer-lost).
# Prints the report and writes it to docs/figures/soak.json (override with ATOMS_SOAK_REPORT).
# CI runs the same test with 24 runs as part of `swift test`.
set -euo pipefail
cd "$(dirname "$0")/.."
export ATOMS_SOAK_RUNS="${ATOMS_SOAK_RUNS:-200}"
export ATOMS_SOAK_JOBS="${ATOMS_SOAK_JOBS:-4}"
mkdir -p docs/figures
export ATOMS_SOAK_REPORT="${ATOMS_SOAK_REPORT:-$PWD/docs/figures/soak.json}"
scratch="${SCRATCH_PATH:-.build}"
swift build --scratch-path "$scratch" --build-tests
swift test --scratch-path "$scratch" --skip-build --filter ReliabilityTests.FaultSoakTests
echo "report: $ATOMS_SOAK_REPORT"
