"""The floor of this design: what typed parsing cannot do without, timed against Biopython.

Typed parsing in this design has two parts that no amount of tuning of our own Python removes:

* **cutting**: the string operations the tokenizer's fast path makes on each record, all of them
  single calls into CPython's C string code: join continuation lines (two ``str.replace``), cut the
  lines (``str.split``), slice each line's tag and value.  Timed on records cut from the input
  beforehand, so finding record boundaries, checking the layout and everything else the tokenizer
  does is left out;
* **constructing**: calling the constructors of the ``attrs`` objects an article is made of
  (the article, its journal, authors and their identifiers, keywords, article and location IDs,
  relations, other abstracts), with every argument prepared beforehand and through the
  converter-free constructors the builder uses.  Objects the builder takes from caches (MeSH
  headings, dates, history events, ISSNs, grants, chemicals) and the tuples that hold the
  collections are left out.

With the compiled build, the next floor: the same cutting done by the compiled kernel (one C loop
over each record's characters, giving tags and values: ``cut_record``), and for the record layer
that loop plus the ``Field`` tuples (``make_fields``); ``for line in file`` is the floor of
anything that reads text.

Everything else (layout checks, line numbers, diagnostics, the tag dispatch, pairing people with
their affiliations, parsing values) comes on top.  So when cutting + constructing is already
close to Biopython's whole time, typed parsing at Biopython's speed is out of reach for any
implementation of this design whose objects are ``attrs`` classes built by CPython.

    python benchmarks/floor.py                 # the ../shared/corpus, once (about 45 MB)
    python benchmarks/floor.py --size-mb 100   # repeated to 100 MB
    python benchmarks/floor.py --synthetic     # generated records

Times are CPU time of this process (``time.process_time``), best of ``--repeat`` rounds,
contenders alternating within each round.
"""

from __future__ import annotations

import argparse
import gc
import re
import sys
import tempfile
import time
from collections.abc import Callable
from operator import itemgetter
from pathlib import Path
from typing import Any

import attrs

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import (
    _normalised,
    build_input,
    corpus_files,
    have_biopython,
    run_biopython,
    run_iter_records,
    run_lines,
    run_parse,
)

import medline_parse
from medline_parse.medline._cut import KNOWN_HEADS
from medline_parse.medline.records import Field
from medline_parse.model import Article
from medline_parse.model.construction import direct_constructor

try:
    from medline_parse.medline import _cut_c
except ImportError:  # the pure-Python build: no compiled kernel to time
    _cut_c = None  # type: ignore[assignment]

_CONT = "\n      "
_HEAD = itemgetter(slice(0, 6))
_TAIL = itemgetter(slice(6, None))


def records_of(path: Path) -> list[str]:
    """The input's records, each as its own string (cut before timing)."""
    text = path.read_text(encoding="utf-8")
    return [r.strip("\n") + "\n" for r in re.split(r"\n(?:[ \t]*\n)+(?=\S)", text) if r.strip()]


def cut(records: list[str]) -> int:
    """The fast path's string operations on each record: tags and values, nothing else."""
    n = 0
    for record in records:
        joined = record[:-1].replace(" " + _CONT, " ").replace(_CONT, " ")
        parts = joined.split("\n")
        values = list(map(_TAIL, parts))
        heads = list(map(_HEAD, parts))
        n += len(values) + len(heads)
    return n


def cut_compiled(records: list[str]) -> int:
    """The compiled kernel's cutting: one C loop per record gives its tags and values."""
    assert _cut_c is not None
    n = 0
    for record in records:
        cut = _cut_c.cut_record(record, len(record) - 1, "\n", KNOWN_HEADS, None)
        if cut is not None:
            n += len(cut[0]) + len(cut[1])
    return n


def fields_compiled(records: list[str]) -> int:
    """The record layer's floor: the compiled cutting plus each field's ``Field`` tuple (line
    number and raw text included)."""
    assert _cut_c is not None
    n = 0
    for record in records:
        end = len(record) - 1
        cut = _cut_c.cut_record(record, end, "\n", KNOWN_HEADS, None)
        if cut is not None:
            n += len(_cut_c.make_fields(Field, record, end, "\n", 1, cut[0], cut[1]))
    return n


Call = tuple[Callable[..., Any], tuple[Any, ...], dict[str, Any]]


def construction_calls(articles: list[Article]) -> list[Call]:
    """The constructor calls that make *articles*, their arguments prepared, innermost first."""
    calls: list[Call] = []
    makers: dict[type, Callable[..., Any]] = {}

    def add(value: Any) -> None:
        cls = type(value)
        maker = makers.get(cls)
        if maker is None:
            maker = makers[cls] = direct_constructor(cls)
        calls.append((maker, attrs.astuple(value, recurse=False), {}))

    for article in articles:
        for people in (article.authors, article.investigators, article.editors):
            for person in people:
                for identifier in person.identifiers:
                    add(identifier)
                add(person)
        for value in (
            *article.keywords,
            *article.article_ids,
            *article.location_ids,
            *article.relations,
            *article.other_abstracts,
            article.journal,
        ):
            add(value)
        changed = {
            f.name: getattr(article, f.name)
            for f in attrs.fields(Article)
            if getattr(article, f.name) != f.default
        }
        calls.append((makers.setdefault(Article, direct_constructor(Article)), (), changed))
    return calls


def construct(calls: list[Call]) -> int:
    n = 0
    for maker, args, kwargs in calls:
        maker(*args, **kwargs)
        n += 1
    return n


def best_of(rounds: int, jobs: dict[str, Callable[[], Any]]) -> dict[str, float]:
    best = dict.fromkeys(jobs, float("inf"))
    for _ in range(rounds):
        for name, job in jobs.items():
            start = time.process_time()
            job()
            best[name] = min(best[name], time.process_time() - start)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=float, default=0, help="0: the corpus once")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--synthetic", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "input.txt"
        synthetic = args.synthetic or not corpus_files()
        if args.size_mb:
            target = int(args.size_mb * 1_000_000)
        elif synthetic:
            target = 45_000_000
        else:  # the corpus once: its files as bench.py normalises them
            target = sum(len(_normalised(p)) for p in corpus_files())
        data = build_input(path, target, synthetic=synthetic)
        records = records_of(path)
        articles = list(medline_parse.parse(path))
        calls = construction_calls(articles)
        # Held for the whole run: frozen out of the cyclic GC's reach, so that its collections do
        # not charge every contender for scanning them (as bench.py does with the writer's input).
        gc.collect()
        gc.freeze()
        print(f"input: {data.size / 1e6:.1f} MB, {len(articles):,} articles, {data.source}")
        build = "compiled" if medline_parse.COMPILED else "pure Python"
        print(f"constructor calls: {len(calls):,}; medline-parse build: {build}")
        jobs: dict[str, Callable[[], Any]] = {
            "medline_parse.parse": lambda: run_parse(path, None),
            "medline_parse.iter_records": lambda: run_iter_records(path, None),
            "cutting (C string calls)": lambda: cut(records),
            "constructing (attrs objects)": lambda: construct(calls),
            "for line in file": lambda: run_lines(path, None),
        }
        if _cut_c is not None:
            jobs["cutting (compiled kernel)"] = lambda: cut_compiled(records)
            jobs["cutting + Field tuples (compiled)"] = lambda: fields_compiled(records)
        if have_biopython():
            jobs["Bio.Medline.parse"] = lambda: run_biopython(path, None)
        else:
            print("Bio.Medline.parse: skipped, Biopython is not installed (pip install '.[bench]')")
        times = best_of(args.repeat, jobs)
    times["floor: cutting + constructing"] = (
        times["cutting (C string calls)"] + times["constructing (attrs objects)"]
    )
    if "cutting (compiled kernel)" in times:
        times["next floor: compiled cutting + constructing"] = (
            times["cutting (compiled kernel)"] + times["constructing (attrs objects)"]
        )
    bio = times.get("Bio.Medline.parse")
    print(f"\n{'':<44} {'CPU s':>7} {'x Bio':>6}")
    for name, seconds in times.items():
        ratio = f"{seconds / bio:>6.2f}" if bio else f"{'-':>6}"
        print(f"{name:<44} {seconds:>7.3f} {ratio}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
