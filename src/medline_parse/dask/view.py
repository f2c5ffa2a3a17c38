"""PubMed's current view on Dask: the baseline and update files folded into one row per record.

Strategy: every part turns its events into rows tagged with where they happened (the file's place
in apply order, the part, the position in the part) and a key (the record's PMID, as
:func:`~medline_parse.convert._common.article_key` gives it; a deletion notice gives one tombstone
row per PMID it names).  A shuffle on the key brings all the events of one record to one partition;
there they are sorted by where they happened and folded, one after another, by the rules of
:mod:`medline_parse.store.order`, the module :func:`medline_parse.sync` follows too.  What each key
holds at the end is its row of the view.  Only the rows travel, never file contents.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from ..convert._common import article_key, summary
from ..convert.frames import _pandas
from ..model import Article, Deletion
from ..store.order import Outcome, article_outcome, deletion_outcome, order_files
from .parts import Part
from .tables import arrow_frame, schema

__all__ = ["EVENT_COLUMNS", "event_frame", "fold", "in_apply_order"]

EVENT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("_key", "string"),
    ("_version", "int64"),
    ("_file", "int64"),
    ("_part", "int64"),
    ("_at", "int64"),
    ("_deleted", "bool"),
)
"""The columns an event row has beside the article's: its key, its version, where it happened,
and whether it is a deletion (a tombstone)."""

_ORDER = ["_key", "_file", "_part", "_at"]


class _Place(os.PathLike[str]):
    """A file's path that remembers its place among the inputs (for :func:`order_files`)."""

    def __init__(self, part: Part) -> None:
        self.part = part

    def __fspath__(self) -> str:
        return self.part.path


def in_apply_order(files: Sequence[Part]) -> list[Part]:
    """*files* in the order PubMed's rules apply them, each numbered by that place."""
    ordered = order_files([_Place(file) for file in files])
    return [attrs.evolve(place.part, number=rank) for rank, place in enumerate(ordered)]


def _event_schema(columns: Sequence[str]) -> Any:
    import pyarrow as pa  # type: ignore[import-untyped]

    base = schema(columns)
    for name, kind in EVENT_COLUMNS:
        base = base.append(pa.field(name, getattr(pa, "bool_" if kind == "bool" else kind)()))
    return base


def event_frame(columns: Sequence[str], part: Part | None, events: Iterable[Any]) -> Any:
    """The rows of *part*'s events: the article's *columns* and :data:`EVENT_COLUMNS`."""
    rows: list[dict[str, Any]] = []
    file, index = (0, 0) if part is None else (part.number, part.index)
    for at, event in enumerate(events):
        if isinstance(event, Article):
            row = summary(event)
            row.update(
                _key=article_key(event),
                _version=event.pmid_version,
                _file=file,
                _part=index,
                _at=at,
                _deleted=False,
            )
            rows.append(row)
        elif isinstance(event, Deletion):
            for pmid, version in zip(event.pmids, event.versions):
                rows.append(
                    dict.fromkeys(columns)
                    | {
                        "_key": pmid,
                        "_version": version,
                        "_file": file,
                        "_part": index,
                        "_at": at,
                        "_deleted": True,
                    }
                )
    import pyarrow as pa

    table = pa.Table.from_pylist(rows, schema=_event_schema(columns))
    return table.to_pandas(types_mapper=_pandas().ArrowDtype)


def fold(columns: Sequence[str], frame: Any) -> Any:
    """What the view holds for each key of *frame* (all of each key's events): the events sorted
    by where they happened and applied one after another by the rules of
    :mod:`medline_parse.store.order`."""
    ordered = frame.sort_values(_ORDER, kind="stable").reset_index(drop=True)
    pd = _pandas()
    keys = ordered["_key"].tolist()
    versions = [None if pd.isna(v) else int(v) for v in ordered["_version"].tolist()]
    deleted = ordered["_deleted"].tolist()
    kept: list[int] = []
    held: int | None = None
    for row, key in enumerate(keys):
        if row and key != keys[row - 1]:
            if held is not None:
                kept.append(held)
            held = None
        held_version = None if held is None else versions[held]
        if deleted[row]:
            outcome = deletion_outcome(held is not None, held_version, versions[row])
            if outcome is Outcome.DELETED:
                held = None
        elif article_outcome(held is not None, held_version, versions[row]) is not Outcome.OLDER:
            held = row
    if held is not None:
        kept.append(held)
    return ordered.iloc[kept][list(columns)].reset_index(drop=True)


def view_parts(columns: Sequence[str]) -> tuple[Any, Any, Any]:
    """The metadata of event frames and of the view, and the per-part finish function."""
    event_meta = event_frame(columns, None, ())
    view_meta = arrow_frame([], columns)
    return event_meta, view_meta, functools.partial(event_frame, tuple(columns))
