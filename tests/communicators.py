"""Drive Zenith's ASGI application in a test as a server would, without a server: a websocket and a
plain HTTP request on asgiref's ApplicationCommunicator.

Channels ships the same kind of helpers in `channels.testing`, but importing that package imports
daphne (for its live-server test case), and Zenith is served by uvicorn: daphne is not installed.
"""

from __future__ import annotations

import json
from urllib.parse import unquote, urlsplit

from asgiref.testing import ApplicationCommunicator


class WebsocketCommunicator(ApplicationCommunicator):
    """A websocket opened on `application` at `path` with `headers` ([(bytes, bytes)])."""

    def __init__(self, application, path: str, headers=None, subprotocols=None):
        url = urlsplit(path)
        scope = {
            "type": "websocket",
            "path": unquote(url.path),
            "query_string": url.query.encode(),
            "headers": list(headers or []),
            "subprotocols": list(subprotocols or []),
        }
        super().__init__(application, scope)

    async def connect(self, timeout: float = 1) -> tuple[bool, int | str | None]:
        """The handshake: (True, the chosen subprotocol) when accepted, (False, the close code) when
        refused."""
        await self.send_input({"type": "websocket.connect"})
        reply = await self.receive_output(timeout)
        if reply["type"] == "websocket.close":
            return False, reply.get("code", 1000)
        assert reply["type"] == "websocket.accept", reply
        return True, reply.get("subprotocol")

    async def send_to(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        """One frame to the application: text or bytes, exactly one of them."""
        assert (text_data is None) != (bytes_data is None), "give text_data or bytes_data"
        frame = {"text": text_data} if text_data is not None else {"bytes": bytes_data}
        await self.send_input({"type": "websocket.receive", **frame})

    async def send_json_to(self, data) -> None:
        await self.send_to(text_data=json.dumps(data))

    async def receive_from(self, timeout: float = 1) -> str | bytes:
        """The next frame the application sends (fails on anything else, a close included)."""
        message = await self.receive_output(timeout)
        assert message["type"] == "websocket.send", message
        return message["text"] if message.get("text") is not None else message["bytes"]

    async def receive_json_from(self, timeout: float = 1):
        frame = await self.receive_from(timeout)
        assert isinstance(frame, str), f"a binary frame, not JSON: {frame!r}"
        return json.loads(frame)

    async def disconnect(self, code: int = 1000, timeout: float = 1) -> None:
        """The client goes away; waits for the application to finish."""
        await self.send_input({"type": "websocket.disconnect", "code": code})
        await self.wait(timeout)


class HttpCommunicator(ApplicationCommunicator):
    """One HTTP request to `application`: `get_response()` answers {"status", "headers", "body"}."""

    def __init__(self, application, method: str, path: str, body: bytes = b"", headers=None):
        url = urlsplit(path)
        scope = {
            "type": "http",
            "http_version": "1.1",
            "method": method.upper(),
            "path": unquote(url.path),
            "query_string": url.query.encode(),
            "headers": list(headers or []),
        }
        super().__init__(application, scope)
        self.body = body

    async def get_response(self, timeout: float = 1) -> dict:
        await self.send_input({"type": "http.request", "body": self.body})
        start = await self.receive_output(timeout)
        assert start["type"] == "http.response.start", start
        answer = {"status": start["status"], "headers": start.get("headers", []), "body": b""}
        while True:
            part = await self.receive_output(timeout)
            assert part["type"] == "http.response.body", part
            answer["body"] += part.get("body", b"")
            if not part.get("more_body", False):
                return answer
