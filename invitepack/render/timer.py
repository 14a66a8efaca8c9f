"""A wall-clock bound on Python-level work, light enough for `check` to import (no Jinja2)."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from invitepack.errors import LimitExceededError


@contextmanager
def time_limit(
    seconds: float, what: str, limit_name: str, fix: str = "simplify the template"
) -> Iterator[None]:
    """Interrupt Python-level work (regular expressions included) that runs longer than
    `seconds`; limit_name is the `[limits]` key the hint names. Unix main thread only, and
    inside an outer time_limit the outer one applies. C-level work that could run long is
    refused before it starts, see sandbox.py."""
    if (
        not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
        or signal.getitimer(signal.ITIMER_REAL)[0] > 0
    ):
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise LimitExceededError(
            f"limit exceeded: {what} took longer than {seconds:g} s",
            hint=f"{fix}, or raise limits.{limit_name} in the config",
        )

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
