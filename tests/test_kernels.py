"""The kernels: each compiled kernel gives what its pure-Python twin gives, and both give what the
tokenizer's line path (which reads every layout) gives for the records they take.

Kernel by kernel on generated records full of the quirks real files have, then end to end (records
and articles read with the compiled kernels and with the pure ones) on generated text and on the
whole corpus.  In the pure-Python build the compiled twins are absent: only the comparisons with the
line path run.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import io
import re
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import medline_parse
from medline_parse import iter_records, model, parse
from medline_parse.medline import _build, _cut, builder, tokenizer
from medline_parse.medline.records import Field
from medline_parse.medline.tokenizer import Tokenizer
from medline_parse.model import _construct

from .conftest import corpus_params
from .strategies import CLEAN_WORD, field_lines, medline_text, regular_text

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
pytestmark = pytest.mark.filterwarnings("ignore::medline_parse.MedlineWarning")


def _twin(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(name + "_c")
    except ImportError:
        return None


_cut_c = _twin("medline_parse.medline._cut")
_build_c = _twin("medline_parse.medline._build")
_construct_c = _twin("medline_parse.model._construct")
needs_compiled = pytest.mark.skipif(
    _cut_c is None, reason="the compiled kernels are not built (pure-Python build)"
)


def test_compiled_twins_exist_in_the_compiled_build() -> None:
    assert (_cut_c is not None) is medline_parse.COMPILED
    assert (_build_c is not None) is medline_parse.COMPILED
    assert (_construct_c is not None) is medline_parse.COMPILED


# -- the record cutter, kernel by kernel --------------------------------------------------------

WIDE_WORD = st.text(  # 1-, 2- and 4-byte characters, so each of CPython's string layouts is walked
    alphabet=st.sampled_from("abcXYZ019.,-éüßλ中\U0001d518\U0001f600"), min_size=1, max_size=10
)


@st.composite
def record_text(draw: st.DrawFn) -> tuple[str, int, str]:
    """One record's text as the tokenizer hands it to a kernel: ``(text, end, nl)``."""
    nl = draw(st.sampled_from(["\n", "\r\n"]))
    words = draw(st.sampled_from([CLEAN_WORD, WIDE_WORD]))
    lines = [f"PMID- {draw(st.integers(1, 99_999_999))}"]
    for _ in range(draw(st.integers(0, 10))):
        lines.extend(draw(field_lines(words)))
    if draw(st.booleans()):  # one departure from PubMed's layout, anywhere after the PMID line
        quirk = draw(st.sampled_from(_LINE_QUIRKS))
        lines.insert(draw(st.integers(1, len(lines))), quirk)
    text = nl.join(lines)
    end = len(text)
    text += draw(st.sampled_from(["", nl, nl + nl, nl + "  " + nl]))  # what follows the record
    return text, end, nl


_LINE_QUIRKS = [
    "TI  - trailing spaces   ",
    "       seven-space continuation ",
    "      continuation after  ",
    "XYZ - unknown tag",
    "A1  - unknown tag with a digit",
    "AB  - ",
    "AB  -",
    "AB  -  value starting with a space",
    "  AU  - Indented A",
    "     five-space continuation",
    "      \ttab after the indent",
    "\tTI  - tab indent",
    "PMID- 99000001",
    "PMC - PMC123",
    "AU-Sloppy A",
    "TI-",
    "a stray line",
    "      ",
    "",
    "AB  - a word wrapped after its hyphen: non-",
    "PMID- 99000002 TI  - collapsed record DP  - 2001 AU  - Roe R JT  - Journal",
    "OWN - NLM STAT- MEDLINE DCOM- 20010101 LR  - 20200101 IS  - 1234-5678 VI  - 1",
]


_RECORD_LEVEL = {"repeated-tag", "missing-pmid", "duplicate-pmid", "invalid-pmid"}  # either path


def _line_path(text: str, end: int, nl: str) -> tuple[list[str], list[str], list[int]] | None:
    """The record's tags, values and line numbers as the line-by-line tokenizer reads them, or
    None when it reads something else than one plain record (a diagnostic, a second record)."""
    tok = Tokenizer(path=None)
    records = []
    for line in re.split(f"(?<={re.escape(nl)})", text[:end] + nl):
        if line:
            records.extend(tok.feed(line))
    records.extend(tok.close())
    if len(records) != 1 or any(d.code not in _RECORD_LEVEL for d in records[0].diagnostics):
        return None
    fields = records[0].fields
    return [f.tag for f in fields], [f.value for f in fields], [f.line for f in fields]


def _kernel_reading(
    kernel: Any, text: str, end: int, nl: str, collapsed: Any = tokenizer._is_collapsed
) -> tuple[list[str], list[str], list[int], list[str]] | None:
    cut = kernel.cut_record(text, end, nl, _cut.KNOWN_HEADS, collapsed)
    if cut is None:
        return None
    tags, values = cut
    return tags, values, kernel.field_lines(text, end, nl, 1), kernel.field_raws(text, end, nl)


@SETTINGS
@given(record_text())
@example(("PMID- 1\nAB  - \n      an empty value continued", 34, "\n"))
@example(("PMID- 1\r\nTI  - a\r\n       b  \r\n      c", 35, "\r\n"))
def test_the_cutters_agree_with_each_other_and_with_the_line_path(
    case: tuple[str, int, str],
) -> None:
    text, end, nl = case
    expected = _line_path(text, end, nl)
    readings = {"pure": _kernel_reading(_cut, text, end, nl)}
    if _cut_c is not None:
        readings["compiled"] = _kernel_reading(_cut_c, text, end, nl)
    for name, reading in readings.items():
        if reading is None:
            continue  # declined: the line path reads the record
        tags, values, lines, raws = reading
        assert expected is not None, f"the {name} kernel took a record the line path reports on"
        assert (tags, values, lines) == expected, name
        # the raw texts are the record's text, cut before each field, with the last line ending
        assert "".join(raws) == text[:end] + nl, name
        assert [raw.split(nl)[0][:4].rstrip(" ") for raw in raws] == tags, name
    if readings["pure"] is not None:
        tags, values = readings["pure"][:2]
        made = [_cut.make_fields(Field, text, end, nl, 1, tags, values)]
        if _cut_c is not None:
            made.append(_cut_c.make_fields(Field, text, end, nl, 1, tags, values))
            # strings and ints only: the compiled kernel leaves them out of the GC's reach
            assert not any(gc.is_tracked(field) for field in made[-1])
        for fields in made:
            assert all(type(field) is Field for field in fields)
            assert [tuple(f) for f in fields] == list(zip(*readings["pure"]))
    if _cut_c is not None and None not in readings.values():
        assert readings["compiled"] == readings["pure"]
        for value in readings["compiled"][1]:  # strings in canonical form (hash and == agree)
            assert hash(value) == hash(value.encode("utf-8", "surrogatepass").decode("utf-8"))


@needs_compiled
@SETTINGS
@given(
    st.text(max_size=200)
    | st.text(st.sampled_from("ab\t\r\n\x00\x1f\x7f\x80é중中\ud800\udfff\ufeff\U0001f600"))
)
def test_the_odd_character_kernels_agree(text: str) -> None:
    assert _cut_c is not None
    expected = bool(re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufeff\ud800-\udfff]", text))
    assert _cut.has_odd_character(text) is expected
    assert _cut_c.has_odd_character(text) is expected


@needs_compiled
@SETTINGS
@given(
    st.lists(
        st.sampled_from(["PMID- 1", "TI  - x", "      y", "", " ", "\t", "  \t ", "x", "\r"]),
        max_size=30,
    ),
    st.lists(st.sampled_from(["\n", "\r\n", "\r\n", "\r\n"]), min_size=30, max_size=30),
    st.sampled_from(["\n", "\r\n"]),
)
def test_the_record_span_kernels_agree(lines: list[str], endings: list[str], nl: str) -> None:
    assert _cut_c is not None
    text = "".join(line + (nl if nl == "\n" else ending) for line, ending in zip(lines, endings))
    expected = _cut.record_spans(text, nl)
    assert _cut_c.record_spans(text, nl) == expected
    for index in range(0, len(expected), 3):  # each run is blank lines, then an unindented line
        start, end = expected[index], expected[index + 1]
        assert text[start:end].strip(" \t\r\n") == ""
        assert text[end] not in " \t\r\n"


_SPAN_LINES = ["PMID- 1", "TI  - x", "      y", "", " ", "\t", "  \t ", "x", "\r", "é", "中"]
_SPAN_LINES += [
    "\U0001f600",
    "TI  - \x00",
    "AB  - \x7f",
    "\ufeffPMID- 2",
    "TI  - \ud800",
    "      \x1f",
]


@SETTINGS
@given(
    st.lists(st.sampled_from(_SPAN_LINES), max_size=30),
    st.lists(st.sampled_from(["\n", "\r\n", "\r\n", "\r\n"]), min_size=30, max_size=30),
    st.sampled_from(["\n", "\r\n"]),
)
def test_the_block_span_kernels_agree(lines: list[str], endings: list[str], nl: str) -> None:
    text = "".join(line + (nl if nl == "\n" else ending) for line, ending in zip(lines, endings))
    expected = _cut.block_spans(text, nl)
    if _cut_c is not None:
        assert _cut_c.block_spans(text, nl) == expected
    # the record ends of record_spans, and whether each record's text holds an odd character
    spans = _cut.record_spans(text, nl)
    assert [n for i, n in enumerate(expected) if i % 4 != 3] == spans
    start = 0
    for index in range(0, len(expected), 4):
        end = expected[index + 1]
        assert expected[index + 3] == int(_ODD.search(text[start:end]) is not None)
        start = end


_ODD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufeff\ud800-\udfff]")


@needs_compiled
def test_the_compiled_odd_character_scans_on_long_text_of_every_layout() -> None:
    # the SSE2 scans take 16 bytes at a time: an odd character anywhere in a long text
    assert _cut_c is not None
    for wide in ("", "é", "中", "\U0001f600"):
        for odd in ("\x00", "\x08", "\x0b", "\x1f", "\x7f", "\ufeff", "\ud800", "\udfff"):
            for at in (0, 5, 15, 16, 17, 31, 40):
                body = ["a"] * 41
                body[at] = odd
                text = f"PMID- 1{wide}\nTI  - " + "".join(body) + "\n\nPMID- 2\n\nX"
                got = _cut_c.block_spans(text, "\n")
                assert got == _cut.block_spans(text, "\n"), (wide, odd, at)
                assert got[3] == 1 and got[7] == 0


_SINGLE_SAMPLE = ["PMID", "TI", "AB", "DP", "JT", "PMC", "OWN"]


@SETTINGS
@given(
    st.lists(st.sampled_from([*_SINGLE_SAMPLE, "AU", "MH", "FAU", "XYZ", "A1"]), max_size=40),
    st.lists(
        st.sampled_from(["1", "12345678", "0", "012", "", "1" * 10, "1" * 11, "134217727"])
        | st.sampled_from(["134217728", "99999999", "١٢٣", "12a", " 12", "12 ", "²"])
        | st.integers(1, 10**12).map(str),
        max_size=40,
    ),
    st.binary(max_size=2048),
)
def test_the_plain_record_kernels_agree(tags: list[str], pmids: list[str], bits: bytes) -> None:
    values = [pmids[i % len(pmids)] if pmids else "1" for i in range(len(tags))]
    single = tokenizer._SINGLE
    pure_bits = bytearray(bits)
    answer = _cut.plain_record(tags, values, single, pure_bits)
    if _cut_c is not None:
        compiled_bits = bytearray(bits)
        assert _cut_c.plain_record(list(tags), list(values), single, compiled_bits) == answer
        assert compiled_bits == pure_bits
    if answer != _cut.PLAIN:
        assert pure_bits == bytearray(bits)  # the full check records the PMID
    # the answer is what the tokenizer's full check finds
    checker = Tokenizer()
    checker._seen_pmids.bits = bytearray(bits)
    if not tags:
        assert answer == _cut.CHECK
        return
    fields = tuple(Field(tag, value, n + 1, "") for n, (tag, value) in enumerate(zip(tags, values)))
    checker._start = 1
    checker._check_record(tags, values, fields)
    codes = [d.code for d in checker._diags]
    if answer == _cut.PLAIN:
        assert codes == []
        assert checker._seen_pmids.bits == pure_bits
    elif answer == _cut.DUPLICATE:
        assert codes == ["duplicate-pmid"]
        assert checker._diags[0].line == 1
    elif codes == []:  # nothing to say, but the PMID is no bit of this bitmap yet
        pmid = values[tags.index("PMID")]
        assert int(pmid) >= _cut.PMID_BITS_LIMIT or int(pmid) >> 3 >= len(bits)


@needs_compiled
@SETTINGS
@given(record_text())
def test_the_compiled_cutter_takes_what_the_pure_one_takes(case: tuple[str, int, str]) -> None:
    # Not required for correctness (a declined record is read line by line), but the fast path
    # must not be slower in the compiled build because it declines more.
    text, end, nl = case
    if _cut.cut_record(text, end, nl, _cut.KNOWN_HEADS, tokenizer._is_collapsed) is not None:
        assert _cut_c is not None
        assert _cut_c.cut_record(text, end, nl, _cut.KNOWN_HEADS, tokenizer._is_collapsed)


@needs_compiled
def test_the_compiled_cutter_on_long_fields_and_every_string_layout() -> None:
    assert _cut_c is not None
    for word in ("plain", "é", "λ", "\U0001d518"):
        lines = ["PMID- 1", f"AB  - {word}"] + [f"      {word} {i}" for i in range(300)]
        text = "\n".join(lines)
        expected = _line_path(text, len(text), "\n")
        assert expected is not None
        got = _cut_c.cut_record(text, len(text), "\n", _cut.KNOWN_HEADS, None)
        assert got is not None
        assert (got[0], got[1]) == expected[:2]


@needs_compiled
def test_the_compiled_cutter_declines_what_it_cannot_read_plainly() -> None:
    assert _cut_c is not None
    for text in [
        "",
        "      PMID- 1",
        "PMID- 1\nPMID- 2",
        "PMID- 1\n   x",
        "PMID- 1\nTI-x",
        "pmid- 1",
    ]:
        assert _cut_c.cut_record(text, len(text), "\n", _cut.KNOWN_HEADS, None) is None, text


# -- the whole build: tags and values to an article ---------------------------------------------

# Values of the shapes real records hold, and of the shapes that make the builder note a problem
# (no valid date, a partial date kept as text, a history entry without its status), for any tag:
# a date's text under a name's tag is as likely as under its own.
_VALUES = [
    "",
    "x",
    "*",
    "20200131",
    "20200231",
    "2020013",
    "2020/01/31 06:00",
    "2020/01/31",
    "2020/02/30 06:00",
    "2020/01/31 6:00",
    "2020/01/31 06:00 [received]",
    "2020/01/31 [pubmed]",
    "2016 [ecollection]",
    "2016 Spring [ecollection]",
    "2004/00/03 00:00 [accepted]",
    "[pubmed]",
    " [pubmed]",
    "2020/01/31 06:00",
    "2020/01/31 06:00 [a [b]",
    "2020 Mar",
    "2020 Mar 5",
    "2020 Jul-Aug",
    "2020 Spring",
    "Spring",
    "2021 Feb 29",
    "2000 Feb 29",
    "1900 Feb 29",
    "2020 Mar 05",
    "2020 Mar 32",
    "0999 Dec 31",
    "0000",
    "2020  Mar",
    "Neoplasms/*therapy/drug effects",
    "*Humans",
    "10.1000/xyz123 [doi]",
    "S0140-6736(23)01234-5 [pii]",
    "e123 [a [b]",
    "x [doi]]",
    "ORCID: 0000-0002-2815-7558",
    "ORCID:x",
    "Some Source: x",
    ": x",
    "Lancet. 2023;1:2. PMID: 12345",
    "PMID: 12345",
    ". PMID: 1",
    "x. PMID: 12a",
    "1234-5678 (Print)",
    "1234-5678 (Linking) (x)",
    "R01 CA123456/CA/NCI NIH HHS/United States",
    "0 (Proteins)",
    "Doe, Jane",
    "Doe J",
    "NOTNLM",
    "*Aging",
    "eng",
    "J Biol Chem",
    "ppublish",
]
_BUILD_TAGS = [*builder._KINDS, "XYZ", "AB", "TI", "MH", "AU", "FAU", "PHST", "DP", "AD", "OT"]


@st.composite
def tags_and_values(draw: st.DrawFn) -> tuple[list[str], list[str]]:
    fields = draw(
        st.lists(st.tuples(st.sampled_from(_BUILD_TAGS), st.sampled_from(_VALUES)), max_size=60)
    )
    return [tag for tag, _ in fields], [value for _, value in fields]


def _both_builds(tags: list[str], values: list[str], strict: bool) -> list[tuple[Any, ...] | str]:
    readings: list[tuple[Any, ...] | str] = []
    plans = [(_build.build, _PURE_PLAN)]
    if _build_c is not None:
        plans.append((_build_c.build, builder._PLAN))
    for build, plan in plans:
        try:
            article = build(list(tags), list(values), lambda i: i + 10, (), "f.txt", strict, plan)
        except medline_parse.ParseError as error:
            readings.append(repr(error.__reduce__()))
        else:
            # equality, and the diagnostics and field order (outside equality), and the types
            types = [type(getattr(article, f.name)) for f in attrs.fields(model.Article)]
            readings.append((article, article.diagnostics, article.field_order, types))
    return readings


@needs_compiled
@SETTINGS
@given(tags_and_values(), st.booleans())
@example((["PHST", "DP", "PHST", "DCOM"], ["x", "Spring", "2016 [ecollection]", "2020"]), True)
@example((["PHST", "DP", "PHST", "DCOM"], ["x", "Spring", "2016 [ecollection]", "2020"]), False)
def test_the_build_kernels_agree(case: tuple[list[str], list[str]], strict: bool) -> None:
    tags, values = case
    pure, compiled = _both_builds(tags, values, strict)
    assert compiled == pure


@needs_compiled
def test_the_compiled_build_shares_the_values_that_repeat() -> None:
    # the caches hand back the very same (immutable) objects, and values equal to the pure ones
    tags = ["PMID", "DCOM", "EDAT", "DP", "PHST", "MH", "JT", "TA", "IS"]
    values = ["1", "20200131", "2020/01/31 06:00", "2020 Mar", "2020/01/31 [pubmed]", "*Humans"]
    values += ["Journal", "J", "1234-5678 (Print)"]
    assert _build_c is not None
    first, second = (
        _build_c.build(tags, values, None, (), None, False, builder._PLAN) for _ in range(2)
    )
    assert first == second == _build.build(tags, values, None, (), None, False, _PURE_PLAN)
    for name in ("completed_date", "entrez_date", "publication_date", "journal"):
        assert getattr(first, name) is getattr(second, name), name
    assert first.history[0] is second.history[0]
    assert first.mesh[0] is second.mesh[0]
    # values only (no diagnostic): the article and all it holds are out of the GC's reach
    assert not gc.is_tracked(first)
    assert not any(gc.is_tracked(value) for value in (first.mesh, first.history, first.journal))


@needs_compiled
@SETTINGS
@given(tags_and_values())
def test_the_compiled_build_untracks_only_what_holds_no_container(
    case: tuple[list[str], list[str]],
) -> None:
    # An untracked object must not hold a tracked one (the GC could not see a cycle through it).
    assert _build_c is not None
    tags, values = case
    article = _build_c.build(tags, values, None, (), None, False, builder._PLAN)
    seen: set[int] = set()

    def walk(value: Any, tracked_above: bool) -> None:
        if id(value) in seen or isinstance(value, (str, int, type(None))):
            return
        seen.add(id(value))
        tracked = gc.is_tracked(value)
        assert tracked_above or not tracked, (value, "is tracked under an untracked object")
        for child in gc.get_referents(value):
            if not isinstance(child, type):
                walk(child, tracked)

    walk(article, True)


# -- the whole build: people, keywords and other abstracts ------------------------------------------------------

_SEQUENTIAL_TAGS = sorted(builder._SEQUENTIAL_TAGS)


@needs_compiled
@SETTINGS
@given(
    st.lists(
        st.tuples(
            st.sampled_from([*_SEQUENTIAL_TAGS, "TI", "MH"]),  # others break the sequences
            st.sampled_from(["", "*", "*Aging", "NOTNLM", "NLM", "Doe, Jane", "Doe J", "eng", "x"]),
        ),
        max_size=40,
    ),
    st.booleans(),
)
def test_the_build_kernels_agree_on_people(fields: list[tuple[str, str]], strict: bool) -> None:
    tags = [tag for tag, _ in fields]
    values = [value for _, value in fields]
    pure, compiled = _both_builds(tags, values, strict)
    assert compiled == pure


# -- the whole build: grouping by tag and the plain kinds ---------------------------------------------------------


@needs_compiled
@SETTINGS
@given(
    st.lists(
        st.tuples(
            st.sampled_from([*builder._KINDS, "XYZ", "AB", "AB", "MH", "AU"]),
            st.sampled_from(["", "x", "Humans", "Neoplasms/*therapy", "10.1/x [doi]"]),
        ),
        max_size=60,
    )
)
def test_the_build_kernels_agree_on_plain_kinds(fields: list[tuple[str, str]]) -> None:
    tags = [tag for tag, _ in fields]
    values = [value for _, value in fields]
    pure, compiled = _both_builds(tags, values, False)
    assert compiled == pure


# -- converter-free constructors --------------------------------------------------------------

_MODEL_CLASSES = sorted(
    (c for c in vars(model).values() if isinstance(c, type) and attrs.has(c)),
    key=lambda c: c.__name__,
)


@needs_compiled
@pytest.mark.parametrize("cls", _MODEL_CLASSES, ids=lambda c: c.__name__)
@settings(SETTINGS, max_examples=40)
@given(data=st.data())
def test_the_constructor_kernels_agree(cls: type[Any], data: st.DataObject) -> None:
    assert _construct_c is not None
    fields = attrs.fields(cls)
    required = [f for f in fields if f.default is attrs.NOTHING]
    given_fields = required + [f for f in fields if f not in required and data.draw(st.booleans())]
    arguments = {
        f.alias: data.draw(st.sampled_from([None, "x", (), ("y",), 1])) for f in given_fields
    }
    positional = data.draw(st.booleans()) and len(given_fields) == len(fields)
    made = []
    for kernel in (_construct, _construct_c):
        make = kernel.direct_constructor(cls)
        if positional:
            made.append(make(*[arguments[f.alias] for f in fields]))
        else:
            made.append(make(**arguments))
    pure, compiled = made
    assert type(compiled) is cls
    assert compiled == pure
    for field in given_fields:  # stored as given: the very same objects
        assert getattr(compiled, field.name) is getattr(pure, field.name)


@needs_compiled
def test_the_compiled_constructor_refuses_what_a_function_refuses() -> None:
    assert _construct_c is not None
    make = _construct_c.direct_constructor(model.Author)
    with pytest.raises(TypeError):
        make(*range(len(attrs.fields(model.Author)) + 1))
    with pytest.raises(TypeError):
        make(nickname="x")
    with pytest.raises(TypeError):
        make("x", full_name="y")
    with pytest.raises(TypeError):
        _construct_c.direct_constructor(model.Relation)()  # a required field missing


# -- end to end: the tokenizer and the builder with the compiled kernels and with the pure ones ----


_PURE_PLAN = _build.prepare(
    builder._KINDS, builder._SEQUENTIAL_TAGS, builder._NAMES, builder._Notes
)


@contextlib.contextmanager
def pure_kernels() -> Iterator[None]:
    """Read with the pure-Python kernels, whatever the build."""
    swaps = [
        (tokenizer, "_cut_record", _cut.cut_record),
        (tokenizer, "_field_lines", _cut.field_lines),
        (tokenizer, "_make_fields", _cut.make_fields),
        (tokenizer, "_has_odd_character", _cut.has_odd_character),
        (tokenizer, "_block_spans", _cut.block_spans),
        (tokenizer, "_plain_record", _cut.plain_record),
        (builder, "_build", _build.build),
        (builder, "_PLAN", _PURE_PLAN),
    ]
    saved = [(module, name, getattr(module, name)) for module, name, _ in swaps]
    try:
        for module, name, function in swaps:
            setattr(module, name, function)
        yield
    finally:
        for module, name, function in saved:
            setattr(module, name, function)


def _records(source: Any, **options: Any) -> list[tuple[Any, ...]]:
    return [(r.source, r.line, r.fields, r.diagnostics) for r in iter_records(source, **options)]


def _articles(source: Any) -> list[Any]:
    return [(a, a.diagnostics) for a in parse(source)]


@needs_compiled
@SETTINGS
@given(st.one_of(medline_text(), regular_text()), st.booleans())
def test_records_and_articles_do_not_depend_on_the_build(text: str, split: bool) -> None:
    compiled = _records(io.StringIO(text), split_collapsed=split), _articles(io.StringIO(text))
    with pure_kernels():
        pure = _records(io.StringIO(text), split_collapsed=split), _articles(io.StringIO(text))
    assert compiled == pure


@needs_compiled
@pytest.mark.slow
@pytest.mark.parametrize("path", corpus_params())
def test_corpus_reads_the_same_with_both_builds(path: Path) -> None:
    compiled = _records(path), _articles(path)
    with pure_kernels():
        pure = _records(path), _articles(path)
    assert compiled == pure
