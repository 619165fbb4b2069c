"""Rule features for the NER model: per-token channels from the rule layer, the component,
the embedding, the training reader and a tiny ``ner_rules.cfg`` pipeline.

Every text here is an invented genre sentence (names, numbers and structures varied), never
text from the seed notices.
"""

from __future__ import annotations

import io
import random
from pathlib import Path

import numpy
import pytest
import spacy
from spacy.tokens import Doc, DocBin

from rectify_nlp.corpus import CorpusRecord, write_jsonl
from rectify_nlp.pipeline.rule_features import (
    CHANNEL_SIZES,
    CHANNELS,
    FEATURES_KEY,
    annotate,
    char_features,
    doc_features,
    has_rule_features,
)
from rectify_nlp.rules.analysis import analyze

RULES_CFG = (Path(__file__).resolve().parents[1] / "src" / "rectify_nlp" / "resources"
             / "configs" / "ner_rules.cfg")

NOTICE = (
    "2022年9月5日至11月20日,县委第四巡察组对青石镇党委开展了常规巡察。12月8日,巡察组向"
    "青石镇党委反馈了巡察意见。按照有关要求,现将巡察整改情况公布如下。\n"
    "一、巡察反馈问题的整改落实情况\n"
    "(一)关于落实意识形态工作责任制不够到位的问题\n"
    "一是修订完善学习制度,开展专题学习12次;二是清理闲置资产35处,收回资金18.6万元。\n"
    "(二)关于村级财务管理不够规范的问题\n"
    "一是建立财务台账;二是整改问题账目210笔。\n"
    "欢迎广大干部群众对整改落实情况进行监督。联系电话:0571-88886666。\n"
    "中共青石镇委员会\n2023年3月2日\n"
)


def _blank() -> spacy.language.Language:
    return spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "char"}}})


@pytest.fixture(scope="module")
def analysis():
    return analyze(NOTICE)


def test_channels_are_consistent() -> None:
    assert len(CHANNELS) == len(CHANNEL_SIZES)
    assert CHANNELS[:4] == ("ORG", "DATE", "PROBLEM", "OUTCOME")


def test_entity_channels_mark_rule_spans(analysis) -> None:
    spans = analysis.entity_spans()
    assert {s.label for s in spans} >= {"ORG", "DATE", "PROBLEM", "OUTCOME"}
    feats = char_features(analysis, 0, len(NOTICE))
    assert feats.shape == (len(NOTICE), len(CHANNELS))
    for s in spans:
        col = CHANNELS.index(s.label)
        codes = feats[s.start:s.end, col]
        if len(codes) == 1:
            assert codes[0] == 4
            continue
        # overlapping spans of one label may overwrite each other; the inside stays marked
        assert (codes > 0).all(), s
    # something outside every entity is O on every entity channel
    assert (feats[NOTICE.index("按照有关要求"), :4] == 0).all()
    # each channel stays within its range
    assert (feats.max(axis=0) < numpy.asarray(CHANNEL_SIZES)).all()


def test_outline_and_zone_channels(analysis) -> None:
    feats = char_features(analysis, 0, len(NOTICE))
    marker = NOTICE.index("(二)")
    heading = NOTICE.index("村级财务管理")
    assert feats[marker, CHANNELS.index("outline")] == 1
    assert feats[heading, CHANNELS.index("outline")] in (2, 3)
    assert feats[heading, CHANNELS.index("depth")] > feats[NOTICE.index("一、"),
                                                             CHANNELS.index("depth")] > 0
    # the header sentence is a zone; the contact line too
    assert feats[NOTICE.index("县委第四"), CHANNELS.index("zone")] == 1
    assert feats[NOTICE.index("0571"), CHANNELS.index("zone")] == 4


def test_window_in_the_middle_matches_the_whole(analysis) -> None:
    nlp = _blank()
    whole = nlp.make_doc(NOTICE)
    annotate(whole, analysis)
    start = NOTICE.index("(一)")
    stop = NOTICE.index("欢迎")
    window = nlp.make_doc(NOTICE[start:stop])
    annotate(window, analysis, offset=start)
    assert has_rule_features(window)
    full = whole.user_data[FEATURES_KEY]
    part = window.user_data[FEATURES_KEY]
    by_idx = {t.idx: i for i, t in enumerate(whole)}
    for i, tok in enumerate(window):
        assert (part[i] == full[by_idx[tok.idx + start]]).all()


def test_window_cut_keeps_inside_code(analysis) -> None:
    org = next(s for s in analysis.entity_spans() if s.label == "ORG" and len(s) > 3)
    mid = org.start + 2
    feats = char_features(analysis, mid, org.end + 5)
    assert feats[0, 0] == 2  # the span began before the window: inside, not begin


@pytest.mark.parametrize("text", ["", "   \n ", "Hello world, no notice here.",
                                  "<p>整改</p>", "今天天气很好。" * 50])
def test_hostile_text(text: str) -> None:
    nlp = _blank()
    doc = nlp.make_doc(text)
    annotate(doc, analyze(text))
    assert has_rule_features(doc)
    assert doc.user_data[FEATURES_KEY].shape == (len(doc), len(CHANNELS))
    assert not doc.user_data[FEATURES_KEY].any()


def test_annotate_rejects_negative_offset(analysis) -> None:
    with pytest.raises(ValueError):
        annotate(_blank().make_doc("巡察"), analysis, offset=-1)


def test_component_standalone_and_skips_annotated(analysis) -> None:
    nlp = _blank()
    nlp.add_pipe("rectify_rule_features")
    doc = nlp(NOTICE)
    assert has_rule_features(doc)
    assert doc.user_data[FEATURES_KEY].any()
    # a pre-annotated doc is left alone (the extractor annotates chunks itself)
    pre = nlp.make_doc(NOTICE)
    marker = numpy.ones((len(pre), len(CHANNELS)), dtype="int32")
    pre.user_data[FEATURES_KEY] = marker
    out = nlp(pre)
    assert out.user_data[FEATURES_KEY] is marker
    # features whose shape does not fit the doc are replaced
    bad = nlp.make_doc(NOTICE)
    bad.user_data[FEATURES_KEY] = numpy.zeros((3, 2), dtype="int32")
    assert nlp(bad).user_data[FEATURES_KEY].shape == (len(bad), len(CHANNELS))


def test_doc_features_without_features_is_all_o() -> None:
    doc = _blank().make_doc("某单位")
    assert doc_features(doc).shape == (3, len(CHANNELS))
    assert not doc_features(doc).any()


def test_embed_with_and_without_features(analysis) -> None:
    import rectify_nlp.pipeline.features  # noqa: F401

    make = spacy.registry.architectures.get("rectify.RuleFeatureEmbed.v1")
    model = make(width=32, attrs=["NORM", "SHAPE"], rows=[500, 50], feature_width=4)
    nlp = _blank()
    plain = nlp.make_doc(NOTICE)
    featured = nlp.make_doc(NOTICE)
    annotate(featured, analysis)
    empty = nlp.make_doc("")
    model.initialize(X=[plain, featured])
    out = model.predict([plain, featured, empty])
    assert out[0].shape == (len(plain), 32) and out[2].shape == (0, 32)
    assert not numpy.allclose(out[0], out[1])  # the features change the representation
    with pytest.raises(ValueError):
        make(width=32, attrs=["NORM"], rows=[100], feature_width=0)


# --------------------------------------------------------------------------- training

_TOWNS = ["白沙", "红岩", "金桥", "芦苇", "松林", "杏花", "双河", "凤鸣"]
_CN = ["一", "二", "三", "五", "六", "七"]


def _record(i: int, rng: random.Random) -> CorpusRecord:
    town = rng.choice(_TOWNS)
    month = rng.randint(2, 8)
    parts: list[tuple[str, str | None]] = [
        (f"2021年{month}月{rng.randint(1, 28)}日至{month + 3}月{rng.randint(1, 28)}日", "DATE"),
        (",", None), (f"区委第{rng.choice(_CN)}巡察组", "ORG"), ("对", None),
        (f"{town}街道党工委", "ORG"), ("进行了巡察。现将整改情况公布如下。\n一、整改落实情况\n"
                                   "(一)关于", None),
        (rng.choice(["干部作风建设不够扎实", "民生实事推进较慢", "制度执行不够严格"]), "PROBLEM"),
        ("的问题\n一是", None), (f"排查隐患{rng.randint(3, 99)}处", "OUTCOME"),
        (";二是", None), (f"追回资金{rng.randint(2, 40)}万元", "OUTCOME"), ("。\n", None),
    ]
    return CorpusRecord.from_parts(f"rf{i:02d}", parts)


@pytest.fixture(scope="module")
def corpus_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rng = random.Random(11)
    path = tmp_path_factory.mktemp("rf_corpus") / "train.jsonl"
    write_jsonl([_record(i, rng) for i in range(6)], path)
    return path


def test_reader_puts_features_on_predicted_docs(corpus_path: Path) -> None:
    from rectify_nlp.training.registry import create_corpus_reader

    nlp = _blank()
    with_f = list(create_corpus_reader(str(corpus_path), part="all", rule_features=True)(nlp))
    without = list(create_corpus_reader(str(corpus_path), part="all")(nlp))
    assert len(with_f) == len(without) == 6
    assert all(has_rule_features(eg.predicted) for eg in with_f)
    assert any(eg.predicted.user_data[FEATURES_KEY].any() for eg in with_f)
    assert not any(has_rule_features(eg.predicted) for eg in without)
    # the gold annotation is the same either way
    assert ([[(e.start_char, e.end_char, e.label_) for e in eg.reference.ents] for eg in with_f]
            == [[(e.start_char, e.end_char, e.label_) for e in eg.reference.ents]
                for eg in without])


def test_windows_offsets_and_docbin(corpus_path: Path) -> None:
    from rectify_nlp.corpus import load_corpus
    from rectify_nlp.text.clean import clean_text
    from rectify_nlp.training.data import record_windows, windows_to_docbin

    rec = load_corpus(corpus_path)[0]
    windows = record_windows(rec, max_chars=40, rule_features=True)
    assert len(windows) > 1
    clean = clean_text(rec.text)
    whole = char_features(analyze(clean.text, page_date=clean.page_date_text), 0,
                          len(clean.text))
    for w in windows:
        assert w.features is not None and w.features.shape == (len(w.text), len(CHANNELS))
        inner = slice(1, len(w.text) - 1)  # edge codes may differ where a span is cut
        assert (w.features[inner, 4:] == whole[w.offset:w.offset + len(w.text)][inner, 4:]).all()
    assert record_windows(rec, max_chars=40)[0].features is None
    nlp = _blank()
    docs = list(DocBin().from_bytes(windows_to_docbin(nlp, windows).to_bytes()).get_docs(
        nlp.vocab))
    assert all(has_rule_features(d) for d in docs)


def test_train_tiny_ner_rules_pipeline(corpus_path: Path, tmp_path: Path) -> None:
    import inspect

    from rectify_nlp.training import train

    extra = {"relations": False} if "relations" in inspect.signature(train).parameters else {}
    out = train(corpus_path, tmp_path / "model", config=RULES_CFG, max_steps=6, **extra,
                overrides={"training.eval_frequency": 3,
                           "components.tok2vec.model.encode.width": 32,
                           "components.tok2vec.model.encode.depth": 2},
                stdout=io.StringIO())
    nlp = spacy.load(out)
    assert nlp.pipe_names == ["rectify_rule_features", "tok2vec", "ner"]
    assert set(nlp.get_pipe("ner").labels) == {"ORG", "DATE", "PROBLEM", "OUTCOME"}
    doc = nlp(NOTICE)  # standalone: the component analyses the text itself
    assert has_rule_features(doc)
    pre = nlp.make_doc(NOTICE[10:])
    annotate(pre, analyze(NOTICE), offset=10)
    docs = list(nlp.pipe([pre, nlp.make_doc("")]))
    assert isinstance(docs[0], Doc) and len(docs[1]) == 0
