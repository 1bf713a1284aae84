"""Login throttling: which address a request counts against, and how a user name is keyed."""

import pytest
from django.test import RequestFactory, override_settings

from dashboard.accounts import throttle


@pytest.mark.parametrize(
    ("header", "hops", "expected"),
    [
        ("203.0.113.7", 1, "203.0.113.7"),
        # the client's own claim on the left is never taken with one trusted proxy
        ("198.51.100.1, 203.0.113.7", 1, "203.0.113.7"),
        ("198.51.100.1,203.0.113.7,10.0.0.2", 2, "203.0.113.7"),
        ("198.51.100.1, 203.0.113.7, 10.0.0.2", 3, "198.51.100.1"),
        # fewer entries than trusted proxies: the header did not come through all of them
        ("203.0.113.7", 2, None),
        ("", 1, None),
        ("203.0.113.7", 0, None),
        # what proxies write besides a bare address
        ("203.0.113.7:51234", 1, "203.0.113.7"),
        ("[2001:db8::1]:443", 1, "2001:db8::1"),
        ("2001:DB8:0:0::1", 1, "2001:db8::1"),
        ("::ffff:203.0.113.7", 1, "203.0.113.7"),
        ("unknown", 1, None),
        ("203.0.113.7, not-an-address", 1, None),
    ],
)
def test_forwarded_address_takes_the_nth_entry_from_the_right(header, hops, expected):
    assert throttle.forwarded_address(header, hops) == expected


def request_from(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/auth/login/", **extra)


@override_settings(TRUSTED_PROXIES=0)
def test_without_trusted_proxies_the_header_is_ignored():
    assert throttle.client_address(request_from("192.0.2.10", "203.0.113.7")) == "192.0.2.10"


@override_settings(TRUSTED_PROXIES=1)
def test_behind_one_proxy_clients_are_told_apart():
    assert throttle.client_address(request_from("192.0.2.10", "203.0.113.7")) == "203.0.113.7"
    assert throttle.client_address(request_from("192.0.2.10", "203.0.113.8")) == "203.0.113.8"
    assert throttle.client_address(request_from("192.0.2.10", "203.0.113.9, 203.0.113.8")) == "203.0.113.8"


@override_settings(TRUSTED_PROXIES=2)
def test_a_short_or_missing_header_falls_back_to_the_peer_address():
    assert throttle.client_address(request_from("192.0.2.10", "203.0.113.7")) == "192.0.2.10"
    assert throttle.client_address(request_from("192.0.2.10")) == "192.0.2.10"
    assert throttle.client_address(request_from("192.0.2.10", "junk, 10.0.0.2")) == "192.0.2.10"


def test_user_key_is_normalised_and_hashed():
    key = throttle.user_key("Alice", "Default")
    assert key == throttle.user_key("  alice ", "default")
    assert key == throttle.user_key("ＡＬＩＣＥ", "DEFAULT")  # full-width letters (NFKC)
    assert key != throttle.user_key("alice", "other-domain")
    assert key != throttle.user_key("alice2", "Default")
    assert "alice" not in key.lower() and "default" not in key.lower()
    with override_settings(SECRET_KEY="another-installation-" + "k" * 40):
        assert throttle.user_key("alice", "Default") != key


def test_lockout_message_names_the_wait():
    assert throttle.lockout_message(240) == "Too many login attempts. Try again in 4 minutes."
    assert throttle.lockout_message(181) == "Too many login attempts. Try again in 4 minutes."
    assert throttle.lockout_message(20) == "Too many login attempts. Try again in 1 minute."
