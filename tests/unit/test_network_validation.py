"""What the network forms refuse before Neutron is asked (dashboard/ui/network_validation.py)."""

import ipaddress

import pytest
from django.core.exceptions import ValidationError

from dashboard.ui import network_validation as validation

NET = ipaddress.ip_network("10.0.0.0/24")


def test_a_cidr_in_its_ip_version_is_accepted():
    assert str(validation.parse_cidr("10.0.0.0/24", 4)) == "10.0.0.0/24"
    assert str(validation.parse_cidr("fd00::/64", 6)) == "fd00::/64"


@pytest.mark.parametrize(
    ("text", "version", "words"),
    [
        ("10.0.0.5/24", 4, "host bits"),
        ("fd00::/64", 4, "not an IPv4"),
        ("nonsense", 4, "not a CIDR"),
        ("10.0.0.0/33", 4, "not a CIDR"),
    ],
)
def test_bad_cidrs_are_refused(text, version, words):
    with pytest.raises(ValidationError, match=words):
        validation.parse_cidr(text, version)


def test_a_gateway_must_be_inside_the_subnet_and_not_its_network_address():
    assert validation.check_gateway("10.0.0.1", NET) == "10.0.0.1"
    with pytest.raises(ValidationError, match="outside the subnet"):
        validation.check_gateway("10.0.1.1", NET)
    with pytest.raises(ValidationError, match="network or broadcast"):
        validation.check_gateway("10.0.0.255", NET)


def test_pools_inside_the_subnet_are_parsed():
    assert validation.parse_pools("10.0.0.10-10.0.0.20\n10.0.0.30-10.0.0.40", NET, "10.0.0.1") == [
        ("10.0.0.10", "10.0.0.20"),
        ("10.0.0.30", "10.0.0.40"),
    ]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("10.0.0.10-10.0.1.20", "outside the subnet"),
        ("10.0.0.20-10.0.0.10", "starts after it ends"),
        ("10.0.0.10-10.0.0.20\n10.0.0.15-10.0.0.30", "overlap"),
        ("10.0.0.1-10.0.0.20", "contains the gateway"),
        ("10.0.0.10", "start-end"),
    ],
)
def test_bad_pools_are_refused(text, words):
    with pytest.raises(ValidationError, match=words):
        validation.parse_pools(text, NET, "10.0.0.1")


def test_routes_and_dns_servers():
    assert validation.parse_routes("192.0.2.0/24 10.0.0.5\n198.51.100.0/24,10.0.0.6", 4) == [
        ("192.0.2.0/24", "10.0.0.5"),
        ("198.51.100.0/24", "10.0.0.6"),
    ]
    assert validation.parse_dns("192.0.2.53, 192.0.2.54", 4) == ["192.0.2.53", "192.0.2.54"]
    with pytest.raises(ValidationError):
        validation.parse_routes("192.0.2.0/24", 4)
    with pytest.raises(ValidationError, match="not an IPv4 address"):
        validation.parse_dns("fd00::1", 4)


def test_overlapping_subnets_are_refused_but_other_versions_pass():
    validation.check_no_overlap(["10.0.0.0/25", "10.0.0.128/25", "fd00::/64"])
    with pytest.raises(ValidationError, match="overlap"):
        validation.check_no_overlap(["10.0.0.0/24", "10.0.0.128/25"])


@pytest.mark.parametrize(
    ("protocol", "low", "high", "expected"),
    [
        ("tcp", 22, None, (22, 22)),
        ("udp", 1000, 2000, (1000, 2000)),
        ("tcp", None, None, (None, None)),
        ("icmp", 8, 0, (8, 0)),
    ],
)
def test_good_port_ranges(protocol, low, high, expected):
    assert validation.parse_port_range(protocol, low, high) == expected


@pytest.mark.parametrize(
    ("protocol", "low", "high", "words"),
    [
        ("tcp", 70000, None, "between 1 and 65535"),
        ("tcp", 0, 10, "between 1 and 65535"),
        ("tcp", 90, 80, "above the highest"),
        ("icmp", 300, None, "between 0 and 255"),
        ("icmp", None, 3, "needs an ICMP type"),
        ("", 22, 22, "TCP, UDP and SCTP only"),
    ],
)
def test_bad_port_ranges(protocol, low, high, words):
    with pytest.raises(ValidationError, match=words):
        validation.parse_port_range(protocol, low, high)
