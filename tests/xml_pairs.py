"""The records of ``../shared/corpus-xml`` that exist in both formats, and how they compare.

``corpus-xml/SOURCES.tsv`` names them: the 200 records of one 2019 efetch XML file are those of a
MEDLINE export in ``../shared/corpus``; the MEDLINE text files in ``corpus-xml/pairs`` hold records
of three small XML files of the same repository (2022 exports).  :func:`pairs` matches them by
PMID; :attr:`Pair.identical` tells whether the XML article, written as MEDLINE text in the export's
era (:mod:`pubmed_2019`), gives PubMed's bytes.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import attrs

from medline_parse import Article, Record, detect_style, dumps, iter_records, parse
from medline_parse.medline.builder import build_article

from .pubmed_2019 import era_2019
from .xml_helpers import CORPUS_TEXT, CORPUS_XML

ORTHO_XML = (
    CORPUS_XML / "p1m-ortho__qs-global-ortho-search-queries__pubmed_result@885969c2-part1.xml"
)
ORTHO_TEXT = CORPUS_TEXT / "p1m-ortho__qs-global-ortho-search-queries__citations.nbib"
PATHWAY_XML = tuple(
    CORPUS_XML / f"PathwayCommons__ncbiutils__tests__data__{name}.xml"
    for name in ("pubmed", "markup", "no_title_abstract")
)


def pathway_texts() -> list[Path]:
    return sorted((CORPUS_XML / "pairs").glob("*.txt"))


@attrs.frozen
class Pair:
    """One record in both formats."""

    xml_path: Path
    text_path: Path
    article: Article  # read from XML
    record: Record  # read from MEDLINE text

    @property
    def text_article(self) -> Article:
        return build_article(self.record)

    @property
    def style(self) -> str | None:
        return detect_style(self.record)

    def expected(self) -> str:
        """PubMed's text of the record, LF line ends (a file whose lines lost their trailing
        spaces, which no PubMed layout does, is compared without them on either side)."""
        text = self.record.source.replace("\r\n", "\n").strip("\n") + "\n"
        return text if self.style is not None else _unpadded(text)

    def written(self) -> str:
        """The XML article written as MEDLINE text of the export's era, in its layout."""
        text = dumps(era_2019(self.article), style=self.style or "pubmed")
        return text if self.style is not None else _unpadded(text)

    @property
    def identical(self) -> bool:
        return self.written() == self.expected()


def _unpadded(text: str) -> str:
    return "".join(line.rstrip(" ") + "\n" for line in text.splitlines())


def pairs(xml_paths: tuple[Path, ...], text_paths: list[Path]) -> Iterator[Pair]:
    """Each record of *text_paths* whose PMID one of *xml_paths* holds, with that XML article
    (the last one read, when several files hold the PMID)."""
    by_pmid: dict[str, tuple[Path, Article]] = {}
    for path in xml_paths:
        for article in parse(path):
            by_pmid[article.pmid or ""] = (path, article)
    for text_path in text_paths:
        for record in iter_records(text_path):
            if not record.has_fields:
                continue
            found = by_pmid.get(record.fields[0].value)
            if found is not None:
                yield Pair(found[0], text_path, found[1], record)
