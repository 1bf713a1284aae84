"""Template hygiene that a browser would otherwise show: Django comments {# #} end at the line, so a
comment spread over lines is printed on the page."""

from pathlib import Path

import dashboard


def test_no_template_comment_spans_lines():
    root = Path(dashboard.__file__).parent
    broken = []
    for path in root.rglob("templates/**/*.html"):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if line.count("{#") > line.count("#}"):
                broken.append(f"{path.relative_to(root)}:{number}")
    assert broken == []
