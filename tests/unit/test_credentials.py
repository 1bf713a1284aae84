"""The logged-in user's credentials: one object, stored as the session always kept them, with its
tokens sealed and out of sight."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from dashboard.cloud.credentials import Credentials
from dashboard.cloud.secrets import open_sealed, seal

LATER = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
EARLIER = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()


def token_document(*regions: str) -> dict:
    endpoints = [{"region_id": r, "interface": "public", "url": f"https://{r}.example/"} for r in regions]
    return {"token": {"catalog": [{"type": "compute", "endpoints": endpoints}, {"type": "image", "endpoints": []}]}}


def access_info(token: str, expires: datetime, **fields) -> SimpleNamespace:
    """What keystoneauth's AccessInfo gives Credentials (a login's or a project scope's)."""
    return SimpleNamespace(auth_token=token, expires=expires, **fields)


# a session made before Credentials existed: the dict the login view kept, key by key
OLD_SESSION = {
    "user_id": "u1",
    "username": "demo",
    "domain": "Default",
    "unscoped_token": seal("unscoped-secret"),
    "unscoped_expires": LATER,
    "projects": [{"id": "p1", "name": "demo", "domain_id": "default"}, {"id": "p2", "name": "alt"}],
    "language": "fr",
    "token": seal("scoped-secret"),
    "token_body": token_document("RegionTwo", "RegionOne"),
    "expires_at": LATER,
    "project_id": "p1",
    "project_name": "demo",
    "roles": ["admin", "member"],
    "region": "RegionTwo",
}


def test_a_session_from_before_the_object_reads_and_writes_back_the_same():
    credentials = Credentials.from_dict(OLD_SESSION)
    assert (credentials.user_id, credentials.project_name, credentials.region) == ("u1", "demo", "RegionTwo")
    assert credentials.is_admin and credentials.has_project and credentials.has_live_token
    assert credentials.regions == ["RegionOne", "RegionTwo"]
    assert credentials.opened_token() == "scoped-secret"
    assert credentials.to_dict() == OLD_SESSION
    assert Credentials.from_dict(credentials.to_dict()) == credentials


def test_login_then_project_then_region():
    now = datetime.now(UTC)
    unscoped = access_info("unscoped-secret", now + timedelta(hours=2), user_id="u1")
    user = Credentials.at_login(unscoped, "demo", "Default", [{"id": "p1", "name": "demo"}])
    assert user.is_authenticated and not user.has_project and not user.has_live_token
    assert not user.is_expired  # the unscoped token counts until a project is chosen
    assert "token" not in user.to_dict() and open_sealed(user.to_dict()["unscoped_token"]) == "unscoped-secret"

    scoped = access_info(
        "scoped-secret",
        now + timedelta(hours=1),
        _data=token_document("RegionOne", "RegionTwo"),
        project_id="p1",
        project_name="demo",
        role_names=["member", "reader"],
    )
    assert user.in_project(scoped, "RegionTwo").region == "RegionTwo"
    entered = user.in_project(scoped, "Nowhere")  # a region the catalog lacks: its first one
    assert (entered.region, entered.roles, entered.is_admin) == ("RegionOne", ("member", "reader"), False)
    assert entered.opened_token() == "scoped-secret" and entered.opened_unscoped_token() == "unscoped-secret"
    assert entered.has_live_token and entered.in_region("RegionTwo").region == "RegionTwo"


def test_expired_or_unopenable_tokens_do_not_act():
    assert Credentials.from_dict({**OLD_SESSION, "expires_at": EARLIER}).is_expired
    assert not Credentials.from_dict({**OLD_SESSION, "expires_at": EARLIER}).has_live_token
    assert Credentials().is_expired and not Credentials().is_authenticated
    # sealed under another SECRET_KEY, or never sealed (a session from before sealing)
    foreign = Credentials.from_dict({**OLD_SESSION, "token": "gAAAAAnot-ours", "unscoped_token": "plain-token"})
    assert foreign.opened_token() == "" and foreign.opened_tokens() == []


def test_a_poller_gets_the_project_scoped_token_only():
    held = Credentials.from_dict(OLD_SESSION).project_scoped().to_dict()
    assert held["token"] == OLD_SESSION["token"] and held["project_id"] == "p1" and held["region"] == "RegionTwo"
    assert not {"unscoped_token", "unscoped_expires", "projects", "language"} & set(held)
    assert Credentials.from_dict({"owner": "a-channel", **held}).token == OLD_SESSION["token"]


def test_neither_token_nor_token_document_shows_in_its_text():
    credentials = Credentials.from_dict(OLD_SESSION)
    for text in (repr(credentials), str(credentials), f"{credentials}"):
        assert "demo" in text
        assert OLD_SESSION["token"] not in text and OLD_SESSION["unscoped_token"] not in text
        assert "catalog" not in text and "secret" not in text
