#!/usr/bin/env bash
# Builds the self-contained release of atoms-tui into $SCRATCH/dist (default .build-release/dist), laid
# out like an install prefix:
#   bin/atoms-tui                                  stripped, Swift runtime linked in (--static-swift-stdlib)
#   share/man/man1/atoms-tui.1                     from the ArgumentParser definitions (generate-manual plugin)
#   share/bash-completion/completions/atoms-tui    from --generate-completion-script
#   share/zsh/site-functions/_atoms-tui
#   share/fish/vendor_completions.d/atoms-tui.fish
# `make install PREFIX=…` copies exactly these files. Prints the binary's size and its ldd list with the
# Debian package of each library, and fails if any library resolves inside the Swift toolchain or any
# Swift runtime library (libswift*, Foundation, dispatch, BlocksRuntime) is still linked dynamically.
#
# The version comes from `git describe --tags --always --dirty` (a leading v dropped; a bare commit gives
# 0.0.0-dev+HASH), or ATOMS_TUI_VERSION. It is written into Sources/AtomsModels/ToolVersion.swift for the
# build and the file is put back afterwards (same content and time stamp, so no other build sees a change).
set -euo pipefail
cd "$(dirname "$0")/.."

SCRATCH=${SCRATCH:-.build-release}
DIST="$SCRATCH/dist"
VERSION_FILE=Sources/AtomsModels/ToolVersion.swift
say() { printf 'release: %s\n' "$*"; }
fail() { printf 'release: FAILED: %s\n' "$*" >&2; exit 1; }

# --- build dependencies: Foundation's networking needs libcurl's development files to link statically.
if command -v dpkg >/dev/null 2>&1; then
  need=()
  for pkg in libcurl4-openssl-dev libncurses-dev libsqlite3-dev binutils; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
  done
  if [ ${#need[@]} -gt 0 ]; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
      say "installing ${need[*]}"
      DEBIAN_FRONTEND=noninteractive apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
    else
      fail "missing build packages: ${need[*]} (sudo apt-get install ${need[*]})"
    fi
  fi
fi

# --- the version
version=${ATOMS_TUI_VERSION:-}
if [ -z "$version" ]; then
  described=$(git describe --tags --always --dirty 2>/dev/null || true)
  case "$described" in
    v[0-9]*) version=${described#v} ;;
    [0-9]*.*) version=$described ;;
    "") version=0.0.0-dev ;;
    *) version="0.0.0-dev+$described" ;;
  esac
fi
[[ "$version" =~ ^[0-9A-Za-z][0-9A-Za-z.+_-]*$ ]] || fail "version '$version' is not a plain version string"
mkdir -p "$SCRATCH"
printf '%s\n' "$version" > "$SCRATCH/version"

# --- stamp the version (restored on exit, byte for byte and with its time stamp)
backup="$SCRATCH/ToolVersion.swift.orig"
stamped="$SCRATCH/ToolVersion.swift.stamped"
cp -p "$VERSION_FILE" "$backup"
restore() {
  if [ -f "$backup" ]; then
    cat "$backup" > "$VERSION_FILE" && touch -r "$backup" "$VERSION_FILE" && rm -f "$backup"
  fi
}
trap restore EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP
sed -E "s/^(    public static let version = )\"[^\"]*\"$/\1\"$version\"/" "$backup" > "$stamped.new"
grep -qF "    public static let version = \"$version\"" "$stamped.new" \
  || fail "could not set the version in $VERSION_FILE (its 'public static let version = \"…\"' line moved?)"
# Same stamp as last time: keep the previous file's time stamp, so an unchanged tree rebuilds nothing.
if cmp -s "$stamped.new" "$stamped"; then rm -f "$stamped.new"; else mv "$stamped.new" "$stamped"; fi
cat "$stamped" > "$VERSION_FILE"
touch -r "$stamped" "$VERSION_FILE"

# --- the self-contained binary
say "version $version; building (swift build -c release --static-swift-stdlib --product atoms-tui --scratch-path $SCRATCH)"
swift build -c release --static-swift-stdlib --product atoms-tui --scratch-path "$SCRATCH"
built="$(swift build -c release --static-swift-stdlib --scratch-path "$SCRATCH" --show-bin-path)/atoms-tui"
restore

# --- the man page: swift-argument-parser's generate-manual plugin, run after the version file is put
# back. It builds the package's products in debug in the ordinary .build (a no-op after `swift build` /
# `swift test`; a release build here would compile everything a second time, because
# --static-swift-stdlib changes the compile flags too) and runs generate-manual over
# `atoms-tui --experimental-dump-help`: the page comes from the ArgumentParser definitions.
say "generating the man page (swift package plugin generate-manual)"
man_date=$(git log -1 --format=%cs 2>/dev/null || date -u +%F)
find .build/plugins -name atoms-tui.1 -delete 2>/dev/null || true
swift package plugin generate-manual --configuration debug --date "$man_date" \
  > "$SCRATCH/generate-manual.log" 2>&1 || { tail -40 "$SCRATCH/generate-manual.log" >&2; fail "generate-manual"; }
manpage=$(find .build/plugins -path '*GenerateManual*' -name atoms-tui.1 2>/dev/null | head -1)
[ -n "$manpage" ] || { tail -20 "$SCRATCH/generate-manual.log" >&2; fail "generate-manual wrote no atoms-tui.1"; }

rm -rf "$DIST"
mkdir -p "$DIST/bin" "$DIST/share/man/man1" "$DIST/share/bash-completion/completions" \
  "$DIST/share/zsh/site-functions" "$DIST/share/fish/vendor_completions.d"
cp "$built" "$DIST/bin/atoms-tui"
strip "$DIST/bin/atoms-tui"
# generate-manual leaves the discussions' blank lines as empty input lines, which mdoc warns about
# ("Empty input line"); they are paragraph breaks, so write them as .Pp.
sed 's/^$/.Pp/' "$manpage" > "$DIST/share/man/man1/atoms-tui.1"
bin="$DIST/bin/atoms-tui"
"$bin" --generate-completion-script bash > "$DIST/share/bash-completion/completions/atoms-tui"
"$bin" --generate-completion-script zsh > "$DIST/share/zsh/site-functions/_atoms-tui"
"$bin" --generate-completion-script fish > "$DIST/share/fish/vendor_completions.d/atoms-tui.fish"
chmod 644 "$DIST"/share/*/*/* "$DIST/share/man/man1/atoms-tui.1"

# --- what it is and what it needs (fails on a dynamically linked Swift runtime)
scripts/check-binary.sh "$bin"
say "dist: $DIST (make install PREFIX=… installs it)"
