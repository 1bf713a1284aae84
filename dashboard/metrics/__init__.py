"""Metrics for operators: /metrics in Prometheus' text format (docs/metrics.md).

Off unless DASHBOARD_METRICS; then readable from DASHBOARD_METRICS_NETWORKS and/or with
DASHBOARD_METRICS_TOKEN (`access`). Every process of a machine (ASGI processes, Celery workers and
their children) writes its figures to files in DASHBOARD_METRICS_DIR (prometheus_client's
multiprocess mode), and /metrics, answered by any of them, adds them up (`views`).

- `labels`: the label values, from fixed sets only (URL names and route patterns, methods, status
  codes, task states): never a path, a user, a project or an id.
- `instruments`: the metrics of the web layer (requests, websockets, subscriptions, Celery tasks)
  and what records them; the cloud's own are in dashboard.cloud.metrics, at the one door to the
  cloud; the pollers alive are read from Redis at each scrape (`views.PollersCollector`).
- `middleware.RequestMetrics`: every request by view, method and status, and its time.
- `directory`: the shared directory: wiped when a first process finds every earlier one gone,
  each process registered in it, and dead processes' gauges dropped.
- `apps`: at each process's start, the directory prepared and the Celery signals connected.
"""
