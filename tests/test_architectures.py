"""The issue-13 architectures (``rectify_nlp.training.architectures``): SoftLexicon sets of an
invented word list, the ``rectify.CharLexiconEmbed.v1`` layer's shapes, gradients and
serialisation, and the BiLSTM configs (``ner_bilstm.cfg``, ``ner_softlexicon.cfg``) built from
config and trained for a few steps on invented sentences, saved and loaded back.

The word list and sentences are invented here; jieba is not needed (the configs' ``lexicon``
is pointed at a word list written by the test).
"""

from __future__ import annotations

import gzip
import io
import random
from pathlib import Path

import numpy
import pytest
import spacy

import rectify_nlp.training.architectures as arch
from rectify_nlp.corpus import CorpusRecord, write_jsonl
from rectify_nlp.training.architectures import Lexicon, read_word_list, soft_lexicon_arrays

CONFIGS = Path(arch.__file__).resolve().parents[1] / "resources" / "configs"

WORDS = ["巡察", "巡察组", "察组", "组", "整改", "整改率", "改率", "台账", "青禾镇"]


def _nlp() -> spacy.language.Language:
    return spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "char"}}})


# -- the dictionary ---------------------------------------------------------------------------

def test_sets_of_each_character() -> None:
    lex = Lexicon.from_words(WORDS)
    sets = lex.sets("县委巡察组整改率")
    assert sets[0] == [[], [], [], []] and sets[1] == [[], [], [], []]      # 县 委: no word
    assert sets[2] == [["巡察", "巡察组"], [], [], []]                       # 巡
    assert sets[3] == [["察组"], ["巡察组"], ["巡察"], []]                    # 察
    assert sets[4] == [[], [], ["巡察组", "察组"], ["组"]]                    # 组
    assert sets[6] == [["改率"], ["整改率"], ["整改"], []]                    # 改
    assert lex.matches("台账") == [(0, 2)]


def test_read_word_list_jieba_format_and_gzip(tmp_path: Path) -> None:
    text = "# invented\n巡察组 30 n\n整改 500 v\n整改 7 v\n很长很长很长很长的词 3 n\n台账\n\n"
    plain = tmp_path / "dict.txt"
    plain.write_text(text, encoding="utf-8")
    packed = tmp_path / "dict.txt.gz"
    packed.write_bytes(gzip.compress(text.encode("utf-8")))
    for path in (plain, packed):
        assert read_word_list(path, max_len=8) == {"巡察组": 30, "整改": 500, "台账": 1}
    assert read_word_list(plain, min_freq=10) == {"巡察组": 30, "整改": 500}


def test_soft_lexicon_arrays_keep_longest_words_and_count_all() -> None:
    lex = Lexicon({"巡察": 5, "巡察组": 1, "巡察组长": 1}, source="invented")
    doc = _nlp()("巡察组长")
    ids, weights, counts = soft_lexicon_arrays(lex, doc, max_words=2)
    assert ids.shape == (4, 4, 2) and weights.shape == (4, 4, 2) and counts.shape == (4, 4)
    # 巡 begins three words: the two longest are kept, each weighted 1/2; the count has all 3
    assert ids[0, 0].tolist() == [lex.word_hash("巡察组长"), lex.word_hash("巡察组")]
    assert weights[0, 0].tolist() == [0.5, 0.5]
    assert counts[0, 0] == pytest.approx(numpy.log1p(3))
    # 长 ends one word; nothing begins at it
    assert ids[3, 2].tolist() == [lex.word_hash("巡察组长"), 0] and weights[3, 2, 1] == 0
    assert counts[3, 0] == 0 and not weights[3, 0].any()


def test_lexicon_round_trips_through_bytes() -> None:
    lex = Lexicon({"巡察组": 3, "台账": 1}, source="invented")
    back = Lexicon.from_bytes(lex.to_bytes())
    assert back.words == lex.words and back.source == "invented" and back.max_len == 3


# -- the embedding layer ----------------------------------------------------------------------

def test_char_lexicon_embed_shapes_gradients_and_serialisation(tmp_path: Path) -> None:
    words = tmp_path / "words.txt"
    words.write_text("\n".join(WORDS) + "\n", encoding="utf-8")
    make = spacy.registry.architectures.get("rectify.CharLexiconEmbed.v1")
    model = make(width=16, attrs=["NORM", "SHAPE"], rows=[500, 50], bigram_width=8,
                 bigram_rows=500, lexicon=str(words), lexicon_width=8, lexicon_rows=500)
    nlp = _nlp()
    docs = [nlp("县委巡察组整改率"), nlp("台账"), nlp("")]
    model.initialize(X=docs)
    vectors, backprop = model.begin_update(docs)
    assert [v.shape for v in vectors] == [(8, 16), (2, 16), (0, 16)]
    backprop([numpy.ones_like(v) for v in vectors])      # gradients flow (no error)
    lexicon_layer = next(n for n in model.walk() if n.name == "soft_lexicon")
    assert len(lexicon_layer.attrs["lexicon"]) == len(WORDS)
    # the dictionary travels inside the model: a fresh model built with no readable word list
    fresh = make(width=16, attrs=["NORM", "SHAPE"], rows=[500, 50], bigram_width=8,
                 bigram_rows=500, lexicon=str(tmp_path / "gone.txt"), lexicon_width=8,
                 lexicon_rows=500)
    fresh.from_bytes(model.to_bytes())
    fresh_layer = next(n for n in fresh.walk() if n.name == "soft_lexicon")
    assert fresh_layer.attrs["lexicon"].words == lexicon_layer.attrs["lexicon"].words
    again = fresh.predict(docs)
    numpy.testing.assert_allclose(again[0], model.predict(docs)[0], rtol=1e-5, atol=1e-6)


def test_lexicon_null_and_no_bigrams_is_plain_multihash_width() -> None:
    make = spacy.registry.architectures.get("rectify.CharLexiconEmbed.v1")
    model = make(width=12, attrs=["NORM"], rows=[100], bigram_width=0, lexicon=None)
    docs = [_nlp()("整改台账")]
    model.initialize(X=docs)
    assert model.predict(docs)[0].shape == (4, 12)
    assert not any(n.name == "soft_lexicon" for n in model.walk())


# -- the BiLSTM configs, trained a few steps --------------------------------------------------

_PLACES = ["青禾", "柳岸", "石门", "云溪"]


def _records(n: int) -> list[CorpusRecord]:
    rng = random.Random(3)
    out = []
    for i in range(n):
        place = rng.choice(_PLACES)
        parts: list[tuple[str, str | None]] = [
            ("县委第二", None), ("巡察组", "ORG"), ("对", None), (f"{place}镇党委", "ORG"),
            ("反馈了", None), ("台账管理不规范", "PROBLEM"), ("问题,已", None),
            (f"整改{rng.randint(2, 9)}项", "OUTCOME"), ("。", None)]
        out.append(CorpusRecord.from_parts(f"inv{i:02d}", parts))
    return out


@pytest.mark.parametrize("cfg_name", ["ner_bilstm.cfg", "ner_softlexicon.cfg"])
def test_bilstm_configs_train_save_and_load(cfg_name: str, tmp_path: Path) -> None:
    pytest.importorskip("torch")
    from rectify_nlp.training import train

    data = tmp_path / "train.jsonl"
    write_jsonl(_records(8), data)
    words = tmp_path / "words.txt"
    words.write_text("\n".join(WORDS + ["党委", "青禾镇", "柳岸镇"]) + "\n", encoding="utf-8")
    overrides = {"training.eval_frequency": 2, "components.tok2vec.model.encode.width": 16,
                 "components.tok2vec.model.encode.depth": 1,
                 "components.ner.model.hidden_width": 16,
                 "components.tok2vec.model.embed.bigram_rows": 500}
    if cfg_name == "ner_softlexicon.cfg":
        overrides.update({"components.tok2vec.model.embed.lexicon": str(words),
                          "components.tok2vec.model.embed.lexicon_rows": 500,
                          "components.tok2vec.model.embed.lexicon_width": 8})
    log = io.StringIO()
    out = train(data, tmp_path / "model", config=CONFIGS / cfg_name, max_steps=6, seed=1,
                relations=False, overrides=overrides, stdout=log)
    assert "ENTS_F" in log.getvalue()
    words.unlink()                                    # the saved model needs no word list
    nlp = spacy.load(out)
    assert nlp.pipe_names == ["tok2vec", "ner"]
    encode = nlp.get_pipe("tok2vec").model.get_ref("encode")
    assert any(n.name.startswith("pytorch") for n in encode.walk())
    doc = nlp("县委第二巡察组对石门镇党委反馈了问题。")
    assert len(doc) == 19 and all(e.label_ in {"ORG", "PROBLEM", "OUTCOME", "DATE"}
                                  for e in doc.ents)
    if cfg_name == "ner_softlexicon.cfg":
        layer = next(n for n in nlp.get_pipe("tok2vec").model.walk() if n.name == "soft_lexicon")
        assert "青禾镇" in layer.attrs["lexicon"].words
