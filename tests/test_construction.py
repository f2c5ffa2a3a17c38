"""direct_constructor: the converter-free constructors the builder uses for authors and articles."""

from __future__ import annotations

import attrs
import pytest

from medline_parse.model import Article, Author, AuthorIdentifier, Journal, PubDate
from medline_parse.model.construction import direct_constructor


def test_positional_and_keyword_arguments_give_what_the_class_gives() -> None:
    make = direct_constructor(Author)
    ids = (AuthorIdentifier("0000-0002-1825-0097", "ORCID"),)
    expected = Author("Okafor, Ada N", "Okafor AN", None, ids, ("Dept of Chemistry, Lagos.",))
    assert make("Okafor, Ada N", "Okafor AN", None, ids, ("Dept of Chemistry, Lagos.",)) == expected
    built = make(full_name="Okafor, Ada N", name="Okafor AN", identifiers=ids)
    assert built == Author("Okafor, Ada N", "Okafor AN", identifiers=ids)
    assert built.affiliations == ()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        built.name = "Other"  # type: ignore[misc]


def test_absent_arguments_take_the_defaults_and_factory_defaults_are_made_once() -> None:
    make = direct_constructor(Article)
    a, b = make(pmid="1"), make(pmid="2")
    assert a == Article(pmid="1")
    assert a.journal == Journal() and a.journal is b.journal  # immutable, so shared
    assert a.field_order is None and a.diagnostics == ()
    assert attrs.evolve(a, title="T") == Article(pmid="1", title="T")


def test_no_converter_or_validator_runs() -> None:
    # what makes it fast is also its contract: the values are stored exactly as given
    affiliations = ["a list, not a tuple"]
    assert direct_constructor(Author)(affiliations=affiliations).affiliations is affiliations
    assert Author(affiliations=affiliations).affiliations == ("a list, not a tuple",)
    assert direct_constructor(PubDate)(month=13).month == 13
    with pytest.raises(ValueError, match="month"):
        PubDate(month=13)


def test_a_mutable_factory_default_is_refused() -> None:
    @attrs.frozen
    class Holder:
        items: list[str] = attrs.field(factory=list)

    with pytest.raises(TypeError, match="unhashable"):
        direct_constructor(Holder)
