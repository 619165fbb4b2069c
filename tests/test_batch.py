"""Resumable, lossless batches (rectify_nlp.batch, ``rectify extract DIR --out OUT``).

The kill test starts a real ``python -m rectify_nlp.cli extract`` on 60 invented notices,
SIGKILLs it once some outputs exist, checks what is on disk, and reruns it.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from rectify_nlp.batch import (
    ERRORS_NAME,
    MANIFEST_NAME,
    crawl_items,
    read_manifest,
    safe_name,
)
from rectify_nlp.cli import cli

ROOT = Path(__file__).resolve().parents[1]

UNITS = ["青山镇", "白石乡", "河口街道", "东湖社区", "县农业农村局", "县教育局", "市水务集团",
         "县人民医院", "柳林镇", "县财政局"]
GROUPS = ["第一", "第二", "第三", "第四", "第五"]
PROBLEMS = [
    ("落实乡村振兴战略部署有差距", "新增特色种植面积{a}亩，带动农户增收{b}万元"),
    ("“三重一大”制度执行不严格", "修订议事规则{a}项，约谈提醒相关责任人{c}名"),
    ("财务管理不规范", "清退违规发放补贴{b}万元，建立健全制度{a}项"),
    ("基层党组织建设薄弱", "整顿软弱涣散党支部{c}个，发展党员{a}名"),
    ("为民服务意识不强", "解决群众急难愁盼问题{a}件，回访群众{c}人次"),
    ("安全生产隐患排查不到位", "排查整治隐患{a}处，关停不合规场所{c}家"),
]


def notice(i: int) -> str:
    """An invented county-level 巡察 notice, varied by ``i`` (unit, group, dates, problems)."""
    unit, group = UNITS[i % len(UNITS)], GROUPS[i % len(GROUPS)]
    month = 3 + i % 6
    n = 3 + i % 4
    lines = [
        f"中共{unit}委员会关于县委第{GROUPS[(i + 1) % 5]}轮巡察整改进展情况的通报",
        "",
        f"根据县委统一部署，2023年{month}月{1 + i % 20}日至{month + 1}月{5 + i % 20}日，"
        f"县委{group}巡察组对{unit}开展了常规巡察。2023年{month + 2}月{10 + i % 15}日，"
        f"县委{group}巡察组向{unit}反馈了巡察意见。现将整改进展情况予以公布。",
        "",
        "一、整改工作组织情况",
        f"{unit}党委高度重视，针对反馈的{n}项问题制定整改措施{3 * n + i % 5}条。截至2024年"
        f"{1 + i % 9}月底，已完成整改问题{n - i % 2}项，整改完成率"
        f"{round(100 * (n - i % 2) / n, 1)}%。",
        "",
        "二、巡察反馈问题整改落实情况",
    ]
    for k in range(n):
        title, outcome = PROBLEMS[(i + k) % len(PROBLEMS)]
        lines.append(f"{k + 1}.针对{title}的问题。" + outcome.format(
            a=10 + (i * 7 + k * 3) % 90, b=round(1.5 + (i + k) % 40 * 0.7, 1),
            c=2 + (i + k) % 9) + "。(已完成)")
    lines += ["", "三、下一步工作打算", f"{unit}将持续巩固整改成果。", "",
              f"联系电话：0797-{1234560 + i}。", "", f"中共{unit}委员会",
              f"2024年{1 + i % 9}月{10 + i % 18}日"]
    return "\n".join(lines) + "\n"


def write_notices(folder: Path, n: int = 60) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        p = folder / f"notice_{i:03d}.txt"
        p.write_text(notice(i), encoding="utf-8")
        paths.append(p)
    return paths


def run_cli(*args: str) -> object:
    return CliRunner().invoke(cli, ["extract", "-m", "rules", "-q", *map(str, args)],
                              catch_exceptions=False)


def outputs(out: Path) -> dict[str, Path]:
    return {p.name: p for p in out.glob("*.json")}


def stamps(out: Path) -> dict[str, tuple[int, int]]:
    return {name: (p.stat().st_ino, p.stat().st_mtime_ns) for name, p in outputs(out).items()}


def texts(out: Path) -> dict[str, str]:
    return {name: p.read_text(encoding="utf-8") for name, p in outputs(out).items()}


@pytest.mark.parametrize("workers", [1, 2])
def test_kill_mid_batch_then_resume(tmp_path, workers):
    src = tmp_path / "crawl"
    write_notices(src, 60)
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "rectify_nlp.cli", "extract", str(src), "--out", str(out),
           "-m", "rules", "-q", "--workers", str(workers)]
    # a session of its own, so that the kill takes the worker processes too
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            cwd=tmp_path, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if out.is_dir() and len(list(out.glob("*.json"))) >= 5:
            break
        time.sleep(0.002)
    assert proc.poll() is None, f"the run ended before it could be killed: {proc.stderr.read()}"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    # what the killed run left: complete outputs, each (but those in flight) in the manifest
    present = outputs(out)
    assert 5 <= len(present) < 60
    for p in present.values():
        data = json.loads(p.read_text(encoding="utf-8"))  # complete, valid JSON
        assert data["kind"] == "巡察" and data["meta"]["source"].startswith(str(src))
    listed = {e.output for e in read_manifest(out).values()}
    assert listed <= set(present)  # nothing listed that is not there
    # an output renamed into place before its manifest line was appended may be missing from
    # it: the one in flight with one process; with workers, each writes its own output, so at
    # most the notices in flight (4 per worker); the rerun redoes them
    assert len(set(present) - listed) <= (1 if workers == 1 else 4 * workers)
    before = stamps(out)

    rerun = subprocess.run(cmd, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert rerun.returncode == 0, rerun.stderr
    after = stamps(out)
    assert len(after) == 60
    assert not list(out.glob(".*.tmp"))  # a killed writer's temporary file is cleaned away
    for name in listed:  # done before the kill: skipped, not rewritten
        assert after[name] == before[name]
    assert f"{60 - len(listed)} written, {len(listed)} already done" in rerun.stderr
    assert len(read_manifest(out)) == 60

    # the same as one serial pass
    serial = tmp_path / "serial"
    res = run_cli(src, "--out", serial, "--no-resume")
    assert res.exit_code == 0, res.output
    assert texts(out) == texts(serial)


def test_stale_input_changed_model_and_deleted_output_are_redone(tmp_path):
    src = tmp_path / "in"
    paths = write_notices(src, 8)
    out = tmp_path / "out"
    assert run_cli(src, "--out", out).exit_code == 0
    first = stamps(out)

    assert run_cli(src, "--out", out).exit_code == 0  # nothing changed: nothing rewritten
    assert stamps(out) == first

    paths[3].write_text(notice(3).replace("已完成整改问题", "已完成整改问题共"), encoding="utf-8")
    res = run_cli(src, "--out", out)
    assert res.exit_code == 0 and "1 written, 7 already done" in res.stderr
    second = stamps(out)
    changed = {n for n in first if first[n] != second[n]}
    assert changed == {"notice_003.json"}
    entry = read_manifest(out)[str(paths[3].resolve())]
    import hashlib

    assert entry.sha256 == hashlib.sha256(paths[3].read_bytes()).hexdigest()

    # an output made by another pipeline (here: another model version) is stale too
    manifest = out / MANIFEST_NAME
    lines = [json.loads(x) for x in manifest.read_text(encoding="utf-8").splitlines()]
    for d in lines:
        if d["output"] == "notice_005.json":
            d["pipeline"]["version"] = "0.0.0-old"
    manifest.write_text("".join(json.dumps(d) + "\n" for d in lines), encoding="utf-8")
    (out / "notice_006.json").unlink()
    res = run_cli(src, "--out", out)
    assert res.exit_code == 0 and "2 written, 6 already done" in res.stderr
    third = stamps(out)
    assert {n for n in second if second.get(n) != third.get(n)} == {"notice_005.json",
                                                                     "notice_006.json"}
    # --no-resume redoes everything, and the manifest is rewritten with one line per input
    assert run_cli(src, "--out", out, "--no-resume").exit_code == 0
    assert all(stamps(out)[n] != third[n] for n in third)
    assert len((out / MANIFEST_NAME).read_text(encoding="utf-8").splitlines()) == 8


def test_jsonl_crawl_input(tmp_path):
    crawl = tmp_path / "crawl.jsonl"
    records = [{"id": f"gov.cn/notice?id={i}", "url": f"http://example.gov.cn/{i}.html",
                "text": notice(i)} for i in range(4)]
    records.append({"id": 77, "url": "http://example.gov.cn/77.html",
                    "html": "<html><body>" + "".join(f"<p>{line}</p>" for line in
                                                     notice(7).splitlines()) + "</body></html>"})
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    lines += ["{not json", json.dumps({"id": "no-text", "url": "x"}),
              json.dumps({"id": 77, "text": "重复"})]
    crawl.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    res = run_cli(crawl, "--out", out)
    assert res.exit_code == 1  # three bad lines
    names = sorted(outputs(out))
    assert names == sorted(safe_name(str(r["id"])) + ".json" for r in records)
    assert "77.json" in names
    data = json.loads((out / "77.json").read_text(encoding="utf-8"))
    assert data["meta"]["source"] == "http://example.gov.cn/77.html"
    assert data["meta"]["is_html"] is True and data["kind"] == "巡察"
    errors = [json.loads(x) for x in (out / ERRORS_NAME).read_text().splitlines()]
    assert [e["input"] for e in errors] == [f"{crawl}:6", f"{crawl}:7", f"{crawl}:8"]
    assert [e["error"] for e in errors] == ["InvalidRecord", "InvalidRecord", "DuplicateId"]

    # the same as extracting each record's text alone
    import rectify_nlp

    nlp = rectify_nlp.load("rules")
    for r in records[:4]:
        got = json.loads((out / (safe_name(r["id"]) + ".json")).read_text(encoding="utf-8"))
        assert got == nlp(r["text"], source=r["url"]).to_dict()

    # rerun: all skipped; one record changed: only it redone
    first = stamps(out)
    records[1]["text"] = notice(1).replace("常规巡察", "专项巡察")
    crawl.write_text("\n".join([json.dumps(r, ensure_ascii=False) for r in records]) + "\n",
                     encoding="utf-8")
    res = run_cli(crawl, "--out", out)
    assert res.exit_code == 0 and "1 written, 4 already done" in res.stderr
    assert {n for n in first if first[n] != stamps(out)[n]} == {
        safe_name(records[1]["id"]) + ".json"}
    assert (out / ERRORS_NAME).read_text() == ""  # rewritten by each run

    # stdout / JSONL output read the crawl record by record too
    res = run_cli(crawl, "--out", tmp_path / "all.jsonl")
    assert res.exit_code == 0
    assert len((tmp_path / "all.jsonl").read_text(encoding="utf-8").splitlines()) == 5
    assert [i.id for i in crawl_items(crawl)] == [str(r["id"]) for r in records]


def test_errors_report_names_the_undecodable_file(tmp_path):
    src = tmp_path / "in"
    write_notices(src, 3)
    bad = src / "scan.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    out = tmp_path / "out"
    res = run_cli(src, "--out", out)
    assert res.exit_code == 1
    assert "scan.txt" in res.stderr and "see " in res.stderr
    errors = [json.loads(x) for x in (out / ERRORS_NAME).read_text().splitlines()]
    assert len(errors) == 1
    assert errors[0]["input"] == str(bad)
    assert errors[0]["error"] == "RectifyInputError"
    assert "binary data (PNG image)" in errors[0]["message"]
    assert sorted(outputs(out)) == [f"notice_00{i}.json" for i in range(3)]
    assert str(bad.resolve()) not in read_manifest(out)  # a failure is never "done"

    bad.write_text(notice(9), encoding="utf-8")  # fixed: redone, report empty
    res = run_cli(src, "--out", out)
    assert res.exit_code == 0 and "1 written, 3 already done" in res.stderr
    assert (out / ERRORS_NAME).read_text() == ""


def test_torn_manifest_line_is_ignored(tmp_path):
    src = tmp_path / "in"
    write_notices(src, 3)
    out = tmp_path / "out"
    assert run_cli(src, "--out", out).exit_code == 0
    with open(out / MANIFEST_NAME, "a", encoding="utf-8") as fh:
        fh.write('{"id": "/x", "inp')  # a kill while appending
    assert len(read_manifest(out)) == 3
    res = run_cli(src, "--out", out)
    assert res.exit_code == 0 and "0 written, 3 already done" in res.stderr
    assert len((out / MANIFEST_NAME).read_text().splitlines()) == 3  # compacted


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX folder lock")
def test_two_runs_on_one_folder_are_refused(tmp_path):
    from rectify_nlp.batch import _locked

    out = tmp_path / "out"
    out.mkdir()
    write_notices(tmp_path / "in", 1)
    with _locked(out):
        res = CliRunner().invoke(cli, ["extract", "-m", "rules", "-q", str(tmp_path / "in"),
                                       "--out", str(out)])
    assert res.exit_code == 1 and "another rectify run" in res.output
