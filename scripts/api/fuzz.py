#!/usr/bin/env python3
"""Schemathesis against a live hub, from docs/openapi.yaml.

Starts a real hub (50 sample dossiers, an agent and a supervisor, each with a device enrolled over
`POST /v1/enroll`, and dashboard sessions opened over `POST /login`), then runs schemathesis on every
operation of the document with a bounded number of examples: the agent's device token on the device
routes, the supervisor's on the reports, a session cookie on the dashboard (a throwaway one on
`/logout`). The hub's CA (DATA/ca.pem) is the only one trusted.

Checks: no 5xx (not_a_server_error), and every answer's status, Content-Type, headers and body as
the document says (status_code_conformance, content_type_conformance, response_headers_conformance,
response_schema_conformance; HTML and CSV bodies are checked as text), and no operation that needs
credentials answers without them (ignored_auth). So every refusal must be the one documented error
shape. Prints the figures (operations, cases, failures) and
`N passed, N failed` (operations); exits 1 on any failure.

    scripts/api/fuzz.py [--bin .build/debug] [--max-examples 30] [--seed N] [--keep]
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ left in the work tree
_VENV = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), ".venv-api")
if os.path.realpath(sys.prefix) != os.path.realpath(_VENV) and os.access(os.path.join(_VENV, "bin", "python"), os.X_OK):
    # Run as `scripts/api/….py`: go on in the environment `make deps` made (schemathesis, jsonschema_rs).
    os.execv(os.path.join(_VENV, "bin", "python"), [os.path.join(_VENV, "bin", "python"), *sys.argv])
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import yaml  # noqa: E402

from live_hub import LiveHub, stop_on_sigterm  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
CHECKS = ["not_a_server_error", "status_code_conformance", "content_type_conformance", "response_headers_conformance",
          "response_schema_conformance", "ignored_auth"]


def toml_string(value: str) -> str:
    return json.dumps(value)  # a JSON string is a valid TOML basic string


def config(hub: LiveHub, agent_token: str, supervisor_token: str, session: str, logout_session: str, args) -> str:
    lines = [
        f"tls-verify = {toml_string(hub.ca_file)}",
        f"hooks = {toml_string('st_hooks')}",
        "workers = 1",
        "request-timeout = 30",
        f"seed = {args.seed}",
        "[generation]",
        f"max-examples = {args.max_examples}",
        'database = "none"',
        "[checks]",
        "enabled = false",
    ]
    lines += [f"{check}.enabled = true" for check in CHECKS + args.extra_checks]
    routes = [("sync", f"Bearer {agent_token}", "Authorization"), ("lookupDossier", f"Bearer {agent_token}", "Authorization"),
              ("report", f"Bearer {supervisor_token}", "Authorization"), ("logOut", f"hs_session={logout_session}", "Cookie")]
    for operation_id, value, header in routes:
        lines += ["[[operations]]", f"include-operation-id = {toml_string(operation_id)}",
                  f"headers = {{ {header} = {toml_string(value)} }}"]
    # Every other dashboard page with the supervisor's session.
    lines += ["[[operations]]", 'include-tag = "dashboard"', 'exclude-operation-id = "logOut"',
              f"headers = {{ Cookie = {toml_string('hs_session=' + session)} }}"]
    return "\n".join(lines) + "\n"


def focused_spec(spec_path: str, dossier_ids: list[str], out_path: str) -> None:
    """The document with the sync ops' free-text fields narrowed to values this hub knows (dossiers
    of the agent's scope, of her portfolio's pool and of another portfolio; instants and days around
    now), so that generated ops reach the merge itself, not only its first refusals. Only request
    schemas narrow: every answer is still checked against the document's own response schemas."""
    with open(spec_path, encoding="utf-8") as handle:
        doc = yaml.safe_load(handle)
    now = dt.datetime.now(dt.timezone.utc)

    def instant(delta: dt.timedelta) -> str:
        moment = now + delta
        return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"

    def day(days: int) -> str:
        return (now + dt.timedelta(days=days)).strftime("%Y-%m-%d")

    schemas = doc["components"]["schemas"]
    # At least one op a batch (an empty batch is the plain pull the examples phase already sends).
    schemas["SyncRequest"]["properties"]["ops"].update({"minItems": 1, "maxItems": 10})
    op = schemas["SyncOp"]["properties"]
    op["dossier_id"] = {"type": "string", "enum": dossier_ids}
    op["recorded_at"] = {"type": "string", "enum": [instant(dt.timedelta(minutes=-m)) for m in (1, 5, 60)]}
    payload = schemas["OpPayload"]["properties"]
    payload["at"] = {"enum": [instant(dt.timedelta(hours=h)) for h in (-2, 1, 26)] + [None]}
    payload["due"] = {"enum": [day(d) for d in (1, 7, 45, 400)] + [None]}
    with open(out_path, "w", encoding="utf-8") as handle:
        json.dump(doc, handle)


def figures(report_path: str, output: str) -> dict:
    """Operations and their outcome from schemathesis' NDJSON events; cases and failures from its summary."""
    operations: dict[str, list[str]] = {}
    with open(report_path, encoding="utf-8") as handle:
        for line in handle:
            event = json.loads(line)
            finished = event.get("ScenarioFinished")
            if finished:
                operations.setdefault(finished["recorder"]["label"], []).append(finished["status"])
    cases = re.search(r"(\d+) generated", output)
    unique = re.search(r"found (\d+) unique failures?", output)
    return {"operations": {label: {"failed": "failure" in statuses or "error" in statuses} for label, statuses in operations.items()},
            "cases": int(cases.group(1)) if cases else 0, "failures": int(unique.group(1)) if unique else 0}


def prepare(hub: LiveHub, args) -> tuple[str, str]:
    """The scene: a hub with data, devices enrolled and sessions opened; the focused document and the config."""
    hub.init()
    hub.import_sample("ACME", 50, seed=11)
    # Weeks of generated work, so reports and pages have figures and dossiers have history.
    hub.cli("sample-activity", "--agents", "3", "--days", "21", "--dossiers", "40")
    agent_token, _ = hub.add_agent("camille", "Camille Rousseau", "--portfolios", "ACME", "--capacity", "20", "--team", "paris")
    supervisor_token, password = hub.add_agent("claire", "Claire Petit", "--role", "supervisor", "--team", "paris")
    hub.start()
    agent = hub.enroll(agent_token, "laptop-camille")
    supervisor = hub.enroll(supervisor_token, "laptop-claire")
    # The agent's first sync, so the scope, the look-ups and the reports have something in them.
    first = hub.request("POST", "/v1/sync", json={"cursor": 0, "ops": []},
                        headers={"Authorization": "Bearer " + agent["device_token"]})
    if first.status_code != 200:
        raise RuntimeError(f"the first sync answered {first.status_code}: {first.text[:300]}")
    scope = [change["dossier"] for change in first.json()["upserts"]]
    held = [d["id"] for d in scope if d.get("assigned_to") == "camille"]
    # A pool dossier of her portfolio (an inbound call's) and one of another portfolio (not hers).
    held_refs = {d["reference"] for d in scope if d.get("assigned_to") == "camille"}
    pool = next(f"D-{n:06d}" for n in range(1, 51) if f"D-{n:06d}" not in held_refs)
    others = []
    for reference in (pool, "BANQUE-SUD/BS-000001"):
        shown = hub.cli("dossier", "show", reference, "--format", "json", check=False)
        if shown.returncode == 0:
            others.append(json.loads(shown.stdout)["dossier"]["id"])
    focused = os.path.join(hub.root, "openapi-focused.json")
    focused_spec(os.path.abspath(args.spec), held + others + ["no-such-dossier"], focused)
    session = hub.log_in("claire", password)
    logout_session = hub.log_in("claire", password)

    config_path = os.path.join(hub.root, "schemathesis.toml")
    with open(config_path, "w", encoding="utf-8") as handle:
        handle.write(config(hub, agent["device_token"], supervisor["device_token"], session, logout_session, args))
    return focused, config_path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bin", default=os.path.join(REPO, ".build", "debug"), help="folder of homeshore-hub (default .build/debug)")
    parser.add_argument("--spec", default=os.path.join(REPO, "docs", "openapi.yaml"))
    parser.add_argument("--max-examples", type=int, default=30, help="examples per operation and phase (default 30)")
    parser.add_argument("--seed", type=int, default=20261201, help="schemathesis' seed, for a reproducible run")
    parser.add_argument("--extra-check", dest="extra_checks", action="append", default=[],
                        help="another schemathesis check to run (e.g. negative_data_rejection); repeatable")
    parser.add_argument("--keep", action="store_true", help="keep the hub's temporary folder and the reports")
    args = parser.parse_args()
    stop_on_sigterm()

    st = os.path.join(REPO, ".venv-api", "bin", "st")
    if not os.access(st, os.X_OK):
        print(f"{st} is missing: run scripts/install-deps.sh (make deps)")
        return 1
    started = time.monotonic()
    with LiveHub(os.path.abspath(args.bin), label="fuzz", keep=args.keep) as hub:
        try:
            prepared = prepare(hub, args)
        except Exception as error:
            print(f"FAIL the hub is set up and serving: {type(error).__name__}: {error}")
            print("0 passed, 1 failed")
            return 1
        focused, config_path = prepared
        report_dir = os.path.join(hub.root, "schemathesis-report")
        ndjson = os.path.join(report_dir, "events.ndjson")
        command = [st, "--config-file", config_path, "run", focused, "--url", hub.url,
                   "--report", "ndjson", "--report-dir", report_dir, "--report-ndjson-path", ndjson, "--no-color"]
        env = dict(os.environ, PYTHONPATH=HERE + os.pathsep + os.environ.get("PYTHONPATH", ""), PYTHONDONTWRITEBYTECODE="1")
        # No proxy, no CA bundle from the environment: the hub's CA only.
        for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"):
            env.pop(name, None)
        print(f"schemathesis on {hub.url}, {args.max_examples} examples per operation and phase, seed {args.seed}", flush=True)
        process = subprocess.Popen(command, cwd=hub.root, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True, errors="replace")
        output = []
        try:
            for line in process.stdout:
                print(line, end="", flush=True)
                output.append(line)
            returncode = process.wait()
        finally:
            if process.poll() is None:  # interrupted: schemathesis goes with the hub
                process.terminate()
                process.wait(timeout=10)
        alive = hub.alive()
        unexpected = hub.unexpected_errors()
        try:
            counted = figures(ndjson, "".join(output))
        except (OSError, ValueError) as error:
            print(f"cannot read schemathesis' report {ndjson}: {error}")
            counted = None
        if args.keep:
            print(f"hub folder and reports kept: {hub.root}")
        if not alive:
            print(f"the hub exited during the run: {hub.log_tail()}")
        for line in unexpected[:10]:
            print(f"the hub logged: {line}")

    elapsed = time.monotonic() - started
    if counted is None:
        return 1
    operations = counted["operations"]
    failed_operations = sorted(label for label, entry in operations.items() if entry["failed"])
    print(f"figures: {len(operations)} operations, {counted['cases']} cases, {counted['failures']} failures "
          f"(schemathesis exit {returncode}), {elapsed:.0f} s")
    for label in failed_operations:
        print(f"  failed: {label}")
    failed = len(failed_operations) + (0 if alive else 1) + (1 if unexpected else 0)
    if returncode != 0 and failed == 0:
        failed = 1  # schemathesis failed without naming an operation (an error of its own): not a pass
    print(f"{len(operations) - len(failed_operations)} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
