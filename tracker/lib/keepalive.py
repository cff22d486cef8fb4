"""
Long downloads and the server's watchdog.

gunicorn kills a sync worker that has not told its master it is alive for
``GUNICORN_TIMEOUT`` seconds, and a worker busy sending a response does not tell it: a
streamed file that takes longer than that would be cut off however steadily it flows.
``gunicorn.conf.py`` installs the worker's ``notify`` here (``install``), and a stream
calls ``alive()`` each time it has made progress (the notice goes out at most once a
second). A stream that stops making progress (a query that hangs, a client that stops
reading) stops calling it and is killed after the timeout as before. Outside gunicorn
``alive()`` does nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable

_notify: Callable[[], None] | None = None
_last = 0.0


def install(notify: Callable[[], None]) -> None:
    """Called once per worker process with the worker's ``notify``."""
    global _notify
    _notify = notify


def alive() -> None:
    """Tell the server this worker is making progress (cheap: call it often)."""
    global _last
    if _notify is None:
        return
    now = time.monotonic()
    if now - _last >= 1.0:
        _last = now
        _notify()
