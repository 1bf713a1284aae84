"""/api/v1/ for networks, routers, floating IPs and security groups: what the pages do, as JSON,
checked with openstacksdk; refusals in the API's error shape."""

from __future__ import annotations

import random

import pytest
from openstack import exceptions as sdk_exc

from tests.helpers import unique

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def _base() -> str:
    return f"10.{random.randint(100, 250)}.{random.randint(0, 250)}"


def _drop_routers_named(conn, name: str) -> None:
    """Cleanup by name: registered before the create, so a router Neutron made after a timed-out
    request goes too."""
    for router in conn.network.routers(name=name):
        _drop_router(conn, router.id)


def _drop_router(conn, router_id: str) -> None:
    try:
        for port in conn.network.ports(device_id=router_id, device_owner="network:router_interface"):
            conn.network.remove_interface_from_router(router_id, port_id=port.id)
        conn.network.delete_router(router_id)
    except sdk_exc.NotFoundException:
        pass


def test_network_and_router_through_the_api(demo_client, demo_sdk, cleanup):
    base = _base()
    body = {
        "name": unique("zt-api"),
        "subnets": [
            {"cidr": f"{base}.0/25", "gateway_ip": f"{base}.1", "allocation_pools": [f"{base}.10-{base}.20"]},
            {"cidr": f"{base}.128/25", "gateway_ip": None},
        ],
    }
    response = demo_client.post("/api/v1/networks/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    net = response.json()["network"]
    cleanup.delete("network", net["id"], conn=demo_sdk)
    assert sorted(s["cidr"] for s in net["subnets"]) == [f"{base}.0/25", f"{base}.128/25"]
    no_gateway = next(s for s in demo_sdk.network.subnets(network_id=net["id"]) if s.cidr == f"{base}.128/25")
    assert no_gateway.gateway_ip is None
    names = [n["name"] for n in demo_client.get(f"/api/v1/networks/?name={body['name']}").json()["networks"]]
    assert names == [body["name"]]

    public = demo_sdk.network.find_network("public", ignore_missing=False)
    response = demo_client.post(
        "/api/v1/routers/",
        {"name": unique("zt-api"), "external_network_id": public.id},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    router = response.json()["router"]
    cleanup.add(_drop_router, demo_sdk, router["id"])
    assert router["external_network_id"] == public.id
    subnet_id = net["subnets"][0]["id"]
    response = demo_client.post(
        f"/api/v1/routers/{router['id']}/action/",
        {"action": "add_interface", "subnet_id": subnet_id},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    interfaces = demo_client.get(f"/api/v1/routers/{router['id']}/").json()["interfaces"]
    assert [i["subnet_id"] for i in interfaces] == [subnet_id]
    topo = demo_client.get("/api/v1/topology/").json()
    assert {router["id"], net["id"], public.id} <= {n["id"] for n in topo["nodes"]}

    # deleting a network a router still uses: which router to go to, Neutron's own words as the detail
    response = demo_client.delete(f"/api/v1/networks/{net['id']}/")
    assert response.status_code == 409
    body = response.json()
    assert body["error"] == "conflict" and "in use" in body["detail"]
    assert body["message"].startswith(f"The router “{router['name']}” has an interface on this network.")


def test_security_group_rules_through_the_api(demo_client, demo_sdk, cleanup):
    response = demo_client.post("/api/v1/security-groups/", {"name": unique("zt-api")}, content_type="application/json")
    assert response.status_code == 201
    group = response.json()["security_group"]
    cleanup.delete("security_group", group["id"], conn=demo_sdk)
    url = f"/api/v1/security-groups/{group['id']}/rules/"
    assert demo_client.post(url, {"preset": "dns"}, content_type="application/json").json() == {"added": 2}
    bad = demo_client.post(url, {"protocol": "tcp", "port_range_min": 70000}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["error"] == "bad_request"
    assert "65535" in str(bad.json()["fields"])
    rules = [
        r for r in demo_sdk.network.security_group_rules(security_group_id=group["id"]) if r.direction == "ingress"
    ]
    assert sorted(r.protocol for r in rules) == ["tcp", "udp"]
    assert demo_client.delete(f"{url}{rules[0].id}/").status_code == 204
    assert demo_sdk.network.find_security_group_rule(rules[0].id) is None


def test_the_api_refuses_overlaps_and_hides_other_projects(demo_client, alt_client, demo_sdk, cleanup):
    base = _base()
    body = {"name": unique("zt-api"), "subnets": [{"cidr": f"{base}.0/24"}, {"cidr": f"{base}.0/25"}]}
    response = demo_client.post("/api/v1/networks/", body, content_type="application/json")
    assert response.status_code == 400 and "overlap" in str(response.json())
    assert demo_sdk.network.find_network(body["name"]) is None
    group = demo_sdk.network.create_security_group(name=unique("zt-api"))
    cleanup.delete("security_group", group.id, conn=demo_sdk)
    response = alt_client.get(f"/api/v1/security-groups/{group.id}/")
    assert response.status_code == 404 and response.json()["error"] == "not_found"
    assert alt_client.delete(f"/api/v1/security-groups/{group.id}/").status_code == 404
    assert demo_sdk.network.find_security_group(group.id) is not None
