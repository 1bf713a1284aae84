"""The networks list's rows and Neutron's status badge printed from Python (network_rows) against
the templates they replace (network/_network_row.html and network/_status.html as they were), in
English and French, with values that need escaping, with and without actions."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation

from dashboard.cloud import networks
from dashboard.cloud.networks import NetworkInfo, Subnet
from tests.unit.test_fast_fields import Tokens

# what the rows printed as included templates (the status template inlined where it was included)
STATUS = (
    '{% if status == "ACTIVE" %}{% translate "Active" as words %}{% status_badge status=status words=words'
    ' tone="success" %}{% elif status == "DOWN" %}{% translate "Down" as words %}{% status_badge status=status'
    ' words=words tone="secondary" %}{% elif status == "ERROR" %}{% translate "Error" as words %}{% status_badge'
    ' status=status words=words tone="danger" %}{% elif status == "BUILD" %}{% translate "Building" as words %}'
    '{% status_badge status=status words=words tone="warning" %}{% else %}{% status_badge status=status'
    ' words=status|default:"—" tone="info" %}{% endif %}'
)
STATUS_TEMPLATE = Template("{% load i18n zenith_kit %}\n" + STATUS + "\n")
ROW_TEMPLATE = Template(
    """{% load i18n zenith_kit %}<tr id="network-{{ net.id }}" data-id="{{ net.id }}" data-status="{{ net.status }}">
  <td><a href="{% object_url "networks:detail" net.id %}" class="fw-medium network-name">{{ net.name|default:net.id }}</a></td>
  <td class="small">{% for s in net.subnets %}<div><span class="text-body-secondary">{{ s.name|default:"—" }}</span> {{ s.cidr }}</div>{% empty %}—{% endfor %}</td>
  <td>{% if net.shared %}{% translate "Yes" %}{% else %}{% translate "No" %}{% endif %}</td>
  <td>{% if net.external %}{% translate "Yes" %}{% else %}{% translate "No" %}{% endif %}</td>
  <td>{% with status=net.status %}\n"""  # noqa: E501 - the template as it was
    + STATUS
    + """\n{% endwith %}</td>
  <td>{% if net.admin_state_up %}{% translate "Up" %}{% else %}{% translate "Down" %}{% endif %}</td>
  <td class="small">{{ net.availability_zones|join:", "|default:"—" }}</td>
  <td class="text-end">{% if actions %}{% actions_menu obj=net action_url="networks:action" form_ns="networks" %}{% endif %}</td>
</tr>"""  # noqa: E501
)
ROWS_TAG = Template("{% load network_rows %}{% network_rows rows %}")
ROW_TAG = Template("{% load network_rows %}{% network_row net actions back %}")
STATUS_TAG = Template("{% load network_rows %}{% neutron_status status %}")

NETS = [
    NetworkInfo(
        id="5f1c2a8e-0d7b-4c3e-9a51-6b2f0e7d4c19",
        name='lab <net> & "co"',
        status="ACTIVE",
        subnets=[
            Subnet(id="s1", name="", network_id="n", cidr="10.0.0.0/24"),
            Subnet(id="s2", name="v6 <b>", network_id="n", cidr="fd00::/64"),
        ],
        availability_zones=["nova", "zone <2>"],
        project_id="p",
    ),
    NetworkInfo(id="a3b0c9d8-1e2f-4a5b-8c7d-6e5f4a3b2c1d", name="", status="DOWN", admin_state_up=False, shared=True),
    NetworkInfo(id="0e9d8c7b-6a5f-4e3d-2c1b-0a9f8e7d6c5b", name="public", status="BUILD", external=True),
    NetworkInfo(id="plain-id-with-dashes-xyz", name="odd", status="MIGRATING <x>"),
    NetworkInfo(id="1b2c3d4e-5f60-4172-8394-a5b6c7d8e9f0", name="err", status=""),
]
BACK = "/project/networks/?sort=name&dir=desc é"


@pytest.fixture(params=["en", "fr"])
def language(request):
    with translation.override(request.param):
        yield request.param


def _rows(actions):
    return [{"net": net, "actions": actions, "back": BACK} for net in NETS]


@pytest.mark.parametrize("offered", ["all", "none"])
def test_the_rows_print_what_the_row_template_printed(offered, language):
    actions = list(networks.ACTIONS.values()) if offered == "all" else []
    rows = _rows(actions)
    fast = ROWS_TAG.render(Context({"rows": rows}))
    slow = "\n  ".join(ROW_TEMPLATE.render(Context(row)) for row in rows)
    assert Tokens(fast).tokens == Tokens(slow).tokens
    assert fast.count("<tr ") == len(NETS)
    assert "<net>" not in fast and "zone <2>" not in fast and "<x>" not in fast


def test_a_live_row_prints_what_the_row_template_printed(language):
    row = _rows(list(networks.ACTIONS.values()))[0]
    assert Tokens(ROW_TAG.render(Context(row))).tokens == Tokens(ROW_TEMPLATE.render(Context(row))).tokens


@pytest.mark.parametrize("status", ["ACTIVE", "DOWN", "ERROR", "BUILD", "", None, "PENDING_CREATE", "<b>"])
def test_the_status_badge_prints_what_its_template_printed(status, language):
    fast = STATUS_TAG.render(Context({"status": status}))
    assert fast == STATUS_TEMPLATE.render(Context({"status": status})).strip()


def test_the_words_follow_the_language():
    row = {"net": NETS[1], "actions": [], "back": ""}
    with translation.override("fr"):
        french = ROW_TAG.render(Context(row))
    with translation.override("en"):
        english = ROW_TAG.render(Context(row))
    assert ">Yes<" in english and ">Down<" in english
    assert ">Yes<" not in french and ">Oui<" in french


PARTS_TAG = Template("{% load network_rows %}{% subnet_cells found %}")


def test_a_row_whose_subnets_follow_the_page_holds_their_placeholder(language):
    rows = [{"net": NETS[0], "actions": [], "back": BACK, "pending": True}]
    fast = ROWS_TAG.render(Context({"rows": rows}))
    assert f'<div id="subnets-{NETS[0].id}" class="text-body-secondary"' in fast
    assert "10.0.0.0/24" not in fast  # not printed until the part brings it
    # everything else as the row template printed it
    slow = ROW_TEMPLATE.render(Context({**rows[0], "net": NetworkInfo(**{**vars(NETS[0]), "subnets": []})}))
    fast_tokens = [t for t in Tokens(fast).tokens if not (t[0] == "text" and t[1] == "…")]
    assert [t for t in fast_tokens if t[:2] != ("<", "div") and t != ("</", "div")] == [
        t for t in Tokens(slow).tokens if t != ("text", "—")
    ]


def test_the_subnets_part_swaps_each_networks_subnets_into_its_row():
    found = {NETS[0].id: NETS[0].subnets, NETS[1].id: []}
    out = PARTS_TAG.render(Context({"found": found}))
    first, second = out.split("\n")
    assert first.startswith(f'<div id="subnets-{NETS[0].id}" hx-swap-oob="true">')
    assert "10.0.0.0/24" in first and "v6 &lt;b&gt;" in first and "<b>" not in first
    assert second == f'<div id="subnets-{NETS[1].id}" hx-swap-oob="true">—</div>'
