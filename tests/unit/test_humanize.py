"""When, how long ago, how big and how many hours (dashboard/ui/humanize.py, the Jinja2 filters
`when`, `day`, `since`, `size` and `floatformat`): one date format and one date-time format per
language, from a datetime or the cloud's ISO text; how long ago and how many hours as Django's
timesince and floatformat say them, in English and French, in UTC and another time zone, across
month ends; sizes in binary units with each language's symbols (Kio, Mio, Gio in French)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.template.defaultfilters import floatformat
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.timesince import timesince

from dashboard.ui.humanize import day, decimals, moment, since, size, when
from dashboard.ui.jinja import environment, macros


@pytest.fixture(params=["en", "fr"])
def language(request):
    with translation.override(request.param):
        yield request.param


@pytest.fixture(params=["UTC", "America/St_Johns"])
def zone(request):
    with timezone.override(request.param):
        yield request.param


def test_since_says_how_long_ago_in_the_active_language():
    now = timezone.now()
    with translation.override("en"):
        assert since(now - timedelta(days=2, hours=5)) == "2\xa0days, 5\xa0hours"
    with translation.override("fr"):
        assert since(now - timedelta(days=2, hours=5)) == "2\xa0jours, 5\xa0heures"


SPANS = [
    timedelta(0),
    timedelta(seconds=1),
    timedelta(seconds=59, microseconds=999999),
    timedelta(seconds=60),
    timedelta(minutes=59, seconds=59),
    timedelta(hours=1),
    timedelta(hours=1, minutes=1),
    timedelta(hours=25),
    timedelta(days=1, minutes=5),  # days then minutes: a zero hour between stops at the days
    timedelta(days=6, hours=23, minutes=59, seconds=59),
    timedelta(days=7),
    timedelta(days=8, hours=2),
    timedelta(days=14, minutes=3),
    timedelta(days=26, hours=23, minutes=59, seconds=59, microseconds=999999),
    timedelta(days=27),
    timedelta(days=28),
    timedelta(days=29, hours=1),
    timedelta(days=31),
    timedelta(days=370),
    -timedelta(seconds=1),
    -timedelta(days=3),
]


@pytest.mark.parametrize("span", SPANS, ids=str)
@pytest.mark.parametrize("aware", [True, False], ids=["aware", "naive"])
def test_since_says_what_timesince_says(span, aware, language, zone):
    now = timezone.localtime() if aware else datetime(2025, 3, 30, 2, 30)  # a DST change in Europe
    value = now - span
    assert since(value, now=now) == timesince(value, now=now)
    assert since(value, language, now=now) == timesince(value, now=now)


@pytest.mark.parametrize("month_end", [datetime(2024, 1, 31, 22, 30), datetime(2025, 2, 28, 12, 0)], ids=str)
@pytest.mark.parametrize("days", [26, 27, 28, 29, 30, 31])
def test_since_across_a_month_end_says_what_timesince_says(month_end, days, language):
    # the calendar steps: at most 27 days back the words are worked out from the seconds alone
    for value in (month_end, month_end.replace(tzinfo=UTC), month_end.replace(tzinfo=ZoneInfo("America/St_Johns"))):
        now = value + timedelta(days=days, seconds=1)
        assert since(value, now=now) == timesince(value, now=now)


def test_since_counts_up_to_now_by_default(language):
    assert since(timezone.now() - timedelta(days=2, hours=3, seconds=20)) == timesince(
        timezone.now() - timedelta(days=2, hours=3, seconds=20)
    )


# (bytes, English, French): binary units, one decimal unless whole, French symbols
SIZES = [
    (0, "0\xa0bytes", "0\xa0octet"),
    (1, "1\xa0byte", "1\xa0octet"),
    (1023, "1023\xa0bytes", "1023\xa0octets"),
    (1024, "1\xa0KiB", "1\xa0Kio"),
    (1536, "1.5\xa0KiB", "1,5\xa0Kio"),
    (1024**2 - 1, "1024\xa0KiB", "1024\xa0Kio"),
    (1024**2, "1\xa0MiB", "1\xa0Mio"),
    (8_000_000, "7.6\xa0MiB", "7,6\xa0Mio"),
    (1024**3, "1\xa0GiB", "1\xa0Gio"),
    (5 * 1024**3 + 12345, "5\xa0GiB", "5\xa0Gio"),
    (3 * 1024**4 + 7, "3\xa0TiB", "3\xa0Tio"),
    (4000 * 1024**5, "4000\xa0PiB", "4000\xa0Pio"),
    (-2048, "-2\xa0KiB", "-2\xa0Kio"),
]


@pytest.mark.parametrize(("value", "english", "french"), SIZES, ids=[repr(v) for v, _e, _f in SIZES])
def test_size_says_binary_units_in_the_languages_symbols(value, english, french):
    with translation.override("en"):
        assert size(value) == english
        assert str(environment().from_string("{{ v|size }}").render(v=value)) == escape(english)
    with translation.override("fr"):
        assert size(value) == french
        assert size(value, "fr") == french


def test_size_of_a_quantity_in_a_unit():
    """What the cloud counts in MiB (Nova's RAM) or GiB (Cinder's volumes) said in the same words."""
    with translation.override("fr"):
        assert size(8, unit="GiB") == "8\xa0Gio"
        assert size(4096, unit="MiB") == "4\xa0Gio"
        assert size(0, unit="MiB") == "0\xa0Mio"  # a quota's "0 Mio sur 4 Gio", not "0 octet"
        assert size(1536, unit="MiB") == "1,5\xa0Gio"
    with translation.override("en"):
        assert size(0, unit="GiB") == "0\xa0GiB"
        assert size(2048, unit="KiB") == "2\xa0MiB"


def test_size_of_no_number(language):
    assert size(None) == size("") == size(True) == ""
    assert size("x") == "x"
    assert size("2048") == size(2048)
    assert size(3.5) == size(3)


def test_the_size_filter_of_django_templates():
    template = Template('{% load zenith_kit %}{{ n|size }} · {{ g|size:"GiB" }}')
    with translation.override("fr"):
        assert template.render(Context({"n": 8_000_000, "g": 8})) == "7,6\xa0Mio · 8\xa0Gio"


# one way to print a date and one a date with its time, per language, whatever the cloud's text
MOMENTS = [
    datetime(2026, 12, 7, 1, 3, 43, tzinfo=UTC),
    "2026-12-07T01:03:43Z",  # Glance, Nova
    "2026-12-07T01:03:43.000000",  # Cinder: no zone, UTC
    "2026-12-07T01:03:43+00:00",
]


@pytest.mark.parametrize("value", MOMENTS, ids=repr)
def test_when_prints_one_format_per_language(value):
    with timezone.override("UTC"):
        with translation.override("en"):
            assert when(value) == "7 Dec 2026, 01:03 UTC"
            assert day(value) == "7 Dec 2026"
        with translation.override("fr"):
            assert when(value) == "7 décembre 2026, 01:03 UTC"
            assert day(value) == "7 décembre 2026"


def test_when_follows_the_time_zone_and_says_it():
    with timezone.override("Europe/Paris"), translation.override("fr"):
        assert when("2026-12-07T23:30:00Z") == "8 décembre 2026, 00:30 CET"


def test_the_first_of_a_month_is_an_ordinal_in_french():
    with timezone.override("UTC"):
        with translation.override("fr"):
            assert day("2026-12-01T10:00:00Z") == "1er décembre 2026"
            assert when("2027-01-01T00:05:00Z") == "1er janvier 2027, 00:05 UTC"
            assert day("2026-12-11T10:00:00Z") == "11 décembre 2026"  # only the day itself
        with translation.override("en"):
            assert day("2026-12-01T10:00:00Z") == "1 Dec 2026"


def test_when_of_nothing_or_not_a_time():
    assert when(None) == when("") == when("not a time") == when("2026-13-45T00:00:00") == ""
    assert moment("garbage") is None


def test_djangos_date_formats_are_the_same_one_way():
    """A template asking for Django's short or long format prints the same text as `when`."""
    value = datetime(2026, 12, 7, 1, 3, tzinfo=UTC)
    for language in ("en", "fr"):
        with translation.override(language), timezone.override("UTC"):
            for name in ("DATETIME_FORMAT", "SHORT_DATETIME_FORMAT"):
                assert Template(f'{{{{ t|date:"{name}" }}}}').render(Context({"t": value})) == when(value)
            for name in ("DATE_FORMAT", "SHORT_DATE_FORMAT"):
                assert Template(f'{{{{ t|date:"{name}" }}}}').render(Context({"t": value})) == day(value)


def test_the_age_of_the_clouds_text_is_worked_out():
    """A list's ages read the cloud's ISO text too (an image's or a snapshot's creation)."""
    two_days_ago = timezone.now() - timedelta(days=2, hours=3)
    with translation.override("en"):
        assert since(two_days_ago.strftime("%Y-%m-%dT%H:%M:%S.%f")) == "2\xa0days, 3\xa0hours"
        assert since(two_days_ago.isoformat()) == "2\xa0days, 3\xa0hours"
        printed = str(macros("ui/kit.html").age(two_days_ago.strftime("%Y-%m-%dT%H:%M:%SZ")))
        assert ">2\xa0days, 3\xa0hours<" in printed and 'title="' in printed


FIGURES = [
    0.0,
    -0.0,
    -0.0004,  # rounds to zero: no minus sign
    0.0005,  # half up, on the float's shortest repr
    0.0015,
    2.6745,
    1.0005,
    1234567.8915,
    0.1 + 0.2,
    1e-7,
    123.456789,
    -98.7654,
    7.0,
    1e14 + 0.5,
    1e16,  # beyond the short path: floatformat itself
    float("nan"),
    float("inf"),
]


@pytest.mark.parametrize("value", FIGURES)
@pytest.mark.parametrize("places", [1, 3, 0, -2])
def test_decimals_are_floatformats(language, value, places):
    assert decimals(value, places) == floatformat(value, places)


def test_decimals_of_other_values_are_floatformats(language):
    for value in (3, "2.5", None, "", "x", Decimal("1.23456")):
        assert decimals(value, 3) == floatformat(value, 3)
    assert decimals(2.5, 3) == ("2,500" if language == "fr" else "2.500")


def test_the_jinja2_floatformat_filter(language):
    template = environment().from_string("{{ v|floatformat(3) }}")
    assert template.render(v=1234.56789) == floatformat(1234.56789, 3)
