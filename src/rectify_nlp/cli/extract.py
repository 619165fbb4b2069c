"""``rectify extract``: notices in, structured JSON / JSONL / CSV out."""

from __future__ import annotations

import glob
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import click
from tqdm import tqdm

from rectify_nlp.errors import RectifyError
from rectify_nlp.io.read import decode_bytes, read_text
from rectify_nlp.io.write import atomic_write_text, csv_tables, to_jsonl, write_json
from rectify_nlp.schema import Rectification

TEXT_SUFFIXES = {".txt", ".text", ".htm", ".html", ".md"}
STDIN = "-"


@dataclass(frozen=True)
class Job:
    """One input: a path (or ``-``) and the name its outputs get."""

    path: str
    name: str


@dataclass(frozen=True)
class Done:
    job: Job
    result: Rectification | None
    error: str | None


def expand_inputs(args: tuple[str, ...]) -> tuple[list[Job], list[str]]:
    """Files, folders (searched recursively for text/HTML files), globs and ``-``.

    Returns the jobs and a list of error messages for arguments that matched nothing.
    """
    paths: list[str] = []
    errors: list[str] = []
    for arg in args:
        p = Path(arg)
        if arg == STDIN:
            paths.append(STDIN)
        elif p.is_dir():
            found = sorted(str(f) for f in p.rglob("*") if f.is_file()
                           and f.suffix.lower() in TEXT_SUFFIXES)
            if not found:
                errors.append(f"{arg}: no .txt/.html files in this folder")
            paths.extend(found)
        elif p.exists():
            paths.append(arg)
        elif any(ch in arg for ch in "*?["):
            found = sorted(f for f in glob.glob(arg, recursive=True) if Path(f).is_file())
            if not found:
                errors.append(f"{arg}: no file matches this pattern")
            paths.extend(found)
        else:
            errors.append(f"{arg}: no such file")
    jobs, used = [], set()
    for path in paths:
        stem = "stdin" if path == STDIN else Path(path).stem
        name, k = stem, 2
        while name in used:
            name, k = f"{stem}_{k}", k + 1
        used.add(name)
        jobs.append(Job(path, name))
    return jobs, errors


_EXTRACTOR = None


def _init(model: str | None) -> None:
    global _EXTRACTOR
    from rectify_nlp.extractor import load

    _EXTRACTOR = load(model)


def _run(job: Job, max_bytes: int | None, stdin_data: bytes | None = None) -> Done:
    assert _EXTRACTOR is not None  # noqa: S101
    try:
        if job.path == STDIN:
            text = decode_bytes(stdin_data or b"", source="<stdin>")
        else:
            text = read_text(job.path, max_bytes=max_bytes)
        return Done(job, _EXTRACTOR(text, source=job.path), None)
    except RectifyError as exc:
        return Done(job, None, str(exc) if job.path in str(exc) else f"{job.path}: {exc}")
    except Exception as exc:  # one bad file must not stop the others
        return Done(job, None, f"{job.path}: internal error: {type(exc).__name__}: {exc}")


def _results(jobs: list[Job], model: str | None, workers: int, max_bytes: int | None,
             stdin_data: bytes | None) -> Iterator[Done]:
    if workers <= 1 or len(jobs) <= 1:
        _init(model)
        for job in jobs:
            yield _run(job, max_bytes, stdin_data)
        return
    with ProcessPoolExecutor(max_workers=workers, initializer=_init, initargs=(model,)) as pool:
        futures = [pool.submit(_run, job, max_bytes, stdin_data) for job in jobs]
        for fut in futures:
            yield fut.result()


@click.command("extract")
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--out", type=click.Path(path_type=Path), default=None,
              help="Output: a .json/.jsonl file, or a folder (one JSON per notice, or CSV "
                   "tables with --format csv). Default: standard output.")
@click.option("-f", "--format", "fmt", type=click.Choice(["json", "jsonl", "csv"]), default=None,
              help="Output format (default: from --out, else json for one input, jsonl for many).")
@click.option("-m", "--model", default=None,
              help="Pipeline folder, or 'rules' for the rule layer alone. Default: the shipped model.")
@click.option("-w", "--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Worker processes.")
@click.option("--max-mb", type=click.FloatRange(min=0.001), default=200.0, show_default=True,
              help="Refuse input files larger than this.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def extract_command(inputs: tuple[str, ...], out: Path | None, fmt: str | None,
                    model: str | None, workers: int, max_mb: float, quiet: bool) -> None:
    """Extract rectification objects from notices (files, folders, globs, or - for stdin).

    \b
    Examples:
      rectify extract corpus/notices/000_c17a44979e59e13d.txt
      rectify extract corpus/notices/ --out results/            # one JSON per notice
      rectify extract 'notices/**/*.html' --out all.jsonl
      rectify extract notices/ --format csv --out tables/        # notices/problems/outcomes.csv
      cat notice.txt | rectify extract -
    """
    jobs, arg_errors = expand_inputs(inputs)
    for msg in arg_errors:
        click.echo(f"rectify: error: {msg}", err=True)
    fmt = fmt or _format_for(out, len(jobs))
    if fmt == "csv" and out is None:
        raise click.UsageError("--format csv needs --out FOLDER")
    if fmt == "json" and out is not None and out.suffix == ".json" and len(jobs) > 1:
        raise click.UsageError("several inputs: give --out a folder or a .jsonl file")
    stdin_data = sys.stdin.buffer.read() if any(j.path == STDIN for j in jobs) else None
    max_bytes = int(max_mb * 1024 * 1024)

    failed = len(arg_errors)
    collected: list[tuple[str, Rectification]] = []
    bar = tqdm(total=len(jobs), unit="notice", disable=quiet or len(jobs) <= 1, file=sys.stderr)
    try:
        for done in _results(jobs, model, workers, max_bytes, stdin_data):
            bar.update(1)
            if done.error is not None or done.result is None:
                failed += 1
                tqdm.write(f"rectify: error: {done.error}", file=sys.stderr)
                continue
            if fmt == "json" and out is not None and out.suffix != ".json":
                write_json(done.result, out / f"{done.job.name}.json")
            elif out is None and fmt == "jsonl":
                sys.stdout.write(done.result.to_json(indent=None) + "\n")
                sys.stdout.flush()
            else:
                collected.append((done.job.name, done.result))
    finally:
        bar.close()

    if fmt == "json" and out is None:
        for _, r in collected:
            sys.stdout.write(r.to_json() + "\n")
    elif fmt == "json" and out is not None and out.suffix == ".json" and collected:
        write_json(collected[0][1], out)
    elif fmt == "jsonl" and out is not None:
        atomic_write_text(out, to_jsonl(r for _, r in collected))
    elif fmt == "csv" and out is not None:
        for name, table in csv_tables(collected).items():
            atomic_write_text(out / name, table)
    if failed:
        click.echo(f"rectify: {failed} input(s) failed, "
                   f"{len(jobs) - failed + len(arg_errors)} extracted", err=True)
        sys.exit(1)


def _format_for(out: Path | None, n_inputs: int) -> str:
    if out is not None:
        if out.suffix == ".jsonl":
            return "jsonl"
        return "json"
    return "json" if n_inputs <= 1 else "jsonl"
