"""The domains' names a session's token already gives (the projects list asks Keystone for the
domains only when a project is in another one)."""

from dashboard.cloud.identity import domains_in_token


def test_the_users_and_the_projects_domains_are_named_from_the_token():
    body = {
        "token": {
            "user": {"id": "u", "domain": {"id": "default", "name": "Default"}},
            "project": {"id": "p", "domain": {"id": "d2", "name": "Lab"}},
        }
    }
    assert domains_in_token(body) == {"default": "Default", "d2": "Lab"}


def test_a_token_without_domains_names_none():
    assert domains_in_token({"token": {"user": {"id": "u"}}}) == {}
    assert domains_in_token(None) == {}
