"""Read annotated notices for evaluation: a gold folder with its texts, or a corpus file."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from rectify_nlp.errors import RectifyInputError


def gold_pairs(gold: Path, texts: Path | None = None) -> Iterator[tuple[str, dict[str, Any], str]]:
    """Yield ``(doc_id, gold_dict, text)`` from a gold folder or a corpus file.

    * a folder of gold rectification JSON files (``corpus/gold/``): texts are read from
      ``texts`` (default: the ``notices/`` folder beside it), matched by file stem;
    * a corpus file (JSONL, doccano, Label Studio, DocBin, CoNLL — see docs/corpus_format.md):
      only entities and relations are scored.

    >>> next(gold_pairs(Path("no/such/folder")))
    Traceback (most recent call last):
    ...
    rectify_nlp.errors.RectifyInputError: no/such/folder: no gold folder or corpus file here
    """
    gold = Path(gold)
    if gold.is_dir():
        text_dir = Path(texts) if texts is not None else gold.parent / "notices"
        for path in sorted(gold.glob("*.json")):
            doc = json.loads(path.read_text(encoding="utf-8"))
            text_path = text_dir / f"{path.stem}.txt"
            if not text_path.exists():
                raise RectifyInputError(f"no text for {path.name}: expected {text_path}",
                                        source=str(gold))
            yield path.stem, doc, text_path.read_text(encoding="utf-8")
        return
    if not gold.is_file():
        raise RectifyInputError("no gold folder or corpus file here", source=str(gold))
    from rectify_nlp.corpus import load_corpus

    for rec in load_corpus(gold):
        doc = {"entities": [{"label": e.label, "start": e.start, "end": e.end, "text": e.text}
                            for e in rec.entities],
               "relations": [{"label": r.label, "head": r.head, "tail": r.tail}
                             for r in rec.relations]}
        yield rec.id, doc, rec.text
