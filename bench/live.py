"""A real `proa serve` in a subprocess on a free loopback port, for the benchmarks and
the tests that need real sockets, signals or several processes."""

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

    def banner(self) -> str:
        """What the server printed before serving (up to « Ouvrez http://… »)."""
        assert self.proc.stdout is not None
        lines = []
        while not lines or not lines[-1].startswith("Ouvrez"):
            line = self.proc.stdout.readline()
            assert line, "the server stopped: " + "".join(lines)
            lines.append(line)
        return "".join(lines)

    def credentials(self) -> tuple[str, str]:
        return credentials(self.banner())

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


def credentials(banner: str) -> tuple[str, str]:
    """The first-run administrator's address and password, as printed once."""
    assert "Mot de passe" in banner, banner
    email = banner.split("Adresse :", 1)[1].split()[0]
    password = banner.split("une seule fois) :", 1)[1].split()[0]
    return email, password


def start(url: str, *args: str, env: dict[str, str] | None = None) -> Server:
    return start_many(url, 1, *args, env=env)[0]


def start_many(url: str, count: int, *args: str, env: dict[str, str] | None = None) -> list[Server]:
    """`count` servers on one database, launched together."""
    servers = []
    for _ in range(count):
        port = free_port()
        proc = subprocess.Popen(
            [PROA, "serve", "--port", str(port), "--database", url, *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=dict(os.environ, PYTHONUNBUFFERED="1", **(env or {})),
        )
        servers.append(Server(proc, f"http://127.0.0.1:{port}", port))
    for server in servers:
        _wait(server)
    return servers


def _wait(server: Server) -> None:
    for _ in range(300):
        try:
            if httpx.get(server.base + "/api/v1/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            if server.proc.poll() is not None:
                break
            time.sleep(0.1)
    server.proc.kill()
    out = server.proc.stdout.read() if server.proc.stdout else ""
    raise AssertionError("server did not start: " + out)


@contextmanager
def running(url: str, *args: str, env: dict[str, str] | None = None) -> Iterator[Server]:
    server = start(url, *args, env=env)
    try:
        yield server
    finally:
        if server.proc.poll() is None:
            server.stop()
