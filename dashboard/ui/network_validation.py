"""What a network form or the network API says, checked before Neutron is asked: pure functions, unit-tested.

Each raises `django.core.exceptions.ValidationError` with a sentence a user can act on; the forms
put it on the field it is about.
"""

from __future__ import annotations

import ipaddress

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def parse_cidr(text: str, ip_version: int | None = None) -> Network:
    """A subnet's CIDR, in the IP version asked for (host bits set are refused, as Neutron does)."""
    try:
        net = ipaddress.ip_network(text.strip(), strict=True)
    except ValueError:
        try:
            ipaddress.ip_network(text.strip(), strict=False)
        except ValueError:
            raise ValidationError(_("“%(value)s” is not a CIDR such as 10.0.0.0/24.") % {"value": text}) from None
        raise ValidationError(
            _("“%(value)s” has host bits set: write the network address, e.g. %(net)s.")
            % {"value": text, "net": ipaddress.ip_network(text.strip(), strict=False)}
        ) from None
    if ip_version and net.version != ip_version:
        raise ValidationError(_("%(value)s is not an IPv%(version)s CIDR.") % {"value": text, "version": ip_version})
    return net


def parse_address(text: str, ip_version: int | None = None) -> Address:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        raise ValidationError(_("“%(value)s” is not an IP address.") % {"value": text}) from None
    if ip_version and address.version != ip_version:
        raise ValidationError(_("%(value)s is not an IPv%(version)s address.") % {"value": text, "version": ip_version})
    return address


def check_gateway(gateway: str, net: Network) -> str:
    address = parse_address(gateway, net.version)
    if address not in net:
        raise ValidationError(
            _("The gateway %(gateway)s is outside the subnet %(cidr)s.") % {"gateway": gateway, "cidr": net}
        )
    if net.version == 4 and net.prefixlen < 31 and address in (net.network_address, net.broadcast_address):
        raise ValidationError(_("The gateway cannot be the network or broadcast address of %(cidr)s.") % {"cidr": net})
    return str(address)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").replace(",", "\n").splitlines() if line.strip()]


def parse_pools(text: str, net: Network | None, gateway: str = "") -> list[tuple[str, str]]:
    """Allocation pools, one "start-end" a line: inside the subnet, start ≤ end, not overlapping,
    not containing the gateway."""
    pools: list[tuple[Address, Address]] = []
    for line in [ln.strip() for ln in (text or "").splitlines() if ln.strip()]:
        start_text, sep, end_text = line.partition("-")
        if not sep:
            raise ValidationError(
                _("Write each pool as start-end, e.g. 10.0.0.10-10.0.0.100 (“%(line)s”).") % {"line": line}
            )
        version = net.version if net else None
        start, end = parse_address(start_text, version), parse_address(end_text, version)
        if start > end:
            raise ValidationError(_("The pool %(line)s starts after it ends.") % {"line": line})
        if net is not None and (start not in net or end not in net):
            raise ValidationError(_("The pool %(line)s is outside the subnet %(cidr)s.") % {"line": line, "cidr": net})
        if gateway and start <= ipaddress.ip_address(gateway) <= end:
            raise ValidationError(
                _("The pool %(line)s contains the gateway %(gateway)s.") % {"line": line, "gateway": gateway}
            )
        for other_start, other_end in pools:
            if start <= other_end and other_start <= end:
                raise ValidationError(
                    _("The pools %(a)s and %(b)s overlap.") % {"a": line, "b": f"{other_start}-{other_end}"}
                )
        pools.append((start, end))
    return [(str(s), str(e)) for s, e in pools]


def parse_dns(text: str, ip_version: int | None = None) -> list[str]:
    return [str(parse_address(line, ip_version)) for line in _lines(text)]


def parse_routes(text: str, ip_version: int | None = None) -> list[tuple[str, str]]:
    """Host or static routes, one "destination-CIDR nexthop" a line (a comma also separates)."""
    routes = []
    for line in [ln.strip() for ln in (text or "").splitlines() if ln.strip()]:
        parts = line.replace(",", " ").split()
        if len(parts) != 2:
            raise ValidationError(_("Write each route as “destination-CIDR next-hop” (“%(line)s”).") % {"line": line})
        destination = parse_cidr(parts[0], ip_version)
        nexthop = parse_address(parts[1], destination.version)
        routes.append((str(destination), str(nexthop)))
    return routes


def check_no_overlap(cidrs: list[str]) -> None:
    """Subnets of one network (or one form) must not overlap."""
    nets = [ipaddress.ip_network(c) for c in cidrs]
    for i, a in enumerate(nets):
        for b in nets[i + 1 :]:
            if a.version == b.version and a.overlaps(b):
                raise ValidationError(_("The subnets %(a)s and %(b)s overlap.") % {"a": a, "b": b})


def parse_port_range(protocol: str, low: int | None, high: int | None) -> tuple[int | None, int | None]:
    """A rule's port range (TCP/UDP: 1–65535, min ≤ max) or ICMP type (0–255) and code (0–255)."""
    if protocol in ("icmp", "ipv6-icmp"):
        if low is None and high is not None:
            raise ValidationError(_("An ICMP code needs an ICMP type."))
        for value, what in ((low, _("ICMP type")), (high, _("ICMP code"))):
            if value is not None and not 0 <= value <= 255:
                raise ValidationError(_("The %(what)s must be between 0 and 255.") % {"what": what})
        return low, high
    if low is None and high is None:
        return None, None
    if protocol not in ("tcp", "udp", "sctp"):
        raise ValidationError(_("Ports apply to TCP, UDP and SCTP only."))
    low = high if low is None else low
    high = low if high is None else high
    for value in (low, high):
        if not 1 <= value <= 65535:
            raise ValidationError(_("Ports must be between 1 and 65535 (got %(value)s).") % {"value": value})
    if low > high:
        raise ValidationError(
            _("The lowest port (%(low)s) is above the highest (%(high)s).") % {"low": low, "high": high}
        )
    return low, high
