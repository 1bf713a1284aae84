"""Shared fixtures: the devcloud (real OpenStack on 127.0.0.1), logged-in test clients, cleanup.

The functions behind them are in tests/helpers.py; tests import those from there, never from here.
"""

from __future__ import annotations

import socket

import pytest

pytest.register_assert_rewrite("tests.helpers")

from tests.helpers import KEYSTONE, Cleanup, boot, logged_in, sdk, unique  # noqa: E402 - after the rewrite hook


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="session")
def devcloud():
    """The local cloud must be up: `make test` starts it; a missing cloud is a failure, not a skip."""
    missing = [p for p in (5000, 8774, 9292, 9696, 8776) if not _port_open(p)]
    if missing:
        pytest.fail(f"devcloud is not running (ports {missing} closed): run `make devcloud` first", pytrace=False)
    return KEYSTONE


@pytest.fixture(scope="session")
def admin_sdk(devcloud):
    return sdk("admin")


@pytest.fixture(scope="session")
def demo_sdk(devcloud):
    return sdk("demo")


@pytest.fixture(scope="session")
def alt_sdk(devcloud):
    return sdk("alt")


@pytest.fixture
def django_client_factory():
    from django.test import Client

    return Client


@pytest.fixture
def demo_client(client, devcloud, db):
    """The test client logged in as demo, working in project demo."""
    return logged_in(client, "demo", "demo")


@pytest.fixture
def alt_client(django_client_factory, devcloud, db):
    """A second client, logged in as alt, working in project alt."""
    return logged_in(django_client_factory(), "alt", "alt")


@pytest.fixture
def admin_client(django_client_factory, devcloud, db):
    """A client logged in as the cloud admin, working in project admin."""
    return logged_in(django_client_factory(), "admin", "admin")


@pytest.fixture
def cleanup():
    """What a test made, undone after it, last made first (see tests.helpers.Cleanup)."""
    tracker = Cleanup()
    yield tracker
    tracker.run()


@pytest.fixture(scope="module")
def module_cleanup():
    """The same for what a module-scoped fixture made, undone after the module's last test."""
    tracker = Cleanup()
    yield tracker
    tracker.run()


@pytest.fixture(scope="module")
def demo_instance(devcloud, module_cleanup):
    """One ACTIVE instance of demo's, shared by a module's tests that only look at it."""
    return boot(sdk("demo"), unique("zt-shared"), cleanup=module_cleanup)
