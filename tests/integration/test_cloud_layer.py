"""dashboard.cloud against the real devcloud: a user's token boots an instance; errors become words."""

import threading

import pytest

from dashboard.cloud import CloudError, call, concurrently, keystone
from dashboard.cloud.credentials import Credentials
from dashboard.cloud.instances import INSTANCE_NOT_FOUND
from dashboard.cloud.sessions import connection_for
from tests.helpers import unique, wait_for

pytestmark = pytest.mark.integration


def stored_login(username: str, password: str, project: str) -> Credentials:
    """What the login view keeps in the session, made the same way."""
    unscoped = keystone.password_login(username, password, "Default")
    projects = keystone.user_projects(unscoped.auth_token)
    project_id = next(p["id"] for p in projects if p["name"] == project)
    scoped = keystone.scope_to_project(unscoped.auth_token, project_id)
    return Credentials.at_login(unscoped, username, "Default", projects).in_project(scoped, "RegionOne")


def test_demo_token_boots_an_instance_to_active_and_deletes_it(devcloud, demo_sdk):
    conn = connection_for(stored_login("demo", "demo", "demo"))
    refs = concurrently(
        {
            "flavor": lambda: conn.compute.find_flavor("m1.tiny", ignore_missing=False),
            "image": lambda: conn.image.find_image("demo-image", ignore_missing=False),
            "network": lambda: conn.network.find_network("private", ignore_missing=False),
        }
    )
    name = unique("cloudlayer")
    server = call(
        lambda: conn.compute.create_server(
            name=name,
            flavor_id=refs["flavor"].id,
            image_id=refs["image"].id,
            networks=[{"uuid": refs["network"].id}],
        ),
        service="compute",
    )
    try:
        active = wait_for(
            lambda: (s := call(lambda: conn.compute.get_server(server.id))).status == "ACTIVE" and s,
            what="ACTIVE",
        )
        assert active.name == name
        # the cloud itself agrees, seen by an independent client as the same user
        assert demo_sdk.compute.get_server(server.id).status == "ACTIVE"
        assert "private" in active.addresses
    finally:
        call(lambda: conn.compute.delete_server(server.id, ignore_missing=True))
    wait_for(lambda: demo_sdk.compute.find_server(server.id) is None, what="deletion")


def test_missing_instance_is_a_not_found_message(devcloud):
    conn = connection_for(stored_login("demo", "demo", "demo"))
    with pytest.raises(CloudError) as info:
        call(lambda: conn.compute.get_server("00000000-0000-0000-0000-000000000000"), not_found=INSTANCE_NOT_FOUND)
    assert info.value.kind == "not_found"
    assert info.value.message == "The instance was not found; it may have been deleted."


def test_member_asking_for_hypervisors_is_told_not_allowed(devcloud):
    conn = connection_for(stored_login("demo", "demo", "demo"))
    with pytest.raises(CloudError) as info:
        call(lambda: conn.compute.hypervisors(), service="compute")
    assert info.value.kind == "forbidden"
    assert "not allowed" in info.value.message


def test_a_page_worth_of_calls_runs_concurrently(devcloud):
    conn = connection_for(stored_login("demo", "demo", "demo"))
    # each call, once answered, waits for the other three: they all get there only if they run at
    # the same time (one after the other, the first would wait alone until the barrier breaks)
    all_running = threading.Barrier(4, timeout=30)

    def then_wait(listing):
        def run():
            rows = list(listing())
            all_running.wait()
            return rows

        return run

    results = concurrently(
        {
            "servers": then_wait(conn.compute.servers),
            "images": then_wait(conn.image.images),
            "networks": then_wait(conn.network.networks),
            "volumes": then_wait(conn.block_storage.volumes),
        }
    )
    assert any(i.name == "demo-image" for i in results["images"])
    assert {"private", "public"} <= {n.name for n in results["networks"]}
    assert isinstance(results["volumes"], list)


def test_raw_proxy_call_errors_are_translated_too(devcloud):
    conn = connection_for(stored_login("demo", "demo", "demo"))
    with pytest.raises(CloudError) as info:
        call(lambda: conn.compute.get("/servers/00000000-0000-0000-0000-000000000000"))
    assert info.value.kind == "not_found"
    ok = call(lambda: conn.compute.get("/flavors"))
    assert ok.status_code == 200
