"""The network kinds' live pollers (networks, routers, floating IPs) against the real Neutron: a
resource made or deleted outside Zenith comes out of the next tick as an upsert or a delete, and
only the project's own resources are listed, even with an admin's token."""

from __future__ import annotations

import pytest

from dashboard.live import pollers
from tests.helpers import sdk, unique

pytestmark = [pytest.mark.integration]


def _ids(messages: list[dict], op: str) -> set[str]:
    return {m["id"] for m in messages if m["op"] == op}


@pytest.mark.parametrize("kind", ["networks", "routers", "floating_ips"])
def test_a_network_resource_comes_and_goes_in_the_pollers_messages(kind, demo_sdk, cleanup):
    assert pollers.topic_of(kind) == kind  # a page shows it: members may watch it
    project_id = demo_sdk.current_project_id
    poll = pollers.POLLERS[kind]
    poll(demo_sdk, project_id)  # the first look records what the page already shows
    if kind == "networks":
        made = demo_sdk.network.create_network(name=unique("zt-livenet"))
        cleanup.delete("network", made.id, conn=demo_sdk)
        delete = demo_sdk.network.delete_network
    elif kind == "routers":
        made = demo_sdk.network.create_router(name=unique("zt-liverouter"))
        cleanup.add(lambda: demo_sdk.network.delete_router(made.id, ignore_missing=True))
        delete = demo_sdk.network.delete_router
    else:
        public = demo_sdk.network.find_network("public", ignore_missing=False)
        made = demo_sdk.network.create_ip(floating_network_id=public.id)
        cleanup.delete("floating_ip", made.id, conn=demo_sdk)
        delete = demo_sdk.network.delete_ip
    assert made.id in _ids(poll(demo_sdk, project_id), "upsert")
    assert poll(demo_sdk, project_id) == []  # nothing changed: nothing sent
    delete(made.id)
    assert made.id in _ids(poll(demo_sdk, project_id), "delete")


def test_an_admin_token_lists_only_the_watched_projects_routers(demo_sdk, cleanup):
    router = demo_sdk.network.create_router(name=unique("zt-liveown"))
    cleanup.add(lambda: demo_sdk.network.delete_router(router.id, ignore_missing=True))
    admin = sdk("admin")
    bodies = pollers.LISTINGS["routers"](admin, admin.current_project_id)
    assert router.id not in {b["id"] for b in bodies}
    assert router.id in {b["id"] for b in pollers.LISTINGS["routers"](admin, demo_sdk.current_project_id)}
