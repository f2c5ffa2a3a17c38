"""Griffe extension: show the reST markup of medline-parse's docstrings as Markdown.

The docstrings use Sphinx roles (``:func:`parse```, ``:class:`~medline_parse.model.Article```) and
double-backquoted literals.  mkdocstrings renders docstrings as Markdown, so roles become code
spans (the last dotted part of the target, as Sphinx's ``~`` would show it) and double backquotes
become single ones.  The source files are not changed.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_ROLE = re.compile(r":(?:func|meth|class|attr|mod|data|exc|obj|const):`~?(?:[\w.]+\.)?(\w+)`")
_CALLABLE_ROLE = re.compile(r":(?:func|meth):`~?(?:[\w.]+\.)?(\w+)`")
_LITERAL = re.compile(r"``(.+?)``", re.DOTALL)
_PLURAL = re.compile(r"(`[^`\n]+`)\\? s\b")  # reST needs ":class:`Article` s"; Markdown does not


def markdown(text: str) -> str:
    """reST roles and literals of *text* as Markdown code spans."""
    text = _CALLABLE_ROLE.sub(r"`\1()`", text)
    text = _ROLE.sub(r"`\1`", text)
    text = _LITERAL.sub(r"`\1`", text)
    return _PLURAL.sub(r"\1s", text)


class RestRoles(griffe.Extension):
    """Rewrite each docstring's reST markup when griffe loads it."""

    def on_instance(self, *, obj: griffe.Object, **_: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = markdown(obj.docstring.value)
