"""A person uploads two files into a folder with a progress bar each, opens the folder and
downloads a file, whose bytes are the ones uploaded."""

import hashlib
import os
import re
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.helpers import ARTIFACTS, browser_login, unique

pytestmark = pytest.mark.browser


def _path(container: str, name: str = "") -> str:
    return "/" + quote(container, safe="") + ("/" + quote(name, safe="/") if name else "")


@pytest.fixture
def box(demo_sdk, cleanup):
    name = unique("zt-browser")
    assert demo_sdk.object_store.put(_path(name)).status_code == 201
    assert demo_sdk.object_store.put(_path(name, "docs/"), headers={"Content-Type": "application/directory"}).ok

    def drop():
        for row in demo_sdk.object_store.get(_path(name), params={"format": "json"}).json():
            demo_sdk.object_store.delete(_path(name, row["name"]))
        demo_sdk.object_store.delete(_path(name))

    cleanup.add(drop)
    return name


def test_upload_two_files_open_the_folder_and_download_one(page, demo_sdk, box, tmp_path):
    first, second = os.urandom(3 * 1024 * 1024), b"hello from the browser test\n"
    browser_login(page, "demo", project="demo")
    page.goto(f"/project/containers/c/{box}/")
    page.locator("a.folder-name", has_text="docs/").click()
    page.wait_for_url(f"**/c/{box}/f/docs/")
    assert "docs" in page.get_by_test_id("breadcrumbs").inner_text()

    page.get_by_test_id("upload-files").set_input_files(
        [
            {"name": "random.bin", "mimeType": "application/octet-stream", "buffer": first},
            {"name": "note.txt", "mimeType": "text/plain", "buffer": second},
        ]
    )
    page.get_by_test_id("upload-start").click()
    rows = page.get_by_test_id("upload-row")
    rows.first.wait_for()
    assert rows.count() == 2
    assert page.locator("[data-upload-row] progress").count() == 2
    page.locator("#upload-rows[data-finished='true']").wait_for(timeout=60_000)
    assert [rows.nth(i).get_attribute("data-state") for i in range(2)] == ["done", "done"]
    # sizes said as the pages say them (Zenith.size: binary units, in the page's language)
    assert re.search(r"3\s+MiB · uploaded", rows.nth(0).inner_text())
    assert "28 bytes · uploaded" in rows.nth(1).inner_text()
    page.screenshot(path=str(ARTIFACTS / "containers-uploaded.png"), full_page=True)

    stored = demo_sdk.object_store.get(_path(box, "docs/random.bin")).content
    assert hashlib.sha256(stored).digest() == hashlib.sha256(first).digest()
    assert demo_sdk.object_store.get(_path(box, "docs/note.txt")).content == second

    # the folder's table was read again: both files are listed; download one
    page.locator("a.object-name", has_text="note.txt").wait_for()
    row = page.locator("tr.object-row", has_text="random.bin")
    with page.expect_download() as info:
        row.get_by_test_id("download").click()
    saved = Path(tmp_path / "random.bin")
    info.value.save_as(saved)
    assert info.value.suggested_filename == "random.bin"
    assert hashlib.sha256(saved.read_bytes()).digest() == hashlib.sha256(first).digest()

    page.goto(f"/project/containers/c/{box}/")
    page.screenshot(path=str(ARTIFACTS / "containers-objects.png"), full_page=True)
