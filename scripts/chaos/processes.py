"""Running the real binaries: bounded commands, killable commands, and the hub process."""

import asyncio
import http.client
import os
import signal
import socket
import ssl
import time


class Result:
    def __init__(self, argv, returncode, stdout, stderr, killed=False, timed_out=False, elapsed=0.0):
        self.argv = argv
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr
        self.killed = killed          # SIGKILLed by the harness on purpose
        self.timed_out = timed_out    # SIGKILLed because it overran its timeout
        self.elapsed = elapsed

    @property
    def ok(self):
        return self.returncode == 0 and not self.killed and not self.timed_out

    def describe(self):
        how = ("killed by the harness" if self.killed else "timed out" if self.timed_out
               else f"exited {self.returncode}")
        command = " ".join(os.path.basename(a) if i == 0 else a for i, a in enumerate(self.argv))
        return f"`{command}` {how}\n  stdout: {self.stdout.strip()[-600:]}\n  stderr: {self.stderr.strip()[-600:]}"


def clean_env():
    env = dict(os.environ)
    # Every command names its folder explicitly; a developer's own folders are never touched.
    env.pop("HOMESHORE_HOME", None)
    env.pop("HOMESHORE_HUB_DATA", None)
    return env


class Runner:
    """Starts commands and remembers the live ones, so that nothing outlives the harness."""

    def __init__(self, log_path=None):
        self.live = set()
        self.env = clean_env()
        self.log_path = log_path

    def note(self, text):
        if self.log_path:
            with open(self.log_path, "a", encoding="utf-8") as log:
                log.write(f"{time.strftime('%H:%M:%S')} === {text}\n")

    def _log(self, result, started_at):
        if not self.log_path:
            return
        how = "KILLED" if result.killed else "TIMEOUT" if result.timed_out else f"rc={result.returncode}"
        command = " ".join([os.path.basename(result.argv[0])] + list(result.argv[1:]))
        stderr = result.stderr.strip().replace("\n", " | ")[-400:]
        with open(self.log_path, "a", encoding="utf-8") as log:
            log.write(f"{started_at} +{result.elapsed:.3f}s {how} {command}" + (f"  stderr: {stderr}" if stderr else "") + "\n")

    async def run(self, argv, timeout=60.0, kill_after=None, stdin_data=None):
        """Runs argv to its end. With kill_after (seconds), SIGKILLs it at that moment if still running.
        Never waits longer than timeout (then SIGKILL, and timed_out)."""
        started_at = time.strftime("%H:%M:%S") + f".{int(time.time() * 1000) % 1000:03d}"
        result = await self._run(argv, timeout, kill_after, stdin_data)
        self._log(result, started_at)
        return result

    async def _run(self, argv, timeout, kill_after, stdin_data):
        started = time.monotonic()
        proc = await asyncio.create_subprocess_exec(
            *argv, stdin=asyncio.subprocess.PIPE if stdin_data is not None else asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env=self.env)
        self.live.add(proc)
        try:
            communicate = asyncio.ensure_future(proc.communicate(stdin_data))
            killed = timed_out = False
            first = timeout if kill_after is None else min(kill_after, timeout)
            done, _ = await asyncio.wait({communicate}, timeout=first)
            if not done:
                if kill_after is not None and kill_after < timeout:
                    killed = True
                else:
                    timed_out = True
                _kill(proc)
                done, _ = await asyncio.wait({communicate}, timeout=30)
                if not done:
                    communicate.cancel()
                    return Result(argv, -9, "", "(no output: the process did not end after SIGKILL)", killed, timed_out,
                                  time.monotonic() - started)
            stdout, stderr = communicate.result()
            code = proc.returncode
            if killed and code != -signal.SIGKILL:
                # It ended on its own just before the signal landed.
                killed = False
            return Result(argv, code, stdout.decode("utf-8", "replace"), stderr.decode("utf-8", "replace"),
                          killed, timed_out, time.monotonic() - started)
        finally:
            self.live.discard(proc)

    def kill_all(self):
        for proc in list(self.live):
            _kill(proc)


def _signal(proc, sig):
    """os.kill, not Process.kill/send_signal: those call Popen.poll() first, which reaps a child that
    has just exited behind asyncio's child watcher, and the watcher then reports exit 255 instead of
    the real status. A zombie is not reaped by os.kill, so its pid cannot have been reused."""
    if proc.returncode is not None:
        return
    try:
        os.kill(proc.pid, sig)
    except ProcessLookupError:
        pass


def _kill(proc):
    _signal(proc, signal.SIGKILL)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def healthz(port, cafile, timeout=2.0):
    """GET /healthz over TLS, verifying the hub's certificate against its own CA."""
    context = ssl.create_default_context(cafile=cafile)
    connection = http.client.HTTPSConnection("127.0.0.1", port, timeout=timeout, context=context)
    try:
        connection.request("GET", "/healthz")
        response = connection.getresponse()
        response.read()
        return response.status == 200
    except (OSError, ssl.SSLError, http.client.HTTPException):
        return False
    finally:
        connection.close()


class Hub:
    """`homeshore-hub serve` on a fixed 127.0.0.1 port; its logs are appended to files in logs/."""

    def __init__(self, binary, data, port, logs):
        self.binary = binary
        self.data = data
        self.port = port
        self.logs = logs
        self.proc = None
        self.starts = 0
        self.env = clean_env()

    @property
    def running(self):
        return self.proc is not None and self.proc.returncode is None

    async def start(self, timeout=60.0):
        """Starts the hub and waits (bounded) until GET /healthz answers 200."""
        if self.running:
            return
        deadline = time.monotonic() + timeout
        cafile = os.path.join(self.data, "ca.pem")
        while True:
            self.starts += 1
            out = open(os.path.join(self.logs, "hub.out"), "ab")
            err = open(os.path.join(self.logs, "hub.err"), "ab")
            try:
                self.proc = await asyncio.create_subprocess_exec(
                    self.binary, "serve", "--data", self.data, "--listen", f"127.0.0.1:{self.port}",
                    stdin=asyncio.subprocess.DEVNULL, stdout=out, stderr=err, env=self.env)
            finally:
                out.close()
                err.close()
            while time.monotonic() < deadline:
                if self.proc.returncode is not None:
                    break
                if await asyncio.to_thread(healthz, self.port, cafile):
                    return
                await asyncio.sleep(0.05)
            if self.proc.returncode is None:
                await self.kill()
                raise RuntimeError(f"the hub did not answer /healthz within {timeout:.0f} s")
            # It exited: most likely the port is still held by the previous process; retry until the deadline.
            if time.monotonic() >= deadline:
                raise RuntimeError(f"the hub exited {self.proc.returncode} at start; see {self.logs}/hub.err")
            await asyncio.sleep(0.3)

    async def kill(self):
        """SIGKILL, and wait (bounded) until it is gone."""
        if not self.running:
            return
        _kill(self.proc)
        try:
            await asyncio.wait_for(self.proc.wait(), 30)
        except asyncio.TimeoutError:
            raise RuntimeError("the hub did not end after SIGKILL")

    async def stop(self, grace=15.0):
        """SIGTERM, then SIGKILL after grace seconds. Returns True if it stopped by itself."""
        if not self.running:
            return True
        _signal(self.proc, signal.SIGTERM)
        try:
            await asyncio.wait_for(self.proc.wait(), grace)
            return True
        except asyncio.TimeoutError:
            await self.kill()
            return False

    def kill_now(self):
        if self.running:
            _kill(self.proc)
