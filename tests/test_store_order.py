"""The rules of the current view (store/order.py): PubMed's file order, versions, deletions."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medline_parse import Article, Deletion
from medline_parse.store.order import (
    Outcome,
    View,
    article_outcome,
    deletion_outcome,
    order_files,
    pubmed_file_key,
)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("pubmed25n0001.xml.gz", (25, 1)),
        ("pubmed25n1275.xml", (25, 1275)),
        ("/data/updatefiles/pubmed24n1520.xml.gz", (24, 1520)),
        ("PUBMED25N0002.XML.GZ", (25, 2)),
        ("pubmed25n12345.xml.gz", (25, 12345)),
        ("pubmed25n0001.xml.gz.md5", (25, 1)),
        ("pubmed_250101.xml", None),
        ("my-pubmed25n0001.xml", None),
        ("pubmed25n001.xml", None),
        ("search.txt", None),
    ],
)
def test_pubmed_file_key(name: str, key: tuple[int, int] | None) -> None:
    assert pubmed_file_key(name) == key


def test_pubmed_file_key_looks_at_the_name_not_the_folder() -> None:
    assert pubmed_file_key("pubmed25n0001/search.txt") is None
    assert pubmed_file_key(Path("a") / "pubmed25n0009.xml") == (25, 9)


def test_order_files_sorts_pubmed_files_by_year_and_number() -> None:
    given_order = [
        "update/pubmed25n1276.xml.gz",
        "baseline/pubmed25n0002.xml.gz",
        "update/pubmed25n1275.xml.gz",
        "old/pubmed24n1500.xml.gz",
        "baseline/pubmed25n0001.xml.gz",
    ]
    assert order_files(given_order) == [
        "old/pubmed24n1500.xml.gz",
        "baseline/pubmed25n0001.xml.gz",
        "baseline/pubmed25n0002.xml.gz",
        "update/pubmed25n1275.xml.gz",
        "update/pubmed25n1276.xml.gz",
    ]


def test_order_files_keeps_other_files_where_they_were_given() -> None:
    given_order = ["b.txt", "pubmed25n0002.xml", "a.txt", "pubmed25n0001.xml", "c.xml"]
    assert order_files(given_order) == [
        "b.txt",
        "pubmed25n0001.xml",
        "a.txt",
        "pubmed25n0002.xml",
        "c.xml",
    ]


_NAMES = st.one_of(
    st.builds(
        lambda y, n: f"pubmed{y:02d}n{n:04d}.xml.gz",
        st.integers(20, 26),
        st.integers(1, 1400),
    ),
    st.from_regex(r"[a-z]{1,8}\.(txt|xml)", fullmatch=True),
)


@given(st.lists(_NAMES, unique=True), st.randoms())
def test_order_files_properties(names: list[str], rng: object) -> None:
    ordered = order_files(names)
    assert sorted(ordered) == sorted(names)  # a permutation
    for i, name in enumerate(names):  # other files stay in place
        if pubmed_file_key(name) is None:
            assert ordered[i] == name
    keys = [pubmed_file_key(n) for n in ordered if pubmed_file_key(n) is not None]
    assert keys == sorted(keys)  # type: ignore[type-var]
    shuffled = list(names)
    rng.shuffle(shuffled)  # type: ignore[attr-defined]
    pubmed_only = [n for n in shuffled if pubmed_file_key(n) is not None]
    assert order_files(pubmed_only) == [n for n in ordered if pubmed_file_key(n) is not None]


@pytest.mark.parametrize(
    ("held", "held_version", "version", "outcome"),
    [
        (False, None, 1, Outcome.ADDED),
        (False, None, None, Outcome.ADDED),
        (True, 1, 1, Outcome.REPLACED),
        (True, 1, 2, Outcome.REPLACED),
        (True, 2, 1, Outcome.OLDER),
        (True, 3, 2, Outcome.OLDER),
        (True, None, 1, Outcome.REPLACED),
        (True, 2, None, Outcome.REPLACED),
    ],
)
def test_article_outcome(
    held: bool, held_version: int | None, version: int | None, outcome: Outcome
) -> None:
    assert article_outcome(held, held_version, version) is outcome


@pytest.mark.parametrize(
    ("held", "held_version", "version", "outcome"),
    [
        (False, None, 1, Outcome.ABSENT),
        (False, None, None, Outcome.ABSENT),
        (True, 1, 1, Outcome.DELETED),
        (True, 2, 2, Outcome.DELETED),
        (True, 2, 1, Outcome.ABSENT),
        (True, 1, 2, Outcome.ABSENT),
        (True, None, 3, Outcome.DELETED),
        (True, 2, None, Outcome.DELETED),
    ],
)
def test_deletion_outcome(
    held: bool, held_version: int | None, version: int | None, outcome: Outcome
) -> None:
    assert deletion_outcome(held, held_version, version) is outcome


def _article(pmid: str, version: int | None, title: str) -> Article:
    return Article(pmid=pmid, pmid_version=version, title=title)


def test_view_follows_the_rules_event_by_event() -> None:
    view = View()
    assert view.apply(_article("1", 1, "one")) == [("1", Outcome.ADDED)]
    assert view.apply(_article("1", 1, "one again")) == [("1", Outcome.REPLACED)]
    assert view.apply(_article("1", 2, "two")) == [("1", Outcome.REPLACED)]
    assert view.apply(_article("1", 1, "old one")) == [("1", Outcome.OLDER)]
    assert view.articles["1"].title == "two"
    deletion = Deletion(("1", "1", "9"), (1, 2, None))
    assert view.apply(deletion) == [
        ("1", Outcome.ABSENT),
        ("1", Outcome.DELETED),
        ("9", Outcome.ABSENT),
    ]
    assert view.articles == {}
    assert view.apply(_article("1", 1, "back")) == [("1", Outcome.ADDED)]
    assert view.articles["1"].title == "back"


def test_view_keys_an_article_without_pmid_by_its_content() -> None:
    first = Article(title="no PMID")
    view = View().apply_all([first, Article(title="no PMID"), Article(title="another")])
    assert len(view.articles) == 2
    key = next(k for k, a in view.articles.items() if a == first)
    assert key.startswith("sha1:")
