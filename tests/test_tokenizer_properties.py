"""Properties of the tokenizer: it accounts for every character and raises nothing unexpected."""

from __future__ import annotations

import io

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from medline_parse import MedlineError, ParseError, SourceError, iter_records
from medline_parse.medline.tokenizer import tokenize_blocks, tokenize_lines
from medline_parse.sniff import WrongFormatError

from .strategies import medline_text, refused, regular_text

RECORD_LEVEL = {"missing-pmid", "invalid-pmid", "repeated-tag", "duplicate-pmid", "no-records"}
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(medline_text())
def test_rejoining_sources_reproduces_the_text(text: str) -> None:
    records = list(iter_records(io.StringIO(text)))
    assert "".join(r.source for r in records) == text
    for record in records:
        # every field's raw text is a piece of its record's source, in order
        position = 0
        for field in record.fields:
            found = record.source.find(field.raw, position)
            assert found >= 0
            position = found + len(field.raw)


@SETTINGS
@given(medline_text(), st.sampled_from(["utf-8", "utf-8-sig"]))
def test_bytes_are_decoded_losslessly(text: str, codec: str) -> None:
    data = text.encode(codec, "surrogatepass")
    records = list(iter_records(io.BytesIO(data)))
    expected = data.decode("utf-8-sig")
    assert "".join(r.source for r in records) == expected


@SETTINGS
@given(medline_text(), st.booleans())
# found by hypothesis: a PMID line continued past a junk line; an invalid PMID before a mid-file BOM
@example("PMID- 1\n\nPMID- 1\nSO  invalid line\n      orphan continuation\n", False)
@example("PMID- 1 AB  -\n\ufeffPMID- 7\n", False)
def test_only_medline_errors_escape_and_strict_agrees_with_lenient(text: str, strict: bool) -> None:
    lenient = list(iter_records(io.StringIO(text)))
    problems = [d for r in lenient for d in r.diagnostics if d.is_problem]
    try:
        strict_records = list(iter_records(io.StringIO(text), strict=True))
    except ParseError as error:
        # Strict mode stops at the first problem it detects; a record-level problem (no PMID, a
        # repeated tag) is detected when its record ends, so it may come after a later line's.
        assert problems, "strict mode raised where lenient mode found no problem"
        assert (error.code, error.line) in {(d.code, d.line) for d in problems}
        line_problems = [d for d in problems if d.code not in RECORD_LEVEL]
        if line_problems and error.code not in RECORD_LEVEL:
            assert (error.code, error.line) == (line_problems[0].code, line_problems[0].line)
    else:
        assert not problems
        assert strict_records == lenient


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=600))
def test_arbitrary_bytes_never_crash(data: bytes) -> None:
    try:
        records = list(iter_records(io.BytesIO(data)))
    except WrongFormatError:
        assert refused(data), "only bytes in another format are refused"
        return
    except SourceError:
        assert data[:2] == b"\x1f\x8b", "only gzip-looking bytes may fail (a damaged stream)"
        return
    except MedlineError:  # pragma: no cover - lenient mode should not need it
        raise AssertionError("lenient mode raised") from None
    text = "".join(r.source for r in records)
    # every byte is accounted for: valid UTF-8 comes back exactly, anything else is at least kept
    try:
        assert text == data.decode("utf-8-sig")
    except UnicodeDecodeError:
        assert len(text) >= len(data.decode("utf-8-sig", "replace").replace("\ufffd", ""))


def _snapshot(records: list[object]) -> list[tuple[object, ...]]:
    return [
        (r.line, r.source, r.fields, [(d.code, d.line, d.severity) for d in r.diagnostics])  # type: ignore[attr-defined]
        for r in records
    ]


@SETTINGS
@given(regular_text(), st.integers(1, 3))
def test_block_fast_path_matches_the_line_state_machine(text: str, pieces: int) -> None:
    """Whole-record string operations (``feed_text``) give exactly what feeding the lines one by
    one gives: records, fields with line numbers and raw text, diagnostics."""
    lines = text.splitlines(True)
    by_lines = list(tokenize_lines(lines))
    # Cut the text into blocks of whole lines, as the readers do.
    step = max(1, len(lines) // pieces)
    blocks = ["".join(lines[i : i + step]) for i in range(0, len(lines), step)]
    assert _snapshot(list(tokenize_blocks(blocks))) == _snapshot(by_lines)
