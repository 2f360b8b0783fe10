#!/usr/bin/env python3
"""Load run against `atoms-tui sim serve` on loopback: wrk (Debian's `wrk` package) drives a mix of
reads and draft writes for a bounded time, reporting requests/s and latency percentiles; meanwhile the
TUI runs against the loaded simulator in tmux and the time from a key press to the redrawn screen is
measured; afterwards every committed version must be readable and the counters consistent (each
draft's revision advanced once per PATCH answered 2xx (and at most once per PATCH sent); version numbers unique and
contiguous; the active version listed).

    python3 scripts/load.py                     # 10 s, 2 threads, 32 connections
    python3 scripts/load.py --duration 30 --connections 64
    python3 scripts/load.py --json docs/figures/load.json

Uses the debug binary from `swift build` (set ATOMS_TUI_BIN to use another). Exits 1 when a check fails.
"""
import argparse, json, os, re, shutil, subprocess, sys, tempfile, threading, time
import urllib.request, urllib.error

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import simproc  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KEY = "load-key"

LUA = r"""
-- A mix: 55 % agent list, 25 % an agent's versions, 10 % one version, 10 % PATCH a draft's config.
local agents = {AGENTS}
local drafts = {DRAFTS}
local threads = {}
local counter = 0
function setup(thread)
  thread:set("id", counter)
  table.insert(threads, thread)
  counter = counter + 1
end
function init(args)
  patches_ok = 0
  patches_sent = 0
  errors5xx = 0
  n = 0
  math.randomseed(42 + id)
  wrk.headers["Authorization"] = "Bearer KEY"
  wrk.headers["Content-Type"] = "application/json"
end
local last_patch = false
function request()
  n = n + 1
  local r = math.random(100)
  last_patch = false
  if r <= 55 then
    return wrk.format("GET", "/atoms/v1/agent?page=" .. math.random(1, 4))
  elseif r <= 80 then
    local a = agents[math.random(#agents)]
    return wrk.format("GET", "/atoms/v1/agent/" .. a[1] .. "/versions?limit=20")
  elseif r <= 90 then
    local a = agents[math.random(#agents)]
    return wrk.format("GET", "/atoms/v1/agent/" .. a[1] .. "/versions/" .. a[2])
  else
    local d = drafts[math.random(#drafts)]
    last_patch = d[2]
    patches_sent = patches_sent + 1
    return wrk.format("PATCH", "/atoms/v1/agent/" .. d[1] .. "/drafts/" .. d[2] .. "/config",
      nil, '{"firstMessage":"load ' .. id .. "-" .. n .. '"}')
  end
end
function response(status, headers, body)
  if status >= 500 then errors5xx = errors5xx + 1 end
  -- A PATCH's answer is the draft row, with a number in draftRevision; other rows carry it as null.
  if string.find(body, '"draftRevision":%d') and status >= 200 and status < 300 then
    patches_ok = patches_ok + 1
  end
end
function done(summary, latency, requests)
  local ok, sent, e5 = 0, 0, 0
  for _, t in ipairs(threads) do
    ok = ok + t:get("patches_ok")
    sent = sent + t:get("patches_sent")
    e5 = e5 + t:get("errors5xx")
  end
  io.write(string.format("LOADSTATS patches_ok=%d patches_sent=%d errors5xx=%d p50=%d p90=%d p99=%d max=%d\n",
    ok, sent, e5, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
"""


class Sim(simproc.SimProcess):
    """The simulator under load; `api` answers the success envelope's data and raises on errors."""

    def __init__(self, binary, *args):
        super().__init__(binary, *args, key=KEY, prefix="atoms-load-")

    def api(self, method, path, body=None):
        status, answer = self.request(method, path, body)
        if status >= 400:
            raise RuntimeError(f"{method} {path} answered {status}: {answer}")
        return answer["data"]


def tui_latencies(binary, sim, stop_at):
    """Key press → screen changed, in ms, for the TUI against the loaded simulator (tmux)."""
    sock = os.path.join(tempfile.mkdtemp(prefix="atoms-load-tmux-"), "s")
    env = dict(os.environ, SMALLEST_API_KEY=KEY, ATOMS_BASE_URL=sim.url, TERM="xterm-256color", LANG="C.UTF-8",
               XDG_STATE_HOME=sim.tmp + "/state", XDG_CONFIG_HOME=sim.tmp + "/config")
    tm = lambda *a: subprocess.run(["tmux", "-S", sock, "-f", "/dev/null", *a], capture_output=True, text=True, env=env)
    tm("new-session", "-d", "-s", "t", "-x", "120", "-y", "32", f"{binary}; sleep 30")
    cap = lambda: tm("capture-pane", "-t", "t", "-p", "-e").stdout
    out = []
    try:
        deadline = time.time() + 60
        while "Agents" not in cap() and time.time() < deadline:
            time.sleep(0.05)
        time.sleep(1.0)
        down = True
        while time.time() < stop_at and len(out) < 40:
            before = cap()
            t0 = time.time()
            tm("send-keys", "-t", "t", "j" if down else "k")
            while time.time() - t0 < 5:
                if cap() != before:
                    break
                time.sleep(0.005)
            out.append((time.time() - t0) * 1000)
            down = not down
            time.sleep(0.1)
        tm("send-keys", "-t", "t", "q")
    finally:
        tm("kill-server")
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--agents", type=int, default=200)
    ap.add_argument("--json", help="write the figures here")
    a = ap.parse_args()
    binary = os.environ.get("ATOMS_TUI_BIN") or os.path.join(ROOT, ".build", "debug", "atoms-tui")
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk)")
    sim = Sim(binary, "--scale-agents", str(a.agents), "--scale-versions", "10", "--scan-seconds", "0")
    failures = []
    try:
        agents = []
        page = 1
        while len(agents) < 40:
            lst = sim.api("GET", f"/agent?page={page}")
            agents += lst["agents"]
            if not lst.get("hasMore"):
                break
            page += 1
        agents = agents[:40]
        pairs, drafts = [], []
        for ag in agents:
            vs = sim.api("GET", f"/agent/{ag['_id']}/versions?limit=1")["versions"]
            pairs.append((ag["_id"], vs[0]["_id"]))
        for ag_id, v_id in pairs[:16]:
            d = sim.api("POST", f"/agent/{ag_id}/drafts", {"sourceVersionId": v_id, "draftName": "load"})
            drafts.append((ag_id, d["draftId"]))
        before = {d: sim.api("GET", f"/agent/{ag}/drafts/{d}")["latest"]["draftRevision"] for ag, d in drafts}
        lua = LUA.replace("{AGENTS}", "{" + ",".join(f'{{"{x}","{y}"}}' for x, y in pairs) + "}") \
                 .replace("{DRAFTS}", "{" + ",".join(f'{{"{x}","{y}"}}' for x, y in drafts) + "}").replace("KEY", KEY)
        script = os.path.join(sim.tmp, "mix.lua")
        open(script, "w").write(lua)
        stop_at = time.time() + a.duration
        lat = []
        probe = threading.Thread(target=lambda: lat.extend(tui_latencies(binary, sim, stop_at - 0.5)))
        probe.start()
        w = subprocess.run(["wrk", "-t", str(a.threads), "-c", str(a.connections), "-d", f"{a.duration}s", "--latency", "-s", script, sim.host],
                           capture_output=True, text=True, timeout=a.duration + 120)
        probe.join(timeout=120)
        print(w.stdout)
        rps = float(re.search(r"Requests/sec:\s+([\d.]+)", w.stdout).group(1))
        stats = dict(kv.split("=") for kv in re.search(r"LOADSTATS (.*)", w.stdout).group(1).split())
        stats = {k: int(v) for k, v in stats.items()}
        non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", w.stdout)
        socket_errors = re.search(r"Socket errors: (.*)", w.stdout)
        # Afterwards: counters and readability.
        after = {d: sim.api("GET", f"/agent/{ag}/drafts/{d}")["latest"]["draftRevision"] for ag, d in drafts}
        advanced = sum(after[d] - before[d] for d in after)
        # Every PATCH answered 2xx moved its draft's revision by one; PATCHes still in flight when wrk
        # stopped may have been applied without an answer, so: answered ≤ advanced ≤ sent.
        if not stats["patches_ok"] <= advanced <= stats["patches_sent"]:
            failures.append(f"draft revisions advanced by {advanced}: {stats['patches_ok']} PATCHes answered 2xx, {stats['patches_sent']} sent")
        readable = 0
        for ag_id, _ in pairs:
            lst = sim.api("GET", f"/agent/{ag_id}/versions?limit=100")
            nums = sorted(v["versionNumber"] for v in lst["versions"])
            if nums != list(range(1, len(nums) + 1)) or lst["total"] != len(nums):
                failures.append(f"{ag_id}: version numbers {nums}, total {lst['total']}")
            for v in lst["versions"]:
                sim.api("GET", f"/agent/{ag_id}/versions/{v['_id']}")
                readable += 1
            agent = sim.api("GET", f"/agent/{ag_id}")
            if agent.get("activeVersionId") not in {v["_id"] for v in lst["versions"]}:
                failures.append(f"{ag_id}: active version not listed")
        if stats["errors5xx"]:
            failures.append(f"{stats['errors5xx']} answers were 5xx")
        lat.sort()
        p = lambda q: round(lat[min(len(lat) - 1, int(round((len(lat) - 1) * q)))], 1) if lat else None
        # Responsive: the median key → redraw within 100 ms and nine in ten within 500 ms, on a
        # loaded 2-core machine (the simulator, wrk and the TUI share it).
        if not lat or p(0.5) > 100 or p(0.9) > 500:
            failures.append(f"TUI key → redraw under load (ms): {[round(x) for x in lat]}")
        figures = {
            "duration_s": a.duration, "threads": a.threads, "connections": a.connections, "agents": a.agents,
            "requests_per_s": rps, "latency_ms": {k: round(stats[k] / 1000, 2) for k in ("p50", "p90", "p99", "max")},
            "non_2xx": int(non2xx.group(1)) if non2xx else 0, "socket_errors": socket_errors.group(1) if socket_errors else "none",
            "patches_2xx": stats["patches_ok"], "patches_sent": stats["patches_sent"], "draft_revisions_advanced": advanced,
            "versions_read_back": readable,
            "tui_key_to_redraw_ms": {"samples": len(lat), "p50": p(0.5), "p90": p(0.9), "p99": p(0.99), "max": round(lat[-1], 1) if lat else None},
            "load_average_1m": round(os.getloadavg()[0], 2),
            "failures": failures,
        }
        print(json.dumps(figures, indent=2))
        if a.json:
            os.makedirs(os.path.dirname(os.path.abspath(a.json)), exist_ok=True)
            json.dump(figures, open(a.json, "w"), indent=2)
    finally:
        sim.stop()
    if failures:
        print("LOAD CHECK FAILED:\n  " + "\n  ".join(failures))
        sys.exit(1)
    print("load check passed")


if __name__ == "__main__":
    main()
