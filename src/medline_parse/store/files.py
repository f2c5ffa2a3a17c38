"""The input files of a sync: what they are (name, size, time, checksum), the ``.md5`` files NLM
publishes beside them, and a reader that counts the bytes read (for the progress display).

A file is known by its name (without folder): applied once, a file of that name is the same file
as long as its SHA-256 checksum is the same.  NLM publishes an MD5 checksum beside each file
(``pubmed25n0001.xml.gz.md5``, holding ``MD5(pubmed25n0001.xml.gz)= <32 hex digits>``); when such a
file is there, the data file's MD5 must match it.  Both checksums are computed in one pass over
the file's bytes as stored (compressed), before anything of it is applied.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import re
from collections.abc import Callable
from typing import IO

import attrs

from ..sources import SourceError

__all__ = ["CHECKSUM_SUFFIX", "CountingReader", "InputFile", "checksums", "expected_md5"]

CHECKSUM_SUFFIX = ".md5"
"""The suffix of the checksum file NLM publishes beside each data file."""

_MD5 = re.compile(r"\b([0-9a-fA-F]{32})\b")
_NAMED = re.compile(r"MD5\s*\(([^)]*)\)\s*=", re.IGNORECASE)
_CHUNK = 1 << 20


@attrs.frozen
class InputFile:
    """One file to apply, as found on disk."""

    path: str
    """The path as given."""
    name: str
    """Its name without folder: what the database knows it by."""
    size: int
    """Size in bytes."""
    modified: str
    """Modification time, ISO 8601 in UTC (``2025-06-02T04:05:06Z``)."""

    @classmethod
    def stat(cls, path: str | os.PathLike[str]) -> InputFile:
        """The file at *path*; :class:`~medline_parse.sources.SourceError` when it is missing, a
        directory or unreadable."""
        text = os.fspath(path)
        try:
            info = os.stat(text)
        except FileNotFoundError:
            raise SourceError(f"{text}: no such file") from None
        except OSError as error:
            raise SourceError(f"{text}: cannot read: {error.strerror or error}") from None
        if not os.path.isfile(text):
            raise SourceError(f"{text}: is not a file")
        when = datetime.datetime.fromtimestamp(int(info.st_mtime), datetime.timezone.utc)
        return cls(text, os.path.basename(text), info.st_size, when.strftime("%Y-%m-%dT%H:%M:%SZ"))

    @property
    def checksum_file(self) -> str:
        """Where NLM's MD5 checksum of this file would be (``FILE.md5``)."""
        return self.path + CHECKSUM_SUFFIX


def checksums(path: str, md5: bool = False) -> tuple[str, str | None]:
    """The SHA-256 (and, when asked, the MD5) hex digest of the file's bytes."""
    sha = hashlib.sha256()
    digest = hashlib.md5(usedforsecurity=False) if md5 else None
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(_CHUNK):
                sha.update(chunk)
                if digest is not None:
                    digest.update(chunk)
    except OSError as error:
        raise SourceError(f"{path}: cannot read: {error.strerror or error}") from None
    return sha.hexdigest(), None if digest is None else digest.hexdigest()


def expected_md5(file: InputFile) -> str | None:
    """The MD5 digest the ``.md5`` file beside *file* states (lower case), or ``None`` when there is
    no such file.

    Raises:
        SourceError: the ``.md5`` file holds no MD5 digest, or names another file.
    """
    where = file.checksum_file
    try:
        with open(where, encoding="utf-8", errors="replace") as handle:
            text = handle.read(4096)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise SourceError(f"{where}: cannot read: {error.strerror or error}") from None
    match = _MD5.search(text)
    if match is None:
        raise SourceError(f"{where}: holds no MD5 checksum")
    named = _NAMED.search(text)
    if named is not None and os.path.basename(named[1].strip()) != file.name:
        raise SourceError(f"{where}: is the checksum of {named[1].strip()}, not of {file.name}")
    return match[1].lower()


class CountingReader:
    """A binary file that tells *advance* how many bytes were read from it."""

    def __init__(self, handle: IO[bytes], name: str, advance: Callable[[int], object]) -> None:
        self._handle = handle
        self.name = name  # what the readers and their diagnostics call the file
        self._advance = advance

    def read(self, size: int = -1) -> bytes:
        data = self._handle.read(size)
        if data:
            self._advance(len(data))
        return data

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        self._handle.close()
