"""Shared test machinery, as plain functions: `from tests.helpers import ...`.

The fixtures built on them (devcloud, *_sdk, *_client, cleanup) live in tests/conftest.py.
"""

from __future__ import annotations

import asyncio
import functools
import json
import os
import re
import subprocess
import sys
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import openstack
import pytest
from openstack import exceptions as sdk_exc

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"

KEYSTONE = os.environ.get("DASHBOARD_KEYSTONE_URL", "http://127.0.0.1:5000/v3")
USERS = {"demo": ("demo", "demo"), "alt": ("alt", "alt"), "admin": ("admin", "admin"), "lonely": ("lonely", "lonely")}
HOME_PROJECT = {"demo": "demo", "alt": "alt", "admin": "admin"}


# --- waiting and naming ------------------------------------------------------------------------------


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


# --- openstacksdk as a devcloud user -----------------------------------------------------------------


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


def user_sdk(name: str, password: str, project_id: str) -> openstack.connection.Connection:
    """openstacksdk as a user a test made itself, scoped to a project by id."""
    return openstack.connect(
        auth_url=KEYSTONE,
        username=name,
        password=password,
        project_id=project_id,
        user_domain_name="Default",
        region_name="RegionOne",
        identity_api_version="3",
    )


# --- instances ---------------------------------------------------------------------------------------


def boot(
    sdk_conn,
    name: str | None = None,
    *,
    wait: bool = True,
    flavor: str = "m1.tiny",
    image: str | None = "demo-image",
    network: str | None = "private",
    timeout: float = 180,
    cleanup: Cleanup | None = None,
    **kw,
):
    """An instance of the connection's user: m1.tiny, demo-image, on network private unless told otherwise.

    `network` is a network's name or id, or None for no network at all; with `image=None` the keyword
    arguments say what to boot from (block_device_mapping). With a `cleanup` tracker, the instance is
    destroyed after the test even if it never becomes ACTIVE. Returns the server as Nova accepted it, or
    with `wait` (the default) once it is ACTIVE; one that does not become ACTIVE in time is deleted at
    once (a left-over instance shows in every later listing and usage report)."""
    found = sdk_conn.compute.find_flavor(flavor, ignore_missing=False)
    attrs = {"name": name or unique("zt-vm"), "flavor_id": found.id}
    if image:
        attrs["image_id"] = sdk_conn.image.find_image(image, ignore_missing=False).id
    if network:
        attrs["networks"] = [{"uuid": sdk_conn.network.find_network(network, ignore_missing=False).id}]
    else:
        attrs["networks"] = "none"
    server = sdk_conn.compute.create_server(**{**attrs, **kw})
    if cleanup is not None:
        cleanup.delete("server", server.id, conn=sdk_conn)
    if not wait:
        return server
    try:
        return wait_for_status(sdk_conn, server.id, "ACTIVE", timeout)
    except BaseException:  # pytest.fail's exception included: an instance that never became ACTIVE goes
        sdk_conn.compute.delete_server(server.id, ignore_missing=True)
        raise


def wait_for_status(sdk_conn, server_id: str, status: str, timeout: float = 180):
    """The server once Nova shows it in `status` with no task running; fails at once if it goes to ERROR."""

    def check():
        s = sdk_conn.compute.get_server(server_id)
        if s.status == "ERROR" and status != "ERROR":
            pytest.fail(f"instance {server_id} went to ERROR: {s.fault}")
        return s if s.status == status and not s.task_state else None

    return wait_for(check, f"{server_id} to be {status}", timeout)


def _server_gone(sdk_conn, server_id: str) -> bool:
    try:
        sdk_conn.compute.get_server(server_id)
    except sdk_exc.NotFoundException:
        return True
    return False


def destroy(sdk_conn, *servers, timeout: float = 180) -> None:
    """Delete instances (servers or ids; unlocked first) and wait until Nova has forgotten them all.

    An instance that is already gone is fine. Deletes them all before waiting, so they go in parallel."""
    ids = [getattr(s, "id", s) for s in servers]
    for server_id in ids:
        try:
            server = sdk_conn.compute.get_server(server_id)
            if server.is_locked:
                sdk_conn.compute.unlock_server(server)
            sdk_conn.compute.delete_server(server)
        except sdk_exc.NotFoundException:
            pass
    for server_id in ids:
        wait_for(lambda sid=server_id: _server_gone(sdk_conn, sid), f"{server_id} to be deleted", timeout)


def wait_volume(conn, volume_id: str, status: str, timeout: float = 120):
    """The volume once Cinder shows it in `status`; fails at once if it goes to an error state."""

    def check():
        vol = conn.block_storage.get_volume(volume_id)
        if vol.status.startswith("error") and not status.startswith("error"):
            pytest.fail(f"volume {volume_id} went to {vol.status}")
        return vol if vol.status == status else None

    return wait_for(check, f"volume {volume_id} {status}", timeout)


def made_volume(conn, cleanup, size: int = 1, **kw):
    """A new volume (deleted after the test), once available."""
    vol = conn.block_storage.create_volume(name=unique("zt-vol"), size=size, **kw)
    cleanup.delete("volume", vol.id, conn=conn)
    return wait_volume(conn, vol.id, "available")


@contextmanager
def celery_worker_running(log_name: str, name: str):
    """A real Celery worker running the pollers, as `make demo` runs it, for the block; its log is
    ARTIFACTS/`log_name`."""
    ARTIFACTS.mkdir(exist_ok=True)
    log = ARTIFACTS / log_name
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="tests.settings")
    celery = str(Path(sys.executable).parent / "celery")
    command = [celery, "-A", "dashboard", "worker", "-l", "info", "--concurrency", "2", "-n", f"{unique(name)}@%h"]
    worker = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while "ready." not in log.read_text():
        if worker.poll() is not None or time.monotonic() > deadline:
            worker.kill()
            pytest.fail(f"Celery worker did not start; see {log}", pytrace=False)
        time.sleep(0.3)
    try:
        yield worker
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()


# --- what a page costs ------------------------------------------------------------------------------


@contextmanager
def count_cloud_requests():
    """Every HTTP request any keystoneauth session makes inside the block, as (method, url), in order.

    Zenith's and openstacksdk's cloud calls all go through keystoneauth1.session.Session.request; the
    class itself is patched, so calls from worker threads (dashboard.cloud.concurrently) count too."""
    from keystoneauth1 import session as ks_session

    real = ks_session.Session.request
    seen: list[tuple[str, str]] = []
    lock = threading.Lock()

    def counted(self, url, method, *args, **kwargs):
        with lock:
            seen.append((method, url))
        return real(self, url, method, *args, **kwargs)

    ks_session.Session.request = counted
    try:
        yield seen
    finally:
        ks_session.Session.request = real


# --- cleaning up ------------------------------------------------------------------------------------

# kind -> (proxy, its delete method) for what needs no more than a delete
_SIMPLE = {
    "image": ("image", "delete_image"),
    "keypair": ("compute", "delete_keypair"),
    "server_group": ("compute", "delete_server_group"),
    "aggregate": ("compute", "delete_aggregate"),
    "network": ("network", "delete_network"),
    "subnet": ("network", "delete_subnet"),
    "port": ("network", "delete_port"),
    "security_group": ("network", "delete_security_group"),
    "floating_ip": ("network", "delete_ip"),
    "user": ("identity", "delete_user"),
    "group": ("identity", "delete_group"),
}
KINDS = {*_SIMPLE, "server", "volume", "snapshot", "quotas", "project"}


@functools.cache
def _admin() -> openstack.connection.Connection:
    """The admin connection that cleans up what a test did not say otherwise."""
    return sdk("admin")


def _delete_volume(conn, volume_id: str) -> None:
    """Once no instance holds it (or Nova is deleting it already), delete a volume and wait until it is gone."""

    def settled():
        volume = conn.block_storage.find_volume(volume_id, ignore_missing=True)
        return volume is None or volume.status not in ("in-use", "detaching", "attaching", "reserved")

    wait_for(settled, f"volume {volume_id} free", timeout=120)
    volume = conn.block_storage.find_volume(volume_id, ignore_missing=True)
    if volume is not None and volume.status != "deleting":
        conn.block_storage.delete_volume(volume)
    wait_for(lambda: conn.block_storage.find_volume(volume_id, ignore_missing=True) is None, "volume deleted", 120)


def remove(conn, kind: str, ident: str) -> None:
    """Delete one cloud resource of `kind` (see KINDS) by id (a key pair by name), waiting where later
    deletions depend on it. "quotas" puts a project's limits in Nova, Cinder and Neutron back to the
    defaults (the services keep them after Keystone forgets the project)."""
    if kind == "server":
        destroy(conn, ident)
    elif kind == "volume":
        _delete_volume(conn, ident)
    elif kind == "snapshot":
        conn.block_storage.delete_snapshot(ident)
        wait_for(lambda: conn.block_storage.find_snapshot(ident, ignore_missing=True) is None, "snapshot deleted", 60)
    elif kind == "quotas":
        for service, path in (("compute", "os-quota-sets"), ("block_storage", "os-quota-sets"), ("network", "quotas")):
            getattr(conn, service).delete(f"/{path}/{ident}")
    elif kind == "project":
        try:
            conn.identity.delete_project(ident)
        except sdk_exc.NotFoundException:
            pass  # deleted by the test itself, through Zenith: its security groups may still be there
        # Neutron made the project a "default" security group at its first request about the project
        # (a quota page reads them) and keeps it after Keystone forgets the project
        for group in conn.network.security_groups(project_id=ident):
            conn.network.delete_security_group(group.id)
    elif kind in _SIMPLE:
        proxy, method = _SIMPLE[kind]
        getattr(getattr(conn, proxy), method)(ident)
    else:
        raise ValueError(f"unknown kind {kind!r}; known: {sorted(KINDS)}")


class Cleanup:
    """Undo steps, run last-in first-out (what was made last goes first: instances before their networks).

    `add(callable, *args)` takes any step; `delete(kind, id, conn=...)` a cloud resource (see `remove`),
    as admin unless another connection is given. A step whose target is already gone ("not found") is
    skipped; every step runs even if one fails, and the first failure is raised at the end. `run()` may
    be called early (the steps are consumed) and again at teardown."""

    def __init__(self, conn=None):
        self._conn = conn
        self._steps: list[tuple] = []

    @property
    def conn(self):
        return self._conn or _admin()

    def add(self, step, *args, **kwargs):
        self._steps.append((step, args, kwargs))
        return step

    def delete(self, kind: str, ident: str, conn=None) -> str:
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r}; known: {sorted(KINDS)}")
        self._steps.append((lambda: remove(conn or self.conn, kind, ident), (), {}))
        return ident

    def run(self) -> None:
        failures = []
        while self._steps:
            step, args, kwargs = self._steps.pop()
            try:
                step(*args, **kwargs)
            except sdk_exc.NotFoundException:
                pass
            except (Exception, pytest.fail.Exception) as exc:  # the remaining steps still run
                failures.append(exc)
        if failures:
            raise failures[0]


# --- Zenith's pages as a devcloud user --------------------------------------------------------------


def login(client, user: str, password: str | None = None, **extra):
    """POST the login form: a devcloud user by key of USERS, or any user name with its `password`."""
    name, password = (user, password) if password is not None else USERS[user]
    return client.post("/auth/login/", {"username": name, "password": password, **extra})


def session_tokens(client) -> tuple[str, str]:
    """The session's (project-scoped, unscoped) Keystone tokens, opened: the session keeps them sealed."""
    from dashboard.cloud.secrets import open_sealed

    stored = client.session["keystone"]
    return open_sealed(stored["token"]), open_sealed(stored["unscoped_token"])


def project_id_of(client, name: str) -> str:
    return next(p["id"] for p in client.session["keystone"]["projects"] if p["name"] == name)


def switch_to(client, name: str, next_url: str = "/project/instances/"):
    return client.post("/auth/switch/", {"project_id": project_id_of(client, name), "next": next_url})


def logged_in(client, user: str, project: str | None = None):
    """`client` logged in as a devcloud user and working in `project` (by default the user's home project).

    Users land in their last-used project, which another test may have changed: switch if login landed
    elsewhere."""
    project = project or HOME_PROJECT[user]
    response = login(client, user)
    assert response.status_code == 302, response.content[:500]
    if client.session["keystone"]["project_name"] != project:
        switch_to(client, project)
    assert client.session["keystone"]["project_name"] == project, f"{user} could not work in {project}"
    return client


# --- the browser ------------------------------------------------------------------------------------


def browser_login(page, user: str, password: str | None = None, project: str | None = None) -> None:
    """Log in through the form; with `project`, make sure to work in it (users land in their
    last-used project, which an earlier test may have changed)."""
    page.goto("/auth/login/")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", password or user)
    page.click("#login-form [type=submit]")
    page.wait_for_url("**/project/**")
    if project:
        enter_project(page, project)


def enter_project(page, name: str) -> None:
    """Switch to project `name` with the project switcher, unless the page already works in it."""
    from playwright.sync_api import expect  # only the browser tests have a page

    switcher = page.get_by_test_id("project-switcher")
    if switcher.inner_text().strip() != name:
        switcher.click()
        page.locator(f"button[data-project='{name}']").click()
        page.wait_for_load_state()
    expect(page.get_by_test_id("project-switcher")).to_have_text(re.compile(rf"^\s*{re.escape(name)}\s*$"))


# --- streamed uploads (dashboard.uploads), driven in-process as an ASGI server would -------------------

CHUNK = 64 * 1024


def asgi_put(client, url: str, data: bytes, *, csrf: bool = True, stop_after: int | None = None, on_chunk=None):
    """PUT `data` to the upload route in 64 KiB messages, as an ASGI server delivers a body; with
    `stop_after`, the client goes away after that many messages. Returns (status, JSON)."""
    from dashboard.asgi import application

    cookies = f"zenith_session={client.cookies['zenith_session'].value}; csrftoken={client.cookies['csrftoken'].value}"
    headers = [
        (b"host", b"127.0.0.1:8000"),
        (b"cookie", cookies.encode()),
        (b"content-length", str(len(data)).encode()),
    ]
    if csrf:
        headers.append((b"x-csrftoken", client.cookies["csrftoken"].value.encode()))
    scope = {"type": "http", "method": "PUT", "path": url, "scheme": "http", "headers": headers, "query_string": b""}
    sent = {"n": 0}

    async def receive():
        n = sent["n"]
        sent["n"] += 1
        if stop_after is not None and n >= stop_after:
            await asyncio.sleep(0)
            return {"type": "http.disconnect"}
        if on_chunk:
            on_chunk(n)
        chunk = data[n * CHUNK : (n + 1) * CHUNK]
        return {"type": "http.request", "body": chunk, "more_body": (n + 1) * CHUNK < len(data)}

    out = []

    async def send(message):
        out.append(message)

    asyncio.run(application(scope, receive, send))
    return out[0]["status"], json.loads(out[1]["body"])


# --- the JSON API with an API key ------------------------------------------------------------------


def make_api_key(client, name: str | None = None, days: int = 7) -> str:
    """An API key made on the logged-in client's API keys page (for its current project), read from
    the one answer that shows it. The key's Keystone application credential ends with the key."""
    import html
    from datetime import date, timedelta

    response = client.post(
        "/auth/keys/", {"name": name or unique("zt-key"), "expires": date.today() + timedelta(days=days)}
    )
    if response.status_code != 201:
        page = response.content.decode()
        problems = re.findall(r"(?:alert-danger|invalid-feedback|alert-block)[^>]*>(.*?)</", page, re.S)
        pytest.fail(f"no API key made ({response.status_code}): {problems or page[-1500:]}")
    found = re.search(r'<code[^>]* id="new-api-key">([^<]+)<', response.content.decode())
    assert found, "the new key is not on the page"
    return html.unescape(found.group(1)).strip()


def key_client(key: str):
    """A Django test client that sends `Authorization: Bearer <key>` (nothing for "") and no cookie."""
    from django.test import Client

    return Client(HTTP_AUTHORIZATION=f"Bearer {key}") if key else Client()
