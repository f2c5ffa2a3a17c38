"""The sidecar file of an unfinished fetch (``OUT.fetch-state.json``): what it fetches and how far
it got.

It holds a fingerprint of the fetch (format, query or PMID list), the number of bytes of ``OUT``
that hold whole batches (``committed``; what lies beyond was being written when the run stopped
and is cut off on resume), and the :class:`~.eutils.Resume` (parts cut in two, parts done, the
part under way). It is replaced atomically (a temporary file, fsync, rename) after each batch has
been written and synced, so that it never counts a batch the output does not hold whole.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Sequence
from typing import Any

import attrs

from ..outputs import named_error
from .client import FetchError
from .search import Resume

__all__ = ["SUFFIX", "State", "fingerprint", "state_path"]

SUFFIX = ".fetch-state.json"
_VERSION = 1


def state_path(output: str) -> str:
    """The state file of the output *output*."""
    return output + SUFFIX


def fingerprint(query: str | None, pmids: Sequence[str] | None, format: str) -> str:
    """What makes two fetches the same fetch: database, format, and the query or PMID list."""
    what = {"db": "pubmed", "format": format, "query": query, "pmids": pmids}
    data = json.dumps(what, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def describe(query: str | None, pmids: Sequence[str] | None, format: str) -> str:
    """The fetch in words, for messages."""
    if query is not None:
        what = f"query {query!r}"
    else:
        count = len(pmids or ())
        what = f"{count:,} PMID{'s' if count != 1 else ''}"
    return f"{what}, format {format}"


@attrs.define
class State:
    """How far the fetch into one output file got."""

    fingerprint: str
    what: str
    committed: int = 0
    records: int = 0
    footer: bytes = b""
    unknown: list[str] = attrs.Factory(list)
    problems: int = 0
    resume: Resume = attrs.Factory(Resume)

    def to_json(self) -> dict[str, Any]:
        return {
            "version": _VERSION,
            "fingerprint": self.fingerprint,
            "what": self.what,
            "committed": self.committed,
            "records": self.records,
            "footer": self.footer.decode("latin-1"),
            "unknown": self.unknown,
            "problems": self.problems,
            "splits": sorted(self.resume.splits),
            "done": sorted(self.resume.done),
            "part": self.resume.part,
            "offset": self.resume.offset,
            "cap": self.resume.cap,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> State:
        resume = Resume(
            splits=set(data["splits"]),
            done=set(data["done"]),
            part=data["part"],
            offset=int(data["offset"]),
            cap=data["cap"],
        )
        return cls(
            fingerprint=str(data["fingerprint"]),
            what=str(data["what"]),
            committed=int(data["committed"]),
            records=int(data["records"]),
            footer=str(data["footer"]).encode("latin-1"),
            unknown=[str(p) for p in data["unknown"]],
            problems=int(data["problems"]),
            resume=resume,
        )

    def save(self, path: str) -> None:
        """Write the state to *path* atomically."""
        directory = os.path.dirname(os.path.abspath(path))
        fd, temp = tempfile.mkstemp(prefix=".medline-fetch-", suffix=".tmp", dir=directory)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(self.to_json(), handle, indent=1)
                handle.write("\n")
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, path)
        except BaseException as error:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            if isinstance(error, OSError):
                raise named_error(error, path, temp) from None
            raise
        _sync_directory(directory)

    @classmethod
    def load(cls, path: str) -> State | None:
        """The state saved at *path*, or None when there is none."""
        try:
            with open(path, encoding="utf-8") as handle:
                data = json.load(handle)
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as error:
            raise FetchError(
                f"{path}: cannot read the state of the unfinished fetch: {error}"
            ) from None
        try:
            if data.get("version") != _VERSION:
                raise ValueError("an unknown version")
            return cls.from_json(data)
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise FetchError(
                f"{path}: not a state file this version of medline-parse can read ({error}); "
                "use --force to start the fetch over"
            ) from None


def _sync_directory(directory: str) -> None:
    """Make a rename in *directory* durable (where the platform allows it)."""
    flags = getattr(os, "O_DIRECTORY", None)
    if flags is None:
        return
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY | flags)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
