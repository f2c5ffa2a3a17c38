"""PubMed XML of the shared corpus: every file reads, and the paired records agree with PubMed's
MEDLINE text, value for value and byte for byte.  Skipped without ``../shared/corpus-xml``.

What the byte comparison found is in docs/pubmed-xml.md ("Converting"): the 200 records of the 2019
pair come out identical; of the 10 text records of the 2022 pairs, 7 do, and the 3 that differ do so
only where the repository that holds them altered its copies (its XML files were re-indented, which
put spaces inside one abstract next to inline markup; one text record has a line its fetching
script wrote into it).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import attrs
import pytest

import medline_parse as mp
from medline_parse import Article, Deletion, MedlineWarning

from .pubmed_2019 import era_2019
from .xml_helpers import CORPUS_XML, SKIP_CORPUS_XML, shared_view
from .xml_pairs import ORTHO_TEXT, ORTHO_XML, PATHWAY_XML, pairs, pathway_texts

pytestmark = pytest.mark.skipif(not CORPUS_XML.is_dir(), reason=SKIP_CORPUS_XML)


def _xml_files() -> list[Path]:
    if not CORPUS_XML.is_dir():
        return []
    return sorted(p for p in CORPUS_XML.iterdir() if p.name.endswith((".xml", ".xml.gz")))


def _expected_counts() -> dict[str, int]:
    """SOURCES.tsv's record count of each file."""
    rows = (CORPUS_XML / "SOURCES.tsv").read_text(encoding="utf-8").splitlines()
    header = rows[0].split("\t")
    out = {}
    for row in rows[1:]:
        cells = dict(zip(header, row.split("\t")))
        if cells.get("format") == "xml":
            out[cells["file"]] = int(cells["records"])
    return out


# Test data its repository made by hand: records without a PMID or a publication date.
_HAND_MADE = ("pikatech__Scicopia",)


@pytest.mark.parametrize("path", _xml_files(), ids=lambda p: p.name[:60])
def test_every_file_reads(path: Path) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", MedlineWarning)
        events = list(mp.iter_events(path))
    articles = [e for e in events if isinstance(e, Article)]
    damage = [str(w.message) for w in caught if issubclass(w.category, MedlineWarning)]
    expected = _expected_counts().get(path.name)  # distinct PMIDs
    pmids = {a.pmid for a in articles if a.pmid}
    if damage:  # a file cut off by its repository: what precedes the cut is read
        assert len(damage) == 1 and "truncated" in damage[0], damage
        assert expected is None or 0 < len(pmids) < expected
    elif expected is not None and not path.name.startswith(_HAND_MADE):
        assert len(pmids) == expected
    for article in articles:
        if path.name.startswith(_HAND_MADE):
            continue
        assert article.pmid and article.pmid.isdigit()
        problems = [d for d in article.diagnostics if d.is_problem]
        assert not problems, problems
    for event in events:
        if isinstance(event, Deletion):
            assert event.pmids and all(p.isdigit() for p in event.pmids)


def test_update_files_hold_deletions() -> None:
    updates = [p for p in _xml_files() if "updatefiles" in p.name]
    assert updates
    found = sum(len(e.pmids) for p in updates for e in mp.iter_events(p) if isinstance(e, Deletion))
    assert found > 0


def test_ortho_pairs_agree_value_for_value() -> None:
    found = list(pairs((ORTHO_XML,), [ORTHO_TEXT]))
    assert len(found) == 200
    for pair in found:
        assert shared_view(era_2019(pair.article)) == pair.text_article, pair.article.pmid


def test_ortho_pairs_are_byte_identical() -> None:
    found = list(pairs((ORTHO_XML,), [ORTHO_TEXT]))
    different = [pair.article.pmid for pair in found if not pair.identical]
    assert different == []


def test_pathway_pairs_agree_value_for_value() -> None:
    found = list(pairs(PATHWAY_XML, pathway_texts()))
    assert len(found) == 10
    for pair in found:
        article = shared_view(era_2019(pair.article))
        expected = pair.text_article
        if pair.article.pmid == "30158200":
            # The repository re-indented this XML, which put spaces inside the abstract next to
            # inline markup: everything but the abstract must agree.
            assert article.abstract != expected.abstract
            article = attrs.evolve(article, abstract=expected.abstract)
        assert article == expected, pair.article.pmid


def test_pathway_byte_differences_are_the_explained_ones() -> None:
    found = list(pairs(PATHWAY_XML, pathway_texts()))
    assert sum(pair.identical for pair in found) == 7
    for pair in found:
        if pair.identical:
            continue
        written = pair.written().splitlines()
        expected = pair.expected().splitlines()
        extra = [line for line in expected if line not in written]
        missing = [line for line in written if line not in expected]
        if pair.article.pmid == "33279447":
            assert extra == [
                "id: 33890651 Error occurred: PMID 33890651 is a duplicate of PMID 31311831",
                "",
            ]
            assert missing == []
        else:
            assert pair.article.pmid == "30158200"
            # spaces the re-indented XML put before <i>FAM210A</i> and <sup>-68</sup>
            assert [line.replace("( ", "(").replace(" (", "(") for line in missing] == [
                line.replace(" (", "(") for line in extra
            ]
