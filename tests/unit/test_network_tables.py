"""The network panels' pure parts: action tables, request bodies, the topology's layout."""

from dashboard.cloud import floatingips, routers, secgroups, topology
from dashboard.cloud.networks import network_query, subnet_body
from dashboard.cloud.paging import ListParams


def test_a_router_offers_clear_gateway_only_with_a_gateway():
    bare = routers.router_from({"id": "r1", "name": "r"})
    assert "clear_gateway" not in routers.allowed_actions(bare)
    assert "gateway" in routers.allowed_actions(bare)
    gated = routers.router_from({"id": "r1", "external_gateway_info": {"network_id": "pub", "external_fixed_ips": []}})
    assert "clear_gateway" in routers.allowed_actions(gated)


def test_a_floating_ip_offers_associate_or_disassociate_by_its_port():
    free = floatingips.floating_ip_info_from({"id": "f", "floating_ip_address": "203.0.113.5"})
    used = floatingips.floating_ip_info_from({"id": "f", "floating_ip_address": "203.0.113.5", "port_id": "p"})
    assert floatingips.allowed_actions(free) == ["associate", "release"]
    assert floatingips.allowed_actions(used) == ["disassociate", "release"]


def test_the_networks_query_asks_for_the_project_unless_external_or_shared_is_chosen():
    assert network_query(ListParams(), "p1") == {"project_id": "p1"}
    assert network_query(ListParams(filters={"show": "external"}), "p1") == {"router:external": "true"}
    assert network_query(ListParams(filters={"show": "shared", "name": "n"}), "p1") == {"shared": "true", "name": "n"}


def test_a_subnet_body_says_no_gateway_as_null_and_pools_as_ranges():
    body = subnet_body(
        {
            "ip_version": 4,
            "cidr": "10.0.0.0/24",
            "no_gateway": True,
            "allocation_pools": [("10.0.0.5", "10.0.0.9")],
            "host_routes": [("192.0.2.0/24", "10.0.0.1")],
            "enable_dhcp": False,
        }
    )
    assert body["gateway_ip"] is None and body["enable_dhcp"] is False
    assert body["allocation_pools"] == [{"start": "10.0.0.5", "end": "10.0.0.9"}]
    assert body["host_routes"] == [{"destination": "192.0.2.0/24", "nexthop": "10.0.0.1"}]


def test_presets_become_rules_and_all_from_group_points_at_the_group_itself():
    ssh = secgroups.rule_bodies("g1", {"preset": "ssh", "direction": "ingress", "ethertype": "IPv4"})
    assert ssh == [
        {
            "security_group_id": "g1",
            "direction": "ingress",
            "ethertype": "IPv4",
            "protocol": "tcp",
            "port_range_min": 22,
            "port_range_max": 22,
        }
    ]
    dns = secgroups.rule_bodies("g1", {"preset": "dns"})
    assert {r["protocol"] for r in dns} == {"tcp", "udp"}
    same = secgroups.rule_bodies("g1", {"preset": "all_from_group", "remote_ip_prefix": "0.0.0.0/0"})
    assert same[0]["remote_group_id"] == "g1" and "remote_ip_prefix" not in same[0] and "protocol" not in same[0]


def test_the_topology_joins_routers_networks_and_instances():
    topo = topology.layout(
        networks=[{"id": "n1", "name": "private", "status": "ACTIVE"}, {"id": "n2", "name": "db", "status": "ACTIVE"}],
        externals=[{"id": "pub", "name": "public", "router:external": True, "status": "ACTIVE"}],
        routers=[{"id": "r1", "name": "r", "status": "ACTIVE", "external_gateway_info": {"network_id": "pub"}}],
        ports=[
            {
                "id": "p1",
                "network_id": "n1",
                "device_id": "r1",
                "device_owner": "network:router_interface",
                "fixed_ips": [],
            },
            {
                "id": "p2",
                "network_id": "n1",
                "device_id": "s1",
                "device_owner": "compute:nova",
                "fixed_ips": [{"ip_address": "10.0.0.5"}],
            },
            {
                "id": "p3",
                "network_id": "n2",
                "device_id": "s1",
                "device_owner": "compute:nova",
                "fixed_ips": [{"ip_address": "10.1.0.5"}],
            },
            {"id": "p4", "network_id": "elsewhere", "device_id": "s2", "device_owner": "compute:nova", "fixed_ips": []},
        ],
        servers=[{"id": "s1", "name": "web"}],
    )
    kinds = {n.id: n.kind for n in topo.nodes}
    assert kinds == {"pub": "external", "r1": "router", "n1": "network", "n2": "network", "s1": "instance"}
    assert sorted(e.kind for e in topo.edges) == ["gateway", "interface", "port", "port"]
    web = next(n for n in topo.nodes if n.id == "s1")
    assert web.name == "web" and web.detail == "10.0.0.5, 10.1.0.5"
    ys = {n.kind: n.y for n in topo.nodes}
    assert ys["external"] < ys["router"] < ys["network"] < ys["instance"]
    xs = [n.x for n in topo.nodes if n.kind == "network"]
    assert len(set(xs)) == 2 and all(0 < x < topo.width for x in xs)


def test_an_empty_project_has_an_empty_topology_and_long_names_are_cut():
    assert topology.layout([], [], [], [], []).nodes == []
    node = topology.Node("network", "n", "a-very-long-network-name-indeed")
    assert len(node.label) == topology.LABEL_CHARS and node.label.endswith("…")


def test_many_instances_wrap_in_rows_instead_of_one_endless_line():
    ports = [
        {"id": f"p{i:03}", "network_id": "n1", "device_id": f"s{i:03}", "device_owner": "compute:nova", "fixed_ips": []}
        for i in range(300)
    ]
    topo = topology.layout([{"id": "n1", "name": "net"}], [], [], ports, [])
    instances = [n for n in topo.nodes if n.kind == "instance"]
    assert len(instances) == 300 and len({(n.x, n.y) for n in instances}) == 300
    assert topo.width < 10 * topology.SPACING + 2 * topology.MARGIN
    assert max(n.y for n in instances) < topo.height
    assert len({n.y for n in instances}) == 300 // topology.INSTANCES_PER_ROW + 1
