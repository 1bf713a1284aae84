"""Failed logins, counted in the shared cache (Redis) per client address and per user name.

The client address is REMOTE_ADDR; behind proxies, DASHBOARD_TRUSTED_PROXIES = N (the number of
proxies in front of Zenith, each appending the address it saw to X-Forwarded-For) makes it the Nth
address from the right of X-Forwarded-For: the one the outermost trusted proxy saw. Entries further
left are whatever the client sent and are never used; with N = 0 the header is ignored.

The user-name counter stops an attacker who rotates addresses (password spraying, a botnet): a
name that fails LOGIN_ATTEMPTS_PER_USER times in the window is locked whatever the address. The
name is normalised (NFKC, trimmed, case-folded, with its domain) and hashed with the secret key
before it becomes a cache key, so the cache holds no user names.

A counter that reaches its limit locks for LOGIN_ATTEMPTS_WINDOW seconds from that failure;
`wait_seconds` says how long is left (for the message and the Retry-After header).
"""

from __future__ import annotations

import ipaddress
import math
import time
import unicodedata

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac
from django.utils.translation import ngettext

PREFIX = "login-attempts"


# --- the client's address ----------------------------------------------------------------------
def _ip(text: str) -> str | None:
    """A normalised IP address from an X-Forwarded-For entry (port and brackets allowed), or None."""
    text = text.strip()
    if text.startswith("["):  # [2001:db8::1]:443
        text = text[1:].split("]", 1)[0]
    elif text.count(":") == 1:  # 192.0.2.1:443
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    return str(address)


def forwarded_address(header: str, hops: int) -> str | None:
    """The address `hops` entries from the right of an X-Forwarded-For value; None when there are
    fewer entries than trusted proxies, or that entry is no IP address."""
    if hops <= 0 or not header:
        return None
    entries = header.split(",")
    if len(entries) < hops:
        return None
    return _ip(entries[-hops])


def client_address(request) -> str:
    remote = request.META.get("REMOTE_ADDR") or "unknown"
    hops = settings.TRUSTED_PROXIES
    if hops <= 0:
        return remote
    return forwarded_address(request.META.get("HTTP_X_FORWARDED_FOR", ""), hops) or remote


# --- the counters ------------------------------------------------------------------------------
def user_key(username: str, domain: str) -> str:
    """The cache key of a user name's counter: normalised, then hashed (no name in the cache)."""
    parts = [unicodedata.normalize("NFKC", part or "").strip().casefold() for part in (domain, username)]
    digest = salted_hmac("zenith.accounts.throttle", "\x00".join(parts), algorithm="sha256").hexdigest()
    return f"{PREFIX}:user:{digest}"


def address_key(address: str) -> str:
    return f"{PREFIX}:addr:{address}"


def _counters(address: str, username: str, domain: str) -> list[tuple[str, int]]:
    counters = [(address_key(address), settings.LOGIN_ATTEMPTS)]
    if (username or "").strip():
        counters.append((user_key(username, domain), settings.LOGIN_ATTEMPTS_PER_USER))
    return counters


def wait_seconds(address: str, username: str = "", domain: str = "") -> int:
    """Seconds before a login may be tried again from this address for this name (0: now)."""
    locks = cache.get_many([key + ":until" for key, _ in _counters(address, username, domain)])
    left = max((until - time.time() for until in locks.values()), default=0)
    return math.ceil(left) if left > 0 else 0


def record_failure(address: str, username: str = "", domain: str = "") -> None:
    window = settings.LOGIN_ATTEMPTS_WINDOW
    for key, limit in _counters(address, username, domain):
        if cache.add(key, 1, timeout=window):
            count = 1
        else:
            try:
                count = cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, timeout=window)
                count = 1
        if count >= limit:
            cache.set(key + ":until", time.time() + window, timeout=window)


def reset(address: str, username: str = "", domain: str = "") -> None:
    keys = [key for key, _ in _counters(address, username, domain)]
    cache.delete_many(keys + [key + ":until" for key in keys])


def lockout_message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "Too many login attempts. Try again in %(minutes)d minute.",
        "Too many login attempts. Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}
