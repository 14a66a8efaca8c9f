"""Frozen value records that cost nothing to define.

A frozen dataclass costs about a millisecond a class at import on Python 3.11 (it compiles
each generated method), and a cold `check` defines its records on every commit. The records
a check creates are plain classes on this base instead: the same equality, hashing, repr,
immutability and pickling as `@dataclass(frozen=True)`, from the fields the class annotates.
The public records plugins build on (Finding, Rule, Location, Message, CheckContext) stay
dataclasses.
"""

from __future__ import annotations

from itertools import repeat
from operator import call

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, ClassVar, Self


class Record:
    """A frozen record whose fields are the names its class annotates, in order (and lists,
    sorted, in `__slots__`). A subclass's `__init__` takes the fields in that order and
    stores them with `_fill`."""

    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ()
    _setters: ClassVar[tuple[Callable[[Any, object], None], ...]] = ()

    def __init_subclass__(cls) -> None:
        super().__init_subclass__()
        cls._fields = tuple(cls.__annotations__)  # its own, in order (Python 3.10 and later)
        # Each field's slot set through its own descriptor: object.__setattr__ would look the
        # name up on the class again for every field of every record made.
        cls._setters = tuple(getattr(cls, name).__set__ for name in cls._fields)

    def _fill(self, *values: object) -> None:
        setters = self._setters
        if len(values) != len(setters):
            raise ValueError(f"{type(self).__qualname__} takes {len(setters)} fields")
        for _ in map(call, setters, repeat(self), values):  # each setter called from C
            pass

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self._fields)

    def replace(self, **changes: Any) -> Self:
        """A copy with some fields changed (dataclasses.replace)."""
        values = self.as_fields()
        values.update(changes)
        return type(self)(**values)

    def as_fields(self) -> dict[str, Any]:
        """The fields by name, in order (dataclasses.asdict, one level deep)."""
        return {name: getattr(self, name) for name in self._fields}

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{type(self).__qualname__}({shown})"

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}")

    def __reduce__(self) -> tuple[type[Self], tuple[Any, ...]]:
        return type(self), self._values()
