"""MkDocs hook: tables generated from the code, so the documentation cannot go stale.

A page asks for a table with a marker comment on a line of its own:

``<!-- medline:article -->``
    every :class:`~medline_parse.Article` attribute, its type, the MEDLINE tag(s) it is written as,
    and its docstring;
``<!-- medline:people -->``
    which tag each :class:`~medline_parse.Author` attribute is written as, in each list of people;
``<!-- medline:class NAME -->``
    the attributes and properties of one value class (``MeshHeading``, ``PubDate`` ...);
``<!-- medline:tags -->``
    the tag registry :data:`medline_parse.TAGS`, with the attribute that holds each tag;
``<!-- medline:styles -->``
    the wrap styles of :mod:`medline_parse.medline.wrap`;
``<!-- medline:formats -->``
    the format registry :data:`medline_parse.convert.registry.FORMATS`.

The tag of an attribute is not written down anywhere here: it is read from the table the builder
and the writer work from, :data:`medline_parse.medline.mapping.HOMES` (``tests/test_mapping.py``
checks that both agree with it).  An attribute of the model that no row names fails the build.

The functions below need only ``medline_parse``; ``tests/test_docs.py`` runs them too.
"""

from __future__ import annotations

import inspect
import re
from typing import Any

import attrs

import medline_parse as mp
from medline_parse._docs import attribute_docs
from medline_parse.medline import wrap
from medline_parse.medline.mapping import HOMES, people_lists, tags_of
from medline_parse.medline.tags import TAGS, canonical_position

__all__ = [
    "VALUE_CLASSES",
    "article_tags",
    "class_table",
    "docstrings",
    "formats_table",
    "on_page_markdown",
    "people_tags",
    "render",
    "tag_attributes",
]

VALUE_CLASSES: dict[str, type] = {
    "Journal": mp.Journal,
    "Author": mp.Author,
    "AuthorIdentifier": mp.AuthorIdentifier,
    "MeshHeading": mp.MeshHeading,
    "MeshQualifier": mp.MeshQualifier,
    "Keyword": mp.Keyword,
    "Chemical": mp.Chemical,
    "Grant": mp.Grant,
    "Relation": mp.Relation,
    "ArticleId": mp.ArticleId,
    "Issn": mp.Issn,
    "OtherAbstract": mp.OtherAbstract,
    "PubDate": mp.PubDate,
    "HistoryEvent": mp.HistoryEvent,
    "AbstractSection": mp.AbstractSection,
    "Reference": mp.Reference,
    "Deletion": mp.Deletion,
}
"""The classes a ``<!-- medline:class NAME -->`` marker may name."""

PEOPLE: tuple[str, ...] = tuple(
    field.name for field in attrs.fields(mp.Article) if field.name in people_lists()
)
"""The lists of people, in the model's order."""

# Attributes that are no MEDLINE field, with what the table says instead.
_NOT_FIELDS = {
    "pmid_version": "(PubMed XML only)",
    "abstract_sections": "(PubMed XML only)",
    "publisher_dates": "(PubMed XML only)",
    "references": "(PubMed XML only)",
    "extra": "any other tag",
    "diagnostics": "(none)",
    "field_order": "(none)",
}
# A person's tags as the writer prints them: names, identifiers, affiliations (a group's name
# stands alone).
_PART_ORDER = {"full_name": 0, "name": 0, "identifiers": 1, "affiliations": 2}


def _person_order(tag: str) -> tuple[int, int]:
    return _PART_ORDER.get(HOMES[tag].part or "", 3), canonical_position(tag)


def article_tags() -> dict[str, tuple[str, ...]]:
    """Every Article attribute and the MEDLINE tags it is written as (empty for non-fields)."""
    out: dict[str, tuple[str, ...]] = {}
    for field in attrs.fields(mp.Article):
        if field.name in _NOT_FIELDS:
            out[field.name] = ()
            continue
        if field.name == "journal":
            tags = tuple(tag for tag, row in HOMES.items() if row.attribute.startswith("journal."))
        elif field.name in PEOPLE:
            tags = tuple(sorted(tags_of(field.name), key=_person_order))
        else:
            tags = tags_of(field.name)
        if not tags:
            raise RuntimeError(
                f"docs hook: Article.{field.name} is in no row of "
                "medline_parse.medline.mapping.HOMES"
            )
        out[field.name] = tags
    return out


def people_tags() -> dict[str, dict[str, tuple[str, ...]]]:
    """For each list of people, the tag each Author attribute is written as (empty: none)."""
    return {
        people: {field.name: tags_of(people, field.name) for field in attrs.fields(mp.Author)}
        for people in PEOPLE
    }


def journal_tags() -> dict[str, tuple[str, ...]]:
    """The tag each Journal attribute is written as."""
    return {field.name: tags_of(f"journal.{field.name}") for field in attrs.fields(mp.Journal)}


def tag_attributes() -> dict[str, list[str]]:
    """Every tag the model writes, and where an Article holds it (``journal.title``,
    ``authors[].affiliations``, ``mesh``)."""
    out: dict[str, list[str]] = {}

    def add(tags: tuple[str, ...], where: str) -> None:
        for tag in tags:
            if where not in out.setdefault(tag, []):
                out[tag].append(where)

    people = people_tags()
    for name, tags in article_tags().items():
        if name == "journal":
            for attribute, journal in journal_tags().items():
                add(journal, f"journal.{attribute}")
        elif name in people:
            for attribute, person in people[name].items():
                add(person, f"{name}[].{attribute}")
        else:
            add(tags, name)
    return out


# -- docstrings ------------------------------------------------------------------------------------


def docstrings(cls: type) -> dict[str, str]:
    """The attribute docstrings of a class (the string right after each annotated attribute), as
    ``help()`` shows them."""
    return attribute_docs(cls)


_ROLE = re.compile(r":[a-z]+:`~?(?:[\w.]+\.)?([\w]+)`")
_LITERAL = re.compile(r"``(.+?)``")
_CODE_SPAN = re.compile(r"(`[^`]*`)")
_PLURAL = re.compile(r"(`[^`\n]+`)\\? s\b")


def _md(text: str) -> str:
    """reST docstring text as one line of Markdown fit for a table cell."""
    text = _ROLE.sub(r"`\1`", text)
    text = _LITERAL.sub(r"`\1`", text)
    text = _PLURAL.sub(r"\1s", text)
    text = " ".join(text.split())
    pieces = _CODE_SPAN.split(text)
    return "".join(p if p.startswith("`") else p.replace("|", "\\|") for p in pieces)


def _summary(obj: object) -> str:
    doc = inspect.getdoc(obj) or ""
    return _md(doc.split("\n\n")[0])


def _tags_cell(tags: tuple[str, ...]) -> str:
    return " ".join(f"`{tag}`" for tag in tags)


# -- tables ----------------------------------------------------------------------------------------


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return "\n".join(lines)


def article_table() -> str:
    tags = article_tags()
    docs = docstrings(mp.Article)
    rows = []
    for field in attrs.fields(mp.Article):
        cell = _tags_cell(tags[field.name]) or _NOT_FIELDS[field.name]
        rows.append((f"`{field.name}`", f"`{field.type}`", cell, _md(docs.get(field.name, ""))))
    properties = [
        (f"`{name}`", "property", "(read from the above)", _summary(member))
        for name, member in inspect.getmembers(mp.Article)
        if isinstance(member, property)
    ]
    return _table(("attribute", "type", "tags", "meaning"), rows + properties)


def people_table() -> str:
    tags = people_tags()
    rows = []
    for field in attrs.fields(mp.Author):
        rows.append((f"`{field.name}`", *(_tags_cell(tags[p][field.name]) or "-" for p in PEOPLE)))
    return _table(("Author attribute", *(f"`{p}`" for p in PEOPLE)), rows)


def _held_by(cls: type) -> list[str]:
    pattern = re.compile(rf"\b{cls.__name__}\b")
    found = []
    tags = article_tags()
    for field in attrs.fields(mp.Article):
        if pattern.search(str(field.type)):
            found.append(f"`Article.{field.name}` ({_tags_cell(tags[field.name])})")
    for field in attrs.fields(mp.Journal):
        if pattern.search(str(field.type)):
            found.append(f"`Journal.{field.name}`")
    for field in attrs.fields(mp.Author):
        if pattern.search(str(field.type)):
            found.append(f"`Author.{field.name}`")
    for field in attrs.fields(mp.MeshHeading):
        if pattern.search(str(field.type)):
            found.append(f"`MeshHeading.{field.name}`")
    return found


def class_table(name: str) -> str:
    """The attributes and properties of one value class, and where the model holds it."""
    cls = VALUE_CLASSES.get(name)
    if cls is None:
        raise RuntimeError(f"docs hook: unknown class {name!r}; known: {', '.join(VALUE_CLASSES)}")
    docs = docstrings(cls)
    rows = [
        (f"`{field.name}`", f"`{field.type}`", _md(docs.get(field.name, "")))
        for field in attrs.fields(cls)
    ]
    rows.extend(
        (f"`{member_name}`", "property", _summary(member))
        for member_name, member in inspect.getmembers(cls)
        if isinstance(member, property)
    )
    rows.extend(
        (f"`{member_name}()`", "method", _summary(member))
        for member_name, member in inspect.getmembers(cls)
        if not member_name.startswith("_")
        and (inspect.isfunction(member) or inspect.ismethod(member))
    )
    held = _held_by(cls)
    out = f"{_summary(cls)}\n\n"
    if held:
        out += "Held by " + ", ".join(held) + ".\n\n"
    return out + _table(("name", "type", "meaning"), rows)


def tag_table() -> str:
    """The tag registry with the Article attribute(s) holding each tag."""
    homes = tag_attributes()
    rows = []
    for tag, info in TAGS.items():
        attributes = ", ".join(f"`{name}`" for name in homes.get(tag, ())) or "`extra`"
        rows.append(
            (f"`{tag}`", info.name, "yes" if info.repeatable else "no", info.group, attributes)
        )
    return _table(("tag", "name", "repeats", "group", "Article attribute"), rows)


def styles_table() -> str:
    notes = {
        "pubmed": "PubMed since spring 2022 (web export and efetch)",
        "pubmed-2020": "PubMed web export, mid-2020 to early 2022",
        "legacy": "web export before 2020, efetch before 2022",
    }
    rows = []
    for style in wrap.STYLES:
        width = wrap.WIDTHS[style]
        rows.append((f'`"{style}"`', str(width), str(width + 6), notes.get(style, "")))
    return _table(("style", "value characters per line", "columns", "written by"), rows)


def formats_table() -> str:
    """The format registry: what medline-parse reads and writes."""
    from medline_parse.convert.registry import FORMATS

    rows = []
    for fmt in FORMATS:
        does = " and ".join(
            word for word, present in (("read", fmt.reader), ("written", fmt.writer)) if present
        )
        kind = "a database file" if fmt.to_path else ("binary" if fmt.binary else "text")
        options = ", ".join(f"`{option}`" for option in fmt.options) or "-"
        needs = ", ".join(f"`[{extra.extra}]`" for extra in fmt.extras) or "-"
        rows.append(
            (
                f"`{fmt.name}`",
                _md(fmt.summary),
                " ".join(f"`{ext}`" for ext in fmt.extensions),
                does,
                kind,
                options,
                needs,
            )
        )
    header = ("`--to`", "what", "extensions", "", "output", "options", "needs")
    return _table(header, rows)


_MARKER = re.compile(r"^<!-- medline:([a-z-]+)(?: ([A-Za-z]+))? -->$", re.MULTILINE)


def render(name: str, argument: str | None) -> str:
    """The Markdown of one marker."""
    if name == "article":
        return article_table()
    if name == "people":
        return people_table()
    if name == "class" and argument:
        return class_table(argument)
    if name == "tags":
        return tag_table()
    if name == "styles":
        return styles_table()
    if name == "formats":
        return formats_table()
    raise RuntimeError(f"docs hook: unknown marker medline:{name}")


def on_page_markdown(markdown: str, **_: Any) -> str:
    """MkDocs event: replace each marker with its table."""
    return _MARKER.sub(lambda match: render(match.group(1), match.group(2)), markdown)
