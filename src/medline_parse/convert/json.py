"""The full model as JSON, and the way back.

Every :class:`~medline_parse.model.Article` attribute becomes a key of the same name (the list is in
``docs/json-format.md``), so nothing a record holds is lost: ``from_dict(to_dict(a)) == a`` for
every article (diagnostics and field order are not part of equality, and are written only on
request).

Values: strings, integers and booleans as they are, ``null`` for an absent value, lists for the
model's tuples, objects for its value classes.  Dates are ISO 8601 strings: ``"2023-04-21"`` for a
:class:`datetime.date`, ``"2023-04-21T09:30"`` for a :class:`datetime.datetime`; a date that the
record held as text because it is no valid date is written as ``{"raw": "<the text>"}``, so it reads
back as text and never as a date.  A publication date (DP) is an object of its stated parts plus
its ``text``.

Besides the model's own keys an article object carries three *derived* keys, ``doi``, ``pmcid`` and
``year``, for convenience (``jq .doi``); they are recomputed on output and ignored on input.
"""

from __future__ import annotations

import datetime
import functools
import io
import json
import re
import types
import typing
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import attrs

from ..errors import Diagnostic, MedlineError, Severity
from ..model import Article
from ..model.dates import PubDate
from ..outputs import Target, open_target
from ._common import articles_to_write

__all__ = [
    "JsonError",
    "dumps",
    "from_dict",
    "iter_jsonl",
    "loads",
    "to_dict",
    "write",
]


class JsonError(MedlineError, ValueError):
    """JSON that does not describe an article (a wrong type, an unknown key, a bad date)."""


_DERIVED: dict[type, tuple[str, ...]] = {Article: ("doi", "pmcid", "year")}
_OPTIONAL = ("diagnostics", "field_order")  # written only on request

_Encode = Callable[[Any], Any]
_Decode = Callable[[Any, str], Any]


# -- dates ----------------------------------------------------------------------------------------


def _encode_date(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        if value.second == 0 and value.microsecond == 0 and value.tzinfo is None:
            return value.isoformat(timespec="minutes")
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        return {"raw": value}
    raise JsonError(f"cannot write {type(value).__name__} as a date")


def _date_decoder(allow_datetime: bool, allow_none: bool) -> _Decode:
    def decode(value: Any, where: str) -> Any:
        if value is None and allow_none:
            return None
        if isinstance(value, dict) and set(value) == {"raw"} and isinstance(value["raw"], str):
            return value["raw"]
        if isinstance(value, str):
            if "T" in value and not allow_datetime:
                raise JsonError(f"{where}: a date without time is expected, not {value!r}")
            try:
                if "T" in value:
                    return datetime.datetime.fromisoformat(value)
                return datetime.date.fromisoformat(value)
            except ValueError:
                pass
        raise JsonError(
            f"{where}: expected an ISO date string or {{'raw': text}}, not {value!r}"
        ) from None

    return decode


# -- generic codecs, built once per type ----------------------------------------------------------


def _plain(kind: type | tuple[type, ...], allow_none: bool, label: str) -> _Decode:
    def decode(value: Any, where: str) -> Any:
        if value is None and allow_none:
            return None
        if isinstance(value, kind) and not (isinstance(value, bool) and kind is int):
            return value
        raise JsonError(f"{where}: expected {label}, not {json.dumps(value)[:60]}")

    return decode


def _identity(value: Any) -> Any:
    return value


def _codec(hint: Any) -> tuple[_Encode, _Decode]:
    """Encoder and decoder for a value of type *hint*."""
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        allow_none = type(None) in args
        rest = [a for a in args if a is not type(None)]
        if datetime.date in rest:
            return _encode_date, _date_decoder(datetime.datetime in rest, allow_none)
        if len(rest) == 1:
            encode, decode = _codec(rest[0])
            if not allow_none:
                return encode, decode

            def decode_optional(value: Any, where: str) -> Any:
                return None if value is None else decode(value, where)

            def encode_optional(value: Any) -> Any:
                return None if value is None else encode(value)

            return encode_optional, decode_optional
        raise TypeError(f"no JSON codec for {hint!r}")  # pragma: no cover - model has none
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            item_encode, item_decode = _codec(args[0])

            def encode_tuple(value: Any) -> Any:
                return [item_encode(item) for item in value]

            def decode_tuple(value: Any, where: str) -> Any:
                if not isinstance(value, list):
                    raise JsonError(f"{where}: expected a list, not {json.dumps(value)[:60]}")
                return tuple(item_decode(item, f"{where}[{i}]") for i, item in enumerate(value))

            return encode_tuple, decode_tuple
        if args == (str, str):  # Article.extra items: (tag, value)
            return _encode_pair, _decode_pair
        raise TypeError(f"no JSON codec for {hint!r}")  # pragma: no cover
    if hint is str:
        return _identity, _plain(str, False, "a string")
    if hint is int:
        return _identity, _plain(int, False, "an integer")
    if hint is bool:
        return _identity, _plain(bool, False, "true or false")
    if hint is Severity:
        return _encode_severity, _decode_severity
    if hint is PubDate:
        return _encode_pub_date, _decode_pub_date
    if isinstance(hint, type) and attrs.has(hint):
        return _class_codec(hint)
    raise TypeError(f"no JSON codec for {hint!r}")  # pragma: no cover


def _encode_pair(value: Any) -> Any:
    return {"tag": value[0], "value": value[1]}


def _decode_pair(value: Any, where: str) -> Any:
    if (
        isinstance(value, dict)
        and set(value) == {"tag", "value"}
        and isinstance(value["tag"], str)
        and isinstance(value["value"], str)
    ):
        return (value["tag"], value["value"])
    raise JsonError(f"{where}: expected {{'tag': str, 'value': str}}, not {value!r}")


def _encode_severity(value: Any) -> Any:
    return str(value)


def _decode_severity(value: Any, where: str) -> Any:
    try:
        return Severity(value)
    except ValueError:
        raise JsonError(f"{where}: unknown severity {value!r}") from None


_PUB_DATE_PARTS = (
    "year",
    "month",
    "season",
    "day",
    "end_year",
    "end_month",
    "end_season",
    "end_day",
)


def _encode_pub_date(value: Any) -> Any:
    out: dict[str, Any] = {"text": value.text}
    for name in _PUB_DATE_PARTS:
        out[name] = getattr(value, name)
    return out


def _decode_pub_date(value: Any, where: str) -> Any:
    if not isinstance(value, dict) or not isinstance(value.get("text"), str):
        raise JsonError(f"{where}: expected a publication date object with a 'text' key")
    unknown = set(value) - {"text", *_PUB_DATE_PARTS}
    if unknown:
        raise JsonError(f"{where}: unknown key {sorted(unknown)[0]!r}")
    parts: dict[str, Any] = {}
    for name in _PUB_DATE_PARTS:
        part = value.get(name)
        wanted = str if "season" in name else int
        if part is not None and (not isinstance(part, wanted) or isinstance(part, bool)):
            raise JsonError(f"{where}.{name}: expected {wanted.__name__} or null, not {part!r}")
        parts[name] = part
    try:
        return PubDate(**parts, raw=value["text"])
    except ValueError as error:
        raise JsonError(f"{where}: {error}") from None


@functools.cache
def _class_codec(cls: type) -> tuple[_Encode, _Decode]:
    hints = typing.get_type_hints(cls)
    fields = [
        (f.name, *_codec(hints[f.name]), f.default is not attrs.NOTHING)
        for f in attrs.fields(cls)
        if not (cls is Article and f.name in _OPTIONAL)
    ]
    derived = _DERIVED.get(cls, ())
    known = {name for name, *_ in fields} | set(derived)
    if cls is Article:
        known |= set(_OPTIONAL)

    def encode(value: Any) -> Any:
        out = {name: enc(getattr(value, name)) for name, enc, _, _ in fields}
        for name in derived:
            out[name] = getattr(value, name)
        return out

    def decode(value: Any, where: str) -> Any:
        if not isinstance(value, dict):
            raise JsonError(f"{where}: expected an object, not {json.dumps(value)[:60]}")
        unknown = set(value) - known
        if unknown:
            raise JsonError(f"{where}: unknown key {sorted(unknown)[0]!r}")
        kwargs = {}
        for name, _, dec, has_default in fields:
            if name in value:
                kwargs[name] = dec(value[name], f"{where}.{name}" if where else name)
            elif not has_default:
                raise JsonError(f"{where or 'article'}: missing key {name!r}")
        try:
            return cls(**kwargs)
        except (TypeError, ValueError) as error:
            raise JsonError(f"{where or 'article'}: {error}") from None

    return encode, decode


_decode_diagnostics = _codec(tuple[Diagnostic, ...])[1]


# -- omitting empty values as the values are encoded ----------------------------------------------
# The same encoding as _codec, without the null, [] and {} values of objects: what _prune leaves of
# the full encoding, made in one pass (an article holds far more empty fields than filled ones, and
# a database writes every article this way).


def _compact(hint: Any) -> _Encode:
    """Encoder for a value of type *hint* that leaves empty values out of objects."""
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        rest = [a for a in args if a is not type(None)]
        if datetime.date in rest:
            return _encode_date
        inner = _compact(rest[0])
        return lambda value: None if value is None else inner(value)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        item = _compact(args[0])
        if item is _identity:
            return list
        return lambda value: [item(v) for v in value]
    if hint is PubDate:
        return lambda value: _prune(_encode_pub_date(value))
    if isinstance(hint, type) and attrs.has(hint):
        return _compact_class(hint)
    return _codec(hint)[0]


@functools.cache
def _compact_class(cls: type) -> _Encode:
    hints = typing.get_type_hints(cls)
    fields = [
        (f.name, _compact(hints[f.name]))
        for f in attrs.fields(cls)
        if not (cls is Article and f.name in _OPTIONAL)
    ]
    derived = _DERIVED.get(cls, ())

    def encode(value: Any) -> Any:
        out = {}
        for name, enc in fields:
            item = getattr(value, name)
            if item is None or item == ():
                continue
            item = enc(item)
            if item is None or item == [] or item == {}:
                continue
            out[name] = item
        for name in derived:
            item = getattr(value, name)
            if item is not None:
                out[name] = item
        return out

    return encode


def _prune(value: Any) -> Any:
    """*value* without the ``None``, ``[]`` and ``{}`` values of its objects, at every depth (an
    object emptied so is left out too; list items stay).  One pass: this runs on every article
    a database or ``--omit-empty`` writes."""
    kind = type(value)
    if kind is dict:
        out = {}
        for key, item in value.items():
            if item is None:
                continue
            if type(item) is dict or type(item) is list:
                item = _prune(item)
                if not item:
                    continue
            out[key] = item
        return out
    if kind is list:
        return [_prune(v) if type(v) is dict or type(v) is list else v for v in value]
    return value


# -- public API -----------------------------------------------------------------------------------


def to_dict(
    article: Article,
    *,
    omit_empty: bool = False,
    diagnostics: bool = False,
    field_order: bool = False,
) -> dict[str, Any]:
    """The article as JSON-ready data (dicts, lists, strings, numbers, booleans, ``None``).

    Args:
        omit_empty: leave out keys whose value is ``null`` or an empty list or object (smaller
            output; :func:`from_dict` reads it back the same).
        diagnostics: add a ``diagnostics`` key listing the problems met while reading.
        field_order: add a ``field_order`` key with the source's tag order, which lets the
            MEDLINE writer reproduce that order after a trip through JSON.
    """
    if omit_empty:
        out: dict[str, Any] = _compact_class(Article)(article)
        if diagnostics and article.diagnostics:
            encode = _compact_class(Diagnostic)
            out["diagnostics"] = [encode(diagnostic) for diagnostic in article.diagnostics]
        if field_order and article.field_order:
            out["field_order"] = list(article.field_order)
        return out
    out = _class_codec(Article)[0](article)
    if diagnostics:
        out["diagnostics"] = [
            _class_codec(Diagnostic)[0](diagnostic) for diagnostic in article.diagnostics
        ]
    if field_order and article.field_order is not None:
        out["field_order"] = list(article.field_order)
    return out


def from_dict(data: dict[str, Any]) -> Article:
    """The :class:`Article` described by *data* (the output of :func:`to_dict`).

    Missing keys take the model's defaults; derived keys (``doi``, ``pmcid``, ``year``) are
    ignored; an unknown key or a value of the wrong type raises :class:`JsonError`.
    """
    article: Article = _class_codec(Article)[1](data, "")
    extra: dict[str, Any] = {}
    if data.get("diagnostics"):
        extra["diagnostics"] = _decode_diagnostics(data["diagnostics"], "diagnostics")
    order = data.get("field_order")
    if order is not None:
        if not isinstance(order, list) or not all(isinstance(tag, str) for tag in order):
            raise JsonError("field_order: expected a list of tags")
        extra["field_order"] = tuple(order)
    return attrs.evolve(article, **extra) if extra else article


_SURROGATE = re.compile("[\ud800-\udfff]")


def dump_text(value: Any, indent: int | None = None) -> str:
    """``json.dumps(value)`` with text as UTF-8 characters, except lone surrogates (a file name
    that is not valid UTF-8, decoded with ``surrogateescape``), which are written as ``\\udcxx``
    escapes: valid JSON that UTF-8 can encode, and that reads back to the same string."""
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    if _SURROGATE.search(text) is None:
        return text
    return _SURROGATE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def _one_line(article: Article, options: dict[str, bool]) -> str:
    return dump_text(to_dict(article, **options))


def iter_jsonl(
    articles: Iterable[Article],
    *,
    omit_empty: bool = False,
    diagnostics: bool = False,
    field_order: bool = False,
) -> Iterator[str]:
    """One JSON Lines line (with its ``\\n``) per article."""
    options = {"omit_empty": omit_empty, "diagnostics": diagnostics, "field_order": field_order}
    for article in articles_to_write(articles):
        yield _one_line(article, options) + "\n"


def _iter_array(
    articles: Iterable[Article], indent: int | None, options: dict[str, bool]
) -> Iterator[str]:
    yield "["
    first = True
    for article in articles:
        text = dump_text(to_dict(article, **options), indent)
        if indent is not None:
            text = "\n" + "\n".join(" " * indent + line for line in text.split("\n"))
        yield text if first else "," + text
        first = False
    yield "\n]\n" if not first and indent is not None else "]\n"


def write(
    articles: Article | Iterable[Article],
    target: Target,
    *,
    lines: bool = True,
    indent: int | None = 2,
    omit_empty: bool = False,
    diagnostics: bool = False,
    field_order: bool = False,
) -> int:
    """Stream *articles* to *target* (a path, ``"-"`` or a file; see
    :func:`~medline_parse.outputs.open_target`) as JSON Lines, or as one JSON array when
    ``lines=False`` (indented by *indent*, ``None`` for one line); returns the count."""
    articles = articles_to_write(articles)
    options = {"omit_empty": omit_empty, "diagnostics": diagnostics, "field_order": field_order}
    count = 0

    def counted() -> Iterator[Article]:
        nonlocal count
        for article in articles:
            count += 1
            yield article

    chunks = (
        (_one_line(a, options) + "\n" for a in counted())
        if lines
        else _iter_array(counted(), indent, options)
    )
    with open_target(target, binary=False) as handle:
        for chunk in chunks:
            handle.write(chunk)
    return count


def dumps(
    articles: Article | Iterable[Article],
    *,
    lines: bool = False,
    indent: int | None = 2,
    omit_empty: bool = False,
    diagnostics: bool = False,
    field_order: bool = False,
) -> str:
    """JSON text of one article (an object) or many (an array, or JSON Lines with ``lines=True``)."""
    options = {"omit_empty": omit_empty, "diagnostics": diagnostics, "field_order": field_order}
    if isinstance(articles, Article):
        return dump_text(to_dict(articles, **options), indent)
    buffer = io.StringIO()
    write(articles, buffer, lines=lines, indent=indent, **options)
    return buffer.getvalue()


def loads(text: str) -> list[Article]:
    """The articles of JSON *text*: an array of article objects, one object, or JSON Lines."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        if error.msg != "Extra data":
            raise JsonError(f"not JSON: {error}") from None
        articles = []
        for number, line in enumerate(text.splitlines(), 1):
            if line.strip():
                try:
                    item = json.loads(line)
                except json.JSONDecodeError as line_error:
                    raise JsonError(f"line {number}: not JSON: {line_error}") from None
                articles.append(_article(item, f"line {number}"))
        return articles
    if isinstance(data, list):
        return [_article(item, f"[{i}]") for i, item in enumerate(data)]
    return [_article(data, "")]


def _article(data: Any, where: str) -> Article:
    if not isinstance(data, dict):
        raise JsonError(f"{where or 'input'}: expected an article object")
    try:
        return from_dict(data)
    except JsonError as error:
        raise JsonError(f"{where}: {error}" if where else str(error)) from None
