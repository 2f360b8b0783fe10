#!/usr/bin/env python3
"""The TUI's figures next to an earlier build's, measured interleaved on the same machine at the same time.

    python3 scripts/bench-vs.py /path/to/old/.build/release      # after release builds of both trees

A figure measured hours or days apart on a shared 2-core VM moves by ±50 % with the host's load; running
the two builds one after the other, round after round, compares like with like. Both directories need
`atoms-tui` and `atoms-bench` release binaries (`swift build -c release --product atoms-tui` and
`--product atoms-bench` in each tree). Prints one JSON object: per figure the median of each build.

Figures: keystroke → frame p50/p99 in process (atoms-bench: 10,000 versions, 5,000-line diff); first frame
of the v1 demo (both builds have it) with data on screen; bytes written per single cursor move (real pty,
10,000 versions, median of 60 moves; the moves that scroll the list and those that do not, apart); the same
with the agents pane full (20 agents × 200 versions: moves 1–10 stay on screen, moves 15–40 scroll the list);
peak RSS walking 1,000 agents × 100 versions (the walk of scripts/bench.py).

    python3 scripts/bench-vs.py OLD --only bytes    # only the bytes-per-move figures
"""
import json, os, re, statistics, subprocess, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402


def keystrokes(rel):
    out = subprocess.run([os.path.join(rel, "atoms-bench")], capture_output=True, text=True, timeout=600).stdout
    res = {}
    for line in out.splitlines():
        if not line.startswith("{"):
            continue
        r = json.loads(line)
        if r["rows"] in (10000, 5000):
            res[f"{r['scenario']} ({r['rows']} rows)"] = (r["p50Micros"], r["p99Micros"])
    return res


def first_frames(runs):
    tmp = tempfile.mkdtemp(prefix="atoms-vs-ff-")
    env = bench.env_with(XDG_DATA_HOME=tmp, XDG_STATE_HOME=tmp, XDG_CONFIG_HOME=tmp, XDG_CACHE_HOME=tmp,
                         TERM="xterm-256color", LANG="C.UTF-8", SMALLEST_API_KEY="")
    args = ["--demo-api", "v1"] if "--demo-api" in subprocess.run([bench.BIN, "--help"], capture_output=True, text=True).stdout else []
    bench.first_frame(args, env, 1, "Launch Line")  # seeds the demo database
    return bench.first_frame(args, env, runs, "Launch Line")


def scaled_sim(agents, versions):
    """A simulator with synthetic data and the environment of a TUI pointed at it (fresh directories)."""
    tmp = tempfile.mkdtemp(prefix="atoms-vs-")
    sim = bench.Sim("--scale-agents", agents, "--scale-versions", versions)
    return sim, bench.env_with(SMALLEST_API_KEY=bench.KEY, XDG_DATA_HOME=tmp, XDG_STATE_HOME=tmp, XDG_CONFIG_HOME=tmp,
                               XDG_CACHE_HOME=tmp, TERM="xterm-256color", LANG="C.UTF-8")


def move_frames(agents, versions, moves):
    """The frames one deliberate cursor move at a time in the History list draws (real pty, release TUI)."""
    sim, e = scaled_sim(agents, versions)
    try:
        help_text = subprocess.run([bench.BIN, "--help"], capture_output=True, text=True).stdout
        extra = [f for f in ("--no-watch", "--no-config-dir") if f in help_text]
        t = bench.Pty(["--base-url", sim.url, *extra], e)
        t.read_for(quiet=0.5, limit=25)
        t.send("\t")
        t.read_for(quiet=0.5, limit=10)
        frames = []
        for _ in range(moves):
            t.send("j")
            frames.append(t.read_for(quiet=0.05, limit=2))
            t.read_for(quiet=0.3, limit=3)
        t.close()
        return frames
    finally:
        sim.stop()


def bytes_per_move_full_panes():
    """20 agents fill the agents pane beside the History list, so a row scrolled in can no longer use the
    terminal's full-width scroll (it would move the agents too): what a scrolling move costs in a real account."""
    sizes = [len(f) for f in move_frames("20", "200", 40)]
    return sizes[:10], sizes[14:]


def bytes_per_move():
    scrolling, still = [], []
    for frame in move_frames("1", "10000", 60):
        # A scroll region set (ESC [ top ; bottom r) means the list scrolled on this move.
        (scrolling if re.search(rb"\x1b\[\d+;\d+r", frame) else still).append(len(frame))
    return scrolling, still


def rss():
    sim, e = scaled_sim("1000", "100")
    try:
        t = bench.Pty(["--base-url", sim.url], e)
        t.read_for(quiet=0.5, limit=15)
        for _ in range(300):
            t.send("j")
            t.read_for(quiet=0.03, limit=1)
        t.send("G")
        t.read_for(quiet=0.5, limit=10)
        t.send("\tG")
        t.read_for(quiet=0.5, limit=10)
        peak = t.rss_peak_kb()
        t.close()
        return peak / 1024
    finally:
        sim.stop()


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    builds = {"earlier": os.path.abspath(sys.argv[1]), "now": bench.REL}
    rounds = int(os.environ.get("ROUNDS", "3"))
    acc = {name: {} for name in builds}

    def add(name, key, value):
        acc[name].setdefault(key, []).append(value)

    only_bytes = "--only" in sys.argv and sys.argv[sys.argv.index("--only") + 1:][:1] == ["bytes"]
    for _ in range(rounds):
        for name, rel in builds.items():
            bench.BIN = os.path.join(rel, "atoms-tui")
            still, scrolling = bytes_per_move_full_panes()
            add(name, "bytes per single move, agents pane full, not scrolling (median of moves 1-10)", statistics.median(still))
            add(name, "bytes per single move, agents pane full, scrolling (median of moves 15-40)", statistics.median(scrolling))
            if not only_bytes:
                for k, (p50, p99) in keystrokes(rel).items():
                    add(name, "keystroke p50 µs, " + k, p50)
                    add(name, "keystroke p99 µs, " + k, p99)
                add(name, "first frame ms, v1 demo", statistics.median(first_frames(5)) * 1000)
            scrolling, still = bytes_per_move()
            add(name, "bytes per single move, all 60 (median)", statistics.median(scrolling + still))
            if still:
                add(name, "bytes per single move that does not scroll (median)", statistics.median(still))
            if scrolling:
                add(name, "bytes per single move that scrolls the list (median)", statistics.median(scrolling))
            if not only_bytes:
                add(name, "peak RSS MiB, 1,000 agents × 100 versions", rss())
    result = {k: {name: round(statistics.median(acc[name][k]), 1) for name in builds if k in acc[name]}
              for k in acc["now"]}
    print(json.dumps({"rounds": rounds, "builds": builds, "figures": result}, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
