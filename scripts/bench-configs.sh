#!/usr/bin/env bash
# Configs-as-code benchmarks (BENCHMARKS.md, "Configs as code"): `pull --all` and `plan` against
# `sim serve --plan free|pro`, with the rate configured (ATOMS_REQUESTS_PER_SECOND) and adaptive.
# Needs the release build: swift build -c release --product atoms-tui
#   bash scripts/bench-configs.sh            # free: 100 agents; pro: 1,000 agents
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
B="$ROOT/.build/release/atoms-tui"
[ -x "$B" ] || { echo "build first: swift build -c release --product atoms-tui" >&2; exit 1; }
W="$(mktemp -d /tmp/atoms-bench-configs.XXXXXX)"
PORT=18$((RANDOM % 900 + 100))
cleanup() { [ -n "${SIM:-}" ] && kill "$SIM" 2>/dev/null; rm -rf "$W"; }
trap cleanup EXIT
export SMALLEST_API_KEY=bench XDG_CONFIG_HOME="$W" XDG_STATE_HOME="$W" XDG_CACHE_HOME="$W"
run_plan() {  # label, dir, rate ("" = adaptive)
    rm -f "$W/c.log"
    if [ -n "$3" ]; then export ATOMS_REQUESTS_PER_SECOND="$3"; else unset ATOMS_REQUESTS_PER_SECOND; fi
    local t; t=$( { /usr/bin/time -f "%e s, %M KB" "$B" plan --dir "$2" --log-file "$W/c.log" >/dev/null; } 2>&1 | tail -1)
    echo "| $1 | $t | $(grep -c ' → 429' "$W/c.log" || true) × 429 of $(grep -c ' → ' "$W/c.log") requests |"
}
for plan in free pro; do
    n=$([ "$plan" = free ] && echo 100 || echo 1000); rate=$([ "$plan" = free ] && echo 10 || echo 100)
    rm -f "$W/sim.sqlite"*
    "$B" sim serve --port "$PORT" --key bench --plan "$plan" --scale-agents "$n" --scan-seconds 0.3 --db "$W/sim.sqlite" >"$W/sim.out" 2>&1 &
    SIM=$!
    for _ in $(seq 50); do grep -q listening "$W/sim.out" 2>/dev/null && break; sleep 0.2; done
    export ATOMS_BASE_URL="http://127.0.0.1:$PORT/atoms/v1"
    unset ATOMS_REQUESTS_PER_SECOND
    for run in "first run" "second run"; do
        t=$( { /usr/bin/time -f "%e s, %M KB" "$B" pull --all --dir "$W/d-$plan" >"$W/pull.out" 2>&1; } 2>&1 | tail -1)
        echo "| pull --all, $n agents, --plan $plan, $run | $t | $(grep -o '[0-9]* written, [0-9]* updated, [0-9]* unchanged' "$W/pull.out") |"
    done
    run_plan "plan, $n agents, --plan $plan, rate configured ($rate/s)" "$W/d-$plan" "$rate"
    run_plan "plan, $n agents, --plan $plan, adaptive (no rate configured)" "$W/d-$plan" ""
    kill "$SIM"; wait "$SIM" 2>/dev/null || true; SIM=
done
