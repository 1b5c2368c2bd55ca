#!/usr/bin/env python3
"""Homeshore fault harness: real hub and client processes, a loopback relay that delays, cuts and
truncates connections, SIGKILL of either side at random moments, and an invariant checker.

    python3 scripts/chaos/chaos.py --iterations 50 [--seed S] [--bin .build/debug] [--keep] [--quiet]

Each iteration, seeded from (seed, iteration): every agent records a few ops (calls, notes, contact
changes, callbacks) on dossiers it holds, some of those commands SIGKILLed; then syncs through the
relay while the relay misbehaves, some syncs SIGKILLed, the hub perhaps SIGKILLed and restarted, a
dossier perhaps reassigned or released by the admin CLI (hub up or down). Then the network heals,
every client syncs until nothing moves, the hub stops, and the checker compares the ledger of every
op the harness caused to be committed with the hub's database and every replica (see invariants.py).

A failing iteration prints its seed and number: `make chaos SEED=S ITERATIONS=N` replays the same
decisions (which ops, which faults, when); process timing is the machine's own.
Exit 0 when every iteration's check passed, 1 otherwise.
"""

import argparse
import asyncio
import datetime
import json
import logging
import os
import random
import re
import shutil
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # no __pycache__ in the repository
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import invariants  # noqa: E402
from processes import Hub, Runner, free_port  # noqa: E402
from relay import Relay  # noqa: E402

AGENTS = ["ana", "ben", "chloe"]
PORTFOLIO = "CHAOS"
DOSSIERS = 40
CAPACITY = 6
LANGUAGES = "fr,en,de,es,it,nl,pt,ar"
OUTCOMES = ["no-answer", "busy", "voicemail", "wrong-number", "third-party", "right-party", "refused", "callback"]
SYNCED = re.compile(r"Synced: (\d+) sent, (\d+) dossiers updated, (\d+) removed\.")

RECORD_TIMEOUT = 30.0
SYNC_TIMEOUT = 200.0
ADMIN_TIMEOUT = 60.0
CONVERGE_ROUNDS = 12


class Figures:
    def __init__(self):
        self.iterations = 0
        self.hub_kills = 0
        self.hub_stops = 0
        self.client_kills = 0          # homeshore sync SIGKILLed while running
        self.record_kills = 0          # recording commands SIGKILLed while running
        self.record_kills_committed = 0
        self.syncs = 0
        self.syncs_ok = 0
        self.syncs_unreachable = 0     # exit 3
        self.syncs_cert_eof = 0        # exit 1 "certificate" (known defect: handshake EOF reported as a mismatch)
        self.syncs_other_error = 0
        self.syncs_hung = 0
        self.reassignments = 0
        self.releases = 0
        self.admin_errors = 0
        self.converge_rounds = 0
        self.examples = {}             # kind of event -> a first example message

    def example(self, kind, text):
        self.examples.setdefault(kind, " | ".join(text.strip().splitlines())[-600:] if text.strip() else "(no stderr)")


class World:
    def __init__(self, args, seed):
        self.args = args
        self.seed = seed
        self.bin = os.path.abspath(args.bin)
        self.hub_bin = os.path.join(self.bin, "homeshore-hub")
        self.client_bin = os.path.join(self.bin, "homeshore")
        self.root = tempfile.mkdtemp(prefix=f"homeshore-chaos-{seed}-")
        self.data = os.path.join(self.root, "hub")
        self.logs = os.path.join(self.root, "logs")
        os.makedirs(self.logs)
        self.homes = {login: os.path.join(self.root, "agents", login) for login in AGENTS}
        self.runner = Runner(os.path.join(self.logs, "commands.log"))
        self.hub = None
        self.relay = None
        self.ledger = []
        self.figures = Figures()
        self.counter = 0               # makes every typed value unique within the run
        self.immediate = []            # violations seen while recording (an exit 0 with nothing in the outbox)
        self.callback_base = (datetime.datetime.now() + datetime.timedelta(days=3)).replace(hour=9, minute=0, second=0, microsecond=0)
        self.quiet = args.quiet
        self.iteration = 0

    def say(self, text):
        if not self.quiet:
            print(text, flush=True)

    def replica(self, login):
        return os.path.join(self.homes[login], "replica.sqlite")

    async def hub_cli(self, *arguments, timeout=ADMIN_TIMEOUT):
        return await self.runner.run([self.hub_bin, *arguments, "--data", self.data], timeout=timeout)

    async def client(self, login, *arguments, timeout=RECORD_TIMEOUT, kill_after=None):
        return await self.runner.run([self.client_bin, *arguments, "--home", self.homes[login]],
                                     timeout=timeout, kill_after=kill_after)


def must(result, what):
    if not result.ok:
        raise RuntimeError(f"{what} failed: {result.describe()}")
    return result.stdout


async def setup(world):
    for binary in (world.hub_bin, world.client_bin):
        if not os.access(binary, os.X_OK):
            raise RuntimeError(f"{binary} is missing; build first (swift build) or pass --bin DIR.")
    hub_port = free_port()
    world.relay = Relay(hub_port)
    relay_port = await world.relay.start()
    # Clients dial the relay, so the certificate must cover the relay's address (127.0.0.1).
    must(await world.hub_cli("init", "--public-url", f"https://127.0.0.1:{relay_port}", "--hostname", "127.0.0.1"), "hub init")
    sample = await world.runner.run([world.hub_bin, "sample-dossiers", "--count", str(DOSSIERS), "--seed", str(world.seed % 1_000_000 + 1)],
                                    timeout=ADMIN_TIMEOUT)
    csv_path = os.path.join(world.root, "dossiers.csv")
    with open(csv_path, "w", encoding="utf-8") as file:
        file.write(must(sample, "sample-dossiers"))
    must(await world.hub_cli("import", "dossiers", csv_path, "--portfolio", PORTFOLIO), "import dossiers")
    world.hub = Hub(world.hub_bin, world.data, hub_port, world.logs)
    await world.hub.start()
    for login in AGENTS:
        token = must(await world.hub_cli("agent", "add", login, "--name", f"Agent {login.title()}", "--portfolios", PORTFOLIO,
                                         "--capacity", str(CAPACITY), "--languages", LANGUAGES), f"agent add {login}").strip()
        if not token.startswith("hs1.") or "\n" in token:
            raise RuntimeError(f"agent add {login} printed {token!r}, not one hs1. token")
        # Enrolled through the relay (healed), as a laptop would reach the hub.
        must(await world.client(login, "enroll", token, "--device-name", f"chaos-{login}", timeout=60), f"enroll {login}")
        must(await world.client(login, "sync", timeout=SYNC_TIMEOUT), f"first sync of {login}")
    world.say(f"setup: hub on 127.0.0.1:{hub_port}, relay on 127.0.0.1:{relay_port}, {DOSSIERS} dossiers, "
              f"agents {', '.join(AGENTS)} (capacity {CAPACITY}), folder {world.root}")


# ---------------------------------------------------------------- one iteration's plan

def make_plan(seed, iteration):
    """Every decision of the iteration, drawn up front so that concurrency cannot reorder the draws."""
    rng = random.Random(f"{seed}:{iteration}:plan")
    clients = {}
    for login in AGENTS:
        ops = []
        for _ in range(rng.randint(0, 4)):
            kind = rng.choices(["call", "note", "contact", "callback"], weights=[4, 3, 2, 1])[0]
            ops.append(dict(kind=kind, pick=rng.random(), outcome=rng.choice(OUTCOMES), duration=rng.randint(0, 600),
                            field=rng.choice(["phone", "email"]), with_note=rng.random() < 0.7,
                            kill=rng.random() < 0.10, kill_after=rng.uniform(0.002, 0.08)))
        # Kill moments log-uniform between 5 ms and 1 s: a sync on a clean network lasts about 0.1 s.
        syncs = [dict(kill=rng.random() < 0.35, kill_after=2 ** rng.uniform(-7.6, 0), pause=rng.uniform(0, 0.4))
                 for _ in range(rng.randint(1, 3))]
        clients[login] = dict(start=rng.uniform(0, 0.3), ops=ops, syncs=syncs)
    hub = None
    if rng.random() < 0.3:
        hub = dict(at=rng.uniform(0.0, 1.2), down=rng.uniform(0.05, 1.5))
    admin = None
    if rng.random() < 0.35:
        source, target = rng.sample(AGENTS, 2)
        admin = dict(source=source, target=target, pick=rng.random(), release=rng.random() < 0.2,
                     while_down=hub is not None and rng.random() < 0.5, at=rng.uniform(0.0, 1.0))
    return dict(clients=clients, hub=hub, admin=admin)


# ---------------------------------------------------------------- recording

def typed(world, login, iteration, op, ref):
    """The command line for one op, and the content the hub must then hold exactly once."""
    world.counter += 1
    n = world.counter
    tag = f"chaos-s{world.seed}-i{iteration}-n{n}"
    if op["kind"] == "note":
        return tag, ["note", ref, f"{tag} note by {login}"], {"text": f"{tag} note by {login}"}
    if op["kind"] == "call":
        args = ["call", ref, "--outcome", op["outcome"], "--duration", f"{op['duration']}s"]
        content = {"outcome": op["outcome"], "duration_seconds": op["duration"]}
        # Without a note, the call is told apart by its exact time (`at`, taken from the outbox).
        if op["with_note"]:
            args += ["--note", f"{tag} call"]
            content["text"] = f"{tag} call"
        return tag, args, content
    if op["kind"] == "contact":
        if op["field"] == "phone":
            digits = f"{n:08d}"
            phone = "+33 7 " + " ".join(digits[i:i + 2] for i in range(0, 8, 2))
            return tag, ["contact", ref, "--phone", phone], {"phone": phone}
        email = f"chaos.{world.seed}.{n}@example.fr"
        return tag, ["contact", ref, "--email", email], {"email": email}
    at = world.callback_base + datetime.timedelta(minutes=n)
    return tag, ["callback", ref, "--at", at.strftime("%Y-%m-%d %H:%M")], None  # content: the outbox's `at`


def new_in_outbox(world, login, before):
    """The ops queued by the one command that just ran: those not in the outbox before it."""
    return [(op_id, op) for op_id, op in invariants.outbox_ops(world.replica(login)) if op_id not in before]


async def record(world, login, iteration, op):
    refs = invariants.held_references(world.replica(login))
    if not refs:
        return
    ref = refs[min(int(op["pick"] * len(refs)), len(refs) - 1)]
    tag, args, content = typed(world, login, iteration, op, ref)
    before = {op_id for op_id, _ in invariants.outbox_ops(world.replica(login))}
    result = await world.client(login, *args, kill_after=op["kill_after"] if op["kill"] else None)
    if result.killed:
        world.figures.record_kills += 1
    elif not result.ok:
        world.immediate.append(f"iteration {iteration}: recording by {login} failed: {result.describe()}")
    fresh = new_in_outbox(world, login, before)
    if len(fresh) > 1:
        world.immediate.append(f"iteration {iteration}: `{' '.join(args)}` by {login} queued {len(fresh)} ops: {[i for i, _ in fresh]}")
    op_id, queued = fresh[0] if fresh else (None, None)
    if queued is not None:
        payload = queued.get("payload") or {}
        if op["kind"] == "callback" or (op["kind"] == "call" and "text" not in content):
            content = dict(content or {}, at=payload.get("at"))
        if queued.get("kind") != op["kind"] or not invariants.content_matches(payload, content):
            world.immediate.append(f"iteration {iteration}: `{' '.join(args)}` by {login} queued {queued}, not {op['kind']} {content}")
    if result.killed and op_id is not None:
        world.figures.record_kills_committed += 1
    if result.ok and op_id is None:
        world.immediate.append(f"iteration {iteration}: `{' '.join(args)}` by {login} exited 0 but its op is not in the outbox (LOST locally)")
    if not result.ok and not result.killed and op_id is not None:
        world.immediate.append(f"iteration {iteration}: `{' '.join(args)}` by {login} failed, yet its op {op_id} was queued")
    world.ledger.append(dict(tag=tag, login=login, iteration=iteration, kind=op["kind"], ref=ref,
                             op_id=op_id, content=content if content is not None else {"tag": tag}))


# ---------------------------------------------------------------- syncing

def classify(world, result, healed=False):
    f = world.figures
    f.syncs += 1
    if result.killed:
        f.client_kills += 1
        return "killed"
    if result.timed_out:
        f.syncs_hung += 1
        f.example("sync hung", result.stderr)
        return "hung"
    if result.returncode == 0:
        f.syncs_ok += 1
        return "ok"
    if result.returncode == 3:
        f.syncs_unreachable += 1
        return "unreachable"
    if result.returncode == 1 and "certificate" in result.stderr.lower():
        f.syncs_cert_eof += 1
        f.example("exit 1 'certificate'", result.stderr)
        return "cert-eof"
    f.syncs_other_error += 1
    f.example(f"sync exit {result.returncode}" + (" (healed network)" if healed else ""), result.stderr)
    # Not an invariant violation by itself (the checker decides), but worth a line even with --quiet.
    print(f"note: a sync exited {result.returncode} (seed {world.seed}, iteration {world.iteration}): "
          + " | ".join(result.stderr.strip().splitlines())[-600:], flush=True)
    return "error"


async def client_task(world, login, iteration, plan):
    await asyncio.sleep(plan["start"])
    for op in plan["ops"]:
        await record(world, login, iteration, op)
    outcomes = []
    for sync in plan["syncs"]:
        await asyncio.sleep(sync["pause"])
        result = await world.client(login, "sync", timeout=SYNC_TIMEOUT, kill_after=sync["kill_after"] if sync["kill"] else None)
        outcomes.append(classify(world, result))
    return outcomes


async def admin_move(world, admin, iteration):
    refs = invariants.held_references(world.replica(admin["source"]))
    if not refs:
        return None
    ref = refs[min(int(admin["pick"] * len(refs)), len(refs) - 1)]
    if admin["release"]:
        result = await world.hub_cli("assign", ref, "--release")
    else:
        result = await world.hub_cli("assign", ref, "--to", admin["target"])
    if not result.ok:
        world.figures.admin_errors += 1
        world.figures.example("admin assign", result.stderr)
        return f"assign {ref} failed"
    if admin["release"]:
        world.figures.releases += 1
        return f"{ref} released from {admin['source']}"
    world.figures.reassignments += 1
    return f"{ref} {admin['source']}->{admin['target']}"


async def hub_task(world, plan, iteration):
    """Kills and restarts the hub, and moves a dossier, as the plan says."""
    notes = []
    hub, admin = plan["hub"], plan["admin"]
    if admin and not admin["while_down"]:
        await asyncio.sleep(admin["at"])
        notes.append(await admin_move(world, admin, iteration))
    if hub:
        await asyncio.sleep(hub["at"])
        await world.hub.kill()
        world.runner.note("hub SIGKILLed")
        world.figures.hub_kills += 1
        notes.append("hub SIGKILLed")
        if admin and admin["while_down"]:
            notes.append((await admin_move(world, admin, iteration) or "") + " (hub down)")
        await asyncio.sleep(hub["down"])
        await world.hub.start()
        world.runner.note("hub restarted")
    return [n for n in notes if n]


async def converge(world, iteration):
    """Heals the network and syncs everyone until a whole round moves nothing."""
    world.relay.heal()
    await world.hub.start()
    for round_number in range(1, CONVERGE_ROUNDS + 1):
        world.figures.converge_rounds += 1
        quiet = True
        for login in AGENTS:
            result = await world.client(login, "sync", timeout=SYNC_TIMEOUT)
            state = classify(world, result, healed=True)
            if state != "ok":
                quiet = False
                world.immediate.append(f"iteration {iteration}: sync of {login} on a healed network: {result.describe()}")
                continue
            match = SYNCED.search(result.stdout)
            if not match or match.groups() != ("0", "0", "0") or "refused" in result.stdout:
                quiet = False
        if quiet:
            for login in AGENTS:
                status = await world.client(login, "status", "--format", "json")
                if not status.ok or json.loads(status.stdout).get("queued") != 0:
                    quiet = False
        if quiet:
            # Drop the healed-network complaints of earlier rounds once everything went through.
            world.immediate = [v for v in world.immediate if "on a healed network" not in v]
            return round_number
    world.immediate.append(f"iteration {iteration}: the clients did not converge within {CONVERGE_ROUNDS} sync rounds")
    return None


async def run_iteration(world, iteration):
    plan = make_plan(world.seed, iteration)
    world.iteration = iteration
    world.runner.note(f"iteration {iteration}: chaos")
    await world.hub.start()
    world.relay.chaos(world.seed, iteration)
    relay_before = world.relay.stats.as_dict()
    figures_before = dict(world.figures.__dict__)
    world.immediate = []
    tasks = [client_task(world, login, iteration, plan["clients"][login]) for login in AGENTS]
    results = await asyncio.gather(hub_task(world, plan, iteration), *tasks)
    notes = results[0]
    world.runner.note(f"iteration {iteration}: heal and converge")
    rounds = await converge(world, iteration)
    stopped = await world.hub.stop()
    world.figures.hub_stops += 1
    if not stopped:
        world.immediate.append(f"iteration {iteration}: the hub did not stop within 15 s of SIGTERM")
    with open(os.path.join(world.root, "ledger.json"), "w", encoding="utf-8") as file:
        json.dump(world.ledger, file, indent=1)
    report = invariants.check(os.path.join(world.data, "hub.sqlite"), {l: world.replica(l) for l in AGENTS}, world.ledger)
    for violation in world.immediate:
        report.fail(violation)
    world.figures.iterations += 1
    relay_now = world.relay.stats.as_dict()
    delta = {k: relay_now[k] - relay_before[k] for k in relay_now}
    f = world.figures.__dict__
    line = (f"iteration {iteration}: {sum(len(c['ops']) for c in plan['clients'].values())} ops planned, "
            f"{f['syncs'] - figures_before['syncs']} syncs ({f['client_kills'] - figures_before['client_kills']} killed), "
            f"{f['record_kills'] - figures_before['record_kills']} recording kills, "
            f"relay {delta['connections']} conns/{delta['cuts']} cut/{delta['truncations']} trunc/{delta['delayed']} delayed/"
            f"{delta['hub_down']} hub down"
            + (", " + ", ".join(notes) if notes else "")
            + f"; converged in {rounds} round(s); ledger {report.committed} ops, on hub {report.on_hub}: "
            + ("ok" if report.ok else f"FAILED ({len(report.violations)} violation(s))"))
    world.say(line)
    return report


def print_figures(world, passed, failed, last_report, started):
    f, r = world.figures, world.relay.stats if world.relay else None
    lost = last_report.lost if last_report else 0
    doubled = last_report.doubled if last_report else 0
    print("figures:")
    print(f"  iterations          {f.iterations}")
    print(f"  hub kills           {f.hub_kills} (SIGKILL), plus {f.hub_stops} graceful stops for the checks")
    print(f"  client kills        {f.client_kills} syncs SIGKILLed, {f.record_kills} recording commands SIGKILLed "
          f"({f.record_kills_committed} of them had committed)")
    if r:
        print(f"  relay               {r.connections} connections: {r.cuts} cuts, {r.truncations} truncations, "
              f"{r.delayed} delayed, {r.hub_down} while the hub was down")
    print(f"  syncs               {f.syncs}: {f.syncs_ok} ok, {f.syncs_unreachable} unreachable (exit 3), "
          f"{f.syncs_cert_eof} exit 1 'certificate' (known defect), {f.syncs_other_error} other errors, {f.syncs_hung} hung")
    print(f"  admin moves         {f.reassignments} reassignments, {f.releases} releases, {f.admin_errors} failed")
    committed = sum(1 for e in world.ledger if e["op_id"])
    print(f"  ops recorded        {committed} (+{len(world.ledger) - committed} killed before committing)")
    print(f"  ops on hub          {last_report.on_hub if last_report else 0}")
    print(f"  lost                {lost}")
    print(f"  doubled             {doubled}")
    print(f"  time                {time.monotonic() - started:.0f} s")
    for kind, text in sorted(f.examples.items()):
        print(f"  first {kind}: {text}")


async def main_async(args, seed, holder):
    started = time.monotonic()
    world = World(args, seed)
    holder["world"] = world
    passed = failed = 0
    last_report = None
    failures = []
    previous = set()
    try:
        await setup(world)
        for iteration in range(1, args.iterations + 1):
            report = await run_iteration(world, iteration)
            last_report = report
            holder["passed"], holder["failed"] = passed + report.ok, failed + (not report.ok)
            if report.ok:
                passed += 1
                previous = set()
                continue
            failed += 1
            failures.append(iteration)
            print(f"FAILED iteration {iteration} (seed {seed}); reproduce with: make chaos SEED={seed} ITERATIONS={iteration}",
                  flush=True)
            new = [v for v in report.violations if v not in previous]
            for violation in new[:25]:
                print(f"  - {violation}", flush=True)
            if len(new) > 25:
                print(f"  … and {len(new) - 25} more", flush=True)
            previous = set(report.violations)
    except asyncio.CancelledError:
        raise
    except Exception as error:  # a harness or setup failure is a failed run, with what happened
        failed += 1
        print(f"ERROR (seed {seed}, after {world.figures.iterations} iteration(s)): {error}", flush=True)
    finally:
        world.runner.kill_all()
        if world.hub:
            await world.hub.stop(grace=10)
        if world.relay:
            await world.relay.close()
    print_figures(world, passed, failed, last_report, started)
    keep = args.keep or failed
    if keep:
        print(f"folder kept: {world.root}")
    else:
        shutil.rmtree(world.root, ignore_errors=True)
    if failures:
        print(f"failed iterations: {failures[:20]}; first: make chaos SEED={seed} ITERATIONS={failures[0]}")
    print(f"{passed} passed, {failed} failed", flush=True)
    return world, passed, failed


class _WatcherWarnings(logging.Handler):
    """asyncio's child watcher says so when a child's exit status was lost (then reported as 255):
    that result is the harness's, not the product's, so it is shown as such."""

    def emit(self, record):
        print(f"harness warning: {record.getMessage()}", flush=True)


def main():
    logging.getLogger("asyncio").addHandler(_WatcherWarnings(logging.WARNING))
    logging.getLogger("asyncio").propagate = False
    parser = argparse.ArgumentParser(description="Homeshore fault harness (real processes, faulty relay, SIGKILL, invariant checker).")
    parser.add_argument("--seed", type=int, default=None, help="seed of every decision (default: random, always printed)")
    parser.add_argument("--iterations", type=int, default=50)
    parser.add_argument("--bin", default=".build/debug", help="folder holding homeshore-hub and homeshore (default .build/debug)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (it is always kept on failure)")
    parser.add_argument("--quiet", action="store_true", help="no line per iteration")
    parser.add_argument("--time-limit", type=float, default=None,
                        help="stop the whole run after this many seconds (default 300 + 60 per iteration)")
    args = parser.parse_args()
    if args.iterations < 1:
        parser.error("--iterations must be at least 1")
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1, 2**31)
    for name in ("homeshore-hub", "homeshore"):
        if not os.access(os.path.join(args.bin, name), os.X_OK):
            print(f"chaos: {os.path.join(os.path.abspath(args.bin), name)} is missing; build first (swift build) or pass --bin DIR.")
            print("0 passed, 1 failed")
            sys.exit(1)
    limit = args.time_limit or 300 + 60 * args.iterations
    print(f"chaos: seed {seed}, {args.iterations} iteration(s), binaries from {os.path.abspath(args.bin)}", flush=True)

    async def bounded():
        holder = {}
        try:
            return await asyncio.wait_for(main_async(args, seed, holder), limit)
        except asyncio.TimeoutError:
            world = holder.get("world")
            done = world.figures.iterations if world else 0
            print(f"ERROR: the run did not finish within its time limit of {limit:.0f} s (seed {seed}, "
                  f"{done} iteration(s) done, stopped in iteration {done + 1})")
            if world:
                print(f"folder kept: {world.root}")
            passed, failed = holder.get("passed", 0), holder.get("failed", 0) + 1  # + the iteration cut short
            print(f"{passed} passed, {failed} failed")
            return None, passed, failed

    _, passed, failed = asyncio.run(bounded())
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
