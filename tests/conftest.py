"""Shared fixtures: the devcloud (real OpenStack on 127.0.0.1) and logged-in test clients."""

from __future__ import annotations

import os
import socket
import time
import uuid

import openstack
import pytest

KEYSTONE = os.environ.get("DASHBOARD_KEYSTONE_URL", "http://127.0.0.1:5000/v3")
USERS = {"demo": ("demo", "demo"), "alt": ("alt", "alt"), "admin": ("admin", "admin"), "lonely": ("lonely", "lonely")}
HOME_PROJECT = {"demo": "demo", "alt": "alt", "admin": "admin"}


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


def sdk(user: str, project: str | None = None) -> openstack.connection.Connection:
    """openstacksdk as a given devcloud user, to check what the cloud really holds."""
    name, password = USERS[user]
    return openstack.connect(
        auth_url=KEYSTONE,
        username=name,
        password=password,
        project_name=project or HOME_PROJECT[user],
        user_domain_name="Default",
        project_domain_name="Default",
        region_name="RegionOne",
        identity_api_version="3",
    )


@pytest.fixture(scope="session")
def admin_sdk(devcloud):
    return sdk("admin")


@pytest.fixture(scope="session")
def demo_sdk(devcloud):
    return sdk("demo")


@pytest.fixture(scope="session")
def alt_sdk(devcloud):
    return sdk("alt")


def wait_for(check, what: str = "condition", timeout: float = 120, every: float = 1.0):
    """Poll `check()` until it returns something truthy (and return that), or fail after `timeout` s."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = check()
        if last:
            return last
        time.sleep(every)
    pytest.fail(f"timed out after {timeout}s waiting for {what} (last: {last!r})")


def unique(prefix: str = "zt") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def login(client, user: str, **extra):
    name, password = USERS[user]
    return client.post("/auth/login/", {"username": name, "password": password, **extra})


@pytest.fixture
def demo_client(client, devcloud, db):
    response = login(client, "demo")
    assert response.status_code == 302, response.content[:500]
    if client.session["keystone"]["project_name"] != "demo":
        switch_to(client, "demo")
    return client


@pytest.fixture
def alt_client(django_client_factory, devcloud, db):
    c = django_client_factory()
    assert login(c, "alt").status_code == 302
    return c


@pytest.fixture
def admin_client(django_client_factory, devcloud, db):
    c = django_client_factory()
    assert login(c, "admin").status_code == 302
    return c


@pytest.fixture
def django_client_factory():
    from django.test import Client

    return Client


def session_tokens(client) -> tuple[str, str]:
    """The session's (project-scoped, unscoped) Keystone tokens, opened: the session keeps them sealed."""
    from dashboard.cloud.secrets import open_sealed

    stored = client.session["keystone"]
    return open_sealed(stored["token"]), open_sealed(stored["unscoped_token"])


def project_id_of(client, name: str) -> str:
    return next(p["id"] for p in client.session["keystone"]["projects"] if p["name"] == name)


def switch_to(client, name: str, next_url: str = "/project/instances/"):
    return client.post("/auth/switch/", {"project_id": project_id_of(client, name), "next": next_url})
