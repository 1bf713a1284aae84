"""The French catalogues are complete and current, and templates hold no text outside translation tags.

- every entry of locale/fr/LC_MESSAGES/{django,djangojs}.po is translated and none is fuzzy;
- the catalogues hold exactly the msgids of the code: makemessages is run over a copy of the code
  into a temporary folder and its msgids compared (`make messages` refreshes them);
- a scanner reads every template (dashboard/**/templates, and the Jinja2 ones in dashboard/**/jinja2)
  and fails on user-facing text outside {% translate %}/{% blocktranslate %} (Jinja2: `_()` and the
  other gettext calls): text between tags, user-visible attributes (title, placeholder, aria-label,
  alt, value of buttons, data-confirm...), and in Jinja2 words written as a string in an expression.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "locale" / "fr" / "LC_MESSAGES"
DOMAINS = ("django", "djangojs")
TEMPLATES = sorted(ROOT.glob("dashboard/**/templates/**/*.html"))
JINJA_TEMPLATES = sorted(ROOT.glob("dashboard/**/jinja2/**/*.html"))


# --- reading .po files ---------------------------------------------------------------------------
def read_po(path: Path) -> list[dict]:
    """The entries of a .po file (blocks separated by blank lines, as gettext writes them):
    msgctxt, msgid, msgid_plural, msgstr ({index: text}) and flags; obsolete (#~) ones left out."""
    entries = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        entry, field = {"flags": set(), "msgstr": {}}, None
        for line in block.strip().splitlines():
            line = line.strip()
            if line.startswith("#,"):
                entry["flags"].update(f.strip() for f in line[2:].split(","))
            elif line.startswith("#"):
                continue
            elif match := re.match(r'^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(".*")$', line):
                keyword, index, text = match.group(1), match.group(2), ast.literal_eval(match.group(3))
                field = ("msgstr", int(index or 0)) if keyword == "msgstr" else (keyword, None)
                if keyword == "msgstr":
                    entry["msgstr"][field[1]] = text
                else:
                    entry[keyword] = text
            elif line.startswith('"') and field is not None:
                if field[0] == "msgstr":
                    entry["msgstr"][field[1]] += ast.literal_eval(line)
                else:
                    entry[field[0]] += ast.literal_eval(line)
        if entry.get("msgid"):  # the header has an empty msgid
            entries.append(entry)
    return entries


def keys(entries: list[dict]) -> set[tuple]:
    return {(e.get("msgctxt"), e["msgid"], e.get("msgid_plural")) for e in entries}


@pytest.fixture(scope="module")
def fresh_catalogues(tmp_path_factory) -> dict[str, list[dict]]:
    """makemessages over a copy of the code, into an empty locale folder: the msgids the code has."""
    copy = tmp_path_factory.mktemp("messages")
    shutil.copy(ROOT / "manage.py", copy / "manage.py")
    shutil.copytree(
        ROOT / "dashboard",
        copy / "dashboard",
        ignore=shutil.ignore_patterns("vendor", "__pycache__"),
    )
    (copy / "locale").mkdir()
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="dashboard.settings", DASHBOARD_SECRET_KEY="messages-test")
    found = {}
    for domain in DOMAINS:
        result = subprocess.run(
            [sys.executable, "manage.py", "makemessages", "-l", "fr", "-d", domain, "--no-obsolete", "-v", "0"],
            cwd=copy,
            env=env,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        po = copy / "locale" / "fr" / "LC_MESSAGES" / f"{domain}.po"
        found[domain] = read_po(po) if po.exists() else []
    return found


# --- the catalogues ------------------------------------------------------------------------------
@pytest.mark.parametrize("domain", DOMAINS)
def test_catalogue_has_no_untranslated_entry(domain):
    entries = read_po(LOCALE / f"{domain}.po")
    assert entries, f"{domain}.po is empty"
    empty = [e["msgid"] for e in entries if not all(e["msgstr"].values()) or len(e["msgstr"]) == 0]
    assert not empty, f"untranslated in {domain}.po (translate them, see docs/adding-a-panel.md): {empty}"


@pytest.mark.parametrize("domain", DOMAINS)
def test_catalogue_has_no_fuzzy_entry(domain):
    fuzzy = [e["msgid"] for e in read_po(LOCALE / f"{domain}.po") if "fuzzy" in e["flags"]]
    assert not fuzzy, f"fuzzy (check the translation, then remove the flag) in {domain}.po: {fuzzy}"


@pytest.mark.parametrize("domain", DOMAINS)
def test_plural_entries_have_both_french_forms(domain):
    short = [
        e["msgid"] for e in read_po(LOCALE / f"{domain}.po") if e.get("msgid_plural") and sorted(e["msgstr"]) != [0, 1]
    ]
    assert not short, f"plural entries without msgstr[0] and msgstr[1] in {domain}.po: {short}"


@pytest.mark.parametrize("domain", DOMAINS)
def test_catalogue_is_up_to_date_with_the_code(domain, fresh_catalogues):
    code, catalogue = keys(fresh_catalogues[domain]), keys(read_po(LOCALE / f"{domain}.po"))
    missing, stale = code - catalogue, catalogue - code
    assert not missing, (
        f"strings of the code missing from {domain}.po (run `make messages`): {sorted(map(str, missing))}"
    )
    assert not stale, f"entries of {domain}.po the code no longer has (run `make messages`): {sorted(map(str, stale))}"


@pytest.mark.parametrize("domain", DOMAINS)
def test_catalogue_compiles(domain, tmp_path):
    result = subprocess.run(
        ["msgfmt", "--check", "-o", str(tmp_path / "out.mo"), str(LOCALE / f"{domain}.po")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_placeholders_survive_translation():
    """A translation keeps every %(name)s / {name} / %s of its msgid (msgfmt checks only c-format)."""
    wrong = []
    for domain in DOMAINS:
        for e in read_po(LOCALE / f"{domain}.po"):
            wanted = sorted(re.findall(r"%\(\w+\)[sd]|\{\w*\}|%[sd]", e["msgid"]))
            for index, text in e["msgstr"].items():
                got = sorted(re.findall(r"%\(\w+\)[sd]|\{\w*\}|%[sd]", text))
                source = e.get("msgid_plural") if index and e.get("msgid_plural") else e["msgid"]
                want = sorted(re.findall(r"%\(\w+\)[sd]|\{\w*\}|%[sd]", source))
                if got != want and not (e.get("msgid_plural") and index == 0 and set(got) <= set(wanted)):
                    wrong.append((e["msgid"], text))
    assert not wrong, f"placeholders differ: {wrong}"


# --- the template scanner ------------------------------------------------------------------------
# Not words a person reads in one language or the other: brand, symbols, units kept as is
ALLOWED_TEXT = {"Zenith", "OpenStack", "CSV", "ID", "IP", "UUID", "vCPU", "RAM", "—", "–", "·", "×", "…", "/", "%"}
VISIBLE_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt", "data-confirm", "data-bulk-confirm", "label")
TRANSLATED_BLOCK = re.compile(r"{%\s*blocktranslate\b.*?{%\s*endblocktranslate\s*%}", re.S)
COMMENT_BLOCK = re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|{#.*?#}", re.S)
TEMPLATE_TAG = re.compile(r"{%.*?%}|{{.*?}}", re.S)
# code samples (<code>, <pre>) are not words of either language
SCRIPT_OR_STYLE = re.compile(r"<(script|style|code|pre)\b.*?</\1>", re.S | re.I)
HTML_TAG = re.compile(r"<[^>]*>", re.S)
ATTRIBUTE = re.compile(r"""\s([\w:-]+)\s*=\s*("[^"]*"|'[^']*')""")


def is_words(text: str) -> bool:
    """Letters a person would read (not a symbol, number, entity or allowed name)."""
    text = " ".join(t for t in text.split() if not re.search(r"[=@/]", t))  # code: key=value, a@b, paths
    text = re.sub(r"&\w+;|&#\d+;", " ", text)
    text = re.sub(r"\b[a-z0-9]+(?:[-_.][a-z0-9]+)+\b", " ", text).strip()  # identifiers: zenith-login, a.b
    if not text or text in ALLOWED_TEXT:
        return False
    words = [w for w in re.findall(r"[^\W\d_]{2,}", text) if w not in ALLOWED_TEXT]
    return bool(words)


def untranslated_text(source: str) -> list[str]:
    """User-facing text of a template left outside translation tags."""
    found = []
    source = COMMENT_BLOCK.sub(" ", source)
    source = TRANSLATED_BLOCK.sub(" ", source)
    # attributes first, on the tags as written (a tag may hold template tags)
    for tag in re.findall(r"<[a-zA-Z][^<>]*(?:{[%{].*?[%}]}[^<>]*)*>", source, re.S):
        for name, value in ATTRIBUTE.findall(tag):
            if name.lower() in VISIBLE_ATTRIBUTES and is_words(TEMPLATE_TAG.sub(" ", value[1:-1])):
                found.append(f"{name}={value}")
        # a button's value is sent, not shown; an input button shows its value
        if re.match(r"<input\b", tag, re.I) and re.search(r"""type\s*=\s*["'](submit|button|reset)""", tag):
            for name, value in ATTRIBUTE.findall(tag):
                if name.lower() == "value" and is_words(TEMPLATE_TAG.sub(" ", value[1:-1])):
                    found.append(f"value={value}")
    # literal words handed to filters or included partials: {{ x|default:"(no name)" }}, create_label="..."
    for tag in re.findall(r"{[{%].*?[%}]}", source, re.S):
        if re.match(r"{%\s*(translate|trans|url|load|extends|static|block|language)\b", tag):
            continue
        for value in re.findall(r'(?:default|default_if_none|add):"([^"]*)"', tag) + re.findall(
            r'\b\w*(?:label|text|title|message|confirm|noun)\w*="([^"]*)"', tag
        ):
            if is_words(value):
                found.append(value)
    text = SCRIPT_OR_STYLE.sub(" ", source)
    text = TEMPLATE_TAG.sub("\n", text)
    text = HTML_TAG.sub("\n", text)
    for chunk in text.split("\n"):
        if is_words(chunk):
            found.append(chunk.strip())
    return found


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT / "dashboard")))
def test_template_has_no_text_outside_translation_tags(template):
    found = untranslated_text(template.read_text(encoding="utf-8"))
    assert not found, f"{template}: mark these with {{% translate %}}/{{% blocktranslate %}}: {found}"


GETTEXT_CALLS = {"_", "gettext", "ngettext", "pgettext", "npgettext"}
VISIBLE_KEYWORDS = re.compile(r"label|text|title|message|confirm|noun", re.I)


def untranslated_in_jinja(source: str) -> list[str]:
    """A Jinja2 template's user-facing text outside gettext calls: what untranslated_text finds
    between tags and in attributes, and strings in expressions that read as words to a person (a
    capital first, or a keyword argument named like a label) unless a gettext call takes them."""
    from jinja2 import Environment, nodes

    found = untranslated_text(source)
    tree = Environment(extensions=["jinja2.ext.i18n"], autoescape=True).parse(source)
    translated = {
        id(arg)
        for call in tree.find_all(nodes.Call)
        if getattr(call.node, "name", "") in GETTEXT_CALLS
        for arg in call.args
    }
    labelled = {
        id(kw.value) for call in tree.find_all(nodes.Call) for kw in call.kwargs if VISIBLE_KEYWORDS.search(kw.key)
    }
    for const in tree.find_all(nodes.Const):
        if not isinstance(const.value, str) or id(const) in translated or not is_words(const.value):
            continue
        if id(const) in labelled or re.match(r"[A-Z][a-z]", const.value):
            found.append(const.value)
    return found


@pytest.mark.parametrize("template", JINJA_TEMPLATES, ids=lambda p: str(p.relative_to(ROOT / "dashboard")))
def test_jinja_template_has_no_text_outside_gettext(template):
    found = untranslated_in_jinja(template.read_text(encoding="utf-8"))
    assert not found, f'{template}: mark these with _("…"): {found}'


def test_the_jinja_scanner_finds_words_outside_gettext_and_passes_the_rest():
    leaks = untranslated_in_jinja(
        '<h1>Volumes</h1><a title="Open it">{{ x or "None left" }}</a>'
        '{{ kit.menu(row, label="delete it") }}{% if a %}{{ "Yes" if a else "—" }}{% endif %}'
    )
    assert set(leaks) == {'title="Open it"', "Volumes", "None left", "delete it", "Yes"}
    marked = untranslated_in_jinja(
        '{# A comment with Words #}<h1>{{ _("Volumes") }}</h1><a title="{{ _(\'Open it\') }}">'
        '{{ x or _("None left") }}</a>{{ ngettext("%(num)s rule", "%(num)s rules", n) }}'
        '<span class="badge text-bg-{{ tone or \'info\' }} btn-sm">{{ "—" }}</span>{{ pgettext("ctx", "Live") }}'
    )
    assert marked == []


def test_makemessages_reads_the_jinja_templates(fresh_catalogues):
    """The Jinja2 templates' strings are in the catalogue makemessages makes (our command)."""
    msgids = {(e.get("msgctxt"), e["msgid"]) for e in fresh_catalogues["django"]}
    assert (None, "No action possible while %(state)s.") in msgids  # ui/kit.html
    assert (None, "Per page") in msgids  # ui/list.html
    assert ("live updates indicator", "live") in msgids  # ui/topbar.html, pgettext
    plural = [e for e in fresh_catalogues["django"] if e["msgid"] == "%(num)s rule"]
    assert plural and plural[0]["msgid_plural"] == "%(num)s rules"  # network/secgroup_cells.html, ngettext


def test_scanner_finds_text_attributes_and_buttons():
    """The scanner itself: it must catch what a template could leak, and pass what is marked."""
    leaks = untranslated_text(
        '{% load i18n %}<h1>Instances</h1><input placeholder="Name" value="x">'
        '<input type="submit" value="Go on"><button type="submit" value="delete">{% translate "Go" %}</button>'
        '<a title="Open it">x</a>'
        '<span aria-label="Close {{ name }}">{{ name }}</span>'
    )
    assert untranslated_text("<div>RAM GB-hours</div>") == ["RAM GB-hours"]
    assert untranslated_text('{{ a|default:"(no name)" }}{% include "x.html" with create_label="Launch one" %}') == [
        "(no name)",
        "Launch one",
    ]
    assert leaks == [
        'placeholder="Name"',
        'value="Go on"',
        'title="Open it"',
        'aria-label="Close {{ name }}"',
        "Instances",
    ]
    marked = untranslated_text(
        '{% load i18n %}<h1>{% translate "Instances" %}</h1><i class="bi bi-x"></i> Zenith · {{ count }} — 42 %'
        "<p>{% blocktranslate count n=count %}One {{ n }}{% plural %}Many {{ n }}{% endblocktranslate %}</p>"
        '<input placeholder="{% translate \'Name\' %}">{# a comment #}<script src="x.js"></script>'
    )
    assert marked == []


def test_the_french_catalogue_translates_for_real():
    """Django finds and uses the compiled catalogue (make messages-compile) with French plural rules."""
    from django.utils import translation

    with translation.override("fr"):
        assert translation.gettext("Log in") != "Log in"
        one = translation.ngettext(
            "Too many login attempts. Try again in %(minutes)d minute.",
            "Too many login attempts. Try again in %(minutes)d minutes.",
            1,
        )
        many = translation.ngettext(
            "Too many login attempts. Try again in %(minutes)d minute.",
            "Too many login attempts. Try again in %(minutes)d minutes.",
            5,
        )
    assert (
        one != many
        and "minute" in one
        and "minutes" in many
        and one != "Too many login attempts. Try again in %(minutes)d minute."
    )
