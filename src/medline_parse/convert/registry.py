"""The one list of formats: what medline-parse reads and writes, and how.

Every format is one :class:`Format` entry in :data:`FORMATS`: its name, file extensions, the
functions that read and/or write it (``"module:function"``, imported only when used), whether its
output is binary, the keyword options its writer takes, and the optional packages it needs with
their install hint.  The command line takes its ``--to`` and ``--from`` choices, its help, its
dispatch and its check for missing packages from here, and so does the documentation.

Adding a format is one module and one entry:

* a writer is ``write(articles, target, **options) -> int``: it writes every article to *target*
  (a path, ``"-"`` or a file object, opened with :func:`medline_parse.outputs.open_target`) and
  returns how many it wrote; a writer with ``to_path=True`` is given a path it updates in place
  (a database);
* a reader is ``read(source, *, strict=False, encoding=None) -> Iterator[Article]``; an input is
  read by the reader named with ``--from``, else by the one whose :attr:`Format.magic` its first
  bytes start with, else by :func:`medline_parse.parse`, which tells MEDLINE text from PubMed XML
  by their first bytes and refuses what is neither (RIS, BibTeX, JSON, CSV, PDF, binary data).
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import attrs

from ..model import Article
from . import missing_extra

__all__ = [
    "FORMATS",
    "Extra",
    "Format",
    "format_for_path",
    "get_format",
    "reader_for",
    "readers",
    "writers",
]


@attrs.frozen
class Extra:
    """An optional package a format needs, and the extra of medline-parse that installs it."""

    module: str
    """The module to import (``"rispy"``)."""
    extra: str
    """The extra that installs it (``"ris"``: ``pip install "medline-parse[ris]"``)."""

    @property
    def hint(self) -> str:
        """The command that installs it."""
        return f'pip install "medline-parse[{self.extra}]"'

    def check(self) -> None:
        """Import the module; an :class:`ImportError` with :attr:`hint` when it is missing."""
        try:
            importlib.import_module(self.module)
        except ImportError as error:
            raise missing_extra(self.module, self.extra, error) from None


def _load(spec: str) -> Callable[..., Any]:
    module, _, name = spec.partition(":")
    function: Callable[..., Any] = getattr(importlib.import_module(module), name)
    return function


@attrs.frozen
class Format:
    """One format medline-parse reads or writes."""

    name: str
    """What ``--to`` / ``--from`` call it (``"csl-json"``)."""
    summary: str
    """One line for help and docs."""
    extensions: tuple[str, ...] = ()
    """File extensions, the usual one first (``-o`` names ending so imply the format)."""
    writer: str | None = None
    """``"module:function"`` of the writer, or ``None`` for a format that is only read."""
    reader: str | None = None
    """``"module:function"`` of the reader, or ``None`` for a format that is only written."""
    binary: bool = False
    """Whether the output is bytes (never written to a terminal)."""
    to_path: bool = False
    """Whether the writer updates a file at a path in place (a database): no standard output."""
    options: tuple[str, ...] = ()
    """The writer's keyword options the command line may pass (``"per_author"``)."""
    preset: tuple[tuple[str, Any], ...] = ()
    """Keyword arguments always passed to the writer (``jsonl`` is ``json`` with ``lines=True``)."""
    read_preset: tuple[tuple[str, Any], ...] = ()
    """Keyword arguments always passed to the reader (``xml`` is :func:`~medline_parse.parse`
    with ``format="xml"``)."""
    extras: tuple[Extra, ...] = ()
    """Optional packages the format needs."""
    magic: bytes | None = None
    """The first bytes of every input in this format (how ``--from`` is guessed), if it has any."""

    @property
    def extension(self) -> str | None:
        """The usual file extension."""
        return self.extensions[0] if self.extensions else None

    def check_extras(self) -> None:
        """Raise :class:`ImportError` with the install hint when a package it needs is missing."""
        for extra in self.extras:
            extra.check()

    def write(self, articles: Iterable[Article], target: Any, **options: Any) -> Any:
        """Write *articles* to *target* with this format's writer; returns what the writer does
        (the number of articles; a summary for a database)."""
        if self.writer is None:
            raise ValueError(f"{self.name} is an input format only")
        self.check_extras()
        return _load(self.writer)(articles, target, **dict(self.preset), **options)

    def read(self, source: Any, **options: Any) -> Iterator[Article]:
        """The articles of *source*, read with this format's reader."""
        if self.reader is None:
            raise ValueError(f"{self.name} is an output format only")
        self.check_extras()
        read = _load(self.reader)
        articles: Iterator[Article] = read(source, **dict(self.read_preset), **options)
        return articles


_RIS = Extra("rispy", "ris")
_BIBTEX = Extra("bibtexparser", "bibtex")
_ARROW = Extra("pyarrow", "arrow")

FORMATS: tuple[Format, ...] = (
    Format(
        "medline",
        "MEDLINE text, as PubMed writes it (.txt, .nbib); read and written",
        (".txt", ".nbib", ".medline"),
        writer="medline_parse.medline.writer:write",
        reader="medline_parse.reader:parse",
        options=("style", "newline", "leading_blank_line"),
        read_preset=(("format", "medline"),),
    ),
    Format(
        "xml",
        "PubMed XML (efetch, baseline and update files); read",
        (".xml",),
        reader="medline_parse.reader:parse",
        read_preset=(("format", "xml"),),
    ),
    Format(
        "jsonl",
        "JSON Lines: one object per article, the whole model (reads back)",
        (".jsonl", ".ndjson"),
        writer="medline_parse.convert.json:write",
        options=("omit_empty", "diagnostics"),
        preset=(("lines", True),),
    ),
    Format(
        "json",
        "one JSON array of articles, the whole model (reads back)",
        (".json",),
        writer="medline_parse.convert.json:write",
        options=("omit_empty", "diagnostics"),
        preset=(("lines", False),),
    ),
    Format(
        "csv",
        "one row per article (or per author) with the columns people filter on",
        (".csv",),
        writer="medline_parse.convert.csv:write",
        options=("per_author", "sep", "raw"),
    ),
    Format(
        "ris",
        "RIS for reference managers (Zotero, EndNote, Mendeley)",
        (".ris",),
        writer="medline_parse.convert.ris:write",
        extras=(_RIS,),
    ),
    Format(
        "bibtex",
        "BibTeX / biblatex (LaTeX, pandoc)",
        (".bib",),
        writer="medline_parse.convert.bibtex:write",
        extras=(_BIBTEX,),
    ),
    Format(
        "csl-json",
        "CSL-JSON for citation processors (pandoc --citeproc, citeproc-js, Zotero)",
        (".json", ".csl.json"),
        writer="medline_parse.convert.csljson:write",
    ),
    Format(
        "sqlite",
        "a normalised SQLite database, created or updated (articles replaced by PMID); read back",
        (".sqlite", ".db", ".sqlite3"),
        writer="medline_parse.convert.sqlite:write",
        reader="medline_parse.store.articles:read_articles",
        binary=True,
        to_path=True,
        magic=b"SQLite format 3\x00",
    ),
    Format(
        "parquet",
        "Parquet: the CSV's columns, typed (pandas, polars, DuckDB, R arrow)",
        (".parquet",),
        writer="medline_parse.convert.frames:write_parquet",
        binary=True,
        options=("per_author",),
        extras=(_ARROW,),
    ),
)
"""Every format, in the order help lists them."""


def get_format(name: str) -> Format:
    """The format called *name*; :class:`KeyError` naming the choices when there is none."""
    for fmt in FORMATS:
        if fmt.name == name:
            return fmt
    choices = ", ".join(fmt.name for fmt in FORMATS)
    raise KeyError(f"unknown format {name!r}: choose one of {choices}")


def writers() -> tuple[Format, ...]:
    """The formats that can be written."""
    return tuple(fmt for fmt in FORMATS if fmt.writer is not None)


def readers() -> tuple[Format, ...]:
    """The formats that can be read."""
    return tuple(fmt for fmt in FORMATS if fmt.reader is not None)


def format_for_path(path: str | os.PathLike[str], *, writable: bool = True) -> Format | None:
    """The format a file name implies by its extension (``.gz`` aside), the longest match first;
    ``None`` when no format claims it."""
    name = os.fspath(path).lower()
    if name.endswith(".gz"):
        name = name[:-3]
    candidates = writers() if writable else readers()
    best: tuple[int, Format] | None = None
    for fmt in candidates:
        for extension in fmt.extensions:
            if name.endswith(extension) and (best is None or len(extension) > best[0]):
                best = (len(extension), fmt)
    return None if best is None else best[1]


def reader_for(head: bytes) -> Format | None:
    """The reader of an input that starts with *head*: the one whose magic bytes it starts with,
    or ``None`` (:func:`medline_parse.parse` then tells MEDLINE text from PubMed XML)."""
    for fmt in readers():
        if fmt.magic is not None and head.startswith(fmt.magic):
            return fmt
    return None
