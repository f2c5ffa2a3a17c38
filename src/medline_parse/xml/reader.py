"""Reading PubMed XML: a stream of :class:`~medline_parse.model.Article` and
:class:`~medline_parse.model.Deletion` events, in file order, in flat memory.

Strategy.  lxml's ``iterparse`` (libxml2, in C) parses the bytes and reports only the end of the
elements that are whole records (``<PubmedArticle>``, ``<PubmedBookArticle>``, a
``<MedlineCitation>`` outside a ``<PubmedArticle>``, ``<DeleteCitation>``); Python sees nothing of
the elements inside until a record is complete.  The record's subtree is then turned into an article
by :mod:`.elements` (one dispatch table per level, the hot walks in the kernel :mod:`._walk`), and
cleared at once, with every earlier sibling deleted from its parent, so the tree lxml builds never
holds more than the record being read: memory does not grow with the file.

The bytes reach lxml through :class:`.stream.XmlStream`, which makes one well-formed document of
concatenated responses and bare runs of records, and refuses entity declarations before lxml sees
them.  The parser itself resolves no entity, loads no DTD and touches no network; ``huge_tree`` stays
off, so libxml2's own limits on depth and text size hold.

Damage (a truncated file, malformed markup) ends the stream, since nothing after it can be read
with confidence: the records before it have been yielded, then the damage is reported with the file
and line, as a :class:`~medline_parse.errors.MedlineWarning` in lenient mode (the house rule: problems
in the input never raise there) and as a :class:`~medline_parse.errors.ParseError` with
``strict=True``.  An entity declaration is refused with a ``ParseError`` in both modes, before any
record: that input is hostile, not damaged.

What is neither a record nor a set of them (a later response in a concatenated file that is an
E-utilities ``<eFetchResult><ERROR>``, an HTML page, an element PubMed's DTD does not have there,
text between records) is skipped and reported the same way, with its line, so that a batch that
failed is not lost in silence.  The check costs nothing per record beyond the siblings the reader
deletes anyway: :class:`_Sweeper` looks at each before it is freed, and at the sets and the
synthetic root when the reading moves on from them.
"""

from __future__ import annotations

import codecs
import re
import warnings
from collections.abc import Callable, Iterator
from typing import Any

from lxml import etree

from ..errors import Diagnostic, MedlineWarning, ParseError
from ..model import Article, Deletion
from .elements import build_book, build_citation, build_deletion, build_pubmed_article
from .stream import ROOT, XmlStream

__all__ = ["iter_xml"]

_ROOT = ROOT.decode("ascii")
_ARTICLE = "PubmedArticle"
_BOOK = "PubmedBookArticle"
_CITATION = "MedlineCitation"
_DELETION = "DeleteCitation"
_EVENT_TAGS = (_ARTICLE, _BOOK, _CITATION, _DELETION)
_RECORDS = frozenset(_EVENT_TAGS)
_SETS = frozenset({"PubmedArticleSet", "PubmedBookArticleSet", "MedlineCitationSet"})
_SHOWN = 80  # characters of a skipped element's text quoted in its diagnostic


_POSITION = re.compile(r"(, line \d+)?, column \d+\Z")


def _message(error: etree.XMLSyntaxError) -> str:
    message = _POSITION.sub("", str(getattr(error, "msg", None) or error))  # the line is told apart
    if _ROOT in message:
        opened = message.partition("mismatch: ")[2].partition(f" and {_ROOT}")[0]
        if opened:
            return (
                f"the input ends before <{opened.replace(' line ', '> (line ')}) is closed: "
                "the file is truncated or damaged"
            )
        return "the input ends inside an element: the file is truncated or damaged"
    return f"malformed XML: {message}"


def _lxml_names(encoding: str) -> list[str]:
    """Names libxml2 may know *encoding* by: Python's canonical name first (libxml2 knows
    ``iso8859-1`` and ``utf-8``, not Python's aliases ``latin-1`` and ``utf_8``), then as given."""
    try:
        canonical = codecs.lookup(encoding).name
    except (LookupError, ValueError):
        return [encoding]
    names = [canonical, encoding, canonical.replace("_", "-"), canonical.replace("-", "")]
    return list(dict.fromkeys(names))


def _parser(options: dict[str, Any], encoding: str | None, path: str | None) -> Any:
    """lxml's pull parser, reading *encoding* when one is given (a codec name the caller
    checked: see :func:`medline_parse.sources.check_encoding`)."""
    if encoding is None:
        return etree.XMLPullParser(**options)
    for name in _lxml_names(encoding):
        try:
            return etree.XMLPullParser(**options, encoding=name)
        except LookupError:
            continue
        except (ValueError, TypeError):  # a name lxml cannot take at all (a NUL byte, no str)
            break
    raise ParseError(
        f"unknown encoding {encoding!r} for PubMed XML (libxml2 does not know it)",
        path=path,
        code="xml-encoding",
    )


def _quoted(text: str) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "...")


class _Sweeper:
    """Finds what the input holds besides records, in the parts of the tree the reader is done
    with, and frees those parts.  Text and tails are cleared once looked at: nothing is reported
    twice."""

    def __init__(self, path: str | None) -> None:
        self.path = path
        self.container: Any = None  # the element the last record was a child of
        self.found: list[Diagnostic] = []

    def _text(self, text: str | None, line: int | None, *, ends_at: int | None = None) -> None:
        """Report *text* unless blank: it starts on *line*'s line (the line of the markup just
        before it), or ends on *ends_at* (the line of the markup just after it) when given."""
        if text and not text.isspace():
            start = len(text) - len(text.lstrip())
            if ends_at is not None:
                line = ends_at - text.count("\n", start)
            elif line is not None:
                line += text.count("\n", 0, start)
            self.found.append(
                Diagnostic(
                    "xml-stray-content",
                    f"text outside any record ({_quoted(text)}); skipped",
                    line,
                    path=self.path,
                )
            )

    def _element(self, element: Any) -> None:
        """One child of a set or of the input, done with: report it unless it is a record."""
        tag = element.tag
        line = element.sourceline
        if isinstance(tag, str) and tag not in _RECORDS:
            if tag in _SETS or any(child.tag in _RECORDS for child in element):
                self.inside(element)  # (records in a wrapper of the user's own were read)
            else:
                said = _quoted("".join(element.itertext()))
                if tag.startswith("{"):  # lxml's {namespace}name: PubMed's elements have none
                    namespace, _, name = tag[1:].partition("}")
                    tag = f"{name}> in the namespace <{namespace}"
                self.found.append(
                    Diagnostic(
                        "xml-stray-content",
                        f"<{tag}> is not part of PubMed XML"
                        + (f" (it says {said})" if said != "''" else "")
                        + "; skipped",
                        line,
                        path=self.path,
                    )
                )
        if element.tail:  # the next element's line places it (this one's end line is unknown)
            after = element.getnext()
            self._text(element.tail, line, ends_at=None if after is None else after.sourceline)
            element.tail = None

    def inside(self, container: Any) -> None:
        """Everything left in *container* (a set, or the synthetic root) at the end."""
        self._text(container.text, container.sourceline)
        container.text = None
        for child in container:
            self._element(child)

    def before(self, element: Any, parent: Any) -> None:
        """The siblings before *element* (a record just read): reported, then deleted."""
        if parent is not self.container:
            self._text(parent.text, parent.sourceline)
            parent.text = None
            outer = parent.getparent()
            if outer is not None:  # a set: what came before it in the input is done with too
                self._text(outer.text, outer.sourceline)
                outer.text = None
                while parent.getprevious() is not None:
                    self._element(outer[0])
                    del outer[0]
            self.container = parent
        while element.getprevious() is not None:
            self._element(parent[0])
            del parent[0]

    def report(self, strict: bool) -> None:
        """Issue what was found: a warning each, or a ParseError for the first with *strict*."""
        found, self.found = self.found, []
        for diagnostic in found:
            _report(diagnostic, strict)


def _report(diagnostic: Diagnostic, strict: bool) -> None:
    if strict:
        raise ParseError.from_diagnostic(diagnostic)
    warning = MedlineWarning(str(ParseError.from_diagnostic(diagnostic)))
    warning.diagnostic = diagnostic
    warnings.warn(warning, stacklevel=4)


def iter_xml(
    read: Callable[[int], bytes],
    *,
    path: str | None = None,
    strict: bool = False,
    encoding: str | None = None,
) -> Iterator[Article | Deletion]:
    """The articles and deletions of the PubMed XML that *read* returns, in order.

    Raises:
        ParseError: at an entity declaration (before any record); with *strict*, also at
            malformed or truncated XML (after the records before it), which lenient mode reports
            as a :class:`~medline_parse.errors.MedlineWarning`.
    """
    stream = XmlStream(read, path)
    options: dict[str, Any] = {
        "events": ("end",),
        "tag": _EVENT_TAGS,
        # Only the predefined entities (&lt; ...) and character references can occur: every
        # DOCTYPE is blanked and entity declarations are refused before lxml sees them, so
        # "internal" resolution expands nothing else, and an undeclared entity is a clear error.
        "resolve_entities": "internal",
        "load_dtd": False,
        "no_network": True,
        "huge_tree": False,
        # Comments and processing instructions stay in the tree (removing them costs more than
        # the few places that meet one: text is flattened past them, handlers ignore them).
    }
    parser = _parser(options, encoding, path)
    line = 1
    failure: etree.XMLSyntaxError | None = None
    sweeper = _Sweeper(path)
    root: Any = None
    while True:
        chunk = stream.read_block()
        try:
            if chunk:
                parser.feed(chunk)
            else:
                root = parser.close()
        except etree.XMLSyntaxError as error:
            failure = error  # the records completed before the damage come first
        for _, found in parser.read_events():
            element: Any = found  # (lxml-stubs know no clear(keep_tail=))
            tag = element.tag
            line = element.sourceline or line
            if tag == _ARTICLE:
                yield build_pubmed_article(element, path, strict)
            elif tag == _CITATION:
                parent = element.getparent()
                if parent is not None and parent.tag == _ARTICLE:
                    continue  # read with its PubmedArticle
                yield build_citation(element, path, strict)
            elif tag == _BOOK:
                yield build_book(element, path, strict)
            else:
                yield build_deletion(element, path)
            # Free the record and everything before it: memory stays flat.
            element.clear(keep_tail=True)
            parent = element.getparent()
            if parent is not None:
                sweeper.before(element, parent)
            if sweeper.found:
                sweeper.report(strict)
        if (failure is not None or not chunk) and stream.failure is not None:
            raise stream.failure  # the bytes were damaged (gzip): that, not the XML cut short
        if failure is not None:
            damage = ParseError(
                "the input holds no XML element: it is empty, or was cut off before the first one"
                if stream.empty
                else _message(failure),
                path=path,
                line=getattr(failure, "lineno", None) or line,
                code="xml-syntax",
            )
            if strict:
                raise damage from None
            _report(
                Diagnostic(
                    "xml-syntax", f"{damage.message}; reading stopped there", damage.line, path=path
                ),
                strict,
            )
            return
        if not chunk:
            if root is not None:
                sweeper.inside(root)
                sweeper.report(strict)
            return
