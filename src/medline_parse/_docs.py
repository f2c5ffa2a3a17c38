"""Attribute docstrings for ``help()``.

The value classes document each attribute with a string literal right below it, which the docs
site and IDEs read from the source.  Python itself keeps no such string (slotted attrs classes have
no place for it), so ``help(Article)`` would list the attributes without their meaning.  This
module gives each class a docstring that, when first read, appends those strings as an
``Attributes:`` section: the source is parsed then, not at import.  Without the source (a frozen
application) the docstring stays as it is.
"""

from __future__ import annotations

import ast
import functools
import inspect
import sys
import textwrap
from collections.abc import Iterable
from typing import Any

__all__ = ["add_attribute_docs", "attribute_docs"]


@functools.cache
def _module_classes(filename: str) -> dict[str, ast.ClassDef]:
    try:
        with open(filename, encoding="utf-8") as handle:
            tree = ast.parse(handle.read())
    except (OSError, SyntaxError, ValueError):
        return {}
    return {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}


def attribute_docs(cls: type) -> dict[str, str]:
    """The docstrings of *cls*'s annotated attributes, read from its source (empty when there is
    none)."""
    try:
        filename = inspect.getsourcefile(cls)
    except TypeError:
        return {}
    node = _module_classes(filename).get(cls.__name__) if filename else None
    if node is None:
        return {}
    docs: dict[str, str] = {}
    for statement, following in zip(node.body, node.body[1:]):
        if (
            isinstance(statement, ast.AnnAssign)
            and isinstance(statement.target, ast.Name)
            and isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        ):
            docs[statement.target.id] = inspect.cleandoc(following.value.value)
    return docs


def _with_attributes(cls: type, doc: str) -> str:
    docs = attribute_docs(cls)
    if not docs:
        return doc
    lines = ["", "Attributes:"]
    for name, text in docs.items():
        lines.append(f"    {name}: " + textwrap.indent(text, "        ").lstrip())
    return inspect.cleandoc(doc) + "\n" + "\n".join(lines)


class _Docstring:
    """A class's ``__doc__`` that adds the attributes' docstrings when first read (``type``
    calls a descriptor found under ``__doc__``)."""

    def __init__(self, cls: type, doc: str) -> None:
        self._cls = cls
        self._doc = doc
        self._full: str | None = None

    def __get__(self, instance: object, owner: Any = None) -> str:
        if self._full is None:
            self._full = _with_attributes(self._cls, self._doc)
        return self._full


def add_attribute_docs(classes: Iterable[type]) -> None:
    """Give each class a docstring with an ``Attributes:`` section (name: meaning)."""
    if sys.flags.optimize >= 2:  # -OO: docstrings are gone anyway
        return
    for cls in classes:
        doc = cls.__dict__.get("__doc__")
        if isinstance(doc, str):
            cls.__doc__ = _Docstring(cls, doc)  # type: ignore[assignment]
