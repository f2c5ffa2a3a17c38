"""A real Dask cluster for the tests: a distributed.LocalCluster of two worker processes."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from typing import Any


@contextlib.contextmanager
def local_client() -> Iterator[Any]:
    """A client of a LocalCluster with two single-threaded worker processes, closed after."""
    import distributed

    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",
            silence_logs=logging.ERROR,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client
