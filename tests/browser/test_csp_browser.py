"""Every page runs under the strict Content-Security-Policy with nothing refused: no inline script,
no inline style, nothing from elsewhere (a refused part would be a broken page)."""

from __future__ import annotations

import pytest

from tests.helpers import browser_login, unique

pytestmark = pytest.mark.browser

# the browser reports each refusal as this DOM event; recorded from the first script on
RECORD = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""

MEMBER_PAGES = [
    "/project/",
    "/project/instances/",
    "/project/instances/{id}/",
    "/project/instances/{id}/?tab=log",
    "/project/instances/{id}/?tab=console",
    "/project/instances/{id}/?tab=interfaces",
    "/project/instances/{id}/rename/",
    "/project/instances/{id}/resize/",
    "/project/instances/{id}/floating_ip/",
    "/project/instances/{id}/security_groups/",
    "/project/instances/launch/",
    "/project/usage/",
    "/project/images/",
    "/project/images/{image}/",
    "/project/images/{image}/volume/",
    "/project/images/create/",
    "/project/images/create/url/",
    "/project/networks/",
    "/project/networks/create/",
    "/project/networks/ports/instance/{id}/",
    "/project/routers/",
    "/project/routers/create/",
    "/project/floating-ips/",
    "/project/floating-ips/allocate/",
    "/project/security-groups/",
    "/project/security-groups/create/",
    "/project/topology/",
    "/project/volumes/",
    "/project/volumes/create/",
    "/project/volumes/snapshots/",
    "/project/volumes/backups/",
    "/project/volumes/transfers/",
    "/project/volumes/types/",
    "/project/containers/",
    "/project/containers/create/",
    "/project/containers/c/{container}/",
    "/project/containers/c/{container}/f/docs/",
    "/project/containers/c/{container}/metadata/",
    "/project/containers/c/{container}/public/",
    "/project/containers/c/{container}/folder/",
    "/project/containers/c/{container}/object/?name=docs/a.txt",
    "/project/containers/c/{container}/object/copy/?name=docs/a.txt",
    "/project/containers/c/{container}/object/share/?name=docs/a.txt",
    "/auth/keys/",
    "/api/docs/",
]
ADMIN_PAGES = [
    "/admin/overview/",
    "/admin/instances/",
    "/admin/hypervisors/",
    "/admin/hypervisors/services/",
    "/identity/projects/",
    "/identity/projects/create/",
    "/identity/users/",
    "/identity/users/create/",
    "/identity/groups/",
    "/identity/roles/",
    "/project/volumes/types/",
]


def visit(page, path: str, messages: list[str]) -> None:
    response = page.goto(path)
    assert response.status == 200, path
    csp = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "frame-ancestors 'none'" in csp
    page.wait_for_load_state("load")
    # parts a page loads after itself (htmx on load: the overview's figures, the usage counts)
    page.wait_for_function("() => !document.querySelector('.htmx-request, [data-pending=\\'true\\'] .placeholder')")
    refused = page.evaluate("window.__csp || []")
    assert refused == [], (path, refused)
    assert not [m for m in messages if "Content Security Policy" in m], (path, messages)


@pytest.fixture
def demo_container(demo_sdk, cleanup):
    """A Swift container of demo's with docs/a.txt, for the containers pages."""
    name = unique("zt-csp")
    store = demo_sdk.object_store
    assert store.put(f"/{name}").status_code == 201
    assert store.put(f"/{name}/docs/a.txt", data=b"a").status_code == 201
    cleanup.add(lambda: (store.delete(f"/{name}/docs/a.txt"), store.delete(f"/{name}")))
    return name


def test_every_page_runs_under_the_csp_with_nothing_refused(chromium, zenith_url, demo_instance, demo_container):
    for user, pages in (("demo", MEMBER_PAGES), ("admin", ADMIN_PAGES)):
        context = chromium.new_context(base_url=zenith_url, viewport={"width": 1400, "height": 900})
        context.add_init_script(RECORD)
        page = context.new_page()
        page.set_default_timeout(20_000)
        messages: list[str] = []
        page.on("console", lambda m, messages=messages: messages.append(m.text))
        try:
            visit(page, "/auth/login/", messages)
            browser_login(page, user, project=user)
            for path in pages:
                where = {"id": demo_instance.id, "image": demo_instance.image.id, "container": demo_container}
                visit(page, path.format(**where), messages)
        finally:
            context.close()


def test_an_injected_inline_script_does_not_run(page):
    """What the policy is for: markup that got into a page cannot run script."""
    browser_login(page, "demo", project="demo")
    directive = page.evaluate(
        """() => new Promise((resolve) => {
        document.addEventListener("securitypolicyviolation", (e) => resolve(e.violatedDirective), {once: true});
        const holder = document.createElement("div");
        holder.innerHTML = '<img src="/static/none.png" onerror="window.__pwned = true">';
        document.body.append(holder);
    })"""
    )
    assert directive.startswith("script-src")  # the browser refused the handler...
    assert page.evaluate("window.__pwned === undefined")  # ...which never ran
