"""Rows printed from Python against the template markup they stand for: the kit's `age` (a time as
lists show it) and a container folder's `entry_row`, byte for byte, in English and French, in UTC and
another time zone, with values that need escaping."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from dashboard.cloud.objects import Entry
from dashboard.panels.containers.templatetags.containers_rows import entry_row
from dashboard.ui.templatetags.zenith_kit import age_html, since

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
