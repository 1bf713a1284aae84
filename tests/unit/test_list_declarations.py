"""Every list is declared once (dashboard.ui.lists.Table, in its panel's lists.py), and its page and
its JSON API endpoint agree with the declaration: the same filters (and their choices), sort keys,
page sizes and columns. The page is rendered from its own template with the kit's context; the
endpoint's parameters are read from the OpenAPI schema."""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
import typing
from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import RequestFactory
from drf_spectacular.generators import SchemaGenerator

import dashboard.panels
from dashboard.cloud.containers import Container
from dashboard.cloud.credentials import Credentials
from dashboard.cloud.paging import Page
from dashboard.ui.lists import Table, cell_macros, list_context


def _tables() -> list[tuple[str, Table]]:
    found = []
    for info in pkgutil.iter_modules(dashboard.panels.__path__):
        try:
            module = importlib.import_module(f"dashboard.panels.{info.name}.lists")
        except ModuleNotFoundError:
            continue
        found += [(f"{info.name}.{name}", value) for name, value in vars(module).items() if isinstance(value, Table)]
    return found


TABLES = _tables()
IDS = [name for name, _ in TABLES]


def test_every_panel_with_a_list_declares_it():
    panels = {name.split(".")[0] for name in IDS}
    expected = {"instances", "volumes", "images", "network", "containers", "allinstances", "usage", "identity"}
    assert expected | {"hypervisors"} <= panels
    assert len(TABLES) >= 20


# --- the declaration itself ------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "table"), TABLES, ids=IDS)
def test_a_declaration_is_whole(name, table):
    assert table.template and table.url_name, name
    assert table.default_sort in table.sorts, "the default order is one of the columns'"
    assert table.default_limit in table.page_sizes
    assert len({c.name for c in table.columns}) == len(table.columns), "one column per name"
    assert "cells" in cell_macros(table), f"{table.cells} prints a row's cells with its cells(row) macro"
    if table.live:
        assert table.row_url_name, "live rows are re-read from a row view"


# --- the page -------------------------------------------------------------------------------------


class Page_(HTMLParser):
    """What a list page shows of its list: the filter form's fields, the page sizes, the headers
    and their sort links, the rows' cells and the empty row's span."""

    def __init__(self, html: str, table: Table):
        super().__init__(convert_charrefs=True)
        self.table_id = f"{table.name}-table"
        self.stack: list[str] = []
        self.in_filter = self.in_table = self.in_head = self.in_limit = False
        self.select = ""
        self.fields: set[str] = set()
        self.options: dict[str, list[str]] = {}
        self.headers = 0
        self.sorts: list[str] = []
        self.rows: list[int] = []
        self.colspans: list[int] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("method") == "get":  # the kit's filters, or a report's period
            self.in_filter = True
        if self.in_filter and tag in ("input", "select") and a.get("name"):
            self.fields.add(a["name"])
            if tag == "select":
                self.select = a["name"]
                self.options[self.select] = []
        if self.in_filter and tag == "option" and self.select:
            self.options[self.select].append(a.get("value", ""))
        if tag == "table" and a.get("id") == self.table_id:
            self.in_table = True
        if self.in_table and tag == "thead":
            self.in_head = True
        if self.in_head and tag == "th":
            self.headers += 1
        if self.in_head and tag == "a" and a.get("data-sort"):
            self.sorts.append(a["data-sort"])
        if self.in_table and not self.in_head and tag == "tr":
            self.rows.append(0)
        if self.in_table and not self.in_head and tag == "td" and self.rows:
            self.rows[-1] += 1
            if a.get("colspan"):
                self.colspans.append(int(a["colspan"]))

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_filter = False
        if tag == "select":
            self.select = ""
        if tag == "thead":
            self.in_head = False
        if tag == "table":
            self.in_table = False


def _value(hint):
    origin = typing.get_origin(hint)
    if hint is str or hint == "str":
        return "x"
    if hint is bool:
        return False
    if hint is int:
        return 1
    if origin in (list, dict):
        return origin()
    if hint is datetime:
        return datetime(2026, 1, 2, 3, 4, tzinfo=UTC)
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    return _value(args[0]) if args else None


def sample(table: Table):
    """One row's object: the table's dataclass with every field it requires made up."""
    if table.of is None:  # a report's row: a dict of its columns' figures
        return {"id": "r1", **{c.name: 1.5 for c in table.columns}, "project_name": "p", "name": "n"}
    hints = typing.get_type_hints(table.of)
    needed = {
        f.name: _value(hints[f.name])
        for f in dataclasses.fields(table.of)
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    }
    needed["id" if "id" in needed else "name"] = "0b7e3d9c-5a7f-4a26-9f59-2d7d2f1e8c11"
    return table.of(**needed)


# what a page's template shows besides its list (its view's context), where it needs some
PAGE_CONTEXT = {
    "containers.OBJECTS": lambda: {
        "container": sample(Table("c", "containers:list", (), of=Container)),
        "url_args": ("photos",),
    },
    "usage.ADMIN_REPORT": lambda: {"rows": []},
    "usage.PROJECT_REPORT": lambda: {"rows": [], "totals": {}},
}


def page(name: str, table: Table, items: list) -> Page_:
    extra = PAGE_CONTEXT.get(name, dict)()
    url_args = extra.pop("url_args", ())
    request = RequestFactory().get("/")
    request.keystone = Credentials(
        user_id="u1", project_id="p1", projects=({"id": "p1", "name": "p"},), roles=("admin",)
    )
    context = list_context(request, table, table.params(request), Page(items), url_args=url_args)
    context.update(extra)
    return Page_(render_to_string(table.template, context, request=request), table)


@pytest.mark.parametrize(("name", "table"), TABLES, ids=IDS)
def test_the_page_shows_the_declared_filters_sorts_and_page_sizes(name, table):
    shown = page(name, table, [])
    if table.paged:
        assert shown.fields == {f.name for f in table.filters} | {"limit", "sort", "dir"}
        assert shown.options["limit"] == [str(n) for n in sorted(table.page_sizes)]
    else:  # a report: its period form, no page size
        assert {f.name for f in table.filters} <= shown.fields and "limit" not in shown.fields
    for f in table.filters:
        if f.choices is not None:
            assert shown.options[f.name] == ["", *(value for value, _label in f.choices)], f.name
    assert shown.sorts == list(table.sorts)
    assert shown.headers == table.colspan
    assert shown.colspans == [table.colspan], "the empty row spans the table"


@pytest.mark.parametrize(("name", "table"), TABLES, ids=IDS)
def test_a_row_has_a_cell_per_declared_column(name, table):
    shown = page(name, table, [sample(table)])
    assert shown.rows[:1] == [table.colspan]


# --- the JSON API ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


@pytest.mark.parametrize(("name", "table"), [(n, t) for n, t in TABLES if t.api], ids=[n for n, t in TABLES if t.api])
def test_the_api_endpoint_takes_the_declared_query(name, table, schema):
    path = "/api/v1/" + table.api
    assert path in schema["paths"], f"no endpoint {path}"
    parameters = {p["name"]: p for p in schema["paths"][path]["get"]["parameters"] if p["in"] == "query"}
    own = {"folder"} if table.name == "objects" else set()  # a folder's list names the folder too
    assert set(parameters) - own == {f.name for f in table.filters} | {"sort", "dir", "limit", "marker"}
    for f in table.filters:
        if f.choices is not None:
            enum = [value for value in parameters[f.name]["schema"]["enum"] if value]  # "" (any) aside
            assert enum == [value for value, _label in f.choices], f.name
    assert parameters["sort"]["schema"]["enum"] == list(table.sorts)
    assert parameters["sort"]["schema"]["default"] == table.default_sort
    assert parameters["dir"]["schema"]["default"] == table.default_direction
    limit = parameters["limit"]["schema"]
    assert (limit["maximum"], limit["default"]) == (settings.API_PAGE_MAX, table.default_limit)
