"""Login, logout, project and region switching."""

from __future__ import annotations

import re
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST

from dashboard import oplog
from dashboard.cloud import CloudError, SessionExpired, keystone
from dashboard.cloud.sessions import forget_connection

from . import apikeys, throttle
from .forms import ApiKeyForm, LoginForm
from .language import CODES, preferred_language, remember_language
from .middleware import login_redirect
from .models import UserPreference
from .state import ANONYMOUS, keep, store_login, store_project

HOME = "/project/instances/"


def safe_next(request, target: str | None) -> str:
    if (
        target
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        and target.startswith("/")
        and not target.startswith("/auth/")
    ):
        return target
    return ""


def _remember(user_id: str, **fields) -> None:
    UserPreference.objects.update_or_create(keystone_user_id=user_id, defaults=fields)


def _enter_project(request, project_id: str, region: str = "") -> None:
    before = request.keystone
    unscoped = before.opened_unscoped_token()
    if not unscoped:
        raise SessionExpired()
    scoped = keystone.scope_to_project(unscoped, project_id)
    old = before.opened_token()
    forget_connection(before)
    store_project(request, scoped, region=region or before.region)
    if old and old != scoped.auth_token:
        keystone.revoke(old)
    # a new session id for the new scope (no fixation across projects)
    request.session.cycle_key()
    _remember(request.keystone.user_id, last_project_id=project_id, last_region=request.keystone.region)


def _apply_language(request, user_id: str) -> None:
    """At login: the user's remembered language; a first choice made on the login page is kept."""
    language = preferred_language(user_id)
    if not language:
        cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if cookie in CODES:
            language = cookie
            _remember(user_id, language=language)
    remember_language(request, language)
    if language:
        translation.activate(language)


@never_cache
@csrf_protect
def login_view(request):
    reason = request.GET.get("reason")
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.method == "GET" and request.keystone.is_authenticated and not reason:
        return HttpResponseRedirect(next_url or HOME)
    form = LoginForm(request.POST or None, initial={"next": next_url})
    status, wait = 200, 0
    if request.method == "POST":
        # counted per client address and per user name (as typed: the form may not validate)
        attempt = (
            throttle.client_address(request),
            request.POST.get("username", ""),
            request.POST.get("domain") or settings.OPENSTACK_DEFAULT_DOMAIN,
        )
        # the name typed, for the operation log's line of a login that fails (never the password)
        oplog.note(request, user=attempt[1], domain=attempt[2])
        valid = form.is_valid()
        # a login for Keystone is counted before Keystone is asked (atomically, with the check), so
        # that guesses sent at once cannot all get through while the first ones wait for its answer
        wait = throttle.attempt(*attempt) if valid else throttle.wait_seconds(*attempt)
        if wait:
            form.add_error(None, throttle.lockout_message(wait))
            status = 429
        elif valid:
            data = form.cleaned_data
            try:
                unscoped, projects = keystone.login(data["username"], data["password"], data["domain"])
            except keystone.LoginFailed as failed:
                form.add_error(None, failed.message)
                status = 401
            except CloudError as error:
                throttle.undo(*attempt)  # Keystone took the password but could not answer: not a failure
                form.add_error(None, error.message)
                status = 503
            else:
                throttle.reset(*attempt)
                # a fresh session id at login (no fixation), then the tokens go into it
                request.session.flush()
                store_login(request, unscoped, data["username"], data["domain"], projects)
                request.session.cycle_key()
                _apply_language(request, unscoped.user_id)
                if not projects:
                    return HttpResponseRedirect("/auth/no-project/")
                pref = UserPreference.objects.filter(keystone_user_id=unscoped.user_id).first()
                ids = [p["id"] for p in projects]
                project_id = pref.last_project_id if pref and pref.last_project_id in ids else ids[0]
                try:
                    _enter_project(request, project_id, region=pref.last_region if pref else "")
                except (CloudError, SessionExpired) as error:
                    request.session.flush()
                    request.keystone = ANONYMOUS
                    form.add_error(None, getattr(error, "message", _("Keystone refused the project scope.")))
                    status = 503
                else:
                    return HttpResponseRedirect(next_url or HOME)
        else:
            status = 400
    context = {"form": form, "expired": reason == "expired", "throttled": status == 429}
    response = render(request, "accounts/login.html", context, status=status)
    if status == 429:
        response["Retry-After"] = str(wait)
    return response


@require_POST
def logout_view(request):
    for token in request.keystone.opened_tokens():
        keystone.revoke(token)
    forget_connection(request.keystone)
    request.session.flush()
    messages.info(request, _("You have logged out."))
    return HttpResponseRedirect("/auth/login/")


def _page_for_new_project(path: str) -> str:
    """The same page in the new project: list pages stay, object pages go up to their list."""
    match = re.match(r"^(/(?:project|admin|identity)/[^/]+/)", path)
    if match:
        return match.group(1)
    return path if path in ("/project/",) else HOME


@require_POST
def switch_project(request):
    project_id = request.POST.get("project_id", "")
    if project_id not in {p["id"] for p in request.keystone.projects}:
        messages.error(request, _("You have no role in that project."))
        return HttpResponseRedirect(HOME)
    if keystone.is_expired(request.keystone.unscoped_expires):
        return login_redirect(request)
    _enter_project(request, project_id)
    messages.success(request, _("Now working in project %(project)s.") % {"project": request.keystone.project_name})
    target = safe_next(request, request.POST.get("next")) or HOME
    return HttpResponseRedirect(_page_for_new_project(target))


@require_POST
def switch_region(request):
    region = request.POST.get("region", "")
    if region not in request.keystone.regions:
        messages.error(request, _("Unknown region."))
    else:
        keep(request, request.keystone.in_region(region))
        _remember(request.keystone.user_id, last_region=region)
        messages.success(request, _("Now working in region %(region)s.") % {"region": region})
    return HttpResponseRedirect(safe_next(request, request.POST.get("next")) or HOME)


def no_project(request):
    if request.keystone.has_project:
        return HttpResponseRedirect(HOME)
    return render(request, "accounts/no_project.html")


# --- API keys ----------------------------------------------------------------------------------


@never_cache
def api_keys(request):
    """The user's API keys: create one (shown once, on this answer only), list, revoke."""
    form = ApiKeyForm(request.POST or None, initial={"expires": timezone.now().date() + timedelta(days=90)})
    new_key = None
    status = 200
    if request.method == "POST":
        status = 400
        if len(apikeys.keys_of(request.keystone)) >= apikeys.MAX_KEYS_PER_USER:
            form.add_error(None, _("You have %(max)d API keys: revoke one first.") % {"max": apikeys.MAX_KEYS_PER_USER})
        elif form.is_valid():
            try:
                new_key = apikeys.create_key(request, form.cleaned_data["name"], form.expires_at())
            except CloudError as err:
                form.add_error(None, err.message)
            else:
                status = 201
                oplog.note(request, created_id=str(new_key.row.id))  # the key's row, never the key
                form = ApiKeyForm(initial={"expires": form.cleaned_data["expires"]})
    context = {
        "form": form,
        "keys": apikeys.keys_of(request.keystone),
        "new_key": new_key,
        "max_days": settings.API_KEY_MAX_DAYS,
    }
    response = render(request, "accounts/api_keys.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def api_key_revoke(request, key_id):
    try:
        found = apikeys.revoke_key(request, key_id)
    except CloudError as err:
        messages.error(request, err.message)
    else:
        if found:
            messages.success(request, _("The API key is revoked: it no longer works."))
        else:
            messages.error(request, _("No such API key (it may have been revoked already)."))
    return HttpResponseRedirect(reverse("accounts:api_keys"))
