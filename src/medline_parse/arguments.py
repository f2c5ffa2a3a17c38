"""Checks of what the public functions are given.

Strategy.  Only :class:`~medline_parse.errors.MedlineError` and :class:`OSError` leave the
library, also when it is misused: a function checks its arguments with these helpers once, up
front, before it opens, creates or writes anything, and a wrong one gets a ``MedlineError`` (or
the subclass the caller names) that says which argument, what it was given and what it takes.
Items are checked as they are reached, since an iterable may be read only once: writing stops at
the first item that is no article, and the target is left as it was (see
:mod:`medline_parse.outputs`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from typing import Any

from .errors import MedlineError

__all__ = ["checked_items", "count", "one_or_many", "path", "paths", "text_or_none"]


def _kind(value: object) -> str:
    return "None" if value is None else type(value).__name__


def path(value: object, what: str, error: type[MedlineError] = MedlineError) -> str:
    """*value* as a path string: a ``str``, a path-like or ``bytes`` (decoded as the file system
    does); *what* names it in the error raised for anything else, and for a NUL byte, which no
    path can hold."""
    try:
        text = os.fsdecode(value)  # type: ignore[arg-type]
    except TypeError:
        raise error(f"{what} must be a path (str or path-like), not {_kind(value)}") from None
    if "\0" in text:
        raise error(f"{what} {text!r}: a path cannot hold a NUL byte")
    return text


def one_or_many(value: object, what: str, error: type[MedlineError] = MedlineError) -> list[Any]:
    """The items of *value*, an iterable; a ``str``, ``bytes`` or path-like is one item (a file
    name is no list of letters).  Anything else that cannot be iterated gets *error*."""
    if isinstance(value, (str, bytes, os.PathLike)):
        return [value]
    if value is None or not isinstance(value, Iterable):
        raise error(f"{what} must be an iterable, not {_kind(value)}")
    return list(value)


def paths(value: object, what: str, error: type[MedlineError] = MedlineError) -> list[str]:
    """The paths *value* gives: one path (``str``, path-like or ``bytes``) is one file, else an
    iterable of them (each checked by :func:`path`)."""
    return [path(item, f"each of {what}", error) for item in one_or_many(value, what, error)]


def count(
    value: object,
    what: str,
    *,
    minimum: int = 1,
    maximum: int | None = None,
    error: type[MedlineError] = MedlineError,
) -> int:
    """*value* when it is a whole number (not a ``bool``) from *minimum* to *maximum*."""
    span = f"at least {minimum:,}" if maximum is None else f"from {minimum:,} to {maximum:,}"
    if not isinstance(value, int) or isinstance(value, bool):
        raise error(f"{what} must be a whole number {span}, not {_kind(value)}")
    if value < minimum or (maximum is not None and value > maximum):
        raise error(f"{what} must be a whole number {span}, not {value:,}")
    return value


def text_or_none(value: object, what: str, error: type[MedlineError] = MedlineError) -> str | None:
    """*value* when it is a ``str`` or ``None``."""
    if value is not None and not isinstance(value, str):
        raise error(f"{what} must be a str or None, not {_kind(value)}")
    return value


def checked_items(items: object, kinds: tuple[type, ...], noun: str) -> Iterator[Any]:
    """The items of *items* to write, each checked to be one of *kinds* as it is reached; one
    object of *kinds* is written alone.  What is no iterable (``None``, a number, a ``str``, which
    is text and no list of articles) is refused now, before anything is written; an item of
    another type when it is reached.  *noun* names what is expected (``"an Article"``)."""
    if isinstance(items, kinds):
        return iter((items,))
    if isinstance(items, (str, bytes)) or not isinstance(items, Iterable):
        kind = type(items).__name__
        raise MedlineError(f"cannot write {kind}: expected {noun} or an iterable of them")
    return _each_checked(iter(items), kinds, noun)


def _each_checked(items: Iterator[Any], kinds: tuple[type, ...], noun: str) -> Iterator[Any]:
    for number, item in enumerate(items, 1):
        if not isinstance(item, kinds):
            kind = type(item).__name__
            raise MedlineError(f"cannot write {kind} (item {number}): expected {noun}")
        yield item
