#!/usr/bin/env bash
# The release check CI runs after `swift test` (.ci/run): builds the self-contained binary once
# (scripts/release.sh, which fails when a Swift runtime library is linked dynamically or a library
# resolves inside the toolchain), then checks that the stripped binary runs `--version`, `--help` and a
# CLI command against its own `sim serve`, that the man page renders with `man -l`, that the bash
# completion loads, and that `make install` into a temporary prefix followed by `make uninstall` leaves
# the prefix as it was. Needs make, man-db (man + groff), bash; zsh/fish are checked when installed.
set -euo pipefail
cd "$(dirname "$0")/.."

SCRATCH=${SCRATCH:-.build-release}
DIST="$SCRATCH/dist"
bin="$DIST/bin/atoms-tui"
work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
say() { printf 'check-release: %s\n' "$*"; }
fail() { printf 'check-release: FAILED: %s\n' "$*" >&2; exit 1; }

# Keep the CLI's state (remembered API generation, logs) out of the real home.
export XDG_CONFIG_HOME="$work/config" XDG_STATE_HOME="$work/state" XDG_DATA_HOME="$work/data" XDG_CACHE_HOME="$work/cache"
unset SMALLEST_API_KEY ATOMS_BASE_URL ATOMS_PROFILE

SCRATCH="$SCRATCH" scripts/release.sh
[ -x "$bin" ] || fail "$bin was not built"

# --version: the stamped version, the API generations, the spec date.
expected_version=$(cat "$SCRATCH/version")
version_line=$("$bin" --version)
say "--version: $version_line"
case "$version_line" in
  "atoms-tui $expected_version (API v1 drafts+versions, v2 branches+revisions; spec "*" of "????-??-??")") ;;
  *) fail "--version printed '$version_line' (expected atoms-tui $expected_version (API …; spec … of DATE))" ;;
esac

# --help
help=$("$bin" --help) || fail "--help exited non-zero"
grep -q '^USAGE: atoms-tui' <<<"$help" || fail "--help has no USAGE line"
grep -q -- '--version' <<<"$help" || fail "--help does not list --version"
say "--help: ok ($(wc -l <<<"$help") lines)"

# A CLI command against the binary's own simulator.
"$bin" sim serve --port 0 --seed-demo --key check-key --scan-seconds 0.2 > "$work/sim.out" 2> "$work/sim.err" &
server_pid=$!
url=""
for _ in $(seq 1 300); do
  url=$(sed -nE 's/.*listening on (http:[^ ]+).*/\1/p' "$work/sim.out" | head -1)
  [ -n "$url" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/sim.err" >&2; fail "sim serve exited before listening"; }
  sleep 0.1
done
[ -n "$url" ] || fail "sim serve printed no URL within 30 s"
agents_json=$("$bin" agents list --json --base-url "$url" --api-key check-key) || fail "agents list --json exited non-zero"
count=$(python3 -c 'import json, sys
d = json.load(sys.stdin)
items = d if isinstance(d, list) else (d.get("data") or d.get("agents") or [])
print(len(items))' <<<"$agents_json") || fail "agents list --json is not JSON: $agents_json"
[ "$count" -gt 0 ] || fail "agents list --json listed no agents: $agents_json"
table=$("$bin" agents list --base-url "$url" --api-key check-key) || fail "agents list exited non-zero"
# Nothing is read from the toolchain at run time either (when strace is installed).
if command -v strace >/dev/null 2>&1; then
  toolchain=$(dirname "$(dirname "$(dirname "$(readlink -f "$(command -v swift)")")")")
  strace -f -qq -e trace=open,openat,stat,newfstatat,access,execve -o "$work/strace.txt" \
    "$bin" agents list --base-url "$url" --api-key check-key > /dev/null || fail "agents list under strace exited non-zero"
  if grep -F "\"$toolchain/" "$work/strace.txt"; then fail "the binary touched files inside $toolchain at run time (above)"; fi
  say "strace: agents list opens nothing inside $toolchain"
fi
say "agents list against sim serve ($url): $count agents; first row: $(sed -n 2p <<<"$table")"
if "$bin" agents list --base-url "$url" --api-key wrong-key > /dev/null 2> "$work/wrongkey.err"; then
  fail "agents list with a wrong key exited 0"
fi
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""

# The man page renders (to a file) and has the usual sections.
MANPAGER=cat PAGER=cat MANWIDTH=80 man -l "$DIST/share/man/man1/atoms-tui.1" > "$work/man.txt" 2> "$work/man.err" \
  || { cat "$work/man.err" >&2; fail "man -l failed"; }
if grep -E 'mdoc (warning|error)|ERROR' "$work/man.err"; then fail "man -l reports mdoc problems (above)"; fi
for section in NAME SYNOPSIS DESCRIPTION; do
  grep -q "^$section" "$work/man.txt" || fail "the rendered man page has no $section section"
done
grep -q 'atoms-tui' "$work/man.txt" || fail "the rendered man page does not name atoms-tui"
grep -q 'sim serve\|sim-serve\|serve' "$work/man.txt" || fail "the rendered man page does not describe the subcommands"
say "man -l: ok ($(wc -l < "$work/man.txt") lines)"

# Completions: bash loads, registers and offers the subcommands; zsh parses and fish offers them when installed.
completion=$(bash --norc --noprofile -c "source '$DIST/share/bash-completion/completions/atoms-tui' && complete -p atoms-tui") \
  || fail "the bash completion does not load"
grep -q -- '-F .* atoms-tui$' <<<"$completion" || fail "the bash completion registers no function: $completion"
fn=$(sed -nE 's/.* -F ([^ ]+) atoms-tui$/\1/p' <<<"$completion")
offered=$(PATH="$PWD/$DIST/bin:$PATH" bash --norc --noprofile -c "source '$DIST/share/bash-completion/completions/atoms-tui'
  COMP_WORDS=(atoms-tui agents ''); COMP_CWORD=2; COMP_LINE='atoms-tui agents '; COMP_POINT=\${#COMP_LINE}
  $fn; printf '%s\n' \"\${COMPREPLY[@]}\"") || fail "the bash completion function failed"
grep -qx 'list' <<<"$offered" || fail "the bash completion does not offer 'list' after 'atoms-tui agents': $offered"
say "bash completion: $completion; offers $(tr '\n' ' ' <<<"$offered")after 'atoms-tui agents'"
if command -v zsh >/dev/null 2>&1; then zsh -n "$DIST/share/zsh/site-functions/_atoms-tui" || fail "zsh completion does not parse"; say "zsh completion parses"; fi
if command -v fish >/dev/null 2>&1; then
  fish_offered=$(PATH="$PWD/$DIST/bin:$PATH" fish --no-config -c "source '$DIST/share/fish/vendor_completions.d/atoms-tui.fish'; complete -C 'atoms-tui ag'") \
    || fail "the fish completion does not load"
  grep -q '^agents' <<<"$fish_offered" || fail "the fish completion does not offer 'agents' for 'atoms-tui ag': $fish_offered"
  say "fish completion offers agents for 'atoms-tui ag'"
fi

# install + uninstall into a temporary prefix, next to a file that is not ours.
prefix="$work/prefix"
mkdir -p "$prefix/share/man/man1"
echo keep > "$prefix/share/man/man1/other.1"
make --no-print-directory install PREFIX="$prefix" SCRATCH="$SCRATCH" > "$work/install.log"
for f in bin/atoms-tui share/man/man1/atoms-tui.1 share/bash-completion/completions/atoms-tui \
         share/zsh/site-functions/_atoms-tui share/fish/vendor_completions.d/atoms-tui.fish; do
  [ -f "$prefix/$f" ] || fail "make install did not install $f"
done
[ "$("$prefix/bin/atoms-tui" --version)" = "$version_line" ] || fail "the installed binary's --version differs"
MANPAGER=cat man -M "$prefix/share/man" atoms-tui 2>/dev/null | grep -q '^NAME' || fail "man -M PREFIX/share/man atoms-tui does not find the page"
make --no-print-directory uninstall PREFIX="$prefix" SCRATCH="$SCRATCH" > "$work/uninstall.log"
left=$(cd "$prefix" && find . -mindepth 1 | sort | tr '\n' ' ')
[ "$left" = "./share ./share/man ./share/man/man1 ./share/man/man1/other.1 " ] \
  || fail "after uninstall the prefix holds: $left (expected only share/man/man1/other.1)"
rm "$prefix/share/man/man1/other.1"
make --no-print-directory install PREFIX="$prefix" SCRATCH="$SCRATCH" > /dev/null
make --no-print-directory uninstall PREFIX="$prefix" SCRATCH="$SCRATCH" > /dev/null
[ -z "$(ls -A "$prefix")" ] || fail "after install + uninstall the prefix is not empty: $(cd "$prefix" && find . -mindepth 1 | tr '\n' ' ')"
say "install + uninstall into a temporary prefix: ok (left empty; a foreign file kept)"
say "ok"
