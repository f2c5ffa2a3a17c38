"""Pickling the value classes by their constructor: fast both ways.

attrs pickles a frozen slotted instance with a ``__getstate__``/``__setstate__`` pair that runs in
Python, one ``object.__setattr__`` per field, on both sides.  :func:`by_construction` gives a
class a ``__reduce__`` that hands pickle the field values as one tuple (taken by a C-level
``operator.attrgetter``) and the converter-free constructor of :mod:`.construction` to rebuild
from it (compiled: one C call that fills the slots).  This is what makes
:func:`~medline_parse.parse_many` send whole articles back from its workers: on the corpus,
pickling takes half the time, unpickling a third, and unpickling is then a small fraction of
parsing.

Values are stored by position: a pickle is for passing articles between processes running the
same version of the library (as ``parse_many`` and Dask do), not for keeping them.
"""

from __future__ import annotations

import copyreg
import operator
from collections.abc import Callable
from types import FunctionType
from typing import Any, TypeVar

import attrs

from .construction import direct_constructor

__all__ = ["by_construction", "constructor_of"]

C = TypeVar("C", bound=type)

_CONSTRUCTORS: dict[type, Callable[..., Any]] = {}


def constructor_of(cls: type) -> Callable[..., Any]:
    """The converter-free constructor of *cls* (made once, then shared)."""
    found = _CONSTRUCTORS.get(cls)
    if found is None:
        found = _CONSTRUCTORS[cls] = direct_constructor(cls)
    return found


def _rebuild(cls: type, values: tuple[Any, ...]) -> Any:
    """An instance of *cls* from its field values (what pickles of the pure-Python build call)."""
    return constructor_of(cls)(*values)


def by_construction(cls: C) -> C:
    """Give the frozen attrs class *cls* a ``__reduce__`` that rebuilds it with its converter-free
    constructor (a class decorator)."""
    names = [field.name for field in attrs.fields(cls)]
    values: Callable[[Any], tuple[Any, ...]]
    if len(names) == 1:
        name = names[0]
        values = lambda instance: (getattr(instance, name),)  # noqa: E731 - a 1-tuple, always
    else:
        values = operator.attrgetter(*names)

    def __reduce__(self: Any) -> tuple[Any, ...]:
        # The constructor is looked up on first use, not at class creation (the compiled kernel
        # may not be importable yet then); this method then replaces itself with the reducer.
        build = constructor_of(cls)
        reduce: Callable[[Any], tuple[Any, ...]]
        if isinstance(build, FunctionType):  # the pure-Python build's, which pickles by name only

            def reduce(instance: Any) -> tuple[Any, ...]:
                return (_rebuild, (cls, values(instance)))

        else:  # compiled: it reads the slots itself, and is pickled once per pickle, by its class
            reduce = build.reduce  # type: ignore[attr-defined]

        cls.__reduce__ = lambda instance: reduce(instance)  # type: ignore[assignment,method-assign,misc]
        copyreg.pickle(cls, reduce)
        return reduce(self)

    __reduce__.__qualname__ = f"{cls.__qualname__}.__reduce__"
    cls.__reduce__ = __reduce__  # type: ignore[assignment,method-assign]
    # also in copyreg's table, which pickle and copy consult first (one lookup instead of
    # object.__reduce_ex__ finding __reduce__)
    copyreg.pickle(cls, __reduce__)
    return cls
