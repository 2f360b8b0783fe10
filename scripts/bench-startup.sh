#!/usr/bin/env bash
# Size and start-up of the self-contained release binary (scripts/release.sh, in .build-release/dist)
# against a plain dynamic release build (built here in .build-release-dynamic): `--help` and `--version`,
# median wall time with hyperfine (Debian: hyperfine) and median peak RSS over repeated runs.
# Usage: scripts/bench-startup.sh [RUNS]   (default 100 runs per command; figures go to BENCHMARKS.md)
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${1:-100}
SCRATCH=${SCRATCH:-.build-release}
DYN=${DYN_SCRATCH:-.build-release-dynamic}
static="$SCRATCH/dist/bin/atoms-tui"
[ -x "$static" ] || { echo "bench-startup: $static missing: run 'make release' first" >&2; exit 1; }
command -v hyperfine >/dev/null 2>&1 || { echo "bench-startup: needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }

swift build -c release --product atoms-tui --scratch-path "$DYN" 2>&1 | tail -1
dynamic_full="$(swift build -c release --scratch-path "$DYN" --show-bin-path)/atoms-tui"
dynamic="$DYN/atoms-tui.stripped"
cp "$dynamic_full" "$dynamic"
strip "$dynamic"

toolchain=$(dirname "$(dirname "$(dirname "$(readlink -f "$(command -v swift)")")")")
swift_libs_bytes=$(ldd "$dynamic" | awk -v t="$toolchain/" 'index($3, t) == 1 {print $3}' | xargs -r stat -L -c %s | awk '{s += $1} END {print s + 0}')
swift_libs_count=$(ldd "$dynamic" | awk -v t="$toolchain/" 'index($3, t) == 1' | wc -l)

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
hyperfine -N --warmup 10 --runs "$runs" --export-json "$out/times.json" \
  -n "static --help" "$static --help" -n "dynamic --help" "$dynamic --help" \
  -n "static --version" "$static --version" -n "dynamic --version" "$dynamic --version" > "$out/hyperfine.txt"

python3 - "$out/times.json" "$runs" "$static" "$dynamic" "$dynamic_full" "$swift_libs_bytes" "$swift_libs_count" <<'EOF'
import json, os, statistics, subprocess, sys
times_path, runs, static, dynamic, dynamic_full, libs_bytes, libs_count = sys.argv[1:8]
runs = int(runs)

def rss_median(argv):
    peaks = []
    for _ in range(min(runs, 50)):
        pid = os.posix_spawn(argv[0], argv, dict(os.environ),
                             file_actions=[(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0)])
        _, status, usage = os.wait4(pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            sys.exit(f"{argv} exited {status}")
        peaks.append(usage.ru_maxrss / 1024)  # KiB -> MiB
    return statistics.median(peaks)

mib = lambda b: f"{int(b) / 1048576:.1f} MiB"
print("| binary | size | needs at run time |")
print("|---|---|---|")
print(f"| static (`make release`, stripped) | {mib(os.path.getsize(static))} | system C libraries only |")
print(f"| dynamic (`swift build -c release`, stripped) | {mib(os.path.getsize(dynamic))} | + {libs_count} Swift runtime libraries from the toolchain, {mib(libs_bytes)} |")
print(f"| dynamic, not stripped | {mib(os.path.getsize(dynamic_full))} | (same) |")
print()
results = {r["command"]: r for r in json.load(open(times_path))["results"]}
print(f"| command | median | mean ± σ | peak RSS (median) |")
print("|---|---|---|---|")
for name, binary, arg in [("static --help", static, "--help"), ("dynamic --help", dynamic, "--help"),
                          ("static --version", static, "--version"), ("dynamic --version", dynamic, "--version")]:
    r = results[name]
    print(f"| `{name}` | {r['median'] * 1000:.1f} ms | {r['mean'] * 1000:.1f} ± {r['stddev'] * 1000:.1f} ms | "
          f"{rss_median([binary, arg]):.1f} MiB |")
h = {k: results[k]["median"] for k in results}
slower = [c for c in ("--help", "--version") if h[f"static {c}"] > h[f"dynamic {c}"] * 1.05]
print()
print("static starts no slower than dynamic" if not slower else f"static is SLOWER for: {', '.join(slower)}")
EOF
