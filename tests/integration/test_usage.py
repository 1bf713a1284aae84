"""Usage reports: admins see every project's Nova usage (paged, sorted, CSV), members their own."""

import csv
import io
import json
import re
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import override_settings

from dashboard.cloud.usage import get_all_projects_usage
from tests.helpers import boot, count_cloud_requests, never_launched, unique, wait_for, wait_for_status

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def today_start() -> datetime:
    return datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def nova_usage(admin_sdk, project_id: str, end: datetime | None = None) -> dict:
    """os-simple-tenant-usage for one project, today until `end` (now), straight from Nova: every
    page (microversion 2.40 and its `next` links; without it Nova stops at 1,000 instances, which a
    day of benchmark runs exceeds), the totals summed and the servers' usages joined."""
    end = end or datetime.now(UTC)
    start = today_start()
    fmt = "%Y-%m-%dT%H:%M:%S.%f"
    query = {"start": start.strftime(fmt), "end": end.strftime(fmt)}
    merged: dict = {"server_usages": []}
    for _ in range(100):
        body = admin_sdk.compute.get(f"/os-simple-tenant-usage/{project_id}", params=query, microversion="2.40").json()
        page = body["tenant_usage"]
        for key, value in page.items():
            if key == "server_usages":
                merged[key] += value
            elif key.startswith("total_"):
                merged[key] = merged.get(key, 0) + value
            else:
                merged.setdefault(key, value)
        nxt = [link["href"] for link in body.get("tenant_usage_links") or [] if link.get("rel") == "next"]
        if not nxt:
            return merged
        query["marker"] = parse_qs(urlparse(nxt[0]).query)["marker"][0]
    raise AssertionError("Nova's usage had more than 100 pages")


@pytest.fixture(scope="module")
def running(admin_sdk, demo_sdk, alt_sdk, module_cleanup):
    """One tiny instance in demo and one in alt, ACTIVE and counted by Nova's usage."""
    owners = {"demo": demo_sdk, "alt": alt_sdk}
    servers = {
        who: boot(conn, unique(f"zt-usage-{who}"), network=None, wait=False, cleanup=module_cleanup)
        for who, conn in owners.items()
    }
    for who, server in servers.items():
        wait_for_status(owners[who], server.id, "ACTIVE")
    projects = {who: owners[who].current_project_id for who in servers}

    def counted():
        for who, server in servers.items():
            usage = nova_usage(admin_sdk, projects[who])
            hours = {s["instance_id"]: s["hours"] for s in usage.get("server_usages", [])}
            if not hours.get(server.id, 0) > 0:
                return False
        return True

    wait_for(counted, what="Nova usage > 0 hours for both instances")
    return {"servers": servers, "projects": projects, "names": {w: s.name for w, s in servers.items()}}


def text(response) -> str:
    return response.content.decode()


def csv_rows(response) -> list[dict]:
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def chart_data(page: str) -> dict:
    match = re.search(r'<script id="usage-chart-data" type="application/json">(.*?)</script>', page, re.S)
    assert match, "chart data missing"
    return json.loads(match.group(1))


def page_projects(page: str) -> list[str]:
    return re.findall(r'<tr [^>]*data-project="([^"]*)"', page)


def test_admin_reads_demo_usage_and_the_csv_matches_nova(admin_client, admin_sdk, running):
    demo_id = running["projects"]["demo"]
    before = nova_usage(admin_sdk, demo_id)
    page = admin_client.get("/admin/overview/?preset=today")
    response = admin_client.get("/admin/overview/?preset=today&format=csv")
    after = nova_usage(admin_sdk, demo_id)
    assert page.status_code == 200
    assert 'data-project="demo"' in text(page)
    assert 'id="usage-chart"' in text(page)
    rows = {r["Project"]: r for r in csv_rows(response)}
    demo = rows["demo"]
    assert float(demo["vCPU hours"]) > 0
    # usage only grows with time: the CSV lies between two direct readings taken around it
    pairs = [
        ("Instance hours", "total_hours", 1),
        ("vCPU hours", "total_vcpus_usage", 1),
        ("RAM GiB-hours", "total_memory_mb_usage", 1024),
        ("Disk GiB-hours", "total_local_gb_usage", 1),
    ]
    for column, key, divisor in pairs:
        value = float(demo[column])
        assert before[key] / divisor - 0.0001 <= value <= after[key] / divisor + 0.0001, column
    # current counts: the demo instance is counted, and the totals row adds the projects up
    assert int(demo["Instances"]) >= 1
    total = rows["Total"]
    projects = [r for name, r in rows.items() if name != "Total"]
    assert int(total["Instances"]) == sum(int(r["Instances"]) for r in projects)
    assert float(total["vCPU hours"]) == pytest.approx(sum(float(r["vCPU hours"]) for r in projects), abs=0.001)
    # the chart's per-day vCPU hours of demo add up to the page's figure (the CSV's, read later,
    # has grown with every instance running meanwhile)
    chart = chart_data(text(page))
    series = next(d for d in chart["datasets"] if d["label"] == "demo")
    shown = admin_rows(text(page))[demo_id]["vcpu_hours"]
    assert sum(series["data"]) == pytest.approx(float(shown), abs=0.002)
    # the page rounds to three decimals, the CSV to four: 6.76494 reads 6.765 on the page
    assert float(shown) <= float(demo["vCPU hours"]) + 0.0005


def test_paging_is_followed_until_nova_has_no_more(admin_client, admin_sdk, running):
    start = today_start()
    end = datetime.now(UTC)
    # with one instance per page Nova needs several pages for today's usage
    first = admin_sdk.compute.get(
        f"/os-simple-tenant-usage?detailed=1&start={start:%Y-%m-%dT%H:%M:%S}&end={end:%Y-%m-%dT%H:%M:%S}&limit=1",
        microversion="2.40",
    ).json()
    assert len(first["tenant_usages"]) == 1
    assert any(link["rel"] == "next" for link in first.get("tenant_usages_links", []))
    # the same fixed period read in pages of one and in one go gives the same numbers
    paged = get_all_projects_usage(admin_sdk, start, end, page_size=1)
    whole = get_all_projects_usage(admin_sdk, start, end)
    assert set(paged) == set(whole)
    assert {running["projects"]["demo"], running["projects"]["alt"]} <= set(paged)
    for pid, usage in whole.items():
        assert paged[pid].vcpu_hours == pytest.approx(usage.vcpu_hours)
        assert paged[pid].instance_hours == pytest.approx(usage.instance_hours)
        assert sorted(s.instance_id for s in paged[pid].servers) == sorted(s.instance_id for s in usage.servers)
    # and the page, reading one instance per page, still lists both projects
    with override_settings(USAGE_PAGE_SIZE=1):
        page = admin_client.get("/admin/overview/?preset=today")
    assert page.status_code == 200
    assert {"demo", "alt"} <= set(page_projects(text(page)))


def test_sorting_by_any_column(admin_client, running):
    page = text(admin_client.get("/admin/overview/?preset=today&sort=project_name&dir=asc"))
    names = page_projects(page)
    assert names == sorted(names, key=str.lower)
    assert 'value="project_name"' in page  # the form keeps the order
    page = text(admin_client.get("/admin/overview/?preset=today&sort=instances&dir=desc"))
    counts = [int(c) for c in re.findall(r'data-col="instances">(\d+)<', page)]
    assert counts == sorted(counts, reverse=True) and counts
    # an unknown column falls back to the default order, not an error
    assert admin_client.get("/admin/overview/?sort=nonsense").status_code == 200


def test_date_range_errors_are_shown_with_the_input_kept(admin_client, devcloud):
    response = admin_client.get("/admin/overview/?preset=custom&start=2026-11-20&end=2026-11-01")
    assert response.status_code == 400
    page = text(response)
    assert "The end date must be on or after the start date." in page
    assert 'value="2026-11-20"' in page and 'value="2026-11-01"' in page
    future = (datetime.now(UTC) + timedelta(days=3)).date().isoformat()
    page = text(admin_client.get(f"/admin/overview/?preset=custom&start={future}"))
    assert "The start date is in the future" in page
    response = admin_client.get("/admin/overview/?preset=custom&start=2026-13-45&end=2026-11-01")
    assert response.status_code == 400
    assert "Enter a valid date." in text(response)
    assert 'value="2026-13-45"' in text(response)
    # CSV of a bad range is the page with the message, not a file
    response = admin_client.get("/admin/overview/?preset=custom&start=2026-11-20&end=2026-11-01&format=csv")
    assert response.status_code == 400 and "text/html" in response["Content-Type"]


def test_presets_pick_their_dates(admin_client, devcloud):
    today = datetime.now(UTC).date()
    page = text(admin_client.get("/admin/overview/?preset=last_month"))
    last_month_end = today.replace(day=1) - timedelta(days=1)
    assert f'value="{last_month_end.replace(day=1).isoformat()}"' in page
    assert f'value="{last_month_end.isoformat()}"' in page
    page = text(admin_client.get("/admin/overview/?preset=today"))
    assert page.count(f'value="{today.isoformat()}"') == 2


def test_member_sees_own_project_usage_per_instance_with_csv(demo_client, alt_client, admin_sdk, running):
    names = running["names"]
    response = demo_client.get("/project/usage/?preset=today")
    assert response.status_code == 200
    page = text(response)
    assert f'data-name="{names["demo"]}"' in page
    assert names["alt"] not in page  # alt's instance is not demo's business
    before = nova_usage(admin_sdk, running["projects"]["demo"])
    rows = csv_rows(demo_client.get("/project/usage/?preset=today&format=csv"))
    after = nova_usage(admin_sdk, running["projects"]["demo"])
    mine = next(r for r in rows if r["Instance"] == names["demo"])
    assert mine["Flavor"] == "m1.tiny" and mine["vCPUs"] == "1"
    assert float(mine["Hours"]) > 0
    total = next(r for r in rows if r["Instance"] == "Total")
    assert before["total_hours"] - 0.0001 <= float(total["Hours"]) <= after["total_hours"] + 0.0001
    # alt's member sees alt's instance and not demo's
    page = text(alt_client.get("/project/usage/?preset=today"))
    assert f'data-name="{names["alt"]}"' in page and names["demo"] not in page


def test_member_date_errors_are_shown(demo_client):
    response = demo_client.get("/project/usage/?preset=custom&start=2026-11-20&end=2026-11-01")
    assert response.status_code == 400
    assert "The end date must be on or after the start date." in text(response)


def test_demo_gets_403_on_the_admin_overview_and_its_csv(demo_client):
    for url in ("/admin/overview/", "/admin/overview/?format=csv&preset=today"):
        response = demo_client.get(url)
        assert response.status_code == 403, url
        assert "Not allowed" in text(response)


@pytest.fixture
def alt_volume_and_ip(alt_sdk, cleanup):
    """A 1 GB volume and a floating IP in alt, removed afterwards."""
    volume = alt_sdk.block_storage.create_volume(name=unique("zt-usage-vol"), size=1)
    cleanup.delete("volume", volume.id, conn=alt_sdk)
    public = alt_sdk.network.find_network("public", ignore_missing=False)
    ip = alt_sdk.network.create_ip(floating_network_id=public.id)
    cleanup.delete("floating_ip", ip.id, conn=alt_sdk)
    wait_for(lambda: alt_sdk.block_storage.get_volume(volume.id).status == "available", what="volume available")
    return alt_sdk


def test_current_counts_match_the_services(admin_client, admin_sdk, alt_volume_and_ip):
    alt_id = alt_volume_and_ip.current_project_id

    def direct():
        volumes = [v for v in admin_sdk.block_storage.volumes(all_projects=True) if v.project_id == alt_id]
        return {
            "Instances": len(list(admin_sdk.compute.servers(all_projects=True, project_id=alt_id))),
            "Volumes": len(volumes),
            "Volume GiB": sum(v.size for v in volumes),
            "Floating IPs": len(list(admin_sdk.network.ips(project_id=alt_id))),
        }

    # other tests may add or remove alt's resources meanwhile: compare when nothing moved around the CSV
    for _attempt in range(10):
        before = direct()
        rows = {r["Project"]: r for r in csv_rows(admin_client.get("/admin/overview/?preset=today&format=csv"))}
        if before == direct():
            break
        time.sleep(1)
    else:
        pytest.fail("alt's resources never held still")
    alt = rows["alt"]
    assert {key: int(alt[key]) for key in before} == before
    assert before["Volumes"] >= 1 and before["Volume GiB"] >= 1 and before["Floating IPs"] >= 1


def admin_calls(requests) -> list[str]:
    """The cloud calls of a view as "METHOD service path", query and ids left out, sorted."""
    return sorted(f"{method} {service} {url.split('?')[0]}" for method, service, url, _ in requests)


def admin_view(client, path: str) -> tuple[str, list]:
    """The admin overview and every part it loads at once (hx-trigger="load"), with their cloud calls."""
    with count_cloud_requests(detail=True) as requests:
        html = text(client.get(path))
        for part in re.findall(r'hx-get="([^"]+)"[^>]*hx-trigger="load"', html):
            html += text(client.get(part.replace("&amp;", "&"), HTTP_HX_REQUEST="true"))
    return html, list(requests)


def usage_pages(admin_sdk, start: datetime) -> int:
    """How many pages Nova gives the report of every project from `start` until now (1000 instances each)."""
    fmt = "%Y-%m-%dT%H:%M:%S.%f"
    query = {"detailed": 1, "start": start.strftime(fmt), "end": datetime.now(UTC).strftime(fmt)}
    for pages in range(1, 100):
        body = admin_sdk.compute.get("/os-simple-tenant-usage", params=query, microversion="2.40").json()
        nxt = [link["href"] for link in body.get("tenant_usages_links") or [] if link.get("rel") == "next"]
        if not nxt:
            return pages
        query["marker"] = parse_qs(urlparse(nxt[0]).query)["marker"][0]
    raise AssertionError("Nova's usage had more than 100 pages")


def admin_rows(page: str) -> dict[str, dict[str, str]]:
    """{project id: {column: figure}} of the admin overview's table."""
    rows = {}
    for attrs, cells in re.findall(r"<tr ([^>]*data-project-id[^>]*)>(.*?)</tr>", page, re.S):
        pid = re.search(r'data-project-id="([^"]+)"', attrs).group(1)
        rows[pid] = dict(re.findall(r'data-col="([a-z_]+)">([^<]*)<', cells))
    return rows


# besides the usage report's pages: the projects, the instances a usage report leaves out, every
# project's volumes and floating IPs, and the busiest instances' CPU and memory (Gnocchi)
ADMIN_CALLS = sorted(
    ["GET identity /projects", "GET compute /servers/detail", "GET block-storage /volumes/detail"]
    + ["GET network /floatingips"]
    + ["POST metric /v1/aggregates"] * 2
)
REPORT = "GET compute /os-simple-tenant-usage"


def test_the_view_is_one_page_of_the_same_calls_at_any_number_of_projects_and_instances(
    admin_client, admin_sdk, alt_sdk, running, cleanup
):
    """The table comes with the page, counts included (no part to wait for after it): the usage
    report, the projects and what each holds now, at once, and no call lists every server's
    details; as many calls with one more project and more instances, one never launched among
    them. A period that ended before now reads a report of the last minute beside its own."""
    month_start = today_start().replace(day=1)
    admin_client.get("/admin/overview/")  # the services' versions, discovered once per process
    page, before = admin_view(admin_client, "/admin/overview/")
    assert "hx-trigger" not in page and "placeholder" not in page
    assert re.search(r'data-col="instances">\d', page) and 'id="usage-chart"' in page
    pages = usage_pages(admin_sdk, month_start)
    assert admin_calls(before) == sorted(ADMIN_CALLS + [REPORT] * pages), before
    listing = next(params for _, _, url, params in before if url == "/servers/detail")
    assert listing["all_tenants"] and set(listing["status"]) == {"BUILD", "ERROR", "SOFT_DELETED"}
    # one more project, and more instances in alt: one ACTIVE, one that never launched
    project = admin_sdk.identity.create_project(name=unique("zt-usage-proj"), domain_id="default")
    cleanup.delete("project", project.id)
    boot(alt_sdk, unique("zt-usage-more"), network=None, cleanup=cleanup)
    never_launched(alt_sdk, cleanup)
    page, after = admin_view(admin_client, "/admin/overview/")
    pages = usage_pages(admin_sdk, month_start)
    assert admin_calls(after) == sorted(ADMIN_CALLS + [REPORT] * pages), after
    alt = admin_rows(page)[running["projects"]["alt"]]
    assert int(alt["instances"]) >= 3  # the fixture's, the new one and the one never launched
    _, past = admin_view(admin_client, "/admin/overview/?preset=last_month")
    last_month = admin_calls(past)
    assert last_month.count(REPORT) >= 2 and [c for c in last_month if c != REPORT] == ADMIN_CALLS, past


def test_the_counts_shown_are_what_the_services_hold_now(admin_client, admin_sdk, alt_sdk, running, cleanup):
    """Every project's instances (one that never launched included, which no usage report names),
    volumes and floating IPs, as openstacksdk lists them; the same for a period that ended before now."""
    never_launched(alt_sdk, cleanup)

    def direct():
        held: dict[str, dict[str, str]] = {}

        def add(pid, key, n=1):
            row = held.setdefault(pid, {"instances": "0", "volumes": "0", "gigabytes": "0", "floating_ips": "0"})
            row[key] = str(int(row[key]) + n)

        for server in admin_sdk.compute.servers(all_projects=True):
            add(server.project_id, "instances")
        for volume in admin_sdk.block_storage.volumes(all_projects=True):
            add(volume.project_id, "volumes")
            add(volume.project_id, "gigabytes", volume.size)
        for ip in admin_sdk.network.ips():
            if ip.project_id:
                add(ip.project_id, "floating_ips")
        return held

    def shown(path):
        rows = admin_rows(text(admin_client.get(path)))
        keys = ("instances", "volumes", "gigabytes", "floating_ips")
        # projects that hold nothing now are shown for their usage alone
        return {pid: {k: row[k] for k in keys} for pid, row in rows.items() if any(row[k] != "0" for k in keys)}

    # other tests add and remove resources meanwhile: compare when nothing moved around the pages
    for _attempt in range(10):
        before = direct()
        this_month, last_month = shown("/admin/overview/"), shown("/admin/overview/?preset=last_month")
        if before == direct():
            break
        time.sleep(1)
    else:
        pytest.fail("the cloud's resources never held still")
    assert this_month == before
    assert last_month == before
    assert int(before[running["projects"]["alt"]]["instances"]) >= 2
