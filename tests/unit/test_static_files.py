"""Static files as browsers get them (dashboard/ui/storage.py): hashed names, Brotli and gzip copies
served to who asks for them, cached for good; and each page loads only the scripts it uses.

collectstatic runs into a temporary STATIC_ROOT with Zenith's own files (the npm packages' copies
and Django REST framework's left out: a second or less), and the pages are asked through the
middleware chain as a browser asks them."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import brotli
import pytest
from django.conf import settings
from django.core.management import call_command
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.test import Client, override_settings

from dashboard.ui.storage import OnceCompressor
from tests.unit.test_list_weight import TABLES, made_up, page_html

FOREVER = "max-age=315360000, public, immutable"
SOURCE = Path(settings.BASE_DIR) / "dashboard" / "static" / "zenith" / "zenith.js"


@pytest.fixture
def collected(tmp_path):
    with override_settings(STATIC_ROOT=tmp_path):
        call_command("collectstatic", interactive=False, verbosity=0, ignore_patterns=["vendor", "rest_framework"])
        yield tmp_path


def test_pages_name_hashed_files(collected):
    url = static("zenith/zenith.js")
    assert re.fullmatch(r"/static/zenith/zenith\.[0-9a-f]{12}\.js", url), url
    assert static("zenith/zenith.js") is url  # worked out once
    assert (collected / url.removeprefix("/static/")).read_bytes() == SOURCE.read_bytes()
    # only the hashed copies are kept (the plain names come from the apps' folders)
    assert not (collected / "zenith" / "zenith.js").exists()


@pytest.mark.parametrize(
    ("asked", "encoding", "decode"),
    [("br", "br", brotli.decompress), ("gzip, deflate", "gzip", gzip.decompress), ("", None, bytes)],
)
def test_a_hashed_file_is_served_compressed_as_asked_and_cached_for_good(collected, asked, encoding, decode):
    url = static("zenith/zenith.js")
    answer = Client().get(url, headers={"accept-encoding": asked} if asked else {})
    assert answer.status_code == 200
    assert answer.headers.get("Content-Encoding") == encoding
    assert answer.headers["Cache-Control"] == FOREVER
    assert "Accept-Encoding" in answer.headers["Vary"]
    body = b"".join(answer.streaming_content)
    assert decode(body) == SOURCE.read_bytes()
    if encoding:
        assert len(body) < SOURCE.stat().st_size / 2


def test_a_plain_name_is_still_served_but_not_for_good(collected):
    answer = Client().get("/static/zenith/zenith.js")
    assert answer.status_code == 200 and "immutable" not in answer.headers["Cache-Control"]


def test_without_collectstatic_pages_name_the_plain_files(tmp_path):
    with override_settings(STATIC_ROOT=tmp_path / "none"):
        assert static("zenith/zenith.js") == "/static/zenith/zenith.js"
        answer = Client().get("/static/zenith/zenith.js")
        assert answer.status_code == 200 and b"".join(answer.streaming_content) == SOURCE.read_bytes()


def test_a_hashed_files_copies_are_made_once_and_whole(tmp_path):
    hashed = tmp_path / "zenith.0123456789ab.js"
    hashed.write_bytes(SOURCE.read_bytes())
    made = OnceCompressor(quiet=True).compress(str(hashed))
    assert sorted(Path(name).name for name in made) == ["zenith.0123456789ab.js.br", "zenith.0123456789ab.js.gz"]
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []
    Path(made[0]).write_bytes(b"kept")  # a later run keeps what an earlier one made
    OnceCompressor(quiet=True).compress(str(hashed))
    assert Path(made[0]).read_bytes() == b"kept"
    plain = tmp_path / "zenith.js"  # a name that is not hashed is compressed every time
    plain.write_bytes(SOURCE.read_bytes())
    OnceCompressor(quiet=True).compress(str(plain))
    Path(f"{plain}.br").write_bytes(b"old")
    OnceCompressor(quiet=True).compress(str(plain))
    assert brotli.decompress(Path(f"{plain}.br").read_bytes()) == SOURCE.read_bytes()


# --- which scripts a page loads ---------------------------------------------------------------------


def scripts(html: str) -> list[str]:
    return re.findall(r'<script src="([^"]+)"', html)


def test_a_page_without_charts_does_not_load_chart_js():
    name, table = next((n, t) for n, t in TABLES if n == "instances.INSTANCES")
    loaded = scripts(page_html(name, table, [made_up(table, i) for i in range(3)]))
    assert any("bootstrap.bundle" in s for s in loaded) and not any("chart" in s for s in loaded), loaded


def test_a_page_with_a_chart_loads_chart_js():
    html = render_to_string("usage/_chart.html", {"chart": {}})
    assert 'id="usage-chart"' in html
    name, table = next((n, t) for n, t in TABLES if n == "usage.PROJECT_REPORT")
    loaded = scripts(page_html(name, table, []))
    assert any("chart.umd" in s for s in loaded) and any("usage-chart" in s for s in loaded), loaded
