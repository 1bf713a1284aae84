"""HTTP fallback for pages whose websocket is blocked: a console link by POST (JSON)."""

from django.http import JsonResponse
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from dashboard.cloud import CloudError

from . import consoles, pollers


@never_cache
@require_POST
def console_link(request, server_id: str):
    if not pollers.topic_of("diagnostics", server_id):
        return JsonResponse({"error": gettext("Which instance?")}, status=400)
    answer = consoles.console_link(request.keystone, server_id, request.POST.get("console_type") or None)
    if "url" in answer:
        status = 200
    elif answer["kind"] == "session_expired":
        status = 401
    else:
        status = CloudError.http_status.get(answer["kind"], 502)
    return JsonResponse({"id": server_id, **answer}, status=status)
