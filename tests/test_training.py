"""Training: data conversion to clean-text windows, a tiny pipeline trained for a few steps,
loaded back offline, and ``rectify train`` on the command line.

The fixture corpus is written here: invented genre sentences (names, numbers and structures
varied), never text from the seed notices.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from rectify_nlp.corpus import CorpusRecord, EntityAnnotation, write_jsonl

_PLACES = ["青禾", "柳岸", "石门", "云溪", "南屏", "北坪", "东岭", "西塘"]
_NUMS = ["一", "二", "三", "四", "五", "六"]


def _record(i: int, rng: random.Random) -> CorpusRecord:
    """One invented notice with ORG, DATE, PROBLEM and OUTCOME entities."""
    place = rng.choice(_PLACES)
    group = f"县委第{rng.choice(_NUMS)}巡察组"
    target = f"{place}镇党委"
    month = rng.randint(2, 9)
    day = rng.randint(1, 28)
    date = f"2023年{month}月{day}日至{month + 2}月{day}日"
    feedback = f"{month + 3}月{rng.randint(1, 28)}日"
    problem = rng.choice(["落实主体责任不够到位", "基层治理能力有待提升", "资金管理不够规范"])
    outcome = f"清理闲置资产{rng.randint(2, 90)}处"
    rate = "整改完成率100%"
    parts: list[tuple[str, str | None]] = [
        ("根据县委统一部署,", None), (date, "DATE"), (",", None), (group, "ORG"),
        ("对", None), (target, "ORG"), ("开展了常规巡察。", None), (feedback, "DATE"),
        (",巡察组反馈了意见。现将整改情况公布如下。\n", None),
        ("(一)关于“", None), (problem, "PROBLEM"), ("”问题的整改情况\n", None),
        ("一是建立台账,共", None), (outcome, "OUTCOME"), (";二是", None), (rate, "OUTCOME"),
        ("。\n", None),
    ]
    return CorpusRecord.from_parts(f"fx{i:02d}", parts)


@pytest.fixture(scope="module")
def fixture_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rng = random.Random(7)
    path = tmp_path_factory.mktemp("corpus") / "train.jsonl"
    write_jsonl([_record(i, rng) for i in range(6)], path)
    return path


@pytest.fixture(scope="module")
def tiny_model(fixture_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from rectify_nlp.training import train

    out = tmp_path_factory.mktemp("models") / "tiny"
    import io

    return train(fixture_corpus, out, max_steps=4, seed=1, stdout=io.StringIO(),
                 overrides={"training.eval_frequency": 2,
                            "components.tok2vec.model.encode.width": 32})


# -- data ----------------------------------------------------------------------------------

def test_offsets_map_to_clean_text() -> None:
    from rectify_nlp.training import record_windows

    text = "<p>２０２４年５月６日，区委第二巡察组&amp;某局</p>\r\n<p>清退资金１２万元。</p>"
    d0, d1 = text.index("２"), text.index("，")
    o0, o1 = text.index("区"), text.index("&amp;")
    c0 = text.index("清")
    ents = (EntityAnnotation(0, "DATE", d0, d1, text[d0:d1]),
            EntityAnnotation(1, "ORG", o0, o1, text[o0:o1]),
            EntityAnnotation(2, "OUTCOME", c0, c0 + 8, text[c0:c0 + 8]))
    [w] = record_windows(CorpusRecord("h", text, ents))
    got = [(w.text[s:e], label) for s, e, label in w.entities]
    assert got == [("2024年5月6日", "DATE"), ("区委第二巡察组", "ORG"), ("清退资金12万元", "OUTCOME")]


def test_windows_cut_at_line_breaks_and_keep_entities() -> None:
    from rectify_nlp.training import record_windows

    rng = random.Random(3)
    recs = [_record(i, rng) for i in range(3)]
    long = CorpusRecord("long", "".join(r.text for r in recs), tuple(
        EntityAnnotation(k, e.label, e.start + off, e.end + off, e.text)
        for k, (e, off) in enumerate(
            (e, sum(len(x.text) for x in recs[:j])) for j, r in enumerate(recs)
            for e in r.entities)))
    windows = record_windows(long, max_chars=80)
    assert all(len(w.text) <= 80 for w in windows)
    assert sum(len(w.entities) for w in windows) == len(long.entities)
    for w in windows:
        for s, e, _label in w.entities:
            assert w.text[s:e] == long.text[w.offset + s:w.offset + e]


def test_dev_holds_out_whole_notices(tmp_path: Path) -> None:
    # windows of one notice never sit in both train and dev (issue 11: training that cannot leak)
    from rectify_nlp.training.registry import RectifyCorpus

    rng = random.Random(5)
    long_records = []
    for i in range(8):
        parts = [_record(i * 10 + k, rng) for k in range(3)]
        text = "".join(r.text for r in parts)
        ents, off = [], 0
        for r in parts:
            ents += [EntityAnnotation(len(ents), e.label, e.start + off, e.end + off, e.text)
                     for e in r.entities]
            off += len(r.text)
        long_records.append(CorpusRecord(f"notice{i}", text, tuple(ents)))
    path = tmp_path / "notices.jsonl"
    write_jsonl(long_records, path)
    train = RectifyCorpus(path, part="train", holdout=0.25, max_chars=80).windows()
    dev = RectifyCorpus(path, part="dev", holdout=0.25, max_chars=80).windows()
    assert train and dev
    assert {w.record_id for w in train}.isdisjoint({w.record_id for w in dev})
    assert len({w.record_id for w in train} | {w.record_id for w in dev}) == 8


def test_hostile_records_do_not_crash() -> None:
    from rectify_nlp.training import record_windows

    assert record_windows(CorpusRecord("e", "")) == []
    assert record_windows(CorpusRecord("w", " \n\t ")) == []
    eng = CorpusRecord("en", "Inspection team 3 visited.", (EntityAnnotation(0, "ORG", 0, 17, "Inspection team 3"),))
    [w] = record_windows(eng)
    assert w.entities == ((0, 17, "ORG"),)


def test_override_parsing() -> None:
    from rectify_nlp.training import parse_override

    assert parse_override("training.patience=50") == ("training.patience", 50)
    assert parse_override("paths.dev=null") == ("paths.dev", None)
    with pytest.raises(ValueError):
        parse_override("nodot=1")


# -- training --------------------------------------------------------------------------------

def test_tiny_pipeline_trains_saves_and_loads_offline(tiny_model: Path,
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      schema: dict) -> None:
    import jsonschema

    import rectify_nlp

    card = json.loads((tiny_model / "model_card.json").read_text(encoding="utf-8"))
    assert card["labels"] == ["DATE", "ORG", "OUTCOME", "PROBLEM"]
    assert len(card["data"]["train"]["sha256"]) == 64 and card["seed"] == 1
    assert (tiny_model / "README.md").read_text(encoding="utf-8").startswith("# ")
    assert "train.jsonl" not in (tiny_model / "config.cfg").read_text(encoding="utf-8")
    # offline: any attempt to open a socket fails the test
    import socket

    def _no_net(*a: object, **k: object) -> None:
        raise AssertionError("network access while loading a model")

    monkeypatch.setattr(socket.socket, "connect", _no_net)
    ex = rectify_nlp.load(tiny_model)
    assert ex.has_model and "ner" in ex.nlp.pipe_names
    text = ("2022年3月1日至4月30日,市委第四巡察组对柳岸街道党工委开展了巡察。\n"
            "(一)关于“服务群众意识不强”问题的整改情况\n一是走访群众1200余户。")
    result = ex(text)
    d = result.to_dict()
    jsonschema.validate(d, schema)
    assert {e.get("source", "rule") for e in d["entities"]} <= {"rule", "model"}
    for e in d["entities"]:
        assert text[e["start"]:e["end"]] == e["text"]
    assert ex("") is not None and ex("Hello <b>world</b>").to_dict()["entities"] == []


def test_model_spans_reach_the_output(tiny_model: Path) -> None:
    """Whatever the (barely trained) model finds is passed on as model-source spans."""
    import rectify_nlp
    from rectify_nlp.rules.analysis import analyze
    from rectify_nlp.spans import Span
    from rectify_nlp.text.clean import clean_text

    ex = rectify_nlp.load(tiny_model)
    ner = ex.nlp.get_pipe("ner")
    assert set(ner.labels) == {"ORG", "DATE", "PROBLEM", "OUTCOME"}
    text = "县委第三巡察组对青禾镇党委开展了巡察,现将整改进展情况通报如下。"
    clean = clean_text(text)
    spans_per_text, chunks = ex._model_spans([clean], [analyze(clean.text)])
    assert chunks == [1]
    spans = spans_per_text[0]
    assert all(isinstance(s, Span) and s.source == "model" for s in spans)
    assert all(text[s.start:s.end] == s.text for s in spans)


def test_fine_tune_keeps_labels(tiny_model: Path, fixture_corpus: Path, tmp_path: Path) -> None:
    import io

    import spacy

    from rectify_nlp.training import train

    rng = random.Random(11)
    only_org = [CorpusRecord(r.id, r.text, tuple(EntityAnnotation(0, e.label, e.start, e.end, e.text)
                                                 for e in r.entities if e.label == "ORG")[:1])
                for r in (_record(i, rng) for i in range(3))]
    new = tmp_path / "new.jsonl"
    write_jsonl(only_org, new)
    out = train(new, tmp_path / "tuned", base_model=tiny_model, rehearse=fixture_corpus,
                max_steps=2, stdout=io.StringIO(), overrides={"training.eval_frequency": 1})
    nlp = spacy.load(out)
    assert set(nlp.get_pipe("ner").labels) == {"ORG", "DATE", "PROBLEM", "OUTCOME"}
    card = json.loads((out / "model_card.json").read_text(encoding="utf-8"))
    assert card["base_model"]["data_sha256"] is not None
    assert card["data"]["rehearse"]["records"] == 6


def test_rehearsal_sample_is_drawn_afresh_every_epoch(tiny_model: Path, fixture_corpus: Path,
                                                      tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Regression: with max_epochs = 0 spaCy read the train corpus once and reshuffled that
    list, so the reader's rehearsal sample was drawn once for the whole run, not every epoch."""
    import io

    from spacy.language import Language

    from rectify_nlp.corpus import load_corpus
    from rectify_nlp.training import train

    seen: set[str] = set()
    update = Language.update

    def spy(self: Language, examples: list, *args: object, **kwargs: object) -> object:
        seen.update(eg.reference.text for eg in examples)
        return update(self, examples, *args, **kwargs)

    monkeypatch.setattr(Language, "update", spy)
    rng = random.Random(5)
    new = tmp_path / "new.jsonl"
    write_jsonl([_record(i, rng) for i in range(3)], new)
    # 3 new windows + a sample of 2 of the 6 rehearsal windows an epoch, one window a batch:
    # 20 steps are 4 epochs
    train(new, tmp_path / "tuned", base_model=tiny_model, dev=new, rehearse=fixture_corpus,
          max_steps=20, relations=False, stdout=io.StringIO(),
          overrides={"training.eval_frequency": 10, "training.batcher.size.start": 100,
                     "training.batcher.size.stop": 100})
    old = {r.text.strip() for r in load_corpus(fixture_corpus)}
    rehearsed = {t for t in seen if t.strip() in old}
    # one sample for the whole run would be exactly 2 of them
    assert len(rehearsed) > 2


def test_refuses_to_overwrite_a_folder_that_is_not_a_pipeline(fixture_corpus: Path,
                                                              tmp_path: Path) -> None:
    from rectify_nlp.training import train

    (tmp_path / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(FileExistsError):
        train(fixture_corpus, tmp_path, max_steps=1)
    assert (tmp_path / "keep.txt").exists()


def test_cli_train(fixture_corpus: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from rectify_nlp.cli import cli

    out = tmp_path / "m"
    res = CliRunner().invoke(cli, ["train", str(fixture_corpus), "--out", str(out),
                                   "--max-steps", "3", "--seed", "2",
                                   "--set", "training.eval_frequency=1",
                                   "--set", "components.tok2vec.model.encode.width=32"])
    assert res.exit_code == 0, res.output
    assert "ENTS_F" in res.output and "pipeline saved to" in res.output
    assert (out / "config.cfg").exists() and (out / "model_card.json").exists()
    card = json.loads((out / "model_card.json").read_text(encoding="utf-8"))
    assert card["seed"] == 2 and card["training"]["max_steps"] == 3
    bad = CliRunner().invoke(cli, ["train", str(fixture_corpus), "--out", str(tmp_path / "x"),
                                   "--set", "oops"])
    assert bad.exit_code != 0 and "section.key=value" in bad.output


def test_model_entities_are_merged_with_rules(tiny_model: Path) -> None:
    """A span the pipeline finds and the rules do not ends up in the output as source=model
    (an entity ruler stands in for a well-trained NER, deterministically)."""
    import rectify_nlp

    ex = rectify_nlp.load(tiny_model)
    ex.nlp.remove_pipe("ner")
    ruler = ex.nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "ORG", "pattern": [{"TEXT": c} for c in "云溪老茶坊"]}])
    text = ("2021年9月2日至10月8日,州委第二巡视组对云溪镇党委开展了巡视。现将整改情况公布。\n"
            "一是约谈云溪老茶坊负责人3人。")
    ents = ex(text).to_dict()["entities"]
    model = [e for e in ents if e.get("source") == "model"]
    assert {(e["label"], e["text"]) for e in model} >= {("ORG", "云溪老茶坊")}
    assert all(text[e["start"]:e["end"]] == e["text"] for e in ents)
