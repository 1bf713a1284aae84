"""The language of a page: the user's choice if they made one, else the browser's.

Anonymous pages (login): Django's LocaleMiddleware reads the chooser's cookie, then the browser's
Accept-Language. Logged in: the language the user chose in the top bar, kept in their preference
row and copied into the session at login (`remember_language`), wins on every request
(`UserLanguageMiddleware`) and on the websocket (`language_of`). Choosing "browser" forgets it.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponseRedirect
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from dashboard.cloud.credentials import Credentials

from .models import UserPreference
from .state import keep

CODES = {code for code, _ in settings.LANGUAGES}


def chosen_language(credentials: Credentials) -> str:
    """The logged-in user's chosen language, "" when they follow their browser."""
    return credentials.language if credentials.language in CODES else ""


def remember_language(request, language: str) -> None:
    """Keep the logged-in user's choice in their session (read on every request and by the websocket)."""
    if request.keystone.is_authenticated:
        keep(request, request.keystone.with_language(language if language in CODES else ""))


def preferred_language(user_id: str) -> str:
    pref = UserPreference.objects.filter(keystone_user_id=user_id).only("language").first()
    return pref.language if pref and pref.language in CODES else ""


def language_of(credentials: Credentials, cookies: dict, accept_language: str) -> str:
    """The language for a websocket (no request): as a page of the same session would have it."""
    chosen = chosen_language(credentials)
    if chosen:
        return chosen
    cookie = cookies.get(settings.LANGUAGE_COOKIE_NAME, "")
    if cookie in CODES:
        return cookie
    for code, _ in translation.trans_real.parse_accept_lang_header(accept_language or ""):
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


class UserLanguageMiddleware:
    """After KeystoneSessionMiddleware: a logged-in user's chosen language overrides the browser's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = chosen_language(request.keystone)
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)


@require_POST
def choose_language(request):
    """The chooser (top bar and login page): a plain POST form, no JavaScript needed.

    "language" is a code of settings.LANGUAGES, or "" to follow the browser again. Kept in a cookie
    (the login page) and, for a logged-in user, in their preference row (applied at every login).
    """
    language = request.POST.get("language", "")
    if language not in CODES:
        language = ""
    target = request.POST.get("next", "")
    if not (
        target.startswith("/")
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if language:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            secure=settings.LANGUAGE_COOKIE_SECURE,
        )
    else:
        response.delete_cookie(settings.LANGUAGE_COOKIE_NAME, samesite=settings.LANGUAGE_COOKIE_SAMESITE)
    user = getattr(request, "keystone", None)
    if user is not None and user.is_authenticated:
        UserPreference.objects.update_or_create(keystone_user_id=user.user_id, defaults={"language": language})
        remember_language(request, language)
    return response
