"""Rows printed from Python against the template markup they stand for: the kit's `age` (a time as
lists show it) and a container folder's `entry_rows`, byte for byte, in English and French, in UTC and
another time zone, with values that need escaping."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.timesince import timesince

from dashboard.cloud.actions import Action
from dashboard.cloud.objects import Entry
from dashboard.panels.containers.templatetags.containers_rows import entry_row, entry_rows
from dashboard.ui.templatetags.zenith_kit import age_html, since, size
from tests.unit.test_fast_fields import Tokens

NOW = timezone.now()
AGES = [
    timedelta(0),
    timedelta(seconds=59),
    timedelta(minutes=1),
    timedelta(minutes=61),
    timedelta(hours=23, minutes=59),
    timedelta(days=1, hours=3),
    timedelta(days=13),
    timedelta(days=40, hours=5),
    timedelta(days=400),
    timedelta(days=3 * 365 + 100),
    -timedelta(hours=2),  # a clock ahead of ours: "0 minutes"
]
VALUES = [NOW - age for age in AGES] + [
    datetime(2024, 2, 29, 23, 59, 59, 999999, tzinfo=UTC),
    datetime(2025, 1, 31, 12, 0),  # naive
    date(2024, 12, 25),
    None,
    "",
]
# what the rows printed as included templates
AGE_TEMPLATE = Template("{% if v %}<span title=\"{{ v|date:'c' }}\">{{ v|timesince }}</span>{% endif %}")
ENTRY_TEMPLATE = Template(
    """{% load i18n %}<tr data-id="{{ row.entry.name }}" class="{% if row.entry.folder %}folder-row{% else %}object-row{% endif %}">
  <td><input class="form-check-input row-select" type="checkbox" name="names" value="{{ row.entry.name }}" form="bulk-form" aria-label="{% blocktranslate with name=row.entry.label %}Select {{ name }}{% endblocktranslate %}">{% if row.entry.large %}<input type="hidden" name="large" value="{{ row.entry.name }}" form="bulk-form">{% endif %}</td>
  <td>{% if row.entry.folder %}<a class="fw-medium folder-name" href="{{ row.url }}"><i class="bi bi-folder"></i> {{ row.entry.label }}</a>{% else %}<a class="fw-medium object-name" href="{{ row.url }}"><i class="bi bi-file-earmark"></i> {{ row.entry.label }}</a>{% endif %}</td>
  <td class="text-end">{% if not row.entry.folder %}{{ row.entry.bytes|filesizeformat }}{% endif %}</td>
  <td class="small">{% if row.entry.folder %}{% translate "Folder" %}{% else %}{{ row.entry.content_type }}{% endif %}</td>
  <td>{% if row.entry.last_modified %}<span title="{{ row.entry.last_modified|date:'c' }}">{{ row.entry.last_modified|timesince }}</span>{% endif %}</td>
  <td class="text-end text-nowrap">{% if row.download_url %}<a class="btn btn-sm btn-outline-secondary" href="{{ row.download_url }}" download data-testid="download"><i class="bi bi-download"></i><span class="visually-hidden">{% translate "Download" %}</span></a>{% endif %}
    <a class="btn btn-sm btn-outline-secondary" href="{{ row.url }}">{% if row.entry.folder %}{% translate "Open" %}{% else %}{% translate "Details" %}{% endif %}</a></td>
</tr>"""  # noqa: E501 - the template as it was
)


@pytest.fixture(params=["en", "fr"])
def language(request):
    with translation.override(request.param):
        yield request.param


@pytest.fixture(params=["UTC", "America/St_Johns"])
def zone(request):
    with timezone.override(request.param):
        yield request.param


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_age_prints_what_the_template_printed(value, language, zone):
    assert age_html(value) == AGE_TEMPLATE.render(Context({"v": value}))


def test_age_says_how_long_ago_in_the_active_language():
    two_days = NOW - timedelta(days=2, hours=5)
    with translation.override("en"):
        assert since(two_days) == "2\xa0days, 5\xa0hours"
        assert since(NOW - timedelta(days=1)) == "1\xa0day"
    with translation.override("fr"):
        assert since(two_days) == "2\xa0jours, 5\xa0heures"
        assert since(NOW - timedelta(days=1)) == "1\xa0jour"


ENTRIES = [
    {"entry": Entry("docs/", folder=True), "url": "/project/containers/c/b/f/docs/", "download_url": ""},
    {
        "entry": Entry(
            "a <b>&\"'.txt", bytes=1536, content_type="text/plain; <x>", last_modified=NOW - timedelta(minutes=7)
        ),
        "url": "/project/containers/c/b/object/?name=a+%3Cb%3E%26%22%27.txt",
        "download_url": "/project/containers/c/b/download/?name=a+%3Cb%3E%26%22%27.txt",
    },
    {
        "entry": Entry("big.iso", bytes=5 * 1024**3, large=True, last_modified=NOW - timedelta(days=3)),
        "url": "/o?name=big.iso",
        "download_url": "/d?name=big.iso",
    },
    {"entry": Entry("dir/empty", bytes=0), "url": "/o?name=dir%2Fempty", "download_url": "/d?name=dir%2Fempty"},
]


@pytest.mark.parametrize("row", ENTRIES, ids=lambda r: r["entry"].name)
def test_a_folder_row_prints_what_its_template_printed(row, language, zone):
    assert entry_row(row) == ENTRY_TEMPLATE.render(Context({"row": row}))


def test_a_folders_rows_print_what_the_template_printed_row_by_row(language, zone):
    assert entry_rows(ENTRIES) == "\n  ".join(ENTRY_TEMPLATE.render(Context({"row": row})) for row in ENTRIES)


# --- a detail page's action buttons (the kit's ui/_action_buttons.html, as it was) ------------------

BUTTONS_TEMPLATE = Template(
    """{% load i18n %}
<div class="d-flex flex-wrap gap-1 mb-3" id="{{ buttons_id|default:'object-actions' }}" data-testid="{{ buttons_id|default:'object-actions' }}">
  {% for a in actions %}
  {% if a.form %}{% with url_name=form_ns|add:":"|add:a.name %}
  <a class="btn btn-sm btn-outline-{% if a.danger %}danger{% else %}secondary{% endif %}" href="{% url url_name obj.id %}" data-action="{{ a.name }}"><i class="bi bi-{{ a.icon }}"></i> {{ a.label }}</a>
  {% endwith %}{% else %}
  <button type="submit" form="object-action" formaction="{% url action_url obj.id a.name %}?next={{ back|urlencode }}" name="name" value="{{ obj.name }}" class="btn btn-sm btn-outline-{% if a.danger %}danger{% else %}secondary{% endif %}" data-action="{{ a.name }}"{% if a.confirm %} data-confirm="{{ a.confirm }}"{% endif %}><i class="bi bi-{{ a.icon }}"></i> {{ a.label }}</button>
  {% endif %}
  {% empty %}
  <span class="text-body-secondary small">{% if busy %}{% blocktranslate with state=busy|lower %}No action is possible while it is {{ state }}.{% endblocktranslate %}{% else %}{% translate "No action is possible." %}{% endif %}</span>
  {% endfor %}
</div>"""  # noqa: E501 - the template as it was
)
BUTTONS_TAG = Template(
    '{% load zenith_kit %}{% action_buttons obj=obj action_url="instances:action" form_ns="instances"'
    " buttons_id=buttons_id %}"
)
SERVER = SimpleNamespace(id="0b7e3d9c-5a7f-4a26-9f59-2d7d2f1e8c11", name='web <1> & "two"')
ACTIONS = [
    Action("reboot", "Reboot", "arrow-repeat", confirm='Reboot "it" <now>?'),
    Action("resize", "Resize", "arrows-angle-expand", form=True),
    Action("delete", "Delete", "trash", danger=True, confirm="Delete?"),
    Action("rebuild", "Rebuild", "hammer", form=True, danger=True),
]


@pytest.mark.parametrize(
    "given",
    [
        {"actions": ACTIONS, "back": "/project/instances/?page=2&sort=name é", "buttons_id": "instance-actions"},
        {"actions": ACTIONS[:1], "back": ""},
        {"actions": [], "busy": "Rebooting"},
        {"actions": [], "busy": ""},
    ],
    ids=["four", "one, no back", "busy", "none"],
)
def test_action_buttons_print_what_their_template_printed(given, language):
    context = {"obj": SERVER, "action_url": "instances:action", "form_ns": "instances", "buttons_id": "", **given}
    fast = BUTTONS_TAG.render(Context(context))
    assert Tokens(fast).tokens == Tokens(BUTTONS_TEMPLATE.render(Context(context))).tokens
    assert "<1>" not in fast


# --- the kit's `since` and `size` against Django's timesince and filesizeformat ----------------------

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


SIZES = [0, 1, 2, 999, 1023, 1024, 1025, 1536, 10 * 1024 - 1, 1000 * 1024 - 52, 1000 * 1024, 1024**2 - 1]
SIZES += [1024**2, 5 * 1024**2 + 12345, 1024**3 - 1, 1024**3, 5 * 1024**3, 1024**4 * 3 + 7, 1024**5, 1024**5 * 4000]
SIZES += [-1, -2048, None, "", "12", 3.5, True]


@pytest.mark.parametrize("value", SIZES, ids=repr)
def test_size_says_what_filesizeformat_says(value, language):
    assert size(value) == filesizeformat(value)
    assert size(value, language) == filesizeformat(value)
    rendered = Template("{% load zenith_kit %}{{ v|size }}").render(Context({"v": value}))
    assert rendered == Template("{{ v|filesizeformat }}").render(Context({"v": value}))


def test_size_uses_the_languages_decimal_separator():
    with translation.override("fr"):
        assert size(1536) == "1,5\xa0Kio"
    with translation.override("en"):
        assert size(1536) == "1.5\xa0KB"
