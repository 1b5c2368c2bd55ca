"""The invariant checker. It opens every database read-only (`file:…?mode=ro`) once no process
writes to it, and compares what the harness caused to be recorded (the ledger) with the hub and
with every client replica.

Checks (DESIGN §4):
  integrity   PRAGMA integrity_check is "ok" on the hub's database and on every replica.
  exactly-once  every op a command committed (exit 0, or found in the outbox after a SIGKILL) is in
              the hub's applied_ops as applied and in its events exactly once, by id; its content
              (note text, outcome, phone, email) appears in exactly one event; an op whose command
              was killed before it committed appears nowhere.
  nothing extra every agent-made event on the hub is one the harness recorded.
  drained     every outbox is empty and nothing was refused (the harness records valid ops only).
  convergence each replica holds exactly the hub's view of its agent's scope: the same dossier ids,
              the same event ids (and seq, kind, flag) per dossier, the same agent-editable fields
              (phone, email, address, next_callback, their field clocks) and status, balance, holder.
  one scope   no dossier is held by two replicas, and no replica holds events of a dossier it does not hold.
"""

import json
import sqlite3

AGENT_KINDS = ("call", "note", "contact", "callback", "promise", "plan", "dispute")
# Payload fields whose value the harness makes unique per op (text, phone, email typed; `at` of a call or callback).
UNIQUE_KEYS = ("text", "phone", "email", "at")


def open_ro(path):
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    connection.row_factory = sqlite3.Row
    return connection


def integrity(connection):
    rows = [r[0] for r in connection.execute("PRAGMA integrity_check").fetchall()]
    return rows == ["ok"], rows


def content_matches(payload, content):
    """Whether an event payload carries the content the harness typed."""
    return all(payload.get(key) == value for key, value in content.items())


class Report:
    def __init__(self):
        self.violations = []       # sentences
        self.lost = 0
        self.doubled = 0
        self.rejected = 0
        self.on_hub = 0            # ledger ops found on the hub exactly once
        self.committed = 0
        self.uncommitted = 0

    @property
    def ok(self):
        return not self.violations

    def fail(self, text):
        self.violations.append(text)


def read_hub(path):
    connection = open_ro(path)
    try:
        connection.execute("BEGIN")  # one snapshot for everything below
        ok, rows = integrity(connection)
        agents = {r["login"]: r["id"] for r in connection.execute("SELECT id, login FROM agents")}
        applied = {r["op_id"]: dict(r) for r in connection.execute("SELECT op_id, device_id, status, code, reason FROM applied_ops")}
        events = [dict(r) for r in connection.execute(
            "SELECT id, dossier_id, seq, kind, agent, device_id, payload, flag FROM events")]
        dossiers = [dict(r) for r in connection.execute(
            "SELECT id, reference, assigned_agent_id, phone, email, address, next_callback, field_clocks, status, balance FROM dossiers")]
        connection.execute("COMMIT")
    finally:
        connection.close()
    for event in events:
        event["payload"] = json.loads(event["payload"])
    return dict(integrity=(ok, rows), agents=agents, applied=applied, events=events, dossiers=dossiers)


def read_replica(path):
    connection = open_ro(path)
    try:
        connection.execute("BEGIN")
        ok, rows = integrity(connection)
        dossiers = {}
        for r in connection.execute("SELECT id, record FROM dossiers"):
            dossiers[r["id"]] = json.loads(r["record"])
        events = [(r["id"], r["dossier_id"], r["seq"], json.loads(r["record"])) for r in
                  connection.execute("SELECT id, dossier_id, seq, record FROM events")]
        outbox = [(r["id"], json.loads(r["op"])) for r in connection.execute("SELECT id, op FROM outbox ORDER BY device_seq")]
        rejected = [dict(r) for r in connection.execute("SELECT id, reference, kind, code, reason FROM rejected")]
        connection.execute("COMMIT")
    finally:
        connection.close()
    return dict(integrity=(ok, rows), dossiers=dossiers, events=events, outbox=outbox, rejected=rejected)


def outbox_ops(path):
    """(op id, op) of every queued op, for finding what a command just committed."""
    connection = open_ro(path)
    try:
        return [(r["id"], json.loads(r["op"])) for r in connection.execute("SELECT id, op FROM outbox")]
    finally:
        connection.close()


def held_references(path):
    connection = open_ro(path)
    try:
        return sorted(r[0] for r in connection.execute("SELECT reference FROM dossiers"))
    finally:
        connection.close()


def check(hub_path, replica_paths, ledger):
    """replica_paths: {login: path}; ledger: list of ledger entries (dicts, see chaos.py)."""
    report = Report()
    hub = read_hub(hub_path)
    ok, rows = hub["integrity"]
    if not ok:
        report.fail(f"hub.sqlite integrity_check: {rows[:5]}")
    replicas = {}
    for login, path in replica_paths.items():
        replicas[login] = read_replica(path)
        ok, rows = replicas[login]["integrity"]
        if not ok:
            report.fail(f"{login}'s replica integrity_check: {rows[:5]}")

    events_by_id = {e["id"]: e for e in hub["events"]}
    agent_events = [e for e in hub["events"] if e["device_id"] is not None and e["kind"] in AGENT_KINDS]
    dossier_ids = {d["reference"]: d["id"] for d in hub["dossiers"]}  # one portfolio: references are unique
    by_value = {}
    for event in agent_events:
        for key in UNIQUE_KEYS:
            value = event["payload"].get(key)
            if value is not None:
                by_value.setdefault((event["kind"], key, value), []).append(event)

    def same_content_as(op):
        """Events of the op's kind holding its content; None when nothing in it is unique to the op."""
        key = next((k for k in UNIQUE_KEYS if k in op["content"]), None)
        if key is None:
            return None
        candidates = by_value.get((op["kind"], key, op["content"][key]), [])
        dossier_id = dossier_ids.get(op["ref"])
        return [e for e in candidates if content_matches(e["payload"], op["content"]) and e["dossier_id"] == dossier_id]

    # Exactly once, by id and by content; nothing from a command killed before it committed.
    ledger_ids = set()
    for op in ledger:
        tag = f"{op['tag']} ({op['kind']} on {op['ref']} by {op['login']}, iteration {op['iteration']})"
        same_content = same_content_as(op)
        if op["op_id"] is None:
            report.uncommitted += 1
            if same_content:
                report.doubled += len(same_content)
                report.fail(f"{tag}: its command was killed before it committed, yet the hub holds it "
                            f"{len(same_content)} time(s) ({', '.join(e['id'] for e in same_content)})")
            continue
        report.committed += 1
        op_id = op["op_id"].lower()
        ledger_ids.add(op_id)
        applied = hub["applied"].get(op_id)
        event = events_by_id.get(op_id)
        if applied is not None and applied["status"] == "rejected":
            report.rejected += 1
            report.fail(f"{tag}: op {op_id} was refused by the hub: {applied['code']}: {applied['reason']}")
            continue
        if applied is None or event is None:
            report.lost += 1
            report.fail(f"{tag}: op {op_id} LOST: " + ("not in applied_ops" if applied is None else "applied but no event")
                        + ("" if event is None else " (yet an event has its id)"))
            continue
        if event["kind"] != op["kind"] or not content_matches(event["payload"], op["content"]):
            report.fail(f"{tag}: event {op_id} holds {event['kind']} {event['payload']}, not {op['content']}")
        if same_content is None or len(same_content) == 1:
            report.on_hub += 1
        elif len(same_content) > 1:
            report.doubled += len(same_content) - 1
            report.fail(f"{tag}: DOUBLED: its content is in {len(same_content)} events "
                        f"({', '.join(e['id'] for e in same_content)})")
        else:
            report.lost += 1
            report.fail(f"{tag}: its content is in no event")

    # Nothing on the hub that the harness did not record.
    for event in agent_events:
        if event["id"] not in ledger_ids:
            report.doubled += 1
            report.fail(f"hub event {event['id']} ({event['kind']} by {event['agent']}: {event['payload']}) is no op the harness recorded")

    # Drained: nothing queued, nothing refused.
    for login, replica in replicas.items():
        if replica["outbox"]:
            report.fail(f"{login} still has {len(replica['outbox'])} queued op(s): {[i for i, _ in replica['outbox']][:5]}")
        for refused in replica["rejected"]:
            report.fail(f"{login}: op {refused['id']} ({refused['kind']} on {refused['reference']}) was refused: "
                        f"{refused['code']}: {refused['reason']}")

    # Convergence: each replica equals the hub's view of its agent's scope.
    hub_events_by_dossier = {}
    for event in hub["events"]:
        hub_events_by_dossier.setdefault(event["dossier_id"], []).append(event)
    logins = {agent_id: login for login, agent_id in hub["agents"].items()}
    holders = {}
    for login, replica in replicas.items():
        agent_id = hub["agents"].get(login)
        scope = {d["id"]: d for d in hub["dossiers"] if d["assigned_agent_id"] == agent_id}
        held = replica["dossiers"]
        for dossier_id in held:
            holders.setdefault(dossier_id, []).append(login)
        missing = sorted(scope.keys() - held.keys())
        extra = sorted(held.keys() - scope.keys())
        if missing:
            report.fail(f"{login}'s replica lacks {len(missing)} dossier(s) of its scope: "
                        + ", ".join(scope[i]["reference"] for i in missing[:8]))
        if extra:
            names = []
            for dossier_id in extra[:8]:
                hub_row = next((d for d in hub["dossiers"] if d["id"] == dossier_id), None)
                holder = logins.get(hub_row["assigned_agent_id"], "the pool") if hub_row else "nobody (unknown to the hub)"
                names.append(f"{held[dossier_id].get('reference')} (held on the hub by {holder})")
            report.fail(f"{login}'s replica holds {len(extra)} dossier(s) outside its scope: " + ", ".join(names))
        replica_events = {}
        for event_id, dossier_id, seq, record in replica["events"]:
            replica_events.setdefault(dossier_id, []).append((event_id, seq, record))
        for dossier_id in sorted(scope.keys() & held.keys()):
            hub_row, record = scope[dossier_id], held[dossier_id]
            differences = []
            for column, key in (("phone", "phone"), ("email", "email"), ("address", "address"),
                                ("next_callback", "next_callback"), ("status", "status"), ("balance", "balance")):
                if hub_row[column] != record.get(key):
                    differences.append(f"{column}: hub {hub_row[column]!r}, replica {record.get(key)!r}")
            hub_clocks = json.loads(hub_row["field_clocks"] or "{}")
            if hub_clocks != (record.get("field_clocks") or {}):
                differences.append(f"field clocks: hub {hub_clocks}, replica {record.get('field_clocks')}")
            if record.get("assigned_to") != login:
                differences.append(f"holder: replica says {record.get('assigned_to')!r}")
            mine = {(i, s, r.get("kind"), r.get("flag")) for i, s, r in replica_events.get(dossier_id, [])}
            theirs = {(e["id"], e["seq"], e["kind"], e["flag"]) for e in hub_events_by_dossier.get(dossier_id, [])}
            if mine != theirs:
                only_hub = sorted(theirs - mine)[:4]
                only_replica = sorted(mine - theirs)[:4]
                differences.append(f"events: {len(theirs)} on the hub, {len(mine)} in the replica; "
                                   f"only on the hub {only_hub}, only in the replica {only_replica}")
            if differences:
                report.fail(f"{login}'s replica differs from the hub on {hub_row['reference']}: " + "; ".join(differences))
        orphans = sorted(set(replica_events) - held.keys())
        if orphans:
            report.fail(f"{login}'s replica holds events of {len(orphans)} dossier(s) it does not hold: {orphans[:4]}")

    # No dossier in two scopes.
    for dossier_id, logins_holding in holders.items():
        if len(logins_holding) > 1:
            reference = replicas[logins_holding[0]]["dossiers"][dossier_id].get("reference")
            report.fail(f"dossier {reference} is held by {len(logins_holding)} replicas: {', '.join(logins_holding)}")
    return report
