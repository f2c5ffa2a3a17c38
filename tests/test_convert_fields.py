"""What each citation format carries besides the basics (issue 13): affiliations, publication
types, ORCID iDs, comments and corrections, a book's collection title; and the BibTeX bytes
themselves (the page range was once written ``696-{}-716``, hidden by a test that decoded LaTeX).
Each output is read back with the reader its ecosystem uses."""

from __future__ import annotations

import csv
import io
import json

import pytest

from medline_parse import Article, loads
from medline_parse.convert import csljson
from medline_parse.convert import csv as mcsv
from medline_parse.convert._common import relation_text

from .test_convert_cases import edge_articles

RECORD = """\
PMID- 99200001
OWN - NLM
STAT- MEDLINE
IS  - 2999-0001 (Print)
VI  - 12
IP  - 3
DP  - 2023 Mar
TI  - Pages, errata and a retraction: a fictional trial.
PG  - 696-716
FAU - Doe, Jane
AU  - Doe J
AUID- ORCID: 0000-0002-1825-0097
AD  - Fictional University, Ruritania.
AD  - Imaginary Institute, Freedonia.
FAU - Roe, Richard
AU  - Roe R
AD  - Fictional University, Ruritania.
LA  - eng
PT  - Journal Article
PT  - Retracted Publication
TA  - J Tests
JT  - Journal of tests
EIN - J Tests. 2023 Apr;12(4):800. PMID: 99200002
RIN - J Tests. 2024 Jan;13(1):1. PMID: 99200003
CIN - Lancet. 2023;401:5. PMID: 99200004
"""

BOOK = """\
PMID- 99200010
BTI - Fictional Handbook of Tests
CTI - Fictional Reviews Series
VTI - Volume on trials
PB  - University of Somewhere
PL  - Seattle (WA)
DP  - 2001
FED - Adam, Margaret P
ED  - Adam MP
"""


def article() -> Article:
    (one,) = loads(RECORD)
    return one


def book() -> Article:
    (one,) = loads(BOOK)
    return one


RELATIONS = [
    "Erratum in: J Tests. 2023 Apr;12(4):800. PMID: 99200002",
    "Retraction in: J Tests. 2024 Jan;13(1):1. PMID: 99200003",
    "Comment in: Lancet. 2023;401:5. PMID: 99200004",
]


def test_relations_in_words() -> None:
    assert [relation_text(r) for r in article().relations] == RELATIONS


# -- RIS ------------------------------------------------------------------------------------------


def test_ris_carries_affiliations_types_orcids_relations_and_series() -> None:
    rispy = pytest.importorskip("rispy")
    from medline_parse.convert import ris

    text = ris.dumps([article(), book()])
    assert "AD  - Fictional University, Ruritania.\n" in text
    assert text.count("AD  - Fictional University, Ruritania.") == 1  # each affiliation once
    entry, entry_book = rispy.loads(text, list_tags=list(ris.LIST_TAGS))
    assert entry["author_address"] == [
        "Fictional University, Ruritania.",
        "Imaginary Institute, Freedonia.",
    ]
    assert entry["type_of_work"] == "Journal Article; Retracted Publication"
    assert entry["notes"] == [
        *RELATIONS,
        "ORCID: https://orcid.org/0000-0002-1825-0097 (Doe, Jane)",
    ]
    assert (entry["start_page"], entry["end_page"]) == ("696", "716")
    assert entry_book["type_of_reference"] == "BOOK"
    assert entry_book["tertiary_title"] == "Fictional Reviews Series"
    # rispy's default reader (no list_tags) still reads it, keeping one AD
    assert rispy.loads(text)[0]["author_address"] in entry["author_address"]


# -- BibTeX ---------------------------------------------------------------------------------------


def test_bibtex_bytes_written() -> None:
    pytest.importorskip("bibtexparser")
    from medline_parse.convert import bibtex

    text = bibtex.dumps([article()])
    assert "\tpages = {696--716},\n" in text  # BibTeX's range, as written (not 696-{}-716)
    assert "-{}-" not in text
    assert "\tmonth = mar,\n" in text
    assert "\tauthor = {Doe, Jane and Roe, Richard},\n" in text
    assert "\torcid-numbers = {Doe, Jane/0000-0002-1825-0097},\n" in text
    assert (
        "\taffiliation = {Fictional University, Ruritania.; Imaginary Institute, Freedonia.},\n"
        in text
    )
    assert "\tnote = {" + "; ".join(RELATIONS) + "}\n" in text
    book_text = bibtex.dumps([book()])
    assert book_text.startswith("@book{pmid99200010,\n")
    assert "\tseries = {Fictional Reviews Series},\n" in book_text
    assert "\teditor = {Adam, Margaret P},\n" in book_text


def test_bibtex_read_back_by_bibtexparser_and_pybtex() -> None:
    bibtexparser = pytest.importorskip("bibtexparser")
    from medline_parse.convert import bibtex

    text = bibtex.dumps([article(), book()])
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    fields = {f.key: f.value for f in library.entries[0].fields}
    assert fields["pages"] == "696--716"
    assert fields["series" if "series" in fields else "note"]
    pybtex = pytest.importorskip("pybtex.database")
    data = pybtex.parse_string(text, "bibtex")
    entry = data.entries["pmid99200001"]
    assert entry.fields["pages"] == "696--716"
    assert [str(p) for p in entry.persons["author"]] == ["Doe, Jane", "Roe, Richard"]


# -- CSL-JSON -------------------------------------------------------------------------------------


def test_csl_carries_series_relations_and_dates() -> None:
    items = json.loads(csljson.dumps([article(), book()]))
    assert items[0]["note"] == "\n".join(RELATIONS)
    assert items[0]["page"] == "696-716"
    assert items[1]["type"] == "book"
    assert items[1]["collection-title"] == "Fictional Reviews Series"
    assert items[1]["volume-title"] == "Volume on trials"
    full = csljson.to_csl(edge_articles()[0])
    assert full["available-date"] == {"literal": "2023-06-01"}  # text that is no date: as it is
    dated = loads("PMID- 1\nTI  - t\nTT  - Titre original.\nDEP - 20230601\n")[0]
    item = csljson.to_csl(dated)
    assert item["available-date"] == {"date-parts": [[2023, 6, 1]]}
    assert item["original-title"] == "Titre original."


def test_csl_json_extension_is_what_pandoc_reads() -> None:
    from medline_parse.convert.registry import format_for_path, get_format

    assert get_format("csl-json").extension == ".json"
    assert format_for_path("refs.csl.json").name == "csl-json"  # type: ignore[union-attr]
    assert format_for_path("refs.json").name == "json"  # type: ignore[union-attr]


# -- CSV, Parquet ---------------------------------------------------------------------------------


def test_csv_has_a_relations_column() -> None:
    rows = list(csv.DictReader(io.StringIO(mcsv.dumps([article()]), newline="")))
    assert rows[0]["relations"] == "; ".join(RELATIONS)
    assert rows[0]["affiliations"] == (
        "Fictional University, Ruritania.; Imaginary Institute, Freedonia."
    )


def test_parquet_has_a_relations_column(tmp_path: object) -> None:
    pytest.importorskip("pyarrow")
    pd = pytest.importorskip("pandas")
    from pathlib import Path

    from medline_parse.convert import frames

    path = Path(str(tmp_path)) / "out.parquet"
    frames.write_parquet([article()], path)
    frame = pd.read_parquet(path)
    assert list(frame.loc[0, "relations"]) == RELATIONS


# -- CSV formula injection ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(1,2)", "'@SUM(1,2)"),
        ("\tTabbed", "'\tTabbed"),
        ("\rReturn", "'\rReturn"),
        ("-5", "-5"),  # a plain number runs nothing
        ("A normal title", "A normal title"),
    ],
)
def test_csv_neutralises_formulas(value: str, written: str) -> None:
    item = Article(pmid="1", title=value, authors=())
    rows = list(csv.DictReader(io.StringIO(mcsv.dumps([item]), newline="")))
    assert rows[0]["title"] == written
    raw = list(csv.DictReader(io.StringIO(mcsv.dumps([item], raw=True), newline="")))
    assert raw[0]["title"] == value


def test_csv_neutralises_author_names_per_author_too() -> None:
    from medline_parse import Author

    item = Article(pmid="1", authors=(Author(name="=cmd A"), Author(name="Doe J")))
    rows = list(csv.DictReader(io.StringIO(mcsv.dumps([item]), newline="")))
    assert rows[0]["authors"] == "'=cmd A; Doe J"
    assert rows[0]["first_author"] == "'=cmd A"
    per_author = list(csv.DictReader(io.StringIO(mcsv.dumps([item], per_author=True), newline="")))
    assert per_author[0]["name"] == "'=cmd A"
    assert per_author[1]["name"] == "Doe J"


def test_bibtex_escaping_agrees_with_pylatexenc() -> None:
    """The escapes are those of pylatexenc's encoder (what bibtexparser's LatexEncodingMiddleware
    uses), for every character LaTeX treats specially; plain and non-ASCII text is kept."""
    pytest.importorskip("bibtexparser")
    latexencode = pytest.importorskip("pylatexenc.latexencode")
    from medline_parse.convert import bibtex

    encoder = latexencode.UnicodeToLatexEncoder(
        replacement_latex_protection="braces-after-macro",
        unknown_char_policy="keep",
        unknown_char_warning=False,
    )
    for char in "\\{}$&%#_~^":
        assert bibtex.escape(char) == encoder.unicode_to_latex(char), char
    assert bibtex.escape("Café 中 α") == "Café 中 α"
