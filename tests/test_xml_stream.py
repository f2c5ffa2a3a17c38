"""The byte filter in front of lxml (medline_parse.xml.stream): one document out of concatenated
responses and bare runs, whatever the block boundaries, with the input's line numbers."""

from __future__ import annotations

import codecs
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import medline_parse as mp
from medline_parse import Article, MedlineError, ParseError
from medline_parse.xml.reader import iter_xml
from medline_parse.xml.stream import ROOT, XmlStream, first_element

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))

DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>'
DOCTYPE = (
    b'<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN"\n'
    b'  "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">'
)
SUBSET = b'<!DOCTYPE PubmedArticleSet [\n  <!ATTLIST PubmedArticleSet x CDATA "y">\n]>'


def record(pmid: int) -> bytes:
    return (
        b'<PubmedArticle>\n  <MedlineCitation>\n    <PMID Version="1">'
        + str(pmid).encode()
        + b"</PMID>\n    <Article><ArticleTitle>Title &amp; more &#233;</ArticleTitle></Article>\n"
        b"  </MedlineCitation>\n</PubmedArticle>\n"
    )


@st.composite
def documents(draw: st.DrawFn) -> tuple[bytes, list[int]]:
    """Efetch responses concatenated (each with a declaration and DOCTYPE, or not), or a bare
    run of records; returns the bytes and the PMIDs in order."""
    pmids: list[int] = []
    parts: list[bytes] = []
    if draw(st.booleans()):
        parts.append(b"\xef\xbb\xbf")
    parts.append(draw(st.sampled_from([b"", b"\n", b"  \n\t"])))
    for response in range(draw(st.integers(1, 4))):
        bare = draw(st.booleans()) and response == 0
        if not bare:
            if draw(st.booleans()):
                parts.append(DECLARATION + draw(st.sampled_from([b"\n", b"", b"\r\n"])))
            if draw(st.booleans()):
                parts.append(draw(st.sampled_from([DOCTYPE, SUBSET])) + b"\n")
            parts.append(b"<PubmedArticleSet>\n")
        for _ in range(draw(st.integers(0, 3))):
            pmids.append(99000000 + len(pmids))
            parts.append(record(pmids[-1]))
        if not bare:
            parts.append(b"</PubmedArticleSet>" + draw(st.sampled_from([b"\n", b"", b"\n\n"])))
    return b"".join(parts), pmids


def _chunked(data: bytes, sizes: list[int]) -> io.BytesIO:
    """A reader whose ``read`` returns pieces of the given sizes (cycled), as a pipe might."""

    class Pieces(io.BytesIO):
        def __init__(self) -> None:
            super().__init__(data)
            self.turn = 0

        def read(self, size: int | None = -1) -> bytes:
            want = sizes[self.turn % len(sizes)]
            self.turn += 1
            return super().read(want if size is None or size < 0 else min(size, want))

    return Pieces()


@SETTINGS
@given(documents(), st.lists(st.integers(1, 64), min_size=1, max_size=5))
def test_block_boundaries_change_nothing(doc: tuple[bytes, list[int]], sizes: list[int]) -> None:
    data, pmids = doc
    whole = XmlStream(io.BytesIO(data).read, None).read(-1)
    pieces = _chunked(data, sizes)
    assert XmlStream(pieces.read, None).read(-1) == whole
    articles = list(iter_xml(_chunked(data, sizes).read))
    assert [a.pmid for a in articles if isinstance(a, Article)] == [str(p) for p in pmids]
    assert all(a.title == "Title & more é" for a in articles if isinstance(a, Article))


@SETTINGS
@given(documents())
def test_line_numbers_are_the_inputs(doc: tuple[bytes, list[int]]) -> None:
    data, pmids = doc
    out = XmlStream(io.BytesIO(data).read, None).read(-1)
    assert out.count(b"\n") == data.count(b"\n")
    if first_element(data) is None:  # no element at all: no synthetic root around nothing
        assert out == data.removeprefix(codecs.BOM_UTF8)
    else:
        assert out.startswith((DECLARATION + b"<" + ROOT, b"<" + ROOT))
    # each record starts on the line it starts on in the input
    text = data.decode("utf-8-sig")
    lines = [text[: text.index(f">{p}<")].count("\n") + 1 for p in pmids]
    for pmid, line in zip(pmids, lines):
        damaged = data.replace(f">{pmid}</PMID>".encode(), f">{pmid}</PMIDX>".encode(), 1)
        with pytest.raises(ParseError) as caught:
            list(iter_xml(io.BytesIO(damaged).read, strict=True))
        assert caught.value.line == line


def test_a_stylesheet_instruction_is_no_declaration() -> None:
    data = DECLARATION + b'\n<?xml-stylesheet href="a.xsl"?>\n' + record(1)
    assert [a.pmid for a in iter_xml(io.BytesIO(data).read)] == ["1"]


def test_utf16_is_refused_with_a_clear_error() -> None:
    data = "\ufeff<PubmedArticleSet/>".encode("utf-16")
    with pytest.raises(ParseError, match="UTF-16"):
        list(mp.parse(io.BytesIO(data), format="xml"))


def test_an_entity_declaration_after_records_is_refused_too() -> None:
    bomb = b'<!DOCTYPE x [<!ENTITY a "aaaa">]>'
    data = b"<PubmedArticleSet>" + record(1) + b"</PubmedArticleSet>" + bomb + record(2)
    with pytest.raises(ParseError, match="declares entities"):
        list(mp.parse(io.BytesIO(data), format="xml"))


def test_an_unknown_encoding_name_is_refused_up_front() -> None:
    with pytest.raises(MedlineError, match="unknown encoding"):
        list(mp.parse(io.BytesIO(record(1)), format="xml", encoding="no-such-codec"))
