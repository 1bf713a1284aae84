"""An administrator creates a project on the identity pages and sees it listed; the quota form renders."""

import pytest
from playwright.sync_api import expect

from tests.helpers import ARTIFACTS, browser_login, unique

pytestmark = pytest.mark.browser


@pytest.fixture
def project_name(admin_sdk, cleanup):
    """A name for the project a test makes (in the browser, so its id is unknown): deleted by name after it."""
    name = unique("zt-bp")

    def delete_projects_named():
        for project in admin_sdk.identity.projects(name=name):
            admin_sdk.identity.delete_project(project.id, ignore_missing=True)

    cleanup.add(delete_projects_named)
    return name


def test_admin_creates_a_project_and_sees_it_listed(page, project_name):
    browser_login(page, "admin")
    page.locator("#nav-identity").get_by_role("link", name="Projects").click()
    page.wait_for_url("**/identity/projects/")
    page.get_by_test_id("create-project").click()
    page.fill("input[name=name]", project_name)
    page.fill("textarea[name=description]", "made in the browser")
    page.locator("#project-form [type=submit]").click()
    page.wait_for_url("**/identity/projects/*/")
    assert page.get_by_text(f"Project {project_name} created.").is_visible()
    page.screenshot(path=str(ARTIFACTS / "identity-project-detail.png"), full_page=True)

    page.goto("/identity/projects/")
    # the list's filter finds it, whatever page it would be on
    page.fill("#filter-form input[name=name]", project_name)
    page.locator("#filter-form [type=submit]").click()
    page.wait_for_url(f"**/identity/projects/?name={project_name}**")
    row = page.locator("#projects-table tbody tr", has_text=project_name)
    expect(row).to_have_count(1)
    assert row.is_visible()
    assert "made in the browser" in row.inner_text()
    assert "Yes" in row.inner_text()

    row.get_by_role("link", name="Quotas").click()
    page.wait_for_url("**/quotas/")
    assert page.locator("[data-service=compute] input[name=compute-instances]").is_visible()
    # Cinder's and Neutron's sections follow the page (a part each)
    expect(page.locator("[data-service=network] input[name=network-port]")).to_be_visible()
    expect(page.locator("[data-service=volume] input[name=volume-volumes]")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "identity-quotas.png"), full_page=True)

    # a bad limit: explained beside the field, the input kept
    page.fill("input[name=compute-instances]", "-3")
    page.fill("input[name=compute-cores]", "4")
    page.get_by_test_id("save-quotas").click()
    assert page.locator("#id_compute-instances-error").inner_text().startswith("Use -1 for unlimited")
    assert page.input_value("input[name=compute-instances]") == "-3"
    assert page.input_value("input[name=compute-cores]") == "4"
    page.screenshot(path=str(ARTIFACTS / "identity-quotas-error.png"), full_page=True)


def test_demo_sees_no_admin_links_and_gets_not_allowed(page):
    browser_login(page, "demo")
    assert page.locator("#nav-identity").count() == 0
    page.goto("/identity/users/")
    assert page.get_by_text("Not allowed").is_visible()


def test_admin_pages_render_and_a_bad_password_confirmation_is_explained(page):
    browser_login(page, "admin")
    for path, table in (
        ("/identity/projects/", "#projects-table"),
        ("/identity/users/", "#users-table"),
        ("/identity/groups/", "#groups-table"),
        ("/identity/roles/", "#roles-table"),
    ):
        page.goto(path)
        assert page.locator(table).is_visible(), path
        # the counts and names come with the page: nothing is loaded after it
        assert page.locator("[hx-trigger=load]").count() == 0, path
        page.screenshot(path=str(ARTIFACTS / f"identity-{path.strip('/').split('/')[-1]}.png"), full_page=True)
    assert page.locator("#roles-table").get_by_text("member", exact=True).is_visible()
    expect(page.locator("#role-projects-table tr", has_text="demo")).to_have_count(1)

    page.goto("/identity/users/create/")
    # the projects and roles to choose from are in the page
    expect(page.locator("select[name=role] option:checked")).to_have_text("member")
    page.select_option("select[name=project]", label="demo")
    name = unique("zt-bu")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", "one-Secret-1")
    page.fill("input[name=confirm]", "two-Secret-2")
    page.locator("#user-form [type=submit]").click()
    assert page.get_by_text("The two passwords differ.").is_visible()
    assert page.input_value("input[name=name]") == name
    expect(page.locator("select[name=project] option:checked")).to_have_text("demo")
    page.screenshot(path=str(ARTIFACTS / "identity-user-create-error.png"), full_page=True)


def test_admin_gives_a_role_on_the_project_page_and_removes_it_after_confirming(page, admin_sdk, project_name):
    project = admin_sdk.identity.create_project(name=project_name, domain_id="default")
    browser_login(page, "admin")
    page.goto(f"/identity/projects/{project.id}/")
    page.select_option("#assignment-form select[name=actor]", label="alt")
    page.select_option("#assignment-form select[name=role]", label="reader")
    page.locator("#assignment-form [type=submit]").click()
    page.wait_for_load_state()
    row = page.locator("#assignments-table tr[data-actor='alt'][data-role='reader']")
    expect(row).to_be_visible()  # the members are in the page
    assert page.get_by_text("alt now has the role reader in this project.").is_visible()
    page.screenshot(path=str(ARTIFACTS / "identity-project-members.png"), full_page=True)

    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    row.get_by_role("button").click()
    assert questions == [f"Remove the role reader of alt in {project_name}?"]
    assert row.is_visible()  # dismissed: nothing removed
    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button").click()
    page.wait_for_load_state()
    assert page.get_by_text("Role reader of alt removed.").is_visible()
    expect(page.locator("#assignments-table")).to_be_visible()
    assert page.locator("#assignments-table tr[data-actor='alt']").count() == 0
    assigned = admin_sdk.identity.role_assignments(scope_project_id=project.id)
    assert list(assigned) == []
