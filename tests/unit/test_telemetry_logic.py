"""The instance metrics read from Gnocchi: ranges, rates, CPU %, the shaping of points, and what one
request to Gnocchi asks and how its answers come out (on a stand-in session: no cloud)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from requests import Response

from dashboard.cloud import CloudError, telemetry

T0 = datetime(2026, 12, 7, 18, 0, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def test_ranges_prefer_the_archive_policys_buckets():
    assert {name: r.granularity for name, r in telemetry.RANGES.items()} == {
        "hour": 60,
        "day": 60,
        "week": 3600,
        "month": 3600,
    }
    start, stop, granularity = telemetry.period("week", now=T0)
    assert (stop - start, stop, granularity) == (timedelta(days=7), T0, 3600)
    # an unknown name is the last hour
    assert telemetry.period("decade", now=T0)[0] == T0 - timedelta(hours=1)


@pytest.mark.parametrize(
    ("seconds", "granularity"),
    [(60, 60), (86400, 60), (86401, 3600), (30 * 86400, 3600), (30 * 86400 + 1, 86400)],
)
def test_granularity_for_a_period(seconds, granularity):
    assert telemetry.granularity_for(seconds) == granularity


def test_pick_granularity_keeps_the_preferred_else_the_nearest_coarser():
    assert telemetry.pick_granularity([60.0, 3600.0, 86400.0], 60) == 60
    assert telemetry.pick_granularity([300.0, 3600.0], 60) == 300.0
    assert telemetry.pick_granularity([60.0, 300.0], 3600) == 300.0
    assert telemetry.pick_granularity([], 60) is None


def test_rates_are_per_second_and_skip_a_counter_reset():
    points = [(at(0), 1000.0), (at(1), 7000.0), (at(2), 100.0), (at(4), 12100.0)]
    assert telemetry.rates(points) == [(at(1), 100.0), (at(4), 100.0)]


def test_cpu_percent_is_the_cpu_time_over_the_vcpus():
    # 30 s of CPU in 60 s on one vCPU: 50 %; on two: 25 %
    assert telemetry.cpu_percent(30e9 / 60, 1) == pytest.approx(50.0)
    assert telemetry.cpu_percent(30e9 / 60, 2) == pytest.approx(25.0)
    assert telemetry.cpu_percent(5e9, 1) == 100.0  # never above
    assert telemetry.cpu_percent(1e9, 0) == 100.0  # an unknown count counts one


def test_shaped_cpu_points_from_the_cumulative_ns():
    # 60 s buckets; 6e9 ns more each minute on 2 vCPUs: 6 s / 60 s / 2 = 5 %
    points = [(at(m), 1e12 + m * 6e9) for m in range(4)]
    shaped = telemetry.shaped(telemetry.SERIES["cpu"], [points], vcpus=2)
    assert shaped == [["2026-12-07T18:01:00Z", 5.0], ["2026-12-07T18:02:00Z", 5.0], ["2026-12-07T18:03:00Z", 5.0]]


def test_shaped_rates_are_summed_over_the_instances_disks():
    vda = [(at(0), 0.0), (at(1), 6000.0), (at(2), 12000.0)]
    vdb = [(at(1), 0.0), (at(2), 600.0)]
    shaped = telemetry.shaped(telemetry.SERIES["disk.read"], [vda, vdb], vcpus=1)
    assert shaped == [["2026-12-07T18:01:00Z", 100.0], ["2026-12-07T18:02:00Z", 110.0]]


def test_memory_is_drawn_as_stored():
    shaped = telemetry.shaped(telemetry.SERIES["memory"], [[(at(0), 123.456), (at(1), 130.0)]], vcpus=1)
    assert shaped == [["2026-12-07T18:00:00Z", 123.46], ["2026-12-07T18:01:00Z", 130.0]]


def gnocchi_body(metric: str, per_resource: dict[str, list]) -> dict:
    return {"measures": {rid: {metric: {"mean": rows}} for rid, rows in per_resource.items()}}


def test_measures_from_gnocchis_answer_keeps_the_preferred_granularity():
    rows = [
        ["2026-12-07T17:00:00+00:00", 3600.0, 50.0],
        ["2026-12-07T18:00:00+00:00", 60.0, 100.0],
        ["2026-12-07T18:01:00+00:00", 60.0, 200.0],
    ]
    body = gnocchi_body("memory.usage", {"i-1": rows})
    measures = telemetry.measures_from(telemetry.SERIES["memory"], body, 60, vcpus=1)
    assert measures.as_dict() == {
        "metric": "memory",
        "unit": "MB",
        "granularity": 60,
        "points": [["2026-12-07T18:00:00Z", 100.0], ["2026-12-07T18:01:00Z", 200.0]],
    }
    hourly = telemetry.measures_from(telemetry.SERIES["memory"], body, 3600, vcpus=1)
    assert hourly.granularity == 3600 and hourly.points == [["2026-12-07T17:00:00Z", 50.0]]
    assert telemetry.measures_from(telemetry.SERIES["memory"], None, 60, 1).missing
    empty = telemetry.measures_from(telemetry.SERIES["memory"], {"measures": {}}, 60, 1)
    assert empty.points == [] and not empty.missing


def test_parse_time_takes_gnocchis_and_users_forms():
    assert telemetry.parse_time("2026-12-07T18:00:00+00:00") == T0
    assert telemetry.parse_time("2026-12-07T18:00:00Z") == T0
    assert telemetry.parse_time("2026-12-07T19:00:00+01:00") == T0
    assert telemetry.parse_time("2026-12-07T18:00:00") == T0
    with pytest.raises(ValueError):
        telemetry.parse_time("yesterday")


# --- one request to Gnocchi, on a stand-in session --------------------------------------------------


def answer(status: int, body) -> Response:
    r = Response()
    r.status_code = status
    r._content = json.dumps(body).encode()
    r.headers["Content-Type"] = "application/json"
    r.url = "http://127.0.0.1:8041/v1/aggregates"
    return r


class Session:
    """A keystoneauth session's `request`, answering from a list and recording what was asked."""

    def __init__(self, *answers: Response):
        self.answers = list(answers)
        self.asked: list[tuple[str, str, dict]] = []

    def request(self, url, method, **kwargs):
        self.asked.append((url, method, kwargs))
        return self.answers.pop(0)


def conn_with(session) -> SimpleNamespace:
    return SimpleNamespace(session=session, config=SimpleNamespace(region_name="RegionOne"))


def test_aggregates_searches_the_instances_resources_of_the_type():
    session = Session(answer(200, gnocchi_body("network.incoming.bytes", {})))
    conn = conn_with(session)
    got = telemetry.aggregates(conn, telemetry.SERIES["net.in"], "abc", at(0), at(60), 60)
    assert got == {"measures": {}}
    url, method, kwargs = session.asked[0]
    assert (url, method.upper()) == ("/v1/aggregates", "POST")
    assert kwargs["endpoint_filter"]["service_type"] == "metric"
    assert kwargs["params"] == {
        "start": "2026-12-07T18:00:00Z",
        "stop": "2026-12-07T19:00:00Z",
        "fill": "dropna",
        "granularity": "60",
    }
    assert kwargs["json"] == {
        "operations": "(metric network.incoming.bytes mean)",
        "resource_type": "instance_network_interface",
        "search": {"=": {"instance_id": "abc"}},
    }


def test_no_such_metric_is_an_empty_series_and_other_refusals_are_errors():
    no_metric = answer(400, {"code": 400, "description": {"cause": "Metrics not found", "detail": ["cpu"]}})
    bad = answer(
        400,
        {"description": {"cause": "Metrics can't being aggregated", "reason": "Granularities are missing"}},
    )
    down = answer(503, {"description": "down"})
    conn = conn_with(Session(no_metric, bad, down))
    assert telemetry.aggregates(conn, telemetry.SERIES["cpu"], "abc", at(0), at(60)) is None
    with pytest.raises(CloudError) as refused:
        telemetry.aggregates(conn, telemetry.SERIES["cpu"], "abc", at(0), at(60), 5)
    assert refused.value.kind == "bad_request"
    assert "Granularities are missing" in refused.value.message
    with pytest.raises(CloudError) as failed:
        telemetry.aggregates(conn, telemetry.SERIES["cpu"], "abc", at(0), at(60))
    assert failed.value.kind == "unavailable"
    assert "Gnocchi" in failed.value.message


def test_offered_reads_the_catalog_without_a_call():
    def conn_of(services):
        catalog = SimpleNamespace(
            get_endpoints=lambda service_type, interface, region_name: {
                s: [{"url": "http://x"}] for s in services if s == service_type
            }
        )
        auth = SimpleNamespace(auth_ref=SimpleNamespace(service_catalog=catalog))
        return SimpleNamespace(session=SimpleNamespace(auth=auth), config=SimpleNamespace(region_name="RegionOne"))

    assert telemetry.offered(conn_of(["compute", "metric"]))
    assert not telemetry.offered(conn_of(["compute"]))
    assert not telemetry.offered(SimpleNamespace(session=None, config=None))


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"metric": "cpu", "stop": "0001-01-01T00:00:00Z"}, "stop"),
        ({"metric": "cpu", "start": "9999-12-31T23:59:59Z"}, "start"),
        ({"metric": "cpu", "start": "0001-01-01T00:30:00+01:00"}, "start"),
        ({"metric": "cpu", "start": "2026-12-07T18:00:00Z", "stop": "2026-12-07T18:00:00Z"}, "start"),
        ({"metric": "cpu", "start": "2024-01-01T00:00:00Z", "stop": "2026-01-01T00:00:00Z"}, "start"),
        ({"metric": "cpu", "granularity": "0"}, "granularity"),
        ({"metric": "load"}, "metric"),
    ],
)
def test_the_api_refuses_times_it_cannot_ask_for(query, field):
    from dashboard.api.instance_metrics import MetricsQuery

    checked = MetricsQuery(data=query)
    assert not checked.is_valid()
    assert list(checked.errors) == [field]


def test_the_api_defaults_to_the_last_hour():
    from dashboard.api.instance_metrics import MetricsQuery

    checked = MetricsQuery(data={"metric": "net.out"})
    assert checked.is_valid()
    start, stop = checked.validated_data["start"], checked.validated_data["stop"]
    assert stop - start == timedelta(hours=1)
    assert abs((datetime.now(UTC) - stop).total_seconds()) < 5
