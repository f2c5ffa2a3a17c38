"""Every record of ../shared/corpus, typed, checked against its own raw fields.

The expected attachment of every AD, AUID and IRAD is worked out here from the raw field sequence with
a loop of this module's own; the builder's code is never used to compute an expectation.  Each file
is read once (a module-scoped fixture) and every check runs over all of its records.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from medline_parse import Article, Author, Record, iter_records, parse
from medline_parse.medline.builder import build_article
from medline_parse.medline.fields import article_fields
from medline_parse.medline.tags import COMMENT_TAGS

from .conftest import corpus_params

Pairs = list[tuple[str, str]]
Loaded = list[tuple[Record, Pairs, Article]]


@pytest.fixture(scope="module", params=corpus_params())
def loaded(request: pytest.FixtureRequest) -> tuple[Path, Loaded]:
    path: Path = request.param
    records = [record for record in iter_records(path) if record.fields]
    articles = list(parse(path))
    assert records, f"{path.name}: no record"
    assert len(articles) == len(records), path.name
    out: Loaded = []
    for record, article in zip(records, articles, strict=True):
        pairs = [(field.tag, field.value) for field in record.fields]
        out.append((record, pairs, article))
    return path, out


def _where(path: Path, record: Record) -> str:
    return f"{path.name}:{record.line} (PMID {record.pmid})"


def _values(pairs: Pairs, tag: str) -> list[str]:
    return [value for field_tag, value in pairs if field_tag == tag]


# --------------------------------------------------------------------------------------------------
# The expected people, from the raw field sequence

# name tag -> (list, slot); a pair is the two name tags of one person, printed one right after the other
NAME_TAGS = {
    "FAU": ("authors", "full"),
    "AU": ("authors", "short"),
    "CN": ("authors", "group"),
    "FIR": ("investigators", "full"),
    "IR": ("investigators", "short"),
    "FED": ("editors", "full"),
    "ED": ("editors", "short"),
    "FPS": ("personal_name_subjects", "full"),
    "PS": ("personal_name_subjects", "short"),
}
PAIRS = {("FAU", "AU"), ("FIR", "IR"), ("IR", "FIR"), ("FED", "ED"), ("PS", "FPS"), ("FPS", "PS")}


class Expected:
    """What a record's people should look like, worked out from its fields alone."""

    def __init__(self, pairs: Pairs) -> None:
        self.people: dict[str, list[dict[str, Any]]] = {
            "authors": [],
            "investigators": [],
            "editors": [],
            "personal_name_subjects": [],
        }
        self.record_affiliations: list[str] = []
        self.stray: Pairs = []
        owner: dict[str, Any] | None = None  # the person the last name tag started
        owner_list = ""
        owner_tags: list[str] = []  # the name tags that person already has
        for index, (tag, value) in enumerate(pairs):
            before = pairs[index - 1][0] if index else ""
            if tag in NAME_TAGS:
                kind, slot = NAME_TAGS[tag]
                completes = (
                    owner is not None
                    and owner_tags == [before]
                    and (before, tag) in PAIRS
                    and owner_list == kind
                )
                if completes:
                    assert owner is not None
                    owner[slot] = value
                    owner_tags.append(tag)
                else:
                    owner = {"full": None, "short": None, "group": None, "ids": [], "ads": []}
                    owner[slot] = value
                    owner_list, owner_tags = kind, [tag]
                    self.people[kind].append(owner)
            elif tag == "AD":
                if owner is None:
                    self.record_affiliations.append(value)
                elif owner_list in ("authors", "editors"):
                    owner["ads"].append(value)
                else:
                    self.stray.append((tag, value))
            elif tag == "IRAD":
                if owner is not None and owner_list == "investigators":
                    owner["ads"].append(value)
                else:
                    self.stray.append((tag, value))
            elif tag == "AUID":
                if owner is not None:
                    owner["ids"].append(value)
                else:
                    self.stray.append((tag, value))

    def of(self, kind: str) -> list[tuple[Any, ...]]:
        return [
            (p["full"], p["short"], p["group"], tuple(p["ids"]), tuple(p["ads"]))
            for p in self.people[kind]
        ]


def _as_tuples(people: Iterable[Author]) -> list[tuple[Any, ...]]:
    return [
        (
            p.full_name,
            p.name,
            p.collective_name,
            tuple(i.text for i in p.identifiers),
            p.affiliations,
        )
        for p in people
    ]


def test_author_count(loaded: tuple[Path, Loaded]) -> None:
    path, items = loaded
    for record, pairs, article in items:
        tags = [tag for tag, _ in pairs]
        au_alone = sum(
            1 for i, tag in enumerate(tags) if tag == "AU" and (i == 0 or tags[i - 1] != "FAU")
        )
        expected = tags.count("FAU") + tags.count("CN") + au_alone
        assert len(article.authors) == expected, _where(path, record)
        assert [a.name for a in article.authors if a.name is not None] == _values(pairs, "AU")
        assert [a.full_name for a in article.authors if a.full_name is not None] == _values(
            pairs, "FAU"
        )
        assert [a.collective_name for a in article.authors if a.is_collective] == _values(
            pairs, "CN"
        )


def test_people_and_their_attachments(loaded: tuple[Path, Loaded]) -> None:
    path, items = loaded
    for record, pairs, article in items:
        expected = Expected(pairs)
        where = _where(path, record)
        assert _as_tuples(article.authors) == expected.of("authors"), where
        assert _as_tuples(article.investigators) == expected.of("investigators"), where
        assert _as_tuples(article.editors) == expected.of("editors"), where
        assert _as_tuples(article.personal_name_subjects) == expected.of(
            "personal_name_subjects"
        ), where
        assert list(article.affiliations) == expected.record_affiliations, where
        people_extra = [(t, v) for t, v in article.extra if t in ("AD", "AUID", "IRAD")]
        assert people_extra == expected.stray, where


_INITIALS_ONLY = re.compile(r"[A-Z]{1,4}\Z")


def test_name_parts(loaded: tuple[Path, Loaded]) -> None:
    # "Last INITIALS" short names: the initials are the initials, whatever the letters ("Arndt V",
    # "Ivanov IV"), and the last name is the full name's
    path, items = loaded
    for record, _, article in items:
        people = (*article.authors, *article.investigators, *article.editors)
        for person in people:
            if person.is_collective or person.is_et_al:
                continue
            if person.last_name is None:  # only when no name is given ("FAU - " in a test file)
                assert not (person.full_name or person.name), (_where(path, record), person)
            words = (person.name or "").split(" ")
            if len(words) == 2 and _INITIALS_ONLY.match(words[1]):
                assert person.initials == words[1], (_where(path, record), person)
                assert person.suffix is None, (_where(path, record), person)
            if person.full_name and ", " in person.full_name:
                last, _, fore = person.full_name.partition(", ")
                assert person.last_name == last
                assert person.fore_name is not None and fore.startswith(person.fore_name)


# --------------------------------------------------------------------------------------------------
# Indexing, identifiers and links: complete and in order

_TYPED = re.compile(r"(.*) \[([^\[\]]*)\]\Z", re.DOTALL)


def _id_parts(value: str) -> tuple[str, str | None]:
    match = _TYPED.match(value)
    return (match.group(1), match.group(2)) if match else (value, None)


def test_mesh_headings(loaded: tuple[Path, Loaded]) -> None:
    path, items = loaded
    for record, pairs, article in items:
        values = _values(pairs, "MH")
        assert [h.text for h in article.mesh] == values, _where(path, record)
        for heading, value in zip(article.mesh, values, strict=True):
            assert heading.major == value.startswith("*")
            assert len(heading.qualifiers) == value.count("/")
            assert [q.major for q in heading.qualifiers] == [
                q.startswith("*") for q in value.split("/")[1:]
            ]


def test_history_and_record_dates(loaded: tuple[Path, Loaded]) -> None:
    path, items = loaded
    for record, pairs, article in items:
        where = _where(path, record)
        values = _values(pairs, "PHST")
        with_status = [v for v in values if _TYPED.match(v)]
        assert [str(event) for event in article.history] == with_status, where
        assert [event.status for event in article.history] == [_id_parts(v)[1] for v in with_status]
        for event, value in zip(article.history, with_status, strict=True):
            date_text = _id_parts(value)[0]
            if re.fullmatch(r"\d{4}/\d\d/\d\d \d\d:\d\d", date_text) and event.is_valid:
                assert isinstance(event.date, datetime.datetime), where
            elif re.fullmatch(r"\d{4}/\d\d/\d\d", date_text) and event.is_valid:
                assert type(event.date) is datetime.date, where
        invalid = {d.line for d in article.diagnostics if d.code == "invalid-date"}
        for field in record.fields:
            if field.line in invalid and field.tag != "PHST":
                assert article.get(field.tag) in (field.value, [field.value]), where
        for attribute in ("completed_date", "revised_date", "electronic_date", "created_date"):
            value = getattr(article, attribute)
            assert value is None or isinstance(value, (datetime.date, str)), where
            assert not isinstance(value, datetime.datetime)
        for attribute in ("entrez_date", "mesh_date", "create_date"):
            value = getattr(article, attribute)
            if isinstance(value, str):
                assert any(d.code == "invalid-date" for d in article.diagnostics), where


def test_identifiers(loaded: tuple[Path, Loaded]) -> None:
    path, items = loaded
    for record, pairs, article in items:
        where = _where(path, record)
        aids = [_id_parts(v) for v in _values(pairs, "AID")]
        lids = [_id_parts(v) for v in _values(pairs, "LID")]
        assert [(i.value, i.type) for i in article.article_ids] == aids, where
        assert [(i.value, i.type) for i in article.location_ids] == lids, where
        dois = [value for value, kind in aids + lids if kind == "doi"]
        assert article.doi == (dois[0] if dois else None), where
        assert article.pmcid == (_values(pairs, "PMC") or [None])[0], where


def test_keywords(loaded: tuple[Path, Loaded]) -> None:
    path, items = loaded
    for record, pairs, article in items:
        expected: list[tuple[str, str | None]] = []
        owner: str | None = None
        for tag, value in pairs:
            if tag == "OTO":
                owner = value
            elif tag == "OT":
                expected.append((value, owner))
        assert [(k.text, k.owner) for k in article.keywords] == expected, _where(path, record)


def test_grants_chemicals_relations(loaded: tuple[Path, Loaded]) -> None:
    path, items = loaded
    for record, pairs, article in items:
        where = _where(path, record)
        grants = _values(pairs, "GR")
        assert [g.text for g in article.grants] == grants, where
        for grant, value in zip(article.grants, grants, strict=True):
            parts = value.split("/")
            if len(parts) >= 2:
                assert (grant.agency, grant.country) == (parts[-2], parts[-1]), where
        assert [c.text for c in article.chemicals] == _values(pairs, "RN"), where
        relations = [(tag, value) for tag, value in pairs if tag in COMMENT_TAGS]
        assert [(r.kind, r.text) for r in article.relations] == relations, where
        for relation, (_, value) in zip(article.relations, relations, strict=True):
            match = re.search(r"PMID: (\d+)\Z", value)
            assert relation.pmid == (match.group(1) if match else None), where


# --------------------------------------------------------------------------------------------------
# Nothing dropped


def test_every_value_is_found_again(loaded: tuple[Path, Loaded]) -> None:
    path, items = loaded
    for record, pairs, article in items:
        given = Counter(pairs)
        found = Counter(article_fields(article))
        assert given == found, (_where(path, record), given - found, found - given)


def test_parse_agrees_with_build_article(loaded: tuple[Path, Loaded]) -> None:
    path, items = loaded
    for record, _, article in items:
        built = build_article(record)
        assert article == built, _where(path, record)
        assert article.diagnostics == built.diagnostics, _where(path, record)
        assert article.field_order == record.tags
