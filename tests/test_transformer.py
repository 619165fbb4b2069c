"""The Hugging Face backbone ``rectify.TransformerTok2Vec.v1``: one vector per character,
whatever the wordpieces and the document length, fine-tunable, saved self-contained.

Every checkpoint here is a tiny random BERT written by ``build_tiny_bert`` (its vocabulary:
the characters of the gold corpus); nothing is downloaded (HF_HUB_OFFLINE=1). The training
corpus is invented genre text, not the seed notices.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy
import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")

import spacy  # noqa: E402
from spacy.tokens import Doc  # noqa: E402

from rectify_nlp.corpus import CorpusRecord, load_corpus, write_jsonl  # noqa: E402
from rectify_nlp.pipeline.transformer import (  # noqa: E402
    ARCHITECTURE,
    align_tokens,
    build_tiny_bert,
    transformer_tok2vec,
    window_starts,
)
from rectify_nlp.text.clean import clean_text  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "src" / "rectify_nlp" / "resources" / "configs" / "ner_transformer.cfg"


@pytest.fixture(scope="module", autouse=True)
def _offline() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HF_HUB_OFFLINE", "1")
        mp.setenv("TRANSFORMERS_OFFLINE", "1")
        yield


@pytest.fixture(scope="module")
def gold_characters() -> set[str]:
    """Every character of the gold corpus, raw and cleaned (the model sees clean text)."""
    texts = [r.text for r in load_corpus(ROOT / "corpus" / "gold.jsonl")]
    return set("".join(texts)) | set("".join(clean_text(t).text for t in texts))


@pytest.fixture(scope="module")
def tiny_bert(gold_characters: set[str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_bert(tmp_path_factory.mktemp("ckpt") / "tiny_bert",
                           sorted(gold_characters))


@pytest.fixture(scope="module")
def nlp() -> spacy.language.Language:
    return spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "char"}}})


def encoder(checkpoint: Path, **settings):
    """The backbone, initialised from ``checkpoint`` (what ``nlp.initialize`` does)."""
    model = transformer_tok2vec(str(checkpoint), **settings)
    model.initialize()
    return model


# -- windows and alignment -----------------------------------------------------------------

def test_windows_cover_every_piece() -> None:
    assert window_starts(300, window=128, stride=96) == [0, 96, 192]
    assert window_starts(128, window=128, stride=96) == [0]
    for n in (1, 17, 100, 1000):
        covered = {p for s in window_starts(n, 16, 12) for p in range(s, min(s + 16, n))}
        assert covered == set(range(n))
    with pytest.raises(ValueError):
        window_starts(10, window=8, stride=9)  # gaps between windows


def test_align_shares_and_skips() -> None:
    # "年GDP 。": a piece over three characters, a space no token holds, a dropped "。"
    tokens = [(0, 1), (1, 2), (2, 3), (3, 4), (5, 6)]
    pieces = [(0, 1), (1, 4)]
    assert align_tokens(tokens, pieces) == [[0], [1], [1], [1], []]
    # one token over several pieces (a multi-character token)
    assert align_tokens([(0, 4)], [(0, 2), (2, 3), (3, 4)]) == [[0, 1, 2]]


# -- one row per character -----------------------------------------------------------------

def test_one_row_per_character(tiny_bert: Path, nlp) -> None:
    model = encoder(tiny_bert, width=24)
    docs = [nlp("2024年3月，区委第二巡察组对GDP统计（含R&D）开展专项巡察。"), nlp(""),
            nlp("  \n ")]
    rows = model.predict(docs)
    assert [r.shape for r in rows] == [(len(d), 24) for d in docs]
    assert numpy.isfinite(rows[0]).all()


def test_digit_runs_are_split_into_pieces(tiny_bert: Path, nlp) -> None:
    # "2024" → 2 ##0 ##2 ##4: each digit has its own piece and its own vector
    rows = encoder(tiny_bert).predict([nlp("2024年")])[0]
    assert not numpy.allclose(rows[0], rows[1])


def test_one_unknown_piece_over_several_characters_is_shared(tiny_bert: Path, nlp) -> None:
    # Cyrillic is not in the vocabulary: the word "Жab" is one [UNK] over three characters
    doc = nlp("整改Жab到位")
    rows = encoder(tiny_bert).predict([doc])[0]
    zh, a, b = (doc.text.index(c) for c in "Жab")
    assert numpy.allclose(rows[zh], rows[a]) and numpy.allclose(rows[a], rows[b])
    assert numpy.abs(rows[zh]).sum() > 0
    assert not numpy.allclose(rows[0], rows[zh])


def test_characters_without_a_piece_get_zeros(tiny_bert: Path, nlp) -> None:
    # the ideographic space is a spaCy token but the BERT tokenizer drops it
    doc = nlp("巡察\u3000组")
    assert [t.text for t in doc] == ["巡", "察", "\u3000", "组"]
    rows = encoder(tiny_bert).predict([doc])[0]  # no projection: the encoder's own rows
    assert numpy.allclose(rows[2], 0.0)
    assert all(numpy.abs(rows[i]).sum() > 0 for i in (0, 1, 3))


def test_pooling_over_a_multi_character_token(tiny_bert: Path, nlp) -> None:
    chars = nlp("2024年")  # one token per character
    words = Doc(nlp.vocab, words=["2024", "年"], spaces=[False, False])  # same text
    for pooling, expected in (("mean", lambda r: r[:4].mean(axis=0)), ("first", lambda r: r[0])):
        model = encoder(tiny_bert, pooling=pooling)
        per_char, per_word = model.predict([chars, words])
        assert numpy.allclose(per_word[0], expected(per_char), atol=1e-5)
        assert numpy.allclose(per_word[1], per_char[4], atol=1e-5)


# -- long documents --------------------------------------------------------------------------

def test_document_many_windows_long(tiny_bert: Path, nlp) -> None:
    text = "2024年5月6日,县委第三巡察组反馈意见12条,整改完成率100%。\n" * 3  # ~110 chars
    doc = nlp(text)
    model = encoder(tiny_bert, window=20, stride=15)
    assert len(doc) > 5 * 20
    rows = model.predict([doc])[0]
    assert rows.shape == (len(doc), 32)
    assert numpy.isfinite(rows).all()


def test_short_document_same_output_whatever_the_window(tiny_bert: Path, nlp) -> None:
    doc = nlp("对照问题清单逐项整改。")  # 11 pieces: one window in every setting
    outputs = [encoder(tiny_bert, window=w, stride=s).predict([doc])[0]
               for w, s in ((128, 96), (16, 4), (11, 11))]
    for other in outputs[1:]:
        assert numpy.allclose(outputs[0], other, atol=1e-5)


def test_overlapping_windows_are_averaged(tiny_bert: Path, nlp) -> None:
    import torch

    doc = nlp("立行立改建章立制")  # 8 pieces, windows [0, 6) and [4, 8) → pieces 4, 5 in both
    model = encoder(tiny_bert, window=6, stride=4)
    rows = model.predict([doc])[0]
    shim = model.shims[0]
    tok = shim.tokenizer
    ids = tok(doc.text, add_special_tokens=False)["input_ids"]
    assert len(ids) == 8

    def encode(piece_ids: list[int]) -> numpy.ndarray:
        x = torch.tensor([[tok.cls_token_id, *piece_ids, tok.sep_token_id]])
        shim.transformer.eval()
        with torch.no_grad():
            return shim.transformer(input_ids=x).last_hidden_state[0, 1:-1].numpy()

    first, second = encode(ids[0:6]), encode(ids[4:8])
    expected = numpy.concatenate([first[:4], (first[4:] + second[:2]) / 2, second[2:]])
    assert numpy.allclose(rows, expected, atol=1e-5)


# -- training and saving ---------------------------------------------------------------------

def _torch_weights(model) -> dict[str, numpy.ndarray]:
    return {k: v.detach().numpy().copy()
            for k, v in model.shims[0].transformer.state_dict().items()}


@pytest.mark.parametrize("grad", [True, False])
def test_backprop_fine_tunes_unless_frozen(tiny_bert: Path, nlp, grad: bool) -> None:
    from thinc.api import Adam

    model = encoder(tiny_bert, width=8, grad=grad, window=4, stride=4)
    before = _torch_weights(model)
    projection = model.layers[0].get_param("W").copy()
    docs = [nlp("清退违规资金12万元。" * 30), nlp("约谈3人")]  # > 64 windows: two encoder calls
    rows, backprop = model.begin_update(docs)
    backprop([numpy.ones_like(r) for r in rows])
    model.finish_update(Adam(0.01))
    after = _torch_weights(model)
    changed = [k for k in before if not numpy.array_equal(before[k], after[k])]
    assert bool(changed) is grad
    assert not numpy.array_equal(projection, model.layers[0].get_param("W"))


def test_serialised_model_needs_no_checkpoint(tiny_bert: Path, nlp, tmp_path: Path) -> None:
    copy = Path(shutil.copytree(tiny_bert, tmp_path / "copy"))
    model = encoder(copy, width=16)
    data = model.to_bytes()
    shutil.rmtree(copy)
    restored = transformer_tok2vec(None, width=16).from_bytes(data)
    doc = nlp("整改GDP数据2024年")
    assert numpy.allclose(model.predict([doc])[0], restored.predict([doc])[0], atol=1e-6)


def test_registered_in_spacy_and_imported_lazily() -> None:
    assert spacy.registry.architectures.get(ARCHITECTURE) is transformer_tok2vec
    assert ARCHITECTURE in spacy.registry.architectures.get_all()  # entry point + decorator
    code = ("import sys, spacy, rectify_nlp\n"
            "from rectify_nlp.training.config import load_training_config\n"
            "rectify_nlp.load('rules')\n"
            "spacy.util.load_model_from_config(load_training_config(), auto_fill=True)\n"
            "import rectify_nlp.pipeline.transformer\n"
            "print('transformers' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=120)
    assert out.stdout.strip() == "False"


def _notice(i: int) -> CorpusRecord:
    """An invented township notice with the four labels (names and numbers vary)."""
    place, group = ["青禾镇", "柳岸乡", "石门街道"][i % 3], ["第一", "第二", "第三"][i % 3]
    parts = [("2023年", None), (f"{3 + i}月{10 + i}日至{5 + i}月{1 + i}日", "DATE"), (",", None),
             (f"县委{group}巡察组", "ORG"), ("对", None), (f"{place}党委", "ORG"),
             ("开展了常规巡察。\n一、关于“", None), ("落实全面从严治党主体责任不够到位", "PROBLEM"),
             ("”问题\n整改情况:", None), (f"追缴资金{12 + i}.5万元", "OUTCOME"), ("。\n", None)]
    return CorpusRecord.from_parts(f"tf{i}", parts)


def test_train_then_load_offline_without_the_checkpoint(
        gold_characters: set[str], tmp_path: Path, township_text: str) -> None:
    import rectify_nlp
    from rectify_nlp.training import train
    from rectify_nlp.validation import schema_errors

    corpus = tmp_path / "train.jsonl"
    write_jsonl([_notice(i) for i in range(4)], corpus)
    checkpoint = build_tiny_bert(tmp_path / "bert", sorted(gold_characters), hidden_size=16,
                                 num_layers=1, intermediate_size=32)
    out = train(corpus, tmp_path / "model", config=CONFIG, max_steps=3, relations=False,
                overrides={"paths.transformer": str(checkpoint), "training.eval_frequency": 3,
                           "corpora.dev.holdout": 0.25, "corpora.train.holdout": 0.25,
                           "components.tok2vec.model.width": 16},
                stdout=io.StringIO())
    shutil.rmtree(checkpoint)  # the pipeline carries config, tokenizer and weights
    saved = spacy.util.load_config(out / "config.cfg", interpolate=False)
    saved["paths"]["transformer"] = None  # the checkpoint's name is not needed to load either
    saved.to_disk(out / "config.cfg")

    extractor = rectify_nlp.load(out)
    assert extractor.nlp.pipe_names[:2] == ["tok2vec", "ner"]
    doc = extractor.nlp("2024年6月,市委第四巡察组进驻。")
    assert doc.tensor.shape == (len(doc), 16)
    result = extractor(township_text)
    assert schema_errors(result.to_dict()) == []
    assert result.to_dict()["meta"]["chunks"] >= 1
