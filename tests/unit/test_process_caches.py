"""What a process keeps between pages: the cache's Redis client, static files' URLs."""

from __future__ import annotations

from django.contrib.staticfiles.storage import StaticFilesStorage
from django.core.cache import cache
from django.core.files.storage import storages
from django.templatetags.static import static

from dashboard.ui.storage import KeptUrls


def test_the_cache_keeps_one_redis_client_and_works():
    client = cache._cache.get_client()
    assert cache._cache.get_client() is client
    assert cache._cache.get_client(write=True) is client  # one server: one pool, one client
    cache.set("kept-client-probe", {"n": 1}, 30)
    assert cache.get("kept-client-probe") == {"n": 1}
    cache.delete("kept-client-probe")
    assert cache.get("kept-client-probe") is None


def test_static_urls_are_djangos_and_kept():
    assert isinstance(storages["staticfiles"], KeptUrls)
    plain = StaticFilesStorage()
    for name in ("zenith/zenith.js", "vendor/bootstrap/css/bootstrap.min.css", "a b/ü?.js"):
        assert static(name) == plain.url(name)
        assert static(name) is static(name)  # the same string: worked out once
    assert static("a b/ü?.js") == "/static/a%20b/%C3%BC%3F.js"
