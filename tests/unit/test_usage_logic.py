"""Pure logic of the usage reports: pages summed per project, hours split per day, date ranges."""

from datetime import UTC, date, datetime

from dashboard.cloud.usage import ProjectUsage, ServerUsage, _next_marker, daily_vcpu_hours
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
