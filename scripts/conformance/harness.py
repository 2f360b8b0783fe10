"""Runs `atoms-tui sim serve` instances and talks HTTP to them (loopback only)."""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit


@dataclass
class Exchange:
    """One request and its answer, as the checker saw them."""

    method: str
    path: str  # under the base path, e.g. /agent/abc
    query: dict[str, str]
    request_body: Any
    status: int
    headers: dict[str, str]  # lower-cased names
    body: bytes
    elapsed: float

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))


@dataclass
class Server:
    """One simulator process."""

    name: str
    args: list[str]
    process: subprocess.Popen | None = None
    host: str = "127.0.0.1"
    port: int = 0
    base_path: str = "/atoms/v1"
    log: Any = None
    exchanges: list[Exchange] = field(default_factory=list)

    def start(self, binary: str, timeout: float = 30.0) -> None:
        self.log = tempfile.TemporaryFile()
        out = tempfile.TemporaryFile()
        env = dict(os.environ)
        for k in ("SMALLEST_API_KEY", "ATOMS_BASE_URL", "ATOMS_PROFILE"):
            env.pop(k, None)
        self.process = subprocess.Popen([binary, "sim", "serve", "--port", "0", *self.args],
                                        stdin=subprocess.DEVNULL, stdout=out, stderr=self.log, env=env)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            out.seek(0)
            text = out.read().decode("utf-8", "replace")
            for line in text.splitlines():
                if "listening on" in line:
                    url = urlsplit(line.split()[-1])
                    self.host, self.port, self.base_path = url.hostname or "127.0.0.1", url.port or 0, url.path
                    return
            if self.process.poll() is not None:
                break
            time.sleep(0.02)
        self.stop()
        self.log.seek(0)
        raise RuntimeError(f"simulator '{self.name}' did not start: {self.log.read().decode('utf-8', 'replace')}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def request(self, method: str, path: str, query: dict[str, str] | None = None, body: Any = None,
                headers: dict[str, str] | None = None, raw_path: bool = False) -> Exchange:
        query = query or {}
        target = (path if raw_path else self.base_path + path) + (("?" + urlencode(query)) if query else "")
        data: bytes | None = None
        hdrs = dict(headers or {})
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode("utf-8")
            hdrs.setdefault("Content-Type", "application/json")
        conn = http.client.HTTPConnection(self.host, self.port, timeout=15)
        started = time.monotonic()
        try:
            conn.request(method, target, body=data, headers=hdrs)
            resp = conn.getresponse()
            payload = resp.read()
            ex = Exchange(method=method, path=path, query=query, request_body=body, status=resp.status,
                          headers={k.lower(): v for k, v in resp.getheaders()}, body=payload,
                          elapsed=time.monotonic() - started)
        finally:
            conn.close()
        self.exchanges.append(ex)
        return ex
