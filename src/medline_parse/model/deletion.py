"""A deletion notice: PubMed withdrew records from the database."""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from .pickling import by_construction

__all__ = ["Deletion"]


def _pmids(values: Iterable[str]) -> tuple[str, ...]:
    return values if isinstance(values, tuple) else tuple(values)


def _versions(values: Iterable[int | None]) -> tuple[int | None, ...]:
    return values if isinstance(values, tuple) else tuple(values)


@by_construction
@attrs.frozen(slots=True)
class Deletion:
    """Records PubMed deleted: the update files carry one for every batch of withdrawn PMIDs.

    A database kept in step with PubMed removes these PMIDs (at these versions) when it meets the
    notice, in file order: a later record in the same file may bring a PMID back.
    """

    pmids: tuple[str, ...] = attrs.field(converter=_pmids)
    """The deleted PMIDs, in source order."""
    versions: tuple[int | None, ...] = attrs.field(converter=_versions)
    """The version of each deleted PMID (same length as :attr:`pmids`); ``None`` where the
    source does not say."""
    source: str | None = attrs.field(default=None, eq=False)
    """The file the notice came from, when known (not part of equality)."""
    line: int | None = attrs.field(default=None, eq=False)
    """The 1-based line where the notice starts, when known (not part of equality)."""

    def __attrs_post_init__(self) -> None:
        if len(self.pmids) != len(self.versions):
            raise ValueError("a Deletion needs one version (or None) per PMID")

    def __len__(self) -> int:
        return len(self.pmids)
