"""The official OpenAPI spec, read the way the conformance checker needs it.

- `Spec.operation(method, path)` finds an operation by its spec path template.
- `Spec.validator(schema)` turns an OpenAPI 3.0 schema into a JSON Schema (draft 4 plus
  `nullable`) validator whose `$ref`s resolve against the spec's components.
- `undeclared_fields(instance, schema)` walks a JSON value along its schema and lists the
  object members the schema does not declare (the spec allows them; the checker reports them so
  that an accidental field in the simulator is noticed and either removed or justified).
"""

from __future__ import annotations

import copy
from typing import Any, Iterator

import jsonschema
import rfc3339_validator  # noqa: F401  (imported so that format: date-time is really checked)
import yaml


class Spec:
    """The spec document plus helpers."""

    def __init__(self, path: str) -> None:
        with open(path, encoding="utf-8") as f:
            # PyYAML reads YAML 1.1: an unquoted `on` becomes the boolean True. That is how most
            # Python tooling (schemathesis included) sees this spec, and why the archive
            # operation's `on` parameter is listed as a known deviation.
            self.doc: dict[str, Any] = yaml.safe_load(f)
        self.components = self.doc.get("components", {})
        self._converted_components = {
            "schemas": {k: to_json_schema(v) for k, v in self.components.get("schemas", {}).items()}
        }

    # ---- lookup -------------------------------------------------------------------------

    def operation(self, method: str, path: str) -> dict[str, Any] | None:
        item = self.doc.get("paths", {}).get(path)
        if not isinstance(item, dict):
            return None
        op = item.get(method.lower())
        return op if isinstance(op, dict) else None

    def operations(self, prefix_filter) -> Iterator[tuple[str, str, dict[str, Any]]]:
        for path, item in self.doc.get("paths", {}).items():
            if not prefix_filter(path):
                continue
            for method, op in item.items():
                if method in ("get", "post", "put", "patch", "delete") and isinstance(op, dict):
                    yield method.upper(), path, op

    def resolve(self, node: Any) -> Any:
        """Follows `$ref` chains inside the document."""
        seen = 0
        while isinstance(node, dict) and "$ref" in node:
            ref = node["$ref"]
            if not ref.startswith("#/"):
                raise ValueError(f"external $ref not supported: {ref}")
            cur: Any = self.doc
            for part in ref[2:].split("/"):
                cur = cur[part.replace("~1", "/").replace("~0", "~")]
            node = cur
            seen += 1
            if seen > 50:
                raise ValueError(f"$ref loop at {ref}")
        return node

    def response(self, op: dict[str, Any], status: int) -> dict[str, Any] | None:
        responses = op.get("responses", {})
        for key in (str(status), f"{str(status)[0]}XX", "default"):
            if key in responses:
                return self.resolve(responses[key])
        # PyYAML may read unquoted status keys as ints.
        if status in responses:
            return self.resolve(responses[status])
        return None

    def parameters(self, method: str, path: str, op: dict[str, Any]) -> list[dict[str, Any]]:
        item = self.doc["paths"][path]
        params = [self.resolve(p) for p in item.get("parameters", [])]
        params += [self.resolve(p) for p in op.get("parameters", [])]
        return params

    # ---- validation ---------------------------------------------------------------------

    def validator(self, schema: dict[str, Any]) -> jsonschema.Draft4Validator:
        root = to_json_schema(schema)
        if isinstance(root, dict):
            root = dict(root)
            root["components"] = self._converted_components
        return jsonschema.Draft4Validator(root, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


def to_json_schema(node: Any) -> Any:
    """OpenAPI 3.0 schema → JSON Schema draft 4: `nullable` becomes a `null` alternative, and
    OpenAPI-only keywords are dropped. `$ref`s keep pointing at `#/components/schemas/...`."""
    if isinstance(node, list):
        return [to_json_schema(x) for x in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for k, v in node.items():
        if k in ("nullable", "example", "examples", "discriminator", "xml", "externalDocs", "deprecated",
                 "readOnly", "writeOnly") or (isinstance(k, str) and k.startswith("x-")):
            continue
        if k in ("properties", "patternProperties", "definitions"):
            out[k] = {pk: to_json_schema(pv) for pk, pv in v.items()}
        elif k in ("items", "additionalProperties", "not") and isinstance(v, (dict, list)):
            out[k] = to_json_schema(v)
        elif k in ("allOf", "anyOf", "oneOf"):
            out[k] = [to_json_schema(x) for x in v]
        else:
            out[k] = copy.deepcopy(v)
    if node.get("nullable") is True:
        if "$ref" in out or ("type" not in out and any(k in out for k in ("allOf", "anyOf", "oneOf"))):
            return {"anyOf": [out, {"type": "null"}]}
        if "type" in out:
            t = out["type"]
            out["type"] = (t if isinstance(t, list) else [t]) + ["null"]
        if "enum" in out and None not in out["enum"]:
            out["enum"] = list(out["enum"]) + [None]
    return out


def _json_type(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, int):
        return "integer"
    if isinstance(v, float):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "array"
    return "object"


def _type_matches(schema: dict[str, Any], v: Any) -> bool:
    t = schema.get("type")
    if t is None:
        return True
    jt = _json_type(v)
    return t == jt or (t == "number" and jt == "integer")


def undeclared_fields(spec: Spec, instance: Any, schema: Any, path: str = "") -> list[str]:
    """Dotted paths (`data.versions[].securityCheck`) of object members the schema does not
    declare. Free-form objects (no `properties`, or `additionalProperties` set) declare everything."""
    schema = spec.resolve(schema)
    if not isinstance(schema, dict) or instance is None:
        return []
    # Combinators.
    if "allOf" in schema:
        merged_props: dict[str, Any] = dict(schema.get("properties", {}))
        open_object = "additionalProperties" in schema
        for branch in schema["allOf"]:
            b = spec.resolve(branch)
            if not isinstance(b, dict):
                continue
            if "allOf" in b or "oneOf" in b or "anyOf" in b:
                return []  # nested combinators: not walked (none in the operations checked)
            if b.get("type") not in (None, "object") or not isinstance(instance, dict):
                return undeclared_fields(spec, instance, b, path)
            for k, v in b.get("properties", {}).items():
                merged_props.setdefault(k, v)
            if "additionalProperties" in b or not b.get("properties"):
                open_object = True if "additionalProperties" in b else open_object
        return _walk_object(spec, instance, merged_props, open_object, path)
    for comb in ("oneOf", "anyOf"):
        if comb in schema:
            # The branch that explains the instance best: valid, then fewest undeclared members.
            best: list[str] | None = None
            best_valid = False
            for branch in schema[comb]:
                b = spec.resolve(branch)
                if not (isinstance(b, dict) and _type_matches(b, instance)):
                    continue
                valid = spec.validator(branch).is_valid(instance)
                extra = undeclared_fields(spec, instance, b, path)
                if best is None or (valid, -len(extra)) > (best_valid, -len(best)):
                    best, best_valid = extra, valid
            return best or []
    if isinstance(instance, list):
        items = schema.get("items")
        out: list[str] = []
        if items is not None:
            for el in instance:
                for p in undeclared_fields(spec, el, items, path + "[]"):
                    if p not in out:
                        out.append(p)
        return out
    if isinstance(instance, dict):
        props = schema.get("properties")
        if not props:
            return []  # free-form object
        return _walk_object(spec, instance, props, "additionalProperties" in schema, path)
    return []


def _walk_object(spec: Spec, instance: Any, props: dict[str, Any], open_object: bool, path: str) -> list[str]:
    if not isinstance(instance, dict):
        return []
    out: list[str] = []
    for k, v in instance.items():
        child = f"{path}.{k}" if path else k
        if k in props:
            out += undeclared_fields(spec, v, props[k], child)
        elif not open_object:
            out.append(child)
    return out
