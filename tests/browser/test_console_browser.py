"""The remote console of an instance on the devcloud's real host (libvirt, zone real): opened from
the instance's page, noVNC connects to the guest and shows its screen, in English and French."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.helpers import ARTIFACTS, REAL_GUEST, boot, browser_login, context_in, unique

CONSOLE_WORD = {"en": "Console", "fr": "Console"}

# the distinct colours on noVNC's canvas (a sample of its pixels): a black screen has one, the guest's
# status screen (text on a background) several
CANVAS_COLOURS = """(selector) => {
  const canvas = document.querySelector(selector);
  if (!canvas || !canvas.width || !canvas.height) return 0;
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  const seen = new Set();
  for (let i = 0; i < data.length; i += 4 * 97) seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
  return seen.size;
}"""


@pytest.fixture(scope="module")
def real_server(demo_sdk, module_cleanup):
    """The tiny guest, booted by demo on the real host (no network): ACTIVE."""
    return boot(
        demo_sdk,
        unique("zt-console"),
        **REAL_GUEST,
        timeout=120,
        cleanup=module_cleanup,
    )


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_console_button_opens_novnc_on_the_guests_screen(chromium, zenith_url, real_server, language):
    context = context_in(chromium, zenith_url, language)
    page = context.new_page()
    page.set_default_timeout(20_000)
    console = None
    try:
        browser_login(page, "demo", project="demo")
        page.goto(f"/project/instances/{real_server.id}/")
        assert page.locator("html").get_attribute("lang") == language
        button = page.locator(f"button[data-console-for='{real_server.id}']").first
        expect(button).to_contain_text(CONSOLE_WORD[language])
        with context.expect_page() as opened:
            button.click()
        console = opened.value
        console.wait_for_url(re.compile(r"^http://127\.0\.0\.1:6080/"), timeout=30_000)
        # noVNC's own status line once the VNC session is up (vnc_lite.html, Nova's base URL here,
        # connects by itself and speaks English only)
        expect(console.locator("#status")).to_contain_text("Connected to", timeout=30_000)
        # the guest draws its status screen: more than one colour on the canvas
        console.wait_for_function(f"({CANVAS_COLOURS})('#screen canvas') >= 2", timeout=60_000)
        ARTIFACTS.mkdir(exist_ok=True)
        console.screenshot(path=str(ARTIFACTS / f"console-real-guest-{language}.png"))
        # the instance's page has no error to say ("Opening console…" is gone once the URL came)
        expect(page.locator(f"[data-console-status='{real_server.id}']")).to_have_text("")
    finally:
        if console is not None:
            console.close()
        context.close()


def test_the_spice_console_is_offered_and_shows_the_guests_screen(chromium, zenith_url, real_server):
    """The devcloud's Nova offers SPICE beside VNC (make demo says so to Zenith): the console button's
    menu offers both, by name, and the SPICE one opens Debian's HTML5 client on the guest's screen."""
    context = context_in(chromium, zenith_url, "fr")
    page = context.new_page()
    page.set_default_timeout(20_000)
    console = None
    try:
        browser_login(page, "demo", project="demo")
        page.goto(f"/project/instances/{real_server.id}/")
        page.locator("[data-console-choices] .dropdown-toggle").click()
        offered = page.locator(f"[data-console-for='{real_server.id}'][data-console-type]")
        expect(offered).to_have_text(["Console VNC", "Console SPICE"])
        with context.expect_page() as opened:
            offered.nth(1).click()
        console = opened.value
        console.wait_for_url(re.compile(r"^http://127\.0\.0\.1:6082/spice_auto\.html\?"), timeout=30_000)
        console.wait_for_function(f"({CANVAS_COLOURS})('#spice-screen canvas') >= 2", timeout=60_000)
        ARTIFACTS.mkdir(exist_ok=True)
        console.screenshot(path=str(ARTIFACTS / "console-real-guest-spice.png"))
        expect(page.locator(f"[data-console-status='{real_server.id}']")).to_have_text("")
    finally:
        if console is not None:
            console.close()
        context.close()
