"""Static files' URLs, each worked out once per process.

Django's `{% static %}` asks the storage for a file's URL on every use (quoting and joining it to
STATIC_URL: about 20 microseconds); every page's frame names nine files. Files and STATIC_URL do not
change while a process runs, so the answer is kept. Only the URLs of names that templates give are
kept (a bounded set), never anything a request sends.
"""

from __future__ import annotations

import functools

from django.contrib.staticfiles.storage import StaticFilesStorage


class KeptUrls(StaticFilesStorage):
    def url(self, name):
        return _url(self, name)


@functools.lru_cache(maxsize=1024)
def _url(storage: KeptUrls, name: str) -> str:
    return StaticFilesStorage.url(storage, name)
