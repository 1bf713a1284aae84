"""Pure logic of the live pollers: topics, row fingerprints, chart points."""

from dashboard.live import pollers

SERVER = {
    "id": "4d0c8c7e-1111-4222-8333-944445555666",
    "name": "web",
    "status": "BUILD",
    "OS-EXT-STS:task_state": "spawning",
    "OS-EXT-STS:power_state": 0,
    "updated": "2026-11-25T12:00:00Z",
    "addresses": {},
}


def test_only_known_kinds_and_well_formed_ids_make_topics():
    assert pollers.topic_of("instances") == "instances"
    assert pollers.topic_of("overview") == "overview"
    assert pollers.topic_of("diagnostics", SERVER["id"]) == f"diagnostics.{SERVER['id']}"
    assert pollers.topic_of("diagnostics") is None
    assert pollers.topic_of("diagnostics", "../../x") is None
    assert pollers.topic_of("diagnostics", "a" * 200) is None
    assert pollers.topic_of("secrets") is None


def test_topics_round_trip():
    kind, object_id = pollers.parse_topic(f"diagnostics.{SERVER['id']}")
    assert kind.name == "diagnostics" and kind.family == "admin" and object_id == SERVER["id"]
    kind, object_id = pollers.parse_topic("instances")
    assert kind.interval == 1.0 and object_id is None


def test_fingerprint_changes_with_what_a_row_shows():
    base = pollers.fingerprint(SERVER)
    assert pollers.fingerprint(dict(SERVER)) == base
    # same second, new status: still a change (updated_at has a one-second resolution)
    assert pollers.fingerprint({**SERVER, "status": "ACTIVE"}) != base
    assert pollers.fingerprint({**SERVER, "OS-EXT-STS:task_state": None}) != base
    assert pollers.fingerprint({**SERVER, "addresses": {"private": [{"addr": "10.0.0.5"}]}}) != base


def test_diagnostics_rates_come_from_successive_counters():
    first = {
        "cpu_time": 0,
        "cpu_util": None,
        "num_cpus": 2,
        "mem_used": 100,
        "mem_max": 512,
        "disk_read": 1000,
        "disk_write": 0,
        "net_rx": 0,
        "net_tx": 50,
    }
    point = pollers.diagnostics_sample(first, None, 100.0)
    assert point["disk_read"] is None and point["cpu"] is None  # a gap, not a drop to 0
    second = {**first, "cpu_time": 5e9, "disk_read": 6000, "net_tx": 550}
    point = pollers.diagnostics_sample(second, {**first, "t": 100.0}, 105.0)
    assert point["disk_read"] == 1000  # bytes per second over 5 s
    assert point["net_tx"] == 100
    assert point["cpu"] == 50.0  # 5 s of CPU over 5 s on 2 vCPUs
    assert point["mem_used"] == 100 and point["mem_max"] == 512
    assert point["mem_pct"] == 19.5


def test_reported_utilisation_wins_and_counters_going_back_do_not_go_negative():
    totals = {
        "cpu_time": 0,
        "cpu_util": 15,
        "num_cpus": 1,
        "mem_used": 0,
        "mem_max": 0,
        "disk_read": 0,
        "disk_write": 0,
        "net_rx": 0,
        "net_tx": 0,
    }
    point = pollers.diagnostics_sample(totals, {**totals, "t": 1.0, "disk_read": 500}, 6.0)
    assert point["cpu"] == 15 and point["disk_read"] == 0


def test_totals_sum_over_devices():
    totals = pollers._totals(
        {
            "cpu_details": [{"id": 0, "time": 10, "utilisation": 10}, {"id": 1, "time": 20, "utilisation": 30}],
            "disk_details": [{"read_bytes": 1, "write_bytes": 2}, {"read_bytes": 3, "write_bytes": 4}],
            "nic_details": [{"rx_octets": 5, "tx_octets": 6}],
            "memory_details": {"maximum": 512, "used": 128},
            "num_cpus": 2,
        }
    )
    assert totals["cpu_util"] == 20 and totals["cpu_time"] == 30
    assert (totals["disk_read"], totals["disk_write"], totals["net_rx"], totals["net_tx"]) == (4, 6, 5, 6)
    assert (totals["mem_used"], totals["mem_max"]) == (128, 512)


def test_a_listed_resources_change_time_reads_every_services_format():
    from datetime import UTC, datetime

    moment = datetime(2026, 12, 7, 15, 10, 1, tzinfo=UTC)
    assert pollers.changed_at({"updated_at": "2026-12-07T15:10:01.000000"}) == moment  # Cinder: naive UTC
    assert pollers.changed_at({"updated_at": "2026-12-07T15:10:01Z"}) == moment  # Glance, Neutron
    assert pollers.changed_at({"updated_at": None}) is None and pollers.changed_at({"count": 3}) is None
    assert pollers.changed_at({"updated_at": "yesterday"}) is None
