"""The cloud failures of the request being answered, for its operation-log line (dashboard.oplog).

Whoever answers a request may `watch()` it: from then on every CloudError or SessionExpired a cloud
call raises (`calls.call`), and every one the panel kit shows (an action's or a form's refusal), is
noted in a list kept in a context variable, which `seen()` reads and `stop()` ends. Calls that
`concurrently` runs in its pools' threads note into the same list (it is handed to them). Nothing
is kept while nobody watches: `note` then costs one context-variable read.
"""

from __future__ import annotations

from contextvars import ContextVar, Token

_seen: ContextVar[list | None] = ContextVar("zenith_cloud_failures", default=None)
MAX_KEPT = 20  # a bulk action of 100 ids failing alike needs no more


def watch() -> Token:
    """Start noting the failures of this request (in this context)."""
    return _seen.set([])


def stop(token: Token) -> None:
    _seen.reset(token)


def current() -> list | None:
    """The list failures are noted in (None: nobody watches), to hand to another thread."""
    return _seen.get()


def adopt(sink: list | None) -> Token:
    """Note into `sink` in this thread (a pool's worker running a call for the watched request)."""
    return _seen.set(sink)


def note(error: BaseException) -> None:
    """Note a failure (once, however many layers hand it on)."""
    sink = _seen.get()
    if sink is not None and len(sink) < MAX_KEPT and not any(kept is error for kept in sink):
        sink.append(error)


def seen() -> list:
    return list(_seen.get() or ())
