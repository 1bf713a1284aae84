"""What a list page weighs: 20 rows under 50 KB of HTML (issue #31), every list, and the rows'
actions menus printed once per page for each set of actions (dashboard.ui.actions.ActionLinks).

Each list is rendered from its own declaration and template, as its view renders it, with 20 rows
of made-up objects of its dataclass as a busy project shows them: the instances in full (one of
three images, a flavor, an address and every third a floating IP, a key pair, four of them shut off), the others
with a name, a status (every fifth another one) and a creation time. No cloud is involved."""

from __future__ import annotations

import dataclasses
import re
import typing
import uuid
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from dashboard.cloud import instance_actions, instances, volume_actions
from dashboard.cloud.actions import Action
from dashboard.cloud.credentials import Credentials
from dashboard.cloud.paging import Page
from dashboard.ui.actions import ActionLinks
from dashboard.ui.lists import Row, Table, list_context
from tests.helpers import row_menu
from tests.unit.test_list_declarations import IDS, PAGE_CONTEXT, TABLES, _value

LIMIT = 50_000  # bytes of HTML for a page of 20 rows
ROWS = 20

# a table's usual status, and the one every fifth row has (another set of actions)
STATUSES = {
    "instances": ("ACTIVE", "SHUTOFF"),
    "all-instances": ("ACTIVE", "SHUTOFF"),
    "volumes": ("available", "in-use"),
    "snapshots": ("available", "error"),
    "backups": ("available", "error"),
    "images": ("active", "deactivated"),
    "networks": ("ACTIVE", "DOWN"),
    "routers": ("ACTIVE", "DOWN"),
    "fips": ("DOWN", "ACTIVE"),
}
CREATED = datetime.now(UTC) - timedelta(days=3, hours=2)
IMAGES = [str(uuid.uuid4()) for _ in range(3)]


def instance(i: int) -> instances.Instance:
    fixed = [instances.Address(f"10.0.0.{10 + i}", "fixed")]
    floating = [instances.Address(f"172.24.4.{100 + i}", "floating")] if i % 3 == 0 else []
    return instances.Instance(
        id=str(uuid.uuid4()),
        name=f"web-server-{i:02d}",
        status="SHUTOFF" if i % 5 == 0 else "ACTIVE",
        key_name="deploy-key",
        availability_zone="nova",
        created_at=CREATED,
        flavor=instances.FlavorInfo("m1.small", 1, 2048, 20),
        image_id=IMAGES[i % len(IMAGES)],
        networks={"private": fixed + floating},
    )


def made_up(table: Table, i: int):
    """Row `i` of `table`: its dataclass with its required fields made up, a name, a status."""
    if table.of is instances.Instance:
        return instance(i)
    if table.of is None:  # a report's row: a dict of its columns' figures
        return {"id": f"r{i}", **{c.name: 1.5 for c in table.columns}, "project_name": "project", "name": f"n{i}"}
    hints = typing.get_type_hints(table.of)
    fields = {f.name: f for f in dataclasses.fields(table.of)}
    values = {
        name: _value(hints[name])
        for name, f in fields.items()
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    }
    key = "id" if "id" in fields else "name"
    values[key] = str(uuid.uuid4())
    if "name" in fields and key != "name":
        values["name"] = f"{table.name}-{i:02d}"
    if "status" in fields and table.name in STATUSES:
        values["status"] = STATUSES[table.name][1 if i % 5 == 0 else 0]
    if "created_at" in fields and hints["created_at"] in (datetime, datetime | None):
        values["created_at"] = CREATED
    return table.of(**values)


def page_html(name: str, table: Table, items: list) -> str:
    """The list page as its view renders it for a cloud administrator (who is offered most)."""
    extra = PAGE_CONTEXT.get(name, dict)()
    url_args = extra.pop("url_args", ())
    request = RequestFactory().get(reverse(table.url_name, args=url_args))
    request.keystone = Credentials(
        user_id="u1",
        username="admin",
        project_id="p1",
        project_name="admin",
        projects=({"id": "p1", "name": "admin"}, {"id": "p2", "name": "demo"}),
        roles=("admin", "member"),
    )
    row_extra = None
    if table.name == "instances":  # the page's bulk actions (instances.views.instance_list)
        extra["bulk_actions"] = [instance_actions.ACTIONS[name] for name in instance_actions.BULK]
    if table.name == "volumes":  # volumes.views.volume_list
        extra["bulk_actions"] = [volume_actions.ACTIONS[name] for name in volume_actions.BULK]
    context = list_context(request, table, table.params(request), Page(items), url_args, row_extra)
    context.update(extra)
    with translation.override("en"):
        return render_to_string(table.template, context, request=request)


@pytest.mark.parametrize(("name", "table"), TABLES, ids=IDS)
def test_a_page_of_twenty_rows_weighs_less_than_50_kb(name, table):
    html = page_html(name, table, [made_up(table, i) for i in range(ROWS)])
    body = html[html.index("<tbody") : html.index("</tbody>")]
    assert body.count("<tr") == ROWS
    weight = len(html.encode())
    assert weight < LIMIT, f"{name}: {weight} bytes for {ROWS} rows"


def test_the_instances_rows_name_their_menu_rather_than_print_it():
    table = dict(TABLES)["instances.INSTANCES"]
    html = page_html("instances.INSTANCES", table, [instance(i) for i in range(ROWS)])
    rows = re.findall(r"<tr id=.*?</tr>", html, re.S)
    assert len(rows) == ROWS
    assert all('data-action="' not in row and "data-row-menu=" in row for row in rows)
    # running and stopped instances: one menu of all their actions, each action printed once
    assert html.count('data-action="delete"') == 1 and html.count('data-action="start"') == 1
    assert html.count("<template ") == 3  # the menu, and which of its actions each set keeps


# --- the menus a list's rows name ------------------------------------------------------------------

SERVER = "0b7e3d9c-5a7f-4a26-9f59-2d7d2f1e8c11"
OTHER = "6f1c2a44-1b0e-4c3e-8d7a-9a6e0c5d4b22"
STOP = Action("stop", "Stop", "stop-fill", confirm="Stop this instance?")
START = Action("start", "Start", "play-fill")
RENAME = Action("rename", "Rename", "pencil", form=True)
DELETE = Action("delete", "Delete", "trash", danger=True)


def row(obj_id: str, name, actions, busy="", back="/project/instances/?sort=name") -> Row:
    return Row(obj=SimpleNamespace(id=obj_id, name=name), actions=actions, busy=busy, back=back)


def templates_of(html: str) -> dict[str, dict]:
    """The <template>s a list printed, by number: their attributes and content."""
    found = {}
    for attrs, content in re.findall(r"<template ([^>]*)>(.*?)</template>", html, re.S):
        a = dict(re.findall(r'([\w-]+)="([^"]*)"', attrs))
        found[a["data-row-menu"]] = {**a, "content": content}
    return found


def test_a_rows_copied_menu_is_the_menu_it_would_print_alone():
    rows = [
        row(SERVER, '<a "b" & c>', [STOP, RENAME, DELETE]),
        row(OTHER, "web", [STOP, RENAME, DELETE]),
        row(OTHER.upper(), None, [START, RENAME, DELETE]),
        row(SERVER.replace("0b", "1c"), "busy", [], busy="Rebooting"),
    ]
    shared = ActionLinks("instances:action", "instances", shared=True)
    alone = ActionLinks("instances:action", "instances")
    with translation.override("en"):
        buttons = [str(shared.menu(r)) for r in rows]
        # what the list prints: each row's button in its <tr data-id>, then the templates
        page = "".join(f'<tr data-id="{r.obj.id}"><td>{b}</td></tr>' for r, b in zip(rows, buttons, strict=True))
        page += str(shared.templates())
        for r, button in zip(rows, buttons, strict=True):
            assert "dropdown-menu" not in button and 'data-testid="actions-menu"' in button
            whole = str(alone.menu(r))
            assert row_menu(page, r.obj.id) == whole[whole.index("<ul") : whole.rindex("</ul>") + 5]
    assert f"/{OTHER.upper()}/action/start/" in row_menu(page, OTHER.upper())
    assert "No action possible while rebooting." in row_menu(page, rows[3].obj.id)
    # stop/rename/delete and start/rename/delete: one menu of the four; the busy row's alone
    templates = templates_of(page)
    kept = [t.get("data-actions") for t in templates.values()]
    assert kept == [None, "stop rename delete", "start rename delete", None]
    assert templates["all0"]["content"].count("<li>") == 4


def test_menus_are_named_not_printed_only_on_a_list_page():
    # a live row is fetched alone, without the list's templates: it prints its whole menu
    alone = ActionLinks("instances:action", "instances")
    with translation.override("en"):
        html = str(alone.menu(row(SERVER, "web", [STOP])))
        assert 'data-action="stop"' in html and "data-row-menu" not in html
        assert str(alone.templates()) == ""


def test_a_menu_whose_sets_disagree_on_order_is_printed_per_set():
    a, b = [STOP, START, DELETE], [START, STOP, DELETE]
    shared = ActionLinks("instances:action", "instances", shared=True)
    with translation.override("en"):
        for r in (row(SERVER, "x", a), row(OTHER, "y", b)):
            shared.menu(r)
        templates = templates_of(str(shared.templates()))
    assert sorted(templates) == ["0", "1"] and all("data-row-menu-of" not in t for t in templates.values())
