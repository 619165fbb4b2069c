"""``rectify extract … --format parquet --out DIR``: one Parquet file per table of to_frames."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

pytest.importorskip("pandas", reason="Parquet output needs pandas (extra 'parquet')")
pytest.importorskip("pyarrow", reason="Parquet output needs pyarrow (extra 'parquet')")

import pandas as pd  # noqa: E402

from rectify_nlp.batch import ERRORS_NAME, write_parquet  # noqa: E402
from rectify_nlp.cli import cli  # noqa: E402
from rectify_nlp.frames import FRAME_COLUMNS, to_frames  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared" / "notices"


def _notices(tmp_path: Path, township_text: str) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    (src / "township.txt").write_text(township_text, encoding="utf-8")
    for p in sorted(SHARED.glob("*.txt"))[:2]:
        (src / p.name).write_bytes(p.read_bytes())
    (src / "broken.txt").write_bytes(b"%PDF-1.7\n" + bytes(range(256)))
    return src


def test_cli_writes_one_parquet_per_frame(tmp_path, township_text, rules_extractor):
    src = _notices(tmp_path, township_text)
    out = tmp_path / "tables"
    res = CliRunner().invoke(cli, ["extract", "-m", "rules", "-q", str(src), "--format",
                                   "parquet", "--out", str(out)], catch_exceptions=False)
    assert res.exit_code == 1 and "broken.txt" in res.stderr  # the others still written
    assert sorted(p.name for p in out.glob("*.parquet")) == sorted(
        f"{name}.parquet" for name in FRAME_COLUMNS)
    errors = [json.loads(x) for x in (out / ERRORS_NAME).read_text().splitlines()]
    assert [e["error"] for e in errors] == ["RectifyInputError"]

    # the same tables as to_frames over the serial results, keyed by file stem
    paths = sorted(p for p in src.glob("*.txt") if p.name != "broken.txt")
    expected = to_frames({p.stem: rules_extractor.extract_file(str(p)) for p in paths})
    for name, columns in FRAME_COLUMNS.items():
        got = pd.read_parquet(out / f"{name}.parquet")
        assert tuple(got.columns) == columns
        want = expected[name]
        assert len(got) == len(want)
        assert got["notice"].tolist() == want["notice"].tolist()
    notices = pd.read_parquet(out / "notices.parquet").set_index("notice")
    assert notices.loc["township", "inspector"] == "县委第三巡察组"
    assert list(notices.loc["township", "targets"]) == list(
        expected["notices"].set_index("notice").loc["township", "targets"])
    problems = pd.read_parquet(out / "problems.parquet")
    assert problems["statement"].tolist() == expected["problems"]["statement"].tolist()
    outcomes = pd.read_parquet(out / "outcomes.parquet")
    assert outcomes["value"].tolist() == pytest.approx(expected["outcomes"]["value"].tolist(),
                                                       nan_ok=True)


def test_empty_results_keep_the_column_types(tmp_path):
    import pyarrow.parquet as pq

    write_parquet({}, tmp_path)
    schema = pq.read_schema(tmp_path / "problems.parquet")
    assert schema.names == list(FRAME_COLUMNS["problems"])
    assert str(schema.field("level").type) == "int64"
    assert str(schema.field("statement").type) == "string"


def test_parquet_needs_a_folder(tmp_path, township_text):
    f = tmp_path / "n.txt"
    f.write_text(township_text, encoding="utf-8")
    res = CliRunner().invoke(cli, ["extract", "-m", "rules", str(f), "--format", "parquet"])
    assert res.exit_code == 2 and "--out FOLDER" in res.output
