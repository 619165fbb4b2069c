"""``rectify evaluate``: score a pipeline (or the rule layer) against annotated notices."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from rectify_nlp.errors import RectifyError
from rectify_nlp.io.write import atomic_write_text


@click.command("evaluate")
@click.option("-g", "--gold", type=click.Path(exists=True, path_type=Path),
              default=Path("corpus/gold"), show_default=True,
              help="Gold folder of rectification JSON files, or an annotated corpus file.")
@click.option("-t", "--texts", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=None, help="Folder of the notices' texts (default: notices/ beside --gold).")
@click.option("-m", "--model", default=None, help="Pipeline folder (default: the shipped one).")
@click.option("--rules", "rules_only", is_flag=True, help="Score the rule layer alone.")
@click.option("--pred", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=None, help="Score existing predictions (a folder of JSON files) instead.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--by-doc", is_flag=True, help="Also report every notice separately.")
@click.option("--group-by", type=click.Choice(["province", "level", "issuer_kind", "style", "kind",
                                               "year"]),
              default=None, help="Also score each group of notices (columns of sources.csv).")
@click.option("--sources", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="The provenance table for --group-by "
                                 "(default: sources.csv beside --gold).")
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the JSON report to this file.")
@click.option("--save-predictions", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Write the predictions (one JSON per notice) to this folder.")
def evaluate_command(gold: Path, texts: Path | None, model: str | None, rules_only: bool,
                     pred: Path | None, as_json: bool, by_doc: bool, group_by: str | None,
                     sources: Path | None, out: Path | None,
                     save_predictions: Path | None) -> None:
    """Score extraction accuracy: header fields, summary, problems, outcomes (as the shared
    scorer does), entities per label (exact and overlapping boundaries) and relations.

    \b
    Examples:
      rectify evaluate --rules                      # rule layer on corpus/gold
      rectify evaluate -m models/rectify_zh --by-doc
      rectify evaluate --gold my_annotations.jsonl --json
      rectify evaluate --rules --group-by province    # one row of F1 per province
    Writes no file unless --out or --save-predictions is given.
    """
    from rectify_nlp.evaluation import evaluate_pairs
    from rectify_nlp.evaluation.gold import gold_pairs

    if rules_only and model:
        raise click.UsageError("give --model or --rules, not both")
    groups = None
    if group_by is not None:
        from rectify_nlp.corpus.sources import groups_of, read_sources

        sources = sources or Path(gold).parent / "sources.csv"
        if not sources.exists():
            raise click.UsageError(f"--group-by needs a sources table: {sources} not found "
                                   "(give --sources)")
        try:
            groups = groups_of(read_sources(sources), group_by)
        except ValueError as exc:
            raise click.UsageError(str(exc)) from exc
    pairs = []
    try:
        golds = list(gold_pairs(gold, texts))
    except RectifyError as exc:
        raise click.UsageError(str(exc)) from exc
    if pred is not None:
        for doc_id, gold_doc, _ in golds:
            p = pred / f"{doc_id}.json"
            pred_doc = json.loads(p.read_text(encoding="utf-8")) if p.exists() else None
            pairs.append((doc_id, gold_doc, pred_doc))
    else:
        from rectify_nlp.extractor import load

        extractor = load("rules" if rules_only else model)
        for doc_id, gold_doc, text in golds:
            result = extractor(text, source=doc_id)
            pred_doc = result.to_dict()
            if save_predictions is not None:
                atomic_write_text(save_predictions / f"{doc_id}.json",
                                  json.dumps(pred_doc, ensure_ascii=False, indent=1) + "\n")
            pairs.append((doc_id, gold_doc, pred_doc))
    if not pairs:
        raise click.UsageError(f"no gold notices found in {gold}")
    report = evaluate_pairs(pairs, by_doc=by_doc)
    data = report.to_dict()
    table = report.to_table()
    if groups is not None:
        from rectify_nlp.evaluation.groups import evaluate_by_group, format_group_table

        by_group = evaluate_by_group(pairs, groups)
        data["by_group"] = {"column": group_by, "groups": {
            g.name: {"notices": g.notices, **g.report.to_dict()} for g in by_group}}
        table += f"\n\nF1 by {group_by} (exact entities)\n" + format_group_table(by_group)
    payload = json.dumps(data, ensure_ascii=False, indent=1)
    if out is not None:
        atomic_write_text(out, payload + "\n")
    sys.stdout.write((payload if as_json else table) + "\n")
