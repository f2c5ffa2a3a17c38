"""``medline convert --scheduler ADDRESS``: the inputs parsed on a Dask cluster.

The files are cut into parts and parsed by the cluster's workers (:func:`medline_parse.dask.
iter_parts`); their articles come back here in file order and are written as they come, so the
output is the same as a local run's.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator, Sequence
from typing import Any

from ..convert import missing_extra
from ..errors import MedlineError
from ..model import Article
from .common import Run, file_read, reason

__all__ = ["cluster_articles", "connect"]


def connect(address: str) -> Any:
    """A Dask client of the scheduler at *address*."""
    try:
        from distributed import Client
    except ImportError as error:
        raise missing_extra("distributed", "dask", error, purpose="--scheduler") from None
    try:
        return Client(address, timeout=20)  # type: ignore[no-untyped-call]
    except (OSError, ValueError) as error:
        raise MedlineError(f"cannot reach the Dask scheduler at {address}: {error}") from None


def cluster_articles(
    paths: Sequence[str], run: Run, args: argparse.Namespace, client: Any
) -> Iterator[Article]:
    """As :func:`~medline_parse.cli.common.read_articles`, the files parsed on *client*'s
    cluster."""
    from ..dask import iter_parts

    index = {path: number for number, path in enumerate(paths)}
    counts: dict[str, list[int]] = {}  # file -> [articles, problems]; -1 articles: failed
    parts = iter_parts(paths, client=client, strict=args.strict, encoding=args.encoding)
    for name, result in parts:
        run.current = index.get(name, run.current)
        count = counts.setdefault(name, [0, 0])
        if count[0] < 0:
            continue  # the rest of a file that failed
        if isinstance(result, BaseException):
            run.fail(name, reason(result, name))
            count[0] = -1
            continue
        for article in result:
            count[0] += 1
            count[1] += sum(1 for d in article.diagnostics if d.is_problem)
            yield article
    for name, (articles, problems) in counts.items():
        if articles >= 0:
            file_read(run, args, name, articles, problems)
