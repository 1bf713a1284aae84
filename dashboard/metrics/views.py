"""/metrics: every process's figures from DASHBOARD_METRICS_DIR added up, and the live pollers
running, in Prometheus' text format; to the networks and/or the token allowed (`access`)."""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily

from dashboard.accounts.throttle import client_address
from dashboard.live import pollers, state

from . import access, directory

log = logging.getLogger(__name__)

REFUSALS = {401: "Unauthorized", 403: "Forbidden"}
# Prometheus' classic text format, which every Prometheus reads: Zenith's names need nothing newer
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class PollersCollector:
    """`zenith_live_pollers{kind}`: the poller chains running now, over the whole installation (one
    Redis lock per project and topic: dashboard.live.state), read at each scrape."""

    def collect(self):
        gauge = GaugeMetricFamily(
            "zenith_live_pollers",
            "Live poller chains running, by kind, over every worker (read from Redis: the same from any process)",
            labels=["kind"],
        )
        counts = dict.fromkeys(pollers.KINDS, 0)
        try:
            for key in state.r().scan_iter(match=state.key("lock", "*"), count=1000):
                topic = (key.decode() if isinstance(key, bytes) else key).rsplit(":", 1)[-1]
                kind = topic.partition(".")[0]
                if kind in counts:
                    counts[kind] += 1
        except Exception as exc:  # noqa: BLE001 - Redis away: the other metrics are still worth serving
            log.warning("metrics: could not count the live pollers: %s", type(exc).__name__)
            return
        for kind, count in counts.items():
            gauge.add_metric([kind], count)
        yield gauge


def exposition() -> bytes:
    path = Path(settings.METRICS_DIR)
    directory.sweep(path)
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=str(path))
    registry.register(PollersCollector())
    return generate_latest(registry)


@never_cache
@require_safe
def metrics(request):
    refused = access.refusal(
        enabled=settings.METRICS,
        networks=tuple(settings.METRICS_NETWORKS),
        token=settings.METRICS_TOKEN,
        address=client_address(request),
        authorization=request.headers.get("Authorization"),
    )
    if refused == 404:
        raise Http404
    if refused is not None:
        response = HttpResponse(REFUSALS[refused] + "\n", status=refused, content_type="text/plain; charset=utf-8")
        if refused == 401:
            response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(exposition(), content_type=CONTENT_TYPE)
