"""ASGI middleware in front of every route, outermost first: security headers, body limits
(size and JSON depth), admission (a bounded number of requests at work, a bounded queue,
early 503s, nothing done for a client that has gone).

Pure ASGI (no BaseHTTPMiddleware): they see each request before any routing or parsing.
"""

from __future__ import annotations

import json
import re
from collections import deque
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any

import anyio
import anyio.lowlevel

from proa.core.catalogue import Text, text

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

PROBLEM = "application/problem+json"


async def send_problem(
    send: Send, status: int, title: str, detail: Text, headers: dict[str, str] | None = None
) -> None:
    """A French problem+json answer sent straight from a middleware."""
    body = json.dumps(
        {
            "type": f"urn:proa:problem:http-{status}",
            "title": title,
            "status": status,
            "detail": detail.fr,
            "detail_en": detail.en,
        },
        ensure_ascii=False,
    ).encode()
    raw = [
        (b"content-type", PROBLEM.encode()),
        (b"content-length", str(len(body)).encode()),
        (b"cache-control", b"no-store"),
        *((k.lower().encode(), v.encode()) for k, v in (headers or {}).items()),
    ]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


@dataclass(frozen=True)
class AdmissionLimits:
    active: int = 16  # requests at work at once (each uses at most one thread at a time)
    queue: int = 64  # requests waiting for a turn; beyond, the oldest is refused (503)
    wait: float = 2.0  # seconds a request may wait for its turn; beyond, 503
    retry_after: int = 1  # seconds, in the 503's Retry-After


@dataclass(eq=False)
class _Waiter:
    turn: anyio.Event = field(default_factory=anyio.Event)
    outcome: str = ""  # set by another request: "slot" (handed over) or "shed"


class Admission:
    """Bounded work and a bounded queue. Under a burst, a request waits at most `wait`
    seconds for its turn, and when the queue is full the oldest waiter is refused, so that
    what is served stays fresh; refusals are immediate 503s with Retry-After. A request
    whose client has gone (closed or reset the connection) leaves the queue at once and
    is never worked on, so that aborted requests cost nothing. `exempt` paths (health,
    static files) bypass the queue."""

    def __init__(self, app: ASGIApp, limits: AdmissionLimits, exempt: tuple[str, ...] = ()) -> None:
        self.app = app
        self.limits = limits
        self.exempt = exempt
        self.free = limits.active
        self.queue: deque[_Waiter] = deque()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(self.exempt):
            await self.app(scope, receive, send)
            return
        pending = [m for m in [await _peek(receive)] if m is not None]
        # A complete request's next message can only say that the client has gone.
        watch = bool(pending) and not pending[0].get("more_body", False)
        if watch:
            # Reading resumed with the first message: let the server take in what else
            # arrived meanwhile (such as a reset of this very connection), then look.
            for _ in range(3):
                await anyio.lowlevel.checkpoint()
            pending += [m for m in [await _peek(receive)] if m is not None]
        if any(m["type"] == "http.disconnect" for m in pending):
            return  # the client has gone: do nothing for it
        turn = await self._turn(receive if watch else None, pending)
        if turn in ("shed", "timeout"):
            await send_problem(
                send,
                503,
                text("http.busy").fr,
                text("http.busy_detail"),
                {"Retry-After": str(self.limits.retry_after)},
            )
        if turn != "slot":
            return
        try:
            await self.app(scope, _replay(pending, receive), send)
        finally:
            self._release()

    async def _turn(self, receive: Receive | None, pending: list[Message]) -> str:
        """Wait for a slot: "slot" (taken), "gone" (the client left), "shed" or "timeout"."""
        if self.free > 0 and not self.queue:
            self.free -= 1
            return "slot"
        if len(self.queue) >= self.limits.queue:
            self._settle(self.queue.popleft(), "shed")
        waiter = _Waiter()
        self.queue.append(waiter)
        gone = False
        async with anyio.create_task_group() as group:
            if receive is not None:

                async def watch() -> None:
                    nonlocal gone
                    message = await receive()
                    if message["type"] == "http.disconnect":
                        gone = True
                        group.cancel_scope.cancel()
                    else:
                        pending.append(message)

                group.start_soon(watch)
            with anyio.move_on_after(self.limits.wait):
                await waiter.turn.wait()
            group.cancel_scope.cancel()
        if waiter.outcome == "slot" and gone:
            self._release()
        if waiter.outcome:
            return "gone" if gone else waiter.outcome
        self.queue.remove(waiter)  # still waiting: the client left or the wait ran out
        return "gone" if gone else "timeout"

    def _release(self) -> None:
        """Hand the slot to the longest waiter, or free it."""
        if self.queue:
            self._settle(self.queue.popleft(), "slot")
        else:
            self.free += 1

    @staticmethod
    def _settle(waiter: _Waiter, outcome: str) -> None:
        waiter.outcome = outcome
        waiter.turn.set()


async def _peek(receive: Receive) -> Message | None:
    """The first message if it is already there (a complete request, or the news that the
    client has gone), without waiting for a body still on its way."""
    with anyio.move_on_after(0):
        return await receive()
    return None


def _replay(pending: list[Message], receive: Receive) -> Receive:
    async def replayed() -> Message:
        return pending.pop(0) if pending else await receive()

    return replayed


class BodyLimit:
    """Every request body is read here first, bounded: beyond `size` bytes, 413 before any
    parsing (a declared length is refused without reading); JSON nested beyond `depth`
    levels, 422 (a deep document would exhaust the parser's recursion). File uploads
    (paths matching one of the `uploads` patterns from their start) may declare up to
    `upload_size` bytes and stream through: their routes count what they read."""

    def __init__(
        self,
        app: ASGIApp,
        size: int = 1 << 20,
        depth: int = 32,
        uploads: tuple[str, ...] = (),
        upload_size: int = 0,
    ) -> None:
        self.app = app
        self.size = size
        self.depth = depth
        self.uploads = re.compile("|".join(uploads)) if uploads else None
        self.upload_size = upload_size

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        declared = headers.get(b"content-length", b"0")
        upload = bool(self.uploads and self.uploads.match(scope["path"]))
        limit = self.upload_size if upload else self.size
        if not declared.isdigit() or int(declared) > limit:
            await self._too_large(send, limit)
            return
        if upload:
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        received = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunks.append(message.get("body", b""))
            received += len(chunks[-1])
            if received > self.size:
                await self._too_large(send, self.size)
                return
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if b"json" in headers.get(b"content-type", b"") and _deeper(body, self.depth):
            await send_problem(
                send, 422, text("http.invalid_input").fr, text("http.too_deep", limit=self.depth)
            )
            return
        await self.app(
            scope,
            _replay([{"type": "http.request", "body": body, "more_body": False}], receive),
            send,
        )

    async def _too_large(self, send: Send, limit: int) -> None:
        await send_problem(
            send, 413, text("http.too_large").fr, text("http.body_limit", limit=limit)
        )


_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


def _deeper(body: bytes, limit: int) -> bool:
    """Whether a JSON document nests deeper than `limit` (brackets inside strings aside)."""
    if body.count(b"[") + body.count(b"{") <= limit:
        return False
    level = 0
    for char in _STRING.sub(b"", body).translate(None, _NOT_BRACKETS):
        level += 1 if char in b"[{" else -1
        if level > limit:
            return True
    return False


@dataclass(frozen=True)
class Framing:
    """What the security headers depend on."""

    hsts_seconds: int = 31_536_000  # sent over HTTPS only


class SecurityHeaders:
    """Headers on every answer: no framing by another site (clickjacking), resources from
    this origin only, no MIME sniffing, no referrer to other sites, nothing stored by a
    cache (pages and documents hold personal data; static files excepted), and HSTS when
    the request came over HTTPS."""

    def __init__(self, app: ASGIApp, framing: Framing | None = None) -> None:
        self.app = app
        self.framing = framing or Framing()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        # Swagger UI (/docs) styles itself inline and shows data: images.
        style = "'self' 'unsafe-inline'" if path.startswith("/docs") else "'self'"
        extra = [
            (
                b"content-security-policy",
                f"default-src 'self'; style-src {style}; img-src 'self' data:; "
                "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; "
                "object-src 'none'".encode(),
            ),
            (b"x-frame-options", b"DENY"),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"same-origin"),
            (b"cross-origin-opener-policy", b"same-origin"),
        ]
        if scope.get("scheme") == "https":
            extra.append(
                (
                    b"strict-transport-security",
                    f"max-age={self.framing.hsts_seconds}; includeSubDomains".encode(),
                )
            )
        cacheable = path.startswith("/static/")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                headers += [h for h in extra if h[0] not in names]
                if not cacheable:
                    headers = [h for h in headers if h[0].lower() != b"cache-control"]
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)
