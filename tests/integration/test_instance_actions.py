"""Every instance action, through Zenith's pages, on a real devcloud instance; the result checked with openstacksdk."""

from __future__ import annotations

import pytest

from tests.helpers import boot, count_cloud_requests, unique, wait_for, wait_for_status

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture(scope="module")
def subject(demo_sdk, module_cleanup):
    """One ACTIVE instance that the tests of this module take through its life."""
    return boot(demo_sdk, unique("za"), cleanup=module_cleanup)


@pytest.fixture
def active(subject, demo_sdk):
    """The subject, brought back to ACTIVE and unlocked whatever the previous test left."""
    s = demo_sdk.compute.get_server(subject.id)
    if s.is_locked:
        demo_sdk.compute.unlock_server(s)
    s = wait_for(lambda: (x := demo_sdk.compute.get_server(subject.id)) and not x.task_state and x, "no task")
    undo = {
        "SHUTOFF": demo_sdk.compute.start_server,
        "PAUSED": demo_sdk.compute.unpause_server,
        "SUSPENDED": demo_sdk.compute.resume_server,
        "SHELVED_OFFLOADED": demo_sdk.compute.unshelve_server,
        "SHELVED": demo_sdk.compute.unshelve_server,
        "VERIFY_RESIZE": demo_sdk.compute.revert_server_resize,
    }.get(s.status)
    if undo:
        undo(s)
    return wait_for_status(demo_sdk, subject.id, "ACTIVE")


def act(client, server_id: str, action: str, **data):
    """POST an action as the row menu does; returns the page the user lands on."""
    response = client.post(
        f"/project/instances/{server_id}/action/{action}/", {"next": "/project/instances/", "name": "x", **data}
    )
    assert response.status_code == 302, response.content[:300]
    return client.get(response["Location"]).content.decode()


def actions_of(conn, server_id: str) -> list[str]:
    return [a.action for a in conn.compute.server_actions(server_id)]


@pytest.mark.parametrize(
    ("action", "state", "undo"),
    [("stop", "SHUTOFF", "start"), ("pause", "PAUSED", "unpause"), ("suspend", "SUSPENDED", "resume")],
)
def test_action_and_its_undo_change_the_real_state(demo_client, demo_sdk, active, action, state, undo):
    page = act(demo_client, active.id, action)
    assert "The instance “x” is " in page  # the action's own sentence, naming the row it was asked from
    wait_for_status(demo_sdk, active.id, state)
    detail = demo_client.get(f"/project/instances/{active.id}/").content.decode()
    assert f'data-action="{undo}"' in detail and f'data-action="{action}"' not in detail
    act(demo_client, active.id, undo)
    wait_for_status(demo_sdk, active.id, "ACTIVE")


@pytest.mark.parametrize("action", ["reboot", "reboot_hard"])
def test_reboots_reach_nova(demo_client, demo_sdk, active, action):
    before = actions_of(demo_sdk, active.id).count("reboot")
    act(demo_client, active.id, action)
    wait_for(lambda: actions_of(demo_sdk, active.id).count("reboot") == before + 1, "a reboot in the action log")
    wait_for_status(demo_sdk, active.id, "ACTIVE")
    log = demo_client.get(f"/project/instances/{active.id}/", {"tab": "log"}).content.decode()
    assert "<td>Reboot</td>" in log  # the action in words (dashboard/cloud/labels.py), not "reboot"


def test_shelve_and_unshelve(demo_client, demo_sdk, active):
    act(demo_client, active.id, "shelve")
    wait_for(
        lambda: demo_sdk.compute.get_server(active.id).status in ("SHELVED", "SHELVED_OFFLOADED"),
        "instance shelved",
        timeout=180,
    )
    wait_for(lambda: not demo_sdk.compute.get_server(active.id).task_state, "shelving to finish")
    detail = demo_client.get(f"/project/instances/{active.id}/").content.decode()
    assert 'data-action="unshelve"' in detail and 'data-action="stop"' not in detail
    act(demo_client, active.id, "unshelve")
    wait_for_status(demo_sdk, active.id, "ACTIVE")


def test_lock_offers_only_unlock_and_nova_refusal_is_shown_in_words(demo_client, demo_sdk, active):
    act(demo_client, active.id, "lock")
    assert wait_for(lambda: demo_sdk.compute.get_server(active.id).is_locked, "locked")
    detail = demo_client.get(f"/project/instances/{active.id}/").content.decode()
    assert 'data-action="unlock"' in detail and 'data-action="stop"' not in detail
    # a stale page still offers stop: Nova refuses and the user reads why
    page = act(demo_client, active.id, "stop")
    assert "The action “Stop” on" in page and "locked" in page.lower()
    assert demo_sdk.compute.get_server(active.id).status == "ACTIVE"
    act(demo_client, active.id, "unlock")
    assert wait_for(lambda: not demo_sdk.compute.get_server(active.id).is_locked, "unlocked")


def test_starting_an_active_instance_shows_novas_reason(demo_client, demo_sdk, active):
    page = act(demo_client, active.id, "start")
    assert "The action “Start” on" in page and "Compute (Nova) refused" in page
    assert demo_sdk.compute.get_server(active.id).status == "ACTIVE"


def test_rename_and_form_keeps_input_on_error(demo_client, demo_sdk, active):
    url = f"/project/instances/{active.id}/rename/"
    form = demo_client.get(url)
    assert form.status_code == 200 and active.name in form.content.decode()
    too_long = "n" * 300
    bad = demo_client.post(url, {"name": too_long})
    assert bad.status_code == 400 and too_long in bad.content.decode()
    assert demo_sdk.compute.get_server(active.id).name == active.name
    new = active.name + "-renamed"
    ok = demo_client.post(url, {"name": new})
    assert ok.status_code == 302
    assert demo_sdk.compute.get_server(active.id).name == new
    demo_sdk.compute.update_server(active.id, name=active.name)


def test_snapshot_creates_an_image(demo_client, demo_sdk, active, cleanup):
    name = unique("zsnap")
    response = demo_client.post(f"/project/instances/{active.id}/snapshot/", {"name": name})

    def delete_snapshots():
        for img in demo_sdk.image.images(name=name):
            demo_sdk.image.delete_image(img)

    cleanup.add(delete_snapshots)
    assert response.status_code == 302
    image = wait_for(lambda: demo_sdk.image.find_image(name), "the snapshot image")
    # Nova's fake driver records the snapshot image but uploads no data (it stays "queued")
    assert image.name == name and image.status in ("queued", "saving", "active"), image.status
    assert image.properties.get("image_type") == "snapshot"
    assert image.instance_uuid == active.id
    assert "createImage" in actions_of(demo_sdk, active.id)
    wait_for(lambda: not demo_sdk.compute.get_server(active.id).task_state, "snapshot task to end")


def test_rebuild_from_image(demo_client, demo_sdk, active):
    image = demo_sdk.image.find_image("demo-image", ignore_missing=False)
    form = demo_client.get(f"/project/instances/{active.id}/rebuild/").content.decode()
    assert "demo-image" in form and 'data-confirm="Rebuild' in form
    # the module's instance runs demo-image already: Nova's action log is what shows a rebuild, and
    # it may hold one from an earlier test of the module
    before = actions_of(demo_sdk, active.id).count("rebuild")
    response = demo_client.post(f"/project/instances/{active.id}/rebuild/", {"image": image.id})
    assert response.status_code == 302
    wait_for(lambda: actions_of(demo_sdk, active.id).count("rebuild") == before + 1, "a rebuild in the action log")
    server = wait_for_status(demo_sdk, active.id, "ACTIVE")
    assert server.image.id == image.id


def resize_to(demo_client, demo_sdk, server_id, flavor_name):
    current = demo_sdk.compute.get_server(server_id).flavor.original_name
    target = demo_sdk.compute.find_flavor(flavor_name, ignore_missing=False)
    form = demo_client.get(f"/project/instances/{server_id}/resize/").content.decode()
    assert flavor_name in form and f">{current}" not in form  # the current flavor is not offered
    response = demo_client.post(f"/project/instances/{server_id}/resize/", {"flavor": target.id})
    assert response.status_code == 302
    # the devcloud allows resizing on its one host: Nova waits for the user's confirmation
    wait_for_status(demo_sdk, server_id, "VERIFY_RESIZE")
    detail = demo_client.get(f"/project/instances/{server_id}/").content.decode()
    assert 'data-action="confirm_resize"' in detail and 'data-action="revert_resize"' in detail
    return current


def test_resize_then_confirm_keeps_the_new_flavor(demo_client, demo_sdk, active):
    resize_to(demo_client, demo_sdk, active.id, "m1.medium")
    act(demo_client, active.id, "confirm_resize")
    assert wait_for_status(demo_sdk, active.id, "ACTIVE").flavor.original_name == "m1.medium"


def test_resize_then_revert_goes_back_to_the_old_flavor(demo_client, demo_sdk, active):
    before = resize_to(demo_client, demo_sdk, active.id, "m1.small")
    act(demo_client, active.id, "revert_resize")
    assert wait_for_status(demo_sdk, active.id, "ACTIVE").flavor.original_name == before


def test_resize_form_rejects_an_unknown_flavor_and_keeps_the_form(demo_client, active):
    response = demo_client.post(f"/project/instances/{active.id}/resize/", {"flavor": "no-such-flavor"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


@pytest.fixture
def volume(demo_sdk, cleanup):
    vol = demo_sdk.block_storage.create_volume(size=1, name=unique("zvol"))
    cleanup.delete("volume", vol.id, conn=demo_sdk)
    demo_sdk.block_storage.wait_for_status(vol, "available", wait=120)
    return vol


def test_attach_and_detach_volume(demo_client, demo_sdk, active, volume):
    form = demo_client.get(f"/project/instances/{active.id}/attach_volume/").content.decode()
    assert volume.name in form
    response = demo_client.post(f"/project/instances/{active.id}/attach_volume/", {"volume": volume.id})
    assert response.status_code == 302
    wait_for(lambda: demo_sdk.block_storage.get_volume(volume.id).status == "in-use", "volume in use")
    assert volume.id in [v["id"] for v in demo_sdk.compute.get_server(active.id).attached_volumes]
    detail = demo_client.get(f"/project/instances/{active.id}/").content.decode()
    # the page lists it with its name (the project's volumes are read at once with the server)
    attached = detail.split('id="attached-volumes"')[1]
    assert f'data-volume="{volume.id}"' in attached and volume.name in attached
    assert 'hx-trigger="load"' not in detail
    act(demo_client, active.id, "detach_volume", volume_id=volume.id)
    wait_for(lambda: demo_sdk.block_storage.get_volume(volume.id).status == "available", "volume detached")
    assert volume.id not in [v["id"] for v in demo_sdk.compute.get_server(active.id).attached_volumes]


def test_attach_and_detach_interface(demo_client, demo_sdk, active):
    net = demo_sdk.network.find_network("private", ignore_missing=False)
    before = {p.id for p in demo_sdk.network.ports(device_id=active.id)}
    bad = demo_client.post(f"/project/instances/{active.id}/attach_interface/", {})
    assert bad.status_code == 400 and "Choose either a network or a port" in bad.content.decode()
    response = demo_client.post(f"/project/instances/{active.id}/attach_interface/", {"network": net.id})
    assert response.status_code == 302
    ports = wait_for(
        lambda: (p := {p.id for p in demo_sdk.network.ports(device_id=active.id)}) - before and p, "a new port"
    )
    (new_port,) = ports - before
    tab = demo_client.get(f"/project/instances/{active.id}/", {"tab": "interfaces"}).content.decode()
    assert f'data-port="{new_port}"' in tab
    act(demo_client, active.id, "detach_interface", port_id=new_port)
    wait_for(lambda: {p.id for p in demo_sdk.network.ports(device_id=active.id)} == before, "port detached")


def test_associate_floating_ip_from_a_pool_and_disassociate(demo_client, demo_sdk, active, cleanup):
    public = demo_sdk.network.find_network("public", ignore_missing=False)
    port = next(iter(demo_sdk.network.ports(device_id=active.id)))
    fixed = port.fixed_ips[0]["ip_address"]
    url = f"/project/instances/{active.id}/floating_ip/"
    assert fixed in demo_client.get(url).content.decode()
    response = demo_client.post(url, {"target": f"{port.id}/{fixed}", "floating_ip": "", "pool": public.id})
    assert response.status_code == 302, response.content.decode()[-2000:]
    fips = list(demo_sdk.network.ips(port_id=port.id))
    for fip in fips:
        cleanup.delete("floating_ip", fip.id, conn=demo_sdk)
    assert len(fips) == 1 and fips[0].fixed_ip_address == fixed
    address = fips[0].floating_ip_address
    # Nova learns it from Neutron: the list shows it as a floating address of the row
    wait_for(lambda: address in str(demo_sdk.compute.get_server(active.id).addresses), "Nova to see the floating IP")
    row = demo_client.get(f"/project/instances/{active.id}/row/").content.decode()
    assert f'<span class="floating-ip fw-semibold">{address}</span>' in row
    # the interfaces tab shows it on its port: 3 calls, the server, its ports and the floating IPs
    # on those ports (filtered by port: tests/unit/test_instance_ports.py)
    with count_cloud_requests() as seen:
        tab = demo_client.get(f"/project/instances/{active.id}/", {"tab": "interfaces"}).content.decode()
    assert f'<span class="floating-ip">{address}</span>' in tab
    assert sorted(url.split("?")[0].rsplit("/", 1)[-1] for _m, url in seen) == sorted(
        ["floatingips", "ports", active.id]
    )
    act(demo_client, active.id, "disassociate_floating_ip", floating_ip_id=fips[0].id)
    assert demo_sdk.network.get_ip(fips[0].id).port_id is None
    # a free floating IP is offered next time, and associating it reuses it
    form = demo_client.get(url).content.decode()
    assert address in form
    demo_client.post(url, {"target": f"{port.id}/{fixed}", "floating_ip": fips[0].id, "pool": public.id})
    assert demo_sdk.network.get_ip(fips[0].id).port_id == port.id


def test_disassociating_a_floating_ip_of_another_instance_is_refused(demo_client, demo_sdk, active):
    page = act(demo_client, active.id, "disassociate_floating_ip", floating_ip_id="not-one-of-mine")
    assert "not associated with this instance" in page


@pytest.fixture
def security_group(demo_sdk, cleanup):
    group = demo_sdk.network.create_security_group(name=unique("zsg"))
    cleanup.delete("security_group", group.id, conn=demo_sdk)
    return group


def test_change_security_groups(demo_client, demo_sdk, active, security_group):
    def groups():
        return {g for p in demo_sdk.network.ports(device_id=active.id) for g in p.security_group_ids}

    default = groups()
    url = f"/project/instances/{active.id}/security_groups/"
    assert security_group.name in demo_client.get(url).content.decode()
    assert demo_client.post(url, {"groups": [*default, security_group.id]}).status_code == 302
    wait_for(lambda: security_group.id in groups(), "the new group on the port")
    assert default <= groups()
    assert demo_client.post(url, {"groups": list(default)}).status_code == 302
    wait_for(lambda: groups() == default, "the group removed")


def test_bulk_stop_start_and_delete(demo_client, demo_sdk, cleanup):
    servers = [boot(demo_sdk, unique("zb"), wait=False, cleanup=cleanup) for _ in range(2)]
    servers = [wait_for_status(demo_sdk, s.id, "ACTIVE") for s in servers]
    ids = [s.id for s in servers]
    page = demo_client.post("/project/instances/bulk/", {"action": "stop", "ids": ids}, follow=True)
    assert "2 instances are stopping." in page.content.decode()
    for s in servers:
        wait_for_status(demo_sdk, s.id, "SHUTOFF")
    demo_client.post("/project/instances/bulk/", {"action": "start", "ids": ids})
    for s in servers:
        wait_for_status(demo_sdk, s.id, "ACTIVE")
    page = demo_client.post("/project/instances/bulk/", {"action": "delete", "ids": ids}, follow=True)
    assert "2 instances are being deleted." in page.content.decode()
    for s in servers:
        wait_for(lambda s=s: demo_sdk.compute.find_server(s.id) is None, "instance deleted")


def test_delete_from_detail_returns_to_the_list(demo_client, demo_sdk, cleanup):
    server = boot(demo_sdk, unique("zd"), cleanup=cleanup)
    response = demo_client.post(
        f"/project/instances/{server.id}/action/delete/",
        {"next": f"/project/instances/{server.id}/", "name": server.name},
    )
    assert response.status_code == 302 and response["Location"] == "/project/instances/"
    wait_for(lambda: demo_sdk.compute.find_server(server.id) is None, "instance deleted")


def test_attach_an_existing_port_and_detach_it(demo_client, demo_sdk, active, cleanup):
    net = demo_sdk.network.find_network("private", ignore_missing=False)
    port = demo_sdk.network.create_port(network_id=net.id, name=unique("zport"))
    cleanup.delete("port", port.id, conn=demo_sdk)
    form = demo_client.get(f"/project/instances/{active.id}/attach_interface/").content.decode()
    assert port.name in form
    response = demo_client.post(f"/project/instances/{active.id}/attach_interface/", {"port": port.id})
    assert response.status_code == 302
    wait_for(lambda: demo_sdk.network.get_port(port.id).device_id == active.id, "the port on the instance")
    act(demo_client, active.id, "detach_interface", port_id=port.id)
    wait_for(lambda: not demo_sdk.network.get_port(port.id).device_id, "the port detached")


def test_a_form_refused_by_nova_keeps_the_input_and_says_why(demo_client, demo_sdk, active, cleanup):
    image = demo_sdk.image.find_image("demo-image", ignore_missing=False)
    before = actions_of(demo_sdk, active.id).count("rebuild")
    demo_sdk.compute.lock_server(active.id)
    cleanup.add(demo_sdk.compute.unlock_server, active.id)
    response = demo_client.post(f"/project/instances/{active.id}/rebuild/", {"image": image.id})
    html = response.content.decode()
    assert response.status_code == 400
    assert "locked" in html.lower() and "Compute (Nova) refused" in html
    assert f'<option value="{image.id}" selected>' in html
    assert actions_of(demo_sdk, active.id).count("rebuild") == before
