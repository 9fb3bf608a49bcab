"""Sending e-mail through an SMTP server, configured by the environment.

PROA_SMTP_HOST      the server (required to send)
PROA_SMTP_PORT      its port (default 587; 465 for `ssl`, 25 for `none` are usual)
PROA_SMTP_SECURITY  starttls (default), ssl (implicit TLS) or none (a local relay)
PROA_SMTP_USER      the login, if the server asks for one
PROA_SMTP_PASSWORD  its password (from the environment only, never an option)
PROA_SMTP_FROM      the sender's address (required)
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Literal, Protocol

from proa.core.catalogue import text
from proa.service.errors import InvalidInput

Security = Literal["starttls", "ssl", "none"]
TIMEOUT = 30.0  # seconds for the server to answer


class Mailer(Protocol):
    def send(self, message: EmailMessage) -> None: ...


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    sender: str
    port: int = 587
    security: Security = "starttls"
    user: str = ""
    password: str = field(default="", repr=False)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> SmtpSettings:
        """The settings of `env`; a French `InvalidInput` naming the variable when one is
        missing or wrong."""
        host, sender = env.get("PROA_SMTP_HOST", ""), env.get("PROA_SMTP_FROM", "")
        for name, value in (("PROA_SMTP_HOST", host), ("PROA_SMTP_FROM", sender)):
            if not value.strip():
                raise InvalidInput(text("service.smtp_setting", name=name, value=""))
        security = env.get("PROA_SMTP_SECURITY", "starttls").lower()
        if security not in ("starttls", "ssl", "none"):
            raise InvalidInput(
                text("service.smtp_setting", name="PROA_SMTP_SECURITY", value=security)
            )
        port_text = env.get("PROA_SMTP_PORT", "587")
        if not port_text.isdigit() or not 1 <= int(port_text) <= 65535:
            raise InvalidInput(text("service.smtp_setting", name="PROA_SMTP_PORT", value=port_text))
        return cls(
            host=host.strip(),
            sender=sender.strip(),
            port=int(port_text),
            security=security,  # type: ignore[arg-type]  # checked above
            user=env.get("PROA_SMTP_USER", ""),
            password=env.get("PROA_SMTP_PASSWORD", ""),
        )


class SmtpMailer:
    """One connection for the messages of one run, opened at the first one."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        context = ssl.create_default_context()
        smtp: smtplib.SMTP
        if s.security == "ssl":
            smtp = smtplib.SMTP_SSL(s.host, s.port, timeout=TIMEOUT, context=context)
        else:
            smtp = smtplib.SMTP(s.host, s.port, timeout=TIMEOUT)
            if s.security == "starttls":
                smtp.starttls(context=context)
        if s.user:
            smtp.login(s.user, s.password)
        return smtp

    def send(self, message: EmailMessage) -> None:
        if self._smtp is None:
            self._smtp = self._connect()
        try:
            self._smtp.send_message(message)
        except (smtplib.SMTPServerDisconnected, OSError):
            self._smtp = None  # the next message opens a new connection
            raise

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except smtplib.SMTPException:
                self._smtp.close()
            self._smtp = None
