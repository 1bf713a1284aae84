"""Every list page, a member's and an administrator's, shows the cloud's values in words: no cell of
a table (nor an option of a list's filters) reads as a raw code like "SHUTOFF" or "ACTIVE"; and an
instance's action log names its actions and its user in words. In English and in French."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.helpers import ARTIFACTS, browser_login, made_volume, unique, wait_for

pytestmark = pytest.mark.browser

RAW = r"^[A-Z_]{3,}$"  # a code as the cloud says it: ACTIVE, SHUTOFF, IN_USE...
LOCALES = {"fr": "fr-FR", "en": "en-US"}

MEMBER_LISTS = [
    "/project/",
    "/project/instances/",
    "/project/images/",
    "/project/volumes/",
    "/project/volumes/snapshots/",
    "/project/volumes/backups/",
    "/project/volumes/transfers/",
    "/project/networks/",
    "/project/routers/",
    "/project/floating-ips/",
    "/project/security-groups/",
    "/project/containers/",
    "/project/usage/",
    "/project/networks/ports/instance/{id}/",
    "/project/instances/{id}/?tab=interfaces",
]
ADMIN_LISTS = [
    "/admin/overview/",
    "/admin/instances/",
    "/admin/hypervisors/",
    "/admin/hypervisors/services/",
    "/identity/projects/",
    "/identity/users/",
    "/identity/groups/",
    "/identity/roles/",
]

# every table cell's, badge's and filter option's text, trimmed, that reads as a raw code (headers
# may be acronyms: "MAC", "CIDR")
RAW_TEXTS = """(pattern) => {
  const raw = new RegExp(pattern);
  const texts = [...document.querySelectorAll("td, select option, .status-badge")]
    .map((el) => el.textContent.trim());
  return texts.filter((t) => raw.test(t));
}"""


@pytest.fixture(scope="module")
def demo_snapshot(demo_sdk, module_cleanup):
    """A volume of demo's and a snapshot of it, for the volumes and snapshots lists."""
    vol = made_volume(demo_sdk, module_cleanup)
    snap = demo_sdk.block_storage.create_snapshot(volume_id=vol.id, name=unique("zt-snap"))
    module_cleanup.delete("snapshot", snap.id, conn=demo_sdk)
    wait_for(lambda: demo_sdk.block_storage.get_snapshot(snap.id).status == "available", "snapshot available", 120)
    return snap


def visit(page, path: str) -> list[str]:
    response = page.goto(path)
    assert response.status == 200, path
    # parts a page loads after itself (htmx on load: the overview's figures, the usage counts)
    page.wait_for_function("() => !document.querySelector('.htmx-request, [data-pending=\\'true\\'] .placeholder')")
    return page.evaluate(RAW_TEXTS, RAW)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_no_list_shows_a_raw_code(chromium, zenith_url, demo_instance, demo_snapshot, language):
    raw: dict[str, list[str]] = {}
    for user, paths in (("demo", MEMBER_LISTS), ("admin", ADMIN_LISTS)):
        context = chromium.new_context(
            base_url=zenith_url,
            viewport={"width": 1400, "height": 900},
            locale=LOCALES[language],
            extra_http_headers={"Accept-Language": f"{LOCALES[language]},{language};q=0.9"},
        )
        page = context.new_page()
        page.set_default_timeout(20_000)
        try:
            browser_login(page, user, project="demo" if user == "demo" else "admin")
            for path in paths:
                found = visit(page, path.format(id=demo_instance.id))
                if found:
                    raw[f"{user} {path}"] = found
                    ARTIFACTS.mkdir(exist_ok=True)
                    page.screenshot(
                        path=str(ARTIFACTS / f"raw-code-{language}-{path.strip('/').replace('/', '-')}.png")
                    )
        finally:
            context.close()
    assert raw == {}


def test_the_action_log_says_what_was_done_and_by_whom(page, demo_instance):
    browser_login(page, "demo", project="demo")
    page.goto(f"/project/instances/{demo_instance.id}/?tab=log")
    log = page.locator("#action-log tbody tr")
    expect(log.first).to_be_visible()
    create = log.filter(has=page.locator("td:first-child", has_text=re.compile(r"^Create$")))
    expect(create).to_have_count(1)
    # the logged-in user by name, not Keystone's id; the time in the page's one format
    expect(create.locator("td").nth(3)).to_have_text("demo")
    expect(create.locator("td").nth(1)).to_have_text(re.compile(r"^\d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d UTC$"))
