"""Fictional PubMed XML files, written by the tests of ``medline sync`` and by its benchmark.

Every record is made up (PMIDs from 99,000,000 up, journals and people that do not exist), but has
what a record of NLM's baseline and update files has: a versioned PMID, 1-8 authors with
affiliations and sometimes an ORCID iD, a structured abstract, MeSH headings with qualifiers,
keywords, chemicals, grants, publication types, history dates, article ids.  A record is a pure
function of ``(pmid, version, revision)``: the same triple always gives the same bytes, and another
revision gives other content (other authors, headings, title ...), so a replaced record is told
apart from the one it replaced, down to its child rows.

:func:`baseline_and_updates` lays out a realistic sequence of files: baseline files of new records,
then update files that revise earlier records (mostly), add new ones, bring a few records in a
second version, re-issue a few in an older version, and delete a few.
"""

from __future__ import annotations

import gzip
import random
from collections.abc import Iterator, Sequence
from pathlib import Path
from xml.sax.saxutils import escape

__all__ = [
    "FIRST_PMID",
    "Event",
    "article_xml",
    "baseline_and_updates",
    "deletion_xml",
    "pubmed_file",
    "write_pubmed_file",
]

FIRST_PMID = 99_000_000

Event = tuple[str, int, int | None, int]
"""``("article", pmid, version, revision)`` or ``("delete", pmid, version, 0)``."""

_HEADER = (
    '<?xml version="1.0" ?>\n'
    '<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" '
    '"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n'
    "<PubmedArticleSet>\n"
)
_FOOTER = "</PubmedArticleSet>\n"

_SURNAMES = (
    "Abara",
    "Bianchi",
    "Castellano",
    "Dubois",
    "Eriksson",
    "Østergaard",
    "Garcia-Lopez",
    "Haraldsen",
    "Ibrahim",
    "Jovanović",
    "Kowalczyk",
    "Lindqvist",
    "Nakamura",
    "Okonkwo",
    "Petrov",
    "Rasmussen",
    "Takahashi",
    "Van den Berg",
    "Müller",
    "Sánchez",
)
_FORENAMES = (
    "Anna",
    "Bruno",
    "Chidi",
    "Elif",
    "Greta",
    "Hiroshi",
    "Ines",
    "José Luis",
    "Katarzyna",
    "Mei",
    "Nikolai",
    "Priya",
    "Søren",
    "Tomoko",
    "Yusuf",
)
_PLACES = (
    "Department of Epidemiology, Fictional University, Aarby, Denmark.",
    "Institute of Imaginary Health, Borrow, United Kingdom.",
    "Division of Cardiology, Example Medical Center, Cedar Falls, USA.",
    "School of Public Health, Made-up University, Dunmore, Ireland.",
    "Laboratory of Invented Biology, Eastwick Institute, Lyon, France.",
)
_JOURNALS = (
    ("Journal of fictional medicine", "J Fict Med", "9990001", "2998-1101"),
    ("Annals of made-up surgery", "Ann Made-up Surg", "9990003", "2998-3303"),
    ("Imaginary epidemiology reviews", "Imag Epidemiol Rev", "9990005", "2998-5505"),
)
_DESCRIPTORS = (
    ("D006801", "Humans"),
    ("D008297", "Male"),
    ("D005260", "Female"),
    ("D000368", "Aged"),
    ("D006620", "Hip Fractures"),
    ("D016138", "Walking Speed"),
    ("D001249", "Asthma"),
    ("D003924", "Diabetes Mellitus, Type 2"),
    ("D006973", "Hypertension"),
    ("D015331", "Cohort Studies"),
    ("D012307", "Risk Factors"),
    ("D017410", "Practice Guidelines as Topic"),
)
_QUALIFIERS = (
    ("Q000453", "epidemiology"),
    ("Q000188", "drug therapy"),
    ("Q000503", "physiopathology"),
    ("Q000534", "rehabilitation"),
    ("Q000175", "diagnosis"),
)


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_WORDS = _words(
    "patients cohort risk outcome baseline follow-up analysis adjusted association incidence "
    "treatment trial randomised exposure mortality hospital cohort model estimate interval "
    "significant sample participants survey primary secondary effect dose response"
)


def _sentence(rng: random.Random, low: int, high: int) -> str:
    words = rng.choices(_WORDS, k=rng.randint(low, high))
    return " ".join(words).capitalize() + "."


def _date(tag: str, year: int, month: int, day: int) -> str:
    return f"<{tag}><Year>{year}</Year><Month>{month:02d}</Month><Day>{day:02d}</Day></{tag}>"


def article_xml(pmid: int, version: int | None = 1, revision: int = 0) -> str:
    """One ``<PubmedArticle>``: a pure function of its arguments."""
    rng = random.Random(f"{pmid}:{version}:{revision}")
    year = 2000 + pmid % 25
    month = 1 + pmid % 12
    day = 1 + pmid % 28
    journal, abbreviation, nlm_id, issn = _JOURNALS[pmid % len(_JOURNALS)]
    attribute = "" if version is None else f' Version="{version}"'
    title = escape(f"{_sentence(rng, 5, 12)[:-1]} (revision {revision}) & more.")
    authors = []
    for _ in range(rng.randint(1, 8)):
        last, fore = rng.choice(_SURNAMES), rng.choice(_FORENAMES)
        orcid = ""
        if rng.random() < 0.3:
            orcid = f'<Identifier Source="ORCID">0000-000{rng.randint(1, 9)}-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}</Identifier>'
        places = "".join(
            f"<AffiliationInfo><Affiliation>{escape(rng.choice(_PLACES))}</Affiliation></AffiliationInfo>"
            for _ in range(rng.randint(0, 2))
        )
        initials = "".join(part[0] for part in fore.split())
        authors.append(
            f'<Author ValidYN="Y"><LastName>{escape(last)}</LastName><ForeName>{escape(fore)}'
            f"</ForeName><Initials>{initials}</Initials>{orcid}{places}</Author>"
        )
    abstract = "".join(
        f'<AbstractText Label="{label}" NlmCategory="{label}">{escape(_sentence(rng, 20, 45))}'
        "</AbstractText>"
        for label in ("BACKGROUND", "METHODS", "RESULTS", "CONCLUSIONS")
    )
    headings = []
    for ui, name in rng.sample(_DESCRIPTORS, rng.randint(2, 8)):
        qualifiers = "".join(
            f'<QualifierName UI="{qui}" MajorTopicYN="{rng.choice("NY")}">{qname}</QualifierName>'
            for qui, qname in rng.sample(_QUALIFIERS, rng.randint(0, 2))
        )
        headings.append(
            f'<MeshHeading><DescriptorName UI="{ui}" MajorTopicYN="{rng.choice("NY")}">'
            f"{escape(name)}</DescriptorName>{qualifiers}</MeshHeading>"
        )
    keywords = "".join(
        f'<Keyword MajorTopicYN="N">{rng.choice(_WORDS)} {rng.choice(_WORDS)}</Keyword>'
        for _ in range(rng.randint(0, 5))
    )
    grants = "".join(
        f"<Grant><GrantID>R01 AG{rng.randint(10000, 99999)}</GrantID><Acronym>AG</Acronym>"
        "<Agency>NIA NIH HHS</Agency><Country>United States</Country></Grant>"
        for _ in range(rng.randint(0, 2))
    )
    doi = f"10.5555/fict.{pmid}.{revision}"
    return (
        "<PubmedArticle>\n"
        '<MedlineCitation Status="MEDLINE" Owner="NLM" IndexingMethod="Automated">\n'
        f"<PMID{attribute}>{pmid}</PMID>\n"
        f"{_date('DateCompleted', year, month, day)}\n"
        f"{_date('DateRevised', 2025, 1 + revision % 12, 1 + revision % 28)}\n"
        '<Article PubModel="Print-Electronic">\n'
        f'<Journal><ISSN IssnType="Print">{issn}</ISSN><JournalIssue CitedMedium="Print">'
        f"<Volume>{pmid % 90 + 1}</Volume><Issue>{pmid % 12 + 1}</Issue>"
        f"<PubDate><Year>{year}</Year><Month>{month:02d}</Month></PubDate></JournalIssue>"
        f"<Title>{escape(journal)}</Title><ISOAbbreviation>{escape(abbreviation)}"
        "</ISOAbbreviation></Journal>\n"
        f"<ArticleTitle>{title}</ArticleTitle>\n"
        f"<Pagination><MedlinePgn>{pmid % 900 + 1}-{pmid % 900 + 9}</MedlinePgn></Pagination>\n"
        f'<ELocationID EIdType="doi" ValidYN="Y">{doi}</ELocationID>\n'
        f"<Abstract>{abstract}</Abstract>\n"
        f'<AuthorList CompleteYN="Y">{"".join(authors)}</AuthorList>\n'
        "<Language>eng</Language>\n"
        + (f'<GrantList CompleteYN="Y">{grants}</GrantList>\n' if grants else "")
        + '<PublicationTypeList><PublicationType UI="D016428">Journal Article</PublicationType>'
        "</PublicationTypeList>\n"
        "</Article>\n"
        f"<MedlineJournalInfo><Country>United States</Country><MedlineTA>{escape(abbreviation)}"
        f"</MedlineTA><NlmUniqueID>{nlm_id}</NlmUniqueID><ISSNLinking>{issn}</ISSNLinking>"
        "</MedlineJournalInfo>\n"
        + (
            '<ChemicalList><Chemical><RegistryNumber>0</RegistryNumber><NameOfSubstance UI="D014409">'
            "Tumor Necrosis Factor-alpha</NameOfSubstance></Chemical></ChemicalList>\n"
            if rng.random() < 0.4
            else ""
        )
        + "<CitationSubset>IM</CitationSubset>\n"
        f"<MeshHeadingList>{''.join(headings)}</MeshHeadingList>\n"
        + (f'<KeywordList Owner="NOTNLM">{keywords}</KeywordList>\n' if keywords else "")
        + "</MedlineCitation>\n"
        "<PubmedData><History>"
        f'<PubMedPubDate PubStatus="received"><Year>{year}</Year><Month>{month}</Month>'
        f"<Day>{day}</Day></PubMedPubDate>"
        f'<PubMedPubDate PubStatus="entrez"><Year>{year}</Year><Month>{month}</Month>'
        f"<Day>{day}</Day><Hour>6</Hour><Minute>0</Minute></PubMedPubDate>"
        "</History><PublicationStatus>ppublish</PublicationStatus>"
        f'<ArticleIdList><ArticleId IdType="pubmed">{pmid}</ArticleId>'
        f'<ArticleId IdType="doi">{doi}</ArticleId></ArticleIdList></PubmedData>\n'
        "</PubmedArticle>\n"
    )


def deletion_xml(pmids: Sequence[tuple[int, int | None]]) -> str:
    """One ``<DeleteCitation>`` of ``(pmid, version)`` pairs (version ``None``: no attribute)."""
    lines = [
        f"<PMID>{pmid}</PMID>" if version is None else f'<PMID Version="{version}">{pmid}</PMID>'
        for pmid, version in pmids
    ]
    return "<DeleteCitation>\n" + "\n".join(lines) + "\n</DeleteCitation>\n"


def _parts(events: Sequence[Event]) -> Iterator[str]:
    yield _HEADER
    pending: list[tuple[int, int | None]] = []
    for kind, pmid, version, revision in events:
        if kind == "delete":
            pending.append((pmid, version))
            continue
        if pending:
            yield deletion_xml(pending)
            pending = []
        yield article_xml(pmid, version, revision)
    if pending:
        yield deletion_xml(pending)
    yield _FOOTER


def pubmed_file(events: Sequence[Event]) -> str:
    """A whole PubMed XML file of *events* in order (consecutive deletions share a notice)."""
    return "".join(_parts(events))


def write_pubmed_file(path: Path, events: Sequence[Event]) -> Path:
    """Write :func:`pubmed_file` to *path*, record by record (gzip-compressed when the name ends
    in ``.gz``)."""
    if path.name.endswith(".gz"):
        with (
            open(path, "wb") as raw,
            gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=1, mtime=0) as handle,
        ):
            for part in _parts(events):
                handle.write(part.encode("utf-8"))
    else:
        with open(path, "w", encoding="utf-8", newline="") as text:
            for part in _parts(events):
                text.write(part)
    return path


def baseline_and_updates(
    *,
    seed: int = 0,
    baseline_files: int = 3,
    baseline_records: int = 200,
    update_files: int = 3,
    update_records: int = 60,
    year: int = 25,
    new_versions: float = 0.01,
    older_versions: float = 0.005,
    deletions: float = 0.05,
) -> Iterator[tuple[str, list[Event]]]:
    """``(file name, events)`` of a baseline and its update files, in NLM's order and naming.

    Update files revise earlier records (60%) and add new ones; a share *new_versions* of their
    records are a new version of an earlier record and *older_versions* re-issue an older version
    of a record held in a newer one; each deletes records held, as many as a share *deletions* of
    its records (a few at another version than the one held, and a few PMIDs never seen), and a
    deleted record comes back now and then.
    """
    rng = random.Random(seed)
    next_pmid = FIRST_PMID
    held: dict[int, int] = {}  # pmid -> highest version issued
    revisions: dict[int, int] = {}
    number = 1
    for _ in range(baseline_files):
        events: list[Event] = []
        for _ in range(baseline_records):
            pmid = next_pmid
            next_pmid += 1
            held[pmid] = 1
            revisions[pmid] = 0
            events.append(("article", pmid, 1, 0))
        yield f"pubmed{year:02d}n{number:04d}.xml.gz", events
        number += 1
    deleted: list[int] = []
    versioned: list[int] = []
    for _ in range(update_files):
        events = []
        pool = list(held)
        for _ in range(update_records):
            draw = rng.random()
            if draw < new_versions and pool:
                pmid = rng.choice(pool)
                held[pmid] = held.get(pmid, 1) + 1
                versioned.append(pmid)
                events.append(("article", pmid, held[pmid], revisions.get(pmid, 0)))
            elif draw < new_versions + older_versions and versioned:
                pmid = rng.choice(versioned)
                events.append(("article", pmid, 1, revisions.get(pmid, 0) + 100))
            elif draw < 0.6 and pool:
                pmid = rng.choice(pool)
                revisions[pmid] = revisions.get(pmid, 0) + 1
                events.append(("article", pmid, held.get(pmid, 1), revisions[pmid]))
            elif draw < 0.61 and deleted:
                pmid = deleted.pop()
                held[pmid] = 1
                events.append(("article", pmid, 1, revisions.get(pmid, 0) + 1))
            else:
                pmid = next_pmid
                next_pmid += 1
                held[pmid] = 1
                revisions[pmid] = 0
                events.append(("article", pmid, 1, 0))
        for _ in range(max(1, round(update_records * deletions))):
            pmid = rng.choice(pool) if rng.random() < 0.9 else next_pmid + 10_000
            version = held.get(pmid, 1)
            if rng.random() < 0.05:
                version += 1  # a version not held: nothing is deleted
            events.insert(rng.randrange(len(events) + 1), ("delete", pmid, version, 0))
            if pmid in held and version == held[pmid]:
                del held[pmid]
                deleted.append(pmid)
        yield f"pubmed{year:02d}n{number:04d}.xml.gz", events
        number += 1
