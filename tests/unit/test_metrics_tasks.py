"""Celery tasks as the metrics count them, through Celery's own signals: tasks run here eagerly
(the tracer sends task_prerun, task_failure and task_postrun as a worker's pool process does),
and task_failure sent as a worker's main process sends it for a task whose process died. The task
is this module's own, so pollers other tests left running in this process do not move its counts."""

from __future__ import annotations

from celery import signals
from celery.exceptions import WorkerLostError

from dashboard.celery import app
from tests.helpers import metric_value, metrics_text

FAILING = "tests.unit.test_metrics_tasks.failing"


@app.task(name=FAILING)
def failing(kind: str) -> None:
    raise KeyError(kind)


def tasks(outcome: str) -> float:
    return metric_value(metrics_text(), "zenith_celery_tasks_total", task=FAILING, outcome=outcome)


def test_a_failing_task_is_counted_once_as_a_failure_and_timed():
    before = {outcome: tasks(outcome) for outcome in ("failure", "lost", "success")}
    timed = metric_value(metrics_text(), "zenith_celery_task_seconds_count", task=FAILING)
    result = failing.apply(args=("no-such-kind",))
    assert result.failed()
    assert tasks("failure") == before["failure"] + 1
    assert tasks("lost") == before["lost"]  # the tracer's own task_failure is not counted again
    assert tasks("success") == before["success"]
    assert metric_value(metrics_text(), "zenith_celery_task_seconds_count", task=FAILING) == timed + 1


def test_a_task_whose_process_died_is_counted_as_lost():
    before = tasks("lost")
    signals.task_failure.send(sender=failing, task_id="met-lost-task", exception=WorkerLostError("killed"))
    assert tasks("lost") == before + 1
