"""Export a MEDLINE file to SQLite and query it.

``medline_parse.convert.sqlite.write`` creates a normalised database: one ``articles`` row per
article and a table per list (authors, affiliations, MeSH headings, keywords ...).  Writing an
article whose PMID is already there replaces it, so loading a file twice keeps one copy.

    python examples/export_sqlite.py [FILE [DATABASE]]

Without DATABASE the database is made in a temporary directory and removed at the end.  The same
export from the command line: ``medline convert FILE --to sqlite -o DATABASE``.
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
from pathlib import Path

from medline_parse import parse
from medline_parse.convert import sqlite as medline_sqlite

SAMPLE = Path(__file__).resolve().parent / "data" / "sample.txt"

PER_YEAR = "SELECT pub_year, count(*) FROM articles GROUP BY pub_year ORDER BY pub_year"

MAJOR_TOPICS = """
    SELECT descriptor, count(*) AS n
    FROM mesh_headings
    WHERE is_major
    GROUP BY descriptor
    ORDER BY n DESC, descriptor
    LIMIT 5
"""

ORCID_AUTHORS = """
    SELECT a.pmid, au.full_name, au.orcid, af.affiliation
    FROM authors au
    JOIN articles a ON a.id = au.article_id
    LEFT JOIN affiliations af
        ON af.article_id = au.article_id AND af.role = au.role
        AND af.author_position = au.position AND af.position = 1
    WHERE au.role = 'author' AND au.orcid IS NOT NULL
    ORDER BY a.pmid, au.position
"""

ERRATA = """
    SELECT a.pmid, r.kind_name, r.pmid
    FROM relations r JOIN articles a ON a.id = r.article_id
    WHERE r.kind IN ('EIN', 'EFR')
    ORDER BY a.pmid
"""


def report(database: Path) -> None:
    with sqlite3.connect(database) as db:
        (articles,) = db.execute("SELECT count(*) FROM articles").fetchone()
        (authors,) = db.execute("SELECT count(*) FROM authors WHERE role = 'author'").fetchone()
        print(f"{articles} articles, {authors} authors")
        print("\narticles per year")
        for year, count in db.execute(PER_YEAR):
            print(f"  {year}  {count}")
        print("\nmost frequent major topics")
        for descriptor, count in db.execute(MAJOR_TOPICS):
            print(f"  {count}  {descriptor}")
        print("\nauthors with an ORCID iD, and their first affiliation")
        for pmid, name, orcid, affiliation in db.execute(ORCID_AUTHORS):
            print(f"  {pmid}  {orcid}  {name}  | {affiliation or '-'}")
        print("\nerrata links")
        for pmid, kind, other in db.execute(ERRATA):
            print(f"  {pmid}  {kind} {other}")
    db.close()


def export(path: str | Path, database: Path) -> None:
    summary = medline_sqlite.write(parse(path), database)
    print(f"wrote {summary.articles} articles ({summary.replaced} replaced)")
    summary = medline_sqlite.write(parse(path), database)
    print(f"wrote them again: {summary.articles} articles ({summary.replaced} replaced)")
    report(database)


def main(path: str | Path = SAMPLE, database: str | None = None) -> None:
    if database is not None:
        export(path, Path(database))
        return
    with tempfile.TemporaryDirectory() as directory:
        export(path, Path(directory) / "pubmed.db")


if __name__ == "__main__":
    main(*sys.argv[1:3])
