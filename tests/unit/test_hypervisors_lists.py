"""The hypervisors and compute services lists, cut in Zenith from what Nova gives whole: their
filters and orders, and Nova's services read into ComputeService."""

from datetime import UTC, datetime

from dashboard.cloud.hypervisors import (
    HYPERVISOR_SORT_KEYS,
    SERVICE_SORT_KEYS,
    Hypervisor,
    Resource,
    hypervisor_matches,
    service_from,
    service_matches,
)
from dashboard.cloud.paging import ListParams, whole_list_page


def _hypervisor(hid, hostname, state="up", status="enabled", vcpus_used=0, instances=0):
    h = Hypervisor(hid, hostname, state, status, "fake", "10.0.0.1", hostname, "", instances)
    h.resources["VCPU"] = Resource(used=vcpus_used, capacity=10)
    return h


HOSTS = [
    _hypervisor("h1", "compute-b", vcpus_used=9, instances=1),
    _hypervisor("h2", "Compute-A", state="down", status="disabled", vcpus_used=1, instances=7),
    _hypervisor("h3", "gpu-1", vcpus_used=5, instances=3),
]


def _hosts(**params):
    page = whole_list_page(HOSTS, ListParams(**params), sort_keys=HYPERVISOR_SORT_KEYS, matches=hypervisor_matches)
    return [h.id for h in page.items]


def test_hypervisors_are_filtered_by_host_state_and_status():
    assert _hosts(filters={"host": "COMPUTE"}, sort="host", direction="asc") == ["h2", "h1"]
    assert _hosts(filters={"state": "down"}, sort="host", direction="asc") == ["h2"]
    assert _hosts(filters={"status": "enabled", "host": "compute"}, sort="host", direction="asc") == ["h1"]


def test_hypervisors_are_ordered_by_host_or_by_use():
    assert _hosts(sort="host", direction="asc") == ["h2", "h1", "h3"]
    assert _hosts(sort="vcpus", direction="desc") == ["h1", "h3", "h2"]
    assert _hosts(sort="instances", direction="desc") == ["h2", "h3", "h1"]


def test_a_hypervisor_without_placements_figures_has_every_resource_at_zero():
    h = Hypervisor("h", "host", "up", "enabled", "fake", "", "host", "", 0)
    assert {rc: (r.used, r.capacity, r.percent) for rc, r in h.resources.items()} == {
        "VCPU": (0, 0, 0),
        "MEMORY_MB": (0, 0, 0),
        "DISK_GB": (0, 0, 0),
    }


def test_novas_service_is_read_with_its_time_in_utc():
    s = service_from(
        {
            "id": "9b08",
            "binary": "nova-compute",
            "host": "c1",
            "zone": "nova",
            "state": "up",
            "status": "disabled",
            "disabled_reason": None,
            "forced_down": False,
            "updated_at": "2026-12-07T02:34:56.000000",
        }
    )
    assert (s.id, s.binary, s.host, s.status, s.disabled_reason) == ("9b08", "nova-compute", "c1", "disabled", "")
    assert s.updated_at == datetime(2026, 12, 7, 2, 34, 56, tzinfo=UTC)
    assert s.switchable and not service_from({"id": "x", "binary": "nova-scheduler", "host": "c1"}).switchable
    assert service_from({"id": 7, "binary": "nova-compute", "host": "c1"}).updated_at is None


def test_services_are_filtered_and_ordered_by_host_or_binary():
    services = [
        service_from({"id": "1", "binary": "nova-scheduler", "host": "b", "state": "up", "status": "enabled"}),
        service_from({"id": "2", "binary": "nova-compute", "host": "b", "state": "down", "status": "enabled"}),
        service_from({"id": "3", "binary": "nova-compute", "host": "A", "state": "up", "status": "disabled"}),
    ]

    def ids(**params):
        page = whole_list_page(services, ListParams(**params), sort_keys=SERVICE_SORT_KEYS, matches=service_matches)
        return [s.id for s in page.items]

    assert ids(sort="host", direction="asc") == ["3", "2", "1"]
    assert ids(sort="binary", direction="asc") == ["3", "2", "1"]
    assert ids(sort="binary", direction="desc") == ["1", "2", "3"]
    assert ids(filters={"host": "b", "state": "up"}, sort="host", direction="asc") == ["1"]
    assert ids(filters={"status": "disabled"}, sort="host", direction="asc") == ["3"]
