"""Wall-clock bounds on Python-level work, light enough for `check` to import (no Jinja2):
time_limit for one step, one_timer for a batch's many steps, paused() for time that belongs
to another bound (a plugin call in its worker process)."""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from invitepack.errors import LimitExceededError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# signal.signal without its wrapper, which turns the handler it replaces back into an enum
# member where it can: for a function handler (ours, put back after every bounded step) that
# is a ValueError raised and caught, most of a step's bounding cost.
_swap_handler: Callable[[int, Any], Any] = getattr(signal, "_signal", signal).signal


class _Steps:
    """The bounded step now running under `one_timer`: what it is, its bound and its start."""

    active = False
    step: tuple[float, str, str, float, str] | None = None  # seconds, what, limit, started, fix


_STEPS = _Steps()


def _limit_error(seconds: float, what: str, limit_name: str, fix: str) -> LimitExceededError:
    return LimitExceededError(
        f"limit exceeded: {what} took longer than {seconds:g} s",
        hint=f"{fix}, or raise limits.{limit_name} in the config",
    )


class time_limit:  # a context manager used as a function, as it always was
    """Interrupt Python-level work (regular expressions included) that runs longer than
    `seconds`; limit_name is the `[limits]` key the hint names. Unix main thread only, and
    inside an outer time_limit the outer one applies. Under `one_timer` (a batch) the step is
    only noted: the one timer already running bounds it the same way. C-level work that could
    run long is refused before it starts, see sandbox.py.

    (A class rather than a @contextmanager generator: `check` enters one per note, and the
    generator's machinery cost about as much as the timer's system calls.)"""

    __slots__ = ("fix", "limit_name", "mode", "previous", "seconds", "what")

    def __init__(
        self, seconds: float, what: str, limit_name: str, fix: str = "simplify the template"
    ) -> None:
        self.seconds = seconds
        self.what = what
        self.limit_name = limit_name
        self.fix = fix
        self.mode = 0  # what __enter__ did: 0 nothing, 1 noted a step, 2 set a timer
        self.previous: Any = None

    def __enter__(self) -> None:
        seconds, what, limit_name, fix = self.seconds, self.what, self.limit_name, self.fix
        if _STEPS.active:
            if _STEPS.step is not None:  # nested: the outer step's bound applies, as below
                return
            _STEPS.step = (seconds, what, limit_name, time.monotonic(), fix)
            self.mode = 1
            return
        if (
            not hasattr(signal, "setitimer")
            or threading.current_thread() is not threading.main_thread()
            or signal.getitimer(signal.ITIMER_REAL)[0] > 0
        ):
            return

        def expire(signum: int, frame: Any) -> None:
            raise _limit_error(seconds, what, limit_name, fix)

        self.previous = _swap_handler(signal.SIGALRM, expire)
        self.mode = 2
        signal.setitimer(signal.ITIMER_REAL, seconds)

    def __exit__(self, *exc_info: object) -> None:
        mode, self.mode = self.mode, 0
        if mode == 1:
            _STEPS.step = None
        elif mode == 2:
            try:
                signal.setitimer(signal.ITIMER_REAL, 0)
            finally:
                previous, self.previous = self.previous, None
                _swap_handler(signal.SIGALRM, previous)


@contextmanager
def one_timer(seconds: float) -> Iterator[None]:
    """One timer for many bounded steps (a batch's rows): each time_limit inside only notes its
    step and start, instead of setting and clearing a timer of its own (two system calls and
    two signal-handler swaps a step). When the timer fires, the step running then fails if it
    has run for its whole bound; otherwise the timer is set again for the rest of it. Each
    step is bounded exactly as time_limit bounds it alone. Where time_limit would set no timer
    (no setitimer, not the main thread, an outer timer running) this sets none either."""
    if (
        not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
        or signal.getitimer(signal.ITIMER_REAL)[0] > 0
        or _STEPS.active
    ):
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        step = _STEPS.step
        if step is None:
            signal.setitimer(signal.ITIMER_REAL, seconds)
            return
        bound, what, limit_name, started, fix = step
        left = bound - (time.monotonic() - started)
        if left <= 0:
            _STEPS.step = None  # the step ends with its error
            signal.setitimer(signal.ITIMER_REAL, seconds)
            raise _limit_error(bound, what, limit_name, fix)
        signal.setitimer(signal.ITIMER_REAL, left)

    previous = _swap_handler(signal.SIGALRM, expire)
    _STEPS.active, _STEPS.step = True, None
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        _STEPS.active, _STEPS.step = False, None
        _swap_handler(signal.SIGALRM, previous)


@contextmanager
def paused() -> Iterator[None]:
    """Stop the clock of the bound now running (a time_limit's timer, or a one_timer step)
    for the time inside, which another bound covers: a plugin call in the worker process
    has plugin_seconds, and must not use up the note's check_seconds."""
    if (
        not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        yield
        return
    left = signal.setitimer(signal.ITIMER_REAL, 0)[0]
    started = time.monotonic()
    try:
        yield
    finally:
        step = _STEPS.step
        if step is not None:  # the step's clock moves on by the time spent here
            seconds, what, limit_name, begun, fix = step
            _STEPS.step = (seconds, what, limit_name, begun + time.monotonic() - started, fix)
        if left > 0:
            signal.setitimer(signal.ITIMER_REAL, left)
