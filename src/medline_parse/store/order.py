"""The rules of PubMed's current view, as pure functions: which file comes first, and what a record
or a deletion does to what is held for its PMID.

Everything that builds "PubMed as of today" from the baseline and the update files follows these
rules, whatever it stores the view in (:func:`medline_parse.sync` into SQLite, a Dask pipeline, a
test's dictionary), so the same files always give the same view:

* **File order.**  NLM's files are named ``pubmedYYnNNNN`` (``pubmed25n0001.xml.gz`` ...): the
  baseline is numbered from 1 and the daily update files go on from where it ends.  They apply by
  (``YY``, ``NNNN``), whatever order they are given in.  Other files keep the order they are given
  in; PubMed-named files among them are sorted within the places they occupy
  (:func:`order_files`).
* **Records.**  Within that order, each file's events apply one after another.  A record replaces
  what is held for its key (its PMID, see :func:`medline_parse.convert._common.article_key`),
  unless both carry a version (``<PMID Version="N">``) and the record's is *older* than the one
  held: then the newer version stays and the record is ignored (:func:`article_outcome`).  A record
  with no version (MEDLINE text has none) replaces whatever is held.
* **Deletions.**  A ``<DeleteCitation>`` removes the record held for each PMID it names, when the
  versions agree (equal, or either unknown); a deletion of a PMID that is not held, or of another
  version than the one held, changes nothing and is no error (:func:`deletion_outcome`).

:class:`View` applies these rules to a dictionary in memory; it is the reference the database
implementation is tested against.
"""

from __future__ import annotations

import enum
import os
import re
from collections.abc import Iterable, Sequence
from typing import TypeVar

from ..convert._common import article_key
from ..model import Article, Deletion

__all__ = [
    "Outcome",
    "View",
    "article_outcome",
    "deletion_outcome",
    "order_files",
    "pubmed_file_key",
]

P = TypeVar("P", bound="str | os.PathLike[str]")

_PUBMED_FILE = re.compile(r"pubmed(\d{2})n(\d{4,})(?![0-9])", re.IGNORECASE)


def pubmed_file_key(name: str | os.PathLike[str]) -> tuple[int, int] | None:
    """``(year, number)`` of an NLM file name (``pubmed25n1275.xml.gz`` gives ``(25, 1275)``), or
    ``None`` for any other name.  Only the file's own name counts, not its folder."""
    match = _PUBMED_FILE.match(os.path.basename(os.fspath(name)))
    return None if match is None else (int(match[1]), int(match[2]))


def order_files(paths: Sequence[P]) -> list[P]:
    """*paths* in the order to apply them: PubMed-named files by (year, number), each other file
    where it was given.

    The PubMed-named files are sorted among the places they hold in *paths*, so
    ``[b.txt, pubmed25n0002.xml, a.txt, pubmed25n0001.xml]`` gives
    ``[b.txt, pubmed25n0001.xml, a.txt, pubmed25n0002.xml]``.
    """
    places = [i for i, path in enumerate(paths) if pubmed_file_key(path) is not None]
    pubmed = sorted((paths[i] for i in places), key=lambda p: pubmed_file_key(p) or (0, 0))
    ordered = list(paths)
    for place, path in zip(places, pubmed):
        ordered[place] = path
    return ordered


class Outcome(enum.Enum):
    """What one record, or one PMID of a deletion, did to the view."""

    ADDED = "added"
    """A record for a key the view did not hold."""
    REPLACED = "replaced"
    """A record that replaced the one held for its key."""
    OLDER = "older"
    """A record older (by version) than the one held: ignored, the newer one stays."""
    DELETED = "deleted"
    """A deleted PMID whose record the view held: removed."""
    ABSENT = "absent"
    """A deleted PMID the view did not hold (at that version): nothing to do."""


def article_outcome(held: bool, held_version: int | None, version: int | None) -> Outcome:
    """What a record of version *version* does when the view holds (*held*) a record of version
    *held_version* for its key (versions are ``None`` when unknown)."""
    if not held:
        return Outcome.ADDED
    if version is not None and held_version is not None and version < held_version:
        return Outcome.OLDER
    return Outcome.REPLACED


def deletion_outcome(held: bool, held_version: int | None, version: int | None) -> Outcome:
    """What deleting a PMID at *version* does when the view holds (*held*) a record of version
    *held_version* for it."""
    if held and (version is None or held_version is None or version == held_version):
        return Outcome.DELETED
    return Outcome.ABSENT


class View:
    """The current view in memory: a dictionary from key to article, kept by the rules above.

    ``View().apply_all(events)`` over the events of the files in :func:`order_files` order gives
    what :func:`medline_parse.sync` leaves in its database.
    """

    def __init__(self) -> None:
        self.articles: dict[str, Article] = {}
        """The articles held, by key."""

    def apply(self, event: Article | Deletion) -> list[tuple[str, Outcome]]:
        """Apply one event; ``(key, outcome)`` for the record, or for each PMID deleted."""
        if isinstance(event, Article):
            key = article_key(event)
            held = self.articles.get(key)
            outcome = article_outcome(
                held is not None, None if held is None else held.pmid_version, event.pmid_version
            )
            if outcome is not Outcome.OLDER:
                self.articles[key] = event
            return [(key, outcome)]
        outcomes: list[tuple[str, Outcome]] = []
        for pmid, version in zip(event.pmids, event.versions):
            held = self.articles.get(pmid)
            outcome = deletion_outcome(
                held is not None, None if held is None else held.pmid_version, version
            )
            if outcome is Outcome.DELETED:
                del self.articles[pmid]
            outcomes.append((pmid, outcome))
        return outcomes

    def apply_all(self, events: Iterable[Article | Deletion]) -> View:
        """Apply every event in order; returns the view."""
        for event in events:
            self.apply(event)
        return self
