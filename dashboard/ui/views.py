from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from dashboard.cloud.api import error_response


def _api(request) -> bool:
    return request.path.startswith("/api/")


def healthz(request):
    return JsonResponse({"status": "ok"})


def forbidden(request, exception=None):
    if _api(request):
        return error_response("forbidden", _("You are not allowed to do this."), 403)
    return render(request, "ui/403.html", status=403)


def not_found(request, exception=None):
    if _api(request):
        return error_response("not_found", _("There is no such API endpoint."), 404)
    return render(request, "ui/404.html", status=404)


def server_error(request):
    if _api(request):
        return error_response("error", _("Zenith failed to answer; the error is logged."), 500)
    return render(request, "ui/500.html", status=500)
