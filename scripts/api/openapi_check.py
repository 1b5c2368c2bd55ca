"""Checks real HTTP answers against docs/openapi.yaml: the status is documented for the operation,
the Content-Type is one of the documented media types (none when no content is documented), the
body validates against the documented JSON Schema (JSON bodies parsed, text bodies as strings), and
every documented header that is required is there and matches its schema.

Validation is jsonschema_rs (Draft 2020-12, formats checked), which schemathesis itself installs.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import jsonschema_rs
import yaml

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass
class Operation:
    method: str
    template: str
    pattern: re.Pattern
    spec: dict


@dataclass
class Verdict:
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, problem: str) -> None:
        self.problems.append(problem)


class Spec:
    def __init__(self, path: str):
        with open(path, encoding="utf-8") as handle:
            self.doc = yaml.safe_load(handle)
        if not str(self.doc.get("openapi", "")).startswith("3.1"):
            raise ValueError(f"{path} is not an OpenAPI 3.1 document")
        self.operations: list[Operation] = []
        for template, item in self.doc["paths"].items():
            regex = "^" + re.sub(r"\\\{[^}]+\\\}", "([^/]+)", re.escape(template)) + "$"
            for method in HTTP_METHODS:
                if method in item:
                    self.operations.append(Operation(method.upper(), template, re.compile(regex), item[method]))
        self._validators: dict[str, Any] = {}

    # -- lookup ---------------------------------------------------------------------------------

    def resolve(self, node: Any) -> Any:
        seen = 0
        while isinstance(node, dict) and "$ref" in node and len(node) == 1:
            ref = node["$ref"]
            if not ref.startswith("#/"):
                raise ValueError(f"only local references are supported: {ref}")
            target: Any = self.doc
            for part in ref[2:].split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            node = target
            seen += 1
            if seen > 20:
                raise ValueError(f"reference loop at {ref}")
        return node

    def operation(self, method: str, path: str) -> Operation | None:
        """The operation a raw (still percent-encoded) path and method route to; literal paths first."""
        matches = [op for op in self.operations if op.method == method.upper() and op.pattern.match(path)]
        matches.sort(key=lambda op: op.template.count("{"))
        return matches[0] if matches else None

    # -- schemas --------------------------------------------------------------------------------

    def validator(self, schema: dict) -> Any:
        key = json.dumps(schema, sort_keys=True)
        if key not in self._validators:
            root = dict(schema)
            # Local references (#/components/schemas/…) resolve against this root.
            root["components"] = self.doc["components"]
            self._validators[key] = jsonschema_rs.Draft202012Validator(root, validate_formats=True)
        return self._validators[key]

    def schema_errors(self, schema: dict, instance: Any, limit: int = 5) -> list[str]:
        errors = []
        for error in self.validator(schema).iter_errors(instance):
            where = "/".join(str(p) for p in error.instance_path) or "(root)"
            errors.append(f"{where}: {error.message}"[:300])
            if len(errors) >= limit:
                break
        return errors

    def component(self, name: str) -> dict:
        return {"$ref": f"#/components/schemas/{name}"}

    # -- requests -------------------------------------------------------------------------------

    def request_errors(self, method: str, path: str, body: Any, media_type: str = "application/json") -> list[str]:
        """Whether a request body the check sends as valid is valid by the document too."""
        op = self.operation(method, path)
        if op is None:
            return [f"{method} {path} is not in the document"]
        content = self.resolve(op.spec.get("requestBody", {})).get("content", {})
        if media_type not in content:
            return [f"{method} {op.template} documents no {media_type} body"]
        return self.schema_errors(content[media_type]["schema"], body)

    # -- responses ------------------------------------------------------------------------------

    def check_response(self, method: str, path: str, status: int, headers: dict[str, str], body: bytes) -> Verdict:
        """Checks one answer. `headers` keys are matched case-insensitively; `body` is decoded bytes."""
        verdict = Verdict()
        op = self.operation(method, path)
        if op is None:
            verdict.add(f"{method} {path} matches no operation of the document")
            return verdict
        responses = op.spec.get("responses", {})
        documented = responses.get(str(status)) or responses.get(f"{str(status)[0]}XX") or responses.get("default")
        if documented is None:
            verdict.add(f"status {status} is not documented for {method} {op.template} (documented: {', '.join(responses)})")
            return verdict
        response = self.resolve(documented)
        lower = {k.lower(): v for k, v in headers.items()}
        self._check_headers(response, lower, verdict)
        self._check_body(response, lower, body, verdict, f"{method} {op.template} {status}")
        return verdict

    def _check_headers(self, response: dict, headers: dict[str, str], verdict: Verdict) -> None:
        for name, header in (response.get("headers") or {}).items():
            header = self.resolve(header)
            value = headers.get(name.lower())
            if value is None:
                if header.get("required"):
                    verdict.add(f"required header {name} is missing")
                continue
            if "schema" in header:
                for error in self.schema_errors(header["schema"], value):
                    verdict.add(f"header {name}: {error}")

    def _check_body(self, response: dict, headers: dict[str, str], body: bytes, verdict: Verdict, what: str) -> None:
        content = response.get("content")
        content_type = headers.get("content-type")
        if not content:
            if body:
                verdict.add(f"{what}: documented without content, but {len(body)} bytes came")
            return
        if content_type is None:
            verdict.add(f"{what}: no Content-Type (documented: {', '.join(content)})")
            return
        media = content_type.split(";")[0].strip().lower()
        match = next((m for m in content if m.lower() == media), None)
        if match is None:
            match = next((m for m in content if m.endswith("/*") and media.startswith(m[:-1].lower())), None)
        if match is None:
            verdict.add(f"{what}: Content-Type {content_type} is not documented (documented: {', '.join(content)})")
            return
        schema = content[match].get("schema")
        if schema is None:
            return
        if media == "application/json" or media.endswith("+json"):
            try:
                instance = json.loads(body.decode("utf-8"))
            except (UnicodeDecodeError, ValueError) as error:
                verdict.add(f"{what}: the body is not JSON ({error})")
                return
        else:
            try:
                instance = body.decode("utf-8")
            except UnicodeDecodeError:
                verdict.add(f"{what}: the body is not UTF-8 text")
                return
        for error in self.schema_errors(schema, instance):
            verdict.add(f"{what}: body {error}")

    def check_error_body(self, headers: dict[str, str], body: bytes) -> list[str]:
        """For answers no operation documents (an unknown path, a method a route lacks): the Error shape."""
        lower = {k.lower(): v for k, v in headers.items()}
        media = (lower.get("content-type") or "").split(";")[0].strip()
        if media != "application/json":
            return [f"Content-Type {lower.get('content-type')!r}, not application/json"]
        try:
            instance = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            return [f"the body is not JSON ({error})"]
        return self.schema_errors(self.component("Error"), instance)
