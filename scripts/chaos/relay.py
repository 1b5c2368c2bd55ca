"""A loopback TCP relay between the clients and the hub that misbehaves on purpose.

Every accepted connection gets one decision, drawn from a random generator seeded with the run's
seed, the iteration and the connection's number within the iteration, so a seed replays the same
schedule of faults:

- pass:     bytes go through untouched;
- delay:    every chunk waits a random few milliseconds before it is forwarded;
- cut:      after a random number of bytes (client to hub, hub to client, or both counted
            together) both sockets are aborted (RST), possibly in the middle of a TLS record;
- truncate: exactly N bytes of one direction are forwarded, then both sockets are closed (FIN).

When healed, every connection passes. Only 127.0.0.1 is ever used.
"""

import asyncio
import random
import socket
import struct

PASS, DELAY, CUT, TRUNCATE = "pass", "delay", "cut", "truncate"
C2H, H2C, BOTH = "client->hub", "hub->client", "both"
CHUNK = 16384
# A connection, even a delayed one, never lives longer than this.
CONNECTION_LIFETIME = 240.0


class Decision:
    def __init__(self, kind, direction=BOTH, limit=0, delay_max=0.0, seed=0):
        self.kind = kind
        self.direction = direction
        self.limit = limit
        self.delay_max = delay_max
        self.seed = seed

    def __repr__(self):
        if self.kind in (CUT, TRUNCATE):
            return f"{self.kind}({self.direction}@{self.limit})"
        if self.kind == DELAY:
            return f"delay(<={self.delay_max * 1000:.0f}ms)"
        return self.kind


def byte_count(rng):
    """Log-uniform between 0 and 64 KiB: handshakes (a few KiB) and bodies are both hit."""
    return int(2 ** rng.uniform(0, 16)) - 1


def decide(rng, weights):
    """One connection's fate. `weights` maps kind -> weight."""
    kinds = [PASS, DELAY, CUT, TRUNCATE]
    kind = rng.choices(kinds, weights=[weights.get(k, 0) for k in kinds])[0]
    if kind == PASS:
        return Decision(PASS)
    if kind == DELAY:
        return Decision(DELAY, delay_max=rng.uniform(0.005, 0.3), seed=rng.getrandbits(32))
    direction = rng.choice([C2H, H2C, BOTH])
    return Decision(kind, direction=direction, limit=byte_count(rng), seed=rng.getrandbits(32))


class RelayStats:
    def __init__(self):
        self.connections = 0
        self.passed = 0
        self.delayed = 0
        self.cuts = 0              # cut decisions whose byte limit was reached (connection aborted)
        self.truncations = 0       # truncate decisions whose byte limit was reached (closed after N bytes)
        self.hub_down = 0          # connections accepted while nothing listened behind the relay

    def as_dict(self):
        return dict(self.__dict__)


class Relay:
    def __init__(self, target_port, log=None):
        self.target_port = target_port
        self.log = log or (lambda message: None)
        self.stats = RelayStats()
        self.healed = True
        self.weights = {PASS: 45, DELAY: 20, CUT: 20, TRUNCATE: 15}
        self.seed_text = "heal"
        self.counter = 0
        self.server = None
        self.port = None
        self.tasks = set()

    async def start(self):
        self.server = await asyncio.start_server(self._accept, host="127.0.0.1", port=0, reuse_address=True)
        self.port = self.server.sockets[0].getsockname()[1]
        return self.port

    def chaos(self, seed, iteration):
        """From now on, decisions come from (seed, iteration, connection number)."""
        self.seed_text = f"{seed}:{iteration}:relay"
        self.counter = 0
        self.healed = False

    def heal(self):
        self.healed = True

    async def close(self):
        if self.server is not None:
            self.server.close()
            try:
                await asyncio.wait_for(self.server.wait_closed(), 5)
            except (asyncio.TimeoutError, Exception):
                pass
        for task in list(self.tasks):
            task.cancel()
        if self.tasks:
            await asyncio.wait(self.tasks, timeout=5)

    def _accept(self, reader, writer):
        task = asyncio.ensure_future(self._serve(reader, writer))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _serve(self, creader, cwriter):
        self.stats.connections += 1
        if self.healed:
            decision = Decision(PASS)
        else:
            number = self.counter
            self.counter += 1
            decision = decide(random.Random(f"{self.seed_text}:{number}"), self.weights)
        try:
            hreader, hwriter = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", self.target_port), 5)
        except (OSError, asyncio.TimeoutError):
            # The hub is down: the client connected to the relay, so it sees a reset, not a refusal.
            self.stats.hub_down += 1
            _abort(cwriter)
            return
        if decision.kind == PASS:
            self.stats.passed += 1
        elif decision.kind == DELAY:
            self.stats.delayed += 1
        connection = _Connection(decision, cwriter, hwriter, self.stats)
        try:
            await asyncio.wait_for(asyncio.gather(
                connection.pump(creader, hwriter, C2H),
                connection.pump(hreader, cwriter, H2C),
            ), CONNECTION_LIFETIME)
        except (asyncio.TimeoutError, asyncio.CancelledError):
            connection.abort()
        except Exception:
            connection.abort()
        finally:
            connection.close()


class _Connection:
    def __init__(self, decision, cwriter, hwriter, stats):
        self.decision = decision
        self.cwriter = cwriter
        self.hwriter = hwriter
        self.stats = stats
        self.sent = {C2H: 0, H2C: 0}
        self.done = False
        self.rngs = {C2H: random.Random(f"{decision.seed}:c2h"), H2C: random.Random(f"{decision.seed}:h2c")}

    def counted(self, direction):
        if self.decision.direction == BOTH:
            return self.sent[C2H] + self.sent[H2C]
        return self.sent[direction]

    def applies(self, direction):
        return self.decision.direction in (BOTH, direction)

    async def pump(self, reader, writer, direction):
        d = self.decision
        while not self.done:
            try:
                data = await reader.read(CHUNK)
            except (OSError, ConnectionError):
                self.abort()
                return
            if not data:
                # Half-close: pass the end of stream on and keep the other direction going.
                try:
                    if writer.can_write_eof() and not writer.is_closing():
                        writer.write_eof()
                except (OSError, RuntimeError):
                    pass
                return
            if d.kind == DELAY:
                await asyncio.sleep(self.rngs[direction].uniform(0, d.delay_max))
            if d.kind in (CUT, TRUNCATE) and self.applies(direction):
                room = d.limit - self.counted(direction)
                if len(data) >= room:
                    head = data[:max(room, 0)]
                    if d.kind == CUT:
                        # Part of the chunk may or may not reach the other side before the reset.
                        self._write(writer, head)
                        self.stats.cuts += 1
                        self.abort()
                    else:
                        self._write(writer, head)
                        try:
                            await asyncio.wait_for(writer.drain(), 5)
                        except (OSError, ConnectionError, asyncio.TimeoutError):
                            pass
                        self.stats.truncations += 1
                        self.close()
                    return
            self.sent[direction] += len(data)
            if not self._write(writer, data):
                self.abort()
                return
            try:
                await asyncio.wait_for(writer.drain(), 60)
            except (OSError, ConnectionError, asyncio.TimeoutError):
                self.abort()
                return

    def _write(self, writer, data):
        if self.done or writer.is_closing():
            return False
        try:
            writer.write(data)
            return True
        except (OSError, RuntimeError):
            return False

    def abort(self):
        if not self.done:
            self.done = True
            _abort(self.cwriter)
            _abort(self.hwriter)

    def close(self):
        self.done = True
        for writer in (self.cwriter, self.hwriter):
            try:
                writer.close()
            except (OSError, RuntimeError):
                pass


def _abort(writer):
    """Close with RST: SO_LINGER 0, then abort the transport."""
    try:
        sock = writer.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except (OSError, ValueError):
        pass
    try:
        writer.transport.abort()
    except (OSError, RuntimeError):
        pass
