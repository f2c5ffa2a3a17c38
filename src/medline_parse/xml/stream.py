"""The bytes lxml parses: every PubMed XML input as one well-formed document, safely.

PubMed XML reaches users in shapes a single XML parse does not accept: several efetch responses
concatenated in one file (each with its own ``<?xml ...?>`` declaration and ``<!DOCTYPE ...>``), a
bare run of ``<PubmedArticle>`` elements with no root, a byte-order mark.  :class:`XmlStream` is a
file-like object whose ``read`` hands lxml the input rewritten as one document:

* the first XML declaration is kept (it states the encoding) and a synthetic root element
  :data:`ROOT` opens right after it, on the same line, so every element of the input becomes a
  child (or deeper) of that root;
* every later XML declaration and every document type declaration is replaced by spaces (its line
  breaks kept), so line numbers and columns in lxml's messages are those of the input;
* the synthetic root closes at the end of the input.

Safety is decided here, before lxml sees a byte: a document type declaration with an internal
subset that declares entities (the "billion laughs" and external-entity attacks) is refused with a
:class:`~medline_parse.errors.ParseError` at once; no DTD is ever read or fetched, because every
``<!DOCTYPE`` is blanked out.  The parser is also built with entity resolution, DTD loading and
network access off (see :mod:`.reader`).

The scan is a few ``bytes.find`` calls per block of :data:`BLOCK` bytes (for the rare ``?`` and
``!``, each hit checked: far cheaper than looking for ``<?xml`` itself): markup that starts near
the end of a block is held back until the next block shows where it ends.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable

from ..errors import MedlineError, ParseError
from ..sniff import FOREIGN, HEAD_SIZE, WrongFormatError, sniff_format

__all__ = ["BLOCK", "PUBMED_ELEMENTS", "ROOT", "XmlStream", "first_element"]

BLOCK = 1 << 20
ROOT = b"medline-parse-input"
"""The name of the synthetic root element (it appears in no PubMed file)."""

_ROOT_OPEN = b"<" + ROOT + b">"
_ROOT_CLOSE = b"</" + ROOT + b">"
_DECLARATION = b"<?xml"
_DOCTYPE = b"<!DOCTYPE"
_ENTITY = re.compile(rb"<!ENTITY\b")
_BLANK = bytes.maketrans(bytes(range(256)), b" " * 10 + b"\n" + b" " * 245)
_MAX_MARKUP = 1 << 20  # a declaration or DOCTYPE longer than this is no PubMed file's
_WHITESPACE = b" \t\r\n"
_DECLARATION_FOLLOWERS = (b" ", b"\t", b"\r", b"\n", b"?")
_NAME = re.compile(rb"<([A-Za-z_][-.\w:]*)")
_NAMES = {"medline": "MEDLINE text", **FOREIGN}
_QUOTED = 40


def _quoted(data: bytes) -> str:
    line = data.split(b"\n", 1)[0].rstrip().decode("utf-8", "replace")
    return repr(line if len(line) <= _QUOTED else line[: _QUOTED - 3] + "...")


PUBMED_ELEMENTS = frozenset(
    {
        "PubmedArticleSet",
        "PubmedBookArticleSet",
        "MedlineCitationSet",
        "PubmedArticle",
        "PubmedBookArticle",
        "MedlineCitation",
        "DeleteCitation",
    }
)
"""The elements a PubMed XML document (or a bare run of records) starts with."""


def first_element(data: bytes) -> str | None:
    """The name of the first element in *data* (after declarations, comments, processing
    instructions and a DOCTYPE), or None when *data* ends before one starts."""
    position = 0
    while True:
        start = data.find(b"<", position)
        if start < 0:
            return None
        if data.startswith(b"<!--", start):
            end = data.find(b"-->", start)
            skip = 3
        elif data.startswith((b"<?", b"<!"), start):
            end = data.find(b">", start)  # a DOCTYPE's internal subset is refused later anyway
            skip = 1
        else:
            match = _NAME.match(data, start)
            if match is None or match.end() == len(data):
                return None  # no name, or one the end of *data* may have cut
            return match.group(1).decode("ascii", "replace")
        if end < 0:
            return None
        position = end + skip


def _find(data: bytes, markup: bytes, start: int) -> int:
    """``data.find(markup, start)`` for a *markup* of ``<`` and a rarer byte (``<?xml``,
    ``<!DOCTYPE``): the rarer byte is looked for (memchr, many times faster than a search for the
    whole), each hit checked.  In PubMed XML ``?`` and ``!`` are a few hundred in 35 MB."""
    mark = markup[1:2]
    rest = markup[2:]
    at = data.find(mark, start + 1)
    while at >= 0:
        if data[at - 1] == 0x3C and data.startswith(rest, at + 1):  # "<" before it
            return at - 1
        at = data.find(mark, at + 1)
    return -1


def _blank(markup: bytes) -> bytes:
    """*markup* as spaces, its line feeds kept (so line numbers do not move)."""
    return markup.translate(_BLANK)


class XmlStream:
    """A binary reader of *read* (a function like ``file.read``) that lxml can parse as one
    well-formed, entity-free document; *path* names the input in errors."""

    def __init__(self, read: Callable[[int], bytes], path: str | None) -> None:
        self._read = read
        self._path = path
        self._pending = b""  # input read but not yet scanned
        self._line = 1  # line number at the start of _pending
        self._started = False
        self._finished = False
        self._out = b""  # scanned output not yet handed to lxml
        self._empty = False  # the input holds no element: no synthetic root around nothing
        self._failure: MedlineError | None = None

    @property
    def empty(self) -> bool:
        """Whether the input holds no element at all (nothing, white space, a declaration)."""
        return self._empty

    # -- the file-like interface lxml uses --------------------------------------------------

    def read(self, size: int = -1) -> bytes:
        """Up to *size* bytes of the rewritten document (all of it when *size* is negative)."""
        while not self._finished and (size < 0 or len(self._out) < size):
            self._fill()
        if size < 0 or size >= len(self._out):
            out, self._out = self._out, b""
            return out
        out = self._out[:size]
        self._out = self._out[size:]
        return out

    def read_block(self) -> bytes:
        """The next piece of the rewritten document, of whatever size the scan made it (about a
        block); ``b""`` at the end.  Cheaper than :meth:`read`, which copies to cut."""
        while not self._out and not self._finished:
            self._fill()
        out, self._out = self._out, b""
        return out

    # -- scanning --------------------------------------------------------------------------

    @property
    def failure(self) -> MedlineError | None:
        """The error that ended the reading of the bytes (a damaged or truncated gzip stream),
        if one did: the document was ended there, so that the records before it are read; the
        reader raises it after them."""
        return self._failure

    def _more(self) -> bool:
        """Read one more block into the pending input; False at the end of the input."""
        if self._failure is not None:
            return False
        try:
            block = self._read(BLOCK)
        except MedlineError as error:
            self._failure = error
            return False
        if not block:
            return False
        self._pending += block
        return True

    def _fill(self) -> None:
        if not self._started:
            self._start()
            return
        at_end = not self._more()
        self._scan(at_end)
        if at_end:
            self._out += self._pending if self._empty else self._pending + _ROOT_CLOSE
            self._pending = b""
            self._finished = True

    def _start(self) -> None:
        """Strip a BOM, keep the first XML declaration, open the synthetic root."""
        while len(self._pending) < 5 + len(codecs.BOM_UTF8) and self._more():
            pass
        if self._pending.startswith(codecs.BOM_UTF8):
            self._pending = self._pending[len(codecs.BOM_UTF8) :]
        elif self._pending.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            raise self._error("the input is UTF-16; PubMed XML is UTF-8 (convert it first)", 1)
        self._check_root()
        data = self._pending
        lead = len(data) - len(data.lstrip(_WHITESPACE))
        # Enough of the first markup to tell a declaration (a pipe may hand over a byte at a time)
        while len(data) - lead < len(_DECLARATION) + 1 and lead < _MAX_MARKUP and self._more():
            data = self._pending
            lead = len(data) - len(data.lstrip(_WHITESPACE))
        head = b""
        if data[lead : lead + 5] == _DECLARATION:
            end = data.find(b"?>", lead)
            while end < 0 and len(data) - lead < _MAX_MARKUP and self._more():
                data = self._pending
                end = data.find(b"?>", lead)
            if end >= 0:
                head = data[lead : end + 2]
                # The declaration goes first (XML demands it); the whitespace that stood before
                # it follows the root tag, so the line count before later content is unchanged.
                data = data[:lead] + data[end + 2 :]
        self._out = head if self._empty else head + _ROOT_OPEN
        self._pending = data
        self._started = True

    def _check_root(self) -> None:
        """Refuse XML that is not PubMed's (an E-utilities error, an eSearch result, JATS, HTML)
        at once, naming its first element, rather than read it as a file of no records."""
        name = first_element(self._pending)
        while name is None and len(self._pending) < _MAX_MARKUP and self._more():
            name = first_element(self._pending)
        if name in PUBMED_ELEMENTS:
            return  # (text before it is reported by the reader, as content outside records)
        where = self._path or "the input"
        lead = self._pending.lstrip(_WHITESPACE)
        if lead and not lead.startswith(b"<"):  # text, not markup: read as XML by format="xml"
            found = sniff_format(self._pending[:HEAD_SIZE])
            error = WrongFormatError(
                f"{where}: this is not XML"
                + (f" but {_NAMES.get(found, found)}" if found in _NAMES else "")
                + f": it starts with {_quoted(lead)}"
            )
            error.format = found
            raise error
        if name is None:
            self._empty = True  # lxml reports a document of no element, as it would without us
            return
        error = WrongFormatError(
            f"{where}: this is XML, but not PubMed XML: it starts with "
            f"<{name}>, where PubMed XML starts with <PubmedArticleSet>"
        )
        error.format = "xml"
        raise error

    def _line_of(self, data: bytes, index: int) -> int:
        return self._line + data.count(b"\n", 0, index)

    def _scan(self, at_end: bool) -> None:
        """Move the pending input to the output, blanking declarations and DOCTYPEs."""
        data = self._pending
        out: list[bytes] = []
        position = 0
        while True:
            declaration = _find(data, _DECLARATION, position)
            doctype = _find(data, _DOCTYPE, position)
            is_doctype = doctype >= 0 and (declaration < 0 or doctype < declaration)
            found = doctype if is_doctype else declaration
            if found < 0:
                break
            after = found + (len(_DOCTYPE) if is_doctype else len(_DECLARATION))
            if after >= len(data) and not at_end:
                break  # cut by the block boundary: held back below
            if not is_doctype and data[after : after + 1] not in _DECLARATION_FOLLOWERS:
                out.append(data[position:after])  # <?xml-stylesheet ...?> and the like
                position = after
                continue
            end = self._find_end(data, found, is_doctype)
            if end is None:
                if len(data) - found > _MAX_MARKUP:
                    raise self._error("a declaration that never ends", self._line_of(data, found))
                if not at_end and self._more():
                    data = self._pending
                    continue
                break  # the input ends inside the markup: lxml reports the damage
            markup = data[found:end]
            if is_doctype:
                self._check_doctype(markup, self._line_of(data, found))
            out.append(data[position:found])
            out.append(_blank(markup))
            position = end
        # Hold back a tail that may be the start of a declaration cut by the block boundary.
        keep = len(data)
        if not at_end:
            cut = data.rfind(b"<", max(position, len(data) - len(_DOCTYPE)))
            if cut >= 0:
                keep = cut
        if out:
            out.append(data[position:keep])
            emitted = b"".join(out)
        else:  # the usual block: no declaration in it, nothing to join
            emitted = data if keep == len(data) and position == 0 else data[position:keep]
        self._out = emitted if not self._out else self._out + emitted
        self._line += emitted.count(b"\n")
        self._pending = data[keep:] if keep < len(data) else b""

    def _find_end(self, data: bytes, start: int, is_doctype: bool) -> int | None:
        if not is_doctype:
            end = data.find(b"?>", start)
            return None if end < 0 else end + 2
        close = data.find(b">", start)
        bracket = data.find(b"[", start)
        if 0 <= bracket < close or (close < 0 and bracket >= 0):
            end = data.find(b"]", bracket)
            while end >= 0:
                rest = data[end + 1 :].lstrip(_WHITESPACE)
                if rest.startswith(b">"):
                    return len(data) - len(rest) + 1
                if rest == b"":
                    return None
                end = data.find(b"]", end + 1)
            return None
        return None if close < 0 else close + 1

    def _check_doctype(self, markup: bytes, line: int) -> None:
        if _ENTITY.search(markup) is not None:
            raise self._error(
                "the document type declaration declares entities; medline-parse never expands "
                "entities (an entity bomb or an external entity could hide there), and PubMed XML "
                "declares none: input refused",
                line,
                code="xml-entity-declaration",
            )

    def _error(self, message: str, line: int, code: str = "xml-refused") -> ParseError:
        return ParseError(message, path=self._path, line=line, code=code)
