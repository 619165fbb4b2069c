"""``rectify train``: train or fine-tune the NER pipeline on an annotated corpus."""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.command("train")
@click.argument("corpus", type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--out", "out", required=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write the trained pipeline (and its model card) to.")
@click.option("--dev", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="Dev corpus for early stopping and the final scores "
              "(default: a stable 10% hold-out of CORPUS's windows).")
@click.option("-c", "--config", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="spaCy config (default: the project's ner_crf.cfg, CNN + CRF).")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed.")
@click.option("--max-steps", type=click.IntRange(min=1), default=None,
              help="Stop after this many updates (default: the config's).")
@click.option("--base-model", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=None, help="Fine-tune this pipeline instead of starting from scratch.")
@click.option("--rehearse", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="Corpus the base model learnt from; a sample of it is mixed "
              "into every epoch so that fine-tuning does not forget it.")
@click.option("--rehearse-ratio", type=click.FloatRange(min=0.0), default=None,
              help="Rehearsal windows per new window (default: the config's, 0.5).")
@click.option("--set", "settings", multiple=True, metavar="SECTION.KEY=VALUE",
              help="Override a config value, e.g. --set training.dropout=0.3 (repeatable).")
@click.option("--relations/--no-relations", default=True, show_default=True,
              help="Also train the relation component (stage 2, on whole notices).")
@click.option("--relations-config", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="spaCy config of the relation component "
              "(default: the project's relations.cfg).")
@click.option("--relations-max-steps", type=click.IntRange(min=1), default=None,
              help="Updates of the relation component (default: its config's).")
@click.option("--gpu-id", type=int, default=-1, show_default=True,
              help="GPU to train on (-1: CPU).")
@click.option("--decide", is_flag=True,
              help="Train the deciding pipeline (rules propose, trained deciders choose; the "
              "shipped default's kind) instead of an entity model. Implied when --base-model "
              "is such a pipeline. CORPUS may then be a gold folder (corpus/gold).")
@click.option("--deciders", default=None, metavar="NAME,NAME",
              help="Deciders to train with --decide (default: all; a base model's own).")
@click.option("--epochs", type=click.IntRange(min=1), default=None,
              help="Passes over the candidates with --decide (default 12, also when fine-tuning: "
                   "the base's examples and yours are refitted together).")
@click.option("-q", "--quiet", is_flag=True, help="Do not print spaCy's progress table.")
def train_command(corpus: Path, out: Path, dev: Path | None, config: Path | None, seed: int,
                  max_steps: int | None, base_model: Path | None, rehearse: Path | None,
                  rehearse_ratio: float | None, settings: tuple[str, ...], relations: bool,
                  relations_config: Path | None, relations_max_steps: int | None, gpu_id: int,
                  decide: bool, deciders: str | None, epochs: int | None,
                  quiet: bool) -> None:
    """Train the pipeline on CORPUS (corpus JSONL, doccano, Label Studio, DocBin or CoNLL):
    the entity model on windows, then the relation component on whole notices.

    \b
    Examples:
      rectify train corpus/gold.jsonl --out my_model
      rectify train mine.jsonl --out my_model --base-model models/rectify_zh \\
          --rehearse corpus/gold.jsonl
      rectify train mine.jsonl --out m --max-steps 500 --set training.dropout=0.3
      rectify train corpus/gold --out m --decide
      rectify train mine.jsonl --out m --base-model models/rectify_zh   # fine-tune deciders
    Then: rectify evaluate --gold mine_test.jsonl -m my_model
    """
    import io

    if decide or (base_model is not None and _is_decide_pipeline(base_model)):
        _train_decide(corpus, out, base_model, deciders, epochs, seed)
        return
    if corpus.is_dir():
        raise click.BadParameter("an entity model trains on a corpus file; a folder is read "
                                 "only with --decide", param_hint="CORPUS")

    from rectify_nlp.errors import RectifyInputError
    from rectify_nlp.training import parse_override, train

    try:
        overrides = dict(parse_override(s) for s in settings)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--set") from exc
    stream = io.StringIO() if quiet else sys.stdout
    try:
        path = train(corpus, out, config=config, dev=dev, seed=seed, max_steps=max_steps,
                     base_model=base_model, overrides=overrides, rehearse=rehearse,
                     rehearse_ratio=rehearse_ratio, relations=relations,
                     relations_config=relations_config,
                     relations_max_steps=relations_max_steps, gpu_id=gpu_id, stdout=stream)
    except (RectifyInputError, FileExistsError, FileNotFoundError) as exc:
        raise click.ClickException(str(exc)) from exc
    except Exception as exc:  # spaCy's config errors carry a readable message
        if type(exc).__name__ in {"ConfigValidationError", "ValueError", "KeyError"}:
            raise click.ClickException(f"{type(exc).__name__}: {exc}") from exc
        raise
    import json

    card = json.loads((path / "model_card.json").read_text(encoding="utf-8"))
    scores = card.get("scores", {})
    f, rf = scores.get("ents_f"), scores.get("rel_f")
    click.echo(f"pipeline saved to {path} (dev ents_f "
               f"{'-' if f is None else format(f, '.3f')}"
               f"{'' if rf is None else ', rel_f ' + format(rf, '.3f')}, "
               f"{card['training']['seconds']} s); model card: {path / 'README.md'}",
               )


def _is_decide_pipeline(path: Path) -> bool:
    cfg = path / "config.cfg"
    return cfg.exists() and 'factory = "rectify_decide"' in cfg.read_text(encoding="utf-8")


def _train_decide(corpus: Path, out: Path, base_model: Path | None, deciders: str | None,
                  epochs: int | None, seed: int) -> None:
    from rectify_nlp.decide.train import train_pipeline
    from rectify_nlp.errors import RectifyInputError

    names = [d.strip() for d in deciders.split(",") if d.strip()] if deciders else None
    try:
        path = train_pipeline(corpus, out, deciders=names, base_model=base_model,
                              epochs=epochs, seed=seed)
    except (RectifyInputError, FileExistsError, KeyError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"saved {path}")
