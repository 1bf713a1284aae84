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


def row_of(page: str, row_id: str) -> str:
    """The <tr> of a list's row (the kit's rows carry their object's id)."""
    row = re.search(rf'<tr data-id="{re.escape(row_id)}"[^>]*>.*?</tr>', page, re.S)
    assert row, f"no row {row_id}"
    return row.group(0)


def page_figures(row: str) -> dict[str, tuple[int, int]]:
    cells = re.findall(r'data-resource="(\w+)" data-used="(\d+)" data-capacity="(\d+)"', row)
    return {rc: (int(used), int(cap)) for rc, used, cap in cells}


def compute_host(admin_sdk) -> dict:
    body = admin_sdk.compute.get("/os-hypervisors/detail?with_servers=true", microversion="2.88").json()
    return next(h for h in body["hypervisors"] if h["hypervisor_hostname"] == "devcloud-compute")


def ids_in(page: str, table: str) -> list[str]:
    """The ids of the rows of the page's table, in order."""
    body = re.search(rf'<table[^>]*id="{table}-table".*?<tbody[^>]*>(.*?)</tbody>', page, re.S)
    assert body, f"no {table} table"
    return re.findall(r'<tr data-id="([^"]+)"', body.group(1))


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
    row = row_of(text(response), host["id"])
    shown = page_figures(row)
    assert set(shown) == {"VCPU", "MEMORY_MB", "DISK_GB"}
    for rc, figures in shown.items():
        assert figures == before[rc], rc
    assert shown["VCPU"][1] > 0 and shown["MEMORY_MB"][1] > 0
    assert f'data-col="instances">{servers_before}<' in row
    assert "devcloud-compute" in row and ">Fake (for testing)<" in row and ">Up<" in row


def test_hypervisors_are_filtered_and_sorted_on_the_page_and_in_the_api(admin_client, admin_sdk):
    host = compute_host(admin_sdk)
    assert ids_in(text(admin_client.get("/admin/hypervisors/", {"host": "COMPUTE"})), "hypervisors") == [host["id"]]
    assert ids_in(text(admin_client.get("/admin/hypervisors/", {"host": "zt-no-such-host"})), "hypervisors") == []
    assert ids_in(text(admin_client.get("/admin/hypervisors/", {"state": "down"})), "hypervisors") == [
        h["id"]
        for h in admin_sdk.compute.get("/os-hypervisors/detail", microversion="2.88").json()["hypervisors"]
        if h["state"] == "down"
    ]
    page = text(admin_client.get("/admin/hypervisors/", {"sort": "instances", "limit": 10}))
    assert host["id"] in ids_in(page, "hypervisors") and 'data-sort="instances"' in page
    body = admin_client.get("/api/v1/admin/hypervisors/", {"host": "compute", "state": "up", "limit": 1}).json()
    assert [h["id"] for h in body["hypervisors"]] == [host["id"]]
    assert body["hypervisors"][0]["hostname"] == "devcloud-compute" and body["next_marker"] is None
    assert admin_client.get("/api/v1/admin/hypervisors/", {"state": "sideways"}).status_code == 400


def test_services_zones_and_aggregates_are_listed(admin_client, admin_sdk, cleanup):
    aggregate = admin_sdk.compute.create_aggregate(name=unique("zt-agg"))
    cleanup.delete("aggregate", aggregate.id, conn=admin_sdk)
    page = text(admin_client.get("/admin/hypervisors/"))
    assert 'data-zone="nova"' in page and 'data-zone="internal"' in page
    assert aggregate.name in page
    assert 'href="/admin/hypervisors/services/"' in page
    found = services(admin_sdk)
    listing = text(admin_client.get("/admin/hypervisors/services/", {"limit": 100}))
    assert set(ids_in(listing, "services")) == {s["id"] for s in found}
    compute = next(s for s in found if s["binary"] == "nova-compute" and s["host"] == "devcloud-compute")
    assert re.search(r"<td>nova-compute</td>\s*<td>devcloud-compute</td>", row_of(listing, compute["id"]))


def test_compute_services_are_filtered_sorted_and_paged(admin_client, admin_sdk):
    found = services(admin_sdk)
    in_order = [s["id"] for s in sorted(found, key=lambda s: (s["binary"], s["host"].lower(), s["id"]))]
    by_binary = text(admin_client.get("/admin/hypervisors/services/", {"sort": "binary", "dir": "asc", "limit": 2}))
    assert ids_in(by_binary, "services") == in_order[:2]
    following = re.search(r'href="([^"]+)"[^>]*data-testid="next-page"', by_binary).group(1).replace("&amp;", "&")
    assert ids_in(text(admin_client.get(following)), "services") == in_order[2:4]
    on_compute = text(admin_client.get("/admin/hypervisors/services/", {"host": "devcloud-COMPUTE", "limit": 100}))
    assert set(ids_in(on_compute, "services")) == {s["id"] for s in found if s["host"] == "devcloud-compute"}
    disabled = text(admin_client.get("/admin/hypervisors/services/", {"status": "disabled"}))
    assert set(ids_in(disabled, "services")) == {s["id"] for s in found if s["status"] == "disabled"}


def test_admin_disables_a_compute_service_with_a_reason_and_enables_it_again(admin_client, admin_sdk):
    # the fake compute host (the one zone nova has): keep the disabled window short, always switch it back on
    target = next(s for s in services(admin_sdk) if s["binary"] == "nova-compute" and s["host"] == "devcloud-compute")
    assert target["status"] == "enabled"
    reason = unique("zt maintenance")
    shown_on = "/admin/hypervisors/services/?host=devcloud"
    try:
        disabled = admin_client.post(
            f"/admin/hypervisors/services/{target['id']}/disable", {"reason": reason, "next": shown_on}
        )
        now = next(s for s in services(admin_sdk) if s["id"] == target["id"])
        page = text(admin_client.get(disabled["Location"]))
        hypervisors = text(admin_client.get("/admin/hypervisors/"))
        enabled = admin_client.post(f"/admin/hypervisors/services/{target['id']}/enable")
    finally:
        admin_sdk.compute.put(f"/os-services/{target['id']}", json={"status": "enabled"}, microversion=SERVICES_MV)
    # the row's form comes back to the page of the list it was on
    assert disabled.status_code == 302 and disabled["Location"] == shown_on and enabled.status_code == 302
    assert (now["status"], now["disabled_reason"]) == ("disabled", reason)
    assert f"Disabled nova-compute on {target['host']}: {reason}" in page
    row = row_of(page, target["id"])
    assert reason in row and 'data-testid="enable-service"' in row
    assert f'title="{reason}">Disabled<' in row_of(hypervisors, compute_host(admin_sdk)["id"])
    assert next(s for s in services(admin_sdk) if s["id"] == target["id"])["status"] == "enabled"
    assert f"Enabled nova-compute on {target['host']}." in text(admin_client.get(enabled["Location"]))


def test_nova_refusal_is_shown(admin_client, admin_sdk):
    scheduler = next(s for s in services(admin_sdk) if s["binary"] == "nova-scheduler")
    page = text(admin_client.get("/admin/hypervisors/services/", {"limit": 100}))
    row = row_of(page, scheduler["id"])
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
    assert demo_client.get("/admin/hypervisors/services/").status_code == 403
    target = next(s for s in services(admin_sdk) if s["binary"] == "nova-compute" and s["host"] == "devcloud-compute")
    response = demo_client.post(f"/admin/hypervisors/services/{target['id']}/disable", {"reason": "no"})
    assert response.status_code == 403
    assert next(s for s in services(admin_sdk) if s["id"] == target["id"])["status"] == "enabled"


def test_providers_missing_from_the_summaries_are_read_one_by_one(admin_sdk):
    providers = cloud_hv.list_resource_providers(admin_sdk)
    compute = next(p for p in providers if p["name"] == "devcloud-compute")

    def from_summaries():
        return cloud_hv.get_placement_resources(admin_sdk, providers, cloud_hv.list_capacity_summaries(admin_sdk))

    for _attempt in range(10):
        before = from_summaries()
        # as if every host were full: no summaries, so each provider is asked for itself
        one_by_one = cloud_hv.get_placement_resources(admin_sdk, providers, {})
        if before == from_summaries():
            break
        time.sleep(1)
    else:
        pytest.fail("Placement never held still for a comparison")
    for rc in ("VCPU", "MEMORY_MB", "DISK_GB"):
        assert one_by_one[compute["uuid"]][rc] == before[compute["uuid"]][rc], rc
    assert before[compute["uuid"]]["VCPU"].capacity > 0
