#!/usr/bin/env bash
# Prints a binary's size, --version and ldd list (with each library's Debian package) and fails if any
# library resolves inside the Swift toolchain, is not found, or is a Swift runtime library (libswift*,
# Foundation, dispatch, BlocksRuntime) linked dynamically. scripts/release.sh runs it on the release binary;
# on a plain `swift build` binary it fails, as it should.
# Usage: scripts/check-binary.sh BINARY
set -euo pipefail
bin=${1:?usage: scripts/check-binary.sh BINARY}
[ -x "$bin" ] || { echo "check-binary: $bin is not an executable" >&2; exit 1; }
say() { printf 'check-binary: %s\n' "$*"; }
bytes=$(stat -c %s "$bin")
stripped=stripped; readelf -S "$bin" | grep -q '\.symtab' && stripped="not stripped"
say "$bin: $bytes bytes ($(awk -v b="$bytes" 'BEGIN { printf "%.1f MiB", b / 1048576 }'), $stripped)"
say "$("$bin" --version)"
toolchain=$(dirname "$(dirname "$(dirname "$(readlink -f "$(command -v swift)")")")")
ldd_out=$(ldd "$bin")
say "ldd (library => path [Debian package]):"
problems=()
while IFS= read -r line; do
  lib=$(awk '{print $1}' <<<"$line")
  path=$(awk '$2 == "=>" {print $3}' <<<"$line")
  [ -n "$path" ] || path=$lib
  pkg=""
  if [ -e "$path" ] && command -v dpkg >/dev/null 2>&1; then
    real=$(readlink -f "$path")
    pkg=$(dpkg -S "$real" 2>/dev/null || dpkg -S "${real/#\/usr\/lib\//\/lib\/}" 2>/dev/null || dpkg -S "$path" 2>/dev/null || true)
    pkg=${pkg%%:*}
  fi
  printf '  %s%s\n' "$(sed -E 's/^[[:space:]]+//; s/ \(0x[0-9a-f]+\)//' <<<"$line")" "${pkg:+  [$pkg]}"
  case "$line" in
    *"not found"*) problems+=("$lib is not found") ;;
  esac
  case "$path" in
    "$toolchain"/*) problems+=("$lib resolves inside the Swift toolchain ($path)") ;;
  esac
done <<<"$ldd_out"
while IFS= read -r needed; do
  case "$needed" in
    libswift*|libFoundation*|lib_Foundation*|libdispatch*|libBlocksRuntime*|libXCTest*|libTesting*)
      problems+=("Swift runtime library $needed is linked dynamically") ;;
  esac
done < <(readelf -d "$bin" | sed -nE 's/.*\(NEEDED\).*\[(.*)\]/\1/p')
runpath=$(readelf -d "$bin" | sed -nE 's/.*\((RUNPATH|RPATH)\).*\[(.*)\]/\2/p')
[ -z "$runpath" ] || say "RUNPATH: $runpath"
if [ ${#problems[@]} -gt 0 ]; then
  printf 'check-binary: FAILED: %s\n' "${problems[@]}" >&2
  exit 1
fi
say "ok: no Swift runtime library linked dynamically, nothing resolved inside $toolchain"
