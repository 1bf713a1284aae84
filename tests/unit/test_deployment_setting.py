"""dashboard.cloud.calls.deployment_setting: a deployment's setting read once per period and region,
a failed read never kept."""

from types import SimpleNamespace

import pytest

from dashboard.cloud import calls


def conn(region: str = "RegionOne"):
    return SimpleNamespace(config=SimpleNamespace(region_name=region))


@pytest.fixture(autouse=True)
def fresh(monkeypatch):
    monkeypatch.setattr(calls, "_deployment", {})
    clock = SimpleNamespace(now=1000.0)
    monkeypatch.setattr(calls.time, "monotonic", lambda: clock.now)
    return clock


def test_read_once_per_period_then_again(fresh):
    answers = iter([["web-download"], ["glance-direct"]])
    read = lambda: next(answers)  # noqa: E731
    assert calls.deployment_setting(conn(), "methods", read, seconds=300) == ["web-download"]
    fresh.now += 299
    assert calls.deployment_setting(conn(), "methods", read, seconds=300) == ["web-download"]
    fresh.now += 2
    assert calls.deployment_setting(conn(), "methods", read, seconds=300) == ["glance-direct"]


def test_each_region_and_name_has_its_own():
    assert calls.deployment_setting(conn("One"), "methods", lambda: "a") == "a"
    assert calls.deployment_setting(conn("Two"), "methods", lambda: "b") == "b"
    assert calls.deployment_setting(conn("One"), "policies", lambda: "c") == "c"
    assert calls.deployment_setting(conn("One"), "methods", lambda: "z") == "a"


def test_a_failed_read_is_not_kept():
    def broken():
        raise RuntimeError("Glance is down")

    with pytest.raises(RuntimeError):
        calls.deployment_setting(conn(), "methods", broken)
    assert calls.deployment_setting(conn(), "methods", lambda: ["web-download"]) == ["web-download"]
