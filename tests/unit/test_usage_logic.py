"""Pure logic of the usage reports: pages summed per project, hours split per day, date ranges,
what each project holds now."""

from datetime import UTC, date, datetime, timedelta

from django.utils import timezone

from dashboard.cloud.overview import counts_from
from dashboard.cloud.usage import (
    ProjectUsage,
    ServerUsage,
    _next_marker,
    count_by_project,
    daily_vcpu_hours,
    instances_there,
)
from dashboard.panels.usage.forms import DateRangeForm, preset_dates


def at(day, hour=0, minute=0):
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


def server(project, vcpus, started, ended=None):
    return ServerUsage("id", "n", project, "m1", vcpus, 512, 1, 0.0, "active", started, ended)


def test_a_server_running_across_midnight_is_split_between_the_days():
    days, series = daily_vcpu_hours([server("p", 2, at(1, 22), at(2, 3))], at(1), at(3))
    assert days == [date(2026, 11, 1), date(2026, 11, 2)]
    assert series["p"] == [4.0, 6.0]  # 2 h and 3 h at 2 vCPUs


def test_running_servers_count_until_the_period_ends_and_start_is_clipped():
    days, series = daily_vcpu_hours(
        [server("a", 1, at(1, 12)), server("b", 1, datetime(2026, 10, 30, tzinfo=UTC), at(1, 6))], at(1), at(1, 18)
    )
    assert days == [date(2026, 11, 1)]
    assert series == {"a": [6.0], "b": [6.0]}


def test_a_project_split_over_pages_is_summed():
    usage = ProjectUsage("p")
    usage.add_page({"total_hours": 1.5, "total_vcpus_usage": 3.0, "total_memory_mb_usage": 1024.0, "server_usages": []})
    usage.add_page({"total_hours": 0.5, "total_vcpus_usage": 1.0, "total_memory_mb_usage": 512.0, "server_usages": []})
    assert (usage.instance_hours, usage.vcpu_hours, usage.ram_gb_hours) == (2.0, 4.0, 1.5)


def test_next_marker_comes_from_novas_next_link():
    links = [{"rel": "next", "href": "http://nova/v2.1/os-simple-tenant-usage?limit=1&marker=abc-123"}]
    assert _next_marker(links) == "abc-123"
    assert _next_marker([]) is None


def test_presets():
    today = date(2026, 3, 15)
    assert preset_dates("today", today) == (today, today)
    assert preset_dates("this_month", today) == (date(2026, 3, 1), today)
    assert preset_dates("last_month", today) == (date(2026, 2, 1), date(2026, 2, 28))
    assert preset_dates("last_month", date(2026, 1, 5)) == (date(2025, 12, 1), date(2025, 12, 31))


def test_custom_range_must_not_end_before_it_starts():
    form = DateRangeForm({"preset": "custom", "start": "2020-11-20", "end": "2020-11-01"})
    assert not form.is_valid()
    assert form.errors["end"] == ["The end date must be on or after the start date."]
    form = DateRangeForm({"preset": "custom", "start": "2020-02-28", "end": "2020-02-29"})
    assert form.is_valid()
    assert form.period() == (datetime(2020, 2, 28, tzinfo=UTC), datetime(2020, 3, 1, tzinfo=UTC))


def test_a_custom_range_is_at_most_a_year_or_so():
    form = DateRangeForm({"preset": "custom", "start": "2018-01-01", "end": "2020-01-01"})
    assert not form.is_valid()
    assert form.errors["end"] == ["Choose at most 366 days."]


def test_a_period_ends_now_when_its_last_day_is_today():
    today = timezone.now().astimezone(UTC).date()

    def days_ago(n):
        return (today - timedelta(days=n)).isoformat()

    for data, ends_now in (
        ({"preset": "this_month"}, True),
        ({"preset": "today"}, True),
        ({"preset": "last_month"}, False),
        ({"preset": "custom", "start": days_ago(9)}, True),  # no end: today
        ({"preset": "custom", "start": days_ago(20), "end": days_ago(1)}, False),
    ):
        form = DateRangeForm(data)
        assert form.is_valid(), form.errors
        assert form.ends_now() is ends_now, data
        assert (form.period()[1] >= timezone.now() - timedelta(minutes=1)) is ends_now, data


def usage_of(project, *servers):
    usage = ProjectUsage(project)
    usage.servers = [ServerUsage(i, i, project, "m1", 1, 512, 1, 1.0, st, at(1), end) for i, st, end in servers]
    return usage


def test_the_instances_there_are_those_a_report_names_as_not_ended():
    usages = {
        "p": usage_of("p", ("a", "active", None), ("b", "stopped", None), ("c", "terminated", at(2))),
        "q": usage_of("q", ("d", "error", None), ("e", "deleted", None)),
    }
    assert instances_there(usages) == {"a": "p", "b": "p", "d": "q"}


def test_counts_by_project():
    volumes = [
        {"os-vol-tenant-attr:tenant_id": "p", "size": 2},
        {"os-vol-tenant-attr:tenant_id": "p", "size": 3},
        {"os-vol-tenant-attr:tenant_id": "r", "size": 1},
    ]
    ips = [{"project_id": "q"}, {"project_id": None}, {"project_id": "q"}]
    counts = count_by_project({"a": "p", "b": "p", "d": "q"}, volumes, ips)
    assert {pid: (c.instances, c.volumes, c.gigabytes, c.floating_ips) for pid, c in counts.items()} == {
        "p": (2, 2, 5, 0),
        "q": (1, 0, 0, 2),
        "r": (0, 1, 1, 0),
    }


def test_active_is_what_novas_quota_counts_but_the_instances_listed_in_another_status():
    unsettled = {"b": "SHUTOFF", "d": "ERROR", "e": "REBOOT", "f": "SOFT_DELETED"}
    # 6 counted by the quota (the soft-deleted one is not): 3 ACTIVE
    assert counts_from(6, unsettled) == {"ACTIVE": 3, "ERROR": 1, "REBOOT": 1, "SHUTOFF": 1, "SOFT_DELETED": 1}
    assert counts_from(3, unsettled) == {"ERROR": 1, "REBOOT": 1, "SHUTOFF": 1, "SOFT_DELETED": 1}
    # read at once, not at the same instant: one started meanwhile never makes ACTIVE negative
    assert counts_from(2, unsettled) == {"ERROR": 1, "REBOOT": 1, "SHUTOFF": 1, "SOFT_DELETED": 1}
    assert counts_from(0, {}) == {} and counts_from(None, {}) == {}
