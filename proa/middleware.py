"""ASGI middleware in front of every route: admission (a bounded number of requests at
work, a bounded queue, early 503s, nothing done for a client that has gone).

Pure ASGI (no BaseHTTPMiddleware): they see each request before any routing or parsing.
"""

from __future__ import annotations

import json
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
        # Let the server take in what else arrived meanwhile (such as a reset of this very
        # connection) before looking at the request.
        for _ in range(3):
            await anyio.lowlevel.checkpoint()
        pending = [m for m in [await _peek(receive)] if m is not None]
        if pending and pending[0]["type"] == "http.disconnect":
            return  # the client has gone: do nothing for it
        # A complete request's next message can only say that the client has gone: watch
        # for it while waiting, so that an abandoned request leaves the queue at once.
        watch = bool(pending) and not pending[0].get("more_body", False)
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
