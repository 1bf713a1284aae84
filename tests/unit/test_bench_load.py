"""bench/load.py's own logic: the percentiles and error windows it prints, the HAProxy config it writes."""

import math
from datetime import datetime
from pathlib import Path

from bench.load import (
    Sample,
    errors_around,
    frames_by_server,
    haproxy_config,
    nova_request_times,
    percentile,
    poller_chains,
    summarize,
)


def test_percentile_is_the_nearest_rank():
    values = [float(v) for v in range(1, 21)]  # 1..20, shuffled order must not matter
    assert percentile(list(reversed(values)), 50) == 10
    assert percentile(values, 95) == 19
    assert percentile(values, 100) == 20
    assert percentile([3.0], 95) == 3.0
    assert math.isnan(percentile([], 50))


def test_summary_counts_errors_but_times_only_successes():
    samples = [Sample("instances", 0, 1.0), Sample("instances", 0, 2.0), Sample("instances", 0, 30.0, error="HTTP 502")]
    row = summarize(samples, seconds=10)
    assert row["pages"] == 3
    assert row["per_second"] == 0.3
    assert row["errors"] == 1
    assert row["p50"] == 1.0  # the failed 30 s request is not a page load time
    assert row["p95"] == 2.0


def test_errors_are_split_around_the_kill():
    samples = [
        Sample("a", 1, 2, error="HTTP 500"),  # before
        Sample("a", 9, 11, error="RemoteProtocolError"),  # in flight at 10
        Sample("a", 9.5, 10.5),  # in flight, answered
        Sample("a", 11, 12, error="HTTP 503"),  # within 5 s after
        Sample("a", 16, 17),  # later, fine
        Sample("a", 20, 21, error="ConnectError"),  # later
    ]
    counts = errors_around(samples, kill=10, after=5)
    assert counts == {
        "before": 1,
        "in_flight": 1,
        "just_after": 1,
        "later": 1,
        "requests_in_flight": 2,
        "kinds": {
            "before": {"HTTP 500": 1},
            "in_flight": {"RemoteProtocolError": 1},
            "just_after": {"HTTP 503": 1},
            "later": {"ConnectError": 1},
        },
    }


def test_haproxy_config_balances_every_request_and_keeps_websockets_open():
    config = haproxy_config(8110, [("zenith-1", 8111), ("zenith-2", 8112)], Path("/tmp/x.sock"))
    lines = [line.split("#")[0].strip() for line in config.splitlines()]
    assert "bind 127.0.0.1:8110" in lines
    assert "server zenith-1 127.0.0.1:8111 check inter 1s fall 2 rise 2" in lines
    assert "server zenith-2 127.0.0.1:8112 check inter 1s fall 2 rise 2" in lines
    assert "balance roundrobin" in lines
    assert "timeout tunnel 1h" in lines  # an idle websocket is not cut after `timeout client`
    assert "option httpchk GET /healthz" in lines
    # no stickiness of any kind: any process serves any session
    assert not [line for line in lines if line.startswith(("cookie", "stick", "balance source", "hash-type"))]
    # request bodies (streamed uploads) go on as they arrive: HAProxy is never told to wait for them
    assert not [line for line in lines if "http-buffer-request" in line]


def test_haproxy_config_replays_only_page_reads_a_killed_process_cut():
    config = haproxy_config(8110, [("zenith-1", 8111), ("zenith-2", 8112)], Path("/tmp/x.sock"))
    lines = [line.split("#")[0].strip() for line in config.splitlines()]
    retry_on = [line.split()[1:] for line in lines if line.startswith("retry-on ")]
    # a request a killed process closed without answering is sent again, to another process
    assert len(retry_on) == 1 and {"conn-failure", "empty-response"} <= set(retry_on[0])
    # never a slow page (it would double the load) nor Zenith's own 503 (the cloud failed)
    assert not {"response-timeout", "503", "all-retryable-errors", "all"} & set(retry_on[0])
    assert "option redispatch 1" in lines
    assert any(line.startswith("retries ") and int(line.split()[1]) >= 2 for line in lines)
    # only GET/HEAD (HAProxy's METH_GET) are replayed: a POST may have done its work
    assert "http-request disable-l7-retry unless METH_GET" in lines


def test_frames_are_counted_per_process_the_socket_was_on():
    def on(name):
        return lambda moment: name

    sockets = [
        {"frames": [(12.0, "vm", "SHUTOFF", "zenith-2")], "server_at": on("zenith-1")},  # moved, then got it
        {"frames": [(5.0, "vm", "SHUTOFF", "zenith-1")], "server_at": on("zenith-1")},  # before the step: missed
        {"frames": [(11.0, "other", "SHUTOFF", "zenith-2")], "server_at": on("zenith-2")},  # another instance
        {"frames": [(11.0, "vm", "SHUTOFF", "zenith-2")], "server_at": on("zenith-2")},
    ]
    assert frames_by_server(sockets, "vm", "SHUTOFF", since=10) == {"zenith-1": (0, 1), "zenith-2": (2, 3)}


def test_nova_request_times_are_read_for_the_project_and_the_window():
    def line(moment, project, seconds):
        return (
            f"{moment} 16319 INFO nova.api.openstack.requestlog [None req-1 user {project} - - default default] "
            f'127.0.0.1 "GET /v2.1/servers/detail" status: 200 len: 514 microversion: 2.1 time: {seconds}'
        )

    lines = [
        line("2026-12-02 07:00:01.100", "demo-id", "0.5"),
        line("2026-12-02 07:00:02.100", "alt-id", "9.0"),  # another project
        line("2026-12-02 07:05:00.000", "demo-id", "7.0"),  # after the window
        "2026-12-02 07:00:03.000 16319 INFO nova.osapi_compute.wsgi.server something else",
        line("2026-12-02 07:00:04.250", "demo-id", "1.25"),
    ]
    window = (datetime(2026, 12, 2, 7, 0), datetime(2026, 12, 2, 7, 1))
    assert nova_request_times(lines, "demo-id", *window) == [0.5, 1.25]


def test_poller_chains_are_counted_per_topic_from_the_lock_samples():
    samples = [
        (1.0, {"instances": "a", "volumes": "v"}),
        (2.0, {"instances": "a"}),  # volumes released (nobody watched), then claimed again
        (3.0, {"instances": "b", "volumes": "w"}),  # instances: the lock lapsed, b took over
        (4.0, {"instances": "b", "volumes": "w"}),
    ]
    assert poller_chains(list(reversed(samples))) == {  # the samples' order is their moments'
        "instances": {"chains": 2, "handovers": 1, "at_once": 1},
        "volumes": {"chains": 2, "handovers": 1, "at_once": 1},
    }
    # a chain found again after another held the lock: both were alive at once (a duplicate poller)
    samples.append((5.0, {"instances": "a"}))
    assert poller_chains(samples)["instances"] == {"chains": 2, "handovers": 2, "at_once": 2}
    assert poller_chains([]) == {}
