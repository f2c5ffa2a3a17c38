"""medline-parse on Dask: parse many files, and the current view of PubMed, on a cluster.

Needs the ``[dask]`` extra (``pip install "medline-parse[dask]"``): Dask and its ``distributed``
scheduler, of the same version.  Every function builds a lazy Dask collection and reads nothing on
the client but file names and sizes: each task opens its file from the path (any fsspec URL:
``s3://``, ``gs://``, ``file://``...) and parses it where it runs.  Run it on a
``distributed.Client`` to use a cluster; without one Dask uses local threads.

- :func:`read_articles`: a ``dask.bag.Bag`` of :class:`~medline_parse.Article`;
- :func:`read_dataframe`: a ``dask.dataframe.DataFrame``, one row per article, with the documented
  flat columns and a fixed Arrow schema, ready for ``to_parquet``;
- :func:`current_view`: the baseline and update files folded into today's PubMed, the records
  :func:`medline_parse.sync` keeps, as such a DataFrame;
- :func:`iter_parts`: the articles of each part handed over in order (``medline convert
  --scheduler``).

One partition per file, or per block of a large uncompressed MEDLINE text file, cut at record
boundaries so that every record is read exactly once (``blocksize``).  Compressed files and PubMed
XML files are one partition each.
"""

from __future__ import annotations

import functools
import inspect
import os
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from itertools import islice
from typing import TYPE_CHECKING, Any

from .. import arguments
from ..convert import missing_extra
from ..errors import MedlineError
from ..medline.split import splittable_encoding
from ..model import Article
from ..reader import parse
from ..sources import check_encoding
from .parts import Part, expand, plan
from .tables import article_frame, check_columns
from .tasks import Finish, as_list, lines_before, read_part, span

if TYPE_CHECKING:
    import dask.bag
    import dask.dataframe

__all__ = [
    "DEFAULT_BLOCKSIZE",
    "current_view",
    "iter_parts",
    "read_articles",
    "read_dataframe",
]

DEFAULT_BLOCKSIZE = "32MiB"
"""Files of MEDLINE text larger than this are read in parts of about this size."""

_PARSE_OPTIONS = frozenset(
    name
    for name, parameter in inspect.signature(parse).parameters.items()
    if parameter.kind is inspect.Parameter.KEYWORD_ONLY
)


def _require(module: str) -> Any:
    """Import *module* (``dask.bag``, ``dask.dataframe``...), or say which extra installs it."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as error:
        raise missing_extra(
            module.split(".")[0], "dask", error, purpose="medline_parse.dask"
        ) from None


def _options(parse_options: Mapping[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(parse_options) - _PARSE_OPTIONS)
    if unknown:
        raise TypeError(
            f"unexpected option {', '.join(unknown)}: the reading options are those of "
            f"medline_parse.parse ({', '.join(sorted(_PARSE_OPTIONS))})"
        )
    return dict(parse_options)


def _can_cut(options: Mapping[str, Any]) -> bool:
    """Whether files may be read in parts with these options: not in strict mode (which stops at
    a PMID repeated anywhere in a file), not in an encoding whose line breaks are other bytes."""
    return (
        not options.get("strict", False)
        and options.get("format") in (None, "medline")
        and splittable_encoding(options.get("encoding"))
    )


def _blocksize(blocksize: object) -> int | None:
    what = "blocksize (bytes, a size such as '32MiB', or None)"
    if blocksize is None:
        return None
    if isinstance(blocksize, str):
        from dask.utils import parse_bytes

        try:
            blocksize = int(parse_bytes(blocksize))
        except (ValueError, TypeError):
            raise MedlineError(f"{what}: cannot read {blocksize!r} as a size") from None
    return arguments.count(blocksize, what)


def _checked(paths: object, parse_options: Mapping[str, Any]) -> tuple[list[str], dict[str, Any]]:
    """*paths* as a list of path strings and the reading options, or a MedlineError saying which
    argument is wrong: checked on the client, before anything is scheduled."""
    options = _options(parse_options)
    if options.get("encoding") is not None:
        check_encoding(options["encoding"])
    return arguments.paths(paths, "paths (a path, glob or URL, or a list of them)"), options


def _spans(delayed: Any, file_parts: list[Part]) -> tuple[list[Any], Any]:
    """The span task of each part of a cut file, and one task summing their lines into the
    number of lines before each part, as ``Delayed`` objects sharing one graph layer.

    Each part's task depends on its span and on that sum, so the graph grows with the parts and
    not with their square (as when each part was given the spans of all parts before it).  The
    one layer matters as much: Dask builds a task's graph from the layers of its arguments, and a
    sum holding a layer per span would hand every part all of them again."""
    from dask.delayed import Delayed
    from dask.highlevelgraph import HighLevelGraph

    spans = [delayed(span, pure=False)(part) for part in file_parts]
    before = delayed(lines_before, pure=False)(spans)
    layer = f"spans-{before.key}"
    graph = HighLevelGraph({layer: dict(before.__dask_graph__())}, {layer: set()})
    shared: Callable[..., Any] = functools.partial(Delayed, dsk=graph, layer=layer)
    return [shared(s.key) for s in spans], shared(before.key)


def _tasks(
    paths: object,
    *,
    blocksize: int | str | None,
    storage_options: Mapping[str, Any] | None,
    parse_options: Mapping[str, Any],
    finish: Finish,
    events: bool = False,
    arrange: Callable[[list[Part]], list[Part]] | None = None,
) -> tuple[list[Part], list[Any]]:
    """The parts of *paths* and one ``Delayed`` per part that reads it and applies *finish* (to
    its articles, or with *events* to its articles and deletion notices); *arrange* puts the
    files in another order."""
    delayed = _require("dask.delayed").delayed
    names, options = _checked(paths, parse_options)
    size = _blocksize(blocksize)
    files = expand(names, storage_options)
    if arrange is not None:
        files = arrange(files)
    planned = plan(files, size, _can_cut(options))
    parts: list[Part] = []
    tasks: list[Any] = []
    read = delayed(read_part, pure=False)
    for file_parts in planned:
        if len(file_parts) == 1:
            tasks.append(read(file_parts[0], None, None, options, finish, events))
        else:
            spans, before = _spans(delayed, file_parts)
            for part, own in zip(file_parts, spans):
                tasks.append(read(part, own, before, options, finish, events))
        parts.extend(file_parts)
    return parts, tasks


def read_articles(
    paths: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    *,
    blocksize: int | str | None = DEFAULT_BLOCKSIZE,
    storage_options: Mapping[str, Any] | None = None,
    **parse_options: Any,
) -> dask.bag.Bag:
    """A Dask bag of the :class:`~medline_parse.Article` s of *paths*, in file order.

    Args:
        paths: a path, a glob (``"baseline/*.xml.gz"``) or an fsspec URL (``"s3://bucket/x"``), or
            a list of them; a glob's matches are taken in sorted order.
        blocksize: MEDLINE text files larger than this (bytes, or ``"32MiB"``) are read in parts
            of about this size, cut at record boundaries; ``None`` reads every file whole.
        storage_options: for fsspec (credentials, endpoints), as in ``dask.bag.read_text``.
        parse_options: as for :func:`medline_parse.parse` (``strict``, ``encoding``...).

    Each partition's articles equal those :func:`medline_parse.parse` gives for that stretch of
    the file, with diagnostics naming the file and its line numbers.  Two differences from
    parsing a file whole, both only where a file is cut: a PMID repeated in two parts is not
    flagged ``duplicate-pmid`` (``strict=True`` reads every file whole, so it stops there as
    :func:`~medline_parse.parse` does), and warnings about input holding no record at all stay in
    the workers' logs.
    """
    bag = _require("dask.bag")
    _, tasks = _tasks(
        paths,
        blocksize=blocksize,
        storage_options=storage_options,
        parse_options=parse_options,
        finish=as_list,
    )
    result: dask.bag.Bag = (
        bag.from_delayed(tasks) if tasks else bag.from_sequence([], npartitions=1)
    )
    return result


def read_dataframe(
    paths: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    columns: Sequence[str] | None = None,
    *,
    blocksize: int | str | None = DEFAULT_BLOCKSIZE,
    storage_options: Mapping[str, Any] | None = None,
    **parse_options: Any,
) -> dask.dataframe.DataFrame:
    """A Dask DataFrame with one row per article of *paths*, ready for ``to_parquet``.

    The columns are the documented flat columns (``medline_parse.convert.frames``: pmid, title,
    journal, ... with authors, affiliations, MeSH, keywords... as lists of strings), or those of
    *columns*, in a fixed Arrow schema (:func:`medline_parse.convert.frames.arrow_schema`): every
    column a ``pandas.ArrowDtype``.  Other arguments as for :func:`read_articles`.
    """
    dd = _require("dask.dataframe")
    chosen = check_columns(columns)
    _require("pyarrow")
    meta = article_frame(chosen, None, ())
    _, tasks = _tasks(
        paths,
        blocksize=blocksize,
        storage_options=storage_options,
        parse_options=parse_options,
        finish=functools.partial(article_frame, chosen),
    )
    frame: dask.dataframe.DataFrame = (
        dd.from_delayed(tasks, meta=meta, verify_meta=False)
        if tasks
        else dd.from_pandas(meta, npartitions=1)
    )
    return frame


def current_view(
    paths: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    columns: Sequence[str] | None = None,
    *,
    npartitions: int | None = None,
    blocksize: int | str | None = DEFAULT_BLOCKSIZE,
    storage_options: Mapping[str, Any] | None = None,
    **parse_options: Any,
) -> dask.dataframe.DataFrame:
    """PubMed as of the last of *paths*: the baseline and update files folded into one row per
    record, as a Dask DataFrame (the distributed twin of :func:`medline_parse.sync`).

    The files apply in PubMed's order (``pubmedYYnNNNN`` by year and number, other files as
    given), each file's articles and deletion notices in file order, by the rules
    :func:`~medline_parse.sync` follows (``medline_parse.store.order``): a record replaces the one
    held for its PMID unless that one has a newer version, a deletion removes it.  So the rows are
    the records ``sync`` leaves in its database.  Columns as for :func:`read_dataframe`; the rows
    come partitioned by a hash of the PMID (into *npartitions*, by default as many as the input
    has), in no particular order.  Other arguments as for :func:`read_articles`.
    """
    dd = _require("dask.dataframe")
    from .view import fold, in_apply_order, view_parts

    chosen = check_columns(columns)
    if npartitions is not None:
        arguments.count(npartitions, "npartitions (or None)")
    _require("pyarrow")
    event_meta, view_meta, finish = view_parts(chosen)
    _, tasks = _tasks(
        paths,
        blocksize=blocksize,
        storage_options=storage_options,
        parse_options=parse_options,
        finish=finish,
        events=True,
        arrange=in_apply_order,
    )
    if not tasks:
        empty: dask.dataframe.DataFrame = dd.from_pandas(view_meta, npartitions=1)
        return empty
    events = dd.from_delayed(tasks, meta=event_meta, verify_meta=False)
    # The task-based shuffle: distributed's P2P shuffle fails on list columns held as
    # pandas.ArrowDtype (it cannot rebuild their dtype from the Arrow schema's pandas metadata).
    shuffled = events.shuffle(on="_key", npartitions=npartitions, shuffle_method="tasks")
    view: dask.dataframe.DataFrame = shuffled.map_partitions(
        functools.partial(fold, chosen), meta=view_meta
    )
    return view


def iter_parts(
    paths: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    *,
    client: Any,
    ahead: int | None = None,
    blocksize: int | str | None = DEFAULT_BLOCKSIZE,
    storage_options: Mapping[str, Any] | None = None,
    **parse_options: Any,
) -> Iterator[tuple[str, list[Article] | MedlineError | OSError]]:
    """The articles of each part of *paths*, parsed on *client*'s cluster and handed over here in
    order, for writing out as they come (``medline convert --scheduler``).

    Yields ``(file name, articles)`` per part, or ``(file name, error)`` for a part that could not
    be read (the caller decides whether to go on).  At most *ahead* parts (by default twice the
    cluster's threads) are parsed ahead of the one handed over, so memory stays bounded however
    many files there are.  Other arguments as for :func:`read_articles`.
    """
    parts, tasks = _tasks(
        paths,
        blocksize=blocksize,
        storage_options=storage_options,
        parse_options=parse_options,
        finish=as_list,
    )
    if ahead is None:
        ahead = 2 * max(1, sum(client.nthreads().values()))
    queued = iter(zip(parts, tasks))
    pending: deque[tuple[str, Any]] = deque()

    def submit(count: int) -> None:
        for part, task in islice(queued, count):
            pending.append((part.name, client.compute(task)))

    submit(max(1, ahead))
    try:
        while pending:
            name, future = pending.popleft()
            result: list[Article] | MedlineError | OSError
            try:
                result = future.result()
            except (MedlineError, OSError) as error:
                result = error
            submit(1)
            yield name, result
    finally:  # also when the caller stops early: drop what is still running
        for _, future in pending:
            future.cancel()
