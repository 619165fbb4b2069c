"""``rectify audit``: notices in, the findings of :func:`rectify_nlp.audit.audit` out."""

from __future__ import annotations

import json
import logging
import sys

import click

from rectify_nlp.audit import CHECKS, Finding, audit
from rectify_nlp.cli.extract import STDIN, expand_inputs
from rectify_nlp.cli.extract import _results as extract_results

logger = logging.getLogger(__name__)


def findings_text(name: str, findings: list[Finding]) -> str:
    """The findings of one notice as readable lines: a heading, then one line per finding
    with the spans it rests on (offsets and text) indented under it."""
    if not findings:
        return f"{name}: no findings\n"
    lines = [f"{name}: {len(findings)} finding(s)"]
    for f in findings:
        lines.append(f"  {f.severity:<7} {f.check}: {f.message}")
        for s in f.spans:
            text = s.text if len(s.text) <= 40 else s.text[:39] + "…"
            lines.append(f"          [{s.start}:{s.end}] {text}")
    return "\n".join(lines) + "\n"


@click.command("audit")
@click.argument("inputs", nargs=-1, required=True)
@click.option("-f", "--format", "fmt", type=click.Choice(["json", "text"]), default="text",
              show_default=True, help="JSON (one array over all notices) or readable text.")
@click.option("-m", "--model", default=None,
              help="Pipeline folder, or 'rules' for the rule layer alone. Default: the shipped model.")
@click.option("--rules", "rules_only", is_flag=True, help="The rule layer alone (= -m rules).")
@click.option("-c", "--check", "checks", multiple=True, type=click.Choice(list(CHECKS)),
              help="Run only this check (repeatable). Default: every check.")
@click.option("-w", "--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Worker processes.")
@click.option("--max-mb", type=click.FloatRange(min=0.001), default=200.0, show_default=True,
              help="Refuse input files larger than this.")
def audit_command(inputs: tuple[str, ...], fmt: str, model: str | None, rules_only: bool,
                  checks: tuple[str, ...], workers: int, max_mb: float) -> None:
    """Check each notice against itself: stated figures, dates, numbering, outcome units.

    \b
    Examples:
      rectify audit corpus/notices/000_c17a44979e59e13d.txt --rules
      rectify audit corpus/notices/*.txt --rules --format json > findings.json
      rectify audit notices/ --check date_order --check numbering
    """
    if rules_only and model not in (None, "rules"):
        raise click.UsageError("--rules and --model name different extractors: give one")
    model = "rules" if rules_only else model
    jobs, arg_errors = expand_inputs(inputs)
    for msg in arg_errors:
        click.echo(f"rectify: error: {msg}", err=True)
    stdin_data = sys.stdin.buffer.read() if any(j.path == STDIN for j in jobs) else None
    selected = list(checks) or None

    failed, report = len(arg_errors), []
    for job, result, error in extract_results(jobs, model, workers, int(max_mb * 1024 * 1024),
                                              stdin_data):
        if result is None:
            failed += 1
            click.echo(f"rectify: error: {error}", err=True)
            continue
        findings = audit(result, selected)
        logger.info("%s: %d finding(s)", job.name, len(findings))
        if fmt == "json":
            report.append({"notice": job.name, "findings": [f.to_dict() for f in findings]})
        else:
            sys.stdout.write(findings_text(job.name, findings))
    if fmt == "json":
        sys.stdout.write(json.dumps(report, ensure_ascii=False, indent=1) + "\n")
    if failed:
        click.echo(f"rectify: {failed} input(s) failed, "
                   f"{len(jobs) + len(arg_errors) - failed} audited", err=True)
        sys.exit(1)
