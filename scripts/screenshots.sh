#!/usr/bin/env bash
# Regenerates screenshots/*.png from the real binary: Xvfb + xterm + ImageMagick (Debian packages:
# xvfb xterm imagemagick xdotool x11-utils fonts-dejavu-core fonts-noto-cjk fonts-noto-color-emoji).
# Usage: scripts/screenshots.sh            (builds the binary if needed, writes screenshots/)
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in Xvfb xterm xdotool import xdpyinfo; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install xvfb xterm imagemagick xdotool x11-utils fonts-dejavu-core fonts-noto-cjk" >&2; exit 1; }
done
swift build --product atoms-tui >/dev/null
BIN="$PWD/.build/debug/atoms-tui"
OUT="$PWD/screenshots"
mkdir -p "$OUT"
WORK=$(mktemp -d)
trap 'kill $XVFB_PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
DISPLAY_NUM=:$(( 90 + RANDOM % 9 ))
Xvfb "$DISPLAY_NUM" -screen 0 1800x1100x24 -nolisten tcp >/dev/null 2>&1 &
XVFB_PID=$!
export DISPLAY=$DISPLAY_NUM LANG=C.UTF-8
for _ in $(seq 100); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.05; done

# shot NAME GEOMETRY KEYS... : start the demo on a fresh copy of the seeded database, send keys, capture.
shot() {
  local name=$1 geometry=$2; shift 2
  local data="$WORK/$name"
  mkdir -p "$data"
  xterm -fa 'DejaVu Sans Mono' -fs 11 -bg '#1e1e2e' -fg '#d8d8e0' -geometry "$geometry" -title "atoms-$name" \
        -xrm 'XTerm*cursorBlink: false' -xrm 'XTerm*forceBoxChars: true' -xrm 'XTerm*termName: xterm-256color' \
        -e env XDG_DATA_HOME="$data" XDG_STATE_HOME="$data/state" SMALLEST_API_KEY= "$BIN" &
  local pid=$!
  local wid=""
  for _ in $(seq 100); do wid=$(xdotool search --name "atoms-$name" 2>/dev/null | head -1 || true); [ -n "$wid" ] && break; sleep 0.05; done
  sleep 1.5
  for key in "$@"; do
    if [[ $key == sleep:* ]]; then sleep "${key#sleep:}"; elif [[ $key == type:* ]]; then xdotool type --window "$wid" --delay 30 "${key#type:}"; else xdotool key --window "$wid" "$key"; fi
    sleep 0.25
  done
  sleep 0.8
  import -window "$wid" "$OUT/$name.png"
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  echo "wrote screenshots/$name.png"
}

shot main 140x40 Down Down Down Down Down
shot diff 140x40 Down Down Down Down Down Tab d sleep:0.5
shot help 140x40 question
shot confirm 140x40 Tab Down a
