"""`atoms-tui sim serve` as a child process on loopback (shared by bench.py and load.py)."""
import json, os, shutil, signal, subprocess, tempfile, time
import urllib.request, urllib.error


class SimProcess:
    """Starts the simulator on port 0 with its own database and waits for its URL."""

    def __init__(self, binary, *args, key, db=None, prefix="atoms-sim-"):
        self.key = key
        self.tmp = tempfile.mkdtemp(prefix=prefix)
        self.db = db or os.path.join(self.tmp, "sim.db")
        self.out = open(os.path.join(self.tmp, "out"), "w+")
        self.p = subprocess.Popen([binary, "sim", "serve", "--port", "0", "--db", self.db, "--key", key, *args],
                                  stdout=self.out, stderr=subprocess.STDOUT)
        self.url = None
        deadline = time.time() + 600
        while time.time() < deadline and self.url is None:
            self.out.seek(0)
            for line in self.out.read().splitlines():
                if "listening on" in line:
                    self.url = line.split()[-1]
            if self.p.poll() is not None:
                raise RuntimeError("simulator exited: " + open(self.out.name).read())
            time.sleep(0.05)
        if self.url is None:
            raise RuntimeError("simulator did not start")
        self.host = self.url[: -len("/atoms/v1")]

    def request(self, method, path, body=None):
        """One API call; answers (HTTP status, parsed body or text)."""
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.url + path, data=data, method=method,
                                     headers={"Authorization": "Bearer " + self.key, "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return r.status, json.loads(r.read() or b"null")
        except urllib.error.HTTPError as e:
            raw = e.read()
            try:
                return e.code, json.loads(raw)
            except Exception:
                return e.code, raw.decode(errors="replace")

    def stop(self):
        self.p.send_signal(signal.SIGTERM)
        try:
            self.p.wait(30)
        except subprocess.TimeoutExpired:
            self.p.kill()
        shutil.rmtree(self.tmp, ignore_errors=True)
