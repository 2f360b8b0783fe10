#!/usr/bin/env bash
# libFuzzer campaign over the fuzz targets in Sources/AtomsFuzzTargets (config parser + validator,
# response decoders), built outside SwiftPM's normal build with `swiftc -sanitize=fuzzer`.
#
#   scripts/fuzz.sh                 # 60 s per target
#   scripts/fuzz.sh 30 config       # 30 s, one target
#   FUZZ_MERGE=1 scripts/fuzz.sh    # afterwards, merge new coverage-increasing inputs into Tests/FuzzCorpus/TARGET
#
# Seeds come from Tests/FuzzCorpus/TARGET (kept in the repo). A crash is copied to
# Tests/FuzzCorpus/regressions/TARGET/ — where ReliabilityTests.FuzzRegressionTests replays it in
# `swift test` — and the script exits 1. Prints one figures line per target.
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(config responses)
scratch="${FUZZ_SCRATCH:-.build-fuzz}"
bin="$scratch/debug"

buildlog="$(mktemp)"
swift build --scratch-path "$scratch" --target AtomsFuzzTargets -Xswiftc -sanitize=fuzzer >"$buildlog" 2>&1 \
  || { tail -40 "$buildlog"; echo "fuzz: the instrumented build failed"; exit 1; }
objects=()
for m in AtomsFuzzTargets AtomsClient AtomsModels Yams CYaml Logging; do
  while IFS= read -r o; do objects+=("$o"); done < <(find "$bin/$m.build" -name '*.o')
done
cyaml="$(dirname "$(find "$scratch/checkouts/Yams" -path '*CYaml/include/module.modulemap' | head -1)")"
status=0
for t in "${targets[@]}"; do
  entry="$scratch/fuzz-$t.swift"
  cat > "$entry" <<SWIFT
import AtomsFuzzTargets
import Foundation
let target = FuzzTargets.all["$t"]!
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    target(Data(bytes: bytes, count: count))
    return 0
}
SWIFT
  rm -f "$scratch/fuzz-$t"
  swiftc -sanitize=fuzzer -parse-as-library -I "$bin/Modules" -Xcc -fmodule-map-file="$cyaml/module.modulemap" -Xcc -I"$cyaml" \
    "$entry" "${objects[@]}" -o "$scratch/fuzz-$t" 2>&1 | grep -v "warning: Cannot export" || true
  [ -x "$scratch/fuzz-$t" ] || { echo "fuzz $t: the fuzzer binary was not linked"; exit 1; }
  work="$scratch/corpus-$t"
  mkdir -p "$work" "$scratch/artifacts-$t" "Tests/FuzzCorpus/regressions/$t"
  cp -n "Tests/FuzzCorpus/$t/"* "$work/" 2>/dev/null || true
  log="$scratch/fuzz-$t.log"
  set +e
  # SWIFT_BACKTRACE off: with Swift's backtracer on, a trap never reached libFuzzer's handler and no crash
  # input was kept.
  SWIFT_BACKTRACE=enable=no "$scratch/fuzz-$t" "$work" "Tests/FuzzCorpus/regressions/$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
    -max_len=8192 -print_final_stats=1 -artifact_prefix="$scratch/artifacts-$t/" >"$log" 2>&1
  rc=$?
  set -e
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo "?")
  echo "fuzz $t: ${secs}s, $runs inputs, coverage $cov, corpus $(ls "$work" | wc -l) files, exit $rc"
  if [ $rc -ne 0 ]; then
    status=1
    tail -40 "$log"
    for a in "$scratch/artifacts-$t/"*; do
      [ -f "$a" ] && cp "$a" "Tests/FuzzCorpus/regressions/$t/" && echo "crash input kept as Tests/FuzzCorpus/regressions/$t/$(basename "$a")"
    done
  fi
  if [ "${FUZZ_MERGE:-0}" = 1 ]; then
    "$scratch/fuzz-$t" -merge=1 "Tests/FuzzCorpus/$t" "$work" >/dev/null 2>&1 || true
  fi
done
exit $status
