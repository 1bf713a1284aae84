"""The API keys page and the API's documentation in Chromium."""

from __future__ import annotations

import pytest

from tests.helpers import ARTIFACTS, browser_login, unique

pytestmark = pytest.mark.browser


def test_api_docs_render_from_zenith_own_files(page, zenith_url):
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    loaded: list[str] = []
    page.on("request", lambda r: loaded.append(r.url))
    page.goto("/api/docs/")
    # Swagger UI read the schema and drew the operations
    page.wait_for_selector(".opblock-summary-path", timeout=30_000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any("/api/v1/instances/" in p for p in paths)
    assert page.locator(".title").first.inner_text().startswith("Zenith API")
    assert refused == []
    assert all(url.startswith(zenith_url) or url.startswith("data:") for url in loaded), loaded
    page.screenshot(path=str(ARTIFACTS / "api_docs.png"), full_page=False)


def test_a_key_is_made_shown_once_and_revoked_from_the_top_bar(page):
    browser_login(page, "demo", project="demo")
    page.get_by_test_id("api-keys").click()
    name = unique("zt-bkey")
    page.fill("#id_name", name)
    page.click("#api-key-form [type=submit]")
    key = page.locator("#new-api-key").inner_text().strip()
    assert key.startswith("zk_") and len(key) > 40
    row = page.locator(f"#api-keys tr:has-text('{name}')")
    assert row.count() == 1
    page.screenshot(path=str(ARTIFACTS / "api_keys_created.png"), full_page=True)
    page.goto("/auth/keys/")
    assert key not in page.content()
    page.once("dialog", lambda d: d.accept())
    page.get_by_test_id(f"revoke-{name}").click()
    page.wait_for_selector(".alert-success")
    assert page.locator(f"#api-keys tr:has-text('{name}')").count() == 0
