"""Who may read /metrics: a decision from the settings and the request, nothing else.

- DASHBOARD_METRICS off: 404, as for any address Zenith does not serve.
- DASHBOARD_METRICS_NETWORKS set: the client's address (after DASHBOARD_TRUSTED_PROXIES, as the
  login throttle reads it: dashboard.accounts.throttle.client_address) must be in one of them, else
  403.
- DASHBOARD_METRICS_TOKEN set: the request must carry `Authorization: Bearer <token>`, compared in
  constant time, else 401.
- Both set: both are required. Neither set: every request is refused (403): metrics turned on with
  no way to reach them are not readable by everyone (a system check says so at start).
"""

from __future__ import annotations

import functools
import hmac
import ipaddress

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@functools.lru_cache(maxsize=8)
def networks_of(texts: tuple[str, ...]) -> tuple[Network, ...]:
    """The CIDRs of DASHBOARD_METRICS_NETWORKS (host bits allowed: 10.0.0.1/8 is 10.0.0.0/8);
    ValueError names the first one that is not a network."""
    return tuple(ipaddress.ip_network(text.strip(), strict=False) for text in texts)


def address_in(address: str | None, networks: tuple[Network, ...]) -> bool:
    """Whether an address (IPv4-mapped IPv6 read as IPv4) is in one of the networks; an address
    that is none ("unknown", empty) is in none."""
    try:
        ip = ipaddress.ip_address((address or "").strip().removeprefix("[").removesuffix("]"))
    except ValueError:
        return False
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return any(ip.version == network.version and ip in network for network in networks)


def bearer_matches(authorization: str | None, token: str) -> bool:
    """Whether an Authorization header is `Bearer <token>` (the scheme in any case), in constant
    time whatever the header holds."""
    scheme, _, sent = (authorization or "").strip().partition(" ")
    if scheme.lower() != "bearer":
        sent = ""
    return hmac.compare_digest(sent.strip().encode(), token.encode()) and bool(token)


def refusal(
    *, enabled: bool, networks: tuple[str, ...], token: str, address: str | None, authorization: str | None
) -> int | None:
    """The status /metrics answers instead of the metrics (404, 403 or 401), or None: allowed."""
    if not enabled:
        return 404
    if not networks and not token:
        return 403
    if networks and not address_in(address, networks_of(tuple(networks))):
        return 403
    if token and not bearer_matches(authorization, token):
        return 401
    return None
