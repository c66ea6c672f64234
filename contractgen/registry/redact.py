"""Keeping registry credentials out of every output: URLs, error messages, plans, logs.

A server may echo what it was sent (a debugging proxy, an error page quoting the request), so a
secret can come back in any of its forms: as given, percent-encoded in a URL, as the base64 of
`user:password` in a basic `Authorization` header, or as a bearer token. Every form of every
known secret is masked, and so is any `Authorization`-style credential and URL userinfo, known
or not.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable
from urllib.parse import quote, unquote, urlsplit, urlunsplit

MASK = "***"

_SCHEME_CREDENTIAL = re.compile(r"(?i)\b(basic|bearer)(\s+)[A-Za-z0-9._~+/=-]{4,}")
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^\s@'\"]+@")  # a password may hold `/`


def strip_userinfo(url: str) -> tuple[str, str | None, str | None]:
    """`https://u:p@host/x` -> (`https://host/x`, `u`, `p`); other URLs pass unchanged."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url, None, None
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{host}:{parts.port}" if parts.port is not None else host
    user = None if parts.username is None else unquote(parts.username)
    password = None if parts.password is None else unquote(parts.password)
    return urlunsplit(parts._replace(netloc=netloc)), user, password


def _forms(secret: str) -> set[str]:
    """A secret as it may come back: as given, percent-encoded, base64 (padded or not)."""
    encoded = base64.b64encode(secret.encode()).decode()
    return {secret, quote(secret, safe=""), encoded, encoded.rstrip("=")}


class Redactor:
    """Replaces every known secret (in every form) with `***`, and credentials in URLs and
    `Authorization`-style values with `***` whether known or not."""

    def __init__(self, secrets: Iterable[str | None], user: str | None = None) -> None:
        known = {s for s in secrets if s}
        forms: set[str] = set()
        for secret in known:
            forms |= _forms(secret)
            if user:
                forms |= _forms(f"{user}:{secret}")
        # Longest first, so a secret that contains another is masked whole. One or two
        # characters would mask every occurrence in ordinary text: no real secret is that short.
        self._secrets = sorted((f for f in forms if len(f) >= 3), key=len, reverse=True)

    def text(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, MASK)
        text = _SCHEME_CREDENTIAL.sub(lambda m: f"{m[1]}{m[2]}{MASK}", text)
        return _USERINFO.sub(lambda m: f"{m[1]}{MASK}@", text)

    def url(self, url: str) -> str:
        parts = urlsplit(url)
        if parts.username is not None or parts.password is not None:
            netloc = MASK + "@" + parts.netloc.rpartition("@")[2]
            url = urlunsplit(parts._replace(netloc=netloc))
        return self.text(url)
