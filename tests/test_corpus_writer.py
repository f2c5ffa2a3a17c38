"""The writer on the real PubMed exports of ../shared/corpus (skipped when it is absent).

1. Byte-exact: every record whose fields all follow one of PubMed's wrap rules
   (:func:`medline_parse.medline.writer.detect_style`) is written back, in that style, as its exact text
   (line endings normalised to LF).  Files whose records all share one style are also compared
   whole, line endings and the leading blank line included.
2. Semantic: ``loads(dumps(articles)) == articles`` for every article of every file.
3. Idempotent: ``dumps(loads(dumps(loads(x)))) == dumps(loads(x))`` for every file ``x``.

Each file is read once per session (:func:`corpus_file`) and shared by the tests.
"""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import attrs
import pytest

from medline_parse import Article, Record, dumps, iter_records, loads
from medline_parse.medline.builder import build_article
from medline_parse.medline.wrap import STYLES
from medline_parse.medline.writer import detect_style

from .conftest import SKIP_CORPUS, corpus_files, corpus_params

pytestmark = pytest.mark.slow


@dataclass
class CorpusFile:
    path: Path
    text: str
    """The file's text as read (BOM removed), line endings as they are."""
    records: list[Record]
    """Every record, those without a field (stray text only) included."""
    pairs: list[tuple[Record, Article]]
    """The records with fields and their articles."""
    styles: list[str | None]
    """detect_style() of each of :attr:`pairs`."""


@functools.cache
def corpus_file(path: Path) -> CorpusFile:
    records = list(iter_records(path))
    text = "".join(record.source for record in records)  # == the file (test_corpus_records)
    pairs = [(record, build_article(record)) for record in records if record.fields]
    styles = [detect_style(record) for record, _ in pairs]
    return CorpusFile(path, text, records, pairs, styles)


def lf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def expected_text(record: Record) -> tuple[str, bool]:
    """The text a writer should give for *record* alone, LF line endings: its source without the
    blank lines around it.  Also whether the source lacked its final newline (the last record of a
    file with none): that newline is added, since a writer always ends a record with one."""
    source = lf(record.source).strip("\n")
    return source + "\n", not lf(record.source).endswith("\n")


def first_difference(expected: str, got: str) -> str:
    for number, (want, have) in enumerate(
        zip(expected.splitlines(), got.splitlines(), strict=False), 1
    ):
        if want != have:
            return f"line {number}: expected {want!r}, wrote {have!r}"
    return f"expected {expected.count(chr(10))} lines, wrote {got.count(chr(10))}"


@dataclass
class FileFigures:
    name: str
    records: int
    styled: Counter[str]
    exact: Counter[str]
    differ: list[str]
    no_final_newline: list[str]

    def row(self) -> str:
        styled = sum(self.styled.values())
        exact = sum(self.exact.values())
        share = f"{100 * exact / styled:6.2f}%" if styled else "     -"
        styles = " ".join(f"{style}={n}" for style, n in sorted(self.styled.items()))
        return f"{self.name[:70]:70} {self.records:5} {styled:5} {exact:5} {share}  {styles}"


def byte_exact_figures(data: CorpusFile) -> FileFigures:
    figures = FileFigures(data.path.name, len(data.pairs), Counter(), Counter(), [], [])
    for (record, article), style in zip(data.pairs, data.styles, strict=True):
        if style is None:
            continue
        figures.styled[style] += 1
        expected, added_newline = expected_text(record)
        got = dumps(article, style=style)
        if got == expected:
            figures.exact[style] += 1
            if added_newline:
                figures.no_final_newline.append(f"PMID {record.pmid}")
        else:
            figures.differ.append(
                f"{data.path.name}: PMID {record.pmid} (line {record.line}, {style}): "
                + first_difference(expected, got)
            )
    return figures


def test_corpus_byte_exact() -> None:
    """Guarantee 1: every styled record is written back byte for byte (the share per file is
    printed, ``pytest -s`` shows it, and is part of the failure message)."""
    files = corpus_files()
    if not files:
        pytest.skip(SKIP_CORPUS)
    table = [f"{'file':70} {'recs':>5} {'style':>5} {'exact':>5} {'share':>7}  styles"]
    totals: Counter[str] = Counter()
    exact: Counter[str] = Counter()
    differ: list[str] = []
    no_newline: list[str] = []
    unstyled = 0
    records = 0
    for path in files:
        figures = byte_exact_figures(corpus_file(path))
        table.append(figures.row())
        totals.update(figures.styled)
        exact.update(figures.exact)
        differ.extend(figures.differ)
        no_newline.extend(f"{path.name}: {what}" for what in figures.no_final_newline)
        records += figures.records
        unstyled += figures.records - sum(figures.styled.values())
    summary = [f"{style}: {exact[style]} of {totals[style]} records exact" for style in STYLES] + [
        f"all styles: {sum(exact.values())} of {sum(totals.values())} styled records exact "
        f"({records} records, {unstyled} with no single PubMed style)",
        "exact once the final newline their file lacks is added: " + (", ".join(no_newline) or "-"),
    ]
    report = "\n".join([*table, "", *summary, *differ])
    print(report)
    assert sum(totals.values()) > 0
    assert not differ, f"{len(differ)} styled records differ\n{report}"


def single_style(data: CorpusFile) -> str | None:
    """The style every record of the file is written in, if there is one: the most common
    detected style, when the records detected otherwise (short ones fit several styles, and
    detect_style names the newest) come out the same in it."""
    if None in data.styles or len(data.pairs) != len(data.records) or not data.styles:
        return None
    style = Counter(data.styles).most_common(1)[0][0]
    assert style is not None
    for (record, article), detected in zip(data.pairs, data.styles, strict=True):
        if detected != style and dumps(article, style=style) != expected_text(record)[0]:
            return None
    return style


def newline_of(text: str) -> str | None:
    if "\r\n" in text:
        return (
            None
            if text.replace("\r\n", "").count("\r") or "\n" in text.replace("\r\n", "")
            else "\r\n"
        )
    if "\r" in text:
        return None if "\n" in text else "\r"
    return "\n"


@pytest.mark.parametrize("path", corpus_params())
def test_corpus_whole_file_exact(path: Path) -> None:
    """Files whose records all share one style come back whole: line endings (LF, CRLF or CR),
    the leading blank line of efetch and legacy exports, one blank line between records (the end
    of the file compared up to its last line ending)."""
    data = corpus_file(path)
    style = single_style(data)
    newline = newline_of(data.text)
    if style is None or newline is None:
        pytest.skip("records of several styles, with no style, or mixed line endings")
    if "\n\n\n" in lf(data.text).strip("\n") or lf(data.text).startswith("\n\n"):
        pytest.skip("more than one empty line between records or at the start")
    # A writer ends the text with one newline; some files have none, or an empty line more.
    text = data.text.rstrip("\r\n") + newline
    got = dumps(
        [article for _, article in data.pairs],
        style=style,
        newline=newline,
        leading_blank_line=text.startswith(newline),
    )
    assert got == text, first_difference(lf(text), lf(got))


@pytest.mark.parametrize("path", corpus_params())
def test_corpus_records_written_as_their_source(path: Path) -> None:
    """Records from iter_records are written as their exact text: the file comes back as is."""
    data = corpus_file(path)
    assert dumps(data.records) == data.text
    for record in data.records[:3]:
        assert dumps(record) == record.source


def differing_fields(a: Article, b: Article) -> list[str]:
    return [
        f.name for f in attrs.fields(Article) if f.eq and getattr(a, f.name) != getattr(b, f.name)
    ]


@pytest.mark.parametrize("path", corpus_params())
def test_corpus_semantic_roundtrip_and_idempotence(path: Path) -> None:
    """Guarantees 2 and 3 on real records: the written text reads back as the same articles, and
    writing those gives the same text again."""
    data = corpus_file(path)
    articles = [article for _, article in data.pairs]
    text = dumps(articles)
    back = loads(text)
    if back != articles:
        problems = [
            f"PMID {a.pmid}: {differing_fields(a, b)}"
            for a, b in zip(articles, back, strict=False)
            if a != b
        ]
        pytest.fail(
            f"{len(articles)} articles written, {len(back)} read back; differing: {problems[:10]}"
        )
    assert dumps(back) == text
