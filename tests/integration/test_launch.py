"""Launching instances from /project/instances/launch/ against the devcloud, checked with openstacksdk."""

from __future__ import annotations

import base64
import re

import pytest
from cryptography.hazmat.primitives import serialization
from django.test import Client

from dashboard.cloud.keypairs import new_ssh_keypair
from dashboard.cloud.launch import USER_DATA_RAW_LIMIT
from tests.helpers import count_cloud_requests, destroy, login, remove, unique, user_sdk, wait_for, wait_for_status

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

LAUNCH = "/project/instances/launch/"
EXTRAS = LAUNCH + "extras/"
MARKUP = "<img src=x onerror=alert(1)>"


# --- fixtures -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_cloud(demo_sdk):
    """The devcloud's shared things: the image, the flavors and demo's private network."""
    image = demo_sdk.image.find_image("demo-image")
    flavors = {f.name: f for f in demo_sdk.compute.flavors()}
    private = demo_sdk.network.find_network("private")
    assert image and private and "m1.tiny" in flavors
    return {"image": image, "flavors": flavors, "private": private}


def destroy_launched(conn, name: str) -> None:
    """Every instance whose name contains `name` (launched through the form, so its id is unknown),
    then the volumes it had."""
    # Nova's name filter is a regular expression: search with the unique part, compare in Python
    servers = [s for s in conn.compute.servers(name=name) if name in s.name]
    volumes = {v["id"] for server in servers for v in server.attached_volumes or []}
    destroy(conn, *servers)
    for volume_id in volumes:
        remove(conn, "volume", volume_id)


def delete_unbound_ports(conn, network_id: str) -> None:
    """The ports instances left on a network (Nova only unbinds a port it was given)."""
    for port in conn.network.ports(network_id=network_id):
        if port.device_owner.startswith("compute:") or not port.device_owner:
            conn.network.delete_port(port, ignore_missing=True)


# Fixtures register their deletions before the test launches anything: the cleanup runs last-made
# first, so the instances are gone before the networks, ports and groups they held.


@pytest.fixture
def second_network(demo_sdk, cleanup):
    """A second network + subnet in demo, so an instance can get two interfaces."""
    net = demo_sdk.network.create_network(name=unique("zt-launch-net"))
    cleanup.delete("network", net.id, conn=demo_sdk)
    subnet = demo_sdk.network.create_subnet(
        network_id=net.id, name=net.name + "-subnet", ip_version=4, cidr="10.77.0.0/24", gateway_ip=None
    )
    cleanup.delete("subnet", subnet.id, conn=demo_sdk)
    cleanup.add(delete_unbound_ports, demo_sdk, net.id)
    return net


@pytest.fixture
def security_group(demo_sdk, cleanup):
    group = demo_sdk.network.create_security_group(name=unique("zt-launch-sg"), description="launch test")
    cleanup.delete("security_group", group.id, conn=demo_sdk)
    return group


def form(demo_cloud, name: str, **overrides) -> dict:
    data = {
        "name": name,
        "count": "1",
        "source_type": "image",
        "image": demo_cloud["image"].id,
        "flavor": demo_cloud["flavors"]["m1.tiny"].id,
        "nic": [f"net:{demo_cloud['private'].id}"],
        "security_groups": ["default"],
        "key_name": "",
        "user_data": "",
        "metadata": "",
    }
    data.update(overrides)
    return data


def launched(demo_sdk, name: str, search: str = ""):
    servers = [s for s in demo_sdk.compute.servers(name=search or name) if s.name == name]
    assert len(servers) == 1, f"expected one instance named {name}, found {len(servers)}"
    return servers[0]


# --- the page ---------------------------------------------------------------------------------------


def test_launch_page_offers_the_projects_choices(demo_client, demo_cloud):
    page = demo_client.get(LAUNCH)
    assert page.status_code == 200
    text = page.content.decode()
    assert "demo-image" in text and "m1.tiny" in text and "m1.medium" in text
    assert f'value="net:{demo_cloud["private"].id}"' in text
    assert 'id="launch-quota"' in text and 'data-quota="instances"' in text and 'data-quota="gigabytes"' in text
    assert "49,149 bytes" in text  # the user-data limit is shown


def test_launch_page_costs_a_fixed_number_of_calls(demo_client, security_group):
    """The page (demo is a member): 5 calls, 2 of them to Nova (flavors, limits), 1 to Neutron (the
    networks it sees); the key pairs, zones, server groups, volumes, snapshots, security groups
    and free ports follow in the extras part it loads: 7 calls."""
    demo_client.get(LAUNCH)  # version discovery is cached after the first page
    with count_cloud_requests() as seen:
        page = demo_client.get(LAUNCH)
    assert page.status_code == 200
    assert all(method == "GET" for method, _ in seen), seen
    assert len(seen) == 5, seen
    # Nova: /flavors/detail and one of the /limits (the other is Cinder's)
    assert sorted(url for _, url in seen) == sorted(
        ["/images", "/flavors/detail", "/limits", "/limits", "/networks"]
    ), seen
    assert f'hx-get="{EXTRAS}?nics=2"' in page.content.decode()
    demo_client.get(EXTRAS, headers={"HX-Request": "true"})
    with count_cloud_requests() as seen:
        assert demo_client.get(EXTRAS, headers={"HX-Request": "true"}).status_code == 200
    assert len(seen) == 7 and all(method == "GET" for method, _ in seen), seen


def test_the_extras_part_fills_the_forms_placeholders(demo_client, demo_sdk, cleanup, server_group):
    """Before: the zone, key pair and server group selects offer only their "none" choice; after:
    the cloud's, each swapped in by the id of the placeholder it replaces."""
    key = unique("zt-launch-key")
    demo_sdk.compute.create_keypair(name=key, public_key=new_ssh_keypair("me@laptop")[0])
    cleanup.delete("keypair", key, conn=demo_sdk)
    page = demo_client.get(LAUNCH).content.decode()
    part = demo_client.get(EXTRAS, headers={"HX-Request": "true"}).content.decode()
    placeholders = (
        "launch-zone",
        "launch-volume",
        "launch-snapshot",
        "launch-keypair-choice",
        "launch-server-group",
        "launch-security-groups",
    )
    for placeholder in placeholders:
        assert f'id="{placeholder}"' in page and f'id="{placeholder}" hx-swap-oob="true"' in part
    assert f'value="{key}"' not in page and f'value="{server_group.id}"' not in page and 'value="nova"' not in page
    assert f'<option value="{key}">' in part and f'value="{server_group.id}"' in part and 'value="nova"' in part
    # the project's default security group comes ticked
    assert re.search(r'name="security_groups" value="default"[^>]*\s+checked', part)
    assert 'name="security_groups"' not in page
    # the placeholders take no choice (one made there would be lost when the part lands); the part's do
    for name in ("availability_zone", "volume", "snapshot", "key_name", "server_group"):
        assert re.search(rf'<select name="{name}"[^>]*\sdisabled', page), name
        assert re.search(rf'<select name="{name}"[^>]*>', part) and not re.search(
            rf'<select name="{name}"[^>]*\sdisabled', part
        ), name
    # without htmx, the part's address is the page's
    plain = demo_client.get(EXTRAS)
    assert plain.status_code == 302 and plain["Location"] == LAUNCH


def test_live_preview_adds_the_launch_to_the_quota(demo_client, demo_cloud):
    medium = demo_cloud["flavors"]["m1.medium"]
    response = demo_client.post(
        LAUNCH + "preview/",
        form(demo_cloud, "x", count="3", flavor=medium.id, source_type="image_volume", volume_size="4"),
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert 'id="launch-quota"' in text and 'hx-swap-oob="true"' in text
    # 3 × m1.medium: +6 vCPUs, +12288 MiB RAM (read 12 GiB); 3 new volumes of 4 GiB
    line = {key: text.split(f'data-quota="{key}"')[1].split("</li>")[0] for key in ("cores", "ram", "gigabytes")}
    assert "+ 6</span>" in line["cores"] and "+ 12\xa0GiB</span>" in line["ram"]
    assert "+ 12\xa0GiB</span>" in line["gigabytes"]


# --- launches that reach Nova --------------------------------------------------------------------------


def test_launch_from_image_returns_to_the_list_with_the_new_instance(demo_client, demo_sdk, demo_cloud, cleanup):
    name = unique("zt-launch-img")
    cleanup.add(destroy_launched, demo_sdk, name)
    response = demo_client.post(LAUNCH, form(demo_cloud, name, metadata="role=web\nowner = team a"))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == "/project/instances/"
    listing = demo_client.get("/project/instances/")
    assert f"Launching instance “{name}”" in listing.content.decode()
    server = launched(demo_sdk, name)
    assert server.image["id"] == demo_cloud["image"].id
    assert server.flavor["original_name"] == "m1.tiny"
    assert server.metadata == {"role": "web", "owner": "team a"}
    assert wait_for_status(demo_sdk, server.id, "ACTIVE").status == "ACTIVE"


def test_launch_of_two_instances_names_them_by_number(demo_client, demo_sdk, demo_cloud, cleanup):
    name = unique("zt-launch-two")
    cleanup.add(destroy_launched, demo_sdk, name)
    response = demo_client.post(LAUNCH, form(demo_cloud, name, count="2"), follow=True)
    assert f"Launching 2 instances named “{name}-1” … “{name}-2”" in response.content.decode()
    names = sorted(s.name for s in demo_sdk.compute.servers(name=name))
    assert names == [f"{name}-1", f"{name}-2"]


def test_launch_with_created_keypair_security_group_user_data_and_two_networks(
    demo_client, demo_sdk, admin_sdk, demo_cloud, cleanup, second_network, security_group
):
    name = unique("zt-launch-full")
    key_name = unique("zt-key")
    cleanup.add(destroy_launched, demo_sdk, name)
    cleanup.delete("keypair", key_name, conn=demo_sdk)

    # a key pair made by Zenith: the private key is offered once, then gone
    made = demo_client.post(LAUNCH + "keypairs/create/", {"new_keypair_name": key_name})
    assert made.status_code == 200
    assert 'id="download-private-key"' in made.content.decode()
    assert f'<option value="{key_name}" selected>' in made.content.decode()
    download = demo_client.post(LAUNCH + f"keypairs/{key_name}/download/")
    assert download.status_code == 200
    assert download["Content-Disposition"] == f'attachment; filename="{key_name}.pem"'
    private = serialization.load_ssh_private_key(download.content, password=None)
    again = demo_client.post(LAUNCH + f"keypairs/{key_name}/download/")
    assert again.status_code == 410 and b"no longer available" in again.content
    public = private.public_key().public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
    assert demo_sdk.compute.get_keypair(key_name).public_key.startswith(public.decode())

    user_data = "#cloud-config\nruncmd:\n  - echo hello from zenith\n"
    data = form(
        demo_cloud,
        name,
        key_name=key_name,
        security_groups=[security_group.name, "default"],
        user_data=user_data,
        # the second network first: the order on the form is the order of the interfaces
        nic=[f"net:{second_network.id}", f"net:{demo_cloud['private'].id}"],
        config_drive="on",
    )
    response = demo_client.post(LAUNCH, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    server = wait_for_status(demo_sdk, launched(demo_sdk, name).id, "ACTIVE")
    assert server.key_name == key_name
    assert {g["name"] for g in server.security_groups} == {security_group.name, "default"}
    assert list(server.addresses) == [second_network.name, "private"]
    assert server.addresses[second_network.name][0]["addr"].startswith("10.77.0.")
    assert server.addresses["private"][0]["addr"].startswith("10.0.0.")
    # user data is an admin-only attribute (microversion >= 2.3)
    as_admin = admin_sdk.compute.get_server(server.id)
    assert base64.b64decode(as_admin.user_data).decode() == user_data
    assert as_admin.has_config_drive in (True, "True", "true")


@pytest.fixture
def free_port(demo_sdk, demo_cloud, cleanup):
    port = demo_sdk.network.create_port(network_id=demo_cloud["private"].id, name=unique("zt-launch-port"))
    cleanup.delete("port", port.id, conn=demo_sdk)  # Nova only unbinds a port it was given
    return port


@pytest.fixture
def server_group(demo_sdk, cleanup):
    group = demo_sdk.compute.create_server_group(name=unique("zt-launch-group"), policies=["affinity"])
    cleanup.delete("server_group", group.id, conn=demo_sdk)
    return group


def test_launch_on_an_existing_port_in_a_server_group_and_zone(
    demo_client, demo_sdk, demo_cloud, cleanup, free_port, server_group
):
    name = unique("zt-launch-port")
    cleanup.add(destroy_launched, demo_sdk, name)
    page = demo_client.get(LAUNCH).content.decode()
    # the free ports follow the page, in each of its interface slots (2: the private network and an empty one)
    assert f'value="port:{free_port.id}"' not in page and "hidden disabled" in page
    part = demo_client.get(EXTRAS + "?nics=2", headers={"HX-Request": "true"}).content.decode()
    assert f'value="{server_group.id}"' in part
    for slot in (1, 2):
        group = re.search(rf'<optgroup id="nic-ports-{slot}"[^>]*hx-swap-oob="true"[^>]*>(.*?)</optgroup>', part, re.S)
        assert group and f'value="port:{free_port.id}"' in group.group(1), slot
    assert 'id="nic-ports-3"' not in part
    # "Add interface" waits for them, then comes enabled
    assert re.search(r'id="add-nic"[^>]*\sdisabled', page) and 'id="add-nic"' in part
    assert not re.search(r'id="add-nic"[^>]*\sdisabled', part)
    data = form(demo_cloud, name, nic=[f"port:{free_port.id}"], server_group=server_group.id, availability_zone="nova")
    response = demo_client.post(LAUNCH, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    server = wait_for_status(demo_sdk, launched(demo_sdk, name).id, "ACTIVE")
    assert demo_sdk.network.get_port(free_port.id).device_id == server.id
    assert server.availability_zone == "nova"
    assert server.id in demo_sdk.compute.get_server_group(server_group.id).member_ids


def test_a_port_cannot_be_given_to_several_instances(demo_client, demo_cloud, free_port):
    response = demo_client.post(LAUNCH, form(demo_cloud, unique("zt"), count="2", nic=[f"port:{free_port.id}"]))
    assert response.status_code == 400
    assert "A port can belong to one instance only" in response.content.decode()


def test_launch_from_bootable_volume(demo_client, demo_sdk, demo_cloud, cleanup):
    name = unique("zt-launch-vol")
    volume = demo_sdk.block_storage.create_volume(size=1, name=name + "-boot", image_id=demo_cloud["image"].id)
    cleanup.delete("volume", volume.id, conn=demo_sdk)
    volume = demo_sdk.block_storage.wait_for_status(volume, "available", failures=["error"], wait=120)
    wait_for(lambda: str(demo_sdk.block_storage.get_volume(volume).is_bootable).lower() == "true", "bootable")

    # the bootable volumes follow the page in its extras part
    part = demo_client.get(EXTRAS, headers={"HX-Request": "true"})
    assert f'value="{volume.id}"' in part.content.decode()
    cleanup.add(destroy_launched, demo_sdk, name)  # before the volume it boots from (last made, first gone)
    response = demo_client.post(LAUNCH, form(demo_cloud, name, source_type="volume", volume=volume.id, image=""))
    assert response.status_code == 302, response.content.decode()[:3000]
    server = wait_for_status(demo_sdk, launched(demo_sdk, name).id, "ACTIVE")
    assert not server.image or not server.image.get("id")
    assert [(v["id"], v["delete_on_termination"]) for v in server.attached_volumes] == [(volume.id, False)]


def test_launch_image_onto_a_new_volume_with_size_and_delete_on_termination(demo_client, demo_sdk, demo_cloud, cleanup):
    name = unique("zt-launch-i2v")
    cleanup.add(destroy_launched, demo_sdk, name)
    data = form(demo_cloud, name, source_type="image_volume", volume_size="2", delete_on_termination="on")
    response = demo_client.post(LAUNCH, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    server = wait_for_status(demo_sdk, launched(demo_sdk, name).id, "ACTIVE")
    (attached,) = server.attached_volumes
    assert attached["delete_on_termination"] is True
    volume = demo_sdk.block_storage.get_volume(attached["id"])
    assert volume.size == 2
    assert volume.volume_image_metadata["image_id"] == demo_cloud["image"].id


def test_launch_from_a_volume_snapshot_onto_a_new_volume(demo_client, demo_sdk, demo_cloud, cleanup):
    name = unique("zt-launch-snap")
    volume = demo_sdk.block_storage.create_volume(size=1, name=name + "-src", image_id=demo_cloud["image"].id)
    cleanup.delete("volume", volume.id, conn=demo_sdk)
    demo_sdk.block_storage.wait_for_status(volume, "available", failures=["error"], wait=120)
    snapshot = demo_sdk.block_storage.create_snapshot(volume_id=volume.id, name=name + "-snap")
    cleanup.delete("snapshot", snapshot.id, conn=demo_sdk)
    demo_sdk.block_storage.wait_for_status(snapshot, "available", failures=["error"], wait=120)

    data = form(demo_cloud, name, source_type="snapshot", snapshot=snapshot.id, image="", delete_on_termination="on")
    cleanup.add(destroy_launched, demo_sdk, name)  # before the snapshot and volume it comes from
    response = demo_client.post(LAUNCH, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    server = wait_for_status(demo_sdk, launched(demo_sdk, name).id, "ACTIVE")
    (attached,) = server.attached_volumes
    assert attached["delete_on_termination"] is True
    made = demo_sdk.block_storage.get_volume(attached["id"])
    assert made.snapshot_id == snapshot.id and made.size == 1


def test_created_instance_name_with_markup_is_shown_as_text(demo_client, demo_sdk, demo_cloud, cleanup):
    token = unique("zt-markup")
    name = f"{MARKUP} {token}"
    cleanup.add(destroy_launched, demo_sdk, token)
    response = demo_client.post(LAUNCH, form(demo_cloud, name), follow=True)
    text = response.content.decode()
    assert response.status_code == 200
    assert "&lt;img src=x onerror=alert(1)&gt;" in text
    assert MARKUP not in text
    assert launched(demo_sdk, name, search=token).name == name


# --- refused before Nova -----------------------------------------------------------------------------


def no_instance_named(demo_sdk, name: str) -> bool:
    return not [s for s in demo_sdk.compute.servers(name=name) if name in s.name]


def test_every_problem_is_reported_at_once_with_the_input_kept(demo_client, demo_sdk, demo_cloud, demanding_image):
    name = unique("zt-launch-many")
    data = form(
        demo_cloud, name, source_type="image_volume", image=demanding_image.id, volume_size="2", flavor="", count="0"
    )
    response = demo_client.post(LAUNCH, data)
    assert response.status_code == 400
    text = response.content.decode()
    assert "Choose a flavor." in text
    assert "needs a volume of at least 5 GiB" in text
    assert "Ensure this value is greater than or equal to 1." in text
    assert f'value="{demanding_image.id}" selected' in text and 'name="volume_size" id="id_volume_size"' in text
    assert no_instance_named(demo_sdk, name)


def test_markup_name_is_kept_escaped_when_the_form_comes_back(demo_client, demo_sdk, demo_cloud):
    name = f"{MARKUP}{unique('zt')}"
    response = demo_client.post(LAUNCH, form(demo_cloud, name, nic=[]))
    assert response.status_code == 400
    text = response.content.decode()
    assert "Choose at least one network" in text
    assert 'value="&lt;img src=x onerror=alert(1)&gt;' in text and MARKUP not in text


def test_over_quota_count_is_refused_before_nova(demo_client, demo_sdk, demo_cloud):
    limits = demo_sdk.compute.get_limits().absolute
    name = unique("zt-launch-quota")
    count = limits.instances - limits.instances_used + 1
    response = demo_client.post(LAUNCH, form(demo_cloud, name, count=str(count)))
    assert response.status_code == 400
    text = response.content.decode()
    assert "Over quota, nothing was launched." in text
    assert f"Instances: this launch needs {count}" in text
    assert f'value="{count}"' in text and f'value="{name}"' in text  # the input is kept
    assert no_instance_named(demo_sdk, name)


@pytest.fixture
def tight_project(admin_sdk, cleanup):
    """A throwaway project and user with 1 vCPU and 1 GiB of volume storage, so quotas bite at once."""
    project = admin_sdk.identity.create_project(name=unique("zt-launch-quota"), domain_id="default")
    cleanup.delete("project", project.id, conn=admin_sdk)
    password = unique("pw")
    user = admin_sdk.identity.create_user(name=unique("zt-launcher"), password=password, domain_id="default")
    cleanup.delete("user", user.id, conn=admin_sdk)
    member = admin_sdk.identity.find_role("member")
    admin_sdk.identity.assign_project_role_to_user(project, user, member)
    cleanup.delete("quotas", project.id, conn=admin_sdk)
    admin_sdk.compute.update_quota_set(project.id, cores=1)
    admin_sdk.block_storage.update_quota_set(project.id, gigabytes=1)
    cleanup.add(lambda: destroy(admin_sdk, *admin_sdk.compute.servers(all_projects=True, project_id=project.id)))
    return {"project": project, "user": user, "password": password}


def test_over_vcpu_and_volume_quota_is_refused_with_the_reason(tight_project, demo_cloud, admin_sdk):
    client = Client()
    response = login(client, tight_project["user"].name, password=tight_project["password"])
    assert response.status_code == 302
    assert client.session["keystone"]["project_name"] == tight_project["project"].name
    with user_sdk(tight_project["user"].name, tight_project["password"], tight_project["project"].id) as as_user:
        public = as_user.network.find_network("public")

    medium = demo_cloud["flavors"]["m1.medium"]  # 2 vCPUs > the project's 1
    preview = client.post(LAUNCH + "preview/", form(demo_cloud, "x", flavor=medium.id, nic=[f"net:{public.id}"]))
    assert "over the vCPU quota: only 1 vCPU left" in preview.content.decode()

    data = form(
        demo_cloud,
        unique("zt-launch-tight"),
        flavor=medium.id,
        nic=[f"net:{public.id}"],
        source_type="image_volume",
        volume_size="2",
    )
    response = client.post(LAUNCH, data)
    assert response.status_code == 400
    text = response.content.decode()
    assert "Over quota, nothing was launched." in text
    assert "vCPUs: this launch needs 2 but only 1 of the project&#x27;s 1 remain" in text
    assert "Volume storage: this launch needs 2\xa0GiB but only 1\xa0GiB" in text
    assert list(admin_sdk.compute.servers(all_projects=True, project_id=tight_project["project"].id)) == []


@pytest.fixture
def demanding_image(demo_sdk, cleanup):
    """A private demo image that asks for more than m1.tiny has (1 GiB RAM, 5 GiB disk)."""
    image = demo_sdk.image.create_image(
        name=unique("zt-big-image"),
        disk_format="raw",
        container_format="bare",
        data=b"\0" * 1024,
        min_ram=1024,
        min_disk=5,
        visibility="private",
    )
    cleanup.delete("image", image.id, conn=demo_sdk)
    wait_for(lambda: demo_sdk.image.get_image(image).status == "active", "image active", timeout=60)
    return image


def test_flavor_too_small_for_the_image_is_disabled_and_refused(demo_client, demo_sdk, demo_cloud, demanding_image):
    tiny = demo_cloud["flavors"]["m1.tiny"]
    preview = demo_client.post(LAUNCH + "preview/", form(demo_cloud, "x", image=demanding_image.id, flavor=""))
    text = preview.content.decode()
    row = text.split('data-flavor="m1.tiny"')[1].split("</tr>")[0]
    assert "disabled" in row
    assert f"{demanding_image.name} needs at least 1024 MiB of RAM" in text

    name = unique("zt-launch-small")
    response = demo_client.post(LAUNCH, form(demo_cloud, name, image=demanding_image.id, flavor=tiny.id))
    assert response.status_code == 400
    assert "Flavor m1.tiny cannot boot this source" in response.content.decode()
    assert no_instance_named(demo_sdk, name)


def test_invalid_public_key_is_refused_and_nothing_is_imported(demo_client, demo_sdk):
    name = unique("zt-badkey")
    response = demo_client.post(
        LAUNCH + "keypairs/import/", {"import_keypair_name": name, "public_key": "ssh-rsa AAAAnot-a-key me@laptop"}
    )
    assert response.status_code == 400
    assert "not a valid OpenSSH public key" in response.content.decode()
    assert "ssh-rsa AAAAnot-a-key me@laptop" in response.content.decode()  # kept for correction
    assert demo_sdk.compute.find_keypair(name) is None


def test_valid_public_key_is_imported_and_selected(demo_client, demo_sdk, cleanup):

    name = unique("zt-goodkey")
    cleanup.delete("keypair", name, conn=demo_sdk)
    public, _ = new_ssh_keypair("me@laptop")
    response = demo_client.post(LAUNCH + "keypairs/import/", {"import_keypair_name": name, "public_key": public})
    assert response.status_code == 200
    assert f'<option value="{name}" selected>' in response.content.decode()
    assert demo_sdk.compute.get_keypair(name).public_key == public


def test_oversized_user_data_is_refused_with_the_limit(demo_client, demo_sdk, demo_cloud):
    name = unique("zt-launch-ud")
    big = "#!/bin/sh\n" + "x" * USER_DATA_RAW_LIMIT
    response = demo_client.post(LAUNCH, form(demo_cloud, name, user_data=big))
    assert response.status_code == 400
    text = response.content.decode()
    assert f"Nova accepts at most {USER_DATA_RAW_LIMIT:,} bytes" in text
    assert no_instance_named(demo_sdk, name)


@pytest.fixture
def network_without_subnet(demo_sdk, cleanup):
    net = demo_sdk.network.create_network(name=unique("zt-launch-bare"))
    cleanup.delete("network", net.id, conn=demo_sdk)
    return net


def test_novas_own_refusal_is_shown_with_the_input_kept(demo_client, demo_sdk, demo_cloud, network_without_subnet):
    """Zenith cannot know everything Nova checks: a network without a subnet is refused by Nova itself."""
    name = unique("zt-launch-nova")
    response = demo_client.post(
        LAUNCH, form(demo_cloud, name, nic=[f"net:{network_without_subnet.id}"], metadata="keep=me")
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Compute (Nova) rejected the request" in text and "subnet" in text
    assert f'value="{name}"' in text and "keep=me" in text
    assert f'value="net:{network_without_subnet.id}" selected' in text
    assert no_instance_named(demo_sdk, name)


def test_launch_page_never_offers_another_projects_things(admin_client, demo_cloud, demanding_image, security_group):
    """An administrator sees every project's images, networks and groups in the APIs; a launch offers its own."""
    page = admin_client.get(LAUNCH)
    assert page.status_code == 200
    text = page.content.decode()
    assert "demo-image" in text
    assert demanding_image.id not in text
    assert demo_cloud["private"].id not in text
    extras = admin_client.get(EXTRAS, headers={"HX-Request": "true"})
    assert extras.status_code == 200 and security_group.name not in extras.content.decode()
