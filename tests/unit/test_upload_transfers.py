"""The upload route's own threads (dashboard.uploads.asgi.Transfers): an upload is sent only in a
thread reserved for it, never in the event loop's default executor, and the thread comes back when
its upload ends, however it ends."""

import threading

import pytest

from dashboard.uploads.asgi import Transfers
from tests.helpers import run_async


def test_no_more_uploads_than_threads_and_each_thread_comes_back():
    pool = Transfers(2)
    assert pool.reserve() and pool.reserve()
    assert not pool.reserve()  # all busy: the route answers 503 instead of queueing

    async def send():
        return await pool.run(lambda: threading.current_thread().name)

    assert run_async(send()).startswith("zenith-upload")
    assert pool.reserve()  # the thread run() used is free again
    assert not pool.reserve()


def test_a_failed_upload_gives_its_thread_back_too():
    pool = Transfers(1)
    assert pool.reserve()

    def fails():
        raise RuntimeError("the cloud went away")

    with pytest.raises(RuntimeError):
        run_async(pool.run(fails))
    assert pool.reserve()
