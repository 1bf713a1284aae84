"""English and French: the browser's Accept-Language first, the chooser (login page, top bar), the
user's remembered choice at every login, and Zenith's own words about cloud refusals in French."""

import uuid

import pytest
from django.test import Client

from dashboard.accounts.models import UserPreference
from dashboard.asgi import application
from tests.communicators import WebsocketCommunicator
from tests.helpers import logged_in, login

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

FR = {"HTTP_ACCEPT_LANGUAGE": "fr-FR,fr;q=0.9,en;q=0.5"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}


def choose(client, language: str, next_url: str = "/project/instances/", **headers):
    return client.post("/auth/language/", {"language": language, "next": next_url}, **headers)


def test_login_page_follows_the_browsers_language(client, devcloud):
    french = client.get("/auth/login/", **FR)
    assert french.status_code == 200
    assert french["Content-Language"] == "fr"
    assert b'<html lang="fr"' in french.content
    assert "Connectez-vous avec vos identifiants OpenStack (Keystone)." in french.content.decode()
    assert "Log in with your OpenStack" not in french.content.decode()
    english = Client().get("/auth/login/", **EN)
    assert b'<html lang="en"' in english.content
    assert b"Log in with your OpenStack (Keystone) credentials." in english.content


def test_login_page_chooser_is_a_plain_csrf_form(devcloud):
    guarded = Client(enforce_csrf_checks=True)
    page = guarded.get("/auth/login/", **EN)
    assert b'action="/auth/language/"' in page.content and b'name="language"' in page.content
    # without the CSRF token the choice is refused
    assert guarded.post("/auth/language/", {"language": "fr", "next": "/auth/login/"}).status_code == 403
    token = guarded.cookies["csrftoken"].value
    answer = guarded.post("/auth/language/", {"language": "fr", "next": "/auth/login/", "csrfmiddlewaretoken": token})
    assert answer.status_code == 302 and answer["Location"] == "/auth/login/"
    assert guarded.cookies["zenith_language"].value == "fr"
    # the cookie beats the browser's English
    assert "Se connecter" in guarded.get("/auth/login/", **EN).content.decode()
    # an unsafe "next" goes home instead
    away = guarded.post(
        "/auth/language/", {"language": "en", "next": "https://evil.example/", "csrfmiddlewaretoken": token}
    )
    assert away["Location"] == "/"


def test_wrong_password_is_said_in_french(client, devcloud):
    response = client.post("/auth/login/", {"username": "demo", "password": "nope"}, **FR)
    assert response.status_code == 401
    assert "Nom d’utilisateur ou mot de passe incorrect" in response.content.decode()


def test_top_bar_choice_is_remembered_for_the_user_at_the_next_login(devcloud):
    first = logged_in(Client(), "demo", "demo")
    page = first.get("/project/instances/", **EN)
    assert b'data-testid="language-form"' in page.content and b"Launch instance" in page.content
    answer = choose(first, "fr", "/project/instances/", **EN)
    assert answer.status_code == 302 and answer["Location"] == "/project/instances/"
    user_id = first.session["keystone"]["user_id"]
    assert UserPreference.objects.get(keystone_user_id=user_id).language == "fr"
    # the choice beats the browser's English on every page of this session
    assert "Lancer une instance" in first.get("/project/instances/", **EN).content.decode()
    # another browser, English, no cookie: French again right after login (the preference row)
    other = Client()
    assert login(other, "demo", **{}).status_code == 302
    page = other.get("/project/instances/", **EN).content.decode()
    assert "Lancer une instance" in page and "Launch instance" not in page
    # another user is not affected
    alt = logged_in(Client(), "alt", "alt")
    assert b"Launch instance" in alt.get("/project/instances/", **EN).content
    # back to following the browser: the preference is forgotten
    choose(other, "", "/project/instances/", **EN)
    assert UserPreference.objects.get(keystone_user_id=user_id).language == ""
    assert b"Launch instance" in other.get("/project/instances/", **EN).content


def test_cloud_refusal_in_zenith_words_is_french_and_api_errors_too(demo_client):
    missing = str(uuid.uuid4())
    page = demo_client.get(f"/project/instances/{missing}/", **FR)
    assert page.status_code == 404
    assert "Instance introuvable" in page.content.decode()
    api = demo_client.get(f"/api/v1/instances/{missing}/", **FR)
    assert api.status_code == 404
    assert api.json()["message"] == "L’instance est introuvable ; elle a peut-être été supprimée."
    assert demo_client.get(f"/api/v1/instances/{missing}/", **EN).json()["message"].startswith("The instance was not")


def test_javascript_catalogue_is_served_to_anyone_in_their_language(client, devcloud):
    french = client.get("/jsi18n/", **FR)
    assert french.status_code == 200 and "javascript" in french["Content-Type"]
    assert "Ouverture de la console" in french.content.decode()
    assert "Content-Security-Policy" in french
    assert "Ouverture" not in Client().get("/jsi18n/", **EN).content.decode()


@pytest.mark.asyncio
async def test_websocket_refusals_follow_the_users_language(demo_client):
    from asgiref.sync import sync_to_async

    await sync_to_async(choose)(demo_client, "fr")
    cookie = demo_client.cookies["zenith_session"].value
    headers = [
        (b"origin", b"http://127.0.0.1"),
        (b"host", b"127.0.0.1"),
        (b"cookie", f"zenith_session={cookie}".encode()),
    ]
    socket = WebsocketCommunicator(application, "/ws/live/", headers=headers)
    connected, _ = await socket.connect(timeout=10)
    assert connected
    try:
        await socket.send_json_to({"type": "subscribe", "kind": "diagnostics", "id": str(uuid.uuid4())})
        answer = await socket.receive_json_from(timeout=10)
        assert answer["message"] == "Les graphiques de consommation demandent le rôle admin dans ce cloud."
    finally:
        await socket.disconnect()
        await sync_to_async(choose)(demo_client, "")
