"""Every file of ../shared/corpus re-joins byte for byte, with one record per PMID line."""

from __future__ import annotations

from pathlib import Path

import pytest

from medline_parse import iter_records

from .conftest import corpus_params


@pytest.mark.parametrize("path", corpus_params())
def test_corpus_file_rejoins_and_counts(path: Path) -> None:
    data = path.read_bytes()
    records = list(iter_records(path))
    assert "".join(r.source for r in records) == data.decode("utf-8-sig")
    pmid_lines = sum(
        1 for line in data.splitlines() if line.lstrip(b"\xef\xbb\xbf")[:5] == b"PMID-"
    )
    with_pmid = [r for r in records if r.pmid is not None]
    assert len(with_pmid) == pmid_lines
    if pmid_lines:  # files with PMIDs: one record per PMID line, none without
        without = [r.line for r in records if r.pmid is None and r.fields]
        erics = [r for r in records if r.first("OWN") == "ERIC"]
        assert len(without) == len(erics), f"records without PMID at lines {without}"
    for record in records:
        assert record.fields, f"record without fields at line {record.line}"
