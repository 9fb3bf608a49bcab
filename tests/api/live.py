"""A real `proa serve` in a subprocess on a free loopback port, for the tests that need
real sockets, signals or several processes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

PROA = str(Path(sys.executable).parent / "proa")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Server:
    proc: subprocess.Popen[str]
    base: str
    port: int

    def credentials(self) -> tuple[str, str]:
        """The first-run administrator's address and password, as printed once."""
        assert self.proc.stdout is not None
        email = password = ""
        while not password:
            line = self.proc.stdout.readline()
            assert line, "no credentials printed"
            if "Adresse :" in line:
                email = line.split(":", 1)[1].strip()
            if "Mot de passe" in line:
                password = line.rsplit(": ", 1)[1].strip()
        return email, password

    def token(self, email: str, password: str) -> str:
        r = httpx.post(
            self.base + "/api/v1/auth/login", json={"email": email, "password": password}
        )
        assert r.status_code == 200, r.text
        token: str = r.json()["token"]
        return token

    def stop(self) -> str:
        """SIGTERM, then the output (SIGKILL if it does not stop within 15 s)."""
        self.proc.terminate()
        try:
            out, _ = self.proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            out, _ = self.proc.communicate()
        return out or ""


def start(url: str, *args: str, env: dict[str, str] | None = None) -> Server:
    port = free_port()
    proc = subprocess.Popen(
        [PROA, "serve", "--port", str(port), "--database", url, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=dict(os.environ, PYTHONUNBUFFERED="1", **(env or {})),
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(base + "/api/v1/health", timeout=1).status_code == 200:
                return Server(proc, base, port)
        except httpx.TransportError:
            if proc.poll() is not None:
                break
            time.sleep(0.1)
    proc.kill()
    raise AssertionError("server did not start: " + (proc.stdout.read() if proc.stdout else ""))


@contextmanager
def running(url: str, *args: str, env: dict[str, str] | None = None) -> Iterator[Server]:
    server = start(url, *args, env=env)
    try:
        yield server
    finally:
        if server.proc.poll() is None:
            server.stop()
