"""The busiest instances' pure logic (dashboard.cloud.busiest): buckets, search, rankings."""

from datetime import UTC, datetime, timedelta

from dashboard.cloud import busiest

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def answer(series: dict[str, list[float]], metric: str, references=()) -> dict:
    """Gnocchi's aggregates answer: one bucket a minute per value, ending at NOW."""
    measures = {}
    for rid, values in series.items():
        rows = [[(NOW - timedelta(minutes=len(values) - k)).isoformat(), 60.0, v] for k, v in enumerate(values)]
        measures[rid] = {metric: {"mean": rows}}
    return {"measures": measures, "references": list(references)}


def test_the_bucket_is_the_finest_kept_that_far_back():
    assert busiest.granularity_over(NOW - timedelta(hours=12), NOW) == 60
    assert busiest.granularity_over(NOW - timedelta(days=1), NOW) == 60
    assert busiest.granularity_over(NOW - timedelta(days=2), NOW) == 3600
    assert busiest.granularity_over(NOW - timedelta(days=30), NOW) == 3600
    assert busiest.granularity_over(NOW - timedelta(days=31), NOW) == 86400


def test_the_search_keeps_the_project_and_the_instances_alive_in_the_period():
    alive = {"or": [{"=": {"ended_at": None}}, {">=": {"ended_at": "2026-12-07T12:00:00Z"}}]}
    assert busiest.search("p1", NOW) == {"and": [{"=": {"project_id": "p1"}}, alive]}
    assert busiest.search(None, NOW) == alive


def test_cpu_is_the_mean_rate_over_the_vcpus_highest_first():
    body = answer(
        {
            "a": [0, 6e9, 12e9],  # 6 s a minute: 10 % of 1 vCPU
            "b": [0, 24e9, 48e9],  # 24 s a minute over 2 vCPUs: 20 %
            "c": [5e9],  # one bucket: no rate yet
            "d": [0, 30e9, 1e9, 31e9],  # restarted: the drop gives no rate, 50 % of 1 vCPU
        },
        "cpu",
    )
    ranked = busiest.ranked(body, "cpu", {"a": 1, "b": 2, "d": 1}, {"a": "alpha"})
    assert [(r.instance_id, r.value) for r in ranked] == [("d", 50.0), ("b", 20.0), ("a", 10.0)]
    assert ranked[2].name == "alpha"


def test_memory_is_the_mean_of_the_buckets_names_from_gnocchi_when_nova_has_none():
    refs = [{"id": "x", "display_name": "web", "project_id": "p1", "host": "h1"}]
    body = answer({"x": [100.0, 200.0], "y": [50.0]}, "memory.usage", refs)
    ranked = busiest.ranked(body, "memory.usage", {}, {})
    assert [(r.instance_id, r.value) for r in ranked] == [("x", 150.0), ("y", 50.0)]
    assert (ranked[0].name, ranked[0].project_id, ranked[0].host) == ("web", "p1", "h1")
    assert ranked[1].name == "y"  # neither Nova nor Gnocchi names it: its id


def test_only_the_top_five_and_a_failed_request_is_kept_as_its_error():
    body = answer({f"i{k}": [float(k)] for k in range(8)}, "memory.usage")
    assert [r.instance_id for r in busiest.ranked(body, "memory.usage", {}, {})] == ["i7", "i6", "i5", "i4", "i3"]
    error = RuntimeError("the metric service is down")  # a CloudError in the page
    found = {"busiest_cpu": error, "busiest_memory": body}
    out = busiest.rankings(found, {}, {})
    assert out["cpu"] is error and len(out["memory"]) == 5


def test_hosts_add_up_their_instances_busiest_first():
    refs = [
        {"id": "a", "host": "h1"},
        {"id": "b", "host": "h1"},
        {"id": "c", "host": "h2"},
    ]
    cpu = answer({"a": [0, 30e9, 60e9], "b": [0, 30e9, 60e9], "c": [0, 6e9]}, "cpu", refs)
    memory = answer({"a": [100.0], "b": [300.0], "c": [50.0]}, "memory.usage", refs)
    hosts = busiest.by_host({"busiest_cpu": cpu, "busiest_memory": memory})
    assert [(h.host, h.instances, h.vcpus_busy, h.memory_mb) for h in hosts] == [
        ("h1", 2, 1.0, 400.0),
        ("h2", 1, 0.1, 50.0),
    ]
    error = RuntimeError("down")
    assert busiest.by_host({"busiest_cpu": cpu, "busiest_memory": error}) is error


def test_the_cards_say_a_refusal_no_measures_or_show_the_rows():
    from django.template.loader import render_to_string

    from dashboard.cloud import CloudError

    refused = CloudError("unavailable", "The metric service is not answering.")
    server_id = "11111111-2222-3333-4444-555555555555"
    row = busiest.Busy(server_id, "web <1>", "p1", "h1", 42.5, "demo")
    page = render_to_string(
        "usage/_busiest.html",
        {
            "metered": True,
            "across_projects": True,
            "busiest_tables": [("cpu", "By CPU", "Mean CPU", refused), ("memory", "By memory", "Mean memory", [row])],
            "hosts": [],
        },
    )
    cpu = page.split('data-busiest="cpu"')[1].split('data-busiest="memory"')[0]
    assert "The metric service is not answering." in cpu and "<table" not in cpu
    memory = page.split('data-busiest="memory"')[1].split('data-busiest="hosts"')[0]
    assert f'data-instance-id="{server_id}"' in memory and "web &lt;1&gt;" in memory and ">demo<" in memory
    hosts = page.split('data-busiest="hosts"')[1]
    assert "No measures for this period yet." in hosts and "<table" not in hosts
    unmetered = render_to_string("usage/_busiest.html", {"metered": False})
    assert 'data-busiest="none"' in unmetered and "no metric service" in unmetered
