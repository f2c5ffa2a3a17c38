"""BibTeX: read back with bibtexparser (and pylatexenc to undo the escapes), the fields match the
model; LaTeX specials are escaped; MeSH headings with commas stay one keyword."""

from __future__ import annotations

import re

import pytest

from medline_parse import Article, Author

from .test_convert_cases import edge_articles, sample_articles

bibtexparser = pytest.importorskip("bibtexparser")
bibtex = pytest.importorskip("medline_parse.convert.bibtex")


def _parse(text: str, decode: bool = True) -> list[object]:
    from bibtexparser.middlewares import LatexDecodingMiddleware

    extra = [LatexDecodingMiddleware()] if decode else []
    library = bibtexparser.parse_string(text, append_middleware=extra)
    assert not library.failed_blocks
    return list(library.entries)


def _latex_to_text(text: str) -> str:
    from pylatexenc.latex2text import LatexNodes2Text

    return _plain(LatexNodes2Text().latex_to_text(text))


def _plain(text: str) -> str:
    """What pylatexenc gives back for an escaped text (it reads \\textasciicircum as U+02C6)."""
    return text.replace("\u02c6", "^")


def _keywords(value: str) -> list[str]:
    """Split a raw keywords field at the commas outside braces, as biblatex does, and decode."""
    out, depth, current = [], 0, ""
    for char in value:
        if char == "," and depth == 0:
            out.append(current.strip())
            current = ""
            continue
        depth += (char == "{") - (char == "}")
        current += char
    out.append(current.strip())
    return [_latex_to_text(re.sub(r"^\{(.*)\}$", r"\1", term)) for term in out if term]


def test_entries_match_the_model() -> None:
    articles = sample_articles()
    text = bibtex.dumps(articles)
    entries = _parse(text)
    raw = _parse(text, decode=False)
    assert len(entries) == len(raw) == len(articles)
    keys = [e.key for e in entries]  # type: ignore[attr-defined]
    assert len(set(keys)) == len(keys)
    for entry, raw_entry, a in zip(entries, raw, articles):
        fields = {f.key: f.value for f in entry.fields}  # type: ignore[attr-defined]
        raw_fields = {f.key: f.value for f in raw_entry.fields}  # type: ignore[attr-defined]
        if a.pmid:
            assert entry.key == f"pmid{a.pmid}"  # type: ignore[attr-defined]
        assert _plain(fields.get("title", "")) == (a.title or a.book_title or "")
        assert _plain(fields.get("abstract", "")) == (a.abstract or "")
        assert fields.get("doi") == a.doi
        assert fields.get("pmid") == a.pmid
        assert fields.get("year") == (str(a.year) if a.year else None)
        authors = [au for au in a.authors if not au.is_et_al]
        names = fields.get("author", "").split(" and ") if authors else []
        assert len(names) == len(authors)
        if "keywords" in raw_fields:
            assert _keywords(raw_fields["keywords"]) == [h.text for h in a.mesh] + [
                k.term for k in a.keywords
            ]


def test_escaping_survives_latex() -> None:
    full = edge_articles()[0]
    text = bibtex.dumps([full])
    assert r"A \& B \{braces\} 50\% \#1 x\_y \textasciitilde{} z\textasciicircum{}2 \$5" in text
    assert r"back\textbackslash{}slash -{}- `{}`q'{}'" in text
    (entry,) = _parse(text)
    fields = {f.key: f.value for f in entry.fields}  # type: ignore[attr-defined]
    (raw_entry,) = _parse(text, decode=False)
    raw_keywords = next(f.value for f in raw_entry.fields if f.key == "keywords")  # type: ignore[attr-defined]
    assert _plain(fields["title"]) == full.title
    assert fields["month"] == "jul"
    assert "month = jul," in text  # the BibTeX macro, not a string
    assert fields["pages"] == "616\u2013617"  # LaTeX's "--": an en dash
    assert "pages = {616--617}," in text  # the bytes written: BibTeX's range, not "-{}-"
    assert _keywords(raw_keywords) == [
        "Child, Preschool",
        "*Tomography, X-Ray Computed/*methods",
        "Asthma/drug therapy/*growth & development",
        "virus, influenza",
        "gene editing",
    ]
    assert "{Child, Preschool}" in raw_keywords


def test_names() -> None:
    assert bibtex.bibtex_name(Author.from_parts("García-López", "María José")) == (
        "García-López, María José"
    )
    assert bibtex.bibtex_name(Author.collective("A and B Group")) == "{A and B Group}"
    assert bibtex.bibtex_name(Author(name="Smith JA")) == "Smith, J. A."
    assert bibtex.bibtex_name(Author.from_parts("da Silva", "João", suffix="Jr")) == (
        "da Silva, Jr, João"
    )
    # In "Last, First" form everything before the comma is the family name (a lowercase "von"
    # part included), so no braces are needed.
    assert bibtex.bibtex_name(Author.from_parts("Van Der Berg", "Jan")) == "Van Der Berg, Jan"


def test_types_and_duplicate_keys() -> None:
    _, no_pmid, chapter, *_ = edge_articles()
    text = bibtex.dumps([chapter, chapter, no_pmid, Article(book_title="Book", publisher="P")])
    entries = _parse(text)
    assert [e.entry_type for e in entries] == ["incollection", "incollection", "article", "book"]  # type: ignore[attr-defined]
    keys = [e.key for e in entries]  # type: ignore[attr-defined]
    assert keys[:2] == ["pmid99100002", "pmid99100002-2"]
    assert keys[2].startswith("nopmid")
    fields = {f.key: f.value for f in entries[0].fields}  # type: ignore[attr-defined]
    assert fields["booktitle"] == "GeneReviews®"
    assert fields["editor"] == "Adam, Margaret P"
