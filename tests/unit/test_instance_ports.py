"""An instance's ports with their networks' names and floating IPs: what Neutron is asked for, and
the ports put together from the answers and the server's addresses (dashboard.cloud.ports)."""

from __future__ import annotations

import json
from types import SimpleNamespace

import requests

from dashboard.cloud import concurrently, networks, ports

NETWORKS = {
    "n1": {"id": "n1", "name": "private", "router:external": False},
    "n2": {"id": "n2", "name": "storage", "router:external": False},
    "ext": {"id": "ext", "name": "public", "router:external": True},
}
PORTS = [
    {"id": "p1", "network_id": "n1", "device_id": "srv", "mac_address": "fa:16:3e:00:00:01"},
    {"id": "p2", "network_id": "n2", "device_id": "srv", "mac_address": "fa:16:3e:00:00:02"},
    {"id": "p3", "network_id": "n1", "device_id": "other", "mac_address": "fa:16:3e:00:00:03"},
]
FIPS = [
    {"id": "f1", "floating_ip_address": "172.24.4.10", "port_id": "p2", "project_id": "demo"},
    {"id": "f2", "floating_ip_address": "172.24.4.11", "port_id": "p3", "project_id": "demo"},
    {"id": "f3", "floating_ip_address": "172.24.4.12", "port_id": None, "project_id": "demo"},
]


def _values(params, name):
    value = params.get(name)
    return value if isinstance(value, list) else [value]


class FakeNeutron:
    """Answers /ports, /networks and /floatingips from the tables above, filtered as Neutron would
    (device_id, id, router:external, port_id, project_id), and records each query."""

    def __init__(self):
        self.asked: list[tuple[str, dict]] = []

    def get(self, path, microversion=None, params=None, **kwargs):
        params = dict(params or {})
        self.asked.append((path, params))
        if path == "/ports":
            body = {"ports": [p for p in PORTS if p["device_id"] == params.get("device_id")]}
        elif path == "/networks":
            rows = list(NETWORKS.values())
            if "id" in params:
                rows = [n for n in rows if n["id"] in _values(params, "id")]
            if "router:external" in params:
                rows = [n for n in rows if n["router:external"]]
            body = {"networks": rows}
        else:
            rows = FIPS
            if "port_id" in params:
                rows = [f for f in rows if f["port_id"] in _values(params, "port_id")]
            if "project_id" in params:
                rows = [f for f in rows if f["project_id"] == params["project_id"]]
            body = {"floatingips": rows}
        response = requests.Response()
        response.status_code = 200
        response._content = json.dumps(body).encode()
        return response


SERVER_ADDRESSES = {  # as Nova lists them: under each network's name, with the port's MAC
    "private": [{"addr": "10.0.0.5", "OS-EXT-IPS:type": "fixed", "OS-EXT-IPS-MAC:mac_addr": "fa:16:3e:00:00:01"}],
    "storage": [{"addr": "10.1.0.5", "OS-EXT-IPS:type": "fixed", "OS-EXT-IPS-MAC:mac_addr": "fa:16:3e:00:00:02"}],
}


def test_the_ports_are_named_from_the_servers_addresses_without_listing_networks():
    neutron = FakeNeutron()
    found = concurrently(ports.instance_ports_calls(SimpleNamespace(network=neutron), "srv", "demo"))
    named = ports.named_ports(found, SERVER_ADDRESSES)
    assert [(p.id, p.network_name, p.floating_ips) for p in named] == [
        ("p1", "private", []),
        ("p2", "storage", [("f1", "172.24.4.10")]),
    ]
    assert [path for path, _ in neutron.asked] == ["/ports", "/floatingips"]  # no /networks


def test_only_the_floating_ips_on_the_instances_ports_are_read():
    """Not every floating IP of the project (100s at scale): those on the ports just read, in one
    call; an instance without a port asks for none."""
    neutron = FakeNeutron()
    concurrently(ports.instance_ports_calls(SimpleNamespace(network=neutron), "srv", "demo"))
    fips = [params for path, params in neutron.asked if path == "/floatingips"]
    assert len(fips) == 1 and sorted(fips[0]["port_id"]) == ["p1", "p2"] and fips[0]["project_id"] == "demo"

    lonely = FakeNeutron()
    found = concurrently(ports.instance_ports_calls(SimpleNamespace(network=lonely), "nobody", "demo"))
    assert ports.named_ports(found, {}) == [] and [path for path, _ in lonely.asked] == ["/ports"]


def test_a_port_nova_does_not_list_yet_is_named_by_its_network_id():
    neutron = FakeNeutron()
    found = concurrently(ports.instance_ports_calls(SimpleNamespace(network=neutron), "srv", "demo"))
    only_private = {"private": SERVER_ADDRESSES["private"]}
    assert [p.network_name for p in ports.named_ports(found, only_private)] == ["private", "n2"]


def test_the_names_by_mac_read_sdk_dicts_and_zenith_addresses_alike():
    from dashboard.cloud.instances import Address

    zenith = {"private": [Address(addr="10.0.0.5", kind="fixed", mac="fa:16:3e:00:00:01")]}
    assert ports.network_names_by_mac(zenith) == {"fa:16:3e:00:00:01": "private"}
    assert ports.network_names_by_mac(SERVER_ADDRESSES)["fa:16:3e:00:00:02"] == "storage"


def test_the_pools_are_the_external_networks_only():
    neutron = FakeNeutron()
    assert [n.id for n in networks.list_external_networks(SimpleNamespace(network=neutron))] == ["ext"]
    assert neutron.asked[0][1]["router:external"] == "true"
