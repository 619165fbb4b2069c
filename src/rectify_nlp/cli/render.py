"""``rectify render``: notices in, one self-contained HTML review page per notice out."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click
from tqdm import tqdm

from rectify_nlp.cli.extract import STDIN, expand_inputs
from rectify_nlp.errors import RectifyError
from rectify_nlp.io.read import decode_bytes, read_text
from rectify_nlp.io.write import atomic_write_text

logger = logging.getLogger(__name__)


def _targets(out: Path, names: list[str]) -> list[Path]:
    """Where each page goes: ``out`` itself for one notice and a ``.html`` name, else
    ``out/<name>.html``. Raises :class:`click.UsageError` for an output that cannot work."""
    if out.suffix.lower() in (".html", ".htm") and not out.is_dir():
        if len(names) > 1:
            raise click.UsageError(f"{len(names)} notices: give --out a folder, not {out}")
        return [out] * len(names)
    if out.exists() and not out.is_dir():
        raise click.UsageError(f"--out {out} is a file: give a folder or a .html name")
    return [out / f"{name}.html" for name in names]


@click.command("render")
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--out", type=click.Path(path_type=Path), required=True,
              help="A folder (one NAME.html per notice) or, for one notice, a .html file.")
@click.option("-m", "--model", default=None,
              help="Pipeline folder, or 'rules' for the rule layer alone. Default: the shipped model.")
@click.option("--rules", "rules_only", is_flag=True, help="The rule layer alone (= -m rules).")
@click.option("--max-mb", type=click.FloatRange(min=0.001), default=200.0, show_default=True,
              help="Refuse input files larger than this.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def render_command(inputs: tuple[str, ...], out: Path, model: str | None, rules_only: bool,
                   max_mb: float, quiet: bool) -> None:
    """Write an HTML review page for each notice (files, folders, globs, or - for stdin).

    A page shows the notice with its entities marked, the notice-level fields, the outline
    (problems, measures, outcomes) and the relations; clicking a field scrolls to its text.
    Pages are self-contained (no network) and open from the file system.

    \b
    Examples:
      rectify render corpus/notices/004_9fdd76dbb28f0981.txt --out review.html --rules
      rectify render corpus/notices/ --out pages/
    """
    if rules_only and model not in (None, "rules"):
        raise click.UsageError("--rules and --model name different extractors: give one")
    model = "rules" if rules_only else model
    jobs, arg_errors = expand_inputs(inputs)
    for msg in arg_errors:
        click.echo(f"rectify: error: {msg}", err=True)
    targets = _targets(out, [j.name for j in jobs])
    stdin_data = sys.stdin.buffer.read() if any(j.path == STDIN for j in jobs) else None
    max_bytes = int(max_mb * 1024 * 1024)

    from rectify_nlp.extractor import load
    from rectify_nlp.render import render_html

    extractor = load(model) if jobs else None
    failed, written = len(arg_errors), 0
    bar = tqdm(total=len(jobs), unit="notice", disable=quiet or len(jobs) <= 1, file=sys.stderr)
    try:
        for job, target in zip(jobs, targets):
            bar.update(1)
            source = "<stdin>" if job.path == STDIN else job.path
            try:
                # the page's offsets index exactly the text the extractor is given
                text = (decode_bytes(stdin_data or b"", source=source) if job.path == STDIN
                        else read_text(job.path, max_bytes=max_bytes))
                assert extractor is not None  # noqa: S101 - loaded when there are jobs
                result = extractor(text, source=source)
            except RectifyError as exc:
                failed += 1
                tqdm.write(f"rectify: error: {exc}", file=sys.stderr)
                continue
            atomic_write_text(target, render_html(text, result))
            written += 1
            logger.info("%s -> %s", source, target)
    except KeyboardInterrupt:
        click.echo(f"rectify: interrupted; {written} complete page(s) written, nothing partial",
                   err=True)
        sys.exit(130)
    finally:
        bar.close()
    if failed:
        click.echo(f"rectify: {failed} input(s) failed, {written} page(s) written", err=True)
        sys.exit(1)
