"""Every request Django answers, counted by view, method and status, and timed (first in MIDDLEWARE,
so its time is the whole middleware chain's too). The view is the URL name or route pattern
(dashboard.metrics.labels.view_label), never the path. The upload route ahead of Django counts
its own (dashboard.uploads.asgi.logged); /healthz under ASGI and bodies refused for their size
are not counted."""

from __future__ import annotations

import time

from django.conf import settings

from . import instruments, labels


class RequestMetrics:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.METRICS:
            return self.get_response(request)
        started = time.perf_counter()
        response = self.get_response(request)
        view = labels.view_label(getattr(request, "resolver_match", None), request.path_info, settings.STATIC_URL)
        instruments.request_done(view, request.method, response.status_code, time.perf_counter() - started)
        return response
