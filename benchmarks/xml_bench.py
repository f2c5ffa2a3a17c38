"""PubMed XML benchmark: typed parsing against pubmed_parser and against bare iterparse.

Builds a PubMed XML input of at least ``--size-mb`` MB in a temporary folder (the records of
``../shared/corpus-xml``, or of the project's own fixtures without it, repeated inside one
``<PubmedArticleSet>``), then times, in one run and alternating the contenders round by round:

* ``parse``: ``medline_parse.parse`` (typed articles; reads authors, mesh and history of each),
* ``pubmed_parser``: ``pubmed_parser.parse_medline_xml`` (a list of dicts of strings, the most
  used Python reader of the baseline; reads ``authors`` and ``mesh_terms`` of each),
* ``dicts``: a dict-building ``lxml.etree.iterparse`` loop in pubmed_parser's style (XPath per
  field, strings), streaming, for when pubmed_parser is not installed,
* ``iterparse``: bare ``lxml.etree.iterparse`` over the records, cleared as they end: the floor of
  anything that parses this XML with lxml.

``--memory-gb N`` also builds an N GB input (streamed to disk) and reports ``parse``'s peak memory
on it, as MB above a subprocess that only imports the library.

Run ``python benchmarks/xml_bench.py --help``; see ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

CORPUS_XML = Path(__file__).resolve().parents[2] / "shared" / "corpus-xml"
FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "xml"
MB = 1_000_000
CONTENDERS = ("parse", "pubmed_parser", "dicts", "iterparse")
LABELS = {
    "parse": "medline_parse.parse",
    "pubmed_parser": "pubmed_parser.parse_medline_xml",
    "dicts": "iterparse + dicts (its style)",
    "iterparse": "lxml iterparse (floor)",
}
MEMORY_TARGET_MB = 100.0
_HEAD = (
    b'<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, '
    b'1st January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n'
    b"<PubmedArticleSet>\n"
)
_TAIL = b"</PubmedArticleSet>\n"


# ---------------------------------------------------------------- input


def _open(path: Path) -> Any:
    with open(path, "rb") as handle:
        packed = handle.read(2) == b"\x1f\x8b"  # by its magic bytes, not its name
    return gzip.open(path, "rb") if packed else open(path, "rb")


def records(sources: list[Path]) -> list[bytes]:
    """The ``<PubmedArticle>`` elements of *sources*, serialised (well-formed files only)."""
    from lxml import etree

    out: list[bytes] = []
    for path in sources:
        try:
            with _open(path) as handle:
                for _, element in etree.iterparse(
                    handle, tag="PubmedArticle", resolve_entities=False, no_network=True
                ):
                    if _readable_by_all(element):
                        out.append(etree.tostring(element) + b"\n")
                    element.clear()
        except etree.XMLSyntaxError:
            continue  # a damaged file of the corpus: the records before the damage are kept
    return out


def _readable_by_all(element: Any) -> bool:
    """Whether pubmed_parser reads the record (it fails on a few of the corpus's oddities, an
    empty ``<OtherID>`` for one); records it cannot read are left out of the input."""
    try:
        from pubmed_parser.medline_parser import parse_article_info
    except ImportError:
        return True
    try:
        parse_article_info(element, True, False, False, False)
    except Exception:
        return False
    return True


_FIXTURE_FILES = ("pubmed_250101.xml", "update_deletions.xml", "pubmed_080101.xml", "mathml.xml")


def source_files(fixtures: bool = False) -> tuple[list[Path], str]:
    """The files the input's records come from: the shared corpus, else (or with *fixtures*) the
    project's own well-formed fixtures."""
    if CORPUS_XML.is_dir() and not fixtures:
        files = sorted(p for p in CORPUS_XML.iterdir() if p.name.endswith((".xml", ".xml.gz")))
        return files, "../shared/corpus-xml"
    return [FIXTURES / name for name in _FIXTURE_FILES], "tests/fixtures/xml"


def write_input(path: Path, size_mb: float, pieces: list[bytes]) -> int:
    """Write records from *pieces*, repeated, until *size_mb* MB of XML; return how many.  A
    path ending in ``.gz`` is gzip-compressed, as the baseline files are (pubmed_parser reads
    nothing else)."""
    count = 0
    written = len(_HEAD)
    packed = path.name.endswith(".gz")
    with gzip.open(path, "wb", compresslevel=1) if packed else open(path, "wb") as out:
        out.write(_HEAD)
        while written < size_mb * MB or count == 0:
            for piece in pieces:
                out.write(piece)
                written += len(piece)
                count += 1
        out.write(_TAIL)
    return count


# ---------------------------------------------------------------- contenders


def run_parse(path: Path) -> int:
    import medline_parse

    n = 0
    for article in medline_parse.parse(path, format="xml"):
        n += len(article.authors) + len(article.mesh) + len(article.history)
    return n


def run_pubmed_parser(path: Path) -> int:
    import pubmed_parser

    n = 0
    for row in pubmed_parser.parse_medline_xml(str(path)):
        n += len(row.get("authors", "")) + len(row.get("mesh_terms", ""))
    return n


def run_dicts(path: Path) -> int:
    """What pubmed_parser does for each record, streamed: XPath per field, strings."""
    n = 0
    with _open(path) as handle:
        n = _dicts(handle)
    return n


def _dicts(handle: Any) -> int:
    from lxml import etree

    n = 0
    for _, element in etree.iterparse(handle, tag="PubmedArticle"):
        row = {
            "pmid": element.findtext(".//PMID"),
            "title": "".join(element.xpath(".//ArticleTitle//text()")),
            "abstract": " ".join(element.xpath(".//AbstractText//text()")),
            "journal": element.findtext(".//Journal/Title"),
            "authors": "; ".join(
                f"{a.findtext('LastName') or ''} {a.findtext('ForeName') or ''}"
                for a in element.findall(".//AuthorList/Author")
            ),
            "mesh_terms": "; ".join(
                d.text or "" for d in element.findall(".//MeshHeading/DescriptorName")
            ),
            "keywords": "; ".join(k.text or "" for k in element.findall(".//Keyword")),
            "doi": element.findtext(".//ArticleId[@IdType='doi']"),
            "pubdate": element.findtext(".//PubDate/Year"),
        }
        n += len(row["authors"]) + len(row["mesh_terms"])
        element.clear()
        while element.getprevious() is not None:
            del element.getparent()[0]
    return n


def run_iterparse(path: Path) -> int:
    from lxml import etree

    n = 0
    with _open(path) as handle:
        for _, element in etree.iterparse(handle, tag="PubmedArticle"):
            n += 1
            element.clear()
            while element.getprevious() is not None:
                del element.getparent()[0]
    return n


RUNNERS: dict[str, Callable[[Path], int]] = {
    "parse": run_parse,
    "pubmed_parser": run_pubmed_parser,
    "dicts": run_dicts,
    "iterparse": run_iterparse,
}


def available(name: str) -> bool:
    if name != "pubmed_parser":
        return True
    try:
        import pubmed_parser  # noqa: F401
    except ImportError:
        return False
    return True


# ---------------------------------------------------------------- memory


# VmHWM (the peak resident set of this process image), not getrusage's ru_maxrss: that one keeps
# the high-water mark of the process before exec, which is the (large) benchmark process itself.
_MEMORY_PROBE = """
import sys
sys.path.insert(0, {bench!r})
import medline_parse, lxml.etree
import xml_bench
if {run}:
    xml_bench.run_parse(__import__("pathlib").Path({path!r}))
with open("/proc/self/status") as status:
    print(next(line.split()[1] for line in status if line.startswith("VmHWM:")))
"""


def peak_mb(path: Path, run: bool) -> float:
    """Peak RSS (MB) of a subprocess that imports the library and, with *run*, parses *path*
    (Linux: read from /proc)."""
    code = _MEMORY_PROBE.format(bench=str(Path(__file__).parent), run=run, path=str(path))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return int(done.stdout.split()[-1]) * 1024 / MB


# ---------------------------------------------------------------- main


def _rounds(names: list[str], path: Path, repeat: int) -> Iterator[tuple[str, float, float, int]]:
    """(contender, wall seconds, CPU seconds of this process, result) round by round."""
    for _ in range(repeat):
        for name in names:
            start, cpu = time.perf_counter(), time.process_time()
            result = RUNNERS[name](path)
            yield name, time.perf_counter() - start, time.process_time() - cpu, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=float, default=100.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", default=",".join(CONTENDERS))
    parser.add_argument("--memory-gb", type=float, default=0.0)
    parser.add_argument("--json", dest="json_out")
    parser.add_argument(
        "--fixtures", action="store_true", help="build the input from tests/fixtures/xml"
    )
    args = parser.parse_args(argv)
    names = [name for name in args.only.split(",") if name]
    unknown = [name for name in names if name not in RUNNERS]
    if unknown:
        parser.error(f"unknown contender {unknown[0]!r}: choose from {', '.join(CONTENDERS)}")
    skipped = [name for name in names if not available(name)]
    names = [name for name in names if name not in skipped]
    files, origin = source_files(args.fixtures)
    pieces = records(files)
    results: dict[str, Any] = {
        "machine": {"python": sys.version.split()[0], "platform": platform.platform()},
        "rounds": {},
    }
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "input.xml.gz"
        count = write_input(path, args.size_mb, pieces)
        size = args.size_mb
        print(
            f"input: {count} records, {size:.0f} MB of XML ({path.stat().st_size / MB:.1f} MB "
            f"gzip), from {origin} ({len(pieces)} distinct records)"
        )
        for name in skipped:
            print(f"{LABELS[name]}: skipped, not installed (pip install '.[bench]')")
        times: dict[str, list[float]] = {name: [] for name in names}
        cpu: dict[str, list[float]] = {name: [] for name in names}
        for name, seconds, cpu_seconds, _ in _rounds(names, path, args.repeat):
            times[name].append(seconds)
            cpu[name].append(cpu_seconds)
        # Wall time, and the CPU time of this process (steadier on a shared machine); each
        # contender's median, and its ratio to pubmed_parser's.
        base = statistics.median(times["pubmed_parser"]) if "pubmed_parser" in times else None
        cpu_base = statistics.median(cpu["pubmed_parser"]) if "pubmed_parser" in cpu else None
        print(
            f"{'contender':<34} {'median s':>9} {'best s':>8} {'records/s':>10} {'x pp':>6} "
            f"{'cpu s':>7} {'cpu x pp':>8}"
        )
        for name in names:
            median = statistics.median(times[name])
            cpu_median = statistics.median(cpu[name])
            ratio = f"{median / base:6.2f}" if base else "     -"
            cpu_ratio = f"{cpu_median / cpu_base:8.2f}" if cpu_base else "       -"
            print(
                f"{LABELS[name]:<34} {median:9.2f} {min(times[name]):8.2f} "
                f"{count / median:10.0f} {ratio} {cpu_median:7.2f} {cpu_ratio}"
            )
        results["input"] = {"records": count, "mb": size, "origin": origin}
        results["rounds"] = times
        results["cpu_rounds"] = cpu
        if args.memory_gb:
            big = Path(folder) / "big.xml"
            big_count = write_input(big, args.memory_gb * 1000, pieces)
            baseline = peak_mb(big, run=False)
            peak = peak_mb(big, run=True)
            above = peak - baseline
            verdict = "within" if above < MEMORY_TARGET_MB else "OVER"
            print(
                f"memory: parse of {big.stat().st_size / MB:.0f} MB ({big_count} records): peak "
                f"{peak:.1f} MB, {above:.1f} MB above the interpreter with the library imported "
                f"({verdict} the {MEMORY_TARGET_MB:.0f} MB target)"
            )
            results["memory"] = {"input_mb": big.stat().st_size / MB, "peak_mb": peak,
                                 "above_mb": above}  # fmt: skip
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
