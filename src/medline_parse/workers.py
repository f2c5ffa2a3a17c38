"""The worker processes behind :func:`~medline_parse.parse_many`: jobs out, results back in order.

Strategy: a small pool of its own rather than :class:`concurrent.futures.ProcessPoolExecutor`,
because a caller that stops early must get control back at once.  The executor can only wait for
the files in flight (seconds for large ones), and terminating its workers can leave its manager
thread blocked for good on a half-sent result.  Here each worker has a pipe of its own: stopping
terminates the workers and closes their pipes, and a worker that dies mid-send damages nothing
but its own pipe.  Each worker runs one job at a time; at most *ahead* jobs are out or waiting to
be yielded, so memory stays bounded however many jobs there are.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import pickle
import traceback
from collections.abc import Callable, Generator, Sequence
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any, TypeVar

from .errors import MedlineError

__all__ = ["RemoteTraceback", "run_in_order", "unsendable"]

J = TypeVar("J")
R = TypeVar("R")


class RemoteTraceback(Exception):
    """The traceback of an exception raised in a worker (set as the ``__cause__`` of the
    exception raised again in the caller)."""

    def __str__(self) -> str:
        return "\n" + str(self.args[0]) if self.args else ""


def _serve(connection: Connection, function: Callable[[Any], Any]) -> None:
    """A worker's life: run *function* on each job received, send back what it gives or raises."""
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):  # the caller is gone
            return
        if job is None:
            return
        try:
            reply: tuple[bool, Any, str] = (True, function(job), "")
        except BaseException as error:  # everything goes back to the caller, as it would raise
            reply = (False, error, traceback.format_exc())
        try:
            connection.send(reply)
        except Exception as error:  # a result or an exception that does not pickle
            connection.send((False, unsendable(error), ""))


def unsendable(error: Exception, where: str | None = None) -> MedlineError:
    """The library error for a result a worker cannot pickle (*where*: the job it came from)."""
    text = f"{type(error).__name__}: {error}"
    return MedlineError(
        f"{where + ': ' if where else ''}a worker's result cannot be sent back: {text}"
    )


class _Worker:
    __slots__ = ("connection", "job", "process")

    def __init__(self, process: BaseProcess, connection: Connection) -> None:
        self.process = process
        self.connection = connection
        self.job: int | None = None  # index of the job it runs


def _start(function: Callable[[J], R]) -> _Worker:
    context = multiprocessing.get_context()
    ours, theirs = context.Pipe()
    # daemonic: should the caller exit without closing the iterator, the workers go with it
    process = context.Process(target=_serve, args=(theirs, function), daemon=True)
    process.start()
    theirs.close()  # the worker holds the only other end: its death reads as EOF here
    return _Worker(process, ours)


def run_in_order(
    function: Callable[[J], R],
    jobs: Sequence[J],
    *,
    workers: int,
    ahead: int,
    describe: Callable[[J], str] = str,
) -> Generator[R, None, None]:
    """``function(job)`` for each of *jobs*, run in *workers* processes, yielded in job order.

    At most *ahead* jobs are running or done but not yet yielded.  An exception the function
    raises is raised here, at its job's turn.  Closing the iterator (or an exception) terminates
    the workers at once; none is left behind.  *describe* names a job in the error raised when
    its worker dies.
    """
    pool = [_start(function) for _ in range(workers)]
    idle = list(pool)
    running: dict[Connection, _Worker] = {}
    done: dict[int, tuple[bool, Any, str]] = {}
    sent = 0
    finished = False
    try:
        for turn in range(len(jobs)):
            while turn not in done:
                while idle and sent < len(jobs) and sent < turn + ahead:
                    worker = idle.pop()
                    worker.connection.send(jobs[sent])
                    worker.job = sent
                    running[worker.connection] = worker
                    sent += 1
                for ready in wait(list(running)):
                    assert isinstance(ready, Connection)
                    worker = running.pop(ready)
                    assert worker.job is not None
                    try:
                        done[worker.job] = ready.recv()
                    except (EOFError, OSError, pickle.UnpicklingError):
                        worker.process.join()
                        raise MedlineError(
                            f"{describe(jobs[worker.job])}: the worker process parsing it stopped "
                            f"(exit code {worker.process.exitcode})"
                        ) from None
                    except Exception as failure:  # came whole, but cannot be rebuilt here
                        raise MedlineError(
                            f"{describe(jobs[worker.job])}: a worker's result cannot be rebuilt "
                            f"here: {type(failure).__name__}: {failure}"
                        ) from None
                    worker.job = None
                    idle.append(worker)
            ok, value, trace = done.pop(turn)
            if not ok:
                if trace:
                    raise value from RemoteTraceback(trace)
                raise value
            yield value
        finished = True
    finally:
        for worker in pool:
            if finished:
                with contextlib.suppress(OSError):
                    worker.connection.send(None)
            else:
                worker.process.terminate()
        for worker in pool:
            worker.process.join()
            worker.connection.close()
