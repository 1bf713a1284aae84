"""A French browser (fr-FR, Accept-Language) walks login, overview, instances, launch, a refused
launch and a bad form, and a live status change: no English left on those pages; the same walk in an
English browser shows no French.

What counts as English (or French) comes from the compiled catalogues: a visible text equal to an
msgid whose French differs is English left over; a visible text equal to such a msgstr is French.
"""

from __future__ import annotations

import gettext
import re

import pytest
from playwright.sync_api import expect

from tests.helpers import ARTIFACTS, ROOT, boot, unique

pytestmark = [pytest.mark.browser, pytest.mark.integration]

LOCALE = ROOT / "locale" / "fr" / "LC_MESSAGES"
LOCALES = {"fr": "fr-FR", "en": "en-US"}

VISIBLE_TEXT = """() => {
  const seen = (el) => el && el.checkVisibility({checkVisibilityCSS: true});
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = n.nodeValue.replace(/\\s+/g, " ").trim();
    const parent = n.parentElement;
    if (text && parent && !parent.closest("script, style, noscript, textarea") && seen(parent)) out.push(text);
  }
  for (const el of document.querySelectorAll("[title], [placeholder], [aria-label], [alt]")) {
    if (!seen(el)) continue;
    for (const name of ["title", "placeholder", "aria-label", "alt"]) {
      const value = el.getAttribute(name);
      if (value) out.push(value.replace(/\\s+/g, " ").trim());
    }
  }
  for (const part of document.title.split(" · ")) out.push(part.trim());
  return out;
}"""


def catalogue() -> dict[str, str]:
    """msgid -> French, from the compiled catalogues (`make messages-compile`), both domains."""
    pairs = {}
    for domain in ("django", "djangojs"):
        path = LOCALE / f"{domain}.mo"
        assert path.exists(), f"{path} is missing: run `make messages-compile`"
        with path.open("rb") as mo:
            for key, french in gettext.GNUTranslations(mo)._catalog.items():
                if not key:
                    continue  # the header
                msgid = key[0] if isinstance(key, tuple) else key
                pairs[msgid.split("\x04")[-1]] = french
    return pairs


def matchers(texts: set[str]) -> tuple[set[str], list[re.Pattern]]:
    """Exact texts, and patterns for those with placeholders (%(name)s, %s, %%)."""
    exact, patterns = set(), []
    for text in texts:
        shown = text.replace("%%", "%")
        if re.search(r"%(\(\w+\))?[sd]", text):
            if not re.search(r"[^\W\d_]", re.sub(r"%(\(\w+\))?[sd]", "", text)):
                continue  # placeholders and punctuation only ("%(action)s: %(name)s"): no language to tell
            body = re.escape(text.replace("%%", "%"))
            body = re.sub(r"%(\\\(\w+\\\))?[sd]", ".+?", body)
            patterns.append(re.compile(rf"^{body}$", re.S))
        elif len(shown) > 1:
            exact.add(shown)
    return exact, patterns


def other_language(language: str) -> tuple[set[str], list[re.Pattern]]:
    """What would be the wrong language on a page in `language`."""
    pairs = {msgid: french for msgid, french in catalogue().items() if french != msgid}
    return matchers(set(pairs) if language == "fr" else set(pairs.values()))


def wrong_language(page, language: str) -> list[str]:
    exact, patterns = other_language(language)
    found = []
    for text in page.evaluate(VISIBLE_TEXT):
        # raw strings written by the cloud (names, Nova's own words) are not Zenith's: only exact matches
        if text in exact or any(p.match(text) for p in patterns):
            found.append(text)
    return sorted(set(found))


def check(page, language: str, step: str) -> None:
    page.wait_for_load_state()
    page.screenshot(path=str(ARTIFACTS / f"i18n-{language}-{step}.png"), full_page=True)
    left = wrong_language(page, language)
    other = "English" if language == "fr" else "French"
    assert not left, f"{other} text on the {step} page in {language}: {left}"


@pytest.fixture(params=["fr", "en"])
def walk(request, chromium, zenith_url):
    """A browser whose language is French (then English), as a person's would be."""
    language = request.param
    context = chromium.new_context(
        base_url=zenith_url,
        viewport={"width": 1400, "height": 900},
        locale=LOCALES[language],
        extra_http_headers={"Accept-Language": f"{LOCALES[language]},{language};q=0.9"},
    )
    page = context.new_page()
    page.set_default_timeout(60_000)  # the shared cloud is slow under load
    ARTIFACTS.mkdir(exist_ok=True)
    yield language, page
    context.close()


WORDS = {
    "fr": {
        "login": "Se connecter",
        "launch": "Lancer une instance",
        "name_needed": "Ce champ est obligatoire.",  # Django's own catalogue
        "over_quota": "Quota dépassé, rien n’a été lancé.",
        "shut_off": "Éteinte",
        "live": "direct",
    },
    "en": {
        "login": "Log in",
        "launch": "Launch instance",
        "name_needed": "This field is required.",
        "over_quota": "Over quota, nothing was launched.",
        "shut_off": "Shut off",
        "live": "live",
    },
}


def test_walk_shows_only_the_browsers_language(walk, demo_sdk, cleanup):
    language, page = walk
    words = WORDS[language]

    page.goto("/auth/login/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("#login-form [type=submit]")).to_have_value(words["login"])
    check(page, language, "login")

    page.fill("input[name=username]", "demo")
    page.fill("input[name=password]", "demo")
    page.click("#login-form [type=submit]")
    page.wait_for_url("**/project/**")
    switcher = page.get_by_test_id("project-switcher")
    if switcher.inner_text().strip() != "demo":
        switcher.click()
        page.locator("button[data-project='demo']").click()
        page.wait_for_load_state()
    expect(switcher).to_have_text(re.compile(r"^\s*demo\s*$"))

    page.goto("/project/")
    expect(page.locator("[data-instance-total]")).not_to_have_text("…", timeout=40_000)
    check(page, language, "overview")

    page.goto("/project/instances/")
    expect(page.locator("#live-indicator")).to_have_text(words["live"])
    check(page, language, "instances")

    page.get_by_role("link", name=words["launch"]).click()
    page.wait_for_url("**/project/instances/launch/")
    check(page, language, "launch")

    # a bad form (no name) asking for more than the quota: both said in the page's language, input kept
    page.select_option("#id_image", demo_sdk.image.find_image("demo-image").id)
    page.fill("#id_name", "")
    page.locator("tr[data-flavor='m1.tiny'] input[type=radio]").check()
    page.fill("#id_count", "50")
    page.locator("#launch-form [type=submit]").click()
    expect(page.locator("#launch-form")).to_contain_text(words["name_needed"])
    expect(page.get_by_text(words["over_quota"])).to_be_visible()
    expect(page.locator("#id_count")).to_have_value("50")
    check(page, language, "launch-refused")

    # live changes: an instance launched and then stopped behind the page's back appears, turns
    # ACTIVE, then shuts off, its status in the page's words, the page never reloaded
    page.goto("/project/instances/")
    expect(page.locator("#live-indicator")).to_have_attribute("data-state", "live")
    page.evaluate("window.__notReloaded = true")
    server = boot(demo_sdk, unique("zt-i18n"), wait=False, cleanup=cleanup)
    row = page.locator(f"#instance-{server.id}")
    expect(row).to_be_visible(timeout=60_000)
    expect(row).to_have_attribute("data-status", "ACTIVE", timeout=300_000)
    demo_sdk.compute.stop_server(server)
    expect(row).to_have_attribute("data-status", "SHUTOFF", timeout=180_000)
    expect(row).to_contain_text(words["shut_off"])
    assert page.evaluate("window.__notReloaded") is True
    check(page, language, "live-update")


def test_the_checker_sees_english_on_a_french_page(walk):
    """The check can fail: an English msgid on a French page is found (and the other way round)."""
    language, page = walk
    page.goto("/auth/login/")
    leftover = "Log in with your OpenStack (Keystone) credentials." if language == "fr" else "Se connecter"
    page.evaluate(
        "(text) => { const p = document.createElement('p'); p.textContent = text; document.body.append(p); }", leftover
    )
    assert leftover in wrong_language(page, language)
