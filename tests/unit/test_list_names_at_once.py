"""Lists that name other services' resources (routers' gateways, floating IPs' pools and instances,
networks' subnets) make those calls at once with their page (ui.rows.list_page's `also`; the
instances list names its images by id after Nova's page, in the same response): the names are in
the page's HTML, no part follows it, and a failing names call leaves the ids and still renders
the list. The cloud functions are faked here (no cloud); the real calls and their
count are tested against the devcloud (tests/integration)."""

import threading

import pytest
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.test import RequestFactory

from dashboard.cloud import CloudError, floatingips, images, instances, networks, quotas, routers, volumes
from dashboard.cloud.credentials import Credentials
from dashboard.cloud.paging import Page
from dashboard.panels.instances import views as instance_views
from dashboard.panels.network import fip_views, router_views
from dashboard.panels.network import views as network_views

ROUTER = "11111111-1111-1111-1111-111111111111"
PUBLIC = "22222222-2222-2222-2222-222222222222"
FIP = "33333333-3333-3333-3333-333333333333"
SERVER = "44444444-4444-4444-4444-444444444444"
IMAGE = "55555555-5555-5555-5555-555555555555"


def page_request(path: str):
    request = RequestFactory().get(path)
    request.keystone = Credentials(
        user_id="u1",
        username="demo",
        project_id="p1",
        project_name="demo",
        projects=({"id": "p1", "name": "demo"},),
        roles=("member",),
    )
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def failing(*args, **kwargs):
    raise CloudError("unavailable", "The service did not answer.")


@pytest.fixture
def no_connection(monkeypatch):
    for module in (router_views, fip_views, instance_views, network_views):
        monkeypatch.setattr(module, "connection", lambda request: object())


@pytest.fixture
def calls():
    """The fakes' calls, by name; `noted(name, answer, at_once=n)` makes the fake wait until `n`
    fakes are running together (a barrier: calls made one after the other would time out)."""
    seen = []
    barriers = {}

    def noted(name, answer, at_once=1):
        barrier = barriers.setdefault(at_once, threading.Barrier(at_once, timeout=5))

        def call(*args, **kwargs):
            seen.append(name)
            barrier.wait()
            return answer(*args, **kwargs) if callable(answer) else answer

        return call

    return seen, noted


def router_page(monkeypatch, noted, names):
    router = routers.Router(id=ROUTER, name="edge", status="ACTIVE", external_network_id=PUBLIC)
    monkeypatch.setattr(routers, "list_routers", noted("routers", lambda *a, **k: Page([router]), 2))
    monkeypatch.setattr(routers, "list_external_network_names", noted("names", names, 2))
    return router_views.router_list(page_request("/project/routers/")).content.decode()


def test_the_routers_list_prints_its_gateways_names_without_a_part(no_connection, calls, monkeypatch):
    seen, noted = calls
    html = router_page(monkeypatch, noted, {PUBLIC: "public"})
    assert f'id="router-network-{ROUTER}">public</a>' in html
    assert 'hx-trigger="load"' not in html
    assert sorted(seen) == ["names", "routers"]  # at once: each waited for the other


def test_a_failing_names_call_leaves_the_routers_gateway_id(no_connection, calls, monkeypatch):
    _seen, noted = calls
    html = router_page(monkeypatch, noted, failing)
    assert "edge" in html and f'title="{PUBLIC}">{PUBLIC[:8]}</span>' in html
    assert "did not answer" not in html  # names are a nicety: no error for them


def fip_page(monkeypatch, noted, networks, servers, quota):
    fip = floatingips.FloatingIPInfo(
        id=FIP, address="172.24.4.10", status="ACTIVE", network_id=PUBLIC, port_id="p1", device_id=SERVER
    )
    monkeypatch.setattr(floatingips, "list_floating_ips", noted("fips", lambda *a, **k: Page([fip]), 4))
    monkeypatch.setattr(routers, "list_external_network_names", noted("networks", networks, 4))
    from dashboard.cloud import instances as instances_module

    monkeypatch.setattr(instances_module, "list_server_names", noted("servers", servers, 4))
    monkeypatch.setattr(fip_views, "quota_items", noted("quotas", quota, 4))
    return fip_views.fip_list(page_request("/project/floating-ips/")).content.decode()


def test_the_floating_ips_list_prints_pools_instances_and_quota_without_a_part(no_connection, calls, monkeypatch):
    seen, noted = calls
    quota = [quotas.QuotaItem(service="network", resource="floatingip", label="Floating IPs", limit=50, in_use=1)]
    html = fip_page(monkeypatch, noted, {PUBLIC: "public"}, {SERVER: "web-1"}, quota)
    assert f'<span id="fip-pool-{FIP}"><span class="zenith-name" title="public">public</span></span>' in html
    assert 'title="web-1">web-1</span></a>' in html
    assert 'data-testid="fip-quota">1 of 50 allocated' in html
    assert 'hx-trigger="load"' not in html
    assert sorted(seen) == ["fips", "networks", "quotas", "servers"]  # the four at once


def test_failing_names_calls_leave_the_floating_ips_ids(no_connection, calls, monkeypatch):
    _seen, noted = calls
    html = fip_page(monkeypatch, noted, failing, failing, failing)
    assert "172.24.4.10" in html
    assert f'title="{PUBLIC}">{PUBLIC[:8]}</span>' in html and f'title="{SERVER}">{SERVER[:8]}</span>' in html
    assert "fip-quota" not in html


def instance_page(monkeypatch, image_names):
    """The list's own calls, faked: Nova's page of one instance, then its image's name by id."""
    server = instances.Instance(id=SERVER, name="web-1", status="ACTIVE", image_id=IMAGE)
    monkeypatch.setattr(instances, "_server_page", lambda conn, params: Page([server]))
    monkeypatch.setattr(instances, "instance_from", lambda s: s)
    monkeypatch.setattr(images, "list_image_names", image_names)
    monkeypatch.setattr(volumes, "list_all_volumes", failing)  # asked only when a row boots from a volume
    return instance_views.instance_list(page_request("/project/instances/")).content.decode()


def test_the_instances_list_prints_its_images_names_without_a_part(no_connection, monkeypatch):
    html = instance_page(monkeypatch, lambda conn, ids: {IMAGE: "cirros"} if IMAGE in ids else {})
    assert f'<span title="{IMAGE}">cirros</span>' in html and 'hx-trigger="load"' not in html


def test_a_failing_images_call_leaves_the_instances_image_id(no_connection, monkeypatch):
    html = instance_page(monkeypatch, failing)
    assert "web-1" in html and f'<span title="{IMAGE}">{IMAGE[:23]}…</span>' in html


def test_a_failing_page_call_is_the_pages_error_not_a_names_one(no_connection, calls, monkeypatch):
    _seen, noted = calls
    monkeypatch.setattr(routers, "list_routers", failing)
    monkeypatch.setattr(routers, "list_external_network_names", lambda conn: {})
    with pytest.raises(CloudError):  # the middleware answers it with its message (tests/integration)
        router_views.router_list(page_request("/project/routers/"))


NETWORK = "66666666-6666-6666-6666-666666666666"
SUBNET = "77777777-7777-7777-7777-777777777777"


def network_page(monkeypatch, noted, subnets):
    net = networks.NetworkInfo(id=NETWORK, name="private", status="ACTIVE", subnet_ids=[SUBNET])
    monkeypatch.setattr(networks, "list_networks_without_subnets", noted("networks", lambda *a: Page([net]), 2))
    monkeypatch.setattr(networks, "list_visible_subnets", noted("subnets", subnets, 2))
    return network_views.network_list(page_request("/project/networks/")).content.decode()


def test_a_members_networks_list_prints_its_subnets_without_a_part(no_connection, calls, monkeypatch):
    seen, noted = calls
    row = {"id": SUBNET, "name": "private-subnet", "cidr": "10.0.0.0/24", "network_id": NETWORK, "ip_version": 4}
    html = network_page(monkeypatch, noted, [row])
    assert "private-subnet</span> 10.0.0.0/24" in html and 'hx-trigger="load"' not in html
    assert sorted(seen) == ["networks", "subnets"]


def test_a_failing_subnets_call_leaves_the_networks_subnet_ids(no_connection, calls, monkeypatch):
    _seen, noted = calls
    html = network_page(monkeypatch, noted, failing)
    assert "private" in html and f'title="{SUBNET}">{SUBNET[:8]}</div>' in html
