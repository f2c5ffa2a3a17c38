"""parse_many: parallel parsing gives the same articles, in the same order, as parsing in turn."""

from __future__ import annotations

import gzip
import multiprocessing
import os
import re
import time
from itertools import chain
from pathlib import Path

import pytest

from medline_parse import (
    Article,
    MedlineError,
    MedlineWarning,
    ParseError,
    SourceError,
    parse,
    parse_many,
)

from .conftest import EXAMPLES, FIXTURES
from .test_bad_input import time_limit

FILES = [
    EXAMPLES / "data" / "sample.txt",
    FIXTURES / "legacy.txt",
    EXAMPLES / "data" / "sample.nbib",
    FIXTURES / "pubmed2020.txt",
    FIXTURES / "efetch.txt",
]


@pytest.mark.parametrize("workers", [1, 2, None])
def test_parse_many_equals_parsing_in_turn(workers: int | None) -> None:
    expected = list(chain.from_iterable(parse(path) for path in FILES))
    got = list(parse_many(FILES, workers=workers))
    assert [a.pmid for a in got] == [a.pmid for a in expected]
    assert got == expected
    # field order travels back from the workers too, so the writer keeps each file's layout
    assert [a.field_order for a in got] == [a.field_order for a in expected]


def test_parse_many_of_nothing_and_of_a_missing_file(tmp_path: Path) -> None:
    assert list(parse_many([], workers=2)) == []
    with pytest.raises(SourceError, match="no such file"):
        list(parse_many([FILES[0], tmp_path / "missing.txt"], workers=2))


def pmid_and_authors(article: Article) -> tuple[str | None, int]:
    """A transform for the workers (module level, so it pickles)."""
    return article.pmid, len(article.authors)


@pytest.mark.parametrize("workers", [1, 2])
def test_transform_runs_on_each_article_in_order(workers: int) -> None:
    expected = [pmid_and_authors(a) for a in chain.from_iterable(parse(p) for p in FILES)]
    got = list(parse_many(FILES, workers=workers, transform=pmid_and_authors))
    assert got == expected
    assert any(count for _, count in got)


def test_many_files_in_bounded_flight_keep_their_order() -> None:
    # More files than 2 x workers: later files are submitted as earlier ones are consumed.
    files = FILES * 4
    expected = [a.pmid for a in chain.from_iterable(parse(p) for p in files)]
    got = list(parse_many(files, workers=2, transform=pmid_and_authors))
    assert [pmid for pmid, _ in got] == expected


def test_stopping_early_leaves_no_worker_behind() -> None:
    stream = parse_many(FILES * 4, workers=2)
    first = next(stream)
    assert first == next(iter(parse(FILES[0])))
    stream.close()  # shuts the pool down, cancelling the files not started
    assert list(stream) == []


def test_diagnostics_and_warnings_travel_back_from_the_workers(tmp_path: Path) -> None:
    odd = tmp_path / "odd.txt"
    odd.write_text(
        "PMID- 99000001\nDP  - 2019 Smarch\nTI  - A title\n      continued\nXX  - unknown\n\n"
        "PMID- 99000001\nDA  - 20191399\n",
        encoding="utf-8",
    )
    junk = tmp_path / "junk.txt"
    junk.write_text("this is not MEDLINE\n", encoding="utf-8")
    files = [odd, junk, FILES[0]]
    expected = list(chain.from_iterable(parse(path) for path in [odd, FILES[0]]))
    with pytest.warns(MedlineWarning) as caught:
        got = list(parse_many(files, workers=2))
    messages = [str(w.message) for w in caught]
    assert any("junk.txt:1:" in m and "[junk-line]" in m for m in messages)
    assert {w.filename for w in caught} == {__file__}  # pointing at the caller's line
    assert any("no MEDLINE field" in m for m in messages)
    assert got == expected
    where = [[(d.code, d.line, d.path) for d in a.diagnostics] for a in got]
    assert where == [[(d.code, d.line, d.path) for d in a.diagnostics] for a in expected]
    # the builder's own notes need the line numbers the workers send
    assert where[1][1][:2] == ("invalid-date", 8)
    assert {code for found in where[:2] for code, _, _ in found} == {
        "unclear-date",
        "duplicate-pmid",
        "invalid-date",
    }


def test_strict_mode_raises_from_the_workers(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("PMID- 99000001\nDA  - 20191399\n", encoding="utf-8")
    with pytest.raises(ParseError) as caught:
        list(parse_many([FILES[0], bad], workers=2, strict=True))
    assert (caught.value.code, caught.value.line) == ("invalid-date", 2)


def test_warnings_of_transforming_workers_reach_the_caller(tmp_path: Path) -> None:
    junk = tmp_path / "junk.txt"
    junk.write_text("this is not MEDLINE\n", encoding="utf-8")
    with pytest.warns(MedlineWarning) as caught:
        got = list(parse_many([junk, FILES[0]], workers=2, transform=pmid_and_authors))
    assert got == [pmid_and_authors(a) for a in parse(FILES[0])]
    assert any("junk.txt:1:" in str(w.message) for w in caught)
    assert {w.filename for w in caught} == {__file__}


def test_default_workers_follow_the_cores_this_process_may_use() -> None:
    from medline_parse.reader import _usable_cores

    cores = _usable_cores()
    assert 1 <= cores <= (os.cpu_count() or 1)
    if hasattr(os, "sched_getaffinity"):
        assert cores == len(os.sched_getaffinity(0))


# -- hostile cases (issue 14) ---------------------------------------------------------------------------

SLOW_PMID = "99000999"


def wait_on_one_pmid(article: Article) -> str | None:
    """A transform that never finishes the article SLOW_PMID (it sleeps ten minutes)."""
    if article.pmid == SLOW_PMID:
        time.sleep(600)
    return article.pmid


def die_on_one_pmid(article: Article) -> str | None:
    """A transform whose process dies at the article SLOW_PMID, as one killed by the OS would."""
    if article.pmid == SLOW_PMID:
        os._exit(3)
    return article.pmid


def fail_on_one_pmid(article: Article) -> str | None:
    if article.pmid == SLOW_PMID:
        raise ValueError(f"cannot transform {article.pmid}")
    return article.pmid


def _slow_file(tmp_path: Path) -> Path:
    path = tmp_path / "slow.txt"
    path.write_text(f"PMID- {SLOW_PMID}\nTI  - A title\n", encoding="utf-8")
    return path


def test_stopping_early_does_not_wait_for_the_files_in_flight(tmp_path: Path) -> None:
    slow = _slow_file(tmp_path)
    stream = parse_many([FILES[0], slow, slow], workers=2, transform=wait_on_one_pmid)
    assert next(stream) == next(iter(parse(FILES[0]))).pmid
    with time_limit(60):  # the worker on slow.txt sleeps ten minutes: it is terminated instead
        stream.close()
    assert multiprocessing.active_children() == []


def test_an_error_stops_the_other_workers_at_once(tmp_path: Path) -> None:
    slow = _slow_file(tmp_path)
    bad = tmp_path / "bad.txt"
    bad.write_text("PMID- 99000001\nTI  - t\njunk\n", encoding="utf-8")
    with time_limit(60), pytest.raises(ParseError, match="junk-line"):
        list(parse_many([bad, slow], workers=2, strict=True, transform=wait_on_one_pmid))
    assert multiprocessing.active_children() == []


def test_a_strict_error_from_a_worker_is_the_one_parse_raises(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("PMID- 99000001\nTI  - t\njunk\n", encoding="utf-8")
    with pytest.raises(ParseError) as sequential:
        list(parse(bad, strict=True))
    with pytest.raises(ParseError) as parallel:
        list(parse_many([FILES[0], bad], workers=2, strict=True))
    error = parallel.value
    assert str(error) == str(sequential.value)
    assert str(error).startswith(f"{bad}:3: line is neither a field")
    assert (error.code, error.line, error.path, error.text) == ("junk-line", 3, str(bad), "junk\n")


def test_a_worker_that_dies_is_an_error_naming_its_file(tmp_path: Path) -> None:
    slow = _slow_file(tmp_path)
    with (
        time_limit(60),
        pytest.raises(MedlineError, match=rf"{re.escape(str(slow))}: the worker .*\(exit code 3\)"),
    ):
        list(parse_many([FILES[0], slow], workers=2, transform=die_on_one_pmid))
    assert multiprocessing.active_children() == []


def test_a_transform_that_raises_raises_the_same_in_the_caller(tmp_path: Path) -> None:
    slow = _slow_file(tmp_path)
    with pytest.raises(ValueError, match=f"cannot transform {SLOW_PMID}") as caught:
        list(parse_many([FILES[0], slow], workers=2, transform=fail_on_one_pmid))
    assert "fail_on_one_pmid" in str(caught.value.__cause__)  # the worker's traceback


def test_the_articles_before_damaged_gzip_data_come_first(tmp_path: Path) -> None:
    text = "".join(f"PMID- {n}\nTI  - title {n}\n\n" for n in range(99000001, 99000400))
    damaged = tmp_path / "damaged.txt.gz"
    packed = gzip.compress(text.encode(), mtime=0)
    damaged.write_bytes(packed[: len(packed) - 30])

    def outcome(workers: int) -> tuple[list[str | None], str]:
        got: list[str | None] = []
        try:
            for article in parse_many([FILES[0], damaged, FILES[1]], workers=workers):
                got.append(article.pmid)
        except SourceError as error:
            return got, str(error)
        raise AssertionError("no SourceError")

    sequential, parallel = outcome(1), outcome(2)
    assert parallel == sequential
    assert len(sequential[0]) > len(list(parse(FILES[0])))  # some of damaged.txt.gz came through
    assert sequential[1].startswith(f"{damaged}: damaged or truncated gzip data")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"workers": "2"}, "workers must be a whole number"),
        ({"encoding": "rot13"}, "does not turn bytes into text"),
        ({"encoding": 5}, "encoding must be the name of a codec"),
    ],
)
def test_misuse_of_parse_many_is_a_library_error(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(MedlineError, match=message):
        list(parse_many(FILES, **kwargs))  # type: ignore[call-overload]
    with pytest.raises(MedlineError, match=r"each of parse_many's paths must be a path .*not int"):
        list(parse_many([5], workers=2))  # type: ignore[list-item]


@pytest.mark.parametrize(
    ("paths", "message"),
    [
        (None, "parse_many's paths must be an iterable, not None"),
        (5, "parse_many's paths must be an iterable, not int"),
        (True, "parse_many's paths must be an iterable, not bool"),
        ([FILES[0], None], "each of parse_many's paths must be a path .*not None"),
        ([f"{FILES[0]}\0x"], "a path cannot hold a NUL byte"),
    ],
)
def test_what_is_no_list_of_paths_is_refused(paths: object, message: str) -> None:
    with pytest.raises(MedlineError, match=message):
        list(parse_many(paths, workers=2))  # type: ignore[call-overload]


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("kind", [str, Path])
def test_one_path_is_one_file_not_a_list_of_letters(workers: int, kind: type) -> None:
    path = kind(FILES[0])
    assert list(parse_many(path, workers=workers)) == list(parse(path))
    with pytest.raises(SourceError, match="no such file"):
        list(parse_many("", workers=workers))  # a file with no name, not no files


def test_a_transform_that_is_no_function_is_refused() -> None:
    with pytest.raises(MedlineError, match="transform must be a function, not int"):
        list(parse_many(FILES, workers=2, transform=5))  # type: ignore[call-overload]


def test_parse_errors_cross_process_boundaries_intact(tmp_path: Path) -> None:
    # Workers (parse_many's, Dask's) send exceptions back pickled: rebuilt from their parts, not
    # from the rendered message.
    import pickle

    error = ParseError("repeated TI", path="a.txt", line=6, text="TI  - again\n", code="x")
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is ParseError
    assert str(again) == str(error)
    assert (again.path, again.line, again.text, again.code) == ("a.txt", 6, "TI  - again\n", "x")
    bad = tmp_path / "bad.txt"
    bad.write_text("PMID- 1\nTI  - x\nTI  - again\n", encoding="utf-8")
    with pytest.raises(ParseError) as raised:
        list(parse_many([FILES[0], bad], workers=2, strict=True))
    assert str(raised.value).startswith(f"{bad}:3: ")


def unpicklable_result(article: Article) -> object:
    return lambda: article.pmid  # a lambda does not pickle


def test_a_transform_result_that_does_not_pickle_is_a_library_error() -> None:
    with pytest.raises(MedlineError, match=r"sample\.txt: a worker's result cannot be sent back"):
        list(parse_many(FILES[:2], workers=2, transform=unpicklable_result))


# -- what a transform raises or returns, whatever the number of workers ------------------------

SAMPLE = EXAMPLES / "data" / "sample.txt"


class _Counted:
    seen = 0


def _fails_on_the_third(article: Article) -> str | None:
    _Counted.seen += 1  # (per process: each worker counts its own file)
    if _Counted.seen % 14 == 3:
        raise ValueError(f"no thanks: {article.pmid}")
    return article.pmid


class Needs(Exception):
    def __init__(self, a: object, b: object) -> None:  # pickles its args as one: cannot be rebuilt
        super().__init__(f"{a}/{b}")


def _raises_what_cannot_come_back(article: Article) -> None:
    raise Needs(article.pmid, "x")


class Odd:
    def __init__(self, x: object) -> None:
        self.x = x

    def __reduce__(self) -> tuple[object, ...]:
        return (Odd, ())  # pickles, but cannot be rebuilt


def _odd(article: Article) -> Odd:
    return Odd(article.pmid)


@pytest.mark.parametrize("workers", [1, 2])
def test_results_before_a_failing_transform_come_first(workers: int) -> None:
    _Counted.seen = 0
    got: list[str | None] = []
    with pytest.raises(ValueError, match="no thanks") as raised:
        got.extend(parse_many([SAMPLE, SAMPLE], workers=workers, transform=_fails_on_the_third))
    assert got == [a.pmid for a in parse(SAMPLE)][:2]
    if workers > 1:
        assert "_fails_on_the_third" in str(raised.value.__cause__)  # the worker's traceback


def test_what_a_transform_raises_or_returns_that_cannot_come_back_is_a_library_error() -> None:
    with pytest.raises(MedlineError, match="the transform raised Needs"):
        list(parse_many([SAMPLE, SAMPLE], workers=2, transform=_raises_what_cannot_come_back))
    with pytest.raises(MedlineError, match="cannot be rebuilt here"):
        list(parse_many([SAMPLE, SAMPLE], workers=2, transform=_odd))


def test_a_transform_the_workers_cannot_be_sent_is_refused() -> None:
    with pytest.raises(MedlineError, match="define it at module level, or pass workers=1"):
        list(parse_many([SAMPLE, SAMPLE], workers=2, transform=lambda a: a.pmid))
    # in one process it needs no sending
    assert list(parse_many([SAMPLE], workers=2, transform=lambda a: a.pmid)) == [
        a.pmid for a in parse(SAMPLE)
    ]
