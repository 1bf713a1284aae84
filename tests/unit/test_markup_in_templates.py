"""Markup lives in template files: no string in dashboard/'s Python holds an HTML element (docstrings
aside). Read from the source with `ast`, so a string built anywhere counts. URL patterns
(`<uuid:server_id>`, `(?P<action>…)`) and words in angle brackets (`Bearer <key>`) are not HTML."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import dashboard

ROOT = Path(dashboard.__file__).parent
# the elements a page is made of: a string holding one of them is markup
ELEMENTS = (
    "a abbr article aside b br button caption code col dd details div dl dt em fieldset footer form h1 h2 h3 h4 "
    "h5 h6 header hr i iframe img input label legend li link main meta nav ol optgroup option p path pre script "
    "section select small span strong style sub summary sup svg table tbody td template textarea tfoot th thead "
    "title tr u ul"
).split()
TAG = re.compile(r"</?(?:" + "|".join(ELEMENTS) + r")(?:\s[^<>]*)?/?>", re.I)


def docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def markup_in(source: str, name: str = "<source>") -> list[tuple[int, str]]:
    """(line, text) of every string (f-strings' parts included) holding an HTML element."""
    tree = ast.parse(source, name)
    skip = docstrings(tree)
    found = {
        node.lineno: node.value[:60]
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
        if TAG.search(node.value)
    }
    return sorted(found.items())


def test_no_python_module_of_dashboard_holds_markup():
    found = {
        path.relative_to(ROOT).as_posix(): markup
        for path in sorted(ROOT.rglob("*.py"))
        if "migrations" not in path.parts and (markup := markup_in(path.read_text(), str(path)))
    }
    assert found == {}, f"markup belongs in a template (dashboard/**/templates or jinja2): {found}"


def test_the_check_sees_markup_and_only_markup():
    source = '''
"""A module docstring may say <tr> and <td>."""
ROW = '<tr data-id="{id}">'
CELL = f"<td>{value}</td>"
CLOSE = "</div>"
BUTTON = "<button type=submit>"
URL = "instances/<uuid:server_id>/action/"
PATTERN = r"^(?P<action>[a-z_]+)/$"
TEXT = "Authorization: Bearer <key>"
COMPARE = "a<b and c<i"
'''
    assert [line for line, _ in markup_in(source)] == [3, 4, 5, 6]
