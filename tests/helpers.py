"""Shared test machinery, as plain functions: `from tests.helpers import ...`.

The fixtures built on them (devcloud, *_sdk, *_client, cleanup) live in tests/conftest.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import fcntl
import functools
import http.server
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
import requests
from openstack import exceptions as sdk_exc

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"

KEYSTONE = os.environ.get("DASHBOARD_KEYSTONE_URL", "http://127.0.0.1:5000/v3")
USERS = {"demo": ("demo", "demo"), "alt": ("alt", "alt"), "admin": ("admin", "admin"), "lonely": ("lonely", "lonely")}
HOME_PROJECT = {"demo": "demo", "alt": "alt", "admin": "admin"}


# --- waiting and naming ------------------------------------------------------------------------------


def run_async(coroutine):
    """Run `coroutine` to its end on an event loop of its own, in another thread, and return what it
    returns: asyncio.run() refuses to start in a thread whose loop is running (Playwright's sync API
    keeps one running in the main thread once the browser tests have started)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


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


# what boots on the devcloud's real host (libvirt, zone real): the tiny guest, without a NIC
REAL_GUEST = {"flavor": "m1.nano", "image": "tiny-real", "network": None, "availability_zone": "real"}


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


def never_launched(sdk_conn, cleanup: Cleanup, name: str | None = None):
    """An instance in ERROR that no host ever took (Nova's scheduler found none: its flavor, made
    for it, requires a trait no host has), as a cloud shows after a failed launch; it and its
    flavor are removed after the test."""
    admin = _admin()
    flavor = admin.compute.create_flavor(name=unique("zt-nohost"), ram=64, disk=1, vcpus=1, is_public=True)
    cleanup.add(admin.compute.delete_flavor, flavor.id)
    admin.compute.create_flavor_extra_specs(flavor, {"trait:CUSTOM_ZT_NO_HOST_HAS_IT": "required"})
    server = boot(sdk_conn, name or unique("zt-never"), flavor=flavor.name, network=None, wait=False, cleanup=cleanup)
    return wait_for_status(sdk_conn, server.id, "ERROR")


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


async def poller_listed(project_id: str, topic: str, timeout: float = 30) -> None:
    """Once the project's `topic` poller has listed its resources since this call began.

    A new poller's first look records what the page already shows and sends nothing, so a resource
    made before that look is never announced as new. The poller's request counter
    (dashboard.live.state) goes up after each listing."""
    from dashboard.live import state

    before = state.request_count(project_id, topic)
    deadline = time.monotonic() + timeout
    while state.request_count(project_id, topic) <= before:
        assert time.monotonic() < deadline, f"the {topic} poller listed nothing in {timeout} s"
        await asyncio.sleep(0.2)


# --- what a page costs ------------------------------------------------------------------------------


@contextmanager
def count_cloud_requests(detail: bool = False):
    """Every HTTP request any keystoneauth session makes inside the block, as (method, url), in order;
    with `detail`, as (method, service type, url, query parameters) (Zenith's calls name the service
    and give a path, and the query apart).

    Zenith's and openstacksdk's cloud calls all go through keystoneauth1.session.Session.request; the
    class itself is patched, so calls from worker threads (dashboard.cloud.concurrently) count too."""
    from keystoneauth1 import session as ks_session

    real = ks_session.Session.request
    seen: list[tuple] = []
    lock = threading.Lock()

    def counted(self, url, method, *args, **kwargs):
        if detail:
            service = (kwargs.get("endpoint_filter") or {}).get("service_type", "")
            seen_as = (method, service, url, dict(kwargs.get("params") or {}))
        else:
            seen_as = (method, url)
        with lock:
            seen.append(seen_as)
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
KINDS = {*_SIMPLE, "server", "volume", "snapshot", "backup", "quotas", "project"}


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
    elif kind == "backup":  # waited for: Cinder refuses a full backup while an incremental one on it remains
        conn.block_storage.delete_backup(ident)
        wait_for(lambda: conn.block_storage.find_backup(ident, ignore_missing=True) is None, "backup deleted", 120)
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


def credentials_of(client):
    """The logged-in client's `Credentials`, read from its session as Zenith reads them."""
    from dashboard.cloud.credentials import Credentials

    return Credentials.from_dict(client.session["keystone"])


def session_tokens(client) -> tuple[str, str]:
    """The session's (project-scoped, unscoped) Keystone tokens, opened: the session keeps them sealed."""
    from dashboard.cloud.secrets import open_sealed

    stored = client.session["keystone"]
    return open_sealed(stored["token"]), open_sealed(stored["unscoped_token"])


def token_works(token: str) -> bool:
    """Whether Keystone still lets the token be used: it asks for the token's own projects with it,
    as any client would (not through Zenith). 401 means revoked or expired."""
    answer = requests.get(f"{KEYSTONE}/auth/projects", headers={"X-Auth-Token": token}, timeout=30)
    if answer.status_code not in (200, 401):
        answer.raise_for_status()
    return answer.status_code == 200


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


def row_menu(html: str, row_id: str) -> str:
    """The actions menu (its <ul>) the row `row_id` of a list page offers: printed in the row (a
    live row), or the menu of the list's <template> its button names, as zenith.js copies it in
    (only the set's actions when the template is part of a bigger menu; the row's id and name in
    place of the stand-ins). "" when the row has no menu."""
    found = re.search(rf'<tr [^>]*data-id="{re.escape(row_id)}".*?</tr>', html, re.S)
    row = found.group(0) if found else ""
    if "dropdown-menu" in row:
        return row[row.index('<ul class="dropdown-menu') : row.rindex("</ul>") + 5]
    button = re.search(r'<button [^>]*data-row-menu="([^"]*)" data-name="([^"]*)"', row)
    if not button:
        return ""
    templates = {}
    for attrs, content in re.findall(r"<template ([^>]*)>(.*?)</template>", html, re.S):
        found_attrs = dict(re.findall(r'([\w-]+)="([^"]*)"', attrs))
        templates[found_attrs["data-row-menu"]] = {**found_attrs, "content": content}
    kept = templates[button.group(1)]
    source = templates[kept["data-row-menu-of"]] if "data-row-menu-of" in kept else kept
    menu = source["content"]
    if source is not kept:
        wanted = kept["data-actions"].split()
        for item in re.findall(r"<li>.*?</li>", menu, re.S):
            action = re.search(r'data-action="([^"]*)"', item)
            if action and action.group(1) not in wanted:
                menu = menu.replace(item, "", 1)
    return menu.replace(source["data-stand-in-id"], row_id).replace(source["data-stand-in-name"], button.group(2))


# --- the browser ------------------------------------------------------------------------------------


# a person's language in a browser: its locale and the Accept-Language it sends
LOCALES = {"fr": "fr-FR", "en": "en-US"}


def context_in(chromium, base_url: str, language: str, width: int = 1400, height: int = 900):
    """A browser context whose person reads `language` ("en", "fr")."""
    return chromium.new_context(
        base_url=base_url,
        viewport={"width": width, "height": height},
        locale=LOCALES[language],
        extra_http_headers={"Accept-Language": f"{LOCALES[language]},{language};q=0.9"},
    )


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


def screenshots(page, name: str) -> None:
    """The page as it is, 1400 and 390 px wide, then reloaded in French (the language chooser's
    cookie), under ARTIFACTS/<name>-<language>-<width>.png; it ends reloaded in English. A test that
    checks its page is never reloaded marks it again after."""
    from playwright.sync_api import expect  # only the browser tests have a page

    size = page.viewport_size

    def in_language(language: str) -> None:
        page.context.add_cookies([{"name": "zenith_language", "value": language, "url": page.url}])
        page.reload()
        expect(page.locator("#live-indicator")).to_have_attribute("data-state", "live")

    for language in ("en", "fr"):
        if language == "fr":
            in_language("fr")
        for width in (1400, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=str(ARTIFACTS / f"{name}-{language}-{width}.png"), full_page=True)
    page.set_viewport_size(size)
    in_language("en")


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


def upload_scope(client, url: str, length: int, *, csrf: bool | str = True, method: str = "PUT") -> dict:
    """The ASGI scope of a request from the logged-in test client (its session and CSRF cookies), as
    a browser sends it to Zenith; for PUTs, with the X-CSRFToken header (`csrf`: the client's token
    (True), none (False), or this text)."""
    cookies = f"zenith_session={client.cookies['zenith_session'].value}; csrftoken={client.cookies['csrftoken'].value}"
    headers = [(b"host", b"127.0.0.1:8000"), (b"cookie", cookies.encode())]
    if method == "PUT":
        headers.append((b"content-length", str(length).encode()))
        if csrf:
            token = client.cookies["csrftoken"].value if csrf is True else csrf
            headers.append((b"x-csrftoken", token.encode()))
    path, _, query = url.partition("?")
    return {
        "type": "http",
        "method": method,
        "path": path,
        "scheme": "http",
        "headers": headers,
        "query_string": query.encode(),
    }


def asgi_put(client, url: str, data: bytes, *, csrf: bool | str = True, stop_after: int | None = None, on_chunk=None):
    """PUT `data` to the upload route in 64 KiB messages, as an ASGI server delivers a body; with
    `stop_after`, the client goes away after that many messages. Returns (status, JSON). `csrf`:
    send the client's CSRF token (True), none (False), or this text as the X-CSRFToken header."""
    from dashboard.asgi import application

    scope = upload_scope(client, url, len(data), csrf=csrf)
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

    run_async(application(scope, receive, send))
    return out[0]["status"], json.loads(out[1]["body"])


# --- files Glance downloads (web-download imports) -----------------------------------------------

# The one port of 127.0.0.1 the devcloud's Glance imports images from (WEB_DOWNLOAD_PORT in
# tools/devcloud/devcloud, its [import_filtering_opts] allowed_ports): every test that makes an
# image from a URL serves the file there, with `serving`.
WEB_DOWNLOAD_PORT = 8765


class _QuietFiles(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@contextmanager
def serving(directory, port: int = WEB_DOWNLOAD_PORT, timeout: float = 180):
    """The files of `directory` over HTTP on 127.0.0.1:`port` for the block (0: any free port);
    yields the base URL, e.g. "http://127.0.0.1:8765".

    Test runs on the machine share WEB_DOWNLOAD_PORT: a lock file makes them take turns, each
    holding it for its block; a run waits for it up to `timeout` seconds, then fails saying so."""
    deadline = time.monotonic() + timeout
    with contextlib.ExitStack() as stack:
        if port:
            lock = stack.enter_context(open(f"/tmp/zenith-tests-port-{port}.lock", "a"))
            while True:
                try:
                    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        pytest.fail(f"port {port} stayed taken by another test run for {timeout} s")
                    time.sleep(0.2)
        handler = functools.partial(_QuietFiles, directory=str(directory))
        while True:  # a process that takes no lock (tools/devcloud/smoke.py) may still hold the port
            try:
                server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
                break
            except OSError as exc:
                if exc.errno != errno.EADDRINUSE or time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}"
        finally:
            server.shutdown()
            server.server_close()


class SlowPut:
    """An upload PUT driven in the test's own event loop (create and run it inside one coroutine,
    as one ASGI server process would), from a client that sends the first `send_bytes` of `data` in
    64 KiB messages and then nothing more, without going away (a stalled client), until
    `hang_up()`. `stalled` is set once the route waits for bytes the client does not send;
    `await put.run()` answers (status, JSON) and keeps the answer's headers in `headers`."""

    def __init__(self, client, url: str, data: bytes, send_bytes: int | None = None):
        self.scope = upload_scope(client, url, len(data))
        self.data = data
        self.limit = len(data) if send_bytes is None else send_bytes
        self.sent = 0  # bytes the route has read
        self.stalled = asyncio.Event()
        self._gone = asyncio.Event()
        self.headers: dict[str, str] = {}

    async def receive(self):
        if self.sent < self.limit:
            chunk = self.data[self.sent : min(self.sent + CHUNK, self.limit)]
            self.sent += len(chunk)
            return {"type": "http.request", "body": chunk, "more_body": self.sent < len(self.data)}
        self.stalled.set()
        await self._gone.wait()
        return {"type": "http.disconnect"}

    def hang_up(self) -> None:
        """The client goes away (the route gets http.disconnect at its next read)."""
        self._gone.set()

    async def run(self) -> tuple[int, dict]:
        from dashboard.asgi import application

        out = []

        async def send(message):
            out.append(message)

        await application(self.scope, self.receive, send)
        self.headers = {k.decode(): v.decode() for k, v in out[0]["headers"]}
        return out[0]["status"], json.loads(out[1]["body"])


async def asgi_get(client, url: str) -> tuple[int, bytes]:
    """GET `url` from Zenith's ASGI application in the running event loop, as the logged-in test
    client: (status, the whole body)."""
    from dashboard.asgi import application

    asked = False
    out = []

    async def receive():
        nonlocal asked
        if not asked:
            asked = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.Event().wait()  # the client stays (Django stops listening once it has answered)

    async def send(message):
        out.append(message)

    await application(upload_scope(client, url, 0, method="GET"), receive, send)
    return out[0]["status"], b"".join(m.get("body", b"") for m in out[1:])


def asgi_http(method: str, path: str, headers: list[tuple[str, str]], chunks: list[bytes] = ()) -> dict:
    """One request to dashboard.asgi.application as an ASGI server hands it over, on an event loop of
    its own in another thread: the body as `chunks`, one `http.request` message each, pulled only when
    the application asks; once all are read, the client waits for the answer (no disconnect until it
    is complete). Returns {"status", "headers": [(name, value)], "body", "pulled": messages read,
    "pulled_bytes": body bytes read}."""
    from dashboard.asgi import application

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    answer = {"status": None, "headers": [], "body": b"", "pulled": 0, "pulled_bytes": 0}

    async def run():
        complete = asyncio.Event()
        blocks = list(chunks) or [b""]

        async def receive():
            n = answer["pulled"]
            if n >= len(blocks):
                await complete.wait()
                return {"type": "http.disconnect"}
            answer["pulled"] += 1
            answer["pulled_bytes"] += len(blocks[n])
            return {"type": "http.request", "body": blocks[n], "more_body": n + 1 < len(blocks)}

        async def send(message):
            if message["type"] == "http.response.start":
                answer["status"] = message["status"]
                answer["headers"] = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in message["headers"]]
            elif message["type"] == "http.response.body":
                answer["body"] += message.get("body", b"")
                if not message.get("more_body", False):
                    complete.set()

        await application(scope, receive, send)

    run_async(run())
    return answer


def header_of(answer: dict, name: str) -> str | None:
    """A header of an `asgi_http` answer (the last one of that name), None if absent."""
    found = [value for key, value in answer["headers"] if key.lower() == name.lower()]
    return found[-1] if found else None


def cookies_set_by(answer: dict) -> dict[str, str]:
    """The cookies an `asgi_http` answer sets, by name."""
    from http.cookies import SimpleCookie

    jar = SimpleCookie()
    for key, value in answer["headers"]:
        if key.lower() == "set-cookie":
            jar.load(value)
    return {name: morsel.value for name, morsel in jar.items()}


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


# --- metrics ---------------------------------------------------------------------------------------


def metrics_text() -> str:
    """Every test process's figures as /metrics adds them up (the shared directory, read here)."""
    from django.conf import settings
    from prometheus_client import CollectorRegistry, generate_latest, multiprocess

    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=settings.METRICS_DIR)
    return generate_latest(registry).decode()


def metric_samples(text: str) -> list:
    """The samples of an exposition (prometheus_client's own parser): each has .name, .labels, .value."""
    from prometheus_client.parser import text_string_to_metric_families

    return [sample for family in text_string_to_metric_families(text) for sample in family.samples]


def metric_value(text: str, name: str, **labels: str) -> float:
    """The value of the sample `name` with exactly these labels in an exposition (0 if absent)."""
    found = [s.value for s in metric_samples(text) if s.name == name and s.labels == labels]
    assert len(found) <= 1, f"{name}{labels} appears {len(found)} times"
    return found[0] if found else 0.0
