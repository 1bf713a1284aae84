"""The metrics' pure logic: label values (always from fixed sets), who may read /metrics, and the
shared directory's bookkeeping (dashboard.metrics, dashboard.cloud.metrics)."""

from __future__ import annotations

import pytest
from keystoneauth1 import exceptions as ks_exc

from dashboard.cloud import metrics as cloud_metrics
from dashboard.cloud.errors import CloudError
from dashboard.metrics import access, directory, labels
from dashboard.metrics.apps import check_settings

SERVER = "0b3f1c52-6a4e-4a3b-9d7e-2f1a8c9e4d10"


# --- labels ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "path, label",
    [
        ("/project/instances/", "instances:list"),
        (f"/project/instances/{SERVER}/", "instances:detail"),
        (f"/project/instances/{SERVER}/action/reboot/", "instances:action"),
        ("/healthz", "healthz"),  # a URL without a name: its route pattern
        (f"/api/v1/instances/{SERVER}/", "api/v1/instances/<uuid:server_id>/"),
        ("/", "/"),
        ("/static/zenith/zenith.css", "static"),
        (f"/no/such/{SERVER}/page", "unmatched"),
    ],
)
def test_a_request_is_counted_under_its_url_name_or_pattern_never_its_path(path, label):
    assert labels.view_label(None, path) == label


def test_a_resolved_request_is_counted_under_its_match():
    from django.urls import resolve

    match = resolve(f"/project/instances/{SERVER}/tab/log/")
    assert labels.view_label(match, "/ignored/") == "instances:tab"
    unnamed = resolve("/healthz")
    assert labels.view_label(unnamed, "/ignored/") == "healthz"


def test_methods_statuses_and_task_states_come_from_fixed_sets():
    assert labels.method_label("get") == "GET"
    assert labels.method_label("PROPFIND") == labels.method_label("x" * 100) == labels.method_label(None) == "other"
    assert labels.status_label(204) == "204"
    assert labels.status_label(99) == labels.status_label(600) == "other"
    assert labels.task_outcome("SUCCESS") == "success"
    assert labels.task_outcome("FAILURE") == "failure"
    assert labels.task_outcome("PENDING") == labels.task_outcome(None) == "other"


@pytest.mark.parametrize(
    "service_type, label",
    [
        ("compute", "compute"),
        ("block-storage", "volume"),
        ("volumev3", "volume"),
        ("object-store", "object-store"),
        ("image", "image"),
        ("network", "network"),
        ("identity", "identity"),
        ("Compute", "compute"),
        (None, "other"),
        ("http://10.0.0.1:8774/v2.1/servers", "other"),
    ],
)
def test_cloud_services_are_named_from_a_fixed_set(service_type, label):
    assert cloud_metrics.service_label(service_type) == label


@pytest.mark.parametrize(
    "status, error, outcome",
    [
        (200, None, "ok"),
        (304, None, "ok"),
        (404, None, "4xx"),
        (503, None, "5xx"),
        (None, ks_exc.HttpError(http_status=409), "4xx"),
        (None, ks_exc.HttpError(http_status=502), "5xx"),
        (None, ks_exc.ConnectTimeout("slow"), "timeout"),
        (None, ks_exc.ConnectFailure("refused"), "connection"),
        (None, ks_exc.SSLError("bad certificate"), "connection"),
        (None, CloudError("unavailable", "busy"), "busy"),
        (None, ValueError("anything else"), "error"),
    ],
)
def test_a_cloud_request_outcome_is_its_status_class_or_its_failure(status, error, outcome):
    assert cloud_metrics.outcome_of(status=status, error=error) == outcome


# --- access ----------------------------------------------------------------------------------------
TOKEN = "s3cret-token"


def decide(enabled=True, networks=(), token="", address="127.0.0.1", authorization=None):
    return access.refusal(
        enabled=enabled, networks=tuple(networks), token=token, address=address, authorization=authorization
    )


def test_metrics_off_are_not_found_whatever_the_request_carries():
    assert decide(enabled=False, token=TOKEN, authorization=f"Bearer {TOKEN}") == 404


def test_metrics_on_with_neither_networks_nor_token_refuse_everyone():
    assert decide() == 403


def test_the_token_must_be_sent_as_a_bearer_and_exactly():
    assert decide(token=TOKEN, authorization=f"Bearer {TOKEN}") is None
    assert decide(token=TOKEN, authorization=f"bearer {TOKEN}") is None
    assert decide(token=TOKEN) == 401
    assert decide(token=TOKEN, authorization="Bearer ") == 401
    assert decide(token=TOKEN, authorization=f"Bearer {TOKEN}x") == 401
    assert decide(token=TOKEN, authorization=f"Basic {TOKEN}") == 401
    assert decide(token=TOKEN, authorization=TOKEN) == 401


def test_the_client_address_must_be_in_a_network():
    nets = ["10.0.0.0/8", "2001:db8::/32"]
    assert decide(networks=nets, address="10.20.30.40") is None
    assert decide(networks=nets, address="::ffff:10.1.1.1") is None  # IPv4-mapped reads as IPv4
    assert decide(networks=nets, address="2001:db8::5") is None
    assert decide(networks=nets, address="192.168.1.1") == 403
    assert decide(networks=nets, address="unknown") == 403
    assert decide(networks=nets, address="") == 403
    assert decide(networks=["10.0.0.1/8"], address="10.9.9.9") is None  # host bits are allowed


def test_networks_and_token_together_require_both():
    both = {"networks": ["127.0.0.0/8"], "token": TOKEN}
    assert decide(**both, authorization=f"Bearer {TOKEN}") is None
    assert decide(**both) == 401
    assert decide(**both, address="192.0.2.1", authorization=f"Bearer {TOKEN}") == 403


def test_an_empty_token_never_matches():
    assert not access.bearer_matches("Bearer ", "")
    assert not access.bearer_matches(None, "")


def test_settings_check_flags_bad_networks_and_metrics_nobody_can_read(settings):
    settings.METRICS = True
    settings.METRICS_NETWORKS, settings.METRICS_TOKEN = ["10.0.0.0/8", "not-a-network"], ""
    assert [m.id for m in check_settings()] == ["metrics.E001"]
    settings.METRICS_NETWORKS = []
    assert [m.id for m in check_settings()] == ["metrics.W001"]
    settings.METRICS_TOKEN = TOKEN
    assert check_settings() == []
    settings.METRICS, settings.METRICS_TOKEN = False, ""
    assert check_settings() == []


# --- the shared directory --------------------------------------------------------------------------
def touch(path, *names):
    for name in names:
        (path / name).write_bytes(b"x")


def test_the_first_process_of_a_new_group_wipes_what_dead_processes_left(tmp_path):
    touch(tmp_path, "counter_101.db", "histogram_101.db", "gauge_livesum_102.db", ".pid-101")
    assert directory.prepare(tmp_path, 200, alive=lambda pid: pid == 200)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".lock", ".pid-200"]


def test_a_process_joining_a_running_group_keeps_its_figures(tmp_path):
    touch(tmp_path, "counter_101.db", "counter_102.db", ".pid-102")
    assert not directory.prepare(tmp_path, 200, alive=lambda pid: pid in (102, 200))
    assert {p.name for p in tmp_path.iterdir()} == {".lock", ".pid-102", ".pid-200", "counter_101.db", "counter_102.db"}


def test_a_dead_process_loses_its_live_gauges_and_keeps_its_counts(tmp_path):
    touch(tmp_path, "counter_101.db", "histogram_101.db", "gauge_livesum_101.db", ".pid-101")
    touch(tmp_path, "counter_102.db", "gauge_livesum_102.db", ".pid-102")
    assert directory.sweep(tmp_path, alive=lambda pid: pid == 102) == [101]
    assert {p.name for p in tmp_path.iterdir()} == {
        "counter_101.db",
        "histogram_101.db",
        "counter_102.db",
        "gauge_livesum_102.db",
        ".pid-102",
    }
    assert directory.sweep(tmp_path, alive=lambda pid: pid == 102) == []  # nothing left to do for 101


def test_a_pid_is_alive_while_its_process_runs():
    import os
    import subprocess

    child = subprocess.Popen(["sleep", "30"])
    try:
        assert directory.pid_alive(child.pid)
    finally:
        child.kill()
        child.wait()
    assert not directory.pid_alive(child.pid)
    assert directory.pid_alive(os.getpid())
