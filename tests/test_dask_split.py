"""Cutting MEDLINE text at record boundaries: whatever the cut points, the parts read every record
exactly once, as parsing the whole file does, with the whole file's line numbers.

These run the workers' own functions (``medline_parse.dask.tasks``) in this process, on files in
fsspec's in-memory filesystem; ``test_dask.py`` runs them on a cluster.
"""

from __future__ import annotations

import io
import itertools
import warnings
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from medline_parse import Article, MedlineWarning, parse
from medline_parse.medline.split import (
    LOOKBACK,
    count_line_breaks,
    is_boundary,
    next_boundary,
    splittable_encoding,
)
from medline_parse.sniff import WrongFormatError
from medline_parse.sources import split_text_lines

from .strategies import medline_text, regular_text

fsspec = pytest.importorskip("fsspec", reason="the [dask] extra is not installed")

from medline_parse.dask.parts import Part  # noqa: E402 - needs fsspec
from medline_parse.dask.tasks import as_list, lines_before, read_part, span  # noqa: E402

_MEMORY = fsspec.filesystem("memory")
_NAMES = itertools.count()


class _Named(io.BytesIO):
    name = ""


def _whole(data: bytes, name: str, **options: Any) -> list[Article]:
    stream = _Named(data)
    stream.name = name
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MedlineWarning)
        return list(parse(stream, **options))


def _parts(data: bytes, offsets: list[int], **options: Any) -> list[list[Article]]:
    """Each part's articles, the file cut at the nominal *offsets* as Dask's tasks cut it."""
    path = f"/split/{next(_NAMES)}.txt"
    _MEMORY.pipe(path, data)
    name = f"memory://{path}"
    starts = [0, *sorted({o for o in offsets if 0 < o < len(data)})]
    stops: list[int | None] = [*starts[1:], None]
    parts = [
        Part(name, path, _MEMORY, 0, index, len(starts), start, stop)
        for index, (start, stop) in enumerate(zip(starts, stops))
    ]
    spans = [span(part) for part in parts]
    before = lines_before(spans)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", MedlineWarning)
            return [read_part(p, spans[p.index], before, options, as_list) for p in parts]
    finally:
        _MEMORY.rm(path)


def _diagnostics(articles: list[Article]) -> list[tuple[Any, ...]]:
    # A PMID repeated in two parts is not flagged: each part checks its own (documented).
    return [
        (a.pmid, d.code, d.line, d.severity, d.path, d.message)
        for a in articles
        for d in a.diagnostics
        if d.code != "duplicate-pmid"
    ]


def _same_as_whole(data: bytes, offsets: list[int]) -> list[list[Article]]:
    name = f"memory:///split/{next(_NAMES)}.txt"
    expected = _whole(data, name)
    parts = _parts(data, offsets)
    for part in parts:  # the diagnostics name the part's file: use the expected name
        for article in part:
            for diagnostic in article.diagnostics:
                object.__setattr__(diagnostic, "path", name)
    got = list(itertools.chain.from_iterable(parts))
    assert [a.pmid for a in got] == [a.pmid for a in expected]
    assert got == expected
    assert [a.field_order for a in got] == [a.field_order for a in expected]
    assert _diagnostics(got) == _diagnostics(expected)
    return parts


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.lists(medline_text() | regular_text(), min_size=1, max_size=4).map("".join),
    cuts=st.lists(st.floats(0, 1), max_size=6),
)
@example(  # a first piece whose own head looks binary (a NUL) where the whole file's does not
    text="SO  invalid line\rPMID- 1\nAB  -\nAB  -\nAB  -\nAB  -\nAB  -\nAB  -\nAB  - \x00\n\n"
    "PMID- 1\nAB  -\nAB  -\nAB  -\nAB  -\nAB  -\nAB  -\nAB  -\n",
    cuts=[0.5],
)
def test_any_cut_points_read_every_record_once(text: str, cuts: list[float]) -> None:
    data = text.encode("utf-8")
    _same_as_whole(data, [int(c * len(data)) for c in cuts])


@settings(max_examples=60, deadline=None)
@given(
    text=regular_text(),
    noise=st.binary(max_size=3),
    cuts=st.lists(st.integers(0, 4000), max_size=8),
)
def test_invalid_utf8_and_every_cut_point(text: str, noise: bytes, cuts: list[int]) -> None:
    # Bytes that are not UTF-8 get a decode-fallback diagnostic at their line, in every part.
    data = text.encode("utf-8").replace(b"a", b"a" + noise, 1) * 3
    _same_as_whole(data, cuts)


def _records(count: int, newline: str = "\n") -> bytes:
    lines: list[str] = []
    for n in range(count):
        lines += [
            f"PMID- {31000000 + n}",
            "TI  - A fictional title long enough to wrap onto a continuation line when the",
            "      writer wraps it.",
            "AU  - Roe R",
            f"SO  - J Fict. 2020;{n}:1-2.",
            "",
        ]
    return newline.join(lines).encode("ascii")


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_regular_files_are_cut_at_every_record(newline: str) -> None:
    data = _records(12, newline)
    parts = _same_as_whole(data, list(range(1, len(data), 40)))
    assert sum(1 for part in parts if part) == 12  # one record per non-empty part


def test_a_record_longer_than_a_block_leaves_the_parts_it_spans_empty() -> None:
    data = _records(3)
    parts = _same_as_whole(data, list(range(1, len(data), 7)))
    assert [len(part) for part in parts if part] == [1, 1, 1]
    assert any(not part for part in parts)


def test_diagnostics_of_later_parts_have_the_whole_files_line_numbers() -> None:
    data = _records(4) + b"\nPMID- 32000000\nXX junk line\nSO  - J Fict.\n"
    parts = _same_as_whole(data, [data.index(b"PMID- 32000000") - 5])
    junk = [d for part in parts[1:] for a in part for d in a.diagnostics if d.code == "junk-line"]
    assert [d.line for d in junk] == [data[: data.index(b"XX junk")].count(b"\n") + 1]


def test_irregular_text_is_no_boundary() -> None:
    before = b"PMID- 1\nSO  - x\n"
    assert is_boundary(before + b"\n", from_start=True)
    assert not is_boundary(before + b"\n\n", from_start=True)  # two empty lines
    assert not is_boundary(b"PMID- 1\njunk\n\n", from_start=True)  # junk would join the next
    assert not is_boundary(b"PMID- 1\n\n      stray\n\n", from_start=True)  # no field above it
    assert is_boundary(b"PMID- 1\nAB  - a\n      b\n\n", from_start=True)
    assert not is_boundary(b"\xef\xbb\xbfPMID- 1\n\n", from_start=True)  # BOM: not a plain tag
    assert is_boundary(b"PMID- 1\r\nSO  - x\r\n\r\n", from_start=True)
    assert is_boundary(b"PMID- 1\rSO  - x\r\r", from_start=True)
    # a cut first line is not trusted: the tag line must start inside the window
    assert not is_boundary(b"D- 1\n\n", from_start=False)
    assert is_boundary(b"\nPMID- 1\n\n", from_start=False)


def test_a_boundary_is_decided_by_the_lookback_window_alone() -> None:
    # An abstract longer than the look-back window: the record after it is not a boundary, the
    # one after a short record is, whichever offset the search starts from.
    long = b"PMID- 1\nAB  - x\n" + b"      continued\n" * (LOOKBACK // 15 + 1) + b"\n"
    data = long + b"PMID- 2\nSO  - y\n\nPMID- 3\nSO  - z\n"
    second = len(long)
    third = data.index(b"PMID- 3")

    def read(start: int, end: int) -> bytes:
        return data[start:end]

    assert next_boundary(read, len(data), 1) == third
    assert next_boundary(read, len(data), second) == third
    assert next_boundary(read, len(data), third + 1) == len(data)
    assert next_boundary(read, len(data), 0) == 0


@given(st.text(alphabet="ab\r\n", max_size=40), st.integers(1, 5))
def test_line_breaks_are_counted_as_the_tokenizer_counts_lines(text: str, chunk: int) -> None:
    data = text.encode("ascii")

    def read(start: int, end: int) -> bytes:
        return data[start : min(end, start + chunk)]  # a CR and its LF may be chunks apart

    ended = [line for line in split_text_lines(text) if line.endswith(("\n", "\r"))]
    assert count_line_breaks(read, 0, len(data)) == len(ended)


def test_which_encodings_may_be_cut() -> None:
    assert splittable_encoding(None)
    assert splittable_encoding("latin-1")
    assert splittable_encoding("windows-1252")
    assert not splittable_encoding("utf-16")
    assert not splittable_encoding("shift_jis")
    assert not splittable_encoding("no-such-codec")


def test_a_cut_file_in_another_format_is_refused_by_its_head() -> None:
    # RIS looks like MEDLINE to the splitter (tags and dashes); the whole file's head is what
    # tells it apart, once, whatever the cut points, as parse() would.
    ris = b"".join(
        b"TY  - JOUR\nTI  - A fictional title number %d\nAU  - Roe, R\nER  - \n\n" % n
        for n in range(200)
    )
    with pytest.raises(WrongFormatError, match=r"\.txt: this looks like RIS"):
        _parts(ris, [len(ris) // 3, 2 * len(ris) // 3])
