"""The writer: articles (or records) back to MEDLINE text, in PubMed's exact layout.

:func:`dumps` and :func:`write` lay out each field with the wrap rule of the chosen style
(:mod:`medline_parse.wrap`) in PubMed's tag order; an article read from text keeps the order its
fields came in (:func:`medline_parse.medline.order.ordered_fields`).  Records from
:func:`~medline_parse.iter_records` are written back as their exact source text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

from ..arguments import checked_items
from ..errors import MedlineError
from ..model import Article
from ..outputs import Target, describe_target, encode_error, open_target
from .fields import FieldItem
from .order import ordered_fields
from .records import Record
from .wrap import _PREFIXES, STYLES, field_styles

try:  # the compiled kernel, when the extension was built (medline_parse.COMPILED)
    from ._lines_c import field_text as _field_text
except ImportError:  # pragma: no cover - the pure-Python build
    from ._lines import field_text as _field_text

__all__ = ["Style", "WriteError", "detect_style", "dumps", "iter_text", "possible_styles", "write"]

Style = str | Callable[[Article], str]
"""A style name, or a function that gives the style of each article (to keep each input's own)."""

_NEWLINES = ("\n", "\r\n", "\r")
_LINE_END = re.compile("\r\n|\r|\n")


class WriteError(MedlineError):
    """An article cannot be written as MEDLINE (a value holds a line break, say)."""


def _items(
    items: Article | Record | Iterable[Article | Record],
) -> Iterator[Article | Record]:
    return checked_items(items, (Article, Record), "an Article or a Record")


def _encoding_error(where: str, error: UnicodeEncodeError) -> WriteError:
    """The error for text the target cannot encode (a lone surrogate, read from text input)."""
    return WriteError(encode_error(where, error))


def _check_style(style: str) -> str:
    if style not in STYLES:
        raise MedlineError(f"unknown style {style!r}: choose one of {', '.join(STYLES)}")
    return style


def _check(style: Style, newline: str) -> None:
    if not callable(style):
        _check_style(style)
    if newline not in _NEWLINES:
        raise MedlineError(r"newline must be '\n', '\r\n' or '\r'")


def _record_text(fields: list[FieldItem], style: str, newline: str, pmid: str | None) -> str:
    text = _field_text(fields, style, newline, _PREFIXES)
    if text is not None:
        return text
    for tag, value in fields:
        if "\n" in value or "\r" in value:
            raise WriteError(
                f"record {pmid or '(no PMID)'}: the {tag} value holds a line break; MEDLINE "
                "values are single lines"
            )
    raise AssertionError("unreachable: the kernel found a line break")  # pragma: no cover


def _line_ending_size(text: str) -> int:
    if text.endswith("\r\n"):
        return 2
    return 1 if text.endswith(("\n", "\r")) else 0


def _ends_with_blank_line(text: str) -> bool:
    size = _line_ending_size(text)
    if not size:
        return False
    end = len(text) - size
    # the last line, read in place (a record's text is not copied for it)
    start = max(text.rfind("\n", 0, end), text.rfind("\r", 0, end)) + 1
    return not text[start:end].strip(" \t")


def _starts_with_blank_line(text: str) -> bool:
    return text.lstrip(" \t").startswith(("\n", "\r"))


def _separator(
    previous: str | None, text: str, both_records: bool, newline: str, lead: bool
) -> str:
    """What goes between the text written so far (ending with *previous*) and *text*: one empty
    line between records.  Consecutive Records are joined as they are (they carry their own blank
    lines), so the records of one input give back that input; only the end of an input with no
    final newline gets one."""
    if previous is None:
        return newline if lead and not _starts_with_blank_line(text) else ""
    if not _line_ending_size(previous):  # the last record of an input with no final newline
        return newline if _starts_with_blank_line(text) else newline + newline
    if both_records or _ends_with_blank_line(previous) or _starts_with_blank_line(text):
        return ""
    return newline


def _continues(previous: Article | Record | None, record: Record) -> bool:
    """Whether *record* is the next piece of an overlong line that *previous* ends with (the reader
    cuts such a line into records of no field, each with a ``line-too-long`` diagnostic)."""
    if not isinstance(previous, Record) or record.has_fields or record.path != previous.path:
        return False
    if not any(d.code == "line-too-long" for d in record.diagnostics):
        return False
    last_line = previous.line + len(_LINE_END.findall(previous.source))
    return record.line == last_line and not _line_ending_size(previous.source)


def iter_text(
    items: Article | Record | Iterable[Article | Record],
    *,
    style: Style = "pubmed",
    newline: str = "\n",
    leading_blank_line: bool = False,
) -> Iterator[str]:
    """The MEDLINE text of *items*, one record (with its separator) at a time."""
    _check(style, newline)
    items = _items(items)
    previous: str | None = None
    previous_is_record = False
    previous_item: Article | Record | None = None
    for item in items:
        if isinstance(item, Record):
            text = item.source
            if previous is not None and _continues(previous_item, item):
                yield text  # the next piece of an overlong line: no separator
                previous, previous_item = text, item
                continue
        else:
            chosen = _check_style(style(item)) if callable(style) else style
            text = _record_text(ordered_fields(item), chosen, newline, item.pmid)
            if not text:
                raise WriteError("an article with no field has no MEDLINE text")
        is_record = isinstance(item, Record)
        both_records = is_record and previous_is_record
        yield _separator(previous, text, both_records, newline, leading_blank_line) + text
        previous, previous_is_record, previous_item = text, is_record, item


def dumps(
    articles: Article | Record | Iterable[Article | Record],
    *,
    style: Style = "pubmed",
    newline: str = "\n",
    leading_blank_line: bool = False,
) -> str:
    """MEDLINE text of one article or many, as PubMed lays it out.

    Args:
        style: ``"pubmed"`` (today's layout, 87 columns), ``"pubmed-2020"`` (90 columns, 2020 to
            early 2022) or ``"legacy"`` (the older 87-column rule with its trailing-space cases);
            or a function giving each article's style.
        newline: ``"\\n"`` (efetch), ``"\\r\\n"`` (PubMed's web export) or ``"\\r"``.
        leading_blank_line: start with an empty line, as legacy exports and efetch output do.

    Records separated by one empty line; the text ends with a single line ending.  A
    :class:`~medline_parse.records.Record` is written as its exact source text.
    """
    return "".join(
        iter_text(articles, style=style, newline=newline, leading_blank_line=leading_blank_line)
    )


def write(
    articles: Article | Record | Iterable[Article | Record],
    target: Target,
    *,
    style: Style = "pubmed",
    newline: str = "\n",
    leading_blank_line: bool = False,
) -> int:
    """Write articles to *target* (a path, gzip-compressed when it ends in ``.gz``; ``"-"``; or a
    file object: see :func:`~medline_parse.outputs.open_target`) and return how many records were
    written.  Options as for :func:`dumps`."""
    _check(style, newline)
    articles = _items(articles)
    count = 0

    def counted() -> Iterator[Article | Record]:
        nonlocal count
        for item in articles:
            count += 1
            yield item

    chunks = iter_text(
        counted(), style=style, newline=newline, leading_blank_line=leading_blank_line
    )
    with open_target(target, binary=False) as handle:
        try:
            for chunk in chunks:
                handle.write(chunk)
            handle.flush()  # what the text layer holds meets the encoder here, with its record
        except UnicodeEncodeError as error:
            raise _encoding_error(f"{describe_target(target)}: record {count}", error) from None
    return count


def possible_styles(record: Record, *, ignore_trailing_spaces: bool = False) -> frozenset[str]:
    """Every style whose layout reproduces every field of *record* (empty when none does; with
    *ignore_trailing_spaces*, but for the spaces at the ends of lines).

    A record whose text holds anything besides its fields and the blank lines around them (a stray
    line, a whitespace-only line) or whose tag prefix is not ``f"{tag:<4}- "`` has no style: no
    writer reproduces it.
    """
    if "".join(field.raw for field in record.fields).rstrip("\r\n") != record.source.strip("\r\n"):
        return frozenset()
    possible = set(STYLES)
    for field in record.fields:
        lines = _LINE_END.split(field.raw.rstrip("\r\n"))
        if lines[0][:6] != f"{field.tag:<4}- ":
            return frozenset()
        possible &= field_styles(lines, field.value, ignore_trailing_spaces=ignore_trailing_spaces)
        if not possible:
            return frozenset()
    return frozenset(possible)


def detect_style(record: Record) -> str | None:
    """The style whose layout reproduces every field of *record* (``"pubmed"`` first, then
    ``"pubmed-2020"``, then ``"legacy"``), or ``None`` when no single style does (see
    :func:`possible_styles`)."""
    possible = possible_styles(record)
    for style in STYLES:
        if style in possible:
            return style
    return None
