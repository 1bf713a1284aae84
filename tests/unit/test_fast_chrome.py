"""A list's filters, column headers and pager printed from Python (the kit's filter_form,
sort_headers, pager) against the templates they replace (ui/_filter_form.html, _sort_headers.html,
_pager.html as they were), element for element, in English and French, with values that need
escaping, filtered or not, on a first, middle and last page."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from dashboard.cloud.paging import Page
from dashboard.ui.lists import Column, Filter, ListSpec, list_context
from tests.unit.test_fast_fields import Tokens

FILTER_TEMPLATE = Template(
    """{% load i18n %}<form class="row g-2 align-items-end mb-3 list-filter" method="get" action="{{ list.clear_url }}" id="{{ form_id|default:'filter-form' }}">
  {% for f in list.fields %}
  <div class="col-auto"><label class="form-label small mb-0" for="f-{{ f.name }}">{{ f.label }}</label>
    {% if f.choices is None %}
    <input class="form-control form-control-sm" id="f-{{ f.name }}" type="search" name="{{ f.name }}" value="{{ f.value }}" maxlength="{{ f.max_length }}">
    {% else %}
    <select class="form-select form-select-sm" id="f-{{ f.name }}" name="{{ f.name }}">
      <option value="">{{ f.any }}</option>
      {% for value, label in f.choices %}<option value="{{ value }}"{% if value == f.value %} selected{% endif %}>{{ label }}</option>{% endfor %}
    </select>
    {% endif %}
  </div>
  {% endfor %}
  <div class="col-auto"><label class="form-label small mb-0" for="f-limit">{% translate "Per page" %}</label>
    <select class="form-select form-select-sm" id="f-limit" name="limit">
      {% for n in list.page_sizes %}<option value="{{ n }}"{% if n == list.params.limit %} selected{% endif %}>{{ n }}</option>{% endfor %}
    </select></div>
  <input type="hidden" name="sort" value="{{ list.params.sort }}"><input type="hidden" name="dir" value="{{ list.params.direction }}">
  <div class="col-auto"><button class="btn btn-sm btn-outline-primary" type="submit"><i class="bi bi-funnel"></i> {% translate "Filter" %}</button>
    {% if list.filtered %}<a class="btn btn-sm btn-link" href="{{ list.clear_url }}">{% translate "Clear" %}</a>{% endif %}</div>
</form>"""  # noqa: E501 - the template as it was
)
HEADERS_TEMPLATE = Template(
    """{% for h in list.headers %}<th{% if h.css %} class="{{ h.css }}"{% endif %}>{% if h.sort %}<a href="{{ h.url }}" data-sort="{{ h.sort }}">{{ h.label }}</a>{% if h.active %} <i class="bi bi-caret-{% if h.up %}up{% else %}down{% endif %}-fill"></i>{% endif %}{% else %}{{ h.label }}{% endif %}</th>{% endfor %}"""  # noqa: E501
)
PAGER_TEMPLATE = Template(
    """{% load i18n %}{% if list.first_url or list.prev_url or list.next_url %}
<nav aria-label="{% translate 'Pages' %}" class="d-flex gap-2">
  {% if list.first_url %}<a class="btn btn-sm btn-outline-secondary" href="{{ list.first_url }}" data-testid="first-page">{% translate "« First page" %}</a>{% endif %}
  {% if list.prev_url %}<a class="btn btn-sm btn-outline-secondary" href="{{ list.prev_url }}" rel="prev" data-testid="prev-page">{% translate "‹ Previous" %}</a>{% endif %}
  {% if list.next_url %}<a class="btn btn-sm btn-outline-secondary" href="{{ list.next_url }}" rel="next" data-testid="next-page">{% translate "Next ›" %}</a>{% endif %}
</nav>
{% endif %}"""  # noqa: E501
)
TAGS = {
    "filter": Template("{% load zenith_kit %}{% filter_form %}"),
    "filter with id": Template('{% load zenith_kit %}{% filter_form form_id="all-instances-filter" %}'),
    "headers": Template("{% load zenith_kit %}{% sort_headers %}"),
    "pager": Template("{% load zenith_kit %}{% pager %}"),
}
SPEC = ListSpec(
    url_name="volumes:list",
    sorts=("name", "created_at", "size"),
    default_sort="created_at",
    filters=(
        Filter("name", "Name <exact>"),
        Filter("status", "Status", choices=(("available", "Available & free"), ("in-use", "In use")), any_label="Any"),
        Filter("zone", "Zone", choices=(("nova", "nova"),), any_label="All <zones>"),
    ),
)
COLUMNS = [
    Column("Name", "name", first_direction="asc"),
    Column("Size <GiB>", "size", css="text-end"),
    Column("Age", "created_at", inverted=True),
    Column("Actions", css="text-end"),
]
QUERIES = {
    "plain": "",
    "filtered": "name=a%22b%3Cc%3E%26&status=in-use&limit=50",
    "sorted by name": "sort=name&dir=asc&limit=77",
    "sorted by age, paged": "sort=created_at&dir=asc&marker=5e6f",
}
PAGES = {
    "single": Page([]),
    "first of many": Page([], next_marker="3f2a"),
    "middle": Page([], next_marker="9c1d", prev_before="77ab"),
    "last": Page([], prev_before="77ab"),
}


@pytest.fixture(params=["en", "fr"])
def language(request):
    with translation.override(request.param):
        yield request.param


@pytest.mark.parametrize("page", PAGES, ids=str)
@pytest.mark.parametrize("query", QUERIES, ids=str)
def test_the_list_chrome_prints_what_its_templates_printed(query, page, language):
    request = RequestFactory().get("/project/volumes/?" + QUERIES[query])
    context = list_context(request, SPEC, SPEC.params(request), PAGES[page], COLUMNS)
    for name, slow in (
        ("filter", FILTER_TEMPLATE),
        ("headers", HEADERS_TEMPLATE),
        ("pager", PAGER_TEMPLATE),
    ):
        fast = TAGS[name].render(Context(context))
        assert Tokens(fast).tokens == Tokens(slow.render(Context(context))).tokens, name
        assert "<exact>" not in fast and "<GiB>" not in fast and "<zones>" not in fast and 'a"b' not in fast
    with_id = TAGS["filter with id"].render(Context(context))
    assert (
        Tokens(with_id).tokens
        == Tokens(FILTER_TEMPLATE.render(Context({**context, "form_id": "all-instances-filter"}))).tokens
    )


def test_the_chrome_shows_what_the_list_is_at():
    request = RequestFactory().get("/project/volumes/?status=in-use&sort=name&dir=asc&marker=77aa")
    context = Context(list_context(request, SPEC, SPEC.params(request), PAGES["middle"], COLUMNS))
    with translation.override("en"):
        form, headers, pager = (TAGS[n].render(context) for n in ("filter", "headers", "pager"))
    assert '<option value="in-use" selected>In use</option>' in form and ">Clear</a>" in form
    assert 'data-sort="name">Name</a> <i class="bi bi-caret-up-fill">' in headers
    assert 'rel="prev"' in pager and 'rel="next"' in pager and "first-page" in pager
    with translation.override("fr"):
        assert "Par page" in TAGS["filter"].render(context)
