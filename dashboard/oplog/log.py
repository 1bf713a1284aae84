"""The operation log: one JSON object per line on the `zenith.operations` logger.

Where the lines go is DASHBOARD_OPERATION_LOG (settings.LOGGING builds its handler with `handler`):
"stdout" or "-" (the process's standard output: journald, a container's log), "stderr", a file path
(appended to, reopened when logrotate moves it: WatchedFileHandler), or "" / "off" for none (the
middleware then does no work for it). Only stdlib: settings.LOGGING imports this module while
Django sets up.
"""

from __future__ import annotations

import json
import logging
import logging.handlers
import sys
from datetime import UTC, datetime

LOGGER = "zenith.operations"
OFF = ("", "off", "none", "false")

log = logging.getLogger(LOGGER)


def utc_iso(timestamp: float) -> str:
    """2026-12-01T09:30:00.123Z"""
    return datetime.fromtimestamp(timestamp, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class JsonLines(logging.Formatter):
    """A record's `operation` fields as one line of JSON (ASCII, so no terminal or file encoding
    can break it; control characters escaped, so no value can start a line of its own). A record
    without them (logged by something else) becomes {"time", "level", "message"}."""

    def format(self, record: logging.LogRecord) -> str:
        fields = getattr(record, "operation", None)
        if not isinstance(fields, dict):
            fields = {"time": utc_iso(record.created), "level": record.levelname, "message": record.getMessage()}
        return json.dumps(fields, ensure_ascii=True, separators=(",", ":"), default=str)


class _Stdout(logging.StreamHandler):
    """A handler writing to whatever sys.stdout is when a line is written (a test or a server may
    replace it after logging is set up)."""

    def __init__(self):
        super().__init__()

    @property
    def stream(self):
        return sys.stdout

    @stream.setter
    def stream(self, _value):
        pass


def handler(destination: str = "stdout") -> logging.Handler:
    """The handler for a DASHBOARD_OPERATION_LOG value, with the JSON formatter. A file that cannot
    be opened fails here, when Zenith starts, not at its first line."""
    where = destination.strip()
    if where.lower() in OFF:
        made: logging.Handler = logging.NullHandler()
    elif where.lower() in ("stdout", "-"):
        made = _Stdout()
    elif where.lower() == "stderr":
        made = logging.StreamHandler(sys.stderr)
    else:
        made = logging.handlers.WatchedFileHandler(where, encoding="utf-8")
    made.setFormatter(JsonLines())
    return made


def enabled() -> bool:
    return log.isEnabledFor(logging.INFO)


def write(fields: dict) -> None:
    """One line. Never raises: the request it describes has been answered already."""
    try:
        log.info("operation", extra={"operation": fields})
    except Exception:  # noqa: BLE001 - a log that fails must not turn an answer into a 500
        logging.getLogger(__name__).exception("the operation log could not be written")
