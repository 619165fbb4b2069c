"""A spacy-pkuseg word segmenter trained on text the project may ship, and segmentation
scores (issue 13, the word-boundary item; used by ``rectify.WordBoundaryEmbed.v1``).

The training text is the political corpus (``../shared/data/political/*.jsonl``, field
``content``) and the notices (``corpus/notices/*.txt``), cut into sentences and segmented by
jieba with its own MIT dictionary (+ HMM): the pkuseg model learns jieba's segmentation and
generalises it with its CRF features. The SIGHAN 2005 PKU test set is for *measuring* only
(research-only data: it never trains a model that ships)::

    python -m rectify_nlp.training.cws prepare --political ../shared/data/political \\
        --notices corpus/notices --out /tmp/cws/train.txt --heldout /tmp/cws/heldout.txt
    python -m rectify_nlp.training.cws train --train /tmp/cws/train.txt \\
        --heldout /tmp/cws/heldout.txt --model /tmp/cws/pkuseg_political --iter 10
    python -m rectify_nlp.training.cws score --gold ../shared/data/cws/pku_test_gold.utf8 \\
        --segmenter pkuseg --model /tmp/cws/pkuseg_political
    python -m rectify_nlp.training.cws score --gold ../shared/data/cws/pku_test_gold.utf8 \\
        --segmenter jieba

Scores: word precision / recall / F1 over ``(line, start, end)`` character spans (the SIGHAN
``score`` script's definition).

>>> round(segmentation_prf([["巡察", "组"]], [["巡察组"]])["f"], 4)
0.0
>>> sentences("一。二！\\n三")
['一。', '二！', '三']
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from rectify_nlp.training.wordseg import Segmenter, get_segmenter

logger = logging.getLogger(__name__)

_SENTENCE_END = re.compile(r"[^。！？；\n]*(?:[。！？；]+[”」』）)]?|\n|$)")


def sentences(text: str) -> list[str]:
    """``text`` cut after 。！？； (and a closing quote or bracket after them) and at line
    breaks; stripped, empty pieces dropped."""
    return [s.strip() for s in _SENTENCE_END.findall(text) if s.strip()]


def political_texts(folder: str | Path) -> Iterator[str]:
    """The ``content`` of every JSONL line of every ``*.jsonl`` file in ``folder``."""
    for path in sorted(Path(folder).glob("*.jsonl")):
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    content = json.loads(line).get("content") or ""
                    if content:
                        yield content


def notice_texts(folder: str | Path) -> Iterator[str]:
    """The text of every ``*.txt`` file in ``folder``."""
    for path in sorted(Path(folder).glob("*.txt")):
        yield path.read_text(encoding="utf-8")


def segmented_line(seg: Segmenter, sentence: str) -> str:
    """``sentence`` as space-separated words (whitespace inside it dropped)."""
    return " ".join(w.strip() for w in segment_words(seg, sentence))


def prepare(texts: Iterable[str], seg: Segmenter, out: str | Path,
            heldout: str | Path | None = None, every: int = 50) -> dict[str, int]:
    """Write the sentences of ``texts`` segmented by ``seg`` (one a line, words separated by
    spaces) to ``out``; every ``every``-th sentence goes to ``heldout`` instead when given
    (pkuseg's training wants a test file)."""
    n_train = n_held = chars = 0
    with open(out, "w", encoding="utf-8") as fo:
        fh = open(heldout, "w", encoding="utf-8") if heldout else None
        try:
            k = 0
            for text in texts:
                for sent in sentences(text):
                    line = segmented_line(seg, sent)
                    if not line:
                        continue
                    k += 1
                    chars += len(line.replace(" ", ""))
                    if fh is not None and k % every == 0:
                        fh.write(line + "\n")
                        n_held += 1
                    else:
                        fo.write(line + "\n")
                        n_train += 1
        finally:
            if fh is not None:
                fh.close()
    return {"train_sentences": n_train, "heldout_sentences": n_held, "chars": chars}


def read_segmented(path: str | Path) -> list[list[str]]:
    """A segmented file (words separated by whitespace, one sentence a line); blank lines
    kept as empty sentences so line numbers match."""
    with open(path, encoding="utf-8") as fh:
        return [line.split() for line in fh]


def _spans(words: Sequence[str]) -> set[tuple[int, int]]:
    out, pos = set(), 0
    for w in words:
        out.add((pos, pos + len(w)))
        pos += len(w)
    return out


def segmentation_prf(gold: Sequence[Sequence[str]],
                     pred: Sequence[Sequence[str]]) -> dict[str, Any]:
    """Word P/R/F1 of ``pred`` against ``gold`` (lists of words per sentence, the same
    characters in both), over character spans."""
    tp = n_gold = n_pred = 0
    for g, p in zip(gold, pred, strict=True):
        gs, ps = _spans(g), _spans(p)
        tp += len(gs & ps)
        n_gold += len(gs)
        n_pred += len(ps)
    prec = tp / n_pred if n_pred else 0.0
    rec = tp / n_gold if n_gold else 0.0
    f = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {"p": prec, "r": rec, "f": f, "tp": tp, "gold": n_gold, "pred": n_pred}


def segment_words(seg: Segmenter, text: str) -> list[str]:
    """``text`` cut into words by ``seg``, every character in exactly one word (characters
    the segmenter leaves out are one-character words)."""
    words, pos = [], 0
    for s, e in seg.spans(text):
        if s > pos:
            words.extend(text[pos:s])
        words.append(text[s:e])
        pos = e
    words.extend(text[pos:])
    return [w for w in words if w.strip()]


def score_file(seg: Segmenter, gold_path: str | Path) -> dict[str, Any]:
    """Segment the unsegmented text of every gold line and score (with the seconds taken)."""
    gold = read_segmented(gold_path)
    t0 = time.perf_counter()
    pred = [segment_words(seg, "".join(words)) for words in gold]
    seconds = time.perf_counter() - t0
    res = segmentation_prf(gold, pred)
    res["seconds"] = round(seconds, 2)
    res["chars"] = sum(len("".join(g)) for g in gold)
    return res


def _main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("prepare", help="jieba-segmented training text")
    p.add_argument("--political", required=True)
    p.add_argument("--notices", default=None)
    p.add_argument("--out", required=True)
    p.add_argument("--heldout", required=True)
    t = sub.add_parser("train", help="train a spacy-pkuseg model (one process)")
    t.add_argument("--train", required=True)
    t.add_argument("--heldout", required=True)
    t.add_argument("--model", required=True)
    t.add_argument("--iter", type=int, default=10)
    s = sub.add_parser("score", help="P/R/F1 on a segmented gold file")
    s.add_argument("--gold", required=True)
    s.add_argument("--segmenter", choices=("jieba", "pkuseg"), required=True)
    s.add_argument("--model", default=None)
    s.add_argument("--no-hmm", action="store_true")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if args.cmd == "prepare":
        texts: list[str] = list(political_texts(args.political))
        if args.notices:
            texts += list(notice_texts(args.notices))
        res: dict[str, Any] = prepare(texts, get_segmenter("jieba"), args.out, args.heldout)
    elif args.cmd == "train":
        import spacy_pkuseg

        t0 = time.perf_counter()
        spacy_pkuseg.train(args.train, args.heldout, args.model, train_iter=args.iter)
        res = {"seconds": round(time.perf_counter() - t0, 1),
               "bytes": sum(f.stat().st_size for f in Path(args.model).rglob("*") if f.is_file())}
    else:
        res = score_file(get_segmenter(args.segmenter, args.model, hmm=not args.no_hmm),
                         args.gold)
    json.dump(res, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(_main())
