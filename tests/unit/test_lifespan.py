"""The ASGI lifespan protocol (dashboard.asgi.Lifespan), as uvicorn drives it: startup and shutdown
are acknowledged, other scopes go on to the application. What a real SIGTERM does to uploads,
websockets and requests in flight: tests/integration/test_graceful_stop.py."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from dashboard.asgi import Lifespan, application


def _in_own_loop(coro_fn):
    """Run on an event loop of its own in another thread (the browser tests, run before these in
    the whole suite, leave Playwright's loop running in this one)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro_fn()).result()


async def _never(scope, receive, send):
    raise AssertionError("the lifespan scope reached the application behind it")


def test_startup_and_shutdown_are_acknowledged():
    async def drive():
        incoming: asyncio.Queue = asyncio.Queue()
        sent, answered = [], asyncio.Event()

        async def send(message):
            sent.append(message["type"])
            answered.set()

        task = asyncio.create_task(Lifespan(_never)({"type": "lifespan"}, incoming.get, send))
        await incoming.put({"type": "lifespan.startup"})
        await asyncio.wait_for(answered.wait(), 5)
        await incoming.put({"type": "lifespan.shutdown"})
        await asyncio.wait_for(task, 5)
        return sent

    assert _in_own_loop(drive) == ["lifespan.startup.complete", "lifespan.shutdown.complete"]


def test_other_scopes_go_on_to_the_application():
    seen = []

    async def app(scope, receive, send):
        seen.append(scope["type"])

    async def drive():
        for kind in ("http", "websocket"):
            await Lifespan(app)({"type": kind}, None, None)

    _in_own_loop(drive)
    assert seen == ["http", "websocket"]


def test_the_application_speaks_lifespan_outermost():
    assert isinstance(application, Lifespan)
