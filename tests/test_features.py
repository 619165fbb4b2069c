"""The character-bigram embedding (``rectify.CharBigramEmbed.v1``) and its config variant
``ner_bigram.cfg``: the layer builds and runs on hostile input, a tiny pipeline trains.

The fixture sentences are invented for this test (names, numbers, structures varied).
"""

from __future__ import annotations

import io
import random
from pathlib import Path

import pytest

from rectify_nlp.corpus import CorpusRecord, EntityAnnotation, write_jsonl

spacy = pytest.importorskip("spacy")

import rectify_nlp.pipeline.features as features  # noqa: E402

BIGRAM_CFG = (Path(features.__file__).resolve().parents[1] / "resources" / "configs"
              / "ner_bigram.cfg")

_UNITS = ["市委第二巡察组", "区委第五巡视组", "县纪委监委", "州委第一巡察组"]
_TARGETS = ["松林乡党委", "河口街道党工委", "市水务局党组", "城关镇党委"]
_PROBLEMS = ["意识形态工作责任制落实不够有力", "三重一大制度执行不严格", "惠民资金发放不及时"]


def _record(i: int, rng: random.Random) -> CorpusRecord:
    month = rng.randint(1, 10)
    parts: list[tuple[str, str | None]] = [
        (f"{2019 + i % 5}年{month}月{rng.randint(1, 28)}日", "DATE"), ("起,", None),
        (rng.choice(_UNITS), "ORG"), ("进驻", None), (rng.choice(_TARGETS), "ORG"),
        ("开展巡察。针对“", None), (rng.choice(_PROBLEMS), "PROBLEM"), ("”的问题,", None),
        (f"追回资金{rng.randint(3, 900)}万元", "OUTCOME"), (",完善制度", None),
        (f"{rng.randint(2, 30)}项", None), ("。\n", None),
    ]
    text, ents = "", []
    for piece, label in parts:
        if label:
            ents.append(EntityAnnotation(len(ents), label, len(text), len(text) + len(piece), piece))
        text += piece
    return CorpusRecord(f"bg{i:02d}", text, tuple(ents))


def _blank_zh() -> object:
    return spacy.blank("zh", config={"nlp": {"tokenizer": {
        "@tokenizers": "spacy.zh.ChineseTokenizer", "segmenter": "char"}}})


def test_bigram_ids_link_neighbours_and_handle_edges() -> None:
    ids = features.bigram_ids(["整", "改", "率"])
    assert ids.shape == (3, 2) and ids.dtype.name == "uint64"
    assert ids[0, 1] == ids[1, 0] and ids[1, 1] == ids[2, 0]
    assert ids[0, 0] != ids[2, 1]  # BOS and EOS differ
    assert features.bigram_ids([]).shape == (0, 2)
    assert features.bigram_ids(["x"]).shape == (1, 2)


def test_layer_builds_and_runs_on_hostile_docs() -> None:
    make = spacy.registry.architectures.get("rectify.CharBigramEmbed.v1")
    model = make(width=24, attrs=["NORM", "SHAPE"], rows=[500, 50], bigram_width=8,
                 bigram_rows=300)
    nlp = _blank_zh()
    texts = ["县委第三巡察组对青禾镇党委开展巡察", "", " \n ", "Audit <b>team</b> 7",
             "好", "追回资金" * 500]
    docs = [nlp(t) for t in texts]
    model.initialize(X=docs)
    ys, backprop = model(docs, is_train=True)
    assert [y.shape for y in ys] == [(len(d), 24) for d in docs]
    backprop(ys)
    with pytest.raises(ValueError):
        make(width=24, attrs=["NORM"], rows=[500], bigram_width=0)


def test_tiny_bigram_pipeline_trains(tmp_path: Path) -> None:
    from rectify_nlp.training import train

    rng = random.Random(5)
    corpus = tmp_path / "train.jsonl"
    write_jsonl([_record(i, rng) for i in range(6)], corpus)
    out = train(corpus, tmp_path / "model", config=BIGRAM_CFG, max_steps=2, seed=3,
                stdout=io.StringIO(),
                overrides={"training.eval_frequency": 1,
                           "components.tok2vec.model.encode.width": 32,
                           "components.tok2vec.model.embed.bigram_width": 8,
                           "components.tok2vec.model.embed.bigram_rows": 500,
                           "components.ner.model.hidden_width": 16})
    assert "rectify.CharBigramEmbed.v1" in (out / "config.cfg").read_text(encoding="utf-8")
    nlp = spacy.load(out)
    assert set(nlp.get_pipe("ner").labels) == {"ORG", "DATE", "PROBLEM", "OUTCOME"}
    doc = nlp("2021年6月3日,市委第二巡察组进驻河口街道党工委。")
    assert all(e.label_ in {"ORG", "DATE", "PROBLEM", "OUTCOME"} for e in doc.ents)
