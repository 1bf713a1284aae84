"""Hypervisors for admins: Placement's figures per host, compute services on/off, aggregates, zones."""

import re
import time

import pytest

from dashboard.cloud import hypervisors as cloud_hv
from tests.helpers import unique

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

SERVICES_MV = "2.53"


def text(response) -> str:
    return response.content.decode()


def placement_figures(admin_sdk, uuid: str) -> dict[str, tuple[int, int]]:
    """{resource class: (used, capacity)} read directly from Placement for one provider."""
    inventories = admin_sdk.placement.get(f"/resource_providers/{uuid}/inventories").json()["inventories"]
    usages = admin_sdk.placement.get(f"/resource_providers/{uuid}/usages").json()["usages"]
    return {
        rc: (usages.get(rc, 0), int((inv["total"] - inv["reserved"]) * inv["allocation_ratio"]))
        for rc, inv in inventories.items()
    }


def page_figures(page: str, hostname: str) -> dict[str, tuple[int, int]]:
    row = re.search(rf'<tr data-hypervisor="{re.escape(hostname)}".*?</tr>', page, re.S)
    assert row, f"no row for {hostname}"
    cells = re.findall(r'data-resource="(\w+)" data-used="(\d+)" data-capacity="(\d+)"', row.group(0))
    return {rc: (int(used), int(cap)) for rc, used, cap in cells}


def compute_host(admin_sdk) -> dict:
    body = admin_sdk.compute.get("/os-hypervisors/detail?with_servers=true", microversion="2.88").json()
    return next(h for h in body["hypervisors"] if h["hypervisor_hostname"] == "devcloud-compute")


def services(admin_sdk) -> list[dict]:
    return admin_sdk.compute.get("/os-services", microversion=SERVICES_MV).json()["services"]


def test_hypervisor_figures_match_placement(admin_client, admin_sdk):
    host = compute_host(admin_sdk)
    # other tests boot and delete instances meanwhile: compare when Placement holds still around the page
    for _attempt in range(10):
        before = placement_figures(admin_sdk, host["id"])
        servers_before = len(compute_host(admin_sdk).get("servers") or [])
        response = admin_client.get("/admin/hypervisors/")
        after = placement_figures(admin_sdk, host["id"])
        servers_after = len(compute_host(admin_sdk).get("servers") or [])
        if before == after and servers_before == servers_after:
            break
        time.sleep(1)
    else:
        pytest.fail("Placement never held still for a comparison")
    assert response.status_code == 200
    page = text(response)
    shown = page_figures(page, "devcloud-compute")
    assert set(shown) == {"VCPU", "MEMORY_MB", "DISK_GB"}
    for rc, figures in shown.items():
        assert figures == before[rc], rc
    assert shown["VCPU"][1] > 0 and shown["MEMORY_MB"][1] > 0
    row = re.search(r'<tr data-hypervisor="devcloud-compute".*?</tr>', page, re.S).group(0)
    assert f'data-col="instances">{servers_before}<' in row
    assert "fake" in row and ">up<" in row


def test_services_zones_and_aggregates_are_listed(admin_client, admin_sdk, cleanup):
    aggregate = admin_sdk.compute.create_aggregate(name=unique("zt-agg"))
    cleanup.delete("aggregate", aggregate.id, conn=admin_sdk)
    page = text(admin_client.get("/admin/hypervisors/"))
    for s in services(admin_sdk):
        assert f'data-service-id="{s["id"]}"' in page
    assert 'data-binary="nova-compute" data-host="devcloud-compute"' in page
    assert 'data-zone="nova"' in page and 'data-zone="internal"' in page
    assert aggregate.name in page


def test_admin_disables_a_compute_service_with_a_reason_and_enables_it_again(admin_client, admin_sdk):
    # the devcloud's only compute host: keep the disabled window short, and always switch it back on
    target = next(s for s in services(admin_sdk) if s["binary"] == "nova-compute")
    assert target["status"] == "enabled"
    reason = unique("zt maintenance")
    try:
        disabled = admin_client.post(f"/admin/hypervisors/services/{target['id']}/disable", {"reason": reason})
        now = next(s for s in services(admin_sdk) if s["id"] == target["id"])
        page = text(admin_client.get("/admin/hypervisors/"))
        enabled = admin_client.post(f"/admin/hypervisors/services/{target['id']}/enable")
    finally:
        admin_sdk.compute.put(f"/os-services/{target['id']}", json={"status": "enabled"}, microversion=SERVICES_MV)
    assert disabled.status_code == 302 and enabled.status_code == 302
    assert (now["status"], now["disabled_reason"]) == ("disabled", reason)
    assert f"Disabled nova-compute on {target['host']}: {reason}" in page
    row = re.search(rf'<tr data-service-id="{target["id"]}".*?</tr>', page, re.S).group(0)
    assert reason in row and 'data-testid="enable-service"' in row
    hypervisor = re.search(r'<tr data-hypervisor="devcloud-compute".*?</tr>', page, re.S).group(0)
    assert f'title="{reason}">disabled<' in hypervisor
    assert next(s for s in services(admin_sdk) if s["id"] == target["id"])["status"] == "enabled"
    assert f"Enabled nova-compute on {target['host']}." in text(admin_client.get(enabled["Location"]))


def test_nova_refusal_is_shown(admin_client, admin_sdk):
    scheduler = next(s for s in services(admin_sdk) if s["binary"] == "nova-scheduler")
    page = text(admin_client.get("/admin/hypervisors/"))
    row = re.search(rf'<tr data-service-id="{scheduler["id"]}".*?</tr>', page, re.S).group(0)
    assert "disable-service" not in row  # only nova-compute services can be switched
    response = admin_client.post(f"/admin/hypervisors/services/{scheduler['id']}/disable", follow=True)
    assert "Only nova-compute services can be updated" in text(response)
    assert next(s for s in services(admin_sdk) if s["id"] == scheduler["id"])["status"] == "enabled"


def test_unknown_service_is_a_message_not_an_error(admin_client):
    response = admin_client.post(
        "/admin/hypervisors/services/00000000-0000-0000-0000-000000000000/disable", {"reason": "x"}, follow=True
    )
    assert response.status_code == 200
    assert "The compute service was not found" in text(response)
    response = admin_client.post("/admin/hypervisors/services/bad$id/disable", follow=True)
    assert "That is not a compute service id." in text(response)
    assert admin_client.get("/admin/hypervisors/services/x/disable").status_code == 405


def test_demo_gets_403_and_cannot_disable_a_service(demo_client, admin_sdk):
    assert demo_client.get("/admin/hypervisors/").status_code == 403
    target = next(s for s in services(admin_sdk) if s["binary"] == "nova-compute")
    response = demo_client.post(f"/admin/hypervisors/services/{target['id']}/disable", {"reason": "no"})
    assert response.status_code == 403
    assert next(s for s in services(admin_sdk) if s["id"] == target["id"])["status"] == "enabled"


def test_providers_missing_from_the_summaries_are_read_one_by_one(admin_sdk):
    providers = cloud_hv.resource_providers(admin_sdk)
    compute = next(p for p in providers if p["name"] == "devcloud-compute")

    def from_summaries():
        return cloud_hv.placement_resources(admin_sdk, providers, cloud_hv.capacity_summaries(admin_sdk))

    for _attempt in range(10):
        before = from_summaries()
        # as if every host were full: no summaries, so each provider is asked for itself
        one_by_one = cloud_hv.placement_resources(admin_sdk, providers, {})
        if before == from_summaries():
            break
        time.sleep(1)
    else:
        pytest.fail("Placement never held still for a comparison")
    for rc in ("VCPU", "MEMORY_MB", "DISK_GB"):
        assert one_by_one[compute["uuid"]][rc] == before[compute["uuid"]][rc], rc
    assert before[compute["uuid"]]["VCPU"].capacity > 0
