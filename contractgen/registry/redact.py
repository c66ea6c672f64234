"""Keeping registry credentials out of every output: URLs, error messages, plans, logs."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit, urlunsplit

MASK = "***"


def strip_userinfo(url: str) -> tuple[str, str | None, str | None]:
    """`https://u:p@host/x` -> (`https://host/x`, `u`, `p`); other URLs pass unchanged."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url, None, None
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{host}:{parts.port}" if parts.port is not None else host
    return urlunsplit(parts._replace(netloc=netloc)), parts.username, parts.password


class Redactor:
    """Replaces every known secret with `***`, and userinfo in URLs with `***@`."""

    def __init__(self, secrets: Iterable[str | None]) -> None:
        # Longest first, so a secret that contains another is masked whole.
        self._secrets = sorted({s for s in secrets if s}, key=len, reverse=True)

    def text(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, MASK)
        return text

    def url(self, url: str) -> str:
        parts = urlsplit(url)
        if parts.username is not None or parts.password is not None:
            netloc = MASK + "@" + parts.netloc.rpartition("@")[2]
            url = urlunsplit(parts._replace(netloc=netloc))
        return self.text(url)
