"""Turn openstacksdk / keystoneauth failures into messages a user can act on.

Every cloud call made through dashboard.cloud passes its exceptions through `translate`, so views
and templates only ever see `CloudError` (or `SessionExpired` when Keystone no longer accepts the
token) with a `kind` they can branch on and a `message` that is safe to show.
"""

from __future__ import annotations

import json
import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from keystoneauth1 import exceptions as ks_exc
from openstack import exceptions as sdk_exc

from . import refusals

# service type (as in the catalog) -> the word users know
SERVICE_NAMES = {
    "compute": gettext_lazy("Compute (Nova)"),
    "image": gettext_lazy("Image (Glance)"),
    "network": gettext_lazy("Network (Neutron)"),
    "volume": gettext_lazy("Block Storage (Cinder)"),
    "block-storage": gettext_lazy("Block Storage (Cinder)"),
    "volumev3": gettext_lazy("Block Storage (Cinder)"),
    "identity": gettext_lazy("Identity (Keystone)"),
    "container": gettext_lazy("Container (Zun)"),
    "placement": gettext_lazy("Placement"),
    "object-store": gettext_lazy("Object Storage (Swift)"),
    "metric": gettext_lazy("Metric (Gnocchi)"),
}

_QUOTA_WORDS = re.compile(r"quota|exceed|over limit|overlimit", re.IGNORECASE)


class CloudError(Exception):
    """A cloud failure with a message fit for the page.

    kind is one of: unavailable, forbidden, quota, not_found, conflict, bad_request, error.
    `cloud_status` is the HTTP status the cloud service answered (None when it did not answer,
    or the refusal is Zenith's own) and `service` its type, for the operation log.
    """

    http_status = {
        "unavailable": 503,
        "forbidden": 403,
        "quota": 403,
        "not_found": 404,
        "conflict": 409,
        "bad_request": 400,
        "error": 502,
    }

    def __init__(
        self, kind: str, message: str, detail: str = "", cloud_status: int | None = None, service: str | None = None
    ):
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.detail = detail
        self.cloud_status = cloud_status
        self.service = service
        self.explained = False  # True: `message` is refusals' sentence; the service's text is `detail`

    @property
    def status(self) -> int:
        return self.http_status.get(self.kind, 502)

    @property
    def said(self) -> str:
        """The service's own text, to show beside a message that does not quote it ("" otherwise)."""
        if not (self.explained and self.detail):
            return ""
        return _("%(service)s said: %(detail)s") % {"service": service_name(self.service), "detail": self.detail}


class SessionExpired(Exception):
    """Keystone no longer accepts the user's token (expired or revoked)."""


def service_name(service_type: str | None) -> str:
    if not service_type:
        return _("cloud")
    return str(SERVICE_NAMES.get(service_type, service_type))


def _service_from_url(url: str | None) -> str | None:
    if not url:
        return None
    # the devcloud and most deployments use the service's well-known port or path
    for marker, stype in (
        (":8774", "compute"),
        ("/compute", "compute"),
        (":9292", "image"),
        ("/image", "image"),
        (":9696", "network"),
        ("/network", "network"),
        (":8776", "volume"),
        ("/volume", "volume"),
        (":5000", "identity"),
        ("/identity", "identity"),
        (":9517", "container"),
        (":8090", "object-store"),
        ("/object-store", "object-store"),
        (":8041", "metric"),
        ("/metric", "metric"),
    ):
        if marker in url:
            return stype
    return None


def service_detail(exc: Exception) -> str:
    """The service's own explanation, without the SDK's decoration."""
    details = getattr(exc, "details", None)
    if isinstance(details, str) and details.strip():
        text = details.strip()
        # some services answer a JSON body: {"badRequest": {"message": "..."}} and friends
        if text.startswith("{"):
            try:
                body = json.loads(text)
            except ValueError:
                body = None
            if isinstance(body, dict):
                for value in body.values():
                    if isinstance(value, dict) and value.get("message"):
                        return str(value["message"])
                if body.get("message"):
                    return str(body["message"])
        return text
    message = getattr(exc, "message", None) or str(exc)
    # "ConflictException: 409: Client Error for url: http://...: Cannot 'stop' ..."
    tail = re.split(r"for url: \S+[,:]?\s*", message, maxsplit=1)
    return (tail[-1] if len(tail) == 2 and tail[-1] else message).strip()


# a 404 of a call that names no sentence of its own
NOT_FOUND = gettext_lazy("The requested resource was not found; it may have been deleted.")


def translate(exc: BaseException, service: str | None = None, not_found: str = "") -> Exception:
    """Map an SDK/HTTP exception to CloudError or SessionExpired (others pass through).

    `not_found` is the whole sentence a 404 says (a lazy translation, e.g. "The volume was not
    found; it may have been deleted."), translated into the language active when it is raised.
    A CloudError made here carries the service's type and the HTTP status it answered (if any)."""
    if isinstance(exc, (CloudError, SessionExpired)):
        return exc
    response = getattr(exc, "response", None)
    url = getattr(exc, "url", None) or getattr(response, "url", None)
    service = service or _service_from_url(url)
    translated = _translated(exc, service, not_found)
    if isinstance(translated, CloudError):
        status = getattr(exc, "status_code", None) or getattr(exc, "http_status", None)
        translated.cloud_status = status if isinstance(status, int) else None
        translated.service = service
    return translated


def _translated(exc: BaseException, service: str | None, not_found: str) -> Exception:
    name = service_name(service)

    if isinstance(exc, (ks_exc.ConnectFailure, ks_exc.ConnectTimeout, ks_exc.RetriableConnectionFailure)):
        return CloudError(
            "unavailable",
            _(
                "The %(service)s service is not responding. Try again in a minute; "
                "if it keeps failing, tell your cloud operator."
            )
            % {"service": name},
            str(exc),
        )
    if isinstance(exc, (ks_exc.EndpointNotFound, ks_exc.EmptyCatalog)):
        return CloudError(
            "unavailable",
            _("This cloud offers no %(service)s service in your region.") % {"service": name},
            str(exc),
        )
    if isinstance(exc, ks_exc.Unauthorized):
        return SessionExpired()

    status = getattr(exc, "status_code", None) or getattr(exc, "http_status", None)
    if isinstance(exc, (sdk_exc.HttpException, ks_exc.HttpError)) and status:
        detail = service_detail(exc)
        if status == 401:
            return SessionExpired()
        known = refusals.explain(status, detail)
        if known is not None:
            error = CloudError(known.kind, known.message, detail)
            error.explained = True
            return error
        # a 400 about quota is usually an admin setting a limit below usage: a bad request, not "exceeded"
        over_quota = status in (403, 409) and _QUOTA_WORDS.search(detail)
        over_quota = over_quota or (status == 400 and re.search(r"exceed", detail, re.IGNORECASE))
        if status == 413 or over_quota:
            return CloudError(
                "quota",
                _("Quota exceeded: %(detail)s Free some resources or ask your administrator for a larger quota.")
                % {"detail": detail},
                detail,
            )
        if status == 403:
            return CloudError(
                "forbidden",
                _("You are not allowed to do this in this project. %(service)s said: %(detail)s")
                % {"service": name, "detail": detail},
                detail,
            )
        if status == 404:
            return CloudError("not_found", str(not_found or NOT_FOUND), detail)
        if status == 409:
            return CloudError(
                "conflict", _("%(service)s refused: %(detail)s") % {"service": name, "detail": detail}, detail
            )
        if 400 <= status < 500:
            message = _("%(service)s rejected the request: %(detail)s") % {"service": name, "detail": detail}
            return CloudError("bad_request", message, detail)
        if status >= 500:
            return CloudError(
                "unavailable",
                _(
                    "The %(service)s service failed (%(status)s). Try again in a minute; "
                    "if it keeps failing, tell your cloud operator."
                )
                % {"service": name, "status": status},
                detail,
            )
    if isinstance(exc, sdk_exc.ResourceTimeout):
        return CloudError(
            "error", _("%(service)s did not finish in time: %(detail)s") % {"service": name, "detail": exc}, str(exc)
        )
    if isinstance(exc, sdk_exc.ResourceFailure):
        return CloudError(
            "error", _("%(service)s reported a failure: %(detail)s") % {"service": name, "detail": exc}, str(exc)
        )
    if isinstance(exc, (sdk_exc.SDKException, ks_exc.ClientException)):
        return CloudError(
            "error", _("%(service)s request failed: %(detail)s") % {"service": name, "detail": exc}, str(exc)
        )
    return exc
