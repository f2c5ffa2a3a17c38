"""The parts of the input: which files, and where each file may be cut (planned on the client).

Only names and sizes are looked up here, never contents: the workers open the files themselves
(:mod:`.tasks`).  A file is one part, or, when it is uncompressed and larger than the block size,
several parts at nominal offsets ``0, blocksize, 2 * blocksize, ...`` that the workers move to
record boundaries (:mod:`medline_parse.medline.split`).
"""

from __future__ import annotations

import glob as _glob
import os
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from ..errors import MedlineError
from ..sources import SourceError

__all__ = ["Part", "expand", "plan"]

Paths = str | os.PathLike[str] | Iterable[str | os.PathLike[str]]


@attrs.frozen
class Part:
    """One partition's share of one file."""

    name: str
    """How errors and diagnostics name the file: the path or URL as given, or as a glob found it."""
    path: str
    """The file's path on its filesystem (what :attr:`fs` opens)."""
    fs: Any = attrs.field(eq=False, repr=False)
    """The fsspec filesystem holding the file (pickled to the workers with the part)."""
    number: int
    """The file's place among the inputs, from 0."""
    index: int = 0
    """This part's place in its file, from 0."""
    count: int = 1
    """How many parts the file has."""
    start: int = 0
    """Nominal first byte (the worker moves it to the next record boundary)."""
    stop: int | None = None
    """Nominal end, or ``None`` for the end of the file."""
    compression: str | None = None
    """What fsspec decompresses (by the name's suffix; gzip is left to the reader)."""


def expand(paths: Paths, storage_options: Mapping[str, Any] | None = None) -> list[Part]:
    """One part per file of *paths*: paths, globs and fsspec URLs (``s3://...``), in the order
    given, each glob's matches sorted."""
    from fsspec.core import get_fs_token_paths  # type: ignore[import-untyped]
    from fsspec.utils import infer_compression  # type: ignore[import-untyped]

    items = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    parts: list[Part] = []
    for item in items:
        if not isinstance(item, (str, os.PathLike)):
            raise MedlineError(f"expected a path or URL, got {type(item).__name__}")
        given = os.fspath(item)
        try:
            fs, _, found = get_fs_token_paths(given, storage_options=dict(storage_options or {}))
        except (ValueError, ImportError) as error:
            raise SourceError(f"{given}: cannot open: {error}") from None
        if not found:
            raise SourceError(f"{given}: no file matches")
        pattern = _glob.has_magic(given)
        for path in sorted(found) if pattern else found:
            name = given if not pattern else _display(fs, path, given)
            compression = infer_compression(path)
            parts.append(
                Part(
                    name=name,
                    path=path,
                    fs=fs,
                    number=len(parts),
                    compression=None if compression == "gzip" else compression,
                )
            )
    return parts


def _display(fs: Any, path: str, given: str) -> str:
    """A glob's match named as the user would: a local path as is, a remote one as a URL."""
    if "://" not in given:
        return path
    return str(fs.unstrip_protocol(path))


def plan(files: list[Part], blocksize: int | None, splittable: bool) -> list[list[Part]]:
    """The parts of each file: one, or one per *blocksize* bytes of an uncompressed file when
    *splittable* (the reading options allow cutting)."""
    planned: list[list[Part]] = []
    for file in files:
        if blocksize is None or not splittable or file.compression or _whole_name(file.path):
            planned.append([file])
            continue
        try:
            size = int(file.fs.size(file.path))
        except OSError:  # the worker that reads it says what is wrong, naming the file
            planned.append([file])
            continue
        count = max(1, -(-size // blocksize))
        planned.append(
            [
                attrs.evolve(
                    file,
                    index=index,
                    count=count,
                    start=index * blocksize,
                    stop=None if index == count - 1 else (index + 1) * blocksize,
                )
                for index in range(count)
            ]
        )
    return planned


def _whole_name(path: str) -> bool:
    """Named as gzip data or XML: read whole (the workers check the bytes of the others)."""
    return path.lower().endswith((".gz", ".gzip", ".tgz", ".xml"))
