"""The CRF entity recogniser (``rectify_nlp.pipeline.crf_ner``): the CRF's loss and gradients
against brute force over every tag path, Viterbi against brute force, BILUO validity of what it
predicts, and the ``rectify_crf_ner`` component trained on invented sentences of the genre,
saved and loaded back; ``ner_crf.cfg`` trained by the project's trainer.
"""

from __future__ import annotations

import io
import itertools
import random
from pathlib import Path

import numpy
import pytest
import spacy
from spacy.training import Example

from rectify_nlp.corpus import CorpusRecord, write_jsonl
from rectify_nlp.pipeline import crf_ner
from rectify_nlp.pipeline.crf_ner import (
    FORBIDDEN,
    allowed_transitions,
    biluo_tags,
    crf_loss,
    viterbi,
)

CONFIGS = Path(crf_ner.__file__).resolve().parents[1] / "resources" / "configs"
TAGS = biluo_tags(["ORG"])  # O, B, I, L, U
ALLOWED, FIRST, LAST = allowed_transitions(TAGS)


def _params(rng: numpy.random.Generator) -> tuple[numpy.ndarray, ...]:
    T = len(TAGS)
    trans = numpy.where(ALLOWED, rng.normal(size=(T, T)), FORBIDDEN)
    start = numpy.where(FIRST, rng.normal(size=T), FORBIDDEN)
    end = numpy.where(LAST, rng.normal(size=T), FORBIDDEN)
    return trans, start, end


def _path_score(e, path, trans, start, end) -> float:
    s = start[path[0]] + end[path[-1]] + sum(e[i, t] for i, t in enumerate(path))
    return s + sum(trans[a, b] for a, b in zip(path, path[1:]))


def _brute_force(e, trans, start, end):
    paths = list(itertools.product(range(len(TAGS)), repeat=len(e)))
    scores = numpy.array([_path_score(e, p, trans, start, end) for p in paths])
    return paths, scores


def test_loss_is_minus_log_probability_of_the_gold_path() -> None:
    rng = numpy.random.default_rng(0)
    trans, start, end = _params(rng)
    emissions = [rng.normal(size=(n, len(TAGS))) for n in (1, 3, 4)]
    gold = [numpy.array([4]), numpy.array([1, 3, 0]), numpy.array([0, 1, 2, 3])]  # U / B L O / O B I L
    loss, *_ = crf_loss(emissions, gold, trans, start, end)
    expected = 0.0
    for e, g in zip(emissions, gold):
        _, scores = _brute_force(e, trans, start, end)
        log_z = numpy.log(numpy.exp(scores - scores.max()).sum()) + scores.max()
        expected += log_z - _path_score(e, tuple(g), trans, start, end)
    assert loss == pytest.approx(expected, rel=1e-9)


def test_gradients_match_finite_differences() -> None:
    rng = numpy.random.default_rng(1)
    trans, start, end = _params(rng)
    emissions = [rng.normal(size=(n, len(TAGS))) for n in (2, 5)]
    gold = [numpy.array([1, 3]), numpy.array([4, 0, 1, 2, 3])]
    _, d_e, d_trans, d_start, d_end = crf_loss(emissions, gold, trans, start, end)

    def loss_with(**changed) -> float:
        args = {"emissions": emissions, "trans": trans, "start": start, "end": end, **changed}
        return crf_loss(args["emissions"], gold, args["trans"], args["start"], args["end"])[0]

    eps = 1e-6
    for b, i, t in [(0, 0, 1), (0, 1, 0), (1, 2, 2), (1, 4, 3)]:
        bumped = [e.copy() for e in emissions]
        bumped[b][i, t] += eps
        assert (loss_with(emissions=bumped) - loss_with()) / eps == pytest.approx(
            d_e[b][i, t], abs=1e-4)
    for a, c in [(0, 1), (1, 3), (2, 3), (3, 0)]:  # allowed transitions only
        bumped = trans.copy()
        bumped[a, c] += eps
        assert (loss_with(trans=bumped) - loss_with()) / eps == pytest.approx(
            d_trans[a, c], abs=1e-4)
    bumped = start.copy()
    bumped[4] += eps
    assert (loss_with(start=bumped) - loss_with()) / eps == pytest.approx(d_start[4], abs=1e-4)
    bumped = end.copy()
    bumped[3] += eps
    assert (loss_with(end=bumped) - loss_with()) / eps == pytest.approx(d_end[3], abs=1e-4)


def test_viterbi_is_the_best_path_and_valid_biluo() -> None:
    rng = numpy.random.default_rng(2)
    trans, start, end = _params(rng)
    emissions = [rng.normal(scale=3.0, size=(n, len(TAGS))) for n in (0, 1, 2, 5, 3)]
    paths = viterbi(emissions, trans, start, end)
    assert len(paths[0]) == 0
    for e, path in zip(emissions[1:], paths[1:]):
        candidates, scores = _brute_force(e, trans, start, end)
        assert tuple(path) == candidates[int(scores.argmax())]
        assert FIRST[path[0]] and LAST[path[-1]]
        assert all(ALLOWED[a, b] for a, b in zip(path, path[1:]))


def test_forbidden_transitions_follow_biluo() -> None:
    tags = biluo_tags(["ORG", "DATE"])
    allowed, first, last = allowed_transitions(tags)

    def ok(a: str, b: str) -> bool:
        return bool(allowed[tags.index(a), tags.index(b)])

    assert ok("O", "B-ORG") and ok("U-DATE", "B-ORG") and ok("L-ORG", "O")
    assert ok("B-ORG", "I-ORG") and ok("I-ORG", "L-ORG")
    assert not ok("O", "I-ORG") and not ok("B-ORG", "O") and not ok("B-ORG", "L-DATE")
    assert not ok("I-DATE", "B-DATE") and not ok("L-ORG", "I-ORG")
    assert not first[tags.index("I-ORG")] and not last[tags.index("B-DATE")]


# -- the component -----------------------------------------------------------------------------

_PLACES = ["青禾", "柳岸", "石门", "云溪"]


def _records(n: int, seed: int = 3) -> list[CorpusRecord]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        place = rng.choice(_PLACES)
        parts: list[tuple[str, str | None]] = [
            (f"{rng.randint(2019, 2024)}年{rng.randint(1, 12)}月", "DATE"), (",县委第二", None),
            ("巡察组", "ORG"), ("对", None), (f"{place}镇党委", "ORG"), ("开展了巡察。", None)]
        out.append(CorpusRecord.from_parts(f"inv{i:02d}", parts))
    return out


def _nlp_with_crf() -> spacy.language.Language:
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "char"}}})
    nlp.add_pipe("tok2vec", config={"model": {
        "@architectures": "spacy.HashEmbedCNN.v2", "width": 32, "depth": 2, "embed_size": 500,
        "window_size": 1, "maxout_pieces": 2, "subword_features": False,
        "pretrained_vectors": None}})
    nlp.add_pipe("rectify_crf_ner", name="ner", config={"model": {
        "@architectures": "rectify.CRFTagger.v1", "tok2vec": {
            "@architectures": "spacy.Tok2VecListener.v1", "width": 32, "upstream": "*"}}})
    return nlp


def _examples(nlp, records) -> list[Example]:
    out = []
    for r in records:
        doc = nlp.make_doc(r.text)
        out.append(Example.from_dict(doc, {"entities": [(s.start, s.end, s.label)
                                                        for s in r.entities]}))
    return out


@pytest.mark.parametrize("seed", [0, 1])
def test_component_learns_saves_and_loads(seed: int, tmp_path: Path) -> None:
    spacy.util.fix_random_seed(seed)
    nlp = _nlp_with_crf()
    train = _examples(nlp, _records(12))
    optimizer = nlp.initialize(lambda: train)
    ner = nlp.get_pipe("ner")
    assert ner.labels == ("DATE", "ORG") and len(ner.tags) == 9
    for _ in range(60):
        losses: dict[str, float] = {}
        nlp.update(train, sgd=optimizer, losses=losses)
    assert losses["ner"] < 5.0
    text = "2023年5月,县委第二巡察组对石门镇党委开展了巡察。"
    doc = nlp(text)
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("2023年5月", "DATE"), ("巡察组", "ORG"), ("石门镇党委", "ORG")]
    scores = nlp.evaluate(_examples(nlp, _records(6, seed=9)))
    assert scores["ents_f"] > 0.9
    nlp.to_disk(tmp_path / "m")
    loaded = spacy.load(tmp_path / "m")  # the factory through the package's entry point
    assert loaded.get_pipe("ner").labels == ("DATE", "ORG")
    assert [(e.start_char, e.end_char, e.label_) for e in loaded(text).ents] == [
        (e.start_char, e.end_char, e.label_) for e in doc.ents]


def test_labels_are_fixed_after_initialisation() -> None:
    nlp = _nlp_with_crf()
    ner = nlp.get_pipe("ner")
    with pytest.raises(ValueError):
        ner.add_label("B-ORG")  # '-' would break the tag names
    ner.add_label("ORG")
    nlp.initialize(lambda: _examples(nlp, _records(2)))
    assert ner.add_label("ORG") == 0
    with pytest.raises(ValueError, match="fixed"):
        ner.add_label("DATE")


def test_empty_and_whitespace_documents() -> None:
    nlp = _nlp_with_crf()
    nlp.initialize(lambda: _examples(nlp, _records(2)))
    assert [list(d.ents) for d in nlp.pipe(["", " ", "\n\n"])] == [[], [], []]
    losses = nlp.update([Example.from_dict(nlp.make_doc(""), {})])
    assert losses.get("ner", 0.0) == 0.0


def test_crf_config_trains_with_the_project_trainer(tmp_path: Path) -> None:
    from rectify_nlp.training import train

    data = tmp_path / "train.jsonl"
    write_jsonl(_records(8), data)
    log = io.StringIO()
    out = train(data, tmp_path / "model", config=CONFIGS / "ner_crf.cfg", max_steps=6, seed=1,
                relations=False, overrides={"training.eval_frequency": 2}, stdout=log)
    assert "ENTS_F" in log.getvalue()
    nlp = spacy.load(out)
    assert nlp.pipe_names == ["tok2vec", "ner"]
    assert nlp.get_pipe_meta("ner").factory == "rectify_crf_ner"
    doc = nlp("2021年3月,县委第二巡察组对云溪镇党委开展了巡察。")
    assert all(e.label_ in {"ORG", "PROBLEM", "OUTCOME", "DATE"} for e in doc.ents)


def test_softlexicon_crf_config_trains_and_loads_without_the_word_list(tmp_path: Path) -> None:
    pytest.importorskip("torch")
    from rectify_nlp.training import train

    data = tmp_path / "train.jsonl"
    write_jsonl(_records(8), data)
    words = tmp_path / "words.txt"
    words.write_text("巡察\n巡察组\n党委\n青禾镇\n石门镇\n", encoding="utf-8")
    overrides = {"training.eval_frequency": 2, "components.tok2vec.model.encode.width": 16,
                 "components.tok2vec.model.encode.depth": 1,
                 "components.tok2vec.model.embed.bigram_rows": 500,
                 "components.tok2vec.model.embed.lexicon": str(words),
                 "components.tok2vec.model.embed.lexicon_rows": 500,
                 "components.tok2vec.model.embed.lexicon_width": 8}
    out = train(data, tmp_path / "model", config=CONFIGS / "ner_softlexicon_crf.cfg",
                max_steps=6, seed=1, relations=False, overrides=overrides, stdout=io.StringIO())
    words.unlink()
    nlp = spacy.load(out)
    assert nlp.get_pipe_meta("ner").factory == "rectify_crf_ner"
    assert nlp.get_pipe("ner").labels == ("ORG", "DATE", "PROBLEM", "OUTCOME")
    doc = nlp("2022年8月,县委第二巡察组对青禾镇党委开展了巡察。")
    assert all(e.label_ in {"ORG", "DATE", "PROBLEM", "OUTCOME"} for e in doc.ents)


def test_partly_annotated_documents_are_not_learned_as_outside(caplog) -> None:
    """A document whose gold tags are missing (no annotation) is skipped with a warning, not
    taught as all-``O``."""
    nlp = _nlp_with_crf()
    optimizer = nlp.initialize(lambda: _examples(nlp, _records(2)))
    unannotated = Example(nlp.make_doc("县委第二巡察组对石门镇党委开展了巡察。"),
                          nlp.make_doc("县委第二巡察组对石门镇党委开展了巡察。"))
    with caplog.at_level("WARNING", logger="rectify_nlp.pipeline.crf_ner"):
        losses = nlp.update([unannotated], sgd=optimizer)
    assert losses["ner"] == 0.0
    assert "1 of 1 documents skipped" in caplog.text
