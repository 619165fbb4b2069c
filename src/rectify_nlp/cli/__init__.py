"""The ``rectify`` command line: ``rectify extract``, ``rectify evaluate``."""

from __future__ import annotations

import logging

import click

from rectify_nlp import __version__
from rectify_nlp.cli.extract import extract_command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="rectify")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
def cli(verbose: int) -> None:
    """Turn Chinese inspection rectification notices into structured data."""
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")


cli.add_command(extract_command)

from rectify_nlp.cli.evaluate import evaluate_command  # noqa: E402

cli.add_command(evaluate_command)

from rectify_nlp.cli.render import render_command  # noqa: E402
cli.add_command(render_command)

try:  # training lives in its own module (rectify_nlp.training)
    from rectify_nlp.cli.train import train_command
except ImportError:  # pragma: no cover - while the training module is absent
    train_command = None
else:
    cli.add_command(train_command)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="rectify")
