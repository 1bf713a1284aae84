"""Static files: hashed names, compressed copies, each URL worked out once per process.

`collectstatic` (`make static`) writes every file to STATIC_ROOT twice, as it is and under a name
with a hash of its content (`zenith.3f2a9c01b7e4.js`), with a manifest of the names, and beside
each a gzip and a Brotli copy (whitenoise's CompressedManifestStaticFilesStorage; Brotli from the
`Brotli` package). Templates' `{% static %}` gives the hashed name; whitenoise serves it with
`Cache-Control: max-age=315360000, public, immutable` (a new content is a new name) and the
smallest copy the browser accepts (`Content-Encoding: br` or `gzip`, `Vary: Accept-Encoding`).

A hashed file compressed by an earlier collectstatic is not compressed again (its name changes with
its content; `make static` takes ~20 s the first time, Brotli's best compression of 4 MB of files,
and ~2 s after), and each copy is written whole or not at all (a copy cut short would be served,
cached for good).

Where collectstatic has not run (the tests, a fresh checkout with DEBUG off) there is no manifest:
a file's URL is then its plain name, served from the apps' folders (WHITENOISE_USE_FINDERS), never
an error page.

Django's `{% static %}` asks the storage for a file's URL on every use (the manifest's lookup,
quoting and joining it to STATIC_URL: about 20 microseconds); every page's frame names nine files.
Files, the manifest and STATIC_URL do not change while a process runs, so the answer is kept. Only
the URLs of names that templates give are kept (a bounded set), never anything a request sends.
"""

from __future__ import annotations

import functools
import os
import re

from django.contrib.staticfiles.storage import StaticFilesStorage
from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage

_HASHED = re.compile(r"\.[0-9a-f]{12}\.[^./]+$")  # zenith.3f2a9c01b7e4.js: ManifestStaticFilesStorage's names


class KeptUrls(CompressedManifestStaticFilesStorage):
    def url(self, name, force=False):
        return _url(self, name, force)

    def create_compressor(self, **kwargs) -> Compressor:
        return OnceCompressor(**kwargs)


class OnceCompressor(Compressor):
    """whitenoise's compressor, but a hashed file's copies made by an earlier run are kept as they
    are, and a copy is written to a temporary file first, then renamed into place."""

    def compress(self, path):
        wanted = [path + suffix for suffix, used in ((".br", self.use_brotli), (".gz", self.use_gzip)) if used]
        if _HASHED.search(path) and wanted and all(os.path.exists(name) for name in wanted):
            return wanted
        return super().compress(path)

    def write_data(self, path, data, suffix, stat_result):
        filename = path + suffix
        partial = f"{filename}.{os.getpid()}.part"
        with open(partial, "wb") as f:
            f.write(data)
        os.utime(partial, (stat_result.st_atime, stat_result.st_mtime))
        os.replace(partial, filename)
        return filename


@functools.lru_cache(maxsize=1024)
def _url(storage: KeptUrls, name: str, force: bool) -> str:
    try:
        return CompressedManifestStaticFilesStorage.url(storage, name, force)
    except ValueError:  # no manifest, or a name it does not have: the plain name
        return StaticFilesStorage.url(storage, name)
