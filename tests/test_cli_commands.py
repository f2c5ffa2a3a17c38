"""The command line built from the registries (issue 13): formats and their options come from the
format registry, commands from one line each in ``cli.app.COMMANDS``; ``convert --to medline``
and ``fmt`` keep each input's layout and encoding; file names that are not UTF-8 print safely."""

from __future__ import annotations

import argparse
import codecs
import gzip
import io
import json
import os
import re
import subprocess
import sys
import types
from pathlib import Path
from typing import Any, TextIO

import pytest
import tomllib

from medline_parse import dumps, loads, parse
from medline_parse.cli import app as cli_main
from medline_parse.convert import registry
from medline_parse.convert.registry import Format, writers

from .conftest import FIXTURES, ROOT
from .test_convert_cases import SAMPLE, SAMPLE_NBIB, read_all


def medline(*args: object, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "medline_parse", *[os.fsencode(a) for a in map(os.fspath, args)]],
        input=stdin,
        capture_output=True,
        cwd=ROOT,
        timeout=300,
        check=False,
        env={**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "120"},
    )


def run_main(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = cli_main.main(argv)
    out, err = capsys.readouterr()
    return status, out, err


# -- formats from the registry ---------------------------------------------------------------------


def test_to_choices_and_help_come_from_the_registry() -> None:
    parser = cli_main.build_parser()
    convert = parser._subparsers._group_actions[0].choices["convert"]  # type: ignore[union-attr]
    (to,) = [a for a in convert._actions if a.dest == "to"]
    assert list(to.choices) == [fmt.name for fmt in writers()]
    text = medline("convert", "--help").stdout.decode()
    for fmt in writers():
        assert f"  {fmt.name:<9} {fmt.summary}" in text
    assert "csv, parquet: one row per author" in " ".join(text.split())
    assert "csv: write values that start with" in " ".join(text.split())


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("out.ris", "ris"),
        ("out.bib", "bibtex"),
        ("out.csl.json", "csl-json"),
        ("out.json", "json"),
        ("out.jsonl.gz", "jsonl"),
        ("out.CSV", "csv"),
        ("out.nbib", "medline"),
        ("out.parquet", "parquet"),
        ("out.sqlite", "sqlite"),
    ],
)
def test_output_name_implies_the_format(name: str, fmt: str, tmp_path: Path) -> None:
    assert registry.format_for_path(name).name == fmt  # type: ignore[union-attr]
    result = medline("convert", SAMPLE, "-o", tmp_path / name, "-q")
    assert result.returncode == 0, result.stderr


def test_an_output_name_that_implies_nothing_needs_to(tmp_path: Path) -> None:
    result = medline("convert", SAMPLE, "-o", tmp_path / "out.xyz")
    assert result.returncode == 2
    said = result.stderr.decode().splitlines()[-1]
    assert f"-o {tmp_path / 'out.xyz'}: no format has this file extension; give -t/--to" in said
    extensions = said.partition("ending in ")[2].split(", ")
    assert len(extensions) == len(set(extensions))  # each once (csl-json's .json was twice)
    for name in ("x.csl.json", "x.nbib", "x.db", "x.jsonl.gz"):
        assert any(name.removesuffix(".gz").endswith(e) for e in extensions), name
    assert "required" in medline("convert", SAMPLE).stderr.decode()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--to", "ris", "--csv-raw"], "--csv-raw applies to --to csv"),
        (["--to", "csv", "--style", "legacy"], "--style applies to --to medline"),
        (["--to", "json", "--per-author"], "--per-author applies to --to csv and --to parquet"),
        (["--to", "medline", "--omit-empty"], "--omit-empty applies to --to jsonl and --to json"),
        (["--to", "sqlite"], "--to sqlite needs -o FILE"),
    ],
)
def test_option_checks_come_from_the_registry(args: list[str], message: str) -> None:
    result = medline("convert", SAMPLE, *args)
    assert result.returncode == 2
    assert message in result.stderr.decode()


def test_a_new_format_is_one_entry(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    module = types.ModuleType("medline_test_titles")

    def write(articles: Any, target: Any, *, upper: bool = False) -> int:
        from medline_parse.outputs import open_target

        count = 0
        with open_target(target, binary=False) as handle:
            for article in articles:
                handle.write((article.title or "").upper() + "\n")
                count += 1
        return count

    module.write = write  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "medline_test_titles", module)
    entry = Format("titles", "one title per line", (".titles",), writer="medline_test_titles:write")
    monkeypatch.setattr(registry, "FORMATS", (*registry.FORMATS, entry))
    out = tmp_path / "all.titles"
    status, _, err = run_main(["convert", str(SAMPLE), "-o", str(out)], capsys)
    assert status == 0, err
    assert out.read_text(encoding="utf-8").splitlines() == [
        (a.title or "").upper() for a in read_all(SAMPLE)
    ]


# -- commands from one line each -------------------------------------------------------------------


def test_a_new_command_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    module = types.ModuleType("medline_test_hello")

    def add_parser(commands: Any) -> None:  # returns nothing, like some modules may
        parser = commands.add_parser("hello", help="say hello")
        parser.add_argument("name")

    def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
        print(f"hello {args.name}", file=out)
        return 3

    module.add_parser = add_parser  # type: ignore[attr-defined]
    module.run = run  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "medline_test_hello", module)
    monkeypatch.setattr(cli_main, "COMMANDS", (*cli_main.COMMANDS, "medline_test_hello"))
    status, out, _ = run_main(["hello", "world"], capsys)
    assert (status, out) == (3, "hello world\n")


def test_entry_points() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["scripts"]["medline"] == "medline_parse.cli:main"
    result = medline("--version")
    assert result.returncode == 0 and result.stdout.startswith(b"medline-parse ")


# -- exit statuses as documented -------------------------------------------------------------------


def test_problems_inside_records_do_not_fail_convert_and_stats(tmp_path: Path) -> None:
    path = tmp_path / "junk.txt"
    path.write_text("PMID- 1\nTI  - A title\nthis line is no field\n")
    assert medline("convert", path, "--to", "jsonl").returncode == 0
    assert medline("stats", path).returncode == 0
    assert medline("check", path).returncode == 1
    doc = " ".join(
        (cli_main.__doc__ or "").split() + (sys.modules["medline_parse.cli"].__doc__ or "").split()
    )
    assert (
        "``convert`` and ``stats`` note problems inside records on standard error but still exit 0"
        in doc
    )


# -- convert --to medline keeps each input's layout --------------------------------------------------

LAYOUT_FILES = [SAMPLE, SAMPLE_NBIB, *sorted(FIXTURES.glob("*.txt"))]


@pytest.mark.parametrize("path", LAYOUT_FILES, ids=lambda p: p.name)
def test_convert_to_medline_gives_back_the_bytes(path: Path, tmp_path: Path) -> None:
    data = path.read_bytes()
    assert medline("convert", path, "--to", "medline").stdout == data
    assert medline("convert", "-", "--to", "medline", stdin=data).stdout == data
    compressed = tmp_path / (path.name + ".gz")
    compressed.write_bytes(gzip.compress(data))
    assert medline("convert", compressed, "--to", "medline").stdout == data


def test_convert_to_medline_keeps_each_inputs_style(tmp_path: Path) -> None:
    legacy = (FIXTURES / "legacy.txt").read_bytes()
    pubmed2020 = (FIXTURES / "pubmed2020.txt").read_bytes()
    out = medline(
        "convert", FIXTURES / "legacy.txt", FIXTURES / "pubmed2020.txt", "--to", "medline"
    )
    assert out.returncode == 0
    assert out.stdout.startswith(legacy)
    # the second input keeps its style; the output has one line ending, the first input's
    assert out.stdout.endswith(pubmed2020.replace(b"\r\n", b"\n"))
    forced = medline("convert", FIXTURES / "pubmed2020.txt", "--to", "medline", "--style", "pubmed")
    assert loads(forced.stdout.decode()) == loads(pubmed2020.decode())


def test_convert_to_medline_newline_option() -> None:
    result = medline("convert", SAMPLE_NBIB, "--to", "medline", "--newline", "lf")
    assert b"\r" not in result.stdout
    assert loads(result.stdout.decode()) == read_all(SAMPLE_NBIB)


# -- fmt keeps a file's encoding ----------------------------------------------------------------------

LATIN = (
    "PMID- 99300101\nTI  - Caf\u00e9 culture: a fictional\n      study.\n"
    "AD  - Universit\u00e9 de Nulle-Part.\n"
)


@pytest.mark.parametrize("codec", ["latin-1", "cp1252"])
def test_fmt_does_not_change_an_encoding_behind_the_users_back(codec: str, tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    data = LATIN.encode(codec)
    path.write_bytes(data)
    refused = medline("fmt", path)
    assert refused.returncode == 1
    (line,) = refused.stderr.decode().splitlines()[:1]
    assert line.startswith(f"medline: {path}: not rewritten: the file is not UTF-8 (byte 0xe9")
    assert "--encoding" in line
    assert path.read_bytes() == data
    result = medline("fmt", "--encoding", codec, path)
    assert result.returncode == 0, result.stderr
    new = path.read_bytes()
    assert new != data  # the continuation line was joined
    assert "Caf\u00e9 culture: a fictional study." in new.decode(codec)
    with pytest.raises(UnicodeDecodeError):
        new.decode("utf-8")  # still in its own encoding


def test_fmt_keeps_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbfPMID- 1\nTI  - A title that\n      wraps early.\n")
    assert medline("fmt", path).returncode == 0
    assert path.read_bytes() == b"\xef\xbb\xbfPMID- 1\nTI  - A title that wraps early.\n"


@pytest.mark.parametrize(
    ("bom", "codec"),
    [
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
    ],
)
def test_fmt_keeps_utf16_and_utf32(bom: bytes, codec: str, tmp_path: Path) -> None:
    path = tmp_path / "wide.txt"
    canonical = bom + "PMID- 1\nTI  - Caf\u00e9 wraps early.\n".encode(codec)
    path.write_bytes(canonical)
    assert medline("fmt", "--check", path).returncode == 0  # canonical as it is
    path.write_bytes(bom + "PMID- 1\nTI  - Caf\u00e9\n      wraps early.\n".encode(codec))
    assert medline("fmt", path).returncode == 0
    assert path.read_bytes() == canonical


def test_fmt_keeps_the_style_of_the_file(tmp_path: Path) -> None:
    path = tmp_path / "pubmed2020.txt"
    data = (FIXTURES / "pubmed2020.txt").read_bytes()
    path.write_bytes(data)
    check = medline("fmt", "--check", path)
    assert check.returncode == 0, check.stdout
    assert medline("fmt", "--style", "pubmed", "--check", path).returncode == 1


@pytest.mark.parametrize("source", ["fixture", "generated"])
def test_a_file_stripped_of_trailing_spaces_keeps_its_wrapping_width(
    source: str, tmp_path: Path
) -> None:
    # An editor or a git hook strips the space PubMed leaves at the end of wrapped lines: the
    # style is still told by where the lines wrap, and fmt only puts the spaces back.  (Where two
    # styles wrap alike, the one that reproduces the stripped bytes exactly is kept.)
    if source == "fixture":
        data = (FIXTURES / "pubmed2020.txt").read_bytes()
    else:
        data = dumps(list(parse(SAMPLE)), style="pubmed-2020").encode()
    stripped = re.sub(rb" +(\r?\n)", rb"\1", data)
    assert stripped != data
    path = tmp_path / "stripped.txt"
    path.write_bytes(stripped)
    assert medline("fmt", path).returncode == 0
    assert path.read_bytes() == data


def test_fmt_follows_a_symlink(tmp_path: Path) -> None:
    real = tmp_path / "real.txt"
    real.write_bytes(b"PMID- 1\nTI  - A title that\n      wraps early.\n")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    assert medline("fmt", link).returncode == 0
    assert link.is_symlink()
    assert real.read_bytes() == b"PMID- 1\nTI  - A title that wraps early.\n"


# -- file names that are not UTF-8 ------------------------------------------------------------------


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="needs byte file names")
def test_a_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    directory = os.fsencode(tmp_path)
    raw_name = directory + b"/caf\xe9.txt"
    with open(raw_name, "wb") as handle:
        handle.write(b"PMID- 1\nTI  - A title\nthis line is no field\n")
    name = os.fsdecode(raw_name)
    result = medline("convert", name, "--to", "jsonl", "--diagnostics")
    assert result.returncode == 0, result.stderr
    (line,) = result.stdout.decode("utf-8").splitlines()
    item = json.loads(line)
    assert {d["path"] for d in item["diagnostics"]} == {name}  # escaped, and read back exactly
    check = medline("check", name)
    assert check.returncode == 1
    assert "Traceback" not in check.stderr.decode()
    assert "caf\\xe9.txt:3: warning" in check.stdout.decode("utf-8")
    missing = medline("convert", directory + b"/missing\xff.txt", "--to", "jsonl")
    assert missing.returncode == 1
    assert missing.stderr.decode("utf-8").endswith("missing\\xff.txt: no such file\n")


def test_stdin_twice_is_a_usage_error() -> None:
    result = medline("convert", "-", "-", "--to", "json")
    assert result.returncode == 2


def test_in_process_main_writes_text_to_a_stringio(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    assert cli_main.main(["convert", str(SAMPLE), "--to", "csv"]) == 0
    assert out.getvalue().startswith("pmid,title,")


# -- a codec that cannot decode is a usage error, before anything is done ------------------------


@pytest.mark.parametrize("encoding", ["bogus", "rot13", "base64"])
def test_an_unusable_codec_is_a_usage_error_before_anything_is_made(
    encoding: str, tmp_path: Path
) -> None:
    database = tmp_path / "x.db"
    output = tmp_path / "out.jsonl"
    for command in (
        ["check"],
        ["convert", "-o", output],
        ["sync", database],
    ):
        result = medline(command[0], "--encoding", encoding, *command[1:], SAMPLE)
        errors = result.stderr.decode()
        assert result.returncode == 2, errors
        assert errors.startswith(f"usage: medline {command[0]}"), errors
        assert f"medline {command[0]}: error: argument --encoding: " in errors
        assert "Traceback" not in errors
    assert list(tmp_path.iterdir()) == []  # no database, no output
