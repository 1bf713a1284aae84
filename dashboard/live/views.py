"""HTTP fallback for pages whose websocket is blocked: a console link by POST (JSON)."""

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import consoles, pollers


@never_cache
@require_POST
def console_link(request, server_id: str):
    if not pollers.topic_of("diagnostics", server_id):
        return JsonResponse({"error": "Which instance?"}, status=400)
    answer = consoles.console_link(request.session["keystone"], server_id)
    return JsonResponse({"id": server_id, **answer}, status=200 if "url" in answer else 502)
