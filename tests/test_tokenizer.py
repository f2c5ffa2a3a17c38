"""The tokenizer: records, fields, values, line numbers and diagnostics, on small inputs."""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medline_parse import MedlineError, ParseError, Record, Severity, SourceError, iter_records
from medline_parse.medline import tokenizer as tokenizer_module
from medline_parse.medline.collapsed import split_collapsed
from medline_parse.medline.tokenizer import Tokenizer

TWO = (
    "PMID- 39000001\n"
    "OWN - NLM\n"
    "TI  - A first title that is long enough to be wrapped onto a second line by the \n"
    "      exporter.\n"
    "AU  - Doe J\n"
    "\n"
    "PMID- 39000002\n"
    "TI  - Second.\n"
)


def records(text: str, **kwargs: object) -> list[Record]:
    return list(iter_records(io.StringIO(text), **kwargs))  # type: ignore[arg-type]


def codes(record: Record) -> list[tuple[str, int | None]]:
    return [(d.code, d.line) for d in record.diagnostics]


def test_two_records_fields_values_and_line_numbers() -> None:
    first, second = records(TWO)
    assert [f.tag for f in first.fields] == ["PMID", "OWN", "TI", "AU"]
    assert first.first("TI") == (
        "A first title that is long enough to be wrapped onto a second line by the exporter."
    )
    assert [f.line for f in first.fields] == [1, 2, 3, 5]
    assert first.fields[2].raw == TWO.splitlines(True)[2] + TWO.splitlines(True)[3]
    assert first.source == "".join(TWO.splitlines(True)[:6])  # blank line after it included
    assert (first.line, second.line) == (1, 7)
    assert second.pmid == "39000002"
    assert first.diagnostics == () and second.diagnostics == ()


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_endings_are_read_and_kept(newline: str) -> None:
    text = TWO.replace("\n", newline)
    got = records(text)
    assert [r.pmid for r in got] == ["39000001", "39000002"]
    assert (
        got[0]
        .first(
            "TI",
        )
        .endswith("by the exporter.")
    )  # type: ignore[union-attr]
    assert "".join(r.source for r in got) == text


def test_mixed_line_endings_and_no_final_newline() -> None:
    text = "PMID- 1\r\nTI  - a\n      b\rAU  - X Y\n\r\nPMID- 2\nTI  - last"
    got = records(text)
    assert [r.get("TI") for r in got] == [["a b"], ["last"]]
    assert "".join(r.source for r in got) == text


def test_leading_and_repeated_blank_lines_belong_to_records() -> None:
    text = "\n\nPMID- 1\nTI  - a\n\n\n  \nPMID- 2\nTI  - b\n\n"
    first, second = records(text)
    assert first.source == "\n\nPMID- 1\nTI  - a\n\n\n  \n"
    assert second.source == "PMID- 2\nTI  - b\n\n"
    assert first.line == 1 and second.line == 8
    assert first.fields[0].line == 3


def test_pmid_inside_record_starts_a_new_record_never_merges() -> None:
    text = "PMID- 1\nTI  - a\nPMID- 2\nTI  - b\n"
    first, second = records(text)
    assert first.get("TI") == ["a"] and second.get("TI") == ["b"]
    assert codes(second) == [("missing-blank-line", 3)]
    with pytest.raises(ParseError) as caught:
        records(text, strict=True)
    assert caught.value.line == 3 and caught.value.code == "missing-blank-line"
    assert caught.value.text == "PMID- 2\n"


def test_pmc_medlars_header_before_pmid_is_one_record() -> None:
    got = records("PMC - PMC123\nPMID- 30000001\nAB  - \nTI  - x\n")
    assert len(got) == 1
    assert got[0].tags == ("PMC", "PMID", "AB", "TI")
    assert got[0].get("AB") == [""]


def test_seven_space_continuation_keeps_its_extra_space() -> None:
    (record,) = records("PMID- 1\nAB  - one two \n       three\n")
    assert record.first("AB") == "one two  three"
    assert record.diagnostics == ()


def test_continuation_that_looks_like_a_tag_is_text() -> None:
    (record,) = records("PMID- 1\nAB  - patients with\n      HIV- 1 infection\n")
    assert record.tags == ("PMID", "AB")
    assert record.first("AB") == "patients with HIV- 1 infection"


def test_sloppy_tag_lines_are_read_with_diagnostics() -> None:
    (record,) = records("PMID-22664220\nTI-\nAB  -Text here\nFAU -\n")
    assert record.tags == ("PMID", "TI", "AB", "FAU")
    assert record.pmid == "22664220"
    assert record.get("TI") == [""] and record.get("AB") == ["Text here"]
    assert [c for c, _ in codes(record)] == ["sloppy-tag"] * 4
    assert [line for _, line in codes(record)] == [1, 2, 3, 4]


def test_padded_four_letter_tag_is_a_note() -> None:
    (record,) = records("PMID- 1\nISSN - EISSN-2375-5636\nLA  - English\n")
    assert record.get("ISSN") == ["EISSN-2375-5636"]
    assert [(d.code, d.severity) for d in record.diagnostics] == [("sloppy-tag", Severity.INFO)]


def test_junk_line_is_kept_and_reported() -> None:
    text = "PMID- 1\nSO  invalid line\nTI  - t\n"
    (record,) = records(text)
    assert record.tags == ("PMID", "TI")
    assert record.source == text
    assert codes(record) == [("junk-line", 2)]


def test_junk_between_and_after_records() -> None:
    text = "PMID- 1\n\nstray words\n\nPMID- 2\n\ntrailing words\n"
    first, second = records(text)
    assert first.source == "PMID- 1\n\n"
    assert second.source == "stray words\n\nPMID- 2\n\ntrailing words\n"
    assert second.line == 3
    assert codes(second) == [("junk-line", 3), ("junk-line", 7)]


def test_continuation_before_any_tag() -> None:
    text = "      orphan text\nPMID- 1\n"
    (record,) = records(text)
    assert record.source == text
    assert codes(record) == [("continuation-before-tag", 1)]


def test_unknown_tags_are_data() -> None:
    (record,) = records("PMID- 1\nEP  - custom value\nXYZ - other\n")
    assert record.tags == ("PMID", "EP", "XYZ")
    assert record.diagnostics == ()


def test_bom_at_start_and_in_the_middle() -> None:
    data = b"\xef\xbb\xbfPMID- 1\nTI  - a\n\n\xef\xbb\xbfPMID- 2\nTI  - b\n"
    first, second = list(iter_records(io.BytesIO(data)))
    assert first.pmid == "1" and second.pmid == "2"
    assert [(d.code, d.severity) for d in first.diagnostics] == [("bom", Severity.INFO)]
    assert [(d.code, d.line) for d in second.diagnostics] == [("bom", 4)]
    assert first.source + second.source == data.decode("utf-8-sig")


def test_invalid_utf8_falls_back_with_a_diagnostic() -> None:
    data = "PMID- 1\nAD  - Universit\xe9 de Montr\xe9al, caf\xe9\n".encode("cp1252")
    data += "TI  - Caf\u00e9 in UTF-8\n".encode()
    (record,) = list(iter_records(io.BytesIO(data)))
    assert record.get("AD") == ["Université de Montréal, café"]
    assert record.get("TI") == ["Café in UTF-8"]
    assert codes(record) == [("decode-fallback", 2)]


def test_mixed_valid_and_invalid_utf8_on_one_line_keeps_the_valid_part() -> None:
    data = b"PMID- 1\nTI  - Z\xc3\xbcrich \x96 Gen\xe8ve\n"
    (record,) = list(iter_records(io.BytesIO(data)))
    assert record.get("TI") == ["Zürich – Genève"]


def test_truncated_multibyte_character_at_the_end() -> None:
    data = "PMID- 1\nTI  - Gen\u00e8".encode()[:-1]
    (record,) = list(iter_records(io.BytesIO(data)))
    assert codes(record) == [("truncated-utf8", 2)]
    assert record.get("TI") == ["Gen\u00c3"]


def test_encoding_override() -> None:
    data = "PMID- 1\nTI  - Caf\u00e9\n".encode("latin-1")
    (record,) = list(iter_records(io.BytesIO(data), encoding="latin-1"))
    assert record.get("TI") == ["Café"] and record.diagnostics == ()
    utf16 = "PMID- 1\r\nTI  - Caf\u00e9\r\n".encode("utf-16")
    (record,) = list(iter_records(io.BytesIO(utf16), encoding="utf-16"))
    assert record.get("TI") == ["Café"] and record.source == "PMID- 1\r\nTI  - Caf\u00e9\r\n"


def test_indented_record_pasted_into_code() -> None:
    text = "    PMID- 1\n    TI  - a title that\n          continues\n    AU  - Doe J\n"
    (record,) = records(text)
    assert record.tags == ("PMID", "TI", "AU")
    assert record.first("TI") == "a title that continues"
    assert codes(record) == [("indented-record", 1)]


def test_short_indent_continuation_is_read_with_a_diagnostic() -> None:
    (record,) = records("PMID- 1\nTI  - first part \n    second part\n")
    assert record.first("TI") == "first part second part"
    assert codes(record) == [("odd-indent", 3)]


def test_blank_line_inside_a_field_keeps_the_record_together() -> None:
    (record,) = records("PMID- 1\nAB  - first\n\n      second\nAU  - X\n")
    assert record.first("AB") == "first second"
    assert record.tags == ("PMID", "AB", "AU")
    assert codes(record) == [("blank-line-in-field", 4)]


def test_record_without_pmid_and_duplicate_pmid() -> None:
    first, second, third = records("OWN - ERIC\nTI  - x\n\nPMID- 5\n\nPMID- 5\n")
    assert codes(first) == [("missing-pmid", 1)]
    assert codes(second) == []
    assert codes(third) == [("duplicate-pmid", 6)]


def test_repeated_non_repeatable_tag() -> None:
    (record,) = records("PMID- 1\nTI  - a\nTI  - b\n")
    assert record.get("TI") == ["a", "b"]
    assert codes(record) == [("repeated-tag", 3)]


COLLAPSED = (
    "PMID- 31234567 OWN - NLM STAT- MEDLINE DCOM- 20200114 LR - 20200114 IS - 1234-5678 "
    "(Electronic) VI - 12 DP - 2019 TI - A title that may contain dashes - like this one. "
    "PG - 1-9 FAU - Doe, Jane AU - Doe J AD - Dept of Things, Town. FAU - Roe, Rick AU - Roe R "
    "LA - eng PT - Journal Article EDAT- 2019/06/01 06:00 PHST- 2019/01/01 00:00 [received] "
    "PHST- 2019/06/01 06:00 [pubmed] SO - J Things. 2019;12:1-9."
)


def test_collapsed_record_is_split_into_fields() -> None:
    (record,) = records(COLLAPSED + "\n")
    assert record.tags == (
        "PMID", "OWN", "STAT", "DCOM", "LR", "IS", "VI", "DP", "TI", "PG", "FAU", "AU", "AD",
        "FAU", "AU", "LA", "PT", "EDAT", "PHST", "PHST", "SO",
    )  # fmt: skip
    assert record.first("TI") == "A title that may contain dashes - like this one."
    assert record.get("PHST") == ["2019/01/01 00:00 [received]", "2019/06/01 06:00 [pubmed]"]
    assert record.first("SO") == "J Things. 2019;12:1-9."
    assert "".join(f.raw for f in record.fields) == COLLAPSED + "\n"
    assert codes(record) == [("collapsed-record", 1)]
    (plain,) = records(COLLAPSED + "\n", split_collapsed=False)
    assert plain.tags == ("PMID",)


def test_two_collapsed_records_one_per_line() -> None:
    text = COLLAPSED + "\n" + COLLAPSED.replace("31234567", "31234568") + "\n"
    first, second = records(text)
    assert (first.pmid, second.pmid) == ("31234567", "31234568")
    assert first.source + second.source == text


_EXTRA_FIELDS = ("LA - eng", "PT - Journal Article", "SO - J Things. 2019;12:1-9.")


def _collapsed_record(number: int, extra: int) -> str:
    """A fictional record of 4 + *extra* fields collapsed onto one line (no line ending)."""
    fields = [
        f"PMID- {99000001 + number} OWN - NLM TI - Title {number} - with a dash AU - Doe J",
        *_EXTRA_FIELDS[:extra],
    ]
    return " ".join(fields)


def _one_per_line(extras: list[int]) -> list[tuple[object, ...]]:
    """What the records read as when each stands on a line of its own, a blank line between
    them: tags, values and diagnostics (code, message, severity), line numbers left out."""
    text = "\n\n".join(_collapsed_record(n, extra) for n, extra in enumerate(extras)) + "\n"
    return [
        (r.fields and tuple((f.tag, f.value) for f in r.fields),
         tuple((d.code, d.message, d.severity) for d in r.diagnostics))
        for r in records(text)
    ]  # fmt: skip


def _same_line(found: list[Record]) -> list[tuple[object, ...]]:
    return [
        (r.fields and tuple((f.tag, f.value) for f in r.fields),
         tuple((d.code, d.message, d.severity) for d in r.diagnostics))
        for r in found
    ]  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, len(_EXTRA_FIELDS)), min_size=1, max_size=30), st.booleans())
def test_collapsed_line_of_records_reads_like_one_record_a_line(
    extras: list[int], crlf: bool
) -> None:
    """A line holding several collapsed records gives the records (fields, values and notes, the
    field count of each record's note included) that the same records give one to a line."""
    ending = "\r\n" if crlf else "\n"
    line = " ".join(_collapsed_record(n, extra) for n, extra in enumerate(extras)) + ending
    found = records(line)
    assert _same_line(found) == _one_per_line(extras)
    assert "".join(r.source for r in found) == line
    assert {f.line for r in found for f in r.fields} == {1}
    assert {d.line for r in found for d in r.diagnostics} == {1}


class _CountingSpans(list[tuple[str, str, int, int]]):
    """The fields :func:`split_collapsed` found on a line, counting every one the tokenizer reads
    (by iterating, by index, or as part of a slice, which copies it)."""

    touched = 0

    def __iter__(self) -> Iterator[tuple[str, str, int, int]]:
        for span in super().__iter__():
            self.touched += 1
            yield span

    def __getitem__(self, key: Any) -> Any:
        found = super().__getitem__(key)
        self.touched += len(found) if isinstance(key, slice) else 1
        return found


def test_collapsed_line_of_many_records_is_read_in_linear_work(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A line of n collapsed records (a line may hold 16 Mi characters) is read with work in
    proportion to its fields: each field is looked at a few times, where copying the rest of the
    line's fields at each PMID (to count the record's fields for its note) made it n squared."""
    made: list[_CountingSpans] = []

    def counting(text: str) -> list[tuple[str, str, int, int]] | None:
        spans = split_collapsed(text)
        if spans is not None:
            made.append(_CountingSpans(spans))
            return made[-1]
        return None

    monkeypatch.setattr(tokenizer_module, "split_collapsed", counting)
    extras = [n % 4 for n in range(2_000)]
    line = " ".join(_collapsed_record(n, extra) for n, extra in enumerate(extras)) + "\n"
    tokenizer = Tokenizer()
    found = tokenizer.feed(line) + tokenizer.close()
    (spans,) = made  # the line was split once
    assert len(spans) == sum(len(r.fields) for r in found) == 4 * 2_000 + sum(extras)
    assert spans.touched <= 3 * len(spans)
    monkeypatch.undo()
    assert _same_line(found) == _one_per_line(extras)
    assert "".join(r.source for r in found) == line


def test_prose_with_dashes_is_not_taken_for_a_collapsed_record() -> None:
    value = "Results - AB - were compared with IS - and TI - groups in the cohort of patients."
    (record,) = records(f"PMID- 1\nAB  - {value}\n")
    assert record.first("AB") == value


def test_empty_and_blank_only_inputs() -> None:
    assert records("") == []
    (blank,) = records("\n\n  \n")
    assert blank.fields == () and blank.source == "\n\n  \n"
    assert [(d.code, d.severity) for d in blank.diagnostics] == [("no-records", Severity.INFO)]
    (junk,) = records("hello world\n")
    assert [(d.code, d.severity) for d in junk.diagnostics] == [
        ("junk-line", Severity.WARNING),
        ("no-records", Severity.WARNING),
    ]


def test_iterable_of_lines_with_or_without_endings() -> None:
    with_endings = list(iter_records(TWO.splitlines(True)))
    without = list(iter_records(["PMID- 1", "TI  - a", "", "PMID- 2"]))
    assert [r.pmid for r in with_endings] == ["39000001", "39000002"]
    assert [r.pmid for r in without] == ["1", "2"]
    assert without[0].get("TI") == ["a"]


def test_paths_gzip_and_errors(tmp_path: Path) -> None:
    plain = tmp_path / "a.txt"
    plain.write_text(TWO, encoding="utf-8")
    packed = tmp_path / "a.txt.gz"
    packed.write_bytes(gzip.compress(TWO.encode()))
    assert [r.pmid for r in iter_records(plain)] == ["39000001", "39000002"]
    assert [r.pmid for r in iter_records(str(packed))] == ["39000001", "39000002"]
    assert next(iter(iter_records(plain))).path == str(plain)
    with pytest.raises(SourceError, match="no such file"):
        list(iter_records(tmp_path / "missing.txt"))
    with pytest.raises(OSError, match="is a directory"):
        list(iter_records(tmp_path))
    truncated = tmp_path / "cut.gz"
    truncated.write_bytes(gzip.compress(TWO.encode() * 50)[:-30])
    with pytest.raises(SourceError, match="truncated gzip"):
        list(iter_records(truncated))


def test_bad_source_types() -> None:
    with pytest.raises(MedlineError, match="bytes are not a source"):
        list(iter_records(b"PMID- 1"))  # type: ignore[arg-type]
    with pytest.raises(MedlineError, match="cannot read MEDLINE from int"):
        list(iter_records(5))  # type: ignore[arg-type]
    with pytest.raises(MedlineError, match="use loads"):
        list(iter_records("PMID- 1\nTI  - x\n"))


def test_sans_io_core_returns_records_as_lines_complete_them() -> None:
    tokenizer = Tokenizer(path="mem")
    assert tokenizer.feed("PMID- 1\n") == []
    assert tokenizer.feed("\n") == []
    (done,) = tokenizer.feed("PMID- 2\n")
    assert done.pmid == "1" and done.path == "mem"
    (last,) = tokenizer.close()
    assert last.pmid == "2"
    assert tokenizer.close() == []


def test_long_line_and_crlf_across_block_boundaries() -> None:
    from medline_parse import sources

    long_value = "x" * (3 * sources.BLOCK_SIZE + 17)
    text = f"PMID- 1\r\nAB  - {long_value}\r\nTI  - t\r\n"
    data = text.encode()
    (record,) = list(iter_records(io.BytesIO(data)))
    assert record.first("AB") == long_value and record.source == text
    # a CRLF split exactly at a block boundary is still one line ending
    pad = sources.BLOCK_SIZE - len("PMID- 1\r\nAB  - ") - 1
    text = "PMID- 1\r\nAB  - " + "y" * pad + "\r\nTI  - t\r\n"
    (record,) = list(iter_records(io.BytesIO(text.encode())))
    assert record.tags == ("PMID", "AB", "TI") and record.source == text


def test_lines_without_endings_keep_their_blank_lines() -> None:
    text = "PMID- 1\nTI  - a\n\nPMID- 2\nTI  - b\n"
    got = list(iter_records(text.splitlines()))
    assert [r.pmid for r in got] == ["1", "2"]
    assert all(r.diagnostics == () for r in got)
    assert got[0].source == "PMID- 1TI  - a"  # the items, joined as they were given


def test_gzip_file_object_is_decompressed() -> None:
    data = gzip.compress(TWO.encode())
    assert [r.pmid for r in iter_records(io.BytesIO(data))] == ["39000001", "39000002"]
    with pytest.raises(SourceError, match="truncated gzip"):
        list(iter_records(io.BytesIO(data[:-12])))
