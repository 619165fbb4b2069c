"""rectify.WordBoundaryEmbed.v1 (rectify_nlp.training.wordseg) and the segmentation scorer
(rectify_nlp.training.cws): tags, shapes, gradients, serialisation, a missing segmenter."""

from __future__ import annotations

import importlib.util

import numpy
import pytest
import spacy

from rectify_nlp.training import cws, wordseg

needs_jieba = pytest.mark.skipif(importlib.util.find_spec("jieba") is None,
                                 reason="jieba not installed")


class FakeSegmenter(wordseg.Segmenter):
    """Cuts by a fixed word list (no jieba), through the same cache and tag code."""

    def __init__(self, words: list[str]) -> None:  # noqa: D107
        self.name, self.model, self.hmm = "fake", None, True
        self._cache, self._cached_chars = {}, 0
        self._cut = lambda text: wordseg.align_words(text, words)


def test_boundaries_and_tags_of_characters() -> None:
    begins, ends = wordseg.boundaries_from_words("甲乙丙 丁戊己", ["甲乙丙", "丁", "戊己"])
    assert wordseg.tags_of_chars(begins, ends) == ["B", "M", "E", "S", "S", "B", "E"]
    # characters in no word (dropped by the segmenter, or unaligned) are single
    begins, ends = wordseg.boundaries_from_spans(4, [(1, 3)])
    assert wordseg.tags_of_chars(begins, ends) == ["S", "B", "E", "S"]
    assert wordseg.align_words("甲乙丙", ["甲", "丁", "乙丙"]) == [(0, 1), (1, 3)]


def test_doc_tag_ids_follow_the_character_offsets() -> None:
    nlp = spacy.blank("zh")
    seg = FakeSegmenter(["一二", "三四五", "六"])
    doc = nlp("一二 三四五六")
    assert [t.text for t in doc] == list("一二三四五六")
    ids = wordseg.doc_tag_ids(seg, doc)
    assert [wordseg.TAGS[i] for i in ids] == ["B", "E", "B", "M", "E", "S"]
    assert doc.text in seg._cache  # cached per text
    # a token of several characters: B/E/S/M from whether it starts / ends a word
    doc2 = spacy.tokens.Doc(nlp.vocab, words=["一二", "三四", "五六"], spaces=[False] * 3)
    seg2 = FakeSegmenter(["一二", "三四五", "六"])
    assert [wordseg.TAGS[i] for i in wordseg.doc_tag_ids(seg2, doc2)] == ["S", "B", "E"]


def test_layer_shapes_gradients_and_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeSegmenter(["一二", "三四五"])
    monkeypatch.setattr(wordseg, "get_segmenter", lambda *a, **k: fake)
    nlp = spacy.blank("zh")
    docs = [nlp("一二三四五六"), nlp("三四五")]
    model = wordseg.create_word_boundary_embed(32, ["NORM", "SHAPE"], [500, 50], tag_width=8)
    model.initialize(X=docs)
    out, backprop = model(docs, is_train=True)
    assert [o.shape for o in out] == [(6, 32), (3, 32)]
    backprop([numpy.ones_like(o) for o in out])
    tags = next(n for n in model.walk() if n.name == "word_boundary_tags")
    d_e = tags.get_grad("E")
    assert d_e.shape == (4, 8) and numpy.abs(d_e).sum() > 0
    restored = wordseg.create_word_boundary_embed(32, ["NORM", "SHAPE"], [500, 50], tag_width=8)
    restored.from_bytes(model.to_bytes())
    again, _ = restored(docs, is_train=False)
    assert numpy.allclose(again[0], model(docs, is_train=False)[0][0])


def test_missing_segmenter_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name in ("jieba", "spacy_pkuseg") else real(name, *a))
    with pytest.raises(ImportError, match="pip install jieba"):
        wordseg.Segmenter("jieba")
    with pytest.raises(ImportError, match="spacy-pkuseg"):
        wordseg.Segmenter("pkuseg", "/nowhere")
    with pytest.raises(ValueError, match="segmenter must be one of"):
        wordseg.create_word_boundary_embed(32, ["NORM"], [500], segmenter="thulac")


@needs_jieba
def test_jieba_segmenter_offsets_are_exact() -> None:
    seg = wordseg.get_segmenter("jieba")
    text = "我们 在北京大学学习。"
    spans = seg.spans(text)
    assert "".join(text[s:e] for s, e in spans) == text
    assert [text[s:e] for s, e in spans if text[s:e].strip()][:2] == ["我们", "在"]
    nlp = spacy.blank("zh")
    ids = wordseg.doc_tag_ids(seg, nlp(text))
    assert len(ids) == len(nlp(text))


def test_segmentation_scores() -> None:
    gold = [["巡察", "组", "进驻"], ["整改"]]
    assert cws.segmentation_prf(gold, gold)["f"] == 1.0
    res = cws.segmentation_prf(gold, [["巡察组", "进驻"], ["整", "改"]])
    assert (res["tp"], res["gold"], res["pred"]) == (1, 4, 4)
    seg = FakeSegmenter(["巡察", "进驻"])
    assert cws.segment_words(seg, "巡察组 进驻") == ["巡察", "组", "进驻"]
    assert cws.segmented_line(seg, "巡察组进驻") == "巡察 组 进驻"


def test_the_config_builds_the_layer() -> None:
    from pathlib import Path

    import rectify_nlp
    import rectify_nlp.training.registry  # noqa: F401  (rectify.Corpus.v1, callbacks)

    cfg_path = (Path(rectify_nlp.__file__).parent / "resources" / "configs" / "ner_wordseg.cfg")
    config = spacy.util.load_config(cfg_path)
    nlp = spacy.util.load_model_from_config(config, auto_fill=True, validate=True)
    names = [n.name for n in nlp.get_pipe("tok2vec").model.walk()]
    assert "word_boundary_embed" in names and "word_boundary_tags" in names
    embed = config["components"]["tok2vec"]["model"]["embed"]
    assert (embed["segmenter"], embed["segmenter_model"]) == ("jieba", None)
