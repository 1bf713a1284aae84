"""What a process keeps between pages (docs/caches.md): static files' URLs and the sidebar are
Django's answers, worked out once; the sidebar holds nothing of a user; the cache's Redis
connections are the process's, not a request's."""

from __future__ import annotations

import contextvars

from django.contrib.staticfiles.storage import StaticFilesStorage
from django.core.cache import caches
from django.core.files.storage import storages
from django.template import Context, Template
from django.templatetags.static import static
from django.test import override_settings
from django.utils import translation

from dashboard import redis_client
from dashboard.ui.nav import groups, urls
from dashboard.ui.storage import KeptUrls


def test_static_urls_are_djangos_and_kept(tmp_path):
    # where collectstatic has not run (no manifest): the plain names (tests/unit/test_static_files.py
    # has the hashed ones)
    with override_settings(STATIC_ROOT=tmp_path):
        assert isinstance(storages["staticfiles"], KeptUrls)
        plain = StaticFilesStorage()
        for name in ("zenith/zenith.js", "vendor/bootstrap/css/bootstrap.min.css", "a b/ü?.js"):
            assert static(name) == plain.url(name)
            assert static(name) is static(name)  # the same string: worked out once
        assert static("a b/ü?.js") == "/static/a%20b/%C3%BC%3F.js"


def sidebar(language: str, admin: bool, active: str) -> str:
    context = {"nav_groups": groups(admin), "nav_folded": frozenset(), "active_nav": active}
    with translation.override(language):
        return Template("{% load zenith_kit %}{% sidebar %}").render(Context(context))


def test_the_kept_sidebar_follows_language_kind_of_user_and_entry():
    volumes = next(url for url in urls() if "volumes" in url)
    english, french = sidebar("en", False, volumes), sidebar("fr", False, volumes)
    assert "Volumes" in english and "Volumes" in french and english != french  # "Compute" / "Calcul"
    assert f'href="{volumes}" aria-current="page"' in english
    assert 'id="nav-admin"' not in english and 'id="nav-admin"' in sidebar("en", True, volumes)
    assert 'aria-current="page"' not in sidebar("en", False, "")
    assert sidebar("en", False, volumes) == english  # kept: the same again


def test_requests_read_their_sessions_on_the_process_redis_connections():
    """Under ASGI every request runs in a context of its own, where Django makes a new cache object
    (a new context here): their reads go over the process's pool, not a new connection each."""

    def a_request():
        cache = caches["default"]
        cache.get("zenith-test-session-probe")
        return cache

    def connections() -> int:
        return redis_client.client().info("stats")["total_connections_received"]

    a_request()  # the pool's first connection
    before = connections()
    seen = [contextvars.Context().run(a_request) for _ in range(30)]
    made = connections() - before
    assert len({id(cache) for cache in seen}) == 30  # Django's own: one cache object per context
    assert made < 10, made  # Redis's count is the server's: another client may connect meanwhile
    assert len({id(cache._cache.get_client().connection_pool) for cache in seen}) == 1
