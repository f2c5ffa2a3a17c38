"""``medline stats``: records, years, top journals, MeSH descriptors and authors.

Exit status: 0 when every input was read, 1 when one could not be read, 2 for a usage error or an
input in another format.
"""

from __future__ import annotations

import argparse
from collections import Counter
from typing import Any, TextIO

import attrs

from ..model import Article
from .common import Progress, Run, UsageError, input_options, quiet_option, read_articles

__all__ = ["add_parser", "run"]


WIDTH_MIN = 1
WIDTH_MAX = 1000
"""The bars' widths ``--width`` accepts (a bar is drawn as text: a wider one only costs memory)."""


def _width(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not WIDTH_MIN <= value <= WIDTH_MAX:
        raise argparse.ArgumentTypeError(f"must be between {WIDTH_MIN} and {WIDTH_MAX}: {value}")
    return value


def add_parser(commands: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = commands.add_parser(
        "stats",
        parents=[input_options(), quiet_option()],
        help="records, years, top journals, MeSH descriptors and authors",
        description="Summarise MEDLINE files: records, year range and a histogram per year, top "
        "journals, MeSH descriptors and authors, and how many records have an abstract, a DOI "
        "and an author ORCID.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="input file, or - for stdin")
    parser.add_argument("--top", type=int, default=10, metavar="N", help="rows per table (10)")
    parser.add_argument(
        "--width",
        type=_width,
        default=40,
        metavar="N",
        help=f"width of the longest bar, {WIDTH_MIN} to {WIDTH_MAX} characters (40)",
    )
    parser.add_argument("--ascii", action="store_true", help="draw bars with # only")
    return parser


_BLOCKS = " ▏▎▍▌▋▊▉█"


def _bar(value: int, largest: int, width: int, ascii_only: bool) -> str:
    if largest <= 0 or value <= 0:
        return ""
    eighths = max(1, round(value / largest * width * 8))
    if ascii_only:
        return "#" * max(1, round(eighths / 8))
    return "█" * (eighths // 8) + (_BLOCKS[eighths % 8] if eighths % 8 else "")


def _can_draw(stream: TextIO) -> bool:
    encoding = getattr(stream, "encoding", None) or "ascii"
    try:
        "█▏".encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


@attrs.define
class _Stats:
    articles: int = 0
    years: Counter[int] = attrs.Factory(Counter)
    no_year: int = 0
    journals: Counter[str] = attrs.Factory(Counter)
    mesh: Counter[str] = attrs.Factory(Counter)
    mesh_major: Counter[str] = attrs.Factory(Counter)
    authors: Counter[str] = attrs.Factory(Counter)
    with_abstract: int = 0
    with_doi: int = 0
    with_orcid: int = 0
    with_mesh: int = 0

    def add(self, article: Article) -> None:
        self.articles += 1
        if article.year is not None:
            self.years[article.year] += 1
        else:
            self.no_year += 1
        journal = article.journal.title or article.journal.abbreviation
        if journal:
            self.journals[journal] += 1
        descriptors = {h.descriptor for h in article.mesh}
        self.mesh.update(descriptors)
        self.mesh_major.update({h.descriptor for h in article.mesh if h.is_major})
        self.with_mesh += bool(descriptors)
        names = {
            a.full_name or a.collective_name or a.name
            for a in article.authors
            if not a.is_et_al and (a.full_name or a.collective_name or a.name)
        }
        self.authors.update(name for name in names if name)
        self.with_abstract += bool(article.abstract)
        self.with_doi += article.doi is not None
        self.with_orcid += any(a.orcid for a in article.authors)


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%  ({part:,})" if whole else "    -"


def _print_stats(stats: _Stats, args: argparse.Namespace, out: TextIO) -> None:
    ascii_only = args.ascii or not _can_draw(out)
    n = stats.articles
    files = len(args.files)
    print(f"records      {n:,} in {files} file{'s' if files != 1 else ''}", file=out)
    if stats.years:
        low, high = min(stats.years), max(stats.years)
        print(f"years        {low}-{high}", file=out)
    print(f"abstract     {_share(stats.with_abstract, n)}", file=out)
    print(f"DOI          {_share(stats.with_doi, n)}", file=out)
    print(f"ORCID        {_share(stats.with_orcid, n)}  (an author with an ORCID iD)", file=out)
    print(f"MeSH         {_share(stats.with_mesh, n)}", file=out)
    if stats.years:
        print("\nrecords per year", file=out)
        low, high = min(stats.years), max(stats.years)
        largest = max(stats.years.values())
        width = max(len(f"{largest:,}"), 1)
        lines: list[tuple[str, int]] = []
        year = low
        while year <= high:
            count = stats.years.get(year, 0)
            gap_end = year
            while count == 0 and stats.years.get(gap_end + 1, 0) == 0 and gap_end < high:
                gap_end += 1
            if gap_end - year >= 2:  # a long run of empty years takes one line
                lines.append((f"{year}-{gap_end}", 0))
                year = gap_end + 1
            else:
                lines.append((str(year), count))
                year += 1
        if stats.no_year:
            lines.append(("no year", stats.no_year))
        label_width = max(len(label) for label, _ in lines)
        for label, count in lines:
            bar = _bar(count, largest, args.width, ascii_only)
            print(f"  {label:<{label_width}}  {count:>{width},}  {bar}".rstrip(), file=out)

    def table(title: str, counter: Counter[str], mark: Counter[str] | None = None) -> None:
        if not counter:
            return
        print(f"\n{title}", file=out)
        top = sorted(counter.items(), key=lambda item: (-item[1], item[0]))[: args.top]
        width = len(f"{top[0][1]:,}")
        for name, count in top:
            if mark is not None:
                major = mark.get(name, 0)
                flag = f"*{major:<{width},}" if major else " " * (width + 1)
                print(f"  {count:>{width},}  {flag}  {name}", file=out)
            else:
                print(f"  {count:>{width},}  {name}", file=out)

    table("top journals", stats.journals)
    table(
        "top MeSH descriptors (records; *N = a major topic in N of them)",
        stats.mesh,
        stats.mesh_major,
    )
    table("top authors (by full name)", stats.authors)


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.top < 1:
        raise UsageError("--top must be at least 1")
    progress = Progress(args.files, err, args.quiet)
    state = Run(err, progress)
    stats = _Stats()
    try:
        for article in read_articles(args.files, state, args, progress):
            stats.add(article)
    finally:
        progress.close()
    if stats.articles:
        _print_stats(stats, args, out)
    return state.status
