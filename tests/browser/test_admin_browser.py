"""An administrator looks at the usage overview (chart + table), hypervisors and all instances."""

import pytest

from tests.helpers import ARTIFACTS, browser_login

pytestmark = pytest.mark.browser


def test_admin_sees_usage_chart_and_table_and_changes_the_period(page):
    browser_login(page, "admin")
    page.locator("#nav-admin").get_by_text("Usage overview").click()
    page.wait_for_url("**/admin/overview/")
    chart = page.locator("#usage-chart")
    assert chart.is_visible()
    # Chart.js drew on the canvas (the script marks it once the chart exists)
    page.wait_for_selector("#usage-chart[data-ready='true']")
    assert chart.bounding_box()["height"] > 100
    table = page.locator("#usage-table")
    assert table.is_visible()
    assert table.locator("thead").inner_text().split("\t")[0].strip() == "Project"
    assert page.locator("#usage-totals").inner_text().startswith("Total")
    page.screenshot(path=str(ARTIFACTS / "admin-usage-overview.png"), full_page=True)
    # sort by project name by clicking its header
    page.locator("a[data-sort='project_name']").click()
    page.wait_for_url("**sort=project_name**")
    names = page.locator("#usage-table tbody tr[data-project]").evaluate_all(
        "rows => rows.map(r => r.dataset.project.toLowerCase())"
    )
    assert names == sorted(names)
    # a preset reloads the page with its dates
    page.select_option("#id_preset", "last_month")
    page.wait_for_url("**preset=last_month**")
    assert page.locator("#id_start").input_value().endswith("-01")
    # a custom range that ends before it starts is refused on the page, dates kept
    page.fill("#id_start", "2026-11-20")
    page.fill("#id_end", "2026-11-01")
    page.get_by_role("button", name="Show").click()
    assert page.get_by_text("The end date must be on or after the start date.").is_visible()
    assert page.locator("#id_start").input_value() == "2026-11-20"
    assert page.locator("#id_preset").input_value() == "custom"


def test_admin_sees_hypervisors_and_all_instances(page):
    browser_login(page, "admin")
    page.goto("/admin/hypervisors/")
    row = page.locator("#hypervisors-table tbody tr", has_text="devcloud-compute")
    assert row.is_visible()
    assert row.locator("[data-resource='VCPU']").inner_text().strip() != ""
    page.screenshot(path=str(ARTIFACTS / "admin-hypervisors.png"), full_page=True)
    page.locator("main").get_by_role("link", name="Compute services").click()
    page.wait_for_url("**/admin/hypervisors/services/")
    compute = page.locator("#services-table tbody tr", has=page.locator("td", has_text="nova-compute"))
    assert compute.locator("[data-testid='disable-service']").first.is_visible()
    page.screenshot(path=str(ARTIFACTS / "admin-compute-services.png"), full_page=True)
    page.goto("/admin/instances/")
    assert page.locator("#all-instances-table").is_visible()
    assert page.locator("#all-instances-table thead").inner_text().startswith("Name\tProject")
    page.screenshot(path=str(ARTIFACTS / "admin-instances.png"), full_page=True)


def test_demo_sees_own_usage_but_no_admin_menu_and_gets_403(page):
    browser_login(page, "demo")
    page.get_by_role("link", name="Usage").first.click()
    page.wait_for_url("**/project/usage/")
    page.wait_for_selector("#usage-chart[data-ready='true']")
    assert page.locator("#usage-table").is_visible()
    assert page.locator("[data-total='vcpu_hours']").is_visible()
    page.screenshot(path=str(ARTIFACTS / "project-usage.png"), full_page=True)
    assert page.locator("#nav-admin").count() == 0
    response = page.goto("/admin/overview/")
    assert response.status == 403
    assert page.get_by_text("Not allowed").is_visible()
