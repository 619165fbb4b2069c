"""rectify_nlp.parallel on a real Dask LocalCluster of two worker processes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

pytest.importorskip("dask.bag", reason="needs dask[bag] (extra 'dask')")
pytest.importorskip("distributed", reason="needs distributed (extra 'dask')")
pytest.importorskip("pyarrow", reason="needs pyarrow (extra 'dask')")

import pandas as pd  # noqa: E402
from test_batch import notice, write_notices  # noqa: E402

from rectify_nlp import parallel  # noqa: E402
from rectify_nlp.batch import MANIFEST_NAME, read_manifest  # noqa: E402
from rectify_nlp.cli import cli  # noqa: E402
from rectify_nlp.frames import FRAME_COLUMNS, to_frames  # noqa: E402


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=":0") as cluster, Client(cluster) as c:
        yield c


@pytest.fixture(scope="module")
def notices(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("dask_in")
    paths = write_notices(folder, 24)
    bad = folder / "scan.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    return [*paths, bad]


def test_extract_bag_equals_the_serial_run(client, notices, rules_extractor):
    bag = parallel.extract_bag(notices, model="rules", npartitions=4)
    assert bag.npartitions == 4
    results = bag.compute()
    assert [r.name for r in results] == [p.stem for p in notices]
    for path, res in zip(notices[:-1], results[:-1]):
        assert res.error is None
        assert res.result.to_dict() == rules_extractor.extract_file(str(path)).to_dict()
    assert results[-1].result is None and results[-1].error == "RectifyInputError"
    assert "binary data" in results[-1].message
    # each worker process loaded the pipeline once, however many notices it did
    loads = client.run(lambda: dict(parallel.LOADS))
    assert len(loads) == 2
    assert all(v in ({}, {"rules": 1}) for v in loads.values())
    assert sum(v.get("rules", 0) for v in loads.values()) >= 1

    texts = [notice(3), notice(4).encode("gb18030")]
    got = parallel.extract_bag(texts, model="rules").compute()
    assert [r.result.to_dict() for r in got] == [r.to_dict() for r in rules_extractor.pipe(texts)]


def test_write_parquet_partitions(client, notices, rules_extractor, tmp_path):
    bag = parallel.extract_bag(notices, model="rules", npartitions=3)
    failed = parallel.write_parquet_partitions(bag, tmp_path)
    assert [r.name for r in failed] == ["scan"]
    expected = to_frames({p.stem: rules_extractor.extract_file(str(p)) for p in notices[:-1]})
    for frame, columns in FRAME_COLUMNS.items():
        parts = sorted((tmp_path / frame).glob("part-*.parquet"))
        assert [p.name for p in parts] == [f"part-{i:05d}.parquet" for i in range(3)]
        got = pd.concat([pd.read_parquet(p) for p in parts], ignore_index=True)
        assert tuple(got.columns) == columns
        assert got["notice"].tolist() == expected[frame]["notice"].tolist()
    whole = pd.read_parquet(tmp_path / "problems")  # a frame read back whole
    assert len(whole) == len(expected["problems"])
    assert sorted(whole["statement"]) == sorted(expected["problems"]["statement"])


def test_cli_joins_a_running_cluster_and_resumes(client, notices, tmp_path):
    src = notices[0].parent
    out, serial = tmp_path / "out", tmp_path / "serial"
    address = client.scheduler.address
    args = ["extract", "-m", "rules", "-q", str(src), "--out"]
    res = CliRunner().invoke(cli, [*args, str(out), "--dask", address], catch_exceptions=False)
    assert res.exit_code == 1 and "scan.txt" in res.stderr  # one undecodable file
    assert "24 written" in res.stderr
    CliRunner().invoke(cli, [*args, str(serial), "--no-resume"], catch_exceptions=False)
    for p in serial.glob("*.json"):
        assert json.loads((out / p.name).read_text("utf-8")) == json.loads(p.read_text("utf-8"))
    assert len(read_manifest(out)) == 24 and (out / MANIFEST_NAME).exists()
    again = CliRunner().invoke(cli, [*args, str(out), "--dask", address])
    assert "0 written, 24 already done" in again.stderr


def test_cli_dask_parquet_starts_a_local_cluster(notices, tmp_path):
    res = CliRunner().invoke(cli, ["extract", "-m", "rules", "-q", str(notices[0]),
                                   str(notices[1]), "--format", "parquet", "--out",
                                   str(tmp_path), "--dask", "local:1"], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    notices_frame = pd.read_parquet(tmp_path / "notices")
    assert sorted(notices_frame["notice"]) == sorted(p.stem for p in notices[:2])


def test_missing_dask_names_the_extra(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "dask.bag", None)
    with pytest.raises(ImportError, match=r"rectify-nlp\[dask\]"):
        parallel.extract_bag(["x"])
