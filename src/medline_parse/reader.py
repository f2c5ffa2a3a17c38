"""Reading records from any source: the public entry points of the record layer."""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor

from .builder import build_article
from .errors import MedlineError, MedlineWarning
from .model import Article
from .records import Record
from .sources import Source, describe_source, iter_blocks
from .tokenizer import tokenize_blocks

__all__ = ["iter_records", "loads", "parse", "parse_many", "read"]


def iter_records(
    source: Source,
    *,
    strict: bool = False,
    encoding: str | None = None,
    split_collapsed: bool = True,
) -> Iterator[Record]:
    """Stream the :class:`~medline_parse.records.Record` s of *source*, in order.

    *source* is a path (``str`` or path-like; gzip files are decompressed), a binary or text file
    object, or an iterable of ``str`` lines.  Memory stays flat however large the input.

    Args:
        strict: raise :class:`~medline_parse.errors.ParseError` at the first problem instead of
            attaching a diagnostic to the record.
        encoding: decode bytes with this codec instead of UTF-8 with its stated fallback.
        split_collapsed: recover records whose line breaks were lost (``FORMAT.md`` §9).

    Raises:
        SourceError: the source cannot be opened or read (also an :class:`OSError`).
        ParseError: in strict mode, at the first problem.
    """
    return tokenize_blocks(
        iter_blocks(source, encoding),
        path=describe_source(source),
        strict=strict,
        split_collapsed=split_collapsed,
    )


def parse(
    source: Source,
    *,
    strict: bool = False,
    encoding: str | None = None,
    split_collapsed: bool = True,
) -> Iterator[Article]:
    """Stream the typed :class:`~medline_parse.model.Article` s of *source*, in order.

    Sources as for :func:`iter_records`.  Diagnostics travel with each article
    (:attr:`Article.diagnostics`).  Input with no MEDLINE field at all yields no article; its
    diagnostics are issued as :class:`~medline_parse.errors.MedlineWarning` s.
    """
    for record in iter_records(
        source, strict=strict, encoding=encoding, split_collapsed=split_collapsed
    ):
        if record.has_fields:
            yield build_article(record, strict=strict)
        else:
            for diagnostic in record.diagnostics:
                if diagnostic.is_problem:
                    warnings.warn(str(diagnostic), MedlineWarning, stacklevel=2)


def read(
    source: Source,
    *,
    strict: bool = False,
    encoding: str | None = None,
    split_collapsed: bool = True,
) -> Article:
    """The one article of *source*; a :class:`~medline_parse.errors.MedlineError` that says how
    many it found when there is not exactly one."""
    found: list[Article] = []
    for article in parse(source, strict=strict, encoding=encoding, split_collapsed=split_collapsed):
        found.append(article)
        if len(found) > 1:
            break
    if len(found) != 1:
        where = describe_source(source) or "the input"
        count = "no record" if not found else "more than one record"
        raise MedlineError(f"read() expects exactly one record, but {where} holds {count}")
    return found[0]


def loads(text: str, *, strict: bool = False, split_collapsed: bool = True) -> list[Article]:
    """The articles of MEDLINE *text* held in memory."""
    if not isinstance(text, str):
        raise MedlineError(f"loads() takes text (str), not {type(text).__name__}")
    return list(parse([text], strict=strict, split_collapsed=split_collapsed))


def _parse_file(job: tuple[str, bool, str | None]) -> list[Article]:
    path, strict, encoding = job
    return list(parse(path, strict=strict, encoding=encoding))


def parse_many(
    paths: Iterable[str | os.PathLike[str]],
    *,
    workers: int | None = None,
    strict: bool = False,
    encoding: str | None = None,
) -> Iterator[Article]:
    """Parse many files in parallel processes and yield their articles in a stable order: file by
    file as *paths* lists them, each file's articles in file order.

    Each file is parsed whole by one worker (parsing a file is a pure function of its bytes), so
    the result is the same as ``chain.from_iterable(parse(p) for p in paths)`` for any *workers*.

    Args:
        workers: number of processes; ``None`` uses every core, ``1`` parses in this process.
    """
    jobs = [(os.fspath(path), strict, encoding) for path in paths]
    if workers is None:
        workers = os.cpu_count() or 1
    workers = max(1, min(workers, len(jobs)))
    if workers == 1:
        for job in jobs:
            yield from parse(job[0], strict=strict, encoding=encoding)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for articles in pool.map(_parse_file, jobs):
            yield from articles
