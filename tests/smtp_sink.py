"""A local SMTP server for tests (RFC 5321, the commands `smtplib` sends without TLS or
login): it keeps every message it accepts. Started by the test on a free port of 127.0.0.1,
in a thread of its own (asyncio); `refuse` makes it answer 554 to the next DATA."""

from __future__ import annotations

import asyncio
import re
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage


def _address(command: str) -> str:
    found = re.search(r"<([^>]*)>", command)
    return found.group(1) if found else ""


class SmtpSink:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.refuse = 0  # how many of the next messages to refuse
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> SmtpSink:
        self._thread.start()
        self._ready.wait(10)
        return self

    def __exit__(self, *_: object) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(asyncio.start_server(self._session, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()
        server.close()
        self._loop.run_until_complete(server.wait_closed())
        self._loop.close()

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        def reply(line: str) -> None:
            writer.write(line.encode("ascii") + b"\r\n")

        sender, recipients = "", []
        reply("220 sink ESMTP")
        while line := await reader.readline():
            verb = line.decode("ascii", "replace").strip()
            command = verb[:4].upper()
            if command == "EHLO":
                reply("250-sink")
                reply("250 8BITMIME")
            elif command == "HELO":
                reply("250 sink")
            elif command == "MAIL":
                sender, recipients = _address(verb), []
                reply("250 OK")
            elif command == "RCPT":
                recipients.append(_address(verb))
                reply("250 OK")
            elif command == "DATA":
                reply("354 end with <CRLF>.<CRLF>")
                await writer.drain()
                data = []
                while (part := await reader.readline()) not in (b".\r\n", b""):
                    data.append(part[1:] if part.startswith(b"..") else part)
                if self.refuse:
                    self.refuse -= 1
                    reply("554 refused by the test")
                else:
                    raw = b"".join(data)
                    parsed = message_from_bytes(raw, policy=policy.default)
                    assert isinstance(parsed, EmailMessage)
                    self.messages.append(parsed)
                    self.envelopes.append((sender, recipients))
                    reply("250 OK")
            elif command == "QUIT":
                reply("221 bye")
                await writer.drain()
                break
            else:  # RSET, NOOP
                reply("250 OK")
            await writer.drain()
        writer.close()
