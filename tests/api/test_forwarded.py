"""Reproduction (issue 12, §4): the login limit believed `X-Forwarded-For` from any local
client (20 wrong passwords with rotating headers, then the right one: 200). Forwarded
headers count only from the proxies `proa serve --trusted-proxy` names."""

from __future__ import annotations

import httpx

from bench import live


def _attempts(server: live.Server, email: str, password: str) -> list[httpx.Response]:
    """Five wrong passwords then the right one, each from a new forwarded address."""
    out = []
    for i, attempt in enumerate(["faux"] * 5 + [password]):
        out.append(
            httpx.post(
                server.base + "/api/v1/auth/login",
                json={"email": email, "password": attempt},
                headers={"X-Forwarded-For": f"203.0.113.{i}", "X-Forwarded-Proto": "https"},
            )
        )
    return out


def test_forwarded_headers_count_only_from_trusted_proxies(tmp_path: object) -> None:
    url = f"sqlite:///{tmp_path}/proxy.db"
    with live.running(url) as server:
        email, password = server.credentials()
        tries = _attempts(server, email, password)
    assert [r.status_code for r in tries] == [401] * 5 + [429]
    assert "strict-transport-security" not in tries[-1].headers  # plain HTTP, whatever it says
    with live.running(url, "--trusted-proxy", "127.0.0.1") as proxied:
        proxied.banner()
        tries = _attempts(proxied, email, password)
    assert [r.status_code for r in tries] == [401] * 5 + [200]  # six different clients
    assert tries[-1].headers["strict-transport-security"].startswith("max-age=")
    assert "Secure" in tries[-1].headers["set-cookie"]
    assert "server" not in tries[-1].headers  # no software name or version given away
