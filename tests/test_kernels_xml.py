"""The PubMed XML kernel: ``xml/_walk_c.pyx`` gives what its pure twin ``xml/_walk.py`` gives, and
the fast paths of the reader give what the full paths give.

Function by function on generated elements full of what real files hold and what they might
(inline markup, comments, processing instructions, namespaced look-alikes, whitespace runs, odd
dates), then whole generated records, then the corpus and the fixtures, read with the compiled
kernel and with the pure one.  In the pure-Python build the compiled twin is absent: only the
comparisons of fast and full paths run.
"""

from __future__ import annotations

import contextlib
import importlib
import re
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lxml import etree

import medline_parse
from medline_parse.xml import _walk, elements
from medline_parse.xml.stream import _find
from medline_parse.xml.text import normalise

from .xml_helpers import CORPUS_XML, SKIP_CORPUS_XML, XML_FIXTURES

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _twin() -> ModuleType | None:
    try:
        return importlib.import_module("medline_parse.xml._walk_c")
    except ImportError:
        return None


_walk_c = _twin()
needs_compiled = pytest.mark.skipif(
    _walk_c is None, reason="the compiled kernels are not built (pure-Python build)"
)


def test_the_compiled_twin_exists_in_the_compiled_build() -> None:
    assert (_walk_c is not None) is medline_parse.COMPILED


# -- generated XML ----------------------------------------------------------------------------

# Letters, XML whitespace of every kind in runs, spaces that are no XML whitespace, markup-like
# characters (escaped), digits.
_CHARACTERS = "ab Z\u00e9\u4e2d \t\n\r\u00a0\u2009-.<&>019"
_texts = st.text(alphabet=_CHARACTERS, max_size=12)


def _inline(depth: int) -> st.SearchStrategy[str]:
    """Mixed content: text, inline tags (nested), comments, processing instructions."""
    plain = _texts.map(escape)
    if depth == 0:
        return plain
    tagged = st.tuples(st.sampled_from(["i", "b", "sup", "sub", "u", "mml:mi"]), _inline(depth - 1))
    piece = st.one_of(
        plain,
        tagged.map(
            lambda p: (
                f'<{p[0]} xmlns:mml="urn:m">{p[1]}</{p[0]}>'
                if p[0].startswith("mml")
                else f"<{p[0]}>{p[1]}</{p[0]}>"
            )
        ),
        st.just("<!--a note-->"),
        st.just("<?pi data?>"),
    )
    return st.lists(piece, max_size=4).map("".join)


_content = st.one_of(_texts.map(escape), _inline(2))
_flags = st.sampled_from([None, "Y", "N", "", "y"])


def _attributes(names: list[str]) -> st.SearchStrategy[str]:
    return st.tuples(*[_flags for _ in names]).map(
        lambda values: "".join(
            f" {name}={quoteattr(value)}"
            for name, value in zip(names, values, strict=True)
            if value is not None
        )
    )


def _element(tag: str, attributes: list[str] | None = None) -> st.SearchStrategy[str]:
    return st.tuples(_attributes(attributes or []), _content).map(
        lambda p: f"<{tag}{p[0]}>{p[1]}</{tag}>" if p[1] or p[0] else f"<{tag}{p[0]}/>"
    )


# Things that are no element of the list's vocabulary, but sit among its children.
_STRAYS = st.sampled_from(
    [
        "<!--comment-->",
        "<?pi x?>",
        '<x:LastName xmlns:x="urn:x">Namespaced</x:LastName>',
        '<Author xmlns="urn:d"><LastName>Default</LastName></Author>',
        "<Unknown>new DTD</Unknown>",
        "",
    ]
)


def _children(options: list[st.SearchStrategy[str]], size: int = 6) -> st.SearchStrategy[str]:
    return st.lists(st.one_of(*options, _STRAYS), max_size=size).map("".join)


_affiliation_info = _children([_element("Affiliation"), _element("Identifier", ["Source"])], 3).map(
    lambda inner: f"<AffiliationInfo>{inner}</AffiliationInfo>"
)
_person = st.tuples(
    _attributes(["ValidYN", "EqualContrib"]),
    _children(
        [
            _element("LastName"),
            _element("ForeName"),
            _element("FirstName"),
            _element("Initials"),
            _element("Suffix"),
            _element("MiddleName"),
            _element("CollectiveName"),
            _element("Affiliation"),
            _element("Identifier", ["Source"]),
            _affiliation_info,
        ]
    ),
).map(lambda p: f"<Author{p[0]}>{p[1]}</Author>")
_author_list = _children([_person], 4).map(lambda inner: f"<AuthorList>{inner}</AuthorList>")

_heading = _children(
    [
        _element("DescriptorName", ["MajorTopicYN", "UI"]),
        _element("QualifierName", ["MajorTopicYN", "UI"]),
    ],
    4,
).map(lambda inner: f"<MeshHeading>{inner}</MeshHeading>")
_mesh_list = _children([_heading], 4).map(
    lambda inner: f"<MeshHeadingList>{inner}</MeshHeadingList>"
)

_ODD_PARTS = [
    "0",
    "01",
    "1",
    "9",
    "12",
    "13",
    "28",
    "29",
    "30",
    "31",
    "32",
    "23",
    "24",
    "59",
    "60",
    "Jan",
    "Feb",
    "jan",
    "Sept",
    "+3",
    "1_0",
    "0000",
]
_PART_TEXTS = st.one_of(
    st.sampled_from(
        ["2020", "1999", *_ODD_PARTS, "", " 12", "12 ", "\u0663", "99999999999", "00000000002020"]
    ),
    st.text(alphabet="0123456789", min_size=1, max_size=12),
)
_date_part = st.tuples(
    st.sampled_from(["Year", "Month", "Day", "Hour", "Minute", "Second", "Season"]), _PART_TEXTS
).map(lambda p: f"<{p[0]}>{escape(p[1])}</{p[0]}>")
_plain_date = st.tuples(
    st.sampled_from(["2020", "1999", "2001", "0", "10000"]),
    st.sampled_from(["1", "01", "12", "Jan", "Feb", "13"]),
    st.sampled_from(["1", "28", "29", "30", "31"]),
    st.one_of(
        st.none(),
        st.tuples(st.sampled_from(["0", "23", "24"]), st.sampled_from(["0", "59", "60"])),
    ),
).map(
    lambda p: (
        f"<Year>{p[0]}</Year><Month>{p[1]}</Month><Day>{p[2]}</Day>"
        + (f"<Hour>{p[3][0]}</Hour><Minute>{p[3][1]}</Minute>" if p[3] else "")
    )
)
_date_inner = st.one_of(
    _plain_date,
    st.lists(st.one_of(_date_part, _STRAYS, st.just("<Year><b>20</b>20</Year>")), max_size=6).map(
        "".join
    ),
)
_history_date = st.tuples(
    st.sampled_from(["pubmed", "medline", "entrez", "received", "pmc-release", ""]), _date_inner
).map(lambda p: f'<PubMedPubDate PubStatus="{p[0]}">{p[1]}</PubMedPubDate>')
_history = _children([_history_date], 5).map(lambda inner: f"<History>{inner}</History>")

_abstract = _children(
    [_element("AbstractText", ["Label", "NlmCategory"]), _element("CopyrightInformation")]
).map(lambda inner: f"<Abstract>{inner}</Abstract>")
_keyword_list = st.tuples(
    _attributes(["Owner"]), _children([_element("Keyword", ["MajorTopicYN"])])
).map(lambda p: f"<KeywordList{p[0]}>{p[1]}</KeywordList>")
_article_id = st.tuples(
    st.sampled_from(["doi", "pii", "pmc", "mid", "pubmed", "bookaccession", "other", None]),
    _content,
).map(
    lambda p: f"<ArticleId{'' if p[0] is None else f' IdType={quoteattr(p[0])}'}>{p[1]}</ArticleId>"
)
_article_id_list = _children([_article_id]).map(
    lambda inner: f"<ArticleIdList>{inner}</ArticleIdList>"
)
_reference = _children([_element("Citation"), _article_id_list], 3).map(
    lambda inner: f"<Reference>{inner}</Reference>"
)
_reference_list = st.recursive(
    _children([_reference], 3).map(lambda inner: f"<ReferenceList>{inner}</ReferenceList>"),
    lambda inner: st.lists(st.one_of(inner, _reference), max_size=3).map(
        lambda parts: f"<ReferenceList>{''.join(parts)}</ReferenceList>"
    ),
    max_leaves=4,
)


def _parse(xml: str) -> Any:
    return etree.fromstring(xml.encode("utf-8"))


def _view(value: Any) -> Any:
    """*value* comparable across the twins: an element as its path and markup."""
    if isinstance(value, etree._Element):
        return ("element", value.getroottree().getpath(value), etree.tostring(value))
    if isinstance(value, list | tuple):
        return [_view(v) for v in value]
    return (type(value).__name__, repr(value), value)


def _same(call: Callable[[ModuleType], Any]) -> None:
    assert _walk_c is not None
    assert _view(call(_walk_c)) == _view(call(_walk))


# -- kernel by kernel -------------------------------------------------------------------------


@needs_compiled
@SETTINGS
@given(_element("Title"), _inline(3).map(lambda inner: f"<AbstractText>{inner}</AbstractText>"))
@example("<Title>  two  \t words\n</Title>", "<AbstractText>a<!--x-->b<i>c</i> </AbstractText>")
def test_the_text_kernels_agree(leaf: str, mixed: str) -> None:
    for xml in (leaf, mixed):
        element = _parse(xml)
        for node in element.iter():  # the element itself, comments and PIs included
            _same(lambda kernel, node=node: kernel.text_of(node))
            _same(lambda kernel, node=node: kernel.plain_text(node))


@needs_compiled
@SETTINGS
@given(_author_list)
def test_the_people_kernels_agree(xml: str) -> None:
    element = _parse(xml)
    _same(lambda kernel: kernel.people(element))


@needs_compiled
@SETTINGS
@given(_mesh_list)
def test_the_mesh_kernels_agree(xml: str) -> None:
    element = _parse(xml)
    _same(lambda kernel: kernel.mesh_headings(element))


@needs_compiled
@SETTINGS
@given(_history_date, st.booleans())
@example('<PubMedPubDate PubStatus="x"><Year>2020</Year><Month>2</Month><Day>30</Day></PubMedPubDate>', True)  # fmt: skip
def test_the_date_kernels_agree(xml: str, with_time: bool) -> None:
    element = _parse(xml)
    _same(lambda kernel: kernel.simple_date(element, with_time))
    history = _parse(f"<History>{xml}{xml}</History>")
    _same(lambda kernel: kernel.history_dates(history))


@needs_compiled
@SETTINGS
@given(_abstract, _keyword_list, _article_id_list, _reference_list)
def test_the_list_kernels_agree(abstract: str, keywords: str, ids: str, references: str) -> None:
    _same(lambda kernel: kernel.sections(_parse(abstract)))
    _same(lambda kernel: kernel.keywords(_parse(keywords), "NLM"))
    _same(lambda kernel: kernel.article_ids(_parse(ids)))

    def collect(kernel: ModuleType) -> list[Any]:
        found: list[Any] = []
        kernel.references(_parse(references), found)
        return found

    _same(collect)


@needs_compiled
@SETTINGS
@given(_children([_element("A"), _element("B"), _element("C")], 8))
def test_the_dispatch_kernels_agree(inner: str) -> None:
    element = _parse(f"<Root>{inner}</Root>")

    def calls(kernel: ModuleType) -> list[Any]:
        seen: list[Any] = []
        table = {
            name: lambda record, child, name=name: record.append((name, child))
            for name in ("A", "C", "{urn:x}LastName")
        }
        kernel.dispatch(table, seen, element)
        return seen

    _same(calls)


# -- whole records, corpus, fixtures ----------------------------------------------------------

_KERNEL_NAMES = [name for name in _walk.__all__ if name not in ("identifier", "qualifier")]


@contextlib.contextmanager
def _pure_kernel() -> Iterator[None]:
    """The reader with the pure twin's functions in place of the compiled ones."""
    saved = {name: getattr(elements, name) for name in _KERNEL_NAMES if hasattr(elements, name)}
    try:
        for name in saved:
            setattr(elements, name, getattr(_walk, name))
        yield
    finally:
        for name, value in saved.items():
            setattr(elements, name, value)


_record = st.tuples(
    _author_list, _mesh_list, _history, _abstract, _keyword_list, _article_id_list,
    _reference_list, _inline(2), _date_inner,
).map(
    lambda p: (
        '<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">1</PMID>'
        f"<DateCompleted>{p[8]}</DateCompleted>"
        '<Article PubModel="Print-Electronic"><Journal><ISSN IssnType="Print">1</ISSN>'
        "<JournalIssue><Volume>1</Volume><PubDate><Year>2020</Year><Month>Jan</Month></PubDate>"
        "</JournalIssue><Title>J</Title></Journal>"
        f"<ArticleTitle>{p[7]}</ArticleTitle>{p[3]}{p[0]}"
        f"<ArticleDate DateType=\"Electronic\">{p[8]}</ArticleDate></Article>"
        "<MedlineJournalInfo><MedlineTA>J</MedlineTA></MedlineJournalInfo>"
        f"{p[1]}{p[4]}</MedlineCitation>"
        f"<PubmedData>{p[2]}<PublicationStatus>ppublish</PublicationStatus>{p[5]}{p[6]}"
        "</PubmedData></PubmedArticle>"
    )
)  # fmt: skip


@needs_compiled
@SETTINGS
@given(_record)
def test_records_read_the_same_with_both_kernels(xml: str) -> None:
    element = _parse(xml)
    compiled = elements.build_pubmed_article(element, "x.xml", False)
    with _pure_kernel():
        pure = elements.build_pubmed_article(element, "x.xml", False)
    assert compiled == pure
    assert repr(compiled) == repr(pure)


def _events(path: Path) -> list[Any]:
    """The events of *path*, then the error that ended the reading, if any (a hostile
    fixture is refused)."""
    found: list[Any] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            found.extend(medline_parse.iter_events(path, format="xml"))
        except medline_parse.MedlineError as error:
            found.append(str(error))
    return found


def _xml_files() -> list[Any]:
    fixtures = sorted(p for p in XML_FIXTURES.iterdir() if p.name.endswith((".xml", ".xml.gz")))
    params = [pytest.param(p, id=f"fixture-{p.name}") for p in fixtures]
    if not CORPUS_XML.is_dir():
        return [*params, pytest.param(None, marks=pytest.mark.skip(reason=SKIP_CORPUS_XML))]
    corpus = sorted(p for p in CORPUS_XML.iterdir() if p.name.endswith((".xml", ".xml.gz")))
    return [*params, *(pytest.param(p, id=p.name[:60]) for p in corpus)]


@needs_compiled
@pytest.mark.parametrize("path", _xml_files())
def test_files_read_the_same_with_both_kernels(path: Path) -> None:
    compiled = _events(path)
    with _pure_kernel():
        pure = _events(path)
    assert compiled == pure
    assert [repr(event) for event in compiled] == [repr(event) for event in pure]


# -- fast paths against full paths ------------------------------------------------------------

_RUNS = re.compile(r"[ \t\r\n]{2,}|[\t\r\n]")


@SETTINGS
@given(st.text(alphabet=_CHARACTERS + "\x0b\x0c\x85\u2028", max_size=40))
@example(" ")
@example("a\u00a0 b")
def test_normalise_takes_the_fast_path_only_when_it_changes_nothing(text: str) -> None:
    assert normalise(text) == _RUNS.sub(" ", text).strip(" ")


@SETTINGS
@given(
    st.text(alphabet="<?!xmlDOCTYPE a\n", max_size=60).map(lambda t: t.encode("ascii")),
    st.sampled_from([b"<?xml", b"<!DOCTYPE"]),
    st.integers(min_value=0, max_value=60),
)
@example(b"<?xml", b"<?xml", 0)
@example(b"?xml<?xm", b"<?xml", 0)
def test_the_stream_finds_markup_where_bytes_find_does(
    data: bytes, markup: bytes, start: int
) -> None:
    assert _find(data, markup, start) == data.find(markup, start)


@SETTINGS
@given(_history_date, st.booleans())
def test_plain_dates_read_as_the_full_path_reads_them(xml: str, with_time: bool) -> None:
    element = _parse(xml)
    record = elements._Record("x.xml", False)
    fast = elements._stamp(record, element, with_time)
    ymd = elements._ymd(record, element)
    saved = elements.simple_date
    elements.simple_date = lambda *_: None  # type: ignore[assignment]
    try:
        full_record = elements._Record("x.xml", False)
        full = elements._stamp(full_record, element, with_time)
        full_ymd = elements._ymd(full_record, element)
    finally:
        elements.simple_date = saved
    assert (type(fast), fast) == (type(full), full)
    assert (type(ymd), ymd) == (type(full_ymd), full_ymd)
    assert record.diagnostics == full_record.diagnostics
