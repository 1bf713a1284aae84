"""Logging in with Keystone credentials, working per project, and the session's safety."""

import re
import threading
import time
import uuid
import zlib
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
import redis
import requests
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.contrib.sessions.backends.cached_db import KEY_PREFIX
from django.contrib.sessions.models import Session
from django.core import signing
from django.core.cache import cache
from django.test import Client, override_settings

from dashboard.accounts import throttle
from dashboard.cloud import keystone
from tests.helpers import login, project_id_of, session_tokens, switch_to, token_works, unique

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_good_login_lands_on_instances_of_a_project(client, devcloud):
    response = login(client, "demo")
    assert response.status_code == 302
    assert response["Location"] == "/project/instances/"
    page = client.get("/project/instances/")
    assert page.status_code == 200
    stored = client.session["keystone"]
    assert stored["project_name"] in ("demo", "alt")
    assert {p["name"] for p in stored["projects"]} == {"demo", "alt"}
    assert b'data-testid="project-switcher"' in page.content


def test_wrong_password_shows_keystone_refusal_not_an_error(client, devcloud):
    response = client.post("/auth/login/", {"username": "demo", "password": "nope"})
    assert response.status_code == 401
    assert b"Wrong user name or password" in response.content
    assert "keystone" not in client.session


def test_unknown_user_is_refused_the_same_way(client, devcloud):
    response = client.post("/auth/login/", {"username": "nobody-here", "password": "x"})
    assert response.status_code == 401
    assert b"Wrong user name or password" in response.content


def test_disabled_user_gets_keystone_refusal_in_words(client, admin_sdk, cleanup):
    user = admin_sdk.identity.create_user(
        name=unique("zt-disabled"), password="pw-disabled", domain_id="default", is_enabled=False
    )
    cleanup.delete("user", user.id, conn=admin_sdk)
    response = login(client, user.name, password="pw-disabled")
    assert response.status_code == 401
    assert b"or the account is disabled or locked" in response.content
    assert "keystone" not in client.session


def test_a_login_in_the_second_of_a_password_change_gets_in(client, admin_sdk, cleanup):
    # Keystone revokes by the second and a Fernet token's time is whole seconds: a token issued in
    # the second of the change is refused when first used (a redirect to "session expired" before)
    project = admin_sdk.identity.find_project("demo", ignore_missing=False)
    user = admin_sdk.identity.create_user(
        name=unique("zt-newpass"), password="pw-first-1", domain_id="default", default_project_id=project.id
    )
    cleanup.delete("user", user.id, conn=admin_sdk)
    member = next(r for r in admin_sdk.identity.roles() if r.name == "member")
    admin_sdk.identity.assign_project_role_to_user(project, user, member)
    for attempt in range(3):
        time.sleep(1 - time.time() % 1)  # the change and the login early in one second
        admin_sdk.identity.update_user(user, password=f"pw-next-{attempt}")
        response = login(client, user.name, password=f"pw-next-{attempt}")
        assert (response.status_code, response["Location"]) == (302, "/project/instances/")
        assert client.session["keystone"]["user_id"] == user.id
        assert client.get("/project/instances/").status_code == 200
        client.post("/auth/logout/")


def test_empty_form_asks_for_fields(client, devcloud):
    response = client.post("/auth/login/", {"username": "", "password": ""})
    assert response.status_code == 400
    assert b"This field is required" in response.content


def test_switch_demo_to_alt_and_back_rescopes_the_token(demo_client, demo_sdk):
    before_token, _ = session_tokens(demo_client)
    old_key = demo_client.session.session_key
    response = switch_to(demo_client, "alt", "/project/instances/")
    assert response.status_code == 302 and response["Location"] == "/project/instances/"
    after = demo_client.session["keystone"]
    assert after["project_name"] == "alt"
    assert session_tokens(demo_client)[0] != before_token
    assert demo_client.session.session_key != old_key
    # the old demo-scoped token was revoked when the user left the project
    assert not token_works(before_token)
    page = demo_client.get("/project/instances/")
    assert page.status_code == 200
    assert b'class="current-project text-truncate">alt<' in page.content
    switch_to(demo_client, "demo")
    assert demo_client.session["keystone"]["project_name"] == "demo"


def test_last_used_project_is_remembered_at_next_login(demo_client):
    switch_to(demo_client, "alt")
    fresh = Client()
    login(fresh, "demo")
    assert fresh.session["keystone"]["project_name"] == "alt"
    switch_to(fresh, "demo")


def test_switch_to_a_project_without_a_role_is_refused(alt_client, demo_client):
    demo_project = project_id_of(demo_client, "demo")
    response = alt_client.post("/auth/switch/", {"project_id": demo_project, "next": "/project/"})
    assert response.status_code == 302
    assert alt_client.session["keystone"]["project_name"] == "alt"


def test_user_without_project_gets_a_clear_page(client, devcloud):
    response = login(client, "lonely")
    assert response.status_code == 302 and response["Location"] == "/auth/no-project/"
    page = client.get("/auth/no-project/")
    assert page.status_code == 200
    assert b"no role in any project" in page.content
    # and other pages send them there rather than failing
    assert client.get("/project/instances/")["Location"] == "/auth/no-project/"


def test_logout_revokes_the_token_and_clears_the_session(demo_client):
    token, unscoped = session_tokens(demo_client)
    assert token_works(token)
    response = demo_client.post("/auth/logout/")
    assert response.status_code == 302 and response["Location"] == "/auth/login/"
    assert not token_works(token)
    assert not token_works(unscoped)
    assert "keystone" not in demo_client.session
    assert demo_client.get("/project/instances/")["Location"].startswith("/auth/login/")


def test_logout_needs_post(demo_client):
    assert demo_client.get("/auth/logout/").status_code == 405


def test_revoked_token_sends_to_login_then_back_to_the_page(demo_client):
    token, _ = session_tokens(demo_client)
    keystone.revoke(token)
    response = demo_client.get("/project/?tab=x")
    assert response.status_code == 302
    assert response["Location"].startswith("/auth/login/?reason=expired&next=")
    page = demo_client.get(response["Location"])
    assert b"Your session has expired" in page.content
    back = login(demo_client, "demo", next="/project/?tab=x")
    assert back["Location"] == "/project/?tab=x"


def test_expired_token_is_noticed_before_calling_the_cloud(demo_client):
    session = demo_client.session
    stored = dict(session["keystone"])
    stored["expires_at"] = "2000-01-01T00:00:00+00:00"
    session["keystone"] = stored
    session.save()
    response = demo_client.get("/project/instances/")
    assert response["Location"] == "/auth/login/?reason=expired&next=%2Fproject%2Finstances%2F"


def test_no_open_redirect_after_login(client, devcloud):
    for target in ("https://evil.example/", "//evil.example/x", "/auth/logout/"):
        response = login(client, "demo", next=target)
        assert response["Location"] == "/project/instances/", target


def test_token_never_reaches_the_browser(demo_client):
    page = demo_client.get("/project/instances/")
    for token in session_tokens(demo_client):
        assert token.encode() not in page.content
        for cookie in demo_client.cookies.values():
            assert token not in cookie.value
    cookie = demo_client.cookies["zenith_session"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def readable_without_the_key(session_data: str) -> str:
    """What a copy of the session table shows anyone: Django signs session data, it does not
    encrypt it (payload:timestamp:signature, the payload base64 and maybe zlib)."""
    payload = session_data.rsplit(":", 2)[0]
    data = signing.b64_decode(payload.lstrip(".").encode())
    return (zlib.decompress(data) if payload.startswith(".") else data).decode()


def raw_session_cache_entry(session_key: str) -> bytes:
    """The session's entry in the Redis cache, as Redis holds it."""
    client = redis.Redis.from_url(settings.REDIS_URL)
    return client.get(cache.make_key(KEY_PREFIX + session_key))


def test_tokens_are_sealed_in_the_session_table_and_cache(demo_client):
    session_key = demo_client.cookies["zenith_session"].value
    table = readable_without_the_key(Session.objects.get(session_key=session_key).session_data)
    cached = raw_session_cache_entry(session_key)
    assert '"project_name"' in table and b"project_name" in cached  # they are the session
    for token in session_tokens(demo_client):
        assert token_works(token)
        assert token not in table
        assert token.encode() not in cached
    # and Zenith still works with them
    assert demo_client.get("/project/instances/").status_code == 200


def test_a_generated_private_key_waits_sealed_in_the_session_for_its_one_download(demo_client, demo_sdk, cleanup):
    name = unique("login-key")
    cleanup.delete("keypair", name, conn=demo_sdk)
    made = demo_client.post("/project/instances/launch/keypairs/create/", {"new_keypair_name": name})
    assert made.status_code == 200 and 'id="download-private-key"' in made.content.decode()
    session_key = demo_client.cookies["zenith_session"].value

    def stored() -> tuple[str, bytes]:
        """The session as the table row and the Redis cache entry hold it."""
        row = Session.objects.get(session_key=session_key).session_data
        return readable_without_the_key(row), raw_session_cache_entry(session_key)

    table, cached = stored()
    assert name in table and name.encode() in cached  # the key pair's private key waits there ...
    assert "PRIVATE KEY" not in table and b"PRIVATE KEY" not in cached  # ... sealed
    download = demo_client.post(f"/project/instances/launch/keypairs/{name}/download/")
    assert download.status_code == 200 and b"-----BEGIN OPENSSH PRIVATE KEY-----" in download.content
    private = serialization.load_ssh_private_key(download.content, password=None)
    public = private.public_key().public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
    assert demo_sdk.compute.get_keypair(name).public_key.startswith(public.decode())
    again = demo_client.post(f"/project/instances/launch/keypairs/{name}/download/")
    assert again.status_code == 410 and f"The private key of “{name}” is no longer available" in again.content.decode()
    # Zenith's copy is gone from both places
    table, cached = stored()
    assert name not in table and name.encode() not in cached


def test_a_token_sealed_under_another_key_is_an_ended_session(demo_client):
    with override_settings(SECRET_KEY="another-installation-" + "k" * 40):
        response = demo_client.get("/project/instances/")
    assert response["Location"].startswith("/auth/login/?reason=expired")


def test_session_ends_with_its_token(demo_client):
    session = demo_client.session
    token_expiry = datetime.fromisoformat(session["keystone"]["expires_at"])
    assert session.get_expiry_date() <= token_expiry
    assert session.get_expiry_date() >= token_expiry - timedelta(seconds=5)
    row = Session.objects.get(session_key=session.session_key)
    assert row.expire_date <= token_expiry
    ttl = redis.Redis.from_url(settings.REDIS_URL).ttl(cache.make_key(KEY_PREFIX + session.session_key))
    assert 0 < ttl <= (token_expiry - datetime.now(UTC)).total_seconds() + 1
    # the cookie still ends with the browser
    cookie = demo_client.cookies["zenith_session"]
    assert not cookie["expires"] and not cookie["max-age"]
    # a project switch caps it at the new token's expiry
    switch_to(demo_client, "alt")
    session = demo_client.session
    assert session.get_expiry_date() <= datetime.fromisoformat(session["keystone"]["expires_at"])
    switch_to(demo_client, "demo")


def test_a_session_gone_with_its_token_sends_to_login_as_expired(demo_client):
    session = demo_client.session
    # what the store does at the token's expiry: the cache entry and the table row are gone
    redis.Redis.from_url(settings.REDIS_URL).delete(cache.make_key(KEY_PREFIX + session.session_key))
    Session.objects.filter(session_key=session.session_key).delete()
    response = demo_client.get("/project/instances/")
    assert response["Location"] == "/auth/login/?reason=expired&next=%2Fproject%2Finstances%2F"
    assert b"Your session has expired" in demo_client.get(response["Location"]).content
    # the stale cookie is dropped with that answer: a later visit is an ordinary one
    assert demo_client.get("/project/")["Location"] == "/auth/login/?next=%2Fproject%2F"


@override_settings(SESSION_COOKIE_AGE=600)
def test_session_age_still_caps_a_longer_token(client, devcloud):
    assert login(client, "demo").status_code == 302
    expiry = client.session.get_expiry_date()
    assert expiry <= datetime.now(UTC) + timedelta(seconds=600)
    assert datetime.fromisoformat(client.session["keystone"]["expires_at"]) > expiry


def test_session_id_changes_at_login(client, devcloud):
    client.get("/auth/login/")
    client.session["probe"] = 1
    session = client.session
    session["probe"] = 1
    session.save()
    before = session.session_key
    login(client, "demo")
    assert client.session.session_key != before


def test_login_needs_csrf_token(devcloud):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post("/auth/login/", {"username": "demo", "password": "demo"})
    assert response.status_code == 403


def random_address() -> str:
    """An address of this test only (the cache is shared with other runs)."""
    return "10." + ".".join(str(b) for b in uuid.uuid4().bytes[:3])


@pytest.fixture
def throttled():
    """Forget the counters a test made: (address, user name) pairs it registers."""
    used = []
    yield used
    for address, name in used:
        throttle.reset(address, name, "Default")


@override_settings(LOGIN_ATTEMPTS=2, LOGIN_ATTEMPTS_WINDOW=60)
def test_login_attempts_are_throttled_per_address(devcloud, throttled):
    address, other_address = random_address(), random_address()
    throttled += [(address, "demo"), (other_address, "demo")]
    browser = Client(REMOTE_ADDR=address)
    for _ in range(2):
        assert browser.post("/auth/login/", {"username": "demo", "password": "bad"}).status_code == 401
    blocked = browser.post("/auth/login/", {"username": "demo", "password": "demo"})
    assert blocked.status_code == 429
    assert b"Too many login attempts" in blocked.content
    other = Client(REMOTE_ADDR=other_address)
    assert login(other, "demo").status_code == 302


@override_settings(LOGIN_ATTEMPTS=2, LOGIN_ATTEMPTS_WINDOW=60, TRUSTED_PROXIES=1)
def test_clients_behind_one_proxy_are_counted_apart(devcloud, throttled):
    proxy, first, second = random_address(), random_address(), random_address()
    names = [unique("zt-nobody") for _ in range(3)]
    throttled += [(first, name) for name in names] + [(second, "demo"), (proxy, "demo")]
    # every request comes from the proxy's address; the proxy appends the client's to the header
    behind_proxy = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=first)
    for name in names[:2]:
        assert behind_proxy.post("/auth/login/", {"username": name, "password": "bad"}).status_code == 401
    assert behind_proxy.post("/auth/login/", {"username": names[2], "password": "bad"}).status_code == 429
    # a forged entry on the left does not get the first client out of its lock
    forged = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=f"{second}, {first}")
    assert forged.post("/auth/login/", {"username": names[2], "password": "bad"}).status_code == 429
    # the other client behind the same proxy logs in
    neighbour = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=second)
    assert login(neighbour, "demo").status_code == 302


@override_settings(LOGIN_ATTEMPTS=2, LOGIN_ATTEMPTS_WINDOW=60, TRUSTED_PROXIES=0)
def test_without_trusted_proxies_the_forwarded_header_changes_nothing(devcloud, throttled):
    proxy = random_address()
    names = [unique("zt-nobody") for _ in range(3)]
    throttled += [(proxy, name) for name in names]
    for index, name in enumerate(names[:2]):
        spoofing = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=f"203.0.113.{index}")
        assert spoofing.post("/auth/login/", {"username": name, "password": "bad"}).status_code == 401
    spoofing = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert spoofing.post("/auth/login/", {"username": names[2], "password": "bad"}).status_code == 429


@override_settings(LOGIN_ATTEMPTS=1000, LOGIN_ATTEMPTS_PER_USER=3, LOGIN_ATTEMPTS_WINDOW=60)
def test_failures_spread_over_addresses_lock_the_user_name(devcloud, throttled):
    target, other_name = unique("zt-sprayed"), unique("zt-other")
    addresses = [random_address() for _ in range(5)]
    throttled += [(address, name) for address in addresses for name in (target, other_name)]
    for address, name in zip(addresses[:3], (target, f"  {target.upper()} ", target), strict=True):
        response = Client(REMOTE_ADDR=address).post("/auth/login/", {"username": name, "password": "bad"})
        assert response.status_code == 401
    # a fourth address, the same name (as typed differently): locked
    blocked = Client(REMOTE_ADDR=addresses[3]).post("/auth/login/", {"username": target, "password": "x"})
    assert blocked.status_code == 429
    # another name from those addresses is not
    other = Client(REMOTE_ADDR=addresses[4]).post("/auth/login/", {"username": other_name, "password": "x"})
    assert other.status_code == 401
    # the cache holds no user name
    assert target not in throttle.user_key(target, "Default")


@override_settings(LOGIN_ATTEMPTS=1, LOGIN_ATTEMPTS_WINDOW=240)
def test_lockout_says_when_to_try_again(devcloud, throttled):
    address, name = random_address(), unique("zt-nobody")
    throttled.append((address, name))
    browser = Client(REMOTE_ADDR=address)
    assert browser.post("/auth/login/", {"username": name, "password": "bad"}).status_code == 401
    blocked = browser.post("/auth/login/", {"username": name, "password": "bad"})
    assert blocked.status_code == 429
    assert b"Too many login attempts. Try again in 4 minutes." in blocked.content
    assert 230 <= int(blocked["Retry-After"]) <= 240


@override_settings(LOGIN_ATTEMPTS=2, LOGIN_ATTEMPTS_PER_USER=1000, LOGIN_ATTEMPTS_WINDOW=60)
def test_counts_are_taken_before_keystone_and_given_back_when_it_cannot_judge(throttled):
    address, name = random_address(), unique("login")
    throttled.append((address, name))
    attempt = (address, name, "Default")
    assert throttle.attempt(*attempt) == 0
    throttle.undo(*attempt)  # Keystone could not answer: that one does not count
    assert [throttle.attempt(*attempt) for _ in range(2)] == [0, 0]
    # the third is refused, with the wait, and not counted; a successful login clears the lock
    assert 55 <= throttle.attempt(*attempt) <= 60
    assert 55 <= throttle.wait_seconds(*attempt) <= 60
    throttle.reset(*attempt)
    assert throttle.wait_seconds(*attempt) == 0 and throttle.attempt(*attempt) == 0


def form_poster(base_url: str, forwarded: str):
    """A browser of its own behind one proxy that says it is `forwarded`: it loads the login page
    (CSRF cookie and token), then posts the form as many times as asked."""
    browser = requests.Session()
    browser.headers["X-Forwarded-For"] = forwarded
    page = browser.get(f"{base_url}/auth/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)

    def post(username: str, password: str):
        form = {"csrfmiddlewaretoken": token, "username": username, "password": password}
        return browser.post(f"{base_url}/auth/login/", data=form, allow_redirects=False, timeout=120)

    return post


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("counter", ["address", "user name"])
def test_parallel_guesses_reach_keystone_at_most_the_limit(
    counter, live_server, admin_sdk, cleanup, throttled, monkeypatch
):
    """15 wrong passwords sent at once through the login form of a running Zenith, from one address
    (or for one user name from 15 addresses): Keystone is asked at most LOGIN_ATTEMPTS times, the
    others get 429 with Retry-After; the right password is refused while locked, works after."""
    limit, window, guesses = 5, 10, 15
    name, password = unique("login"), "login-" + uuid.uuid4().hex
    user = admin_sdk.identity.create_user(name=name, password=password, domain_id="default")
    cleanup.delete("user", user.id, conn=admin_sdk)
    one = random_address()
    addresses = [one] * guesses if counter == "address" else [random_address() for _ in range(guesses + 2)]
    throttled += [(address, name) for address in set(addresses)]
    asked = []  # Keystone logins for this user, counted at Zenith's boundary (the real call still made)
    real_login = keystone.password_login

    def counted_login(username, *args, **kwargs):
        if username == name:
            asked.append(username)
        return real_login(username, *args, **kwargs)

    monkeypatch.setattr(keystone, "password_login", counted_login)
    limits = {"LOGIN_ATTEMPTS": limit, "LOGIN_ATTEMPTS_PER_USER": 1000}
    if counter == "user name":
        limits = {"LOGIN_ATTEMPTS": 1000, "LOGIN_ATTEMPTS_PER_USER": limit}
    with override_settings(LOGIN_ATTEMPTS_WINDOW=window, TRUSTED_PROXIES=1, **limits):
        posters = [form_poster(live_server.url, address) for address in addresses[:guesses]]
        all_ready = threading.Barrier(guesses, timeout=60)

        def guess(post):
            all_ready.wait()
            return post(name, "wrong-" + uuid.uuid4().hex)

        with ThreadPoolExecutor(guesses) as pool:
            answers = list(pool.map(guess, posters))
        statuses = sorted(a.status_code for a in answers)
        assert 1 <= len(asked) <= limit, f"{len(asked)} of {guesses} guesses reached Keystone; answers {statuses}"
        assert statuses == [401] * len(asked) + [429] * (guesses - len(asked))
        assert all(0 < int(a.headers["Retry-After"]) <= window for a in answers if a.status_code == 429)
        # the right password now: refused while locked, with the wait, and Keystone is not asked
        again = form_poster(live_server.url, one if counter == "address" else addresses[-2])
        locked = again(name, password)
        assert locked.status_code == 429 and "Too many login attempts" in locked.text
        assert len(asked) <= limit
        time.sleep(int(locked.headers["Retry-After"]) + 1)
        after = form_poster(live_server.url, one if counter == "address" else addresses[-1])(name, password)
        assert after.status_code == 302 and after.headers["Location"] == "/auth/no-project/"


def test_two_users_at_once_see_only_their_projects(demo_client, alt_client):
    assert {p["name"] for p in alt_client.session["keystone"]["projects"]} == {"alt"}
    alt_page = alt_client.get("/project/")
    assert b'data-project="demo"' not in alt_page.content
    demo_page = demo_client.get("/project/")
    assert b'data-project="demo"' in demo_page.content and b'data-project="alt"' in demo_page.content


def test_region_switch_accepts_only_catalog_regions(demo_client):
    assert demo_client.session["keystone"]["region"] == "RegionOne"
    response = demo_client.post("/auth/region/", {"region": "Atlantis", "next": "/project/"}, follow=True)
    assert b"Unknown region." in response.content
    assert demo_client.session["keystone"]["region"] == "RegionOne"
    response = demo_client.post("/auth/region/", {"region": "RegionOne", "next": "/project/"}, follow=True)
    assert b"Now working in region RegionOne." in response.content
