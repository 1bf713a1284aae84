"""The network panels through Zenith's pages against the devcloud's real Neutron, checked with
openstacksdk: a network with two subnets, a router to the public network with both attached, a
floating IP on a running instance, a security group with rules, all built and torn down through
the views; then the bad input each form refuses."""

from __future__ import annotations

import html
import random
import re
from urllib.parse import urlsplit

import pytest
from openstack import exceptions as sdk_exc

from tests.helpers import boot, count_cloud_requests, destroy, unique, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def _net_prefix() -> str:
    """A random 10.x.y.0 base, so parallel runs do not meet on the same CIDRs."""
    return f"10.{random.randint(100, 250)}.{random.randint(0, 250)}"


def _location_id(response) -> str:
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"].rstrip("/").split("/")[-1]


def _landing(client, response) -> str:
    assert response.status_code == 302, response.content.decode()[:2000]
    return client.get(response["Location"]).content.decode()


def _delete_router(conn, router_id: str) -> None:
    """Test cleanup: a router's interfaces first, then the router."""
    try:
        for port in conn.network.ports(device_id=router_id, device_owner="network:router_interface"):
            conn.network.remove_interface_from_router(router_id, port_id=port.id)
        conn.network.delete_router(router_id)
    except sdk_exc.NotFoundException:
        pass


def _delete_routers_named(conn, name: str) -> None:
    for router in conn.network.routers(name=name):
        _delete_router(conn, router.id)


def _delete_network(conn, network_id: str) -> None:
    """Test cleanup: a network's remaining plain ports, then the network."""
    try:
        for port in conn.network.ports(network_id=network_id):
            if not port.device_owner or port.device_owner == "network:dhcp":
                conn.network.delete_port(port.id)
        conn.network.delete_network(network_id)
    except sdk_exc.NotFoundException:
        pass


def _create_network(client, name: str, *subnets: dict):
    data = {"name": name, "admin_state_up": "on"}
    for i, subnet in enumerate(subnets):
        data.update({f"s{i}_ip_version": "4", f"s{i}_enable_dhcp": "on"})
        data.update({f"s{i}_{k}": v for k, v in subnet.items()})
    for i in range(len(subnets), 3):
        data[f"s{i}_ip_version"] = "4"
    return client.post("/project/networks/create/", data)


def test_network_router_floating_ip_and_security_group_built_and_torn_down_through_the_views(
    demo_client, demo_sdk, cleanup
):
    conn = demo_sdk
    base = _net_prefix()
    name = unique("zt-net")

    # a network with two subnets, in one form
    response = _create_network(
        demo_client,
        name,
        {
            "name": "first",
            "cidr": f"{base}.0/26",
            "gateway_ip": f"{base}.1",
            "allocation_pools": f"{base}.10-{base}.50",
            "dns_nameservers": "192.0.2.53",
            "host_routes": "198.51.100.0/24 " + f"{base}.5",
        },
        {"name": "second", "cidr": f"{base}.64/26", "no_gateway": ""},
    )
    network_id = _location_id(response)
    cleanup.add(_delete_network, conn, network_id)
    subnets = {s.name: s for s in conn.network.subnets(network_id=network_id)}
    assert set(subnets) == {"first", "second"}
    first = subnets["first"]
    assert first.cidr == f"{base}.0/26" and first.gateway_ip == f"{base}.1"
    assert first.allocation_pools == [{"start": f"{base}.10", "end": f"{base}.50"}]
    assert first.dns_nameservers == ["192.0.2.53"]
    assert first.host_routes == [{"destination": "198.51.100.0/24", "nexthop": f"{base}.5"}]
    page = demo_client.get(f"/project/networks/{network_id}/").content.decode()
    assert f"{base}.0/26" in page and f"{base}.64/26" in page
    listing = demo_client.get("/project/networks/").content.decode()
    assert name in listing

    # a router to the public network, with both subnets attached
    public = conn.network.find_network("public", ignore_missing=False)
    router_name = unique("zt-router")
    cleanup.add(_delete_routers_named, conn, router_name)  # also one Neutron made after a timed-out request
    response = demo_client.post("/project/routers/create/", {"name": router_name, "external_network_id": public.id})
    router_id = _location_id(response)
    assert conn.network.get_router(router_id).external_gateway_info["network_id"] == public.id
    _router_list_names_its_network_in_the_page(demo_client, conn, cleanup, router_id, router_name, public)
    for subnet in subnets.values():
        page = _landing(
            demo_client, demo_client.post(f"/project/routers/{router_id}/add_interface/", {"subnet_id": subnet.id})
        )
        assert "Interface added." in page
    attached = {ip["subnet_id"] for p in conn.network.ports(device_id=router_id) for ip in p.fixed_ips}
    assert {s.id for s in subnets.values()} <= attached
    detail = demo_client.get(f"/project/routers/{router_id}/").content.decode()
    assert f"{base}.0/26" in detail and f"{base}.64/26" in detail

    # the topology shows the router joined to public and to the network
    svg = demo_client.get("/project/topology/svg/").content.decode()
    assert f'data-id="{router_id}"' in svg and f'data-id="{network_id}"' in svg and f'data-id="{public.id}"' in svg

    # a floating IP on a running instance on that network
    server = boot(conn, unique("zt-fipvm"), network=network_id, cleanup=cleanup)
    page = _landing(demo_client, demo_client.post("/project/floating-ips/allocate/", {"network_id": public.id}))
    address = re.search(r"Floating IP ([0-9.]+) allocated", page).group(1)
    fip = next(conn.network.ips(floating_ip_address=address))
    cleanup.delete("floating_ip", fip.id, conn=conn)
    form = demo_client.get(f"/project/floating-ips/{fip.id}/associate/").content.decode()
    target = re.search(r'value="([0-9a-f-]{36}\|[0-9.]+)"[^>]*>[^<]*' + re.escape(server.name), form).group(1)
    page = _landing(demo_client, demo_client.post(f"/project/floating-ips/{fip.id}/associate/", {"target": target}))
    assert "associated" in page
    fip = conn.network.get_ip(fip.id)
    assert fip.port_id == target.split("|")[0] and fip.fixed_ip_address == target.split("|")[1]
    _fip_list_names_its_instances_in_the_page(demo_client, fip.id, address, server, public)

    # a security group with rules: a preset, a port range, ICMP from a CIDR, all from the group
    response = demo_client.post("/project/security-groups/create/", {"name": unique("zt-sg"), "description": "web"})
    group_id = _location_id(response)
    cleanup.delete("security_group", group_id, conn=conn)
    rule_posts = [
        {"preset": "ssh", "direction": "ingress", "ethertype": "IPv4"},
        {
            "direction": "ingress",
            "ethertype": "IPv4",
            "protocol": "tcp",
            "port_range_min": "8000",
            "port_range_max": "8080",
            "remote_ip_prefix": "192.0.2.0/24",
        },
        {"direction": "ingress", "ethertype": "IPv4", "protocol": "icmp", "port_range_min": "8", "port_range_max": "0"},
        {"preset": "all_from_group", "direction": "ingress", "ethertype": "IPv4"},
    ]
    for data in rule_posts:
        assert "added" in _landing(
            demo_client, demo_client.post(f"/project/security-groups/{group_id}/add_rule/", data)
        )
    rules = [r for r in conn.network.security_group_rules(security_group_id=group_id) if r.direction == "ingress"]
    shapes = {(r.protocol, r.port_range_min, r.port_range_max, r.remote_ip_prefix, r.remote_group_id) for r in rules}
    assert ("tcp", 22, 22, None, None) in shapes
    assert ("tcp", 8000, 8080, "192.0.2.0/24", None) in shapes
    assert ("icmp", 8, 0, None, None) in shapes
    assert (None, None, None, None, group_id) in shapes

    # ... and all of it torn down through the views
    custom = next(r for r in rules if r.port_range_min == 8000)
    page = _landing(
        demo_client, demo_client.post(f"/project/security-groups/{group_id}/action/delete_rule/", {"target": custom.id})
    )
    assert "The rule was deleted from the security group" in page
    assert conn.network.find_security_group_rule(custom.id) is None
    _landing(demo_client, demo_client.post(f"/project/security-groups/{group_id}/action/delete/", {}))
    assert conn.network.find_security_group(group_id) is None

    _landing(demo_client, demo_client.post(f"/project/floating-ips/{fip.id}/action/disassociate/", {}))
    assert not conn.network.get_ip(fip.id).port_id
    _landing(demo_client, demo_client.post(f"/project/floating-ips/{fip.id}/action/release/", {}))
    assert conn.network.find_ip(fip.id) is None

    destroy(conn, server.id)  # the instance goes (not a network page's business), then the router and network
    for port in conn.network.ports(device_id=router_id, device_owner="network:router_interface"):
        page = _landing(
            demo_client, demo_client.post(f"/project/routers/{router_id}/action/remove_interface/", {"target": port.id})
        )
        assert "The interface was removed from the router" in page
    assert not list(conn.network.ports(device_id=router_id, device_owner="network:router_interface"))
    _landing(demo_client, demo_client.post(f"/project/routers/{router_id}/action/clear_gateway/", {}))
    assert not conn.network.get_router(router_id).external_gateway_info
    _landing(demo_client, demo_client.post(f"/project/routers/{router_id}/action/delete/", {}))
    assert conn.network.find_router(router_id) is None
    _landing(demo_client, demo_client.post(f"/project/networks/{network_id}/action/delete/", {}))
    wait_for(lambda: conn.network.find_network(network_id) is None, "network deleted", 60)


def _calls_of(client, url: str) -> tuple[str, list[str]]:
    """The page at `url` and the last words of the paths of the cloud calls it made, sorted."""
    with count_cloud_requests() as seen:
        page = client.get(url)
    assert page.status_code == 200
    return page.content.decode(), sorted(u.split("?")[0].rstrip("/").rsplit("/", 1)[-1] for _m, u in seen)


def _router_list_names_its_network_in_the_page(client, conn, cleanup, router_id, router_name, public) -> None:
    """The routers list reads its page of routers and the external networks' names at once (2
    calls, whatever the rows) and prints the gateway's network by name; no part follows it."""
    other = conn.network.create_router(name=unique("zt-router"), external_gateway_info={"network_id": public.id})
    cleanup.add(_delete_router, conn, other.id)
    listing, one_row = _calls_of(client, f"/project/routers/?name={router_name}")
    assert 'hx-trigger="load"' not in listing and "/routers/names/" not in listing
    cell = f'<a href="/project/networks/{public.id}/" id="router-network-{router_id}">{public.name}</a>'
    assert cell in listing
    assert one_row == ["networks", "routers"]
    several, rows_calls = _calls_of(client, "/project/routers/?limit=100")
    assert several.count('class="router-network"') >= 2 and rows_calls == one_row
    assert f'id="router-network-{other.id}">{public.name}</a>' in several
    # the live row prints the same cell
    row = client.get(f"/project/routers/{router_id}/row/").content.decode()
    assert cell in row
    assert client.get("/project/routers/names/").status_code == 404  # the names part is gone


def _fip_list_names_its_instances_in_the_page(client, fip_id: str, address: str, server, public) -> None:
    """The floating IPs list reads its page, the pools' names, the project's instances' names and
    the floating-IP quota at once (4 calls, whatever the rows), and prints them; no part follows
    it. The live row reads the one server (GET /servers/{id}), no listing."""
    listing, one_row = _calls_of(client, f"/project/floating-ips/?address={address}")
    assert 'hx-trigger="load"' not in listing
    assert one_row == ["details", "floatingips", "networks", "servers"]
    cell = re.search(rf'<span id="fip-instance-{fip_id}">(.*?)</a></span></td>', listing).group(1)
    name = f'<span class="zenith-name" title="{server.name}">{server.name}</span>'  # cut, whole on hover
    assert cell == f'<a href="/project/instances/{server.id}/">{name}'
    name = f'<span class="zenith-name" title="{public.name}">{public.name}</span>'
    assert f'<span id="fip-pool-{fip_id}">{name}</span>' in listing
    shown = re.search(r'data-testid="fip-quota">(\d+) (of \d+ allocated|allocated \(no limit\))<', listing)
    assert shown and int(shown.group(1)) >= 1  # this one at least (other tests may hold more)
    # the list with every floating IP of the project: the same calls
    several, rows_calls = _calls_of(client, "/project/floating-ips/?limit=100")
    assert address in several and rows_calls == one_row
    for path in ("names/", "quota/"):  # the parts are gone
        assert client.get(f"/project/floating-ips/{path}").status_code == 404

    with count_cloud_requests() as row_calls:
        row = client.get(f"/project/floating-ips/{fip_id}/row/").content.decode()
    assert f'<span id="fip-instance-{fip_id}">{cell}</a></span>' in row and public.name in row
    servers = [url for _m, url in row_calls if "/servers" in url]
    assert len(servers) == 1 and servers[0].split("?")[0].endswith(f"/servers/{server.id}")


# --- bad input --------------------------------------------------------------------------------------


def test_overlapping_cidrs_in_one_form_are_refused_before_neutron(demo_client, demo_sdk):
    name = unique("zt-bad")
    base = _net_prefix()
    response = _create_network(demo_client, name, {"cidr": f"{base}.0/24"}, {"cidr": f"{base}.128/25"})
    assert response.status_code == 400
    assert "overlap" in response.content.decode()
    assert demo_sdk.network.find_network(name) is None
    assert f'value="{name}"' in response.content.decode()  # the input is kept


@pytest.mark.parametrize(
    ("subnet", "words"),
    [
        ({"cidr": "{b}.0/24", "allocation_pools": "{b}.10-10.255.0.9"}, "outside the subnet"),
        ({"cidr": "{b}.0/24", "gateway_ip": "192.0.2.1"}, "outside the subnet"),
        ({"cidr": "{b}.0/24", "allocation_pools": "{b}.50-{b}.10"}, "starts after it ends"),
        ({"cidr": "{b}.0/24", "allocation_pools": "{b}.10-{b}.50\n{b}.40-{b}.60"}, "overlap"),
        ({"cidr": "{b}.5/24"}, "host bits"),
        ({"cidr": "fd00::/64"}, "not an IPv4 CIDR"),
    ],
)
def test_subnet_mistakes_are_said_on_the_form(demo_client, demo_sdk, subnet, words):
    base = _net_prefix()
    name = unique("zt-bad")
    response = _create_network(demo_client, name, {k: v.format(b=base) for k, v in subnet.items()})
    assert response.status_code == 400
    assert words in response.content.decode()
    assert demo_sdk.network.find_network(name) is None


@pytest.fixture
def group(demo_sdk, cleanup):
    made = demo_sdk.network.create_security_group(name=unique("zt-sg"))
    cleanup.delete("security_group", made.id, conn=demo_sdk)
    return made


@pytest.mark.parametrize(
    ("low", "high", "words"),
    [("70000", "", "between 1 and 65535"), ("90", "80", "above the highest"), ("0", "10", "between 1 and 65535")],
)
def test_bad_port_ranges_are_refused(demo_client, demo_sdk, group, low, high, words):
    data = {
        "direction": "ingress",
        "ethertype": "IPv4",
        "protocol": "tcp",
        "port_range_min": low,
        "port_range_max": high,
    }
    response = demo_client.post(f"/project/security-groups/{group.id}/add_rule/", data)
    assert response.status_code == 400
    assert words in response.content.decode()
    assert not [
        r for r in demo_sdk.network.security_group_rules(security_group_id=group.id) if r.direction == "ingress"
    ]


def test_bad_icmp_type_is_refused(demo_client, group):
    data = {"direction": "ingress", "ethertype": "IPv4", "protocol": "icmp", "port_range_min": "300"}
    response = demo_client.post(f"/project/security-groups/{group.id}/add_rule/", data)
    assert response.status_code == 400 and "between 0 and 255" in response.content.decode()


def test_deleting_a_network_with_ports_shows_neutrons_reason(demo_client, demo_sdk, cleanup):
    net = demo_sdk.network.create_network(name=unique("zt-busy"))
    cleanup.add(_delete_network, demo_sdk, net.id)
    demo_sdk.network.create_subnet(network_id=net.id, ip_version=4, cidr=f"{_net_prefix()}.0/24")
    port = demo_sdk.network.create_port(network_id=net.id, device_owner="compute:nova", device_id=unique("fake"))
    cleanup.delete("port", port.id, conn=demo_sdk)
    page = _landing(
        demo_client, demo_client.post(f"/project/networks/{net.id}/action/delete/", {"next": "/project/networks/"})
    )
    assert "The action “Delete” on" in page and "in use" in page
    assert demo_sdk.network.find_network(net.id) is not None


def test_a_name_with_markup_is_shown_as_text(demo_client, demo_sdk, cleanup):
    name = f"<b>zt-{unique('x')}</b>"
    response = _create_network(demo_client, name)
    network_id = _location_id(response)
    cleanup.add(_delete_network, demo_sdk, network_id)
    for url in ("/project/networks/", f"/project/networks/{network_id}/", "/project/topology/"):
        page = demo_client.get(url).content.decode()
        assert name not in page, url
        assert name.replace("<", "&lt;").replace(">", "&gt;") in page, url


def test_neutron_refusal_of_overlapping_subnets_on_one_router_is_shown(demo_client, demo_sdk, cleanup):
    cidr = f"{_net_prefix()}.0/24"
    subnet_ids = []
    for _i in range(2):
        net = demo_sdk.network.create_network(name=unique("zt-ovl"))
        cleanup.add(_delete_network, demo_sdk, net.id)
        subnet_ids.append(demo_sdk.network.create_subnet(network_id=net.id, ip_version=4, cidr=cidr).id)
    router = demo_sdk.network.create_router(name=unique("zt-ovl"))
    cleanup.add(_delete_router, demo_sdk, router.id)
    url = f"/project/routers/{router.id}/add_interface/"
    assert demo_client.post(url, {"subnet_id": subnet_ids[0]}).status_code == 302
    response = demo_client.post(url, {"subnet_id": subnet_ids[1]})
    assert response.status_code == 400
    assert "overlaps" in response.content.decode()


# --- whose data, and what a page costs ---------------------------------------------------------------


def test_another_projects_router_is_not_found(alt_client, demo_sdk, cleanup):
    router = demo_sdk.network.create_router(name=unique("zt-private"))
    cleanup.add(_delete_router, demo_sdk, router.id)
    response = alt_client.get(f"/project/routers/{router.id}/")
    assert response.status_code == 404
    assert "There is no such router in project alt." in response.content.decode()
    assert router.name not in alt_client.get("/project/routers/").content.decode()
    # in French, a whole sentence of its own (no noun put into a shared one)
    french = alt_client.get(f"/project/routers/{router.id}/", HTTP_ACCEPT_LANGUAGE="fr")
    assert (
        "Routeur introuvable" in french.content.decode()
        and "Le projet alt n’a pas ce routeur." in french.content.decode()
    )


def test_networks_list_costs_the_same_calls_whatever_its_rows(demo_client, demo_sdk, cleanup):
    """The networks list reads its page and, at once, every subnet the member sees (2 calls
    whatever the rows) and prints the subnets; no part follows it."""

    def make() -> str:
        net = demo_sdk.network.create_network(name=unique("zt-count"))
        cleanup.add(_delete_network, demo_sdk, net.id)
        cidr = f"{_net_prefix()}.0/24"
        demo_sdk.network.create_subnet(network_id=net.id, name="sub-" + net.name, ip_version=4, cidr=cidr)
        return cidr

    def load() -> tuple[str, list[str]]:
        with count_cloud_requests() as seen:
            page = demo_client.get("/project/networks/?limit=50")
        assert page.status_code == 200
        return page.content.decode(), sorted(url.split("?")[0].rsplit("/", 1)[-1] for _m, url in seen)

    first = make()
    page, before = load()
    assert first in page and 'hx-trigger="load"' not in page
    more = [make() for _i in range(3)]
    page, after = load()
    assert all(cidr in page for cidr in more)
    assert after == before == ["networks", "subnets"]
    assert demo_client.get("/project/networks/-/subnets/").status_code == 404  # the subnets part is gone


def test_the_networks_list_shows_a_subnet_another_project_owns_in_the_projects_network(
    admin_client, admin_sdk, cleanup
):
    """An administrator's list reads its rows' subnets by network after its page, in the same
    response (2 calls; they see every subnet of the cloud): one in the project's network that
    another project owns (an administrator can make one) comes with the rest, not left out. (A
    member does not see such a subnet at all, in Neutron or here.)"""
    prefix = _net_prefix()
    admin_project = admin_sdk.identity.find_project("admin", domain_id="default")
    demo_project = admin_sdk.identity.find_project("demo", domain_id="default")
    net = admin_sdk.network.create_network(name=unique("zt-foreign-subnet"), project_id=admin_project.id)
    cleanup.add(_delete_network, admin_sdk, net.id)
    admin_sdk.network.create_subnet(network_id=net.id, ip_version=4, cidr=f"{prefix}.0/25")
    admin_sdk.network.create_subnet(
        network_id=net.id, ip_version=4, cidr=f"{prefix}.128/25", project_id=demo_project.id
    )
    with count_cloud_requests() as seen:
        page = admin_client.get(f"/project/networks/?name={net.name}")
    assert page.status_code == 200
    text = page.content.decode()
    assert f"{prefix}.0/25" in text and f"{prefix}.128/25" in text
    assert len(seen) == 2, seen


def test_a_port_is_created_edited_and_deleted_through_the_network_page(demo_client, demo_sdk, cleanup):
    base = _net_prefix()
    group = demo_sdk.network.create_security_group(name=unique("zt-portsg"))
    cleanup.delete("security_group", group.id, conn=demo_sdk)  # after the network and its ports
    net = demo_sdk.network.create_network(name=unique("zt-ports"))
    cleanup.add(_delete_network, demo_sdk, net.id)
    demo_sdk.network.create_subnet(network_id=net.id, ip_version=4, cidr=f"{base}.0/24")
    name = unique("zt-port")
    data = {
        "name": name,
        "admin_state_up": "on",
        "fixed_ips": f"{base}.77",
        "port_security_enabled": "on",
        "security_groups": [group.id],
        "allowed_address_pairs": "192.0.2.0/24",
    }
    page = _landing(demo_client, demo_client.post(f"/project/networks/{net.id}/create_port/", data))
    assert "Port created" in page and f"{base}.77" in page
    port = next(demo_sdk.network.ports(name=name))
    assert [ip["ip_address"] for ip in port.fixed_ips] == [f"{base}.77"]
    assert port.security_group_ids == [group.id]
    assert [p["ip_address"] for p in port.allowed_address_pairs] == ["192.0.2.0/24"]

    # an address outside every subnet is refused on the form; one in use, by Neutron
    bad = demo_client.post(f"/project/networks/{net.id}/create_port/", {**data, "fixed_ips": "192.0.2.9"})
    assert bad.status_code == 400 and "in none of this network" in bad.content.decode()
    taken = demo_client.post(f"/project/networks/{net.id}/create_port/", {**data, "name": "x"})
    assert taken.status_code == 400 and f"{base}.77" in taken.content.decode()

    edited = {**data, "name": name + "-b", "port_security_enabled": "", "security_groups": []}
    page = _landing(demo_client, demo_client.post(f"/project/networks/ports/{port.id}/edit/", edited))
    assert "saved" in page
    port = demo_sdk.network.get_port(port.id)
    assert port.name == name + "-b" and port.is_port_security_enabled is False and port.security_group_ids == []

    page = _landing(
        demo_client, demo_client.post(f"/project/networks/{net.id}/action/delete_port/", {"target": port.id})
    )
    assert "The port was deleted from the network" in page
    assert demo_sdk.network.find_port(port.id) is None


def test_floating_ips_and_routers_lists_cost_the_same_calls_whatever_their_rows(demo_client, demo_sdk, cleanup):
    """No call per row: each list reads its page and, at once, what names its rows (the external
    networks' names; the floating IPs' instances' names and quota too), in the page's response."""
    public = demo_sdk.network.find_network("public", ignore_missing=False)

    def make():
        fip = demo_sdk.network.create_ip(floating_network_id=public.id)
        cleanup.delete("floating_ip", fip.id, conn=demo_sdk)
        router = demo_sdk.network.create_router(
            name=unique("zt-count"), external_gateway_info={"network_id": public.id}
        )
        cleanup.add(_delete_router, demo_sdk, router.id)

    def calls(path: str) -> list[str]:
        with count_cloud_requests() as seen:
            assert demo_client.get(path).status_code == 200
        paths = (urlsplit(url).path.split("/v2.0", 1)[-1] for _m, url in seen)
        return sorted(re.sub(r"/[0-9a-f-]{32,36}", "/{id}", path) for path in paths)

    make()
    before = {path: calls(path) for path in ("/project/floating-ips/?limit=50", "/project/routers/?limit=50")}
    for _i in range(3):
        make()
    after = {path: calls(path) for path in before}
    assert after == before
    assert before == {
        "/project/floating-ips/?limit=50": ["/floatingips", "/networks", "/quotas/{id}/details", "/servers"],
        "/project/routers/?limit=50": ["/networks", "/routers"],
    }


def test_subnet_pools_follow_the_form_pages_and_a_subnet_is_cut_from_one(demo_client, demo_sdk, cleanup):
    """The subnet forms do not wait for Neutron's subnet pools: each pool select gets them from a
    part (htmx) after the page; a subnet taken from a pool is made in the pool's range."""
    conn = demo_sdk
    base = _net_prefix()
    pool = conn.network.create_subnet_pool(
        name=unique("zt-pool"), prefixes=[f"{base}.0/24"], default_prefixlen=28, min_prefixlen=26, max_prefixlen=29
    )
    cleanup.add(conn.network.delete_subnet_pool, pool.id)  # after the network (last made, first undone)

    def pool_selects(page: str, names: list[str]) -> dict[str, str]:
        assert pool.id not in page  # the page did not wait for the pools
        url = html.unescape(re.search(r'hx-get="([^"]*pool-choices[^"]*)"', page).group(1))
        assert demo_client.get(url).status_code == 302  # the part alone (no htmx): back to the list
        part = demo_client.get(url, HTTP_HX_REQUEST="true").content.decode()
        found = {}
        for name in names:
            select = re.search(rf'<select name="{name}"[^>]*hx-swap-oob="true"[^>]*>(.*?)</select>', part, re.S)
            assert select, part[:2000]
            found[name] = select.group(1)
        return found

    page = demo_client.get("/project/networks/create/").content.decode()
    selects = pool_selects(page, ["s0_subnetpool_id", "s1_subnetpool_id", "s2_subnetpool_id"])
    assert all(f'value="{pool.id}"' in options for options in selects.values())

    name = unique("zt-net")
    response = _create_network(demo_client, name, {"name": "pooled", "subnetpool_id": pool.id, "prefixlen": "28"})
    network_id = _location_id(response)
    cleanup.add(_delete_network, conn, network_id)
    (subnet,) = conn.network.subnets(network_id=network_id)
    assert subnet.subnet_pool_id == pool.id and subnet.cidr.startswith(f"{base}.") and subnet.cidr.endswith("/28")

    page = demo_client.get(f"/project/networks/{network_id}/create_subnet/").content.decode()
    assert f'value="{pool.id}"' in pool_selects(page, ["subnetpool_id"])["subnetpool_id"]


def test_deleting_a_network_with_a_router_interface_says_to_remove_the_interface_first(demo_client, demo_sdk, cleanup):
    net = demo_sdk.network.create_network(name=unique("zt-inuse"))
    cleanup.add(_delete_network, demo_sdk, net.id)
    subnet = demo_sdk.network.create_subnet(network_id=net.id, ip_version=4, cidr=f"{_net_prefix()}.0/24")
    router = demo_sdk.network.create_router(name=unique("zt-inuse"))
    cleanup.add(_delete_router, demo_sdk, router.id)
    demo_sdk.network.add_interface_to_router(router.id, subnet_id=subnet.id)
    page = _landing(
        demo_client,
        demo_client.post(f"/project/networks/{net.id}/action/delete/", {"next": f"/project/networks/{net.id}/"}),
    )
    text = html.unescape(page)
    assert (
        f"The router “{router.name}” has an interface on this network. Remove it (on the router's page) first, "
        "then delete the network." in text
    )
    interface = next(demo_sdk.network.ports(device_id=router.id, device_owner="network:router_interface"))
    assert "Network (Neutron) said: " in text and interface.id in text  # the service's text, as a detail
    assert demo_sdk.network.find_network(net.id) is not None
    # in French, the same sentence translated; Neutron's own text as Neutron wrote it
    french = demo_client.post(
        f"/project/networks/{net.id}/action/delete/",
        {"next": f"/project/networks/{net.id}/"},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    text = html.unescape(demo_client.get(french["Location"], HTTP_ACCEPT_LANGUAGE="fr").content.decode())
    assert f"Le routeur « {router.name} » a une interface sur ce réseau." in text and interface.id in text


def test_a_member_allocates_a_floating_ip_without_choosing_its_address(demo_client):
    page = html.unescape(demo_client.get("/project/floating-ips/allocate/").content.decode())
    assert 'name="address"' not in page
    assert "only an administrator can choose the address" in page
