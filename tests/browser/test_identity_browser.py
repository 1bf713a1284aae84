"""An administrator creates a project on the identity pages and sees it listed; the quota form renders."""

import pytest

from tests.browser.conftest import ARTIFACTS, browser_login
from tests.conftest import sdk, unique

pytestmark = pytest.mark.browser


@pytest.fixture
def project_name():
    name = unique("zt-bp")
    yield name
    admin = sdk("admin")
    for project in admin.identity.projects(name=name):
        admin.identity.delete_project(project.id, ignore_missing=True)


def test_admin_creates_a_project_and_sees_it_listed(page, project_name):
    browser_login(page, "admin")
    page.locator("#admin-nav").get_by_role("link", name="Projects").click()
    page.wait_for_url("**/identity/projects/")
    page.get_by_test_id("create-project").click()
    page.fill("input[name=name]", project_name)
    page.fill("textarea[name=description]", "made in the browser")
    page.locator("#project-form [type=submit]").click()
    page.wait_for_url("**/identity/projects/*/")
    assert page.get_by_text(f"Project {project_name} created.").is_visible()
    page.screenshot(path=str(ARTIFACTS / "identity-project-detail.png"), full_page=True)

    page.goto("/identity/projects/")
    row = page.locator(f"#projects-table tr[data-name='{project_name}']")
    assert row.is_visible()
    assert "made in the browser" in row.inner_text()
    assert "Yes" in row.inner_text()

    row.get_by_role("link", name="Quotas").click()
    page.wait_for_url("**/quotas/")
    assert page.locator("[data-service=compute] input[name=compute-instances]").is_visible()
    assert page.locator("[data-service=network] input[name=network-port]").is_visible()
    page.screenshot(path=str(ARTIFACTS / "identity-quotas.png"), full_page=True)


def test_demo_sees_no_admin_links_and_gets_not_allowed(page):
    browser_login(page, "demo")
    assert page.locator("#admin-nav").count() == 0
    page.goto("/identity/users/")
    assert page.get_by_text("Not allowed").is_visible()
