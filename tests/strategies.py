"""Hypothesis strategies for MEDLINE-like text: generated records and the ways real files go wrong."""

from __future__ import annotations

import io

from hypothesis import strategies as st

from medline_parse.medline.tags import TAGS
from medline_parse.sniff import WrongFormatError, refuse_foreign
from medline_parse.sources import iter_blocks


def refused(data: str | bytes) -> bool:
    """Whether the MEDLINE readers refuse *data* as another format (RIS, JSON, binary data ...:
    see ``sniff.py``), PubMed XML included (``iter_records`` refuses it, ``parse`` reads it as
    XML); the properties of MEDLINE reading are about the inputs they do read."""
    source = io.BytesIO(data) if isinstance(data, bytes) else io.StringIO(data)
    try:
        for _ in refuse_foreign(iter_blocks(source), None, refuse_xml=True):
            break
    except WrongFormatError:
        return True
    return False


TAG_NAMES = sorted(TAGS)
NEWLINES = st.sampled_from(["\n", "\r\n", "\r"])
WORD = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs",),
        blacklist_characters="\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029 ",
    ),
    min_size=1,
    max_size=12,
)
VALUE = st.lists(WORD, min_size=0, max_size=25).map(" ".join)


# Words of real records: letters (some beyond ASCII), digits, punctuation.
CLEAN_WORD = st.text(
    alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789.,;:()-/éüøßλ中"),
    min_size=1,
    max_size=12,
)


@st.composite
def field_lines(draw: st.DrawFn, words_of: st.SearchStrategy[str] = WORD) -> list[str]:
    """One field: a tag line and maybe continuation lines (without line endings)."""
    tag = draw(st.sampled_from(TAG_NAMES) | st.from_regex(r"\A[A-Z]{2,4}\Z"))
    words = draw(st.lists(words_of, min_size=0, max_size=30))
    lines = [f"{tag:<4}- "]
    for word in words:
        if len(lines[-1]) + len(word) > 87 and lines[-1].strip():
            lines.append(" " * draw(st.sampled_from([6, 6, 6, 7])))
        lines[-1] += word + " "
    return [line.rstrip(" ") if i == len(lines) - 1 else line for i, line in enumerate(lines)]


@st.composite
def record_lines(draw: st.DrawFn) -> list[str]:
    """A record: PMID first (usually), then generated fields."""
    lines = [f"PMID- {draw(st.integers(1, 40_000_000))}"] if draw(st.booleans()) or True else []
    for field in draw(st.lists(field_lines(), min_size=0, max_size=8)):
        lines.extend(field)
    return lines


JUNK = st.sampled_from(
    [
        "SO  invalid line",
        "PMID-22664220",
        "TI-",
        "      orphan continuation",
        "    PMID- 5",
        "\ufeffPMID- 7",
        "random words - here",
        "\x00\x01binary\x7f",
        "AB  - ",
    ]
) | st.text(max_size=40).filter(lambda s: "\r" not in s and "\n" not in s)


def medline_text() -> st.SearchStrategy[str]:
    """Text assembled from generated records with random line endings, blank lines, BOMs, junk
    lines, collapsed records, and no final newline now and then (never text the readers refuse as
    another format: a junk first line may look like JSON or binary data)."""
    return _medline_text().filter(lambda text: not refused(text))


@st.composite
def _medline_text(draw: st.DrawFn) -> str:
    """Text assembled from generated records with random line endings, blank lines, BOMs, junk
    lines, collapsed records, and no final newline now and then."""
    chunks: list[str] = []
    if draw(st.booleans()):
        chunks.append("\ufeff")
    lines: list[str] = []
    for _ in range(draw(st.integers(0, 4))):
        lines.extend([""] * draw(st.integers(0, 2)))
        kind = draw(st.sampled_from(["record", "record", "junk", "collapsed"]))
        if kind == "record":
            lines.extend(draw(record_lines()))
        elif kind == "junk":
            lines.append(draw(JUNK))
        else:
            lines.append(" ".join(line.strip() for line in draw(record_lines())))
    for line in lines:
        chunks.append(line + draw(NEWLINES))
    text = "".join(chunks)
    if text and draw(st.booleans()):
        text = text.rstrip("\r\n")
    return text


# Small departures from PubMed's layout that the block fast path must notice (or handle exactly as
# the line-by-line path does).
_QUIRKS = [
    "TI  - trailing space ",
    "AB  - a value\n       seven-space continuation",
    "AB  - before a trailing-space break \n      after it",
    "XYZ - unknown tag",
    "AB  - ",
    "AB  -  value starting with a space",
    "      orphan continuation",
    "  AU  - Indented A",
    "PMID- 99000001",
    "TI  - control\x01character",
    "\ufeffTI  - bom",
    "AB  - tab\tinside",
    "\tTI  - tab indent",
    "AU-Sloppy A",
    "AB  - first\n     five-space continuation",
    "AB  - first\n      \n      blank-looking continuation",
    "PMID- 99000002 TI  - collapsed DP  - 2001 AU  - Roe R",
    "AB  -\n      a continuation completing a cut tag line",
    "AB  - \n      an empty value continued",
    "AB  - a word wrapped after its hyphen: non-\n      specific",
    "AB  - two spaces before the break  \n      after it",
]


@st.composite
def regular_text(draw: st.DrawFn) -> str:
    """Records in PubMed's regular layout with one line ending throughout (the block fast path's
    ground), now and then with one of the small departures real files show."""
    nl = draw(st.sampled_from(["\n", "\r\n"]))
    lines: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        lines.append(f"PMID- {draw(st.integers(1, 99))}")
        for _ in range(draw(st.integers(0, 8))):
            lines.extend(draw(field_lines(CLEAN_WORD)))
        if draw(st.integers(0, 3)) == 0:
            quirk = draw(st.sampled_from(_QUIRKS))
            lines.insert(draw(st.integers(0, len(lines))), quirk)
        lines.extend([draw(st.sampled_from(["", "", "  "]))] * draw(st.integers(1, 2)))
    text = nl.join(line.replace("\n", nl) for line in lines) + nl
    if draw(st.integers(0, 5)) == 0:
        text = text.rstrip("\r\n")
    return text
