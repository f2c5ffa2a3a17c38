"""pandas and pyarrow: the frames hold the same values as the model, lists as lists, years as
integers; Parquet read back with pandas; a missing package names its extra."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from medline_parse.convert import frames
from medline_parse.convert._common import ARTICLE_COLUMNS, AUTHOR_COLUMNS

from .test_convert_cases import edge_articles, sample_articles

pd = pytest.importorskip("pandas")
pa = pytest.importorskip("pyarrow")


def _check_rows(records: list[dict[str, object]]) -> None:
    articles = sample_articles()
    assert len(records) == len(articles)
    for row, a in zip(records, articles):
        assert row["pmid"] == a.pmid
        assert row["title"] == (a.title or a.book_title)
        assert row["year"] == a.year
        assert row["doi"] == a.doi
        assert list(row["authors"]) == [x.display_name for x in a.authors if not x.is_et_al]  # type: ignore[call-overload]
        assert list(row["mesh"]) == [h.text for h in a.mesh]  # type: ignore[call-overload]
        assert list(row["keywords"]) == [k.term for k in a.keywords]  # type: ignore[call-overload]
        assert list(row["languages"]) == list(a.languages)  # type: ignore[call-overload]


def _plain(frame: object) -> list[dict[str, object]]:
    records = frame.astype(object).where(frame.notna(), None).to_dict("records")  # type: ignore[attr-defined]
    return [{k: (None if v is pd.NA else v) for k, v in r.items()} for r in records]


def test_dataframe() -> None:
    frame = frames.to_dataframe(sample_articles())
    assert list(frame.columns) == list(ARTICLE_COLUMNS)
    assert str(frame["year"].dtype) == "Int64"
    _check_rows(_plain(frame))
    assert frame.loc[frame["pmid"] == "99100001", "mesh"].iloc[0][0] == "Child, Preschool"


def test_arrow_table_schema() -> None:
    table = frames.to_arrow(sample_articles())
    assert table.schema.field("year").type == pa.int32()
    assert table.schema.field("mesh").type == pa.list_(pa.string())
    _check_rows(table.to_pylist())


def test_per_author() -> None:
    articles = sample_articles()
    frame = frames.to_dataframe(articles, per_author=True)
    assert list(frame.columns) == list(AUTHOR_COLUMNS)
    assert len(frame) == sum(len([x for x in a.authors if not x.is_et_al]) for a in articles)
    table = frames.to_arrow(edge_articles()[:1], per_author=True)
    rows = table.to_pylist()
    assert rows[0]["orcid"] == "0000-0002-1825-0097"
    assert rows[0]["affiliations"] == ["Dept A; Dept B, Univ X.", "Institute Y."]
    assert [r["position"] for r in rows] == [1, 2, 3, 4]


def test_parquet_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "out.parquet"
    assert frames.write_parquet(sample_articles(), path, batch_size=3) == len(sample_articles())
    _check_rows(_plain(pd.read_parquet(path)))
    empty = tmp_path / "empty.parquet"
    assert frames.write_parquet([], empty) == 0
    assert list(pd.read_parquet(empty).columns) == list(ARTICLE_COLUMNS)


@pytest.mark.parametrize(
    ("module", "call", "extra"),
    [
        ("pandas", frames.to_dataframe, "pandas"),
        ("pyarrow", frames.to_arrow, "arrow"),
    ],
)
def test_missing_package_names_the_extra(
    module: str, call: object, extra: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, module, None)
    with pytest.raises(ImportError, match=rf'pip install "medline-parse\[{extra}\]"'):
        call([])  # type: ignore[operator]
