"""The writer: dumps()/write(), the three wrap styles, tag order, edits, Records, errors.

Every record here is fictional.  The whole-file checks on the project's own fixtures
(examples/data, tests/fixtures) skip a file that is absent.
"""

from __future__ import annotations

import datetime
import gzip
import io
from pathlib import Path

import attrs
import pytest

from medline_parse import (
    Article,
    Author,
    AuthorIdentifier,
    HistoryEvent,
    Journal,
    Keyword,
    MedlineError,
    MeshHeading,
    MeshQualifier,
    PubDate,
    WriteError,
    dumps,
    iter_records,
    loads,
    parse,
    read,
    write,
)
from medline_parse.medline.tags import canonical_position
from medline_parse.medline.wrap import STYLES, format_field
from medline_parse.medline.writer import detect_style

from .conftest import EXAMPLES, FIXTURES

SAMPLE_LINES = [
    "PMID- 99100001",
    "OWN - NLM",
    "STAT- MEDLINE",
    "DCOM- 20230115",
    "LR  - 20230301",
    "IS  - 1234-5679 (Electronic)",
    "IS  - 1234-5679 (Linking)",
    "VI  - 12",
    "IP  - 3",
    "DP  - 2023 Mar",
    "TI  - Round-tripping fictional bibliographic records: a study of line wrapping, tag ",
    "      order and the preservation of every byte in MEDLINE exports",
    "PG  - 101-110",
    "LID - 10.5555/fict.2023.001 [doi]",
    "AB  - BACKGROUND: Tools that read and write MEDLINE records often change them in small ",
    "      ways. METHODS: We wrote fictional records, read them, wrote them back and ",
    "      compared the bytes; one identifier, ",
    "      https://example.org/a/very/long/address/that/cannot/be/broken/anywhere/because/it/has/no/spaces/at/all, ",
    "      stands alone on its line. RESULTS: Every record came back unchanged. CONCLUSIONS: ",
    "      Byte-exact writing is possible.",
    "CI  - (c) 2023 The Authors.",
    "FAU - Doe, Jane Q",
    "AU  - Doe JQ",
    "AUID- ORCID: 0000-0002-1825-0097",
    "AD  - Department of Examples, Example University, 1 Example Road, Exampletown, ",
    "      Exampleland. jane.doe@example.example",
    "AD  - Institute of Samples, Exampleville, Exampleland.",
    "FAU - Roe, Richard",
    "AU  - Roe R",
    "AD  - Institute of Samples, Exampleville, Exampleland.",
    "CN  - Example Study Group",
    "LA  - eng",
    "GR  - R01 XX000001/XX/NIH HHS/United States",
    "PT  - Journal Article",
    "DEP - 20230110",
    "PL  - England",
    "TA  - J Fict Stud",
    "JT  - Journal of Fictional Studies",
    "JID - 9999999",
    "RN  - 0 (Examples)",
    "SB  - IM",
    "MH  - Humans",
    "MH  - Information Storage and Retrieval/*methods",
    "MH  - Larva/genetics/growth & development",
    "MH  - *Software",
    "OTO - NOTNLM",
    "OT  - parsing",
    "OT  - round trip",
    "COIS- The authors declare no competing interests.",
    "EDAT- 2023/01/11 06:00",
    "MHDA- 2023/01/16 06:00",
    "CRDT- 2023/01/10 05:23",
    "PHST- 2022/12/20 00:00 [accepted]",
    "PHST- 2022/10/01 00:00 [received]",
    "PHST- 2023/01/11 06:00 [pubmed]",
    "PHST- 2023/01/16 06:00 [medline]",
    "PHST- 2023/01/10 05:23 [entrez]",
    "AID - 10.5555/fict.2023.001 [doi]",
    "PST - ppublish",
    "SO  - J Fict Stud. 2023 Mar;12(3):101-110. doi: 10.5555/fict.2023.001. Epub 2023 Jan ",
    "      10.",
]
SAMPLE = "\n".join(SAMPLE_LINES) + "\n"


def sample() -> Article:
    return read([SAMPLE])


def text_of(lines: list[str]) -> str:
    return "\n".join(lines) + "\n"


def block(tag: str, value: str, style: str = "pubmed") -> list[str]:
    return format_field(tag, value, style).splitlines()


def index_of(lines: list[str], line: str) -> int:
    return lines.index(line)


# --------------------------------------------------------------------------------------------------
# The project's fixtures, whole files

FIXTURE_FILES = [
    (EXAMPLES / "data" / "sample.txt", "pubmed", "\n", False),
    (EXAMPLES / "data" / "sample.nbib", "pubmed", "\r\n", False),
    (FIXTURES / "legacy.txt", "legacy", "\n", True),
    (FIXTURES / "pubmed2020.txt", "pubmed-2020", "\r\n", False),
    (FIXTURES / "efetch.txt", "pubmed", "\n", True),
]


@pytest.mark.parametrize(
    ("path", "style", "newline", "leading"),
    FIXTURE_FILES,
    ids=[path.name for path, *_ in FIXTURE_FILES],
)
def test_fixture_file_written_back_byte_for_byte(
    path: Path, style: str, newline: str, leading: bool
) -> None:
    if not path.is_file():
        pytest.skip(f"{path} is not there (yet)")
    original = path.read_bytes().decode("utf-8")
    articles = list(parse(path))
    assert articles
    assert dumps(articles, style=style, newline=newline, leading_blank_line=leading) == original
    for record in iter_records(path):
        # short records fit every style; detect_style names the newest
        assert detect_style(record) in STYLES[: STYLES.index(style) + 1], record.pmid
        assert dumps(record) == record.source
    for other in STYLES:
        assert loads(dumps(articles, style=other)) == articles


# --------------------------------------------------------------------------------------------------
# Styles


def test_sample_is_written_back_exactly() -> None:
    article = sample()
    assert dumps(article) == SAMPLE
    assert dumps(article, style="pubmed", newline="\r\n") == SAMPLE.replace("\n", "\r\n")


def test_pubmed_style_keeps_the_trailing_space_of_wrapped_lines() -> None:
    value = "a" * 40 + " " + "b" * 41  # 82 characters
    assert dumps(Article(title=value)) == f"TI  - {'a' * 40} \n      {'b' * 41}\n"
    assert dumps(Article(title=value), style="legacy") == f"TI  - {'a' * 40}\n      {'b' * 41}\n"
    assert dumps(Article(title=value), style="pubmed-2020") == f"TI  - {value}\n"


def test_width_81_84_and_legacy_full_line() -> None:
    fits = "a" * 40 + " " + "b" * 40  # 81
    assert dumps(Article(title=fits)) == f"TI  - {fits}\n"
    assert dumps(Article(title=fits + " c")) == f"TI  - {fits} \n      c\n"
    # legacy keeps the space only when it is the 81st character of the line
    full = "a" * 80 + " " + "b"
    assert dumps(Article(title=full), style="legacy") == f"TI  - {'a' * 80} \n      b\n"
    assert dumps(Article(title=full), style="pubmed") == f"TI  - {'a' * 80} \n      b\n"
    wide = "a" * 42 + " " + "b" * 41  # 84: one line at width 90
    assert dumps(Article(title=wide), style="pubmed-2020") == f"TI  - {wide}\n"
    assert dumps(Article(title=wide + " c"), style="pubmed-2020") == f"TI  - {wide} \n      c\n"


@pytest.mark.parametrize("style", STYLES)
def test_long_word_stands_alone_and_is_never_split(style: str) -> None:
    word = "x" * 100
    text = dumps(Article(title=f"short {word} end"), style=style)
    space = "" if style == "legacy" else " "
    assert text == f"TI  - short{space}\n      {word}{space}\n      end\n"
    assert loads(text)[0].title == f"short {word} end"


def test_width_is_counted_in_code_points() -> None:
    emoji = "\U0001f600" * 40 + " " + "\u00e9" * 40  # 81 code points, 241 UTF-8 bytes
    assert dumps(Article(title=emoji)) == f"TI  - {emoji}\n"
    combining = "e\u0301" * 40 + " x"  # 82 code points although 41 glyphs
    assert dumps(Article(title=combining)) == "TI  - " + "e\u0301" * 40 + " \n      x\n"


def test_nbsp_is_not_a_break_point() -> None:
    value = "\u00a0".join(["word"] * 20) + " end"  # one 99-character word, then "end"
    assert dumps(Article(title=value)) == f"TI  - {value[:-4]} \n      end\n"


# --------------------------------------------------------------------------------------------------
# Tag order


def tags_of(text: str) -> list[str]:
    return [line[:4].rstrip() for line in text.splitlines() if line and line[0] != " "]


def test_hand_built_article_in_canonical_order() -> None:
    article = Article(
        pmid="99100002",
        title="A hand-built article",
        abstract="Short abstract.",
        authors=(
            Author.from_parts(
                "Doe",
                "Jane Q",
                identifiers=["ORCID: 0000-0002-1825-0097"],
                affiliations=["Example University.", "Example Institute."],
            ),
            Author.collective("Example Study Group", affiliations=["Example Hospital."]),
            Author(name="Roe R"),
        ),
        journal=Journal(title="Journal of Fictional Studies", abbreviation="J Fict Stud"),
        publication_date=PubDate(2024, 5),
        mesh=(MeshHeading("Software", major=True), MeshHeading("Humans")),
        languages=("eng",),
        publication_types=("Journal Article",),
        history=(
            HistoryEvent("received", datetime.datetime(2024, 1, 2, 0, 0)),
            HistoryEvent("accepted", datetime.date(2024, 3, 4)),
        ),
        entrez_date=datetime.datetime(2024, 5, 6, 6, 0),
        extra=(("ZZ", "an unknown tag"),),
    )
    text = dumps(article)
    assert text == text_of(
        [
            "PMID- 99100002",
            "DP  - 2024 May",
            "TI  - A hand-built article",
            "AB  - Short abstract.",
            "FAU - Doe, Jane Q",
            "AU  - Doe JQ",
            "AUID- ORCID: 0000-0002-1825-0097",
            "AD  - Example University.",
            "AD  - Example Institute.",
            "CN  - Example Study Group",
            "AD  - Example Hospital.",
            "AU  - Roe R",
            "LA  - eng",
            "PT  - Journal Article",
            "TA  - J Fict Stud",
            "JT  - Journal of Fictional Studies",
            "MH  - *Software",
            "MH  - Humans",
            "EDAT- 2024/05/06 06:00",
            "PHST- 2024/01/02 00:00 [received]",
            "PHST- 2024/03/04 [accepted]",
            "ZZ  - an unknown tag",
        ]
    )
    assert loads(text) == [article]
    author_block = canonical_position("FAU")
    positions = [
        author_block if tag in ("FAU", "AU", "AUID", "AD", "CN") else canonical_position(tag)
        for tag in tags_of(text)
    ]
    assert positions == sorted(positions)


def test_sample_tags_follow_canonical_order_when_built_by_hand() -> None:
    """The sample is in PubMed's order, so the same article with no remembered order (as built by
    hand) writes the same text."""
    article = attrs.evolve(sample(), field_order=None)
    assert article.field_order is None
    assert dumps(article) == SAMPLE


def test_repeated_tags_keep_model_order() -> None:
    article = sample()
    assert [h.descriptor for h in article.mesh] == [
        "Humans",
        "Information Storage and Retrieval",
        "Larva",
        "Software",
    ]
    reordered = attrs.evolve(
        article,
        mesh=tuple(reversed(article.mesh)),
        history=tuple(reversed(article.history)),
        languages=("fre", "eng"),
    )
    lines = dumps(reordered).splitlines()
    assert [line for line in lines if line.startswith("MH  - ")] == [
        "MH  - *Software",
        "MH  - Larva/genetics/growth & development",
        "MH  - Information Storage and Retrieval/*methods",
        "MH  - Humans",
    ]
    assert [line[6:16] for line in lines if line.startswith("PHST")] == [
        "2023/01/10",
        "2023/01/16",
        "2023/01/11",
        "2022/10/01",
        "2022/12/20",
    ]
    assert [line for line in lines if line.startswith("LA")] == ["LA  - fre", "LA  - eng"]
    assert loads(dumps(reordered)) == [reordered]


RECORDED_ORDER = [
    # a tool's own tags right after PMID, IR before FIR (older efetch), PMCR after CRDT (2022
    # efetch), an unknown tag among the others, TI before DP
    "PMID- 99100003",
    "EP  - custom tag kept where it stood",
    "OWN - NLM",
    "TI  - Order as read",
    "DP  - 2022",
    "XYZ - unknown tag in the middle",
    "FAU - Doe, Jane",
    "AU  - Doe J",
    "IR  - Roe R",
    "FIR - Roe, Rick",
    "IRAD- Example Hospital.",
    "EDAT- 2022/01/01 00:00",
    "CRDT- 2022/01/01 00:00",
    "PMCR- 2023/01/01 00:00",
    "SO  - Fict. 2022.",
]
BOOK_ORDER = [
    "PMID- 99100004",
    "STAT- Publisher",
    "PB  - Example Press",
    "CTI - Example Collection",
    "DP  - 2020",
    "TI  - A chapter",
    "BTI - An example book",
    "FED - Doe, Jane",
    "ED  - Doe J",
    "FAU - Roe, Rick",
    "AU  - Roe R",
    "LA  - eng",
    "PT  - Review",
    "PL  - Exampletown (EX)",
    "EDAT- 2020/01/01 00:00",
    "CRDT- 2020/01/01 00:00",
    "AID - NBK0001 [bookaccession]",
]


@pytest.mark.parametrize(
    ("lines", "canonical"), [(RECORDED_ORDER, False), (BOOK_ORDER, True)], ids=["journal", "book"]
)
def test_article_read_from_text_keeps_its_field_order(lines: list[str], canonical: bool) -> None:
    text = text_of(lines)
    article = read([text])
    assert article.field_order == tuple(tags_of(text))
    assert dumps(article) == text
    hand_built = attrs.evolve(article, field_order=None)
    assert hand_built == article  # the order is not part of equality
    assert (dumps(hand_built) == text) == canonical  # the book order is canonical (CTI before DP)
    assert loads(dumps(hand_built)) == [article]


def test_unknown_tags_are_written_where_they_stood() -> None:
    article = read([text_of(RECORDED_ORDER)])
    assert article.extra == (
        ("EP", "custom tag kept where it stood"),
        ("XYZ", "unknown tag in the middle"),
    )
    tags = tags_of(dumps(article))
    assert tags.index("EP") == 1 and tags.index("XYZ") == 5
    # with no remembered order, at the end
    assert tags_of(dumps(attrs.evolve(article, field_order=None)))[-2:] == ["EP", "XYZ"]


def test_order_that_no_longer_fits_falls_back_to_canonical() -> None:
    """After an edit the remembered tag sequence would give an affiliation to the wrong author:
    the writer uses canonical order instead, which reads back as the edited article."""
    article = sample()
    doe, roe, group = article.authors
    edited = attrs.evolve(article, authors=(roe, doe, group))  # 1 AD, then AUID + 2 AD
    text = dumps(edited)
    assert loads(text) == [edited]
    lines = text.splitlines()
    first = index_of(lines, "FAU - Roe, Richard")
    assert lines[first : first + 4] == [
        "FAU - Roe, Richard",
        "AU  - Roe R",
        "AD  - Institute of Samples, Exampleville, Exampleland.",
        "FAU - Doe, Jane Q",
    ]


# --------------------------------------------------------------------------------------------------
# 4. Edits


def assert_edit(edited: Article, expected_lines: list[str]) -> None:
    text = dumps(edited)
    assert text == text_of(expected_lines)
    assert loads(text) == [edited]


def test_edit_title() -> None:
    title = "A new title, long enough to need a second line when PubMed lays it out at 87 columns"
    lines = SAMPLE_LINES.copy()
    at = index_of(lines, SAMPLE_LINES[10])
    lines[at : at + 2] = block("TI", title)
    assert len(block("TI", title)) == 2
    assert_edit(attrs.evolve(sample(), title=title), lines)


def test_edit_add_and_remove_an_affiliation() -> None:
    article = sample()
    doe, roe, group = article.authors
    added = attrs.evolve(roe, affiliations=(*roe.affiliations, "Second Affiliation, Exampleland."))
    lines = SAMPLE_LINES.copy()
    lines.insert(
        index_of(lines, "CN  - Example Study Group"), "AD  - Second Affiliation, Exampleland."
    )
    assert_edit(attrs.evolve(article, authors=(doe, added, group)), lines)

    removed = attrs.evolve(doe, affiliations=doe.affiliations[1:])
    lines = SAMPLE_LINES.copy()
    at = index_of(lines, "AUID- ORCID: 0000-0002-1825-0097") + 1
    del lines[at : at + 2]
    assert_edit(attrs.evolve(article, authors=(removed, roe, group)), lines)


def test_edit_insert_an_author_at_the_front() -> None:
    article = sample()
    new = Author.from_parts("Poe", "Edgar A", affiliations=["Example College."])
    lines = SAMPLE_LINES.copy()
    at = index_of(lines, "FAU - Doe, Jane Q")
    lines[at:at] = ["FAU - Poe, Edgar A", "AU  - Poe EA", "AD  - Example College."]
    assert_edit(attrs.evolve(article, authors=(new, *article.authors)), lines)


def test_edit_make_a_mesh_qualifier_major() -> None:
    article = sample()
    larva = article.mesh[2]
    assert larva.qualifiers == (MeshQualifier("genetics"), MeshQualifier("growth & development"))
    major = attrs.evolve(
        larva, qualifiers=(larva.qualifiers[0], MeshQualifier("growth & development", True))
    )
    mesh = (*article.mesh[:2], major, *article.mesh[3:])
    lines = SAMPLE_LINES.copy()
    lines[index_of(lines, "MH  - Larva/genetics/growth & development")] = (
        "MH  - Larva/genetics/*growth & development"
    )
    assert_edit(attrs.evolve(article, mesh=mesh), lines)


def test_edit_add_a_keyword() -> None:
    article = sample()
    lines = SAMPLE_LINES.copy()
    lines.insert(index_of(lines, "OT  - round trip") + 1, "OT  - byte-exact writing")
    keywords = (*article.keywords, Keyword("byte-exact writing", "NOTNLM"))
    assert_edit(attrs.evolve(article, keywords=keywords), lines)
    # a keyword list of another owner starts with its OTO line
    other = (*article.keywords, Keyword("Example term", "NLM"))
    lines = SAMPLE_LINES.copy()
    lines[index_of(lines, "OT  - round trip") + 1 : index_of(lines, "OT  - round trip") + 1] = [
        "OTO - NLM",
        "OT  - Example term",
    ]
    assert_edit(attrs.evolve(article, keywords=other), lines)


def test_edit_identifiers_and_dates() -> None:
    article = sample()
    doe = attrs.evolve(
        article.authors[0], identifiers=(AuthorIdentifier("0000-0001-5109-3700", "ORCID"),)
    )
    edited = attrs.evolve(
        article,
        authors=(doe, *article.authors[1:]),
        revised_date=datetime.date(2024, 2, 29),
        publication_date=PubDate(2023, 3, day=9),
    )
    lines = SAMPLE_LINES.copy()
    lines[index_of(lines, "AUID- ORCID: 0000-0002-1825-0097")] = "AUID- ORCID: 0000-0001-5109-3700"
    lines[index_of(lines, "LR  - 20230301")] = "LR  - 20240229"
    lines[index_of(lines, "DP  - 2023 Mar")] = "DP  - 2023 Mar 9"
    assert_edit(edited, lines)


# --------------------------------------------------------------------------------------------------
# Options, write(), Records


def test_newlines_and_leading_blank_line() -> None:
    article = sample()
    crlf = dumps(article, newline="\r\n")
    assert crlf == SAMPLE.replace("\n", "\r\n")
    assert "\n" not in crlf.replace("\r\n", "")
    assert dumps(article, newline="\r") == SAMPLE.replace("\n", "\r")
    for newline in ("\n", "\r\n", "\r"):
        text = dumps([article, article], newline=newline, leading_blank_line=True)
        one = SAMPLE.replace("\n", newline)
        assert text == newline + one + newline + one
        assert loads(text) == [article, article]
    assert not dumps(article).startswith("\n")


@pytest.mark.parametrize("bad", [{"style": "modern"}, {"newline": "\n\r"}, {"newline": ""}])
def test_unknown_style_or_newline(bad: dict[str, str], tmp_path: Path) -> None:
    with pytest.raises(MedlineError, match=r"style|newline"):
        dumps(sample(), **bad)  # type: ignore[arg-type]
    target = tmp_path / "out.txt"
    with pytest.raises(MedlineError):
        write(sample(), target, **bad)  # type: ignore[arg-type]
    assert not target.exists()


def test_write_to_paths_and_files(tmp_path: Path) -> None:
    articles = [sample(), read([text_of(RECORDED_ORDER)])]
    expected = dumps(articles, newline="\r\n")
    assert write(articles, tmp_path / "out.txt", newline="\r\n") == 2
    assert (tmp_path / "out.txt").read_bytes() == expected.encode("utf-8")
    assert write(iter(articles), str(tmp_path / "out.txt.gz"), newline="\r\n") == 2
    with gzip.open(tmp_path / "out.txt.gz", "rb") as handle:
        assert handle.read() == expected.encode("utf-8")
    assert list(parse(tmp_path / "out.txt.gz")) == articles
    buffer = io.StringIO()
    assert write((a for a in articles), buffer, style="legacy") == 2
    assert buffer.getvalue() == dumps(articles, style="legacy")
    assert write(articles[0], buffer) == 1
    assert write([], tmp_path / "empty.txt") == 0
    assert (tmp_path / "empty.txt").read_bytes() == b""


def test_records_are_written_as_their_source() -> None:
    text = "\r\nPMID- 1\r\nTI  -  odd   spacing\r\nSO  invalid line\r\n\r\n\r\nPMID- 2\r\nAB  - x"
    records = list(iter_records([text]))
    assert dumps(records) == text
    for record in records:
        assert dumps(record) == record.source
    record = records[0]
    assert dumps(record, style="legacy", newline="\n") == record.source


def test_records_and_articles_mixed() -> None:
    first, second = iter_records(["PMID- 1\nTI  - one\n\nPMID- 2\nTI  - two\n"])
    article = sample()
    text = dumps([second, article, first, article])
    assert text == ("PMID- 2\nTI  - two\n\n" + SAMPLE + "\nPMID- 1\nTI  - one\n\n" + SAMPLE)
    assert loads(text) == [read([second.source]), article, read([first.source]), article]
    assert dumps([article, second]) == SAMPLE + "\nPMID- 2\nTI  - two\n"
    # the last record of an input with no final newline still gets its own line
    (last,) = iter_records(["PMID- 3\nTI  - three"])
    assert dumps([last, article]) == "PMID- 3\nTI  - three\n\n" + SAMPLE
    assert dumps([last, article], leading_blank_line=True) == "\nPMID- 3\nTI  - three\n\n" + SAMPLE


def test_write_errors() -> None:
    with pytest.raises(WriteError, match="line break"):
        dumps(Article(pmid="1", title="two\nlines"))
    with pytest.raises(WriteError, match="line break"):
        dumps(Article(pmid="1", extra=(("XY", "carriage\rreturn"),)))
    with pytest.raises(WriteError, match="no field"):
        dumps([sample(), Article()])
    with pytest.raises(MedlineError, match="cannot write str"):
        dumps(["PMID- 1\n"])  # type: ignore[list-item]
    assert dumps([]) == ""
