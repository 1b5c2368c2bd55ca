"""A real hub for the API checks: `homeshore-hub init`, sample dossiers, agents, `serve` on a free
loopback port, and helpers to enroll devices and open dashboard sessions over the real API.

Everything runs in a temporary folder, removed at the end (unless keep=True), and the hub is always
stopped (SIGTERM, then SIGKILL after 10 s), also when the caller fails or is interrupted.
"""
from __future__ import annotations

import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from typing import Any

import requests

READY_PREFIX = "homeshore-hub listening on"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def enrollment_secret(token: str) -> str:
    """The one-time secret inside an `hs1.` token (base64url JSON: fingerprint, secret, url)."""
    token = token.strip()
    if not token.startswith("hs1."):
        raise ValueError(f"not an enrollment token: {token[:20]}…")
    payload = token[4:]
    payload += "=" * (-len(payload) % 4)
    return json.loads(base64.urlsafe_b64decode(payload))["secret"]


class PortTaken(Exception):
    pass


def stop_on_sigterm() -> None:
    """SIGTERM (a CI's time-out, `kill`) unwinds like Ctrl-C, so the hub is stopped and the folder removed."""
    def handler(signum, frame):
        raise SystemExit(128 + signum)
    signal.signal(signal.SIGTERM, handler)


class LiveHub:
    def __init__(self, bin_dir: str, label: str = "api", keep: bool = False):
        self.hub_bin = os.path.join(bin_dir, "homeshore-hub")
        self.client_bin = os.path.join(bin_dir, "homeshore")
        for path in (self.hub_bin,):
            if not os.access(path, os.X_OK):
                raise SystemExit(f"{path} is missing; build first (swift build) or pass --bin DIR")
        self.root = tempfile.mkdtemp(prefix=f"homeshore-{label}-")
        self.data = os.path.join(self.root, "hub")
        self.keep = keep
        self.port = 0
        self.process: subprocess.Popen | None = None
        self.http = requests.Session()
        # The environment's REQUESTS_CA_BUNDLE would override a session's `verify`: never read it.
        self.http.trust_env = False
        self.http.verify = self.ca_file

    @property
    def ca_file(self) -> str:
        return os.path.join(self.data, "ca.pem")

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    # -- admin CLI ------------------------------------------------------------------------------

    def cli(self, *args: str, stdin: str | None = None, check: bool = True, data: bool = True) -> subprocess.CompletedProcess:
        argv = [self.hub_bin, *args] + (["--data", self.data] if data else [])
        result = subprocess.run(argv, input=stdin, capture_output=True, text=True, timeout=120)
        if check and result.returncode != 0:
            raise RuntimeError(f"`homeshore-hub {' '.join(args)}` failed ({result.returncode}): {result.stderr.strip()[:500]}")
        return result

    def init(self) -> None:
        self.port = free_port()
        self.cli("init", "--public-url", self.url, "--hostname", "127.0.0.1")

    def import_sample(self, portfolio: str, count: int, seed: int = 1) -> None:
        csv = self.cli("sample-dossiers", "--count", str(count), "--seed", str(seed), data=False).stdout
        self.import_csv(portfolio, csv)

    def import_csv(self, portfolio: str, csv: str) -> None:
        path = os.path.join(self.root, f"{portfolio}.csv")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(csv)
        self.cli("import", "dossiers", path, "--portfolio", portfolio)

    def add_agent(self, login: str, name: str, *extra: str) -> tuple[str, str | None]:
        """`agent add`: the enrollment token, and the first password for supervisors and admins."""
        lines = self.cli("agent", "add", login, "--name", name, *extra).stdout.strip().splitlines()
        token = lines[0].strip()
        password = next((line.split(":", 1)[1].strip() for line in lines[1:] if line.startswith("password:")), None)
        return token, password

    # -- the server -----------------------------------------------------------------------------

    def start(self, timeout: float = 60) -> None:
        """`serve` until it prints that it listens; a port taken meanwhile is traded for another."""
        for attempt in range(5):
            try:
                self._serve(timeout)
                return
            except PortTaken:
                if attempt == 4:
                    raise RuntimeError(f"no free port after 5 attempts: {self.log_tail()}")
                self.port = free_port()

    def _serve(self, timeout: float) -> None:
        self.out_path = os.path.join(self.root, "serve.out")
        self.err_path = os.path.join(self.root, "serve.err")
        with open(self.out_path, "w") as out, open(self.err_path, "w") as err:
            self.process = subprocess.Popen([self.hub_bin, "serve", "--data", self.data, "--listen", f"127.0.0.1:{self.port}"],
                                            stdout=out, stderr=err, stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with open(self.out_path, encoding="utf-8", errors="replace") as handle:
                if any(line.startswith(READY_PREFIX) for line in handle):
                    return
            if self.process.poll() is not None:
                log = self.log_tail()
                self.process = None
                if "address already in use" in log.lower() or "eaddrinuse" in log.lower():
                    raise PortTaken()
                raise RuntimeError(f"the hub exited before listening: {log}")
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"the hub did not say it was listening within {timeout} s: {self.log_tail()}")

    def log_tail(self, size: int = 2000) -> str:
        try:
            with open(self.err_path, encoding="utf-8", errors="replace") as handle:
                return handle.read()[-size:]
        except OSError:
            return ""

    def unexpected_errors(self) -> list[str]:
        """Lines of the hub's log that report a failure of its own (what a 500 is answered for)."""
        try:
            with open(self.err_path, encoding="utf-8", errors="replace") as handle:
                return [line.strip() for line in handle if "unexpected error" in line or "Fatal error" in line]
        except OSError:
            return []

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None

    def close(self) -> None:
        self.stop()
        self.http.close()
        if not self.keep:
            shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> "LiveHub":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -- the API --------------------------------------------------------------------------------

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", 30)
        kwargs.setdefault("allow_redirects", False)
        try:
            return self.http.request(method, self.url + path, **kwargs)
        finally:
            # Each request carries exactly the credentials it is given: no cookie is kept.
            self.http.cookies.clear()

    def enroll(self, token: str, device_name: str) -> dict:
        response = self.request("POST", "/v1/enroll", json={"secret": enrollment_secret(token), "device_name": device_name})
        if response.status_code != 200:
            raise RuntimeError(f"enrolling {device_name} answered {response.status_code}: {response.text[:300]}")
        return response.json()

    def log_in(self, login: str, password: str) -> str:
        """A dashboard session (the `hs_session` cookie's value) over `POST /login`."""
        response = self.request("POST", "/login", data={"login": login, "password": password, "next": "/"})
        if response.status_code != 303 or "hs_session" not in response.cookies:
            raise RuntimeError(f"logging {login} in answered {response.status_code}")
        return response.cookies["hs_session"]
