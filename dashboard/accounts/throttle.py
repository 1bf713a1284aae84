"""Logins, counted in the shared Redis (under DASHBOARD_REDIS_PREFIX) per client address and per user name.

The client address is REMOTE_ADDR; behind proxies, DASHBOARD_TRUSTED_PROXIES = N (the number of
proxies in front of Zenith, each appending the address it saw to X-Forwarded-For) makes it the Nth
address from the right of X-Forwarded-For: the one the outermost trusted proxy saw. Entries further
left are whatever the client sent and are never used; with N = 0 the header is ignored.

The user-name counter stops an attacker who rotates addresses (password spraying, a botnet): a
name that fails LOGIN_ATTEMPTS_PER_USER times in the window is locked whatever the address. The
name is normalised (NFKC, trimmed, case-folded, with its domain) and hashed with the secret key
before it becomes a Redis key, so Redis holds no user names.

Each login Zenith sends to Keystone is counted before Keystone is asked (`attempt`): one Lua
script in Redis checks every counter of the attempt and, unless one has reached its limit, adds
one to each (a new counter gets the window as its expiry in the same step). Parallel guesses thus
cannot all get through while earlier ones wait for Keystone: at most the limit reach it per
window. A counter that reaches its limit locks for LOGIN_ATTEMPTS_WINDOW seconds from that
attempt (its expiry is set again then); refused attempts are not counted. A successful login
clears its counters (`reset`), so it never counts against the user; a login Keystone could not
judge (`undo`) gives its count back. `wait_seconds` says how long a lock has left (for the
message and the Retry-After header).
"""

from __future__ import annotations

import ipaddress
import math
import unicodedata

from django.conf import settings
from django.utils.crypto import salted_hmac
from django.utils.translation import ngettext

from dashboard import redis_client

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
    """(Redis key, limit) of each counter a login for this name from this address counts against."""
    counters = [(address_key(address), settings.LOGIN_ATTEMPTS)]
    if (username or "").strip():
        counters.append((user_key(username, domain), settings.LOGIN_ATTEMPTS_PER_USER))
    return [(f"{settings.REDIS_PREFIX}:{key}", limit) for key, limit in counters]


# KEYS: the counters; ARGV[1]: "count" (count the attempt unless locked) or "peek"; ARGV[2]: the
# window in seconds; ARGV[2 + i]: the limit of KEYS[i]. Returns the lock's milliseconds left (0:
# not locked; with "count", the attempt was counted).
_ATTEMPT = """
local wait = 0
for i, key in ipairs(KEYS) do
  if tonumber(redis.call('GET', key) or '0') >= tonumber(ARGV[2 + i]) then
    wait = math.max(wait, redis.call('PTTL', key))
  end
end
if wait > 0 or ARGV[1] ~= 'count' then
  return math.max(wait, 0)
end
for i, key in ipairs(KEYS) do
  local count = redis.call('INCR', key)
  if count == 1 or count >= tonumber(ARGV[2 + i]) then
    redis.call('EXPIRE', key, ARGV[2])
  end
end
return 0
"""

# KEYS: the counters; each one still in its window gives one count back
_UNDO = """
for _, key in ipairs(KEYS) do
  if redis.call('EXISTS', key) == 1 and redis.call('DECR', key) <= 0 then
    redis.call('DEL', key)
  end
end
return 0
"""


def _run(script: str, address: str, username: str, domain: str, *args) -> int:
    counters = _counters(address, username, domain)
    client = redis_client.client()
    keys, limits = [key for key, _ in counters], [limit for _, limit in counters]
    return int(client.register_script(script)(keys=keys, args=[*args, *limits], client=client))


def _seconds(milliseconds: int) -> int:
    return math.ceil(milliseconds / 1000) if milliseconds > 0 else 0


def attempt(address: str, username: str = "", domain: str = "") -> int:
    """Count a login about to be sent to Keystone, atomically, unless a counter is at its limit:
    then the seconds before one may be tried again (nothing counted); 0 when it may go ahead."""
    return _seconds(_run(_ATTEMPT, address, username, domain, "count", settings.LOGIN_ATTEMPTS_WINDOW))


def wait_seconds(address: str, username: str = "", domain: str = "") -> int:
    """Seconds before a login may be tried again from this address for this name (0: now); counts nothing."""
    return _seconds(_run(_ATTEMPT, address, username, domain, "peek", settings.LOGIN_ATTEMPTS_WINDOW))


def undo(address: str, username: str = "", domain: str = "") -> None:
    """The counted attempt does not count after all (Keystone could not judge it)."""
    _run(_UNDO, address, username, domain)


def reset(address: str, username: str = "", domain: str = "") -> None:
    """A successful login: its counters (and any lock they hold) are cleared."""
    redis_client.client().delete(*(key for key, _ in _counters(address, username, domain)))


def lockout_message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "Too many login attempts. Try again in %(minutes)d minute.",
        "Too many login attempts. Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}
