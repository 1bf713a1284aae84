"""The pollers' Redis bookkeeping (real Redis): whose token a poller uses, who watches, who polls."""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from dashboard.cloud.credentials import Credentials
from dashboard.live import state

pytestmark = pytest.mark.integration


def stored(project: str, hours: float, token: str) -> Credentials:
    expires = (datetime.now(UTC) + timedelta(hours=hours)).isoformat()
    return Credentials(
        project_id=project, token=token, token_body={"token": {}}, expires_at=expires, unscoped_token="unscoped"
    )


@pytest.fixture
def project():
    pid = f"test-{uuid.uuid4().hex}"
    yield pid
    for k in state.r().scan_iter(state.PREFIX + f"*{pid}*"):
        state.r().delete(k)


def test_the_freshest_watcher_token_is_kept_and_leaves_with_its_owner(project):
    state.offer_credentials(project, "member", "chan-a", stored(project, 1, "tok-a"))
    state.offer_credentials(project, "member", "chan-b", stored(project, 5, "tok-b"))
    state.offer_credentials(project, "member", "chan-c", stored(project, 2, "tok-c"))
    assert state.credentials(project, "member").token == "tok-b"
    held = json.loads(state.r().get(state.key("cred", project, "member")))
    # the project-scoped token only: the watcher's unscoped one could enter its other projects
    assert held["owner"] == "chan-b" and held["token"] == "tok-b" and "unscoped_token" not in held
    state.withdraw_credentials(project, "member", "chan-a")  # not the owner: nothing changes
    assert state.credentials(project, "member").token == "tok-b"
    state.withdraw_credentials(project, "member", "chan-b")
    assert state.credentials(project, "member") is None
    state.offer_credentials(project, "member", "chan-c", stored(project, 2, "tok-c"))
    assert state.credentials(project, "member").token == "tok-c"
    assert 0 < state.r().ttl(state.key("cred", project, "member")) <= state.CRED_TTL


def test_tokens_of_another_project_or_expired_are_never_taken(project):
    state.offer_credentials(project, "member", "chan-a", stored("some-other-project", 5, "tok-x"))
    state.offer_credentials(project, "member", "chan-b", stored(project, -1, "tok-old"))
    assert state.credentials(project, "member") is None


def test_a_refused_token_is_dropped_but_not_a_newer_one(project):
    state.offer_credentials(project, "member", "chan-a", stored(project, 1, "tok-a"))
    state.drop_credentials(project, "member", "tok-other")
    assert state.credentials(project, "member").token == "tok-a"
    state.drop_credentials(project, "member", "tok-a")
    assert state.credentials(project, "member") is None


def test_watchers_lapse_and_one_poller_chain_at_a_time(project, monkeypatch):
    state.watch(project, "instances", "chan-a")
    state.watch(project, "instances", "chan-b")
    assert state.watcher_count(project, "instances") == 2
    state.unwatch(project, "instances", "chan-a")
    assert state.watcher_count(project, "instances") == 1
    # a watcher that stops refreshing is gone after WATCH_TTL
    later = time.time() + state.WATCH_TTL + 1
    monkeypatch.setattr(state.time, "time", lambda: later)
    assert state.watcher_count(project, "instances") == 0

    chain = state.claim_poller(project, "instances", 10)
    assert chain and state.claim_poller(project, "instances", 10) is None
    assert state.still_owner(project, "instances", chain, 10)
    assert not state.still_owner(project, "instances", "another-chain", 10)
    state.release_poller(project, "instances", "another-chain")  # only the owner releases
    assert state.still_owner(project, "instances", chain, 10)
    state.release_poller(project, "instances", chain)
    assert state.claim_poller(project, "instances", 10) is not None
