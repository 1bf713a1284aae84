"""Django's makemessages, which also reads the Jinja2 templates (each app's jinja2/ folder).

Django reads its own templates through `templatize`; a Jinja2 template is read by Jinja2's own
extractor instead (`_()`, `gettext`, `ngettext`, `pgettext`, `npgettext` calls), written out as the
same calls in Python, one per line where it was found, for xgettext. `make messages` and
tests/unit/test_translations.py run it as `manage.py makemessages`.
"""

from __future__ import annotations

import os

from django.core.management.commands import makemessages
from jinja2 import Environment

_JINJA = Environment(extensions=["jinja2.ext.i18n"], autoescape=True)  # only read for its strings


def is_jinja(path: str) -> bool:
    return f"{os.sep}jinja2{os.sep}" in path and path.endswith(".html")


def as_python(source: str) -> str:
    """The template's translatable strings as Python gettext calls, each on its template line."""
    lines = [""] * (source.count("\n") + 1)
    for lineno, function, message in _JINJA.extract_translations(source):
        strings = message if isinstance(message, tuple) else (message,)
        if function == "_":
            function = "gettext"
        call = f"{function}({', '.join(repr(s) for s in strings if s is not None)})"
        lines[lineno - 1] += call + "; "
    return "\n".join(lines)


class JinjaAwareBuildFile(makemessages.BuildFile):
    @property
    def is_templatized(self):
        return self.domain == "django" and (is_jinja(self.path) or super().is_templatized)

    def preprocess(self):
        if not is_jinja(self.path) or self.domain != "django":
            return super().preprocess()
        with open(self.path, encoding="utf-8") as template:
            content = as_python(template.read())
        with open(self.work_path, "w", encoding="utf-8") as out:
            out.write(content)


class Command(makemessages.Command):
    build_file_class = JinjaAwareBuildFile
