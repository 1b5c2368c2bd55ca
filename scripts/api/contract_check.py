#!/usr/bin/env python3
"""The hub's real answers against docs/openapi.yaml.

Starts a real hub (init, 50 sample dossiers and two small portfolios, agents and a supervisor,
`serve` on a free loopback port), enrolls devices over `POST /v1/enroll`, syncs real ops, looks
dossiers up, reads every report as JSON and CSV, logs in to the dashboard and reads every page,
and sends bad requests of every kind. Each answer's status is compared with what the hub must
answer, and its status, Content-Type, headers and body are validated against the document.
The hub's CA (DATA/ca.pem) is the only one trusted; verification is never switched off.

Prints one line per check and `N passed, N failed`; exits 1 on any failure.

    scripts/api/contract_check.py [--bin .build/debug] [--spec docs/openapi.yaml] [--keep] [-v]
"""
from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import socket
import ssl
import sys
import time
import uuid
from typing import Any, Callable
from urllib.parse import quote, urlsplit

sys.dont_write_bytecode = True  # no __pycache__ left in the work tree
_VENV = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), ".venv-api")
if os.path.realpath(sys.prefix) != os.path.realpath(_VENV) and os.access(os.path.join(_VENV, "bin", "python"), os.X_OK):
    # Run as `scripts/api/….py`: go on in the environment `make deps` made (schemathesis, jsonschema_rs).
    os.execv(os.path.join(_VENV, "bin", "python"), [os.path.join(_VENV, "bin", "python"), *sys.argv])
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from live_hub import LiveHub, enrollment_secret, stop_on_sigterm  # noqa: E402
from openapi_check import Spec  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def stamp(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def today(offset_days: int = 0) -> str:
    return (utc_now() + dt.timedelta(days=offset_days)).strftime("%Y-%m-%d")


class Device:
    """An enrolled device that records ops as the client does (UUID, device_seq, HLC stamp)."""

    def __init__(self, enrolled: dict):
        self.id = enrolled["device_id"]
        self.token = enrolled["device_token"]
        self.agent = enrolled["agent"]
        self.seq = 0
        self.millis = 0
        self.counter = 0
        self.cursor = 0

    @property
    def auth(self) -> dict:
        return {"Authorization": "Bearer " + self.token}

    def op(self, kind: str, dossier_id: str, payload: dict, **override: Any) -> dict:
        self.seq += 1
        now = utc_now()
        millis = int(now.timestamp() * 1000)
        if millis > self.millis:
            self.millis, self.counter = millis, 0
        else:
            self.counter += 1
        op = {"id": str(uuid.uuid4()), "device_seq": self.seq, "kind": kind, "dossier_id": dossier_id,
              "recorded_at": stamp(now), "hlc": f"{self.millis:015d}-{self.counter:06d}-{self.id}", "payload": payload}
        op.update(override)
        return op


class Contract:
    def __init__(self, spec: Spec, hub: LiveHub, verbose: bool):
        self.spec = spec
        self.hub = hub
        self.verbose = verbose
        self.passed = 0
        self.failed: list[str] = []

    # -- recording ------------------------------------------------------------------------------

    def record(self, name: str, problems: list[str], detail: str = "") -> bool:
        if problems:
            self.failed.append(name)
            print(f"FAIL {name}")
            for problem in problems:
                print(f"       {problem}")
            if detail:
                print(f"       answer: {detail[:400]}")
        else:
            self.passed += 1
            if self.verbose:
                print(f"ok   {name}")
        return not problems

    def call(self, name: str, method: str, path: str, *, expect: int, code: str | None = None,
             body_valid: bool = False, check: Callable[[Any], list[str] | None] | None = None, **kwargs: Any):
        """One request: the expected status (and error code), then the document's verdict on the answer."""
        problems: list[str] = []
        if body_valid and "json" in kwargs:
            problems += [f"request body not valid by the document: {e}" for e in self.spec.request_errors(method, path.split("?")[0], kwargs["json"])]
        try:
            response = self.hub.request(method, path, **kwargs)
        except Exception as error:  # a reset connection is a failure too
            self.record(name, [f"no answer: {type(error).__name__}: {error}"])
            return None
        sent_path = urlsplit(response.request.url).path
        problems += self.expectations(response.status_code, response.headers, response.content, expect, code)
        problems += self.spec.check_response(method, sent_path, response.status_code, dict(response.headers), response.content).problems
        if check and response.status_code == expect:
            try:
                problems += check(response) or []
            except Exception as error:
                problems.append(f"check raised {type(error).__name__}: {error}")
        self.record(name, problems, f"{response.status_code} {response.headers.get('content-type')} {response.text[:300]!r}")
        return response

    @staticmethod
    def expectations(status: int, headers: Any, body: bytes, expect: int, code: str | None) -> list[str]:
        problems = []
        if status != expect:
            problems.append(f"status {status}, expected {expect}")
        if code is not None:
            try:
                got = json.loads(body)["error"]["code"]
            except Exception:
                got = None
            if got != code:
                problems.append(f"error code {got!r}, expected {code!r}")
        return problems

    def raw(self, name: str, request: bytes, *, method: str, path: str, expect: int, code: str | None = None,
            documented: bool = True) -> None:
        """A request written byte by byte over TLS (framing the requests library will not send)."""
        try:
            status, headers, body = raw_exchange(self.hub, request)
        except Exception as error:
            self.record(name, [f"no answer: {type(error).__name__}: {error}"])
            return
        problems = self.expectations(status, headers, body, expect, code)
        if documented:
            problems += self.spec.check_response(method, path, status, headers, body).problems
        else:
            problems += [f"error shape: {e}" for e in self.spec.check_error_body(headers, body)]
        self.record(name, problems, f"{status} {headers.get('content-type')} {body[:300]!r}")

    def undocumented(self, name: str, method: str, path: str, *, expect: int, code: str, **kwargs: Any) -> None:
        """A path or method no operation has: the Error shape all the same."""
        response = self.hub.request(method, path, **kwargs)
        problems = self.expectations(response.status_code, response.headers, response.content, expect, code if method != "HEAD" else None)
        if method == "HEAD":
            if (response.headers.get("content-type") or "").split(";")[0] != "application/json":
                problems.append(f"Content-Type {response.headers.get('content-type')!r}")
        else:
            problems += [f"error shape: {e}" for e in self.spec.check_error_body(dict(response.headers), response.content)]
        self.record(name, problems, f"{response.status_code} {response.text[:200]!r}")


def raw_exchange(hub: LiveHub, request: bytes, timeout: float = 15) -> tuple[int, dict[str, str], bytes]:
    context = ssl.create_default_context(cafile=hub.ca_file)
    with socket.create_connection(("127.0.0.1", hub.port), timeout=timeout) as plain:
        with context.wrap_socket(plain, server_hostname="127.0.0.1") as tls:
            tls.sendall(request)
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = tls.recv(65536)
                if not chunk:
                    break
                data += chunk
            head, _, body = data.partition(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            status = int(lines[0].split()[1])
            headers = {}
            for line in lines[1:]:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            length = int(headers.get("content-length", "0"))
            while len(body) < length:
                chunk = tls.recv(65536)
                if not chunk:
                    break
                body += chunk
            return status, headers, body[:length]


# ------------------------------------------------------------------------------------------------
# The scene


def set_scene(hub: LiveHub) -> dict:
    hub.init()
    hub.import_sample("ACME", 50, seed=7)
    hub.import_csv("BETA", "reference,debtor_name,amount_due,currency,due_date\n"
                           "B-0001,Paul Martin,120.00,EUR,2026-03-01\nB-0002,Anne Morel,75.50,EUR,2026-04-15\n")
    # A reference that ACME also has: looked up bare, it is ambiguous for an agent of both.
    hub.import_csv("GAMMA", "reference,debtor_name,amount_due,currency,due_date\n"
                            "D-000001,Jean Dupont,310.00,EUR,2026-02-10\nG-0001,Marie Curie,42.00,EUR,2026-05-20\n")
    tokens = {}
    tokens["camille"], _ = hub.add_agent("camille", "Camille Rousseau", "--portfolios", "ACME,GAMMA", "--capacity", "20",
                                         "--team", "paris")
    tokens["hugo"], _ = hub.add_agent("hugo", "Hugo Lefèvre", "--portfolios", "ACME", "--capacity", "5")
    tokens["rita"], _ = hub.add_agent("rita", "Rita Retired", "--portfolios", "ACME", "--capacity", "3")
    tokens["rob"], _ = hub.add_agent("rob", "Rob Revoked", "--portfolios", "ACME", "--capacity", "3")
    tokens["claire"], password = hub.add_agent("claire", "Claire Petit", "--role", "supervisor", "--team", "paris")
    tokens["sam"], sam_password = hub.add_agent("sam", "Sam Demoted", "--role", "supervisor")
    # Three weeks of generated work on BANQUE-SUD and TELCO-EST (calls, promises kept and broken,
    # plans, disputes, payments), so the answers carry every kind of history the hub writes.
    hub.cli("sample-activity", "--agents", "3", "--days", "21", "--dossiers", "40")
    tokens["hist"], _ = hub.add_agent("hist", "Hélène Historique", "--portfolios", "BANQUE-SUD,TELCO-EST", "--capacity", "30")
    hub.start()
    return {"tokens": tokens, "password": password, "sam_password": sam_password}


# ------------------------------------------------------------------------------------------------
# The checks


def check_operations(c: Contract) -> None:
    c.call("GET /healthz", "GET", "/healthz", expect=200)
    c.call("GET /readyz", "GET", "/readyz", expect=200)
    c.call("GET /metrics", "GET", "/metrics", expect=200,
           check=lambda r: [] if "homeshore_" in r.text else ["no homeshore_ metric in the exposition"])


def check_enroll(c: Contract, scene: dict) -> dict[str, Device]:
    tokens = scene["tokens"]
    devices: dict[str, Device] = {}

    def enrolled(login: str) -> Callable:
        def keep(response) -> list[str]:
            devices[login] = Device(response.json())
            return [] if response.json()["agent"] == login else [f"agent {response.json()['agent']!r}"]
        return keep

    body = {"secret": enrollment_secret(tokens["camille"]), "device_name": "laptop-camille"}
    c.call("enroll: camille's laptop", "POST", "/v1/enroll", expect=200, json=body, body_valid=True, check=enrolled("camille"))
    c.call("enroll: the same secret again is 401 secret_used", "POST", "/v1/enroll", expect=401, code="secret_used", json=body)
    # gzip-encoded, as the client may send it.
    raw = json.dumps({"secret": enrollment_secret(tokens["hugo"]), "device_name": "laptop-hugo"}).encode()
    c.call("enroll: a gzip body (hugo)", "POST", "/v1/enroll", expect=200, data=gzip.compress(raw),
           headers={"Content-Type": "application/json", "Content-Encoding": "gzip"}, check=enrolled("hugo"))
    for login in ("rita", "rob", "claire", "hist"):
        c.call(f"enroll: {login}", "POST", "/v1/enroll", expect=200, body_valid=True,
               json={"secret": enrollment_secret(tokens[login]), "device_name": f"laptop-{login}"}, check=enrolled(login))

    sam = enrollment_secret(tokens["sam"])
    c.call("enroll: device_name only blanks is 400 invalid_device_name", "POST", "/v1/enroll", expect=400, code="invalid_device_name",
           json={"secret": sam, "device_name": "   "})
    c.call("enroll: device_name of 101 characters is 400", "POST", "/v1/enroll", expect=400, code="invalid_device_name",
           json={"secret": sam, "device_name": "x" * 101})
    c.call("enroll: device_name missing is 400 invalid_json", "POST", "/v1/enroll", expect=400, code="invalid_json", json={"secret": sam})
    c.call("enroll: secret a number is 400 invalid_json", "POST", "/v1/enroll", expect=400, code="invalid_json",
           json={"secret": 12, "device_name": "x"})
    c.call("enroll: not JSON is 400 invalid_json", "POST", "/v1/enroll", expect=400, code="invalid_json", data=b"{secret:",
           headers={"Content-Type": "application/json"})
    c.call("enroll: text/plain is 415", "POST", "/v1/enroll", expect=415, code="unsupported_media_type",
           data=json.dumps({"secret": sam, "device_name": "x"}), headers={"Content-Type": "text/plain"})
    c.call("enroll: Content-Encoding br is 415", "POST", "/v1/enroll", expect=415, code="unsupported_media_type",
           data=b"{}", headers={"Content-Type": "application/json", "Content-Encoding": "br"})
    c.call("enroll: bad gzip is 400 invalid_gzip", "POST", "/v1/enroll", expect=400, code="invalid_gzip", data=b"\x1f\x8bnot gzip at all",
           headers={"Content-Type": "application/json", "Content-Encoding": "gzip"})
    big = b'{"secret":"' + b"a" * (8 * 1024 * 1024 + 10) + b'","device_name":"x"}'
    c.call("enroll: a body over 8 MiB is 413", "POST", "/v1/enroll", expect=413, code="body_too_large", data=big,
           headers={"Content-Type": "application/json"})
    bomb = gzip.compress(b'{"secret":"' + b"a" * (9 * 1024 * 1024) + b'","device_name":"x"}')
    c.call("enroll: gzip over 8 MiB once decompressed is 413", "POST", "/v1/enroll", expect=413, code="body_too_large", data=bomb,
           headers={"Content-Type": "application/json", "Content-Encoding": "gzip"})
    # Failed attempts: an empty secret, one too long, an unknown one (each counts towards the limit).
    c.call("enroll: empty secret is 401 invalid_secret", "POST", "/v1/enroll", expect=401, code="invalid_secret",
           json={"secret": "", "device_name": "x"})
    c.call("enroll: secret of 201 characters is 401 invalid_secret", "POST", "/v1/enroll", expect=401, code="invalid_secret",
           json={"secret": "s" * 201, "device_name": "x"})
    c.call("enroll: unknown secret is 401 invalid_secret", "POST", "/v1/enroll", expect=401, code="invalid_secret",
           json={"secret": "not-a-secret-of-this-hub", "device_name": "x"})
    return devices


def scope_of(sync_answer: dict, login: str) -> list[dict]:
    return [u["dossier"] for u in sync_answer["upserts"] if u["dossier"].get("assigned_to") == login]


def check_sync(c: Contract, devices: dict[str, Device], hub: LiveHub) -> dict:
    camille = devices["camille"]
    found: dict = {}

    c.call("sync: no Authorization is 401 missing_token", "POST", "/v1/sync", expect=401, code="missing_token", json={"cursor": 0, "ops": []})
    c.call("sync: Basic credentials are 401 missing_token", "POST", "/v1/sync", expect=401, code="missing_token",
           json={"cursor": 0, "ops": []}, headers={"Authorization": "Basic Y2FtaWxsZTp4"})
    c.call("sync: an unknown token is 401 invalid_token", "POST", "/v1/sync", expect=401, code="invalid_token",
           json={"cursor": 0, "ops": []}, headers={"Authorization": "Bearer " + "A" * 43})
    c.call("sync: a token of 201 characters is 401 invalid_token", "POST", "/v1/sync", expect=401, code="invalid_token",
           json={"cursor": 0, "ops": []}, headers={"Authorization": "Bearer " + "A" * 201})

    def first_page(response) -> list[str]:
        answer = response.json()
        found["first"] = answer
        camille.cursor = answer["cursor"]
        mine = scope_of(answer, "camille")
        if len(mine) != 20:
            return [f"camille holds {len(mine)} dossiers, expected 20 (capacity)"]
        if not answer.get("portfolios"):
            return ["no portfolio policies in the first page"]
        return []

    c.call("sync: first pull (empty batch, cursor 0)", "POST", "/v1/sync", expect=200, body_valid=True,
           json={"cursor": 0, "ops": [], "queued": 0}, headers=camille.auth, check=first_page)
    mine = scope_of(found.get("first", {"upserts": []}), "camille")
    if len(mine) < 12:
        c.record("sync: enough dossiers to record ops on", [f"only {len(mine)}"])
        return found
    found["mine"] = mine
    ids = [d["id"] for d in mine]

    ops = [
        camille.op("call", ids[0], {"outcome": "right-party", "duration_seconds": 150, "wrap_up_seconds": 30,
                                    "text": "Débiteur joint, rappel de la mise en demeure", "at": stamp(utc_now())}),
        camille.op("note", ids[1], {"text": "Le débiteur demande un courrier récapitulatif."}),
        camille.op("contact", ids[2], {"phone": "+33 6 12 34 56 78", "email": "nouveau@example.fr", "address": "3 rue de la Paix, Paris"}),
        camille.op("callback", ids[3], {"at": stamp(utc_now() + dt.timedelta(days=1))}),
        camille.op("promise", ids[4], {"amount": 12345, "due": today(7)}),
        camille.op("plan", ids[5], {"instalments": 3, "amount": 5000, "every": "1m", "due": today(10)}),
        camille.op("dispute", ids[6], {"reason": "already-paid", "text": "Paiement par virement le mois dernier."}),
        camille.op("call", ids[7], {"outcome": "promise", "duration_seconds": 200, "amount": 9900, "due": today(3)}),
        camille.op("call", ids[8], {"outcome": "no-answer", "duration_seconds": 0}),
    ]
    batch = {"cursor": camille.cursor, "ops": ops, "queued": 2, "oldest_queued_at": stamp(utc_now())}

    def all_applied(response) -> list[str]:
        results = response.json()["results"]
        wrong = [f"{r['id'][:8]} {r['status']} {r.get('code')} {r.get('reason', '')[:80]}" for r in results if r["status"] != "applied"]
        if len(results) != len(ops):
            wrong.append(f"{len(results)} results for {len(ops)} ops")
        camille.cursor = response.json()["cursor"]
        found["after_ops"] = response.json()
        return wrong

    c.call("sync: one op of every kind is applied", "POST", "/v1/sync", expect=200, body_valid=True, json=batch,
           headers=camille.auth, check=all_applied)

    def all_duplicate(response) -> list[str]:
        return [f"{r['id'][:8]} {r['status']}" for r in response.json()["results"] if r["status"] != "duplicate"]

    c.call("sync: the same batch again is all duplicate", "POST", "/v1/sync", expect=200, json=batch, headers=camille.auth,
           check=all_duplicate)

    def events_pulled(response) -> list[str]:
        changes = response.json()["upserts"]
        return [] if changes or response.json()["cursor"] >= camille.cursor else ["nothing pulled after the ops"]

    c.call("sync: pull from cursor 0 again sees the merged events", "POST", "/v1/sync", expect=200,
           json={"cursor": 0, "ops": []}, headers=camille.auth, check=events_pulled)

    # gzip both ways: a compressed request, and a compressed answer when asked for.
    c.call("sync: a gzip request and a gzip answer", "POST", "/v1/sync", expect=200,
           data=gzip.compress(json.dumps({"cursor": 0, "ops": []}).encode()),
           headers={**camille.auth, "Content-Type": "application/json", "Content-Encoding": "gzip", "Accept-Encoding": "gzip"},
           check=lambda r: [] if r.headers.get("content-encoding") == "gzip" else ["the answer was not gzip-compressed"])

    # Each op outside its bounds is rejected with a code; the rest of the batch goes through.
    bad = [
        (camille.op("note", ids[9], {"text": "x"}, id="not-a-uuid"), "invalid_op_id"),
        (camille.op("teleport", ids[9], {}), "unknown_op_kind"),
        (camille.op("note", ids[9], {"text": "x" * 4001}), "too_long"),
        (camille.op("note", ids[9], {"text": "   "}), "missing_note"),
        (camille.op("call", ids[9], {"outcome": "no-answer", "duration_seconds": 4 * 3600 + 1}), "invalid_duration"),
        (camille.op("call", ids[9], {"outcome": "no-answer", "wrap_up_seconds": 3601}), "invalid_wrap_up"),
        (camille.op("call", ids[9], {"outcome": "shouting"}), "unknown_outcome"),
        (camille.op("call", ids[9], {}), "missing_outcome"),
        (camille.op("promise", ids[9], {"amount": 0, "due": today(5)}), "invalid_amount"),
        (camille.op("promise", ids[9], {"amount": 100_000_000_001, "due": today(5)}), "invalid_amount"),
        (camille.op("promise", ids[9], {"amount": 100, "due": "2026-02-30"}), "invalid_date"),
        (camille.op("promise", ids[9], {"amount": 100, "due": today(-30)}), "date_in_past"),
        (camille.op("promise", ids[9], {"amount": 100, "due": today(800)}), "date_too_far"),
        (camille.op("plan", ids[9], {"instalments": 61, "amount": 100, "every": "1m", "due": today(5)}), "invalid_instalments"),
        (camille.op("plan", ids[9], {"instalments": 2, "amount": 100, "every": "3d", "due": today(5)}), "invalid_step"),
        (camille.op("contact", ids[9], {}), "empty_contact"),
        (camille.op("contact", ids[9], {"phone": "call me maybe"}), "invalid_phone"),
        (camille.op("contact", ids[9], {"email": "nobody"}), "invalid_email"),
        (camille.op("contact", ids[9], {"address": "a" * 301}), "too_long"),
        (camille.op("callback", ids[9], {}), "missing_time"),
        (camille.op("callback", ids[9], {"at": "tomorrow"}), "invalid_time"),
        (camille.op("callback", ids[9], {"at": "2150-01-01T10:00:00Z"}), "invalid_time"),
        (camille.op("dispute", ids[9], {"reason": "moon"}), "unknown_reason"),
        (camille.op("note", ids[9], {"text": "x"}, recorded_at="yesterday"), "invalid_time"),
        (camille.op("note", ids[9], {"text": "x"}, hlc="12-3-node"), "invalid_op"),
        (camille.op("note", ids[9], {"text": "x"}, device_seq=0), "invalid_op"),
        (camille.op("note", str(uuid.uuid4()), {"text": "x"}), "unknown_dossier"),
    ]
    good = camille.op("note", ids[10], {"text": "Valid op in a batch of refusals."})

    def rejections(response) -> list[str]:
        by_id = {}
        for result in response.json()["results"]:
            by_id.setdefault(result["id"], []).append(result)
        problems = []
        for op, code in bad:
            got = by_id.get(op["id"], [{}])[0]
            if got.get("status") != "rejected" or got.get("code") != code:
                problems.append(f"{op['kind']} {json.dumps(op['payload'])[:60]}: {got.get('status')} {got.get('code')}, expected rejected {code}")
        if by_id.get(good["id"], [{}])[0].get("status") != "applied":
            problems.append(f"the valid op of the batch: {by_id.get(good['id'])}")
        return problems

    c.call("sync: ops out of bounds are rejected one by one, the valid one applied", "POST", "/v1/sync", expect=200,
           json={"cursor": camille.cursor, "ops": [op for op, _ in bad] + [good]}, headers=camille.auth, check=rejections)

    # The batch as a whole: 400 for its shape.
    c.call("sync: negative cursor is 400 invalid_cursor", "POST", "/v1/sync", expect=400, code="invalid_cursor",
           json={"cursor": -1, "ops": []}, headers=camille.auth)
    c.call("sync: 501 ops is 400 too_many_ops", "POST", "/v1/sync", expect=400, code="too_many_ops",
           json={"cursor": 0, "ops": [camille.op("note", ids[11], {"text": "x"}) for _ in range(501)]}, headers=camille.auth)
    c.call("sync: cursor a string is 400 invalid_json", "POST", "/v1/sync", expect=400, code="invalid_json",
           json={"cursor": "0", "ops": []}, headers=camille.auth)
    c.call("sync: ops missing is 400 invalid_json", "POST", "/v1/sync", expect=400, code="invalid_json",
           json={"cursor": 0}, headers=camille.auth)
    c.call("sync: an op without payload is 400 invalid_json", "POST", "/v1/sync", expect=400, code="invalid_json",
           json={"cursor": 0, "ops": [{k: v for k, v in camille.op("note", ids[11], {}).items() if k != "payload"}]}, headers=camille.auth)
    c.call("sync: amount beyond 64 bits is 400 invalid_json", "POST", "/v1/sync", expect=400, code="invalid_json",
           json={"cursor": 0, "ops": [camille.op("promise", ids[11], {"amount": 2 ** 70, "due": today(5)})]}, headers=camille.auth)
    c.call("sync: a JSON array body is 400 invalid_json", "POST", "/v1/sync", expect=400, code="invalid_json",
           json=[], headers=camille.auth)
    c.call("sync: form-encoded is 415", "POST", "/v1/sync", expect=415, code="unsupported_media_type",
           data="cursor=0", headers={**camille.auth, "Content-Type": "application/x-www-form-urlencoded"})
    return found


def check_known_defects(c: Contract, devices: dict[str, Device], found: dict) -> None:
    """Defects of issue 9 the lead is fixing; each check states what the contract requires."""
    camille = devices["camille"]
    mine = found.get("mine") or []
    if len(mine) < 16:
        c.record("known defects: dossiers to work on", ["no scope"])
        return
    ids = [d["id"] for d in mine]

    # Issue 9 #7: broken chunked framing is a 400 in the error shape, not a 500.
    head = (f"POST /v1/sync HTTP/1.1\r\nHost: 127.0.0.1:{c.hub.port}\r\nAuthorization: Bearer {camille.token}\r\n"
            "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
    c.raw("issue 9 #7: chunk size 'zz' is 400 malformed_request", (head + "zz\r\n{}\r\n0\r\n\r\n").encode(),
          method="POST", path="/v1/sync", expect=400, code="malformed_request")

    # Issue 9 #11: a gzip body cut before its trailer is refused.
    whole = gzip.compress(json.dumps({"cursor": 0, "ops": [camille.op("note", ids[12], {"text": "cut gzip"})]}).encode())
    c.call("issue 9 #11: gzip cut before its trailer is 400 invalid_gzip", "POST", "/v1/sync", expect=400, code="invalid_gzip",
           data=whole[:-8], headers={**camille.auth, "Content-Type": "application/json", "Content-Encoding": "gzip"})

    # Issue 9 #3: an op id in upper case, then the same id in lower case: one op, never a 500.
    upper = camille.op("note", ids[13], {"text": "upper-case id"})
    upper["id"] = upper["id"].upper()
    c.call("issue 9 #3: an upper-case op id is applied", "POST", "/v1/sync", expect=200, json={"cursor": 0, "ops": [upper]},
           headers=camille.auth, check=lambda r: [] if r.json()["results"][0]["status"] == "applied" else [str(r.json()["results"])])
    lower = dict(upper, id=upper["id"].lower(), device_seq=camille.seq + 1)
    camille.seq += 1
    c.call("issue 9 #3: the same id in lower case is a duplicate, not a 500", "POST", "/v1/sync", expect=200,
           json={"cursor": 0, "ops": [lower]}, headers=camille.auth,
           check=lambda r: [] if r.json()["results"][0]["status"] in ("duplicate", "rejected") else [str(r.json()["results"])])

    # Issue 9 #1: a far-future clock stamp is refused or clamped, never stored.
    future = camille.op("contact", ids[14], {"phone": "01 23 45 67 89"}, hlc=f"999999999999999-999999-{camille.id}")

    def not_stored(response) -> list[str]:
        result = response.json()["results"][0]
        if result["status"] == "rejected":
            return []
        limit = int((utc_now() + dt.timedelta(days=1)).timestamp() * 1000)
        for change in response.json()["upserts"]:
            if change["dossier"]["id"] == ids[14]:
                clock = change["dossier"]["field_clocks"].get("phone", "")
                if clock and int(clock.split("-")[0]) > limit:
                    return [f"stored the stamp {clock[:40]}"]
        return []

    c.call("issue 9 #1: a far-future hlc is refused or clamped", "POST", "/v1/sync", expect=200,
           json={"cursor": 0, "ops": [future]}, headers=camille.auth, check=not_stored)

    # Issue 9 #5: signs inside dates and times are refused.
    signed = [
        camille.op("promise", ids[15], {"amount": 100, "due": f"{int(today(0)[:4]) + 1}-+1-+5"}),
        camille.op("callback", ids[15], {"at": f"{today(1)}T10:-5:00Z"}),
    ]

    def all_rejected(response) -> list[str]:
        return [f"{r['status']} {r.get('code')}" for r in response.json()["results"] if r["status"] != "rejected"]

    c.call("issue 9 #5: signed digits in a due date and a time are rejected", "POST", "/v1/sync", expect=200,
           json={"cursor": 0, "ops": signed}, headers=camille.auth, check=all_rejected)

    # Issue 9 #6: an op recorded in 1901 (before the device existed) is rejected.
    old = camille.op("note", ids[15], {"text": "from 1901"}, recorded_at="1901-03-01T10:00:00.000Z")
    c.call("issue 9 #6: an op recorded in 1901 is rejected", "POST", "/v1/sync", expect=200, json={"cursor": 0, "ops": [old]},
           headers=camille.auth, check=all_rejected)


def check_lookup(c: Contract, devices: dict[str, Device], found: dict) -> None:
    camille = devices["camille"]
    mine = found.get("mine") or []
    if not mine:
        c.record("lookup: camille's scope is known", ["the first sync gave no scope"])
        return
    held = {d["reference"] for d in mine}
    pool = next(f"D-{n:06d}" for n in range(2, 51) if f"D-{n:06d}" not in held)
    own = sorted(held - {"D-000001"})[0]

    def whole(reference: str) -> Callable:
        def check(response) -> list[str]:
            change = response.json()
            problems = [] if change["whole"] else ["whole is false"]
            if change["dossier"]["reference"] != reference:
                problems.append(f"reference {change['dossier']['reference']}")
            return problems
        return check

    c.call("lookup: a dossier camille holds", "GET", f"/v1/dossiers/{own}", expect=200, headers=camille.auth, check=whole(own))
    c.call("lookup: a dossier of her portfolio in the pool", "GET", f"/v1/dossiers/{pool}", expect=200, headers=camille.auth,
           check=whole(pool))
    c.call("lookup: PORTFOLIO%2FREF", "GET", "/v1/dossiers/GAMMA%2FG-0001", expect=200, headers=camille.auth, check=whole("G-0001"))
    c.call("lookup: ?portfolio= picks one of two", "GET", "/v1/dossiers/D-000001?portfolio=GAMMA", expect=200, headers=camille.auth,
           check=whole("D-000001"))
    c.call("lookup: a reference in two of her portfolios is 400 ambiguous_reference", "GET", "/v1/dossiers/D-000001", expect=400,
           code="ambiguous_reference", headers=camille.auth)
    c.call("lookup: another portfolio's dossier is 403 forbidden", "GET", "/v1/dossiers/B-0001", expect=403, code="forbidden",
           headers=camille.auth)
    c.call("lookup: an unknown reference is 404 unknown_dossier", "GET", "/v1/dossiers/NOPE-1", expect=404, code="unknown_dossier",
           headers=camille.auth)
    phone = next((d.get("phone") for d in mine if d.get("phone")), "06 10 01 53 79")
    c.call("lookup: a phone number is read as a reference (404)", "GET", "/v1/dossiers/" + quote(phone, safe=""), expect=404,
           code="unknown_dossier", headers=camille.auth)
    c.call("lookup: a debtor's name is read as a reference (404)", "GET", "/v1/dossiers/" + quote(mine[0]["debtor_name"], safe=""),
           expect=404, code="unknown_dossier", headers=camille.auth)
    c.call("lookup: wrong portfolio is 404", "GET", f"/v1/dossiers/{own}?portfolio=GAMMA", expect=404, code="unknown_dossier",
           headers=camille.auth)
    c.call("lookup: 201 characters is 400 invalid_reference", "GET", "/v1/dossiers/" + "R" * 201, expect=400, code="invalid_reference",
           headers=camille.auth)
    c.call("lookup: an undecodable %zz is read as it is (404)", "GET", "/v1/dossiers/%zz", expect=404, code="unknown_dossier",
           headers=camille.auth)
    c.call("lookup: portfolio of 201 characters is 400 invalid_portfolio", "GET", f"/v1/dossiers/{own}?portfolio=" + "P" * 201,
           expect=400, code="invalid_portfolio", headers=camille.auth)
    c.call("lookup: no token is 401 missing_token", "GET", f"/v1/dossiers/{own}", expect=401, code="missing_token")
    c.call("lookup: a supervisor's device (no portfolios) is 403", "GET", f"/v1/dossiers/{own}", expect=403, code="forbidden",
           headers=devices["claire"].auth)


REPORTS = ["agents", "portfolios", "promises", "disputes", "sync", "compliance", "dossiers"]


def check_reports(c: Contract, devices: dict[str, Device], session: str | None) -> None:
    claire = devices["claire"]

    def rows(response) -> list[str]:
        return [] if isinstance(response.json(), list) else ["not an array"]

    def csv(response) -> list[str]:
        problems = []
        if not response.content.startswith(b"\xef\xbb\xbf"):
            problems.append("no byte-order mark")
        if not response.headers.get("content-disposition", "").startswith("attachment;"):
            problems.append("no Content-Disposition attachment")
        return problems

    for name in REPORTS:
        # The creditor export is per portfolio.
        scope = "portfolio=ACME&" if name == "dossiers" else ""
        c.call(f"report {name} as JSON (supervisor's device)", "GET", f"/v1/reports/{name}?{scope}format=json", expect=200,
               headers=claire.auth, check=rows)
        c.call(f"report {name} as CSV", "GET", f"/v1/reports/{name}?{scope}format=csv", expect=200, headers=claire.auth, check=csv)
    c.call("report dossiers without a portfolio is 400 portfolio_required", "GET", "/v1/reports/dossiers", expect=400,
           code="portfolio_required", headers=claire.auth)
    period = f"from={today(-30)}&to={today(0)}"
    c.call("report agents for a period, a team, a portfolio", "GET", f"/v1/reports/agents?{period}&team=paris&portfolio=ACME&format=json",
           expect=200, headers=claire.auth, check=rows)
    c.call("report dossiers CSV of one portfolio", "GET", "/v1/reports/dossiers?portfolio=ACME&format=csv", expect=200,
           headers=claire.auth, check=lambda r: [] if "homeshore-dossiers-ACME" in r.headers.get("content-disposition", "") else
           [r.headers.get("content-disposition", "")])
    if session:
        c.call("report agents with a dashboard session", "GET", "/v1/reports/agents", expect=200, cookies={"hs_session": session},
               check=rows)
    c.call("report: an agent's device is 403", "GET", "/v1/reports/agents", expect=403, code="forbidden", headers=devices["camille"].auth)
    c.call("report: no credentials is 401 unauthenticated", "GET", "/v1/reports/agents", expect=401, code="unauthenticated")
    c.call("report: an unknown token is 401 invalid_token", "GET", "/v1/reports/agents", expect=401, code="invalid_token",
           headers={"Authorization": "Bearer nope"})
    c.call("report: an unknown session cookie is 401", "GET", "/v1/reports/agents", expect=401, code="unauthenticated",
           cookies={"hs_session": "A" * 43})
    c.call("report: an unknown name is 404 unknown_report", "GET", "/v1/reports/weather", expect=404, code="unknown_report",
           headers=claire.auth)
    c.call("report: format=xml is 400 invalid_format", "GET", "/v1/reports/agents?format=xml", expect=400, code="invalid_format",
           headers=claire.auth)
    c.call("report: from=2026-13-01 is 400 invalid_date", "GET", "/v1/reports/agents?from=2026-13-01", expect=400, code="invalid_date",
           headers=claire.auth)
    c.call("report: from after to is 400 invalid_period", "GET", f"/v1/reports/agents?from={today(0)}&to={today(-1)}", expect=400,
           code="invalid_period", headers=claire.auth)
    c.call("report: team of 201 characters is 400 invalid_team", "GET", "/v1/reports/agents?team=" + "t" * 201, expect=400,
           code="invalid_team", headers=claire.auth)
    c.call("report: portfolio of 201 characters is 400 invalid_portfolio", "GET", "/v1/reports/dossiers?portfolio=" + "p" * 201,
           expect=400, code="invalid_portfolio", headers=claire.auth)


PAGES = ["/", "/promises", "/portfolios", "/sync", "/compliance", "/dossiers", "/agents/camille"]


def check_dashboard(c: Contract, hub: LiveHub, scene: dict) -> str | None:
    password = scene["password"]
    c.call("GET /login (the form)", "GET", "/login?next=/promises", expect=200)
    c.call("POST /login with a wrong password is 401", "POST", "/login", expect=401,
           data={"login": "claire", "password": "wrong password", "next": "/"})
    c.call("POST /login from another site's form is 403", "POST", "/login", expect=403,
           data={"login": "claire", "password": password, "next": "/"}, headers={"Origin": "https://evil.example"})
    c.call("POST /login of 17 KiB is 413", "POST", "/login", expect=413, code="body_too_large",
           data={"login": "claire", "password": "p" * 17 * 1024})
    session: dict = {}

    def logged_in(response) -> list[str]:
        if "hs_session" not in response.cookies:
            return ["no hs_session cookie"]
        session["value"] = response.cookies["hs_session"]
        return [] if response.headers.get("location") == "/sync" else [f"Location {response.headers.get('location')}"]

    c.call("POST /login as claire is 303 with the session cookie", "POST", "/login", expect=303,
           data={"login": "claire", "password": password, "next": "/sync"}, check=logged_in)
    cookie = session.get("value")
    if not cookie:
        return None
    jar = {"hs_session": cookie}
    c.call("GET /login with a session is 303 to next", "GET", "/login?next=/portfolios", expect=303, cookies=jar,
           check=lambda r: [] if r.headers.get("location") == "/portfolios" else [str(r.headers.get("location"))])
    for page in PAGES + ["/agents/agent01", "/dossiers?portfolio=BANQUE-SUD", "/compliance?portfolio=TELCO-EST"]:
        c.call(f"GET {page} with a session", "GET", page, expect=200, cookies=jar)
        c.call(f"GET {page} without a session is 401 (the log-in form)", "GET", page, expect=401,
               check=lambda r: [] if 'name="password"' in r.text else ["no log-in form"])
    c.call("GET /dossiers?portfolio=ACME", "GET", "/dossiers?portfolio=ACME", expect=200, cookies=jar)
    c.call("GET /dossiers?q=D-0000", "GET", "/dossiers?q=D-0000", expect=200, cookies=jar)
    c.call("GET /dossiers/ACME/D-000002", "GET", "/dossiers/ACME/D-000002", expect=200, cookies=jar)
    c.call("GET /dossiers/ACME/NOPE is 404", "GET", "/dossiers/ACME/NOPE", expect=404, cookies=jar)
    c.call("GET /agents/nobody is 404", "GET", "/agents/nobody", expect=404, cookies=jar)
    c.call("GET /agents/(201 characters) is 400", "GET", "/agents/" + "a" * 201, expect=400, cookies=jar)
    period = f"from={today(-7)}&to={today(0)}&team=paris&portfolio=ACME"
    c.call("GET / for a period, a team and a portfolio", "GET", f"/?{period}", expect=200, cookies=jar)
    c.call("GET /promises?from=2026-02-30 is 400", "GET", "/promises?from=2026-02-30", expect=400, cookies=jar)
    c.call("GET /portfolios with from after to is 400", "GET", f"/portfolios?from={today(0)}&to={today(-3)}", expect=400, cookies=jar)
    c.call("GET /compliance?page=2", "GET", "/compliance?page=2", expect=200, cookies=jar)
    c.call("GET /compliance?page=abc is 400", "GET", "/compliance?page=abc", expect=400, cookies=jar)
    c.call("GET /sync?team=(201 characters) is 400", "GET", "/sync?team=" + "t" * 201, expect=400, cookies=jar)
    c.call("GET / with a device token but no session is 401", "GET", "/", expect=401,
           headers={"Authorization": "Bearer " + "A" * 43})

    # An account that is no longer a supervisor: its session reads 403, its log-in is refused 403.
    sam_cookie = None
    try:
        sam_cookie = hub.log_in("sam", scene["sam_password"])
        hub.cli("agent", "set", "sam", "--role", "agent")
    except Exception as error:
        c.record("sam logs in, then becomes an agent", [str(error)])
    if sam_cookie:
        c.call("GET / with an agent's session is 403", "GET", "/", expect=403, cookies={"hs_session": sam_cookie})
        c.call("report with an agent's session is 403", "GET", "/v1/reports/agents", expect=403, code="forbidden",
               cookies={"hs_session": sam_cookie})
        c.call("POST /login as an agent is 403", "POST", "/login", expect=403,
               data={"login": "sam", "password": scene["sam_password"], "next": "/"})

    # A second session, to log out.
    other = None
    try:
        other = hub.log_in("claire", password)
    except Exception as error:
        c.record("claire logs in a second time", [str(error)])
    if other:
        c.call("POST /logout from another site is 403", "POST", "/logout", expect=403, cookies={"hs_session": other},
               headers={"Origin": "https://evil.example"})
        c.call("POST /logout is 303 to /login, cookie expired", "POST", "/logout", expect=303, cookies={"hs_session": other})
        c.call("GET / after logging out is 401", "GET", "/", expect=401, cookies={"hs_session": other})
    c.call("POST /logout without a session is 303", "POST", "/logout", expect=303)
    return cookie


def check_retired_and_revoked(c: Contract, devices: dict[str, Device], hub: LiveHub) -> None:
    rita, rob = devices.get("rita"), devices.get("rob")
    if rita:
        answer: dict = {}

        def keep(response) -> list[str]:
            answer.update(response.json())
            return []

        c.call("sync: rita's first pull", "POST", "/v1/sync", expect=200, json={"cursor": 0, "ops": []}, headers=rita.auth, check=keep)
        held = scope_of(answer, "rita") if answer else []
        if not held:
            c.record("rita holds dossiers", ["none handed out"])
            return
        before = rita.op("note", held[0]["id"], {"text": "recorded before retirement, sent after"})
        time.sleep(0.05)
        hub.cli("agent", "retire", "rita")
        time.sleep(0.05)
        after = rita.op("note", held[0]["id"], {"text": "recorded after retirement"})
        c.call("lookup: a retired device is 403 forbidden", "GET", f"/v1/dossiers/{held[0]['reference']}", expect=403, code="forbidden",
               headers=rita.auth)

        def handed_in(response) -> list[str]:
            answer = response.json()
            results = {r["id"]: r for r in answer["results"]}
            problems = [] if answer["wipe"] is True and answer["upserts"] == [] else ["wipe is not true, or upserts came"]
            if results.get(before["id"], {}).get("status") != "applied":
                problems.append(f"op recorded before retirement: {results.get(before['id'])}")
            got = results.get(after["id"], {})
            if (got.get("status"), got.get("code")) != ("rejected", "recorded_after_retirement"):
                problems.append(f"issue 9 #4: op recorded after retirement: {got}")
            return problems

        c.call("sync: a retired device hands in what it recorded before, is told to wipe", "POST", "/v1/sync", expect=200,
               json={"cursor": answer.get("cursor", 0), "ops": [before, after], "queued": 0}, headers=rita.auth, check=handed_in)
        c.call("sync: then its token is refused, 401 device_retired", "POST", "/v1/sync", expect=401, code="device_retired",
               json={"cursor": 0, "ops": []}, headers=rita.auth)
        c.call("lookup: then 401 device_retired", "GET", "/v1/dossiers/D-000003", expect=401, code="device_retired", headers=rita.auth)
    if rob:
        hub.cli("agent", "revoke", "rob")
        c.call("sync: a revoked device is 401 device_revoked", "POST", "/v1/sync", expect=401, code="device_revoked",
               json={"cursor": 0, "ops": []}, headers=rob.auth)
        c.call("lookup: a revoked device is 401 device_revoked", "GET", "/v1/dossiers/D-000003", expect=401, code="device_revoked",
               headers=rob.auth)


def check_history(c: Contract, devices: dict[str, Device]) -> None:
    """Dossiers with weeks of history: every kind of event and settled work validates too."""
    hist, claire = devices.get("hist"), devices["claire"]
    if not hist:
        return
    kinds: set[str] = set()
    states: set[str] = set()

    def collect(change: dict) -> None:
        kinds.update(event["kind"] for event in change["events"])
        work = change["dossier"].get("work") or {}
        states.update("promise " + p["state"] for p in work.get("promises", []))
        states.update("plan " + p["state"] for p in work.get("plans", []))
        states.update("dispute " + d["state"] for d in work.get("disputes", []))
        if work.get("payments"):
            states.add("payment")

    c.call("history: hist's first pull (two portfolios of generated work)", "POST", "/v1/sync", expect=200,
           json={"cursor": 0, "ops": []}, headers=hist.auth,
           check=lambda r: [collect(change) for change in r.json()["upserts"]] and [])
    for portfolio in ("BANQUE-SUD", "TELCO-EST"):
        rows: list = []
        c.call(f"history: dossiers report of {portfolio}", "GET", f"/v1/reports/dossiers?portfolio={portfolio}", expect=200,
               headers=claire.auth, check=lambda r: rows.extend(r.json()) or [])
        worked = [row["reference"] for row in rows if row.get("last_action") not in (None, "", "-")][:12]
        for reference in worked:
            c.call(f"history: look-up of {portfolio}/{reference}", "GET", f"/v1/dossiers/{quote(portfolio + '/' + reference, safe='')}",
                   expect=200, headers=hist.auth, check=lambda r: collect(r.json()) or [])
    wanted = {"call", "payment", "assignment"}
    c.record(f"history: the answers held events {', '.join(sorted(kinds))} and {', '.join(sorted(states))}",
             [] if wanted <= kinds and any(s.startswith("promise ") for s in states) else [f"missing {wanted - kinds} or promises"])


def check_routing(c: Contract) -> None:
    c.undocumented("an unknown path is 404 not_found", "GET", "/v2/nothing", expect=404, code="not_found")
    c.undocumented("GET on POST-only /v1/sync is 404 not_found", "GET", "/v1/sync", expect=404, code="not_found")
    c.undocumented("DELETE /v1/enroll is 404 not_found", "DELETE", "/v1/enroll", expect=404, code="not_found")
    c.undocumented("PUT /login is 404 not_found", "PUT", "/login", expect=404, code="not_found")
    c.undocumented("HEAD /healthz is 404 (no HEAD routes)", "HEAD", "/healthz", expect=404, code="not_found")
    # Requests the HTTP/1.1 parser refuses before any route: 400, and still the one error shape
    # (DESIGN §5.6). Findings of the contract work (see docs/reliability-api.md), not issue 9's list.
    host = f"Host: 127.0.0.1:{c.hub.port}\r\nConnection: close\r\n"
    c.raw("finding A1: a NUL byte in a header is 400 in the error shape",
          f"GET /healthz HTTP/1.1\r\n{host}X-Probe: a\x00b\r\n\r\n".encode(), method="GET", path="/healthz", expect=400,
          documented=False)
    c.raw("finding A1: Content-Length abc is 400 in the error shape",
          f"POST /v1/enroll HTTP/1.1\r\n{host}Content-Type: application/json\r\nContent-Length: abc\r\n\r\n{{}}".encode(),
          method="POST", path="/v1/enroll", expect=400, documented=False)


def check_rate_limits(c: Contract, hub: LiveHub) -> None:
    """Last: each blocks this client address for 15 minutes."""
    statuses = []
    for attempt in range(12):
        response = hub.request("POST", "/v1/enroll", json={"secret": f"guess-{attempt}", "device_name": "x"})
        statuses.append(response.status_code)
        if response.status_code == 429:
            break
    c.record("enroll: failed attempts reach 429 within 10", [] if 429 in statuses else [f"statuses {statuses}"])
    c.call("enroll: then 429 rate_limited even with a good shape", "POST", "/v1/enroll", expect=429, code="rate_limited",
           json={"secret": "another-guess", "device_name": "x"})
    statuses = []
    for attempt in range(7):
        response = hub.request("POST", "/login", data={"login": "claire", "password": f"guess {attempt}"})
        statuses.append(response.status_code)
        if response.status_code == 429:
            break
    c.record("login: failed log-ins reach 429 within 6", [] if 429 in statuses else [f"statuses {statuses}"])
    c.call("login: then 429 with Retry-After 900", "POST", "/login", expect=429, data={"login": "claire", "password": "again"})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bin", default=os.path.join(REPO, ".build", "debug"), help="folder of homeshore-hub (default .build/debug)")
    parser.add_argument("--spec", default=os.path.join(REPO, "docs", "openapi.yaml"))
    parser.add_argument("--keep", action="store_true", help="keep the hub's temporary folder")
    parser.add_argument("-v", "--verbose", action="store_true", help="print passing checks too")
    args = parser.parse_args()
    stop_on_sigterm()

    spec = Spec(args.spec)
    started = time.monotonic()
    with LiveHub(os.path.abspath(args.bin), label="contract", keep=args.keep) as hub:
        c = Contract(spec, hub, args.verbose)
        try:
            scene = set_scene(hub)
        except Exception as error:
            c.record("the hub is set up and serving", [f"{type(error).__name__}: {error}"])
            print(f"{c.passed} passed, {len(c.failed)} failed")
            return 1
        try:
            check_operations(c)
            devices = check_enroll(c, scene)
            if "camille" not in devices or "claire" not in devices:
                c.record("the devices needed are enrolled", ["enrollment failed; the rest cannot run"])
            else:
                found: dict = {}
                session: list = []
                groups = [
                    ("sync", lambda: found.update(check_sync(c, devices, hub))),
                    ("lookup", lambda: check_lookup(c, devices, found)),
                    ("dashboard", lambda: session.append(check_dashboard(c, hub, scene))),
                    ("reports", lambda: check_reports(c, devices, session[0] if session else None)),
                    ("known defects", lambda: check_known_defects(c, devices, found)),
                    ("history", lambda: check_history(c, devices)),
                    ("retired and revoked devices", lambda: check_retired_and_revoked(c, devices, hub)),
                    ("routing", lambda: check_routing(c)),
                    ("rate limits", lambda: check_rate_limits(c, hub)),
                ]
                for label, run in groups:
                    try:
                        run()
                    except Exception as error:  # one group's surprise must not hide the others' results
                        c.record(f"{label}: the checks ran to their end", [f"{type(error).__name__}: {error}"])
            c.record("the hub is still running", [] if hub.alive() else [f"it exited: {hub.log_tail()}"])
            c.record("the hub logged no unexpected error", hub.unexpected_errors()[:5])
            c.call("GET /metrics at the end", "GET", "/metrics", expect=200)
        finally:
            if args.keep:
                print(f"hub folder kept: {hub.root}")
    elapsed = time.monotonic() - started
    print(f"contract check against {os.path.relpath(args.spec)} ({len(spec.operations)} operations) in {elapsed:.0f} s")
    if c.failed:
        print("failed: " + "; ".join(c.failed[:20]) + (f"; and {len(c.failed) - 20} more" if len(c.failed) > 20 else ""))
    print(f"{c.passed} passed, {len(c.failed)} failed")
    return 1 if c.failed else 0


if __name__ == "__main__":
    sys.exit(main())
