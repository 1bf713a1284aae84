"""Every action says what it started in a whole sentence of its own, and every bulk action asks its
own question: no label glued into a shared sentence ("Start: the selected rows?")."""

import importlib

import pytest
from django.utils import translation

from dashboard.cloud import instance_actions, volume_actions
from dashboard.cloud.actions import Action

CATALOGUES = [
    ("instance_actions", "ACTIONS"),
    ("volume_actions", "ACTIONS"),
    ("snapshots", "ACTIONS"),
    ("backups", "ACTIONS"),
    ("images", "ACTIONS"),
    ("networks", "ACTIONS"),
    ("routers", "ACTIONS"),
    ("secgroups", "ACTIONS"),
    ("floatingips", "ACTIONS"),
    ("containers", "ACTIONS"),
    ("objects", "OBJECT_ACTIONS"),
    ("objects", "FOLDER_ACTIONS"),
]


def _actions():
    for module, name in CATALOGUES:
        for action in getattr(importlib.import_module(f"dashboard.cloud.{module}"), name).values():
            yield pytest.param(action, id=f"{module}.{action.name}")


@pytest.mark.parametrize("action", list(_actions()))
def test_every_action_without_a_form_has_its_own_sentence_naming_its_subject(action: Action):
    if action.form:
        assert not action.done  # a form's page says what it did
        return
    for language in ("en", "fr"):
        with translation.override(language):
            said = action.done % {"subject": "web-1"}
        assert "web-1" in said and said.rstrip().endswith("."), (language, said)


@pytest.mark.parametrize(
    ("action", "question", "one", "two"),
    [
        (instance_actions.ACTIONS["start"], "Démarrer les instances sélectionnées ?", "1 instance démarre.", None),
        (instance_actions.ACTIONS["stop"], "Arrêter les instances sélectionnées ?", None, "2 instances s’arrêtent."),
        (instance_actions.ACTIONS["delete"], None, None, "2 instances sont en cours de suppression."),
        (volume_actions.ACTIONS["delete"], None, "1 volume est en cours de suppression.", None),
    ],
)
def test_every_bulk_action_asks_and_answers_in_whole_french_sentences(action, question, one, two):
    with translation.override("fr"):
        assert " ?" in str(action.bulk_confirm)  # French typography: a space before the question mark
        if question:
            assert str(action.bulk_confirm) == question
        if one:
            assert action.bulk_done % {"count": 1} == one
        if two:
            assert action.bulk_done % {"count": 2} == two


def test_every_bulk_action_has_its_question_and_its_sentence():
    for table, bulk in (
        (instance_actions.ACTIONS, instance_actions.BULK),
        (volume_actions.ACTIONS, volume_actions.BULK),
    ):
        for name in bulk:
            assert table[name].bulk_confirm and table[name].bulk_done, name
