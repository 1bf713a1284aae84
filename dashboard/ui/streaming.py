"""Streamed responses that stay streamed under ASGI as well as WSGI.

Django serves a StreamingHttpResponse over ASGI only from an asynchronous iterator: a synchronous
one is first read whole into a list (with a warning), which would put a whole download in memory.
`streaming_response` hands ASGI an async iterator that pulls one chunk at a time from a worker
thread, and WSGI (and the test client) the synchronous iterator itself.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIRequest
from django.http import StreamingHttpResponse

_END = object()


async def _pulled(chunks: Iterator[bytes]) -> AsyncIterator[bytes]:
    iterator = iter(chunks)
    pull = sync_to_async(next, thread_sensitive=False)
    try:
        while (chunk := await pull(iterator, _END)) is not _END:
            yield chunk
    finally:
        close = getattr(iterator, "close", None)
        if close is not None:
            await sync_to_async(close, thread_sensitive=False)()


def streaming_response(request, chunks: Iterator[bytes], content_type: str) -> StreamingHttpResponse:
    request = getattr(request, "_request", request)  # DRF wraps Django's request
    body = _pulled(chunks) if isinstance(request, ASGIRequest) else chunks
    return StreamingHttpResponse(body, content_type=content_type)
