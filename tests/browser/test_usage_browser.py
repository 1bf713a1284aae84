"""The instance page's Usage card in a real browser, from the devcloud's Gnocchi: a member sees the
CPU chart drawn from the measures, and a new measure joins it live, without reload, in French and
in English."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.gnocchi import measure_instance, one_more_cpu_minute
from tests.helpers import ARTIFACTS, boot, browser_login, context_in, unique

pytestmark = pytest.mark.browser

WORDS = {
    "fr": {"hour": "Dernière heure", "no_network": "Cette instance n’a aucune interface réseau.", "cpu_axis": "%"},
    "en": {"hour": "Last hour", "no_network": "This instance has no network interface.", "cpu_axis": "%"},
}


@pytest.fixture(params=["fr", "en"])
def page_in(request, chromium, zenith_url):
    language = request.param
    context = context_in(chromium, zenith_url, language)
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield language, page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"usage-card-{language}.png"), full_page=True)
    context.close()


def test_a_member_sees_the_cpu_chart_gain_a_point_live(page_in, demo_sdk, cleanup):
    language, page = page_in
    words = WORDS[language]
    server = boot(demo_sdk, unique("zt-usage"), network=None, cleanup=cleanup)
    measured = measure_instance(server)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    browser_login(page, "demo", project="demo")
    page.goto(f"/project/instances/{server.id}/")
    expect(page.locator("#live-indicator")).to_have_attribute("data-state", "live")
    cpu = page.locator("#usage canvas[data-chart='cpu']")
    # 10 minutes written: 9 rates
    expect(cpu).to_have_attribute("data-points", "9")
    assert cpu.bounding_box()["height"] > 50
    expect(page.locator("#usage-ranges [aria-pressed='true']")).to_have_text(words["hour"])
    expect(page.locator("[data-usage-note='no-network']")).to_have_text(words["no_network"])
    page.evaluate("window.__notReloaded = true")

    one_more_cpu_minute(measured)
    # the metrics poller reads Gnocchi every 30 s
    expect(cpu).to_have_attribute("data-points", "10", timeout=90_000)
    assert page.evaluate("window.__notReloaded") is True

    # another range: the card's body is swapped, the chart drawn again by the hour
    page.locator("#usage-ranges [data-range='week']").click()
    expect(page.locator("#usage-ranges [data-range='week']")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#usage canvas[data-chart='memory']")).to_have_attribute("data-points", re.compile(r"^[1-9]"))
    # every chart drawn (their ticks speak the page's language) without a script error
    expect(page.locator("#usage canvas[data-chart='disk']")).to_have_attribute("data-points", re.compile(r"^\d"))
    assert errors == []
