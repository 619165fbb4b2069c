"""``rectify extract``: notices in, structured JSON / JSONL / CSV out."""

from __future__ import annotations

import contextlib
import glob
import json
import logging
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
from tqdm import tqdm

from rectify_nlp.errors import RectifyError
from rectify_nlp.io.read import decode_bytes
from rectify_nlp.io.write import atomic_write_text, csv_tables, to_jsonl, write_json
from rectify_nlp.schema import Rectification

TEXT_SUFFIXES = {".txt", ".text", ".htm", ".html", ".md"}
STDIN = "-"


@dataclass(frozen=True)
class Job:
    """One input: a path (or ``-``) and the name its outputs get."""

    path: str
    name: str


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


def _results(jobs: list[Job], model: str | None, workers: int, max_bytes: int | None,
             stdin_data: bytes | None) -> Iterator[tuple[Job, Rectification | None, str | None]]:
    """Extract every job in order: (job, result, error message)."""
    from rectify_nlp.extractor import load

    extractor = load(model)
    if any(_is_crawl(j) for j in jobs):  # JSONL crawls: one result per record
        from rectify_nlp.batch import extract_items

        for res in extract_items(extractor, _items(jobs, max_bytes, stdin_data),
                                 n_process=workers):
            yield Job(res.source or res.id, res.name), res.result, res.message
        return
    files = [j for j in jobs if j.path != STDIN]
    by_path = iter(extractor.pipe_files((j.path for j in files), n_process=workers,
                                        max_bytes=max_bytes))
    for job in jobs:
        if job.path == STDIN:
            try:
                yield job, extractor(decode_bytes(stdin_data or b"", source="<stdin>"),
                                     source="<stdin>"), None
            except RectifyError as exc:
                yield job, None, str(exc)
            continue
        done = next(by_path)
        yield job, done.result, done.error


def _check_out(out: Path | None, fmt: str, n_inputs: int) -> None:
    """Refuse an output that cannot be written before doing any work."""
    if fmt == "csv" and out is None:
        raise click.UsageError("--format csv needs --out FOLDER")
    if out is None:
        return
    if fmt in ("jsonl",) and out.is_dir():
        raise click.UsageError(f"--out {out} is a folder: give a .jsonl file name")
    if fmt == "json" and out.suffix == ".json" and n_inputs > 1:
        raise click.UsageError("several inputs: give --out a folder or a .jsonl file")
    if fmt in ("csv",) or (fmt == "json" and out.suffix != ".json"):
        if out.exists() and not out.is_dir():
            raise click.UsageError(f"--out {out} is a file: give a folder")


@click.command("extract")
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--out", type=click.Path(path_type=Path), default=None,
              help="Output: a .json/.jsonl file, or a folder (one JSON per notice, or CSV "
                   "tables with --format csv). Default: standard output.")
@click.option("-f", "--format", "fmt", type=click.Choice(["json", "jsonl", "csv", "parquet"]),
              default=None,
              help="Output format (default: from --out, else json for one input, jsonl for many; "
                   "parquet: one .parquet per table in the --out folder, extra 'parquet').")
@click.option("-m", "--model", default=None,
              help="Pipeline folder, or 'rules' for the rule layer alone. Default: the shipped model.")
@click.option("-w", "--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Worker processes.")
@click.option("--max-mb", type=click.FloatRange(min=0.001), default=200.0, show_default=True,
              help="Refuse input files larger than this.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@click.option("--resume/--no-resume", default=True, show_default=True,
              help="With --out FOLDER: skip inputs the folder's manifest lists as done (same "
                   "bytes, same model); --no-resume redoes all.")
@click.option("--dask", "dask_scheduler", default=None, metavar="SCHEDULER",
              help="Extract on Dask: local:N (a local cluster of N processes) or a scheduler "
                   "address. Needs --out FOLDER and the 'dask' extra.")
def extract_command(inputs: tuple[str, ...], out: Path | None, fmt: str | None,
                    model: str | None, workers: int, max_mb: float, quiet: bool,
                    resume: bool = True, dask_scheduler: str | None = None) -> None:
    """Extract rectification objects from notices (files, folders, globs, or - for stdin).

    \b
    Examples:
      rectify extract corpus/notices/000_c17a44979e59e13d.txt
      rectify extract corpus/notices/ --out results/            # one JSON per notice
      rectify extract 'notices/**/*.html' --out all.jsonl
      rectify extract notices/ --format csv --out tables/        # notices/problems/outcomes.csv
      cat notice.txt | rectify extract -
      rectify extract crawl.jsonl --out results/   # {id, url, text|html} lines; resumable
      rectify extract notices/ --format parquet --out tables/ --dask local:4
    """
    jobs, arg_errors = expand_inputs(inputs)
    for msg in arg_errors:
        click.echo(f"rectify: error: {msg}", err=True)
    fmt = fmt or _format_for(out, len(jobs))
    _check_out(out, fmt, len(jobs))
    if _batch_mode(out, fmt, jobs, dask_scheduler):
        _run_batch(jobs, out, fmt, model, workers, int(max_mb * 1024 * 1024), resume,
                   dask_scheduler, quiet, len(arg_errors))
        return
    stdin_data = sys.stdin.buffer.read() if any(j.path == STDIN for j in jobs) else None
    max_bytes = int(max_mb * 1024 * 1024)

    failed, written, n_seen = len(arg_errors), 0, 0
    collected: list[tuple[str, Rectification]] = []
    bar = tqdm(total=len(jobs), unit="notice", disable=quiet or len(jobs) <= 1, file=sys.stderr)
    try:
        for job, result, error in _results(jobs, model, workers, max_bytes, stdin_data):
            bar.update(1)
            n_seen += 1
            if result is None:
                failed += 1
                tqdm.write(f"rectify: error: {error}", file=sys.stderr)
                continue
            if fmt == "json" and out is not None and out.suffix != ".json":
                write_json(result, out / f"{job.name}.json")
                written += 1
            elif out is None and fmt == "jsonl":
                sys.stdout.write(result.to_json(indent=None) + "\n")
                sys.stdout.flush()
            else:
                collected.append((job.name, result))
    except KeyboardInterrupt:
        bar.close()
        click.echo(f"rectify: interrupted; {written} complete file(s) written, nothing partial",
                   err=True)
        sys.exit(130)
    finally:
        bar.close()

    if fmt == "json" and out is None:
        if len(jobs) == 1 and collected:
            sys.stdout.write(collected[0][1].to_json() + "\n")
        elif collected:  # several documents: one valid JSON array
            sys.stdout.write(json.dumps([r.to_dict() for _, r in collected],
                                        ensure_ascii=False, indent=1) + "\n")
    elif fmt == "json" and out is not None and out.suffix == ".json" and collected:
        write_json(collected[0][1], out)
    elif fmt == "jsonl" and out is not None:
        atomic_write_text(out, to_jsonl(r for _, r in collected))
    elif fmt == "csv" and out is not None:
        for name, table in csv_tables(collected).items():
            atomic_write_text(out / name, table)
    if failed:
        click.echo(f"rectify: {failed} input(s) failed, "
                   f"{n_seen + len(arg_errors) - failed} extracted", err=True)
        sys.exit(1)


def _format_for(out: Path | None, n_inputs: int) -> str:
    if out is not None:
        if out.suffix == ".jsonl":
            return "jsonl"
        return "json"
    return "json" if n_inputs <= 1 else "jsonl"


# -- resumable batches (rectify_nlp.batch), Parquet, Dask ----------------------------------


def _is_crawl(job: Job) -> bool:
    from rectify_nlp.batch import is_crawl_jsonl

    return job.path != STDIN and is_crawl_jsonl(job.path)


def _items(jobs: list[Job], max_bytes: int | None, stdin_data: bytes | None) -> Iterator[Any]:
    """The batch items of ``jobs``: a crawl's records, a file, standard input."""
    from rectify_nlp.batch import Item, crawl_items, file_items

    for job in jobs:
        if job.path == STDIN:
            yield Item(id="<stdin>", name=job.name, source="<stdin>", data=stdin_data or b"")
        elif _is_crawl(job):
            yield from crawl_items(job.path, max_bytes=max_bytes)
        else:
            yield from file_items([(job.path, job.name)], max_bytes=max_bytes)


def _batch_mode(out: Path | None, fmt: str, jobs: list[Job], dask: str | None) -> bool:
    """Whether the run is a batch into a folder: JSON per notice (resumable) or Parquet."""
    if fmt == "parquet" or dask is not None:
        if out is None or (out.exists() and not out.is_dir()) or out.suffix in (".json",
                                                                                ".jsonl"):
            raise click.UsageError(f"--format {fmt}{' --dask' if dask else ''} needs --out "
                                   "FOLDER")
        if fmt not in ("json", "parquet"):
            raise click.UsageError("--dask writes JSON files or Parquet (--format parquet)")
        return True
    stdin_only = all(j.path == STDIN for j in jobs)
    return out is not None and fmt == "json" and out.suffix != ".json" and not stdin_only


def _run_batch(jobs: list[Job], out: Path, fmt: str, model: str | None, workers: int,
               max_bytes: int, resume: bool, dask: str | None, quiet: bool,
               arg_failures: int) -> None:
    """``--out FOLDER``: resumable JSON per notice (manifest, errors.jsonl) or Parquet tables,
    extracted here (``--workers``) or on Dask."""
    from rectify_nlp import batch
    from rectify_nlp.extractor import load

    stdin_data = sys.stdin.buffer.read() if any(j.path == STDIN for j in jobs) else None
    items = _items(jobs, max_bytes, stdin_data)
    files_only = not any(_is_crawl(j) for j in jobs)
    bar = tqdm(total=len(jobs) if files_only else None, unit="notice",
               disable=quiet or len(jobs) + int(not files_only) <= 1, file=sys.stderr)
    failed: list[Any] = []
    try:
        with contextlib.ExitStack() as stack:
            client = None
            if dask is not None:
                from rectify_nlp import parallel

                # the in-process scheduler logs at INFO: follow -v instead
                logging.getLogger("distributed").setLevel(logging.getLogger().getEffectiveLevel())

                try:
                    client = stack.enter_context(parallel.connect(dask))
                except (ImportError, ValueError) as exc:
                    raise click.UsageError(str(exc)) from None
            if fmt == "parquet" and client is not None:
                bag = parallel.extract_bag(list(items), model=model,
                                           npartitions=max(1, len(client.nthreads())) * 4)
                failed = parallel.write_parquet_partitions(bag, out)
                batch.write_errors(out, failed)
                summary = f"partitioned Parquet written to {out}"
            elif fmt == "parquet":
                extractor = load(model)
                done: dict[str, Any] = {}
                for res in batch.extract_items(extractor, items, n_process=workers):
                    bar.update(1)
                    if res.result is None:
                        failed.append(res)
                    else:
                        done[_unique_key(res.name, done)] = res.result
                try:
                    batch.write_parquet(done, out)
                except ImportError as exc:
                    raise click.UsageError(str(exc)) from None
                batch.write_errors(out, failed)
                summary = f"{len(done)} notice(s) written to {out} as Parquet"
            else:
                extractor = load(model)
                mapper = (parallel.dask_mapper(client, model) if client is not None else None)

                def progress(status: str, res: Any) -> None:
                    bar.update(1)

                report = batch.run_batch(items, out, extractor=extractor, n_process=workers,
                                         resume=resume, mapper=mapper, progress=progress)
                failed = report.failed
                summary = (f"{len(report.written)} written, {len(report.skipped)} already done "
                           f"(skipped)")
    except RectifyError as exc:
        bar.close()
        raise click.ClickException(str(exc)) from None
    except KeyboardInterrupt:
        bar.close()
        click.echo("rectify: interrupted; every output written is complete and listed in "
                   f"{out}/{batch.MANIFEST_NAME}; rerun the same command to go on", err=True)
        sys.exit(130)
    finally:
        bar.close()
    for res in failed:
        click.echo(f"rectify: error: {res.message}", err=True)
    # one line, even with -q (which only hides the bar)
    click.echo(f"rectify: {summary}, {len(failed)} failed"
               + (f" (see {out / batch.ERRORS_NAME})" if failed else ""), err=True)
    if failed or arg_failures:
        sys.exit(1)


def _unique_key(name: str, taken: dict[str, Any]) -> str:
    key, k = name, 2
    while key in taken:
        key, k = f"{name}_{k}", k + 1
    return key
