"""The websocket of a page: subscriptions to the user's own project's topics, and console links.

Protocol (JSON frames), on ``/ws/live/``:

- client ``{"type": "subscribe", "kind": "instances"}`` (optionally ``"project": <id>``, and
  ``"id": <server id>`` for per-object kinds such as "diagnostics") → ``{"type": "subscribed",
  ...}`` or ``{"type": "error", ...}``. Only the session's current project can be named; kinds
  outside pollers.KINDS and admin-only kinds for non-admins are refused, with no group joined.
- server ``{"type": "change", "kind": "instances", "id": ..., "op": "upsert" | "delete", ...}``,
  ``{"type": "change", "kind": "overview", "op": "update", "overview": {...}}`` and
  ``{"type": "change", "kind": "diagnostics", "id": ..., "op": "sample" | "history" | ...}``.
- client ``{"type": "console", "id": <server id>}`` → ``{"type": "console", "id", "url",
  "console_type"}`` sent to this socket only; never to a group, never stored.

The session is read at connect and again on every subscribe and heartbeat: a logged-out,
expired or switched session closes the socket (code 4401). Before that, a socket whose Origin is
not the page's own (scheme, host and port) is closed with 4403 by dashboard.guards.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time

from asgiref.sync import sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.utils import translation
from django.utils.translation import gettext_noop as N_

from dashboard.accounts.language import language_of
from dashboard.accounts.state import credentials_in_store
from dashboard.cloud.credentials import Credentials
from dashboard.metrics import instruments as metrics

from . import consoles, pollers, state, tasks

log = logging.getLogger(__name__)

CONSOLE_LIMIT = 10  # console requests per socket...
CONSOLE_WINDOW = 60  # ...per this many seconds

CLOSE_SESSION = 4401  # not logged in, expired, logged out or switched project
CLOSE_PROJECT = 4409


def _load_session(session_key: str | None) -> Credentials | None:
    """The session's credentials, read fresh from the session store; None unless they hold a
    project-scoped token not yet expired."""
    credentials = credentials_in_store(session_key)
    return credentials if credentials.has_live_token else None


class LiveConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        self.topics: set[str] = set()
        self.heartbeat: asyncio.Task | None = None
        self.session_key = getattr(self.scope.get("session"), "session_key", None)
        self.credentials = await sync_to_async(_load_session, thread_sensitive=False)(self.session_key)
        if self.credentials is None:
            await self.close(code=CLOSE_SESSION)  # before accept: the handshake is refused
            return
        self.project_id = self.credentials.project_id
        headers = dict(self.scope.get("headers") or [])
        self.language = language_of(
            self.credentials, self.scope.get("cookies") or {}, headers.get(b"accept-language", b"").decode("latin-1")
        )
        await self.accept()
        self.counted = True
        metrics.websocket_opened()
        self.heartbeat = asyncio.ensure_future(self._heartbeat())

    async def disconnect(self, code):
        if getattr(self, "counted", False):
            self.counted = False
            metrics.websocket_closed([pollers.parse_topic(topic)[0].name for topic in self.topics])
        if self.heartbeat:
            self.heartbeat.cancel()
        for topic in list(self.topics):
            await self.channel_layer.group_discard(state.group_name(self.project_id, topic), self.channel_name)
        if getattr(self, "credentials", None):
            await sync_to_async(self._forget, thread_sensitive=False)()

    def _forget(self):
        for topic in self.topics:
            state.unwatch(self.project_id, topic, self.channel_name)
        for family in ("member", "admin"):
            state.withdraw_credentials(self.project_id, family, self.channel_name)

    def say(self, text: str) -> str:
        """A message of this socket in its page's language."""
        with translation.override(self.language):
            return translation.gettext(text)

    def _console_link(self, server_id: str, console_type: str | None = None) -> dict:
        with translation.override(self.language):
            return consoles.console_link(self.credentials, server_id, console_type)

    # --- incoming frames -------------------------------------------------------------------
    @classmethod
    async def decode_json(cls, text_data):
        try:
            return json.loads(text_data)
        except ValueError:
            return None  # answered with an error frame, the socket stays open

    async def receive_json(self, content, **kwargs):
        if not isinstance(content, dict):
            await self.send_json({"type": "error", "message": self.say(N_("Frames must be JSON objects."))})
            return
        kind = content.get("type")
        if kind == "subscribe":
            await self.subscribe(content)
        elif kind == "console":
            await self.console(content)
        elif kind == "ping":
            await self.send_json({"type": "pong"})
        else:
            await self.send_json({"type": "error", "message": self.say(N_("Unknown frame type."))})

    async def _recheck(self) -> bool:
        """Is the session still logged in, unexpired, and in the same project?"""
        credentials = await sync_to_async(_load_session, thread_sensitive=False)(self.session_key)
        if credentials is None or credentials.project_id != self.project_id:
            await self.send_json(
                {"type": "error", "code": "session", "message": self.say(N_("Your session has ended."))}
            )
            await self.close(code=CLOSE_SESSION)
            return False
        self.credentials = credentials
        return True

    async def subscribe(self, content):
        kind = content.get("kind")
        object_id = content.get("id")
        refusal = {"type": "error", "code": "refused", "kind": kind, "id": object_id}
        if not await self._recheck():
            return
        project = content.get("project")
        if project is not None and project != self.project_id:
            await self.send_json({**refusal, "message": self.say(N_("You can only watch your current project."))})
            return
        topic = pollers.topic_of(kind, object_id) if isinstance(kind, str) else None
        if topic is None:
            await self.send_json({**refusal, "message": self.say(N_("Nothing to watch by that name."))})
            return
        spec = pollers.KINDS[kind]
        if spec.family == "admin" and not self.credentials.is_admin:
            await self.send_json(
                {**refusal, "message": self.say(N_("Usage charts need the admin role in this cloud."))}
            )
            return
        await self.channel_layer.group_add(state.group_name(self.project_id, topic), self.channel_name)
        if topic not in self.topics:
            self.topics.add(topic)
            if getattr(self, "counted", False):
                metrics.subscribed(kind)
        await sync_to_async(self._watch, thread_sensitive=False)(topic, True)
        await self.send_json({"type": "subscribed", "kind": kind, "id": object_id})
        await self._send_current(kind, object_id)

    async def _send_current(self, kind, object_id):
        """What a new watcher needs before the next change: the last overview, chart history."""
        if kind == "overview":
            overview = await sync_to_async(pollers.last_overview, thread_sensitive=False)(self.project_id)
            if overview:
                await self.send_json({"type": "change", "kind": "overview", "op": "update", "overview": overview})
        elif kind == "diagnostics":
            history = await sync_to_async(pollers.diagnostics_history, thread_sensitive=False)(
                self.project_id, object_id
            )
            await self.send_json(
                {"type": "change", "kind": "diagnostics", "id": object_id, "op": "history", "samples": history}
            )

    def _watch(self, topic: str, new: bool = False):
        spec, _ = pollers.parse_topic(topic)
        state.watch(self.project_id, topic, self.channel_name)
        state.offer_credentials(self.project_id, spec.family, self.channel_name, self.credentials)
        if new:
            pollers.request_lookback(self.project_id, topic)
        tasks.ensure_poller(self.project_id, topic)

    async def _heartbeat(self):
        try:
            while True:
                await asyncio.sleep(state.HEARTBEAT)
                if not await self._recheck():
                    return
                for topic in list(self.topics):
                    await sync_to_async(self._watch, thread_sensitive=False)(topic)
        except asyncio.CancelledError:
            pass
        except Exception:  # noqa: BLE001 - Redis hiccup: the watch lapses, the client reconnects
            log.exception("live heartbeat failed")
            await self.close()

    async def console(self, content):
        # each asks Nova for a console (a token per call): a few per minute is all a person needs
        now = time.monotonic()
        self.console_times = [t for t in getattr(self, "console_times", []) if now - t < CONSOLE_WINDOW]
        if len(self.console_times) >= CONSOLE_LIMIT:
            await self.send_json(
                {
                    "type": "error",
                    "code": "console",
                    "message": self.say(N_("Too many console requests: wait a minute.")),
                }
            )
            return
        self.console_times.append(now)
        server_id = content.get("id")
        if not isinstance(server_id, str) or not pollers.topic_of("diagnostics", server_id):
            await self.send_json({"type": "error", "code": "console", "message": self.say(N_("Which instance?"))})
            return
        if not await self._recheck():
            return
        wanted = content.get("console_type") if isinstance(content.get("console_type"), str) else None
        answer = await sync_to_async(self._console_link, thread_sensitive=False)(server_id, wanted)
        await self.send_json({"type": "console", "id": server_id, **answer})

    # --- group messages --------------------------------------------------------------------
    async def live_message(self, event):
        # the group name already limits this to the project; check again before sending
        if event.get("project") != self.project_id or event.get("topic") not in self.topics:
            return
        await self.send_json({"type": "change", **event["payload"]})
