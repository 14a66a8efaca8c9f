"""Plugins that are not invitepack's own run in a forked worker process, each call bounded in
time, so that no plugin can hang a run or fake its end.

Installed (entry point) and local plugins are imported, registered and called in a child
forked when the plugins are built; the parent keeps only what they declared (PluginInfo).
For each hook call the parent sends the arguments (pickled; the check context, templates and
the pack are sent once and referred to after) and waits for the result:

- a plugin call that runs past `limits.plugin_seconds` (import included) is reported as a
  plugin failure naming the plugin, and the worker is killed;
- a worker that ends without answering (a plugin calling os._exit(0), a segfault, the OOM
  killer) is a plugin failure too: only a complete answer counts, never silence;
- after either, the worker's plugins are reported as not run for the rest of the run.

Which plugin is running is in a few bytes of memory the two processes share, written by the
child around each call, so the parent can name it without a message per call. The child's
stdin is /dev/null and its stdout goes to stderr: a plugin can neither read the note piped to
`check -` nor corrupt JSON output. It writes no bytecode, and dies with its parent (Linux).

Costs (README, "Limits"): the fork and the plugins' import once per run, then a round trip
per hook call that an external plugin implements. Where fork is unavailable (Windows), or
with INVITEPACK_PLUGINS_IN_PROCESS=1 (to debug a plugin), plugins run in-process and only
what they raise or `sys.exit` is caught.
"""

from __future__ import annotations

import io
import mmap
import os
import pickle
import select
import signal
import struct
import sys
import time
import warnings
import weakref
from collections.abc import Callable
from contextlib import suppress
from dataclasses import fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from invitepack.checks.failures import PluginFailure
from invitepack.checks.findings import Finding, Rule
from invitepack.checks.results import HookResult
from invitepack.errors import LimitExceededError, Location, PluginError
from invitepack.render.timer import paused

if TYPE_CHECKING:
    import pluggy

    from invitepack.checks.plugins import PluginInfo, Plugins

IN_PROCESS_ENV = "INVITEPACK_PLUGINS_IN_PROCESS"
_FRAME = struct.Struct(">Q")
_SLOT = struct.Struct("<qd")  # the running plugin's index (-1: none), and since when


def available() -> bool:
    """Can plugins run in a worker here? (POSIX fork, and not switched off.)"""
    flag = os.environ.get(IN_PROCESS_ENV, "").strip().lower()
    return hasattr(os, "fork") and flag in ("", "0", "false", "no", "off")


class _Stopped(Exception):
    """The worker stopped answering: hung (killed) or ended."""

    def __init__(self, culprit: int, problem: str):
        super().__init__(problem)
        self.culprit = culprit
        self.problem = problem


def _loaded(module: str, name: str) -> Any:
    """A class, if its module is already imported: no instance can exist otherwise, and
    importing it here (Jinja2 for the renderer) would slow `check` down for nothing."""
    found = sys.modules.get(module)
    return getattr(found, name, None) if found is not None else None


def _reducers() -> dict[type, Callable[[Any], Any]]:
    """How to send objects that hold compiled state: rebuilt in the worker from their inputs."""
    reducers: dict[type, Callable[[Any], Any]] = {}
    book = _loaded("invitepack.checks.phrases", "PhraseBook")
    if book is not None:
        reducers[book] = lambda phrases: (book, (dict(phrases._extra),))
    renderer = _loaded("invitepack.render.renderer", "Renderer")
    if renderer is not None:
        reducers[renderer] = lambda made: (renderer, (made.root, made.limits))
    return reducers


def _interned_types() -> tuple[type, ...]:
    """Arguments that stay the same across many calls: sent once, referred to after."""
    found = (
        _loaded("invitepack.checks.context", "CheckContext"),
        _loaded("invitepack.pack.template", "Template"),
        _loaded("invitepack.pack.loader", "Pack"),
    )
    return tuple(kind for kind in found if kind is not None)


class PluginWorker:
    """The parent's side of the worker: start it, call hooks in it, stop it."""

    def __init__(self, names: list[str], load: Callable[[], Plugins], seconds: float):
        self.names = names  # the external plugins, in load order (what the slot's index means)
        self.seconds = seconds
        self.infos: list[PluginInfo] = []
        self.hooks: frozenset[str] = frozenset()
        self.stopped: str | None = None  # why the worker is gone, once it is
        self._sent: dict[int, tuple[int, weakref.ref[Any]]] = {}
        self._forget: list[int] = []
        self._keys = 0
        self._slot = mmap.mmap(-1, _SLOT.size)
        self._mark(-1)
        requests_r, requests_w = os.pipe()
        results_r, results_w = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        with warnings.catch_warnings():  # Python 3.12+ warns when other threads exist
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
        if pid == 0:  # pragma: no cover - the child; coverage does not follow os._exit
            os.close(requests_w)
            os.close(results_r)
            _close_other_files(requests_r, results_w)
            _serve(requests_r, results_w, self._slot, load)
        os.close(requests_r)
        os.close(results_w)
        self.pid = pid
        self._out = requests_w
        self._in = results_r
        self._finalizer = weakref.finalize(self, _reap, pid, requests_w, results_r)
        try:
            kind, payload = self._receive("loading")
        except _Stopped as exc:
            self.close()
            raise PluginError(
                f"plugin {self._name(exc.culprit)!r} {exc.problem} while loading",
                hint=f"raise limits.plugin_seconds (now {seconds:g}) if it only loads slowly"
                if "longer than" in exc.problem
                else None,
            ) from None
        if kind == "error":
            self.close()
            message, path, line, column, hint = payload
            raise PluginError(message, Location(path, line, column) if path else None, hint)
        if kind != "ready":  # "crash": something no plugin error covers, e.g. a BaseException
            self.close()
            raise PluginError(f"the plugins could not be loaded: {payload}")
        self.infos, hooks = payload
        self.hooks = frozenset(hooks)

    # -- calls ----------------------------------------------------------------------------

    def call(
        self, hook: str, path: Path | None, kwargs: dict[str, Any], label: str | None = None
    ) -> HookResult:
        """The external plugins' result for one hook call; a failure, never silence, when
        the worker hangs or ends. `path` and `label` say what is being checked."""
        if hook not in self.hooks:
            return HookResult()
        if self.stopped is not None:
            return HookResult(failures=[self._failure(hook, path, self.stopped, label)])
        try:
            request = self._pickle(hook, path, kwargs, label)
        except Exception as exc:  # noqa: BLE001 - an argument that cannot travel
            return HookResult(
                failures=[
                    PluginFailure(
                        self._everyone(),
                        hook,
                        f"its arguments could not be passed to the plugin process: {exc}",
                        path,
                        label,
                    )
                ]
            )
        try:
            self._mark(-1)
            try:
                _write_frame(self._out, request)
            except OSError:  # it ended while idle
                raise _Stopped(-1, f"ended the plugin process ({self._status()})") from None
            with paused():  # the note's own time limit counts invitepack's rules only
                kind, payload = self._receive(hook)
        except _Stopped as exc:
            culprit = self._name(exc.culprit)
            self.stopped = f"not run: plugin {culprit!r} stopped the plugin process earlier"
            self.close()
            return HookResult(failures=[PluginFailure(culprit, hook, exc.problem, path, label)])
        except BaseException:
            self.stopped = "not run: the run was interrupted during a plugin call"
            self.close()
            raise
        if kind == "limit":
            message, where, hint = payload
            raise LimitExceededError(message, where, hint)
        if kind == "crash":
            return HookResult(
                failures=[PluginFailure(self._everyone(), hook, payload, path, label)]
            )
        result: HookResult = payload
        return result

    def _failure(self, hook: str, path: Path | None, why: str, label: str | None) -> PluginFailure:
        return PluginFailure(self._everyone(), hook, why, path, label)

    def _everyone(self) -> str:
        return ", ".join(self.names)

    def _name(self, index: int) -> str:
        if 0 <= index < len(self.names):
            return self.names[index]
        return self._everyone() if len(self.names) == 1 else f"one of {self._everyone()}"

    # -- the wire -------------------------------------------------------------------------

    def _mark(self, index: int) -> None:
        _SLOT.pack_into(self._slot, 0, index, time.monotonic())

    def _receive(self, what: str) -> tuple[str, Any]:
        """The worker's next answer; _Stopped when a plugin runs past the bound (the worker
        is killed) or the worker ends first."""
        data = bytearray()
        wanted: int | None = None
        while wanted is None or len(data) < wanted:
            index, since = _SLOT.unpack_from(self._slot, 0)
            left = since + self.seconds - time.monotonic()
            ready = select.select([self._in], [], [], max(left, 0.0))[0] if left > 0 else []
            if not ready:
                if _SLOT.unpack_from(self._slot, 0) != (index, since):
                    continue  # the worker moved on to the next plugin meanwhile
                self._kill()
                raise _Stopped(
                    index,
                    f"took longer than {self.seconds:g} s (limits.plugin_seconds) and was stopped",
                )
            chunk = os.read(self._in, 1 << 16)
            if not chunk:
                raise _Stopped(index, f"ended the plugin process ({self._status()})")
            data += chunk
            if wanted is None and len(data) >= _FRAME.size:
                wanted = _FRAME.size + _FRAME.unpack_from(data)[0]
        kind, payload = pickle.loads(bytes(data[_FRAME.size : wanted]))
        return kind, payload

    def _pickle(
        self, hook: str, path: Path | None, kwargs: dict[str, Any], label: str | None = None
    ) -> bytes:
        """The request: arguments the worker has had before (the context, a template, the
        pack; a message's template) go by reference, the rest as they are."""
        interned = _interned_types()
        message_type = _loaded("invitepack.render.message", "Message")
        fresh: dict[int, Any] = {}

        def ref(value: Any) -> int:
            ident = id(value)
            if ident not in self._sent:
                key = self._keys
                self._keys += 1
                self._sent[ident] = (key, weakref.ref(value, lambda _: self._drop(ident, key)))
                fresh[key] = value
            return self._sent[ident][0]

        call: dict[str, tuple[str, Any, int]] = {}
        for name, value in kwargs.items():
            if interned and isinstance(value, interned):
                call[name] = (_REF, None, ref(value))
            elif (
                message_type is not None
                and isinstance(value, message_type)
                and isinstance(value.template, interned)
            ):
                call[name] = (_MESSAGE, replace(value, template=None), ref(value.template))
            else:
                call[name] = (_PLAIN, value, -1)
        forget, self._forget = self._forget, []
        return _dumps((hook, path, label, fresh, call, forget))

    def _drop(self, ident: int, key: int) -> None:
        if self._sent.get(ident, (None,))[0] == key:
            del self._sent[ident]
            self._forget.append(key)

    # -- ending ---------------------------------------------------------------------------

    def _status(self) -> str:
        """How the worker ended, once its answers stopped: reaped, or killed if it lives on
        (a plugin that closed invitepack's pipe)."""
        deadline = time.monotonic() + 0.5
        try:
            while True:
                done, status = os.waitpid(self.pid, os.WNOHANG)
                if done:
                    break
                if time.monotonic() > deadline:
                    self._kill()
                    os.waitpid(self.pid, 0)
                    return "it closed its connection to invitepack and was stopped"
                time.sleep(0.005)
        except ChildProcessError:
            return "status unknown"
        if os.WIFSIGNALED(status):
            return f"killed by {signal.Signals(os.WTERMSIG(status)).name}"
        return f"exit status {os.WEXITSTATUS(status)}"

    def _kill(self) -> None:
        with suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)

    def close(self) -> None:
        """Stop the worker (it exits when its requests pipe closes) and reap it."""
        self._finalizer()


class _Pickler(pickle.Pickler):
    """Pickles call arguments; objects holding compiled state are rebuilt in the worker from
    their inputs (see _reducers)."""

    def __init__(self, buffer: io.BytesIO):
        super().__init__(buffer, protocol=pickle.HIGHEST_PROTOCOL)
        self.dispatch_table = _reducers()


def _dumps(value: Any) -> bytes:
    buffer = io.BytesIO()
    _Pickler(buffer).dump(value)
    return buffer.getvalue()


_REF, _MESSAGE, _PLAIN = "ref", "message", "plain"


def _arguments(call: dict[str, tuple[str, Any, int]], table: dict[int, Any]) -> dict[str, Any]:
    """The worker's side of _pickle: references replaced by the objects they stand for."""
    kwargs = {}
    for name, (kind, value, key) in call.items():
        if kind == _REF:
            kwargs[name] = table[key]
        elif kind == _MESSAGE:
            kwargs[name] = replace(value, template=table[key])
        else:
            kwargs[name] = value
    return kwargs


def _reap(pid: int, requests: int, results: int) -> None:
    """Close the pipes (the worker exits when it sees that) and make sure it is gone: a
    worker between two calls has nothing left to do, so it is not waited for."""
    for fd in (requests, results):
        with suppress(OSError):
            os.close(fd)
    with suppress(ChildProcessError):
        done, _ = os.waitpid(pid, os.WNOHANG)
        if not done:
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)


def _write_frame(fd: int, payload: bytes) -> None:
    view = memoryview(_FRAME.pack(len(payload)) + payload)
    while view:
        view = view[os.write(fd, view) :]


def _read_exactly(fd: int, count: int) -> bytes | None:
    data = bytearray()
    while len(data) < count:
        chunk = os.read(fd, count - len(data))
        if not chunk:
            return None
        data += chunk
    return bytes(data)


# -- the child ------------------------------------------------------------------------------


def _serve(requests: int, results: int, slot: mmap.mmap, load: Callable[[], Plugins]) -> None:
    """The worker: load the plugins, then answer calls until the parent goes away. Never
    returns into the parent's code: every path ends in os._exit."""
    try:
        _become_worker()

        def send(kind: str, payload: Any) -> None:
            _write_frame(results, pickle.dumps((kind, payload), protocol=pickle.HIGHEST_PROTOCOL))

        def mark(index: int) -> None:
            _SLOT.pack_into(slot, 0, index, time.monotonic())

        try:
            plugins = load_marked(load, mark)
        except PluginError as exc:
            where = exc.location
            send(
                "error",
                (
                    exc.message,
                    where.path if where else None,
                    where.line if where else None,
                    where.column if where else None,
                    exc.hint,
                ),
            )
            return
        manager = plugins.manager
        assert manager is not None  # load() registers the external plugins with pluggy
        _time_each_call(manager, plugins.infos, mark)
        hooks = sorted(
            name
            for name in dir(manager.hook)
            if name.startswith("invitepack_") and getattr(manager.hook, name).get_hookimpls()
        )
        send("ready", ([_plain_info(info) for info in plugins.infos.values()], hooks))
        die_with_parent()  # after answering: ctypes takes a few ms the parent need not wait
        table: dict[int, Any] = {}
        while True:
            header = _read_exactly(requests, _FRAME.size)
            if header is None:
                return  # the parent is done
            body = _read_exactly(requests, _FRAME.unpack(header)[0])
            if body is None:
                return
            hook, path, label, fresh, call, forget = pickle.loads(body)
            for key in forget:
                table.pop(key, None)
            table.update(fresh)
            kwargs = _arguments(call, table)
            try:
                result = plugins.call(hook, path, label=label, **kwargs)
            except LimitExceededError as exc:
                send("limit", (exc.message, exc.location, exc.hint))
                continue
            send("result", _portable(result))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which decides
        try:
            message = f"the plugin process failed: {type(exc).__name__}: {exc}"
            _write_frame(results, pickle.dumps(("crash", message)))
        except BaseException:  # noqa: BLE001 - the parent sees the pipe close instead
            pass
    finally:
        os._exit(0)


def load_marked(load: Callable[[], Plugins], mark: Callable[[int], None]) -> Plugins:
    """Load the plugins; `load` marks each one as it starts importing it."""
    global _MARK
    _MARK = mark
    try:
        return load()
    finally:
        _MARK = None
        mark(-1)


_MARK: Callable[[int], None] | None = None


def loading(index: int) -> None:
    """Called by the loader as it starts importing external plugin number `index`, so that a
    hang or an exit there is pinned on it (a no-op outside the worker)."""
    if _MARK is not None:
        _MARK(index)


def _close_other_files(*keep: int) -> None:
    """Close what the child inherited beyond its own pipes and stdio (another worker's pipe
    would keep that worker from seeing its parent go; a lock would outlive its run)."""
    start = 3
    for fd in sorted(keep):
        os.closerange(start, fd)
        start = fd + 1
    os.closerange(start, os.sysconf("SC_OPEN_MAX") if hasattr(os, "sysconf") else 65536)


def _become_worker() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.dup2(2, 1)  # a plugin's print() goes to stderr, never into stdout's report
    sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115
    sys.stdout = sys.stderr
    sys.dont_write_bytecode = True  # nothing written into the repo's plugin folder


def die_with_parent() -> None:
    """Linux: SIGKILL this process when the parent dies, even by SIGKILL (no orphan stuck
    in a plugin's endless loop). Elsewhere the worker ends when its requests pipe closes."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _time_each_call(
    manager: pluggy.PluginManager, infos: dict[str, PluginInfo], mark: Callable[[int], None]
) -> None:
    """Wrap every hook implementation so the shared slot says which plugin runs, and since
    when; a generator is drained inside, so that its time counts as the plugin's."""
    order = {name: index for index, name in enumerate(infos)}
    for name in dir(manager.hook):
        if not name.startswith("invitepack_"):
            continue
        for impl in getattr(manager.hook, name).get_hookimpls():
            impl.function = _timed(impl.function, order.get(impl.plugin_name, -1), mark)


def _timed(function: Callable[..., Any], index: int, mark: Callable[[int], None]) -> Any:
    def timed(*args: Any) -> Any:
        mark(index)
        try:
            result = function(*args)
            return None if result is None else list(result)
        finally:
            mark(-1)

    return timed


def _plain(item: Any, kind: type) -> Any:
    """A plugin's Finding or Rule subclass as the base record: the parent cannot import the
    plugin's module to unpickle its own class."""
    if type(item) is kind or not isinstance(item, kind):
        return item
    return kind(**{f.name: getattr(item, f.name) for f in fields(kind)})


def _plain_info(info: PluginInfo) -> PluginInfo:
    return info.replace(rules=tuple(_plain(rule, Rule) for rule in info.rules))


def _portable(result: HookResult) -> HookResult:
    """A result the parent can unpickle: base records only; a failure that cannot travel
    (e.g. with an exception object attached) keeps its text."""
    findings = [_plain(f, Finding) for f in result.findings]
    failures = []
    for failure in result.failures:
        try:
            pickle.dumps(failure)
        except Exception:  # noqa: BLE001 - e.g. the plugin's exception object
            failure = replace(failure, exception=None)
        failures.append(failure)
    return HookResult(findings, failures)
