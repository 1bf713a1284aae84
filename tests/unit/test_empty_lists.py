"""A list with no rows yet says so in its own whole sentence, translated as a sentence: never a noun
glued into a shared template ("Rien dans ce projet pour l’instant (instances).")."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from django.utils import translation

from dashboard.panels.instances.lists import INSTANCES
from dashboard.panels.volumes.lists import VOLUMES
from dashboard.ui.jinja import macros
from tests.unit.test_list_declarations import IDS, TABLES


def _empty_row(table, language: str, filtered: bool = False, paged: bool = False) -> str:
    view = SimpleNamespace(table=table, filtered=filtered, paged=paged, clear_url="?")
    with translation.override(language):
        html = str(macros("ui/list.html").empty_row(view))
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_two_lists_say_they_are_empty_in_whole_different_french_sentences():
    instances, volumes = _empty_row(INSTANCES, "fr"), _empty_row(VOLUMES, "fr")
    assert instances == "Aucune instance dans ce projet pour l’instant."
    assert volumes == "Aucun volume dans ce projet pour l’instant."
    assert "(" not in instances + volumes


def test_the_english_sentence_is_the_lists_own():
    assert _empty_row(INSTANCES, "en") == "No instances in this project yet."


@pytest.mark.parametrize(("name", "table"), TABLES, ids=IDS)
def test_every_list_with_a_noun_has_its_own_translated_empty_sentence(name, table):
    if not any(table.noun):
        return
    with translation.override("en"):
        english = str(table.empty)
    with translation.override("fr"):
        french = str(table.empty)
    assert english.endswith("."), f"{name} has no empty sentence of its own"
    assert french != english, f"{name}: “{english}” is not translated"


def test_a_filtered_or_past_the_end_list_says_so_in_a_sentence_naming_no_resource():
    # "Aucun instance ne correspond…" was a noun glued into one sentence for every list
    for table in (INSTANCES, VOLUMES):
        assert _empty_row(table, "fr", filtered=True) == "Rien ne correspond à ce filtre. Tout afficher"
        assert _empty_row(table, "fr", paged=True) == "Plus rien à afficher après cette page. Première page"
    assert _empty_row(INSTANCES, "en", filtered=True) == "Nothing matches this filter. Show all"
