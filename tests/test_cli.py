"""The ``rectify`` command: inputs, outputs, errors, exit codes."""

from __future__ import annotations

import csv
import json

from click.testing import CliRunner

from rectify_nlp.cli import cli
from rectify_nlp.validation import schema_errors


def _run(*args, input=None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def test_extract_one_file_to_stdout(township_text, tmp_path):
    f = tmp_path / "notice.txt"
    f.write_text(township_text, encoding="utf-8")
    res = _run("extract", "-m", "rules", str(f))
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["inspection"]["inspector"] == "县委第三巡察组"
    assert schema_errors(data) == []


def test_extract_stdin(township_text):
    res = _run("extract", "-m", "rules", "-", input=township_text.encode("gbk"))
    assert res.exit_code == 0
    assert json.loads(res.stdout)["kind"] == "巡察"


def test_folder_to_json_files_with_one_bad_file(township_text, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(township_text, encoding="utf-8")
    (src / "b.txt").write_bytes(township_text.encode("gb18030"))
    (src / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    out = tmp_path / "out"
    res = _run("extract", "-m", "rules", str(src), "--out", str(out), "-q")
    assert res.exit_code == 1
    assert "broken.txt" in res.stderr
    # one JSON per notice, and the batch's bookkeeping (rectify_nlp.batch): nothing for the bad file
    assert sorted(p.name for p in out.glob("*.json")) == ["a.json", "b.json"]
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text("utf-8").splitlines()]
    assert [e["input"].endswith("broken.txt") for e in errors] == [True]
    assert json.loads((out / "b.json").read_text(encoding="utf-8"))["kind"] == "巡察"


def test_glob_to_jsonl_and_missing_input(township_text, tmp_path):
    for name in ("x.txt", "y.txt"):
        (tmp_path / name).write_text(township_text, encoding="utf-8")
    out = tmp_path / "all.jsonl"
    res = _run("extract", "-m", "rules", str(tmp_path / "*.txt"), str(tmp_path / "nope.txt"),
               "--out", str(out))
    assert res.exit_code == 1 and "nope.txt" in res.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 and all(json.loads(x)["kind"] == "巡察" for x in lines)


def test_csv_tables(township_text, tmp_path):
    f = tmp_path / "n1.txt"
    f.write_text(township_text, encoding="utf-8")
    out = tmp_path / "tables"
    res = _run("extract", "-m", "rules", str(f), "--format", "csv", "--out", str(out))
    assert res.exit_code == 0, res.stderr
    with (out / "notices.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows[0]["notice"] == "n1" and rows[0]["inspector"] == "县委第三巡察组"
    with (out / "outcomes.csv").open(encoding="utf-8") as fh:
        outcomes = list(csv.DictReader(fh))
    assert any(o["unit"] == "亩" for o in outcomes)
    assert (out / "problems.csv").exists()
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temp files left


def test_workers(township_text, tmp_path):
    for name in ("p.txt", "q.txt", "r.txt"):
        (tmp_path / name).write_text(township_text, encoding="utf-8")
    res = _run("extract", "-m", "rules", str(tmp_path), "-w", "2", "-q")
    assert res.exit_code == 0
    assert len(res.stdout.strip().splitlines()) == 3


def test_usage_errors():
    assert _run("extract").exit_code == 2
    assert _run("extract", "x.txt", "--format", "csv").exit_code == 2


def test_outputs_get_ordinary_file_permissions(township_text, tmp_path):
    import os
    import stat

    f = tmp_path / "n.txt"
    f.write_text(township_text, encoding="utf-8")
    out = tmp_path / "r.json"
    assert _run("extract", "-m", "rules", str(f), "--out", str(out)).exit_code == 0
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~mask


def test_several_inputs_to_stdout_as_json_are_one_array(township_text, tmp_path):
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(township_text, encoding="utf-8")
    res = _run("extract", "-m", "rules", str(tmp_path), "--format", "json", "-q")
    assert res.exit_code == 0
    docs = json.loads(res.stdout)
    assert [d["kind"] for d in docs] == ["巡察", "巡察"]


def test_bad_out_is_refused_before_any_work(township_text, tmp_path):
    f = tmp_path / "n.txt"
    f.write_text(township_text, encoding="utf-8")
    folder = tmp_path / "existing"
    folder.mkdir()
    res = CliRunner().invoke(cli, ["extract", "-m", "rules", str(f), "-f", "jsonl",
                                   "--out", str(folder)])
    assert res.exit_code == 2 and "folder" in res.output
    res = CliRunner().invoke(cli, ["extract", "-m", "rules", str(f), str(f), "-f", "csv",
                                   "--out", str(f)])
    assert res.exit_code == 2 and "is a file" in res.output


def test_ctrl_c_with_workers_stops_promptly_and_leaves_no_partial_file(township_text, tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    src = tmp_path / "many"
    src.mkdir()
    body = township_text + "\n".join(["镇党委持续开展巡察整改,组织培训班8期,培训干部160人次。"] * 400)
    for i in range(400):
        (src / f"n{i:03d}.txt").write_text(body, encoding="utf-8")
    out = tmp_path / "all.jsonl"
    proc = subprocess.Popen([sys.executable, "-m", "rectify_nlp.cli", "extract", "-m", "rules",
                             str(src), "--out", str(out), "--workers", "2", "-q"],
                            stderr=subprocess.PIPE, start_new_session=True)
    time.sleep(4)
    os.killpg(proc.pid, signal.SIGINT)
    try:
        _, err = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        raise AssertionError("rectify extract did not stop after Ctrl-C") from None
    if proc.returncode == 0:  # finished before the signal on a fast machine
        assert len(out.read_text(encoding="utf-8").splitlines()) == 400  # pragma: no cover
    else:
        assert proc.returncode == 130, err.decode()
        assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
