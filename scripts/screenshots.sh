#!/usr/bin/env bash
# Regenerates screenshots/*.png from the real binary: Xvfb + xterm + ImageMagick (Debian packages:
# xvfb xterm imagemagick xdotool x11-utils fonts-dejavu-core fonts-noto-cjk fonts-noto-color-emoji).
# Usage: scripts/screenshots.sh            (builds the binary if needed, writes screenshots/)
#        ONLY=health scripts/screenshots.sh (one shot; SKIP_BUILD=1 uses the binary already built)
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in Xvfb xterm xdotool import xdpyinfo tmux; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install xvfb xterm imagemagick xdotool x11-utils fonts-dejavu-core fonts-noto-cjk" >&2; exit 1; }
done
[ -n "${SKIP_BUILD:-}" ] || swift build --product atoms-tui >/dev/null
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

# shot NAME COLSxROWS KEYS... : the demo (fresh seeded database) runs in a private tmux server; xterm
# shows it; keys go in through tmux (reliable, unlike synthetic X events); ImageMagick captures the window.
shot() {
  local name=$1 geometry=$2; shift 2
  if [ -n "${ONLY:-}" ] && [ "$ONLY" != "$name" ]; then return 0; fi
  local cols=${geometry%x*} rows=${geometry#*x}
  local data="$WORK/$name" sock="$WORK/$name.sock"
  mkdir -p "$data"
  tmux -S "$sock" -f /dev/null new-session -d -s shot -x "$cols" -y "$rows" \
       -e XDG_DATA_HOME="$data" -e XDG_STATE_HOME="$data/state" -e SMALLEST_API_KEY= -e LANG=C.UTF-8 "$BIN" ${ARGS:-}
  tmux -S "$sock" set -g status off
  xterm -fa 'DejaVu Sans Mono' -fs 11 -bg '#1e1e2e' -fg '#d8d8e0' -geometry "$geometry" -title "atoms-$name" \
        -xrm 'XTerm*cursorBlink: false' -xrm 'XTerm*forceBoxChars: true' -xrm 'XTerm*termName: xterm-256color' \
        -e tmux -S "$sock" attach -t shot &
  local pid=$!
  local wid=""
  for _ in $(seq 100); do wid=$(xdotool search --name "atoms-$name" 2>/dev/null | head -1 || true); [ -n "$wid" ] && break; sleep 0.05; done
  for _ in $(seq 100); do tmux -S "$sock" capture-pane -p -t shot | grep -q "Launch Line" && break; sleep 0.05; done
  sleep 0.8
  for key in "$@"; do
    if [[ $key == sleep:* ]]; then sleep "${key#sleep:}"; elif [[ $key == type:* ]]; then tmux -S "$sock" send-keys -t shot -l "${key#type:}"; else tmux -S "$sock" send-keys -t shot "$key"; fi
    sleep 0.3
  done
  sleep 1
  import -window "$wid" "$OUT/$name.png"
  tmux -S "$sock" kill-server 2>/dev/null || true
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  echo "wrote screenshots/$name.png"
}

# The v2 demo (the default): Zoë's main history (r12 above the head, marked ↑), the publish review of the
# feature branch with its list change element by element, the live security-check bar, help, a restore.
shot main 140x40 / type:Zoë Enter Tab sleep:0.5
shot review 140x40 / type:Zoë Enter Tab Tab Down p sleep:1
ARGS="--demo-scan-seconds 30" shot progress 140x40 / type:Zoë Enter Tab Tab Down p sleep:1 type:holiday\ greeting Enter sleep:2.5
shot help 140x40 ?
shot confirm 140x40 / type:Zoë Enter Tab j j j a
# Search inside the detail area (matches highlighted, "2/N" on the status line) and the message log.
shot search 140x40 / type:Zoë Enter Tab Enter sleep:0.5 / type:order Enter n
shot messages 140x40 R sleep:1 y a M
# The v1 demo: a version diffed against the active one.
ARGS="--demo-api v1" shot diff 140x40 j j j j j Tab j j d sleep:1
# Release health on the v1 demo: Clínica's active v8 is significantly worse than v7 — the Calls/Fail/p50
# columns, v8's Health section and the status line naming the roll back.
ARGS="--demo-api v1" shot health 140x40 / type:Clínica Enter sleep:1.5 Tab sleep:1
