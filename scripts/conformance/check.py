#!/usr/bin/env python3
"""Checks every simulator response against the official Atoms OpenAPI spec.

Starts `atoms-tui sim serve` a few times (plain, branch model on, freeze, rate limit, faults),
drives the scripted requests of table.py — every in-scope operation, its successes and its error
statuses — and checks each answer against the operation's declared responses:

  status    the operation declares the status code
  content   the Content-Type is one the status declares
  schema    the body validates against that status's schema ($refs resolved, OpenAPI `nullable`)
  headers   every header the status declares is present (Deprecation on the migration 409)
  fields    no object member the schema does not declare (strict: the spec allows extras, the
            checker wants each one justified)
  envelope  JSON bodies are {status:true,data} on 2xx and {status:false,errors:[str…]} otherwise
  request   the checker's own valid requests use declared query parameters and bodies that
            validate against the request schema (so a scenario cannot silently test nothing)

Findings listed in known-deviations.yaml (each with its reason) are waived; any other finding,
an unused waiver, or an in-scope operation no row exercises fails the run (exit 1).

Usage: check.py [--binary PATH] [--spec PATH] [--only SUBSTRING] [--verbose]
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import sys
import time
from dataclasses import dataclass, field
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

try:
    import jsonschema  # noqa: F401
    import rfc3339_validator  # noqa: F401
    import yaml
except ImportError as e:  # pragma: no cover - exercised by the Swift test's message
    sys.stderr.write(f"conformance: missing Python dependency ({e.name}). Install them with:\n"
                     f"  python3 -m pip install -r {os.path.relpath(os.path.join(HERE, 'requirements.txt'))}\n")
    sys.exit(3)

from harness import Exchange, Server  # noqa: E402
from specmodel import Spec, undeclared_fields  # noqa: E402
import table  # noqa: E402

DEFAULT_SPEC = os.path.join(os.path.dirname(REPO), "shared", "reference", "atoms-openapi.yaml")
if not os.path.exists(DEFAULT_SPEC):  # a clone without ../shared: the copy kept in the repository
    DEFAULT_SPEC = os.path.join(REPO, "spec", "atoms-openapi.yaml")
DEFAULT_BINARY = os.path.join(REPO, ".build", "debug", "atoms-tui")


def in_scope(path: str) -> bool:
    """The agent operations the product uses, every v1 drafts/versions operation, every v2 one, and the
    operations simulated since issue 13 (the key's user, call logs, duplicate, widget config)."""
    if path in ("/agent", "/agent/{id}", "/agent/{id}/archive", "/agent/{id}/diff", "/user", "/agent/{id}/call-logs",
                "/agent/{id}/duplicate", "/agent/{id}/widget-config"):
        return True
    return any(path.startswith(p) for p in ("/agent/{id}/drafts", "/agent/{id}/versions", "/agent/{id}/branches"))


@dataclass
class Finding:
    row: str
    kind: str
    op: str
    status: int
    field: str
    message: str
    waiver: str | None = None

    def line(self) -> str:
        where = f" {self.field}" if self.field else ""
        msg = self.message if len(self.message) < 400 else self.message[:200] + " … " + self.message[-160:]
        return f"{self.kind}: {self.op} → {self.status}{where}: {msg}"


@dataclass
class Waiver:
    id: str
    kind: str
    reason: str
    op: str = "*"
    status: int | None = None
    field: str | list[str] | None = None
    message: str | None = None
    used: int = 0

    def matches(self, f: Finding) -> bool:
        if self.kind != f.kind:
            return False
        if not fnmatch.fnmatchcase(f.op, self.op):
            return False
        if self.status is not None and self.status != f.status:
            return False
        if self.field is not None:
            patterns = self.field if isinstance(self.field, list) else [self.field]
            if not any(fnmatch.fnmatchcase(f.field, p) for p in patterns):
                return False
        if self.message is not None and not fnmatch.fnmatchcase(f.message, self.message):
            return False
        return True


def load_waivers(path: str) -> tuple[list[Waiver], list[dict[str, Any]]]:
    with open(path, encoding="utf-8") as fh:
        doc = yaml.safe_load(fh) or {}
    waivers, notes = [], []
    for entry in doc.get("deviations", []):
        reason = (entry.get("reason") or "").strip()
        if not reason:
            raise SystemExit(f"known-deviations.yaml: '{entry.get('id')}' has no reason")
        if entry.get("kind") == "spec-note":
            notes.append(entry)
            continue
        waivers.append(Waiver(id=entry["id"], kind=entry["kind"], reason=reason, op=entry.get("op", "*"),
                              status=entry.get("status"), field=entry.get("field"), message=entry.get("message")))
    return waivers, notes


def dotted(path_parts) -> str:
    out = ""
    for p in path_parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


def pick(obj: Any, path: str) -> Any:
    cur = obj
    for part in path.replace("]", "").replace("[", ".").split("."):
        if part == "":
            continue
        cur = cur[int(part)] if isinstance(cur, list) else cur[part]
    return cur


class Checker:
    def __init__(self, spec: Spec, waivers: list[Waiver], verbose: bool) -> None:
        self.spec = spec
        self.waivers = waivers
        self.verbose = verbose
        self.findings: list[Finding] = []
        self.coverage: dict[str, set[int]] = {}
        self.exercised_ops: set[str] = set()

    # ---- one answer -----------------------------------------------------------------------

    def check(self, row: table.Row, ex: Exchange) -> list[Finding]:
        out: list[Finding] = []
        op_name = row.op or f"{row.method} (no operation) {row.path_template}"

        def add(kind: str, message: str, fld: str = "") -> None:
            out.append(Finding(row.title, kind, op_name, ex.status, fld, message))

        expected = row.expect if isinstance(row.expect, tuple) else (row.expect,)
        if ex.status not in expected:
            add("scenario", f"expected {' or '.join(map(str, expected))}; body: {ex.body[:300]!r}")
        if row.html404:
            self._check_html404(row, ex, add)
            return out
        method, path = row.op.split(" ", 1)
        op = self.spec.operation(method, path)
        if op is None:
            add("table", "operation not in the spec")
            return out
        self.exercised_ops.add(row.op)
        self.coverage.setdefault(row.op, set()).add(ex.status)
        if not row.negative:
            self._check_request(row, ex, op, method, path, add)

        is_json = ex.content_type.split(";")[0].strip().lower() == "application/json"
        body: Any = None
        if is_json:
            try:
                body = ex.json()
            except ValueError as e:
                add("content", f"invalid JSON: {e}")
                return out
        resp = self.spec.response(op, ex.status)
        if resp is None:
            add("status", "status not declared by the operation")
            # Still hold the answer to the spec's shape for that status where the spec has one.
            fallback = {423: "LockedErrorResponse", 409: "ConflictErrorResponse"}.get(ex.status)
            if fallback and is_json:
                self._validate(self.spec.components["responses"][fallback]["content"]["application/json"]["schema"],
                               body, add, f"(as components.responses.{fallback})")
        else:
            content = resp.get("content") or {}
            if content:
                media = ex.content_type.split(";")[0].strip().lower()
                if media not in {k.lower() for k in content}:
                    add("content", f"Content-Type {ex.content_type!r} not declared ({', '.join(content)})")
                elif is_json:
                    self._validate(content[next(k for k in content if k.lower() == media)].get("schema", {}),
                                   body, add)
            for name, h in (resp.get("headers") or {}).items():
                h = self.spec.resolve(h)
                value = ex.headers.get(str(name).lower())
                if value is None:
                    add("headers", "declared response header missing", str(name))
                else:
                    hs = h.get("schema", {})
                    example = hs.get("example")
                    if example is not None and str(name).lower() == "deprecation" and value != str(example):
                        add("headers", f"value {value!r}, the spec says always {example!r}", str(name))
        if ex.status in (429, 503) and "retry-after" not in ex.headers:
            add("headers", "Retry-After missing on a retryable answer", "Retry-After")
        if is_json:
            self._check_envelope(ex, body, add)
        elif ex.body:
            add("content", f"non-JSON body ({ex.content_type!r}) from an API operation")
        return out

    def _validate(self, schema: Any, body: Any, add, note: str = "") -> None:
        validator = self.spec.validator(schema)
        for err in sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path)):
            add("schema", err.message + (" " + note if note else ""), dotted(err.absolute_path) or "(body)")
        for p in undeclared_fields(self.spec, body, schema):
            add("fields", "member not declared by the schema" + (" " + note if note else ""), p)

    def _check_envelope(self, ex: Exchange, body: Any, add) -> None:
        if not isinstance(body, dict):
            add("envelope", "body is not a JSON object")
            return
        if 200 <= ex.status < 300:
            if body.get("status") is not True:
                add("envelope", "success without status: true", "status")
            if "data" not in body:
                add("envelope", "success without data", "data")
        else:
            if body.get("status") is not False:
                add("envelope", "error without status: false", "status")
            errs = body.get("errors")
            if not (isinstance(errs, list) and errs and all(isinstance(e, str) for e in errs)):
                add("envelope", "error without a non-empty errors: [string]", "errors")

    def _check_request(self, row: table.Row, ex: Exchange, op: dict, method: str, path: str, add) -> None:
        params = self.spec.parameters(method, path, op)
        declared = {str(p.get("name")): p for p in params if p.get("in") == "query"}
        for name, value in ex.query.items():
            if name not in declared:
                add("request", f"query parameter not declared by the operation "
                               f"(declared: {', '.join(sorted(declared)) or 'none'})", name)
                continue
            schema = declared[name].get("schema", {})
            coerced: Any = value
            t = schema.get("type")
            try:
                if t == "integer":
                    coerced = int(value)
                elif t == "number":
                    coerced = float(value)
                elif t == "boolean":
                    coerced = {"true": True, "false": False}[value]
            except (ValueError, KeyError):
                pass
            for err in self.spec.validator(schema).iter_errors(coerced):
                add("request", f"query value {value!r}: {err.message}", name)
        rb = self.spec.resolve(op.get("requestBody")) if op.get("requestBody") else None
        if rb and ex.request_body is not None:
            schema = (rb.get("content", {}).get("application/json") or {}).get("schema")
            if schema:
                for err in self.spec.validator(schema).iter_errors(ex.request_body):
                    add("request", f"request body: {err.message}", dotted(err.absolute_path) or "(body)")
        elif rb and rb.get("required") and ex.request_body is None:
            add("request", "the operation requires a request body")

    def _check_html404(self, row: table.Row, ex: Exchange, add) -> None:
        if ex.status != 404:
            return
        if not ex.content_type.lower().startswith("text/html"):
            add("content", f"unknown route answered {ex.content_type!r}, not Express's text/html page")
        wanted = f"Cannot {row.method} {row.full_path}"
        if wanted.encode() not in ex.body:
            add("content", f"page does not say {wanted!r}")

    # ---- waivers ------------------------------------------------------------------------

    def waive(self, findings: list[Finding]) -> None:
        for f in findings:
            for w in self.waivers:
                if w.matches(f):
                    f.waiver = w.id
                    w.used += 1
                    break


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--binary", default=os.environ.get("ATOMS_TUI_BIN", DEFAULT_BINARY))
    ap.add_argument("--spec", default=os.environ.get("ATOMS_OPENAPI_SPEC", DEFAULT_SPEC))
    ap.add_argument("--deviations", default=os.path.join(HERE, "known-deviations.yaml"))
    ap.add_argument("--only", default=None, help="run only rows whose title or operation contains this")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()

    started = time.monotonic()
    if not os.path.exists(args.spec):
        print(f"conformance: spec not found at {args.spec} (set ATOMS_OPENAPI_SPEC or pass --spec)")
        return 2
    if not os.access(args.binary, os.X_OK):
        print(f"conformance: simulator binary not found at {args.binary} "
              f"(run `swift build --product atoms-tui` or set ATOMS_TUI_BIN)")
        return 2
    spec = Spec(args.spec)
    waivers, notes = load_waivers(args.deviations)
    checker = Checker(spec, waivers, args.verbose)

    servers = {name: Server(name, cfg) for name, cfg in table.SERVERS.items()}
    results: list[tuple[table.Row, list[Exchange], list[Finding]]] = []
    skipped: list[tuple[table.Row, str]] = []
    try:
        for s in servers.values():
            s.start(args.binary)
        ctx: dict[str, Any] = {"_servers": servers}
        v2_served: dict[str, bool] = {}
        for row in table.ROWS:
            if args.only and args.only not in row.title and args.only not in (row.op or ""):
                continue
            server = servers[row.server]
            if row.group == "v2":
                if row.server not in v2_served:
                    v2_served[row.server] = table.v2_served(server, ctx)
                if not v2_served[row.server]:
                    skipped.append((row, "the simulator does not serve the v2 branch endpoints yet"))
                    continue
            missing = [k for k in row.needs() if k not in ctx]
            if missing:
                skipped.append((row, f"needs {', '.join(missing)} from an earlier row that failed"))
                continue
            if row.wait:
                time.sleep(row.wait)
            exchanges: list[Exchange] = []
            findings: list[Finding] = []
            for _ in range(row.repeat):
                ex = row.send(server, ctx)
                exchanges.append(ex)
                fs = checker.check(row, ex)
                if row.repeat > 1:
                    fs = [f for f in fs if f.kind != "scenario"]
                findings += fs
            required = row.require if isinstance(row.require, tuple) else (row.require,)
            if row.repeat > 1 and row.require is not None and all(e.status not in required for e in exchanges):
                findings.append(Finding(row.title, "scenario", row.op or "", exchanges[-1].status, "",
                                        f"no {row.require} among {len(exchanges)} answers"))
            if not [f for f in findings if f.kind == "scenario"]:
                try:
                    row.capture(ctx, exchanges[-1])
                except Exception as e:  # noqa: BLE001
                    findings.append(Finding(row.title, "scenario", row.op or "", exchanges[-1].status, "",
                                            f"could not read what later rows need: {e!r}"))
            checker.waive(findings)
            results.append((row, exchanges, findings))
    finally:
        for s in servers.values():
            s.stop()

    # ---- report -----------------------------------------------------------------------------
    failures = 0
    waived_findings: list[Finding] = []
    passed = 0
    for row, exchanges, findings in results:
        open_findings = [f for f in findings if f.waiver is None]
        waived_findings += [f for f in findings if f.waiver is not None]
        statuses = ",".join(str(e.status) for e in exchanges)
        label = "FAIL" if open_findings else ("WAIVE" if any(f.waiver for f in findings) else "PASS")
        if open_findings:
            failures += 1
        else:
            passed += 1
        if open_findings or args.verbose:
            print(f"{label:5} [{row.server}] {row.op or row.method + ' ' + row.path_template} → {statuses}  {row.title}")
            for f in open_findings:
                print(f"        {f.line()}")
    for row, why in skipped:
        print(f"SKIP  [{row.server}] {row.op or row.path_template}  {row.title}: {why}")

    # Coverage: every in-scope operation is exercised or declared not simulated.
    not_simulated = {w.op for w in waivers if w.kind == "not-simulated"}
    uncovered = []
    for method, path, _op in spec.operations(in_scope):
        key = f"{method} {path}"
        if key in checker.exercised_ops:
            continue
        if key in not_simulated:
            continue
        if any(r.op == key for r, _ in skipped):
            continue
        uncovered.append(key)
    for key in uncovered:
        print(f"FAIL  coverage: {key} is in scope and no row exercises it")
    unused = [w for w in waivers if w.used == 0 and any(fnmatch.fnmatchcase(op, w.op) for op in checker.exercised_ops)]
    unused = [w for w in unused if w.kind != "not-simulated"]
    for w in unused:
        print(f"FAIL  known deviation '{w.id}' ({w.kind} {w.op}) matched nothing: the simulator or the spec "
              f"changed — remove or narrow it")

    print("\nCoverage (operation → statuses seen):")
    for method, path, _op in spec.operations(in_scope):
        key = f"{method} {path}"
        seen = ", ".join(str(s) for s in sorted(checker.coverage.get(key, set())))
        mark = seen or ("not simulated" if key in not_simulated else "skipped")
        print(f"  {key:70} {mark}")
    if waived_findings:
        print("\nWaived (known deviations):")
        counts: dict[str, int] = {}
        for f in waived_findings:
            counts[f.waiver or ""] = counts.get(f.waiver or "", 0) + 1
        for wid, n in sorted(counts.items()):
            print(f"  {wid}: {n} finding(s)")
    elapsed = time.monotonic() - started
    failed = failures + len(uncovered) + len(unused)
    ops = sum(1 for _ in spec.operations(in_scope))
    pairs = sum(len(v) for v in checker.coverage.values())
    print(f"\n{len(checker.exercised_ops)} of {ops} in-scope operations exercised, "
          f"{pairs} operation×status pairs, {sum(len(e) for _, e, _ in results)} requests, "
          f"{len(skipped)} rows skipped, {elapsed:.1f} s")
    print(f"conformance: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
