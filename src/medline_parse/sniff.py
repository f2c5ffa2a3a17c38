"""What an input is: MEDLINE text, PubMed XML, or something else people mistake for them.

:func:`sniff_format` looks at the first KiB or so of an input (already gunzipped) and names its
format; :func:`medline_parse.reader.detect_format` uses it to choose between the MEDLINE and the
XML reader.  The MEDLINE reader calls it through :func:`refuse_foreign` on its first decoded block
(so every kind of source is covered, text included; PubMed XML given to it as MEDLINE text is read
as such, as asked), so RIS,
BibTeX, JSON, CSV, a PDF or binary data is refused with one clear line ("FILE: this looks like RIS,
not MEDLINE or PubMed XML") instead of being read as thousands of "articles" without PMIDs or as
thousands of junk-line warnings.

Strategy: the signs are checked from the most to the least specific, and MEDLINE wins whenever
its own sign is there: a ``PMID- `` line anywhere in the head, or a first field line shaped like a
MEDLINE tag line that is not RIS's ``TY  - ``.  Everything else must be unambiguous (a PDF's
``%PDF-``, NUL bytes, ``@article{``, a JSON array of objects, two CSV rows of three or more cells
and the same width); text that matches nothing is ``"unknown"`` and is read as MEDLINE, whose
diagnostics then say what is wrong with it.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Iterable, Iterator

from .sources import Block, SourceError

__all__ = [
    "FOREIGN",
    "HEAD_SIZE",
    "WrongFormatError",
    "check_head",
    "refuse_foreign",
    "sniff_format",
]

HEAD_SIZE = 4096
"""How many bytes of an input :func:`refuse_foreign` looks at."""

FOREIGN: dict[str, str] = {
    "ris": "RIS",
    "bibtex": "BibTeX",
    "json": "JSON",
    "csv": "CSV",
    "pdf": "a PDF document",
    "binary": "binary data",
}
"""The formats the readers refuse, and how messages name them."""

_XML_NAME = "PubMed XML"

_MEDLINE_PMID = re.compile(rb"^[ \t]*PMID[ \t]*-", re.MULTILINE)
_FIELD_LINE = re.compile(rb"[ \t]*[A-Z][A-Z0-9]{1,3}[ \t]*-")
_RIS_TYPE = re.compile(rb"^TY  - ", re.MULTILINE)
_RIS_END = re.compile(rb"^ER  -", re.MULTILINE)
_BIBTEX_ENTRY = re.compile(rb"^[ \t]*@[A-Za-z]+[ \t]*[{(]", re.MULTILINE)
_JSON_START = re.compile(rb'\A(?:\[\s*(?:[{\["\]]|\Z)|\{\s*(?:"|\}|\Z))')
_CONTROL = frozenset(range(0x20)) - {0x09, 0x0A, 0x0C, 0x0D, 0x1B}


class WrongFormatError(SourceError):
    """The input is in another format (RIS, BibTeX, JSON, CSV, PDF, binary data): a
    :class:`~medline_parse.SourceError` whose :attr:`format` is what :func:`sniff_format` found."""

    format: str = "unknown"
    """The format found (a key of :data:`FOREIGN`, or ``"xml"``)."""


def _text_of(head: bytes) -> bytes:
    """*head* as UTF-8-ish bytes: a byte-order mark removed, UTF-16 and UTF-32 decoded."""
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if head.startswith(bom):
            body = head[len(bom) :]
            usable = len(body) - len(body) % (4 if "32" in codec else 2)
            return body[:usable].decode(codec, "replace").encode("utf-8")
    return head[3:] if head.startswith(codecs.BOM_UTF8) else head


def _is_binary(text: bytes) -> bool:
    if b"\x00" in text:
        return True
    sample = text[:1024]
    controls = sum(1 for byte in sample if byte in _CONTROL)
    return controls * 10 > len(sample)  # more than one byte in ten


def _first_line(text: bytes) -> bytes:
    for line in text.splitlines():
        if line.strip():
            return line
    return b""


def _looks_like_csv(text: bytes) -> bool:
    """Complete rows of three or more cells, all of one width, with header cells that are short and
    do not start with a space (prose has a space after its commas); a lone header row needs four
    cells."""
    complete = text[: max(text.rfind(b"\n"), text.rfind(b"\r")) + 1]
    lines = complete.decode("utf-8", "replace").splitlines()
    lines = [line for line in lines if line.strip()]
    if not lines:
        return False
    for delimiter in (",", "\t", ";"):
        if delimiter not in lines[0]:
            continue
        try:
            rows = list(csv.reader(lines, delimiter=delimiter))
        except csv.Error:
            continue
        widths = {len(row) for row in rows}
        header = rows[0]
        if (
            len(widths) == 1
            and len(header) >= (3 if len(rows) > 1 else 4)
            and all(cell and not cell[0].isspace() and len(cell) <= 60 for cell in header)
        ):
            return True
    return False


def sniff_format(head: bytes) -> str:
    """The format of an input that starts with *head* (its first KiB or so, already gunzipped).

    One of ``"medline"``, ``"xml"``, ``"ris"``, ``"bibtex"``, ``"json"``, ``"csv"``, ``"pdf"``,
    ``"binary"``, ``"empty"`` (nothing but white space) or ``"unknown"`` (text that is none of
    these; the readers read it as MEDLINE and report what they cannot understand).
    """
    text = _text_of(head)
    stripped = text.lstrip()
    if not stripped:
        return "empty"
    if stripped.startswith(b"%PDF-"):
        return "pdf"
    first = _first_line(text)
    if first.startswith(b"TY  -"):
        return "ris"
    if _MEDLINE_PMID.search(text):
        return "medline"
    ris = _RIS_TYPE.search(text) is not None and _RIS_END.search(text) is not None
    field = _FIELD_LINE.match(first)
    if field is not None and not ris:
        return "medline"
    if ris:
        return "ris"
    if _is_binary(text):
        return "binary"
    if stripped.startswith(b"<"):
        return "xml"
    if _JSON_START.match(stripped):
        return "json"
    if _BIBTEX_ENTRY.search(text):
        return "bibtex"
    if _looks_like_csv(text):
        return "csv"
    return "unknown"


def _utf16_hint(text: bytes) -> str:
    """A hint when *text* (decoded as UTF-8 with fallbacks) is UTF-16 read byte by byte: NUL bytes
    at every other place, printable ASCII between them."""
    sample = text[:256]
    if sample.startswith(("\xff\xfe".encode(), "\xfe\xff".encode())):
        sample = sample[4:]  # the byte-order mark, decoded as two Windows-1252 characters
    for start in (0, 1):
        zeros, letters = sample[start::2], sample[1 - start :: 2]
        if (
            len(sample) >= 16
            and zeros.count(0) >= 0.9 * len(zeros)
            and sum(32 <= byte < 127 or byte in b"\r\n\t" for byte in letters) >= 0.9 * len(letters)
        ):
            return " (UTF-16 text? read it with encoding='utf-16', medline --encoding utf-16)"
    return ""


def _block_text(block: Block) -> str:
    if isinstance(block, str):
        return block
    return "".join(item if isinstance(item, str) else item[0] for item in block)


def check_head(head: bytes, name: str | None, *, refuse_xml: bool = False) -> None:
    """Raise :class:`WrongFormatError` when an input that starts with *head* is in another format
    (or, with *refuse_xml*, is PubMed XML: for what reads only MEDLINE text, ``medline fmt``).

    The message names the input (*name*, else "the input"): "NAME: this looks like RIS, not
    MEDLINE or PubMed XML".
    """
    kind = sniff_format(head)
    if kind not in FOREIGN and not (refuse_xml and kind == "xml"):
        return
    where = name or "the input"
    if kind == "xml":
        message = f"{where}: this looks like {_XML_NAME}, not MEDLINE text"
    else:
        hint = _utf16_hint(head) if kind == "binary" else ""
        message = f"{where}: this looks like {FOREIGN[kind]}, not MEDLINE or {_XML_NAME}{hint}"
    refusal = WrongFormatError(message)
    refusal.format = kind
    raise refusal


def _bytes_of(text: str) -> bytes:
    """*text* as the bytes to sniff: the bytes a decoder escaped (``surrogateescape``) as they
    were; a lone surrogate of text input (half of a UTF-16 pair) as its own code (its diagnostic
    comes with the reading)."""
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")


def refuse_foreign(
    blocks: Iterable[Block], name: str | None, *, refuse_xml: bool = False
) -> Iterator[Block]:
    """*blocks* unchanged, after checking that their first :data:`HEAD_SIZE` characters are not
    in another format (nor, with *refuse_xml*, PubMed XML).

    Raises:
        WrongFormatError: "NAME: this looks like RIS, not MEDLINE or PubMed XML" (and so on).
    """
    iterator = iter(blocks)
    held: list[Block] = []
    size = 0
    failure: Exception | None = None
    try:
        for block in iterator:
            held.append(block)
            size += len(block) if isinstance(block, str) else len(_block_text(block))
            if size >= HEAD_SIZE:
                break
    except Exception as error:  # a source damaged after its first block: deliver what came first
        failure = error
    head = "".join(_block_text(block) for block in held)[:HEAD_SIZE]
    try:
        check_head(_bytes_of(head), name, refuse_xml=refuse_xml)
    except WrongFormatError as refusal:
        # A head cut short by damage (a truncated gzip stream) is not the input's head: binary
        # data and CSV are told by proportions and rows that the rest could change, so on such a
        # head the damage is what gets reported, after what came before it.
        if failure is None or size >= HEAD_SIZE or refusal.format not in ("binary", "csv"):
            raise
    yield from held
    if failure is not None:
        raise failure
    yield from iterator
