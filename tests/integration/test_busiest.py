"""The usage page's busiest instances, from the devcloud's Gnocchi: a member sees their project's
instances ranked by the CPU and memory they used in the period, each linking to its page; another
project's member does not see them.

Measures are written as Ceilometer would, by the admin, straight to Gnocchi (tests/gnocchi.py): an
instance using 90 % of its one vCPU and about 20 GiB of memory, far above what any other instance of
the devcloud's projects is measured at, so it leads both rankings.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta

import pytest

from tests.gnocchi import METRIC, ensure_resource, gnocchi, write
from tests.helpers import boot, sdk, unique, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

MINUTES = 6


@pytest.fixture(scope="module")
def busy(module_cleanup):
    """An instance of demo's (m1.tiny: 1 vCPU) with MINUTES minutes of measures ending a minute ago:
    54 s of CPU a minute (90 %), memory 20,000 to 20,005 MB. Afterwards the instance is deleted,
    Ceilometer ends its resource (Nova's notification), and the resource leaves Gnocchi: an ended
    one would still count in today's rankings of the next runs."""
    admin, user = sdk("admin"), sdk("demo", "demo")
    server = boot(user, unique("zt-busy"))
    module_cleanup.add(forget, admin, user, server.id)
    owner = {"project_id": user.current_project_id, "user_id": user.current_user_id}
    attrs = {**owner, "flavor_id": "1", "flavor_name": "m1.tiny", "image_ref": "demo-image", "host": "zt"}
    ids = ensure_resource(admin, "instance", server.id, {**attrs, "display_name": server.name}, ["cpu", "memory.usage"])
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    times = [now - timedelta(minutes=MINUTES - k) for k in range(MINUTES)]
    write(admin, ids["cpu"], [(t, 1e12 + k * 54e9) for k, t in enumerate(times)])
    write(admin, ids["memory.usage"], [(t, 20_000.0 + k) for k, t in enumerate(times)])
    return server


def forget(admin, user, server_id: str) -> None:
    user.compute.delete_server(server_id)
    user.compute.wait_for_delete(user.compute.get_server(server_id), wait=120)
    path = f"/v1/resource/instance/{server_id}"
    wait_for(lambda: gnocchi(admin, "GET", path).json().get("ended_at"), "Ceilometer ends the resource", 60)
    # without gnocchi()'s Accept: application/json, which Gnocchi answers a DELETE with 406
    assert admin.session.delete(path, endpoint_filter=METRIC, raise_exc=False).status_code == 204


def text(response) -> str:
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def ranking(page: str, key: str) -> list[tuple[str, float]]:
    """[(instance id, value)] of a ranking's rows, in order."""
    card = re.search(rf'data-busiest="{key}"(.*?)</table>', page, re.S)
    assert card, f"no {key} ranking on the page"
    return [
        (i, float(v)) for i, v in re.findall(r'data-instance-id="([^"]+)".*?data-value="([^"]+)"', card.group(1), re.S)
    ]


def test_a_member_sees_the_busiest_instances_by_cpu_and_memory(demo_client, busy):
    page = text(demo_client.get("/project/usage/", {"preset": "today"}))
    cpu, memory = ranking(page, "cpu"), ranking(page, "memory")
    assert cpu[0] == (busy.id, 90.0)
    assert memory[0] == (busy.id, 20_002.5)
    assert len(cpu) <= 5 and len(memory) <= 5
    assert [v for _, v in cpu] == sorted((v for _, v in cpu), reverse=True)
    # each row links to the instance's page, under its name
    assert f'href="/project/instances/{busy.id}/" title="{busy.name}"' in page


def test_the_rankings_read_in_french(demo_client, busy):
    page = text(demo_client.get("/project/usage/", {"preset": "today"}, HTTP_ACCEPT_LANGUAGE="fr"))
    assert "Instances les plus actives sur la période" in page
    assert "90,0 %" in page


def test_another_projects_member_does_not_see_them(alt_client, busy):
    page = text(alt_client.get("/project/usage/", {"preset": "today"}))
    assert busy.id not in page
    assert 'data-busiest="cpu"' in page


def test_an_administrator_sees_them_across_projects_and_by_host(admin_client, busy):
    page = text(admin_client.get("/admin/overview/", {"preset": "today"}))
    assert ranking(page, "cpu")[0] == (busy.id, 90.0)
    row = re.search(rf'data-instance-id="{busy.id}".*?</tr>', page, re.S).group(0)
    assert ">demo<" in row  # the project, by name
    # the host the resource names ("zt"): this instance's 0.9 vCPU busy at least, and its memory
    host = re.search(r'<tr data-host="zt">(.*?)</tr>', page, re.S)
    assert host, "no row for host zt"
    busy_vcpus, memory = (float(v) for v in re.findall(r'data-value="([^"]+)"', host.group(1)))
    assert busy_vcpus >= 0.9 and memory >= 20_002.5
