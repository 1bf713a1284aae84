"""Zenith on a phone (390 px wide): the sidebar folds behind a menu button, the top bar fits with the
user's menu reachable, and no page is wider than the screen, in French, with 255-character names."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.helpers import ARTIFACTS, boot, browser_login, unique

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1400, "height": 900}
LOCALES = {"fr": "fr-FR", "en": "en-US"}

# the parts a page loads after itself (htmx on load) have arrived
SETTLED = "() => !document.querySelector('.htmx-request, [data-pending=\\'true\\'] .placeholder')"

# what sticks out of the window: the outermost elements whose right edge is past it
WIDER = """() => {
  const width = window.innerWidth;
  const out = [];
  for (const element of document.body.querySelectorAll("*")) {
    const box = element.getBoundingClientRect();
    if (box.right <= width + 1 || box.width === 0) continue;
    if (out.some((outer) => outer.contains(element))) continue;
    out.push(element);
  }
  const classes = (e) => (typeof e.className === "string" ? e.className.trim().split(/\\s+/) : []);
  const name = (e) => [e.tagName.toLowerCase() + (e.id ? "#" + e.id : ""), ...classes(e)].join(".");
  return {scroll: document.documentElement.scrollWidth, inner: width, out: out.slice(0, 5).map(name)};
}"""


def long_name(prefix: str, length: int = 255) -> str:
    """A name without a space, the longest OpenStack takes: 255 characters (Keystone's: 64)."""
    start = unique(prefix) + "-"
    return (start + "averyveryverylongname" * 13)[:length]


def browser(chromium, zenith_url, viewport: dict, language: str = "en"):
    """A browser context as a person's would be: its window's size and its language."""
    return chromium.new_context(
        base_url=zenith_url,
        viewport=viewport,
        locale=LOCALES[language],
        extra_http_headers={"Accept-Language": f"{LOCALES[language]},{language};q=0.9"},
    )


def too_wide(page) -> dict | None:
    """None when the document fits the window, else what sticks out."""
    page.wait_for_function(SETTLED)
    found = page.evaluate(WIDER)
    return found if found["scroll"] > found["inner"] else None


def open_user_menu(page) -> None:
    """Open the top bar's user menu (below lg) and wait until it has unfolded."""
    page.get_by_test_id("user-menu-button").click()
    expect(page.locator("#zenith-user-menu")).to_have_class(re.compile(r"\bcollapse show\b"))


def test_on_a_phone_the_menu_folds_behind_a_button_and_the_top_bar_fits(chromium, zenith_url):
    context = browser(chromium, zenith_url, PHONE)
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        browser_login(page, "demo", project="demo")
        page.goto("/project/volumes/")
        nav = page.locator("#zenith-nav")
        expect(nav).to_be_hidden()
        page.screenshot(path=str(ARTIFACTS / "phone-volumes-en-390.png"))
        # the content starts under the top bar, not under sixteen links
        assert page.locator("main").bounding_box()["y"] < 80
        assert page.locator("main h1").bounding_box()["y"] < 150
        # the top bar and everything shown on it are within the window
        bar = page.locator("nav.zenith-topbar")
        assert bar.bounding_box()["width"] <= PHONE["width"]
        assert too_wide(page) is None
        for shown in ("menu-button", "project-switcher", "user-menu-button"):
            box = page.get_by_test_id(shown).bounding_box()
            assert box and 0 <= box["x"] and box["x"] + box["width"] <= PHONE["width"], shown
        expect(page.get_by_test_id("logout")).to_be_hidden()

        # the user's menu: language, name, API keys, log out, all within the window
        open_user_menu(page)
        for shown in ("language-select", "username", "api-keys", "logout"):
            item = page.locator("nav.zenith-topbar").get_by_test_id(shown)
            expect(item).to_be_visible()
            box = item.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], shown
        expect(page.get_by_test_id("username")).to_contain_text("demo")
        page.screenshot(path=str(ARTIFACTS / "phone-user-menu-en-390.png"))
        page.get_by_test_id("api-keys").click()
        page.wait_for_url("**/auth/keys/")

        # the menu button opens the sidebar over the page, its groups by service, the page's group open
        page.get_by_test_id("menu-button").click()
        expect(nav).to_have_class(re.compile(r"\bshow\b"))
        expect(nav).not_to_have_class(re.compile(r"\bshowing\b"))  # slid in
        expect(nav).to_be_visible()
        assert nav.bounding_box()["width"] <= PHONE["width"]
        for group in ("compute", "volumes", "network", "object-store"):
            expect(nav.locator(f"[data-bs-target='#nav-{group}']")).to_be_visible()
        expect(nav.locator("[data-bs-target='#nav-admin']")).to_have_count(0)
        page.screenshot(path=str(ARTIFACTS / "phone-menu-open-en-390.png"))
        nav.get_by_role("link", name="Routers").click()
        page.wait_for_url("**/project/routers/")
        expect(page.locator("#zenith-nav")).to_be_hidden()
        expect(page.locator("#nav-network a[aria-current=page]")).to_have_text(re.compile("Routers"))

        open_user_menu(page)
        page.get_by_test_id("logout").click()
        page.wait_for_url("**/auth/login/**")
    finally:
        page.screenshot(path=str(ARTIFACTS / "phone-menu-en-390.png"), full_page=True)
        context.close()


def test_a_folded_group_stays_folded_and_the_pages_group_opens(chromium, zenith_url):
    context = browser(chromium, zenith_url, DESKTOP)
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        browser_login(page, "demo", project="demo")
        page.goto("/project/")
        volumes = page.locator("#nav-volumes")
        expect(volumes.get_by_role("link", name="Snapshots")).to_be_visible()
        page.locator("[data-bs-target='#nav-volumes']").click()
        expect(volumes).to_be_hidden()
        # printed folded by the server: hidden from the first paint, no script needed
        page.goto("/project/instances/")
        assert "collapse show" not in page.locator("#nav-volumes").get_attribute("class")
        expect(page.locator("[data-bs-target='#nav-volumes']")).to_have_attribute("aria-expanded", "false")
        expect(page.locator("#nav-network")).to_be_visible()
        # a page of the folded group: its group open, and folded again elsewhere
        page.goto("/project/volumes/backups/")
        expect(volumes.locator("a[aria-current=page]")).to_be_visible()
        page.goto("/project/images/")
        expect(volumes).to_be_hidden()
        page.locator("[data-bs-target='#nav-volumes']").click()
        expect(volumes).to_be_visible()
        page.goto("/project/images/")
        expect(volumes).to_be_visible()
    finally:
        context.close()


# --- every page at 390 px, in French ---------------------------------------------------------------


def get_routes() -> list[tuple[str, str]]:
    """(URL name, path) of every route of the URL conf that takes no argument."""
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(patterns, prefix: str, namespace: str):
        for p in patterns:
            if isinstance(p, URLResolver):
                inner = f"{namespace}{p.namespace}:" if p.namespace else namespace
                if not p.pattern.regex.groups:
                    yield from walk(p.url_patterns, prefix + str(p.pattern), inner)
            elif isinstance(p, URLPattern) and not p.pattern.regex.groups:
                path = "/" + (prefix + str(p.pattern)).replace("^", "").replace("$", "")
                yield f"{namespace}{p.name or ''}", path

    return list(walk(get_resolver().url_patterns, "", ""))


def detail_route_names() -> set[str]:
    """The URL names of the pages that show one resource (`*detail`, a container's objects)."""
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(patterns, namespace: str):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, f"{namespace}{p.namespace}:" if p.namespace else namespace)
            elif isinstance(p, URLPattern) and p.name and (p.name.endswith("detail") or p.name == "objects"):
                yield f"{namespace}{p.name}"

    return set(walk(get_resolver().url_patterns, ""))


@pytest.fixture(scope="module")
def long_named(devcloud, module_cleanup):
    """One resource of each kind with a detail page, each named with 255 characters: demo's
    instance, network (with a subnet), router, security group, volume, volume snapshot and container;
    an identity group (64, Keystone's longest). {URL name: (user, the URL's argument)}."""
    from tests.helpers import sdk

    demo, admin = sdk("demo"), sdk("admin")
    net = demo.network.create_network(name=long_name("zt-net"))
    module_cleanup.delete("network", net.id, conn=demo)
    subnet = demo.network.create_subnet(network_id=net.id, name=long_name("zt-sub"), ip_version=4, cidr="10.231.7.0/24")
    module_cleanup.delete("subnet", subnet.id, conn=demo)
    router = demo.network.create_router(name=long_name("zt-router"))
    module_cleanup.add(demo.network.delete_router, router.id)
    group = demo.network.create_security_group(name=long_name("zt-sg"))
    module_cleanup.delete("security_group", group.id, conn=demo)
    volume = demo.block_storage.create_volume(name=long_name("zt-vol"), size=1)
    module_cleanup.delete("volume", volume.id, conn=demo)
    container = long_name("zt-box")
    assert demo.object_store.put(f"/{container}").status_code == 201
    module_cleanup.add(demo.object_store.delete, f"/{container}")
    identity_group = admin.identity.create_group(name=long_name("zt-idg", 64), domain_id="default")
    module_cleanup.delete("group", identity_group.id, conn=admin)
    server = boot(demo, long_name("zt-vm"), cleanup=module_cleanup)
    demo.block_storage.wait_for_status(volume, "available", wait=120)
    snapshot = demo.block_storage.create_snapshot(volume_id=volume.id, name=long_name("zt-snap"))
    module_cleanup.delete("snapshot", snapshot.id, conn=demo)
    demo.block_storage.wait_for_status(snapshot, "available", wait=120)
    return {
        "instances:detail": ("demo", server.id),
        "images:detail": ("demo", server.image.id),
        "networks:detail": ("demo", net.id),
        "routers:detail": ("demo", router.id),
        "security_groups:detail": ("demo", group.id),
        "volumes:detail": ("demo", volume.id),
        "volumes:snapshots:detail": ("demo", snapshot.id),
        "containers:objects": ("demo", container),
        "identity:project_detail": ("admin", demo.current_project_id),
        "identity:group_detail": ("admin", identity_group.id),
    }


def test_every_page_fits_a_phone_in_french(chromium, zenith_url, long_named):
    """Every GET route without an argument, as the administrator (who sees them all), and one detail
    page per resource kind, at 390 px in French: none is wider than the window."""
    from django.urls import reverse

    assert detail_route_names() == set(long_named), "a new kind of detail page: add one to long_named"
    pages = {"admin": [path for _name, path in get_routes()], "demo": []}
    for name, (user, arg) in long_named.items():
        pages[user].append(reverse(name, args=[arg]))
    too_wide_pages, seen = {}, []
    for user, paths in pages.items():
        context = browser(chromium, zenith_url, PHONE, "fr")
        page = context.new_page()
        page.set_default_timeout(20_000)
        try:
            browser_login(page, user, project=user)
            for path in paths:
                # what a browser would not show as a page: POST-only routes, JSON, files, scripts
                head = page.request.get(path)
                if head.status == 405 or "text/html" not in head.headers.get("content-type", ""):
                    continue
                response = page.goto(path)
                assert response.status < 500, (path, response.status)
                if page.locator("nav.zenith-topbar").count():  # Zenith's pages (not Swagger UI's)
                    expect(page.locator("html")).to_have_attribute("lang", "fr")
                seen.append(path)
                if found := too_wide(page):
                    too_wide_pages[path] = found
                    page.screenshot(path=str(ARTIFACTS / f"too-wide{path.replace('/', '_')[:80]}.png"))
        finally:
            context.close()
    assert "/project/instances/" in seen and "/identity/users/" in seen and len(seen) > 40
    assert not too_wide_pages, "\n".join(f"{path}: {found}" for path, found in too_wide_pages.items())


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("width", [1400, 390])
def test_screenshots_of_the_main_pages(chromium, zenith_url, long_named, language, width):
    """The pages issue 32 names, as a person sees them (test-artifacts/look-*.png): the long names cut
    or wrapped, nothing wider than the window."""
    from django.urls import reverse

    context = browser(chromium, zenith_url, {"width": width, "height": 900}, language)
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        browser_login(page, "demo", project="demo")
        for what, path in (
            ("instances", "/project/instances/"),
            ("network", reverse("networks:detail", args=[long_named["networks:detail"][1]])),
            ("launch", "/project/instances/launch/"),
            ("usage", "/project/usage/"),
        ):
            page.goto(path)
            found = too_wide(page)
            page.screenshot(path=str(ARTIFACTS / f"look-{what}-{language}-{width}.png"), full_page=True)
            assert found is None, (path, found)
    finally:
        context.close()
