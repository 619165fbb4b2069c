"""Corpus JSONL format and its converters: doccano, Label Studio, DocBin, CoNLL, HF datasets."""

from __future__ import annotations

import json
import logging
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rectify_nlp.corpus import (
    CorpusRecord,
    EntityAnnotation,
    RelationAnnotation,
    from_conll,
    from_docbin,
    from_doccano,
    from_labelstudio,
    leave_one_out,
    load_corpus,
    read_jsonl,
    to_conll,
    to_dataset_dict,
    to_docbin,
    to_doccano,
    to_labelstudio,
    write_conll,
    write_docbin,
    write_doccano,
    write_jsonl,
    write_labelstudio,
)
from rectify_nlp.corpus.conll import conll_conflicts
from rectify_nlp.corpus.hf import NER_TAGS, from_dataset
from rectify_nlp.corpus.records import non_overlapping
from rectify_nlp.errors import RectifyInputError


# ---------------------------------------------------------------------------------------------
# Test records: genre sentences written for the tests (fictitious names and numbers).
# ---------------------------------------------------------------------------------------------
def make(rid: str, text: str, spans: list[tuple[str, str, int]],
         rels: list[tuple[str, int, int]] = (), meta: dict | None = None) -> CorpusRecord:
    """spans: (label, substring, occurrence); offsets found in text."""
    ents = []
    for i, (label, sub, occ) in enumerate(spans):
        pos = -1
        for _ in range(occ + 1):
            pos = text.index(sub, pos + 1)
        ents.append(EntityAnnotation(i, label, pos, pos + len(sub), sub))
    return CorpusRecord(rid, text, tuple(ents),
                        tuple(RelationAnnotation(*r) for r in rels), meta or {})


REC_PLAIN = make(
    "001_plain",
    "市委第二巡视组于2023年3月10日至5月20日对青溪县农业农村局党组开展了常规巡视。\n"
    "针对“耕地保护责任落实不到位”问题,2023年6月至8月共拆除违法建筑37处,复垦耕地215.6亩。",
    [("ORG", "市委第二巡视组", 0), ("DATE", "2023年3月10日至5月20日", 0),
     ("ORG", "青溪县农业农村局党组", 0), ("PROBLEM", "耕地保护责任落实不到位", 0),
     ("DATE", "2023年6月至8月", 0), ("OUTCOME", "拆除违法建筑37处", 0),
     ("OUTCOME", "复垦耕地215.6亩", 0)],
    [("INSPECTS", 0, 2), ("ADDRESSES", 5, 3), ("ADDRESSES", 6, 3), ("DURING", 5, 4),
     ("DURING", 6, 4)],
    {"source": "test", "annotator": "a1", "nested": {"list": [1, 2, {"x": None}]}},
)
REC_SPACES = make(
    "002_spaces",
    "  一、关于“基层党组织软弱涣散”问题\t\n\u3000\u3000截至２０２４年９月底，累计清退违规资金６６．５７万元。 \r\n"
    "（二）对 东港街道党工委 的巡察反馈",
    [("PROBLEM", "基层党组织软弱涣散", 0), ("DATE", "２０２４年９月底", 0),
     ("OUTCOME", "清退违规资金６６．５７万元", 0), ("ORG", "东港街道党工委", 0)],
    [("ADDRESSES", 2, 0), ("DURING", 2, 1)],
)
REC_EMPTY = CorpusRecord("003_empty", "", (), (), {})
REC_NOENT = CorpusRecord("004_none", "下一步,将持续巩固整改成果。", (), (), {"source": "x"})
REC_ENGLISH = make(
    "005_html",
    "<p>Inspection Group 3 visited the Harbour Bureau on 2024-05-01.</p>\n<br/>",
    [("ORG", "Inspection Group 3", 0), ("ORG", "Harbour Bureau", 0), ("DATE", "2024-05-01", 0)],
    [("INSPECTS", 0, 1)],
)
REC_ASTRAL = make(
    "006_astral",
    "𠮷溪村村民委员会新增路灯45盏,<NL>字样与-DOCSTART-字样照录。",
    [("ORG", "𠮷溪村村民委员会", 0), ("OUTCOME", "新增路灯45盏", 0)],
)
# Overlap across labels (an ORG inside an OUTCOME): fine for JSONL/doccano/LS/DocBin, not CoNLL.
REC_OVERLAP = make(
    "007_overlap",
    "区住建局新增400个轿车车位,整改完成率100%。",
    [("OUTCOME", "区住建局新增400个轿车车位", 0), ("ORG", "区住建局", 0),
     ("OUTCOME", "整改完成率100%", 0)],
)

FLAT = [REC_PLAIN, REC_SPACES, REC_EMPTY, REC_NOENT, REC_ENGLISH, REC_ASTRAL]
ALL = [*FLAT, REC_OVERLAP]


def test_test_records_are_valid():
    for rec in ALL:
        assert rec.validate() == [], rec.id
    assert all(not conll_conflicts(r) for r in FLAT)
    assert len(conll_conflicts(REC_OVERLAP)) == 1


# ---------------------------------------------------------------------------------------------
# JSONL
# ---------------------------------------------------------------------------------------------
def test_jsonl_round_trip(tmp_path):
    path = tmp_path / "sub" / "corpus.jsonl"
    write_jsonl(ALL, path)
    assert read_jsonl(path) == ALL
    lines = path.read_text(encoding="utf-8").split("\n")
    assert len(lines) == len(ALL) + 1 and lines[-1] == ""  # one record per line
    assert json.loads(lines[0])["entities"][0] == {
        "id": 0, "label": "ORG", "start": 0, "end": 7, "text": "市委第二巡视组"}
    assert "市委" in lines[0]  # readable UTF-8, not \\u escapes
    # overwrite in place; no temp files left behind
    write_jsonl(ALL[:2], path)
    assert read_jsonl(path) == ALL[:2]
    assert os.listdir(path.parent) == ["corpus.jsonl"]


def test_jsonl_line_separator_chars_stay_on_one_line(tmp_path):
    rec = CorpusRecord("x", "甲\u2028乙\u2029丙\x85丁\r\n戊", (), (), {})
    path = tmp_path / "c.jsonl"
    write_jsonl([rec], path)
    assert len(path.read_text(encoding="utf-8").splitlines()) == 1
    assert read_jsonl(path) == [rec]


def test_dict_round_trip_and_defaults():
    for rec in ALL:
        assert CorpusRecord.from_dict(rec.to_dict()) == rec
    rec = CorpusRecord.from_dict({"id": 7, "text": "关于区委第三巡察组",
                                  "entities": [{"label": "ORG", "start": 2, "end": 9}]})
    assert rec.id == "7" and rec.entities[0].text == "区委第三巡察组" and rec.entities[0].id == 0
    assert rec.relations == () and rec.meta == {}
    with pytest.raises(ValueError):
        CorpusRecord.from_dict({"id": "x"})
    with pytest.raises(ValueError):
        CorpusRecord.from_dict({"id": "x", "text": "t", "entities": [{"label": "ORG"}]})


def test_read_jsonl_reports_file_and_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(REC_PLAIN.to_dict(), ensure_ascii=False) + "\n\n{oops\n",
                    encoding="utf-8")
    with pytest.raises(RectifyInputError, match=r"bad\.jsonl.*line 3"):
        read_jsonl(path)
    with pytest.raises(RectifyInputError):
        read_jsonl(tmp_path / "missing.jsonl")


# ---------------------------------------------------------------------------------------------
# validate()
# ---------------------------------------------------------------------------------------------
def _with(rec: CorpusRecord, entities=None, relations=None) -> CorpusRecord:
    return CorpusRecord(rec.id, rec.text, rec.entities if entities is None else tuple(entities),
                        rec.relations if relations is None else tuple(relations), rec.meta)


@pytest.mark.parametrize("entity, needle", [
    (EntityAnnotation(0, "ORG", 5, 500, "x"), "out of bounds"),
    (EntityAnnotation(0, "ORG", -1, 3, "x"), "out of bounds"),
    (EntityAnnotation(0, "ORG", 4, 4, ""), "empty"),
    (EntityAnnotation(0, "ORG", 0, 7, "区委第三巡察组"), "differs from text"),
    (EntityAnnotation(0, "PERSON", 0, 7, "市委第二巡视组"), "unknown label"),
    (EntityAnnotation(3, "ORG", 0, 7, "市委第二巡视组"), "list index"),
])
def test_validate_catches_bad_entities(entity, needle):
    problems = _with(REC_PLAIN, entities=[entity], relations=[]).validate()
    assert any(needle in p for p in problems), problems


def test_validate_catches_same_label_overlap_but_allows_cross_label():
    e = list(REC_PLAIN.entities)
    dup = EntityAnnotation(len(e), "ORG", 2, 7, REC_PLAIN.text[2:7])
    assert any("overlaps" in p for p in _with(REC_PLAIN, entities=[*e, dup]).validate())
    same = EntityAnnotation(len(e), "ORG", 0, 7, REC_PLAIN.text[0:7])
    assert any("duplicates" in p for p in _with(REC_PLAIN, entities=[*e, same]).validate())
    assert REC_OVERLAP.validate() == []


@pytest.mark.parametrize("relation, needle", [
    (RelationAnnotation("INSPECTS", 0, 99), "not an entity id"),
    (RelationAnnotation("INSPECTS", -1, 2), "not an entity id"),
    (RelationAnnotation("ADDRESSES", 3, 5), "must be OUTCOME->PROBLEM"),  # reversed
    (RelationAnnotation("DURING", 5, 3), "must be OUTCOME->DATE"),
    (RelationAnnotation("INSPECTS", 0, 1), "must be ORG->ORG"),
    (RelationAnnotation("INSPECTS", 0, 0), "itself"),
    (RelationAnnotation("LOCATED_IN", 0, 2), "unknown relation label"),
    (RelationAnnotation("INSPECTS", 0, 2), "duplicate relation"),
])
def test_validate_catches_bad_relations(relation, needle):
    problems = _with(REC_PLAIN, relations=[*REC_PLAIN.relations, relation]).validate()
    assert any(needle in p for p in problems), problems


def test_canonical_sorts_and_remaps():
    # same entities and ids, listed in reverse: ids no longer equal list indices
    rev = _with(REC_PLAIN, entities=list(reversed(REC_PLAIN.entities)))
    assert any("list index" in p for p in rev.validate())
    assert rev.canonical() == REC_PLAIN.canonical()
    assert REC_PLAIN.canonical().validate() == []


def test_non_overlapping_prefers_longer():
    kept, dropped = non_overlapping(REC_OVERLAP.entities)
    assert [e.text for e in kept] == ["区住建局新增400个轿车车位", "整改完成率100%"]
    assert [e.text for e in dropped] == ["区住建局"]


# ---------------------------------------------------------------------------------------------
# doccano
# ---------------------------------------------------------------------------------------------
def test_doccano_round_trip(tmp_path):
    for rec in ALL:
        d = to_doccano(rec)
        assert set(d) >= {"id", "text", "entities", "relations"}
        assert from_doccano(json.loads(json.dumps(d))) == rec
    path = tmp_path / "doccano.jsonl"
    write_doccano(ALL, path)
    assert load_corpus(path) == ALL


def test_doccano_real_export_with_global_ids():
    text = "区委第一巡察组对南岭镇党委开展巡察,共督促整改问题41个。"
    d = {"id": 6400, "text": text, "Comments": [], "source": "batch-2",
         "entities": [{"id": 1662, "label": "ORG", "start_offset": 0, "end_offset": 7},
                      {"id": 1663, "label": "ORG", "start_offset": 8, "end_offset": 13}],
         "relations": [{"id": 273, "from_id": 1662, "to_id": 1663, "type": "INSPECTS"}]}
    rec = from_doccano(d)
    assert rec.id == "6400" and rec.meta == {"source": "batch-2"}
    assert [e.text for e in rec.entities] == ["区委第一巡察组", "南岭镇党委"]
    assert rec.relations == (RelationAnnotation("INSPECTS", 0, 1),)
    assert rec.validate() == []
    with pytest.raises(ValueError, match="unknown entity"):
        from_doccano({**d, "relations": [{"id": 1, "from_id": 1, "to_id": 2, "type": "X"}]})


def test_doccano_old_label_form(tmp_path):
    text = "2024年第三季度出动执法车辆102车次。"
    rec = from_doccano({"text": text, "label": [[0, 9, "DATE"], [9, 20, "OUTCOME"]]}, id="q3")
    assert rec.id == "q3"
    assert [(e.label, e.text) for e in rec.entities] == [("DATE", "2024年第三季度"),
                                                         ("OUTCOME", "出动执法车辆102车次")]
    assert rec.validate() == []
    path = tmp_path / "old.jsonl"
    path.write_text(json.dumps({"text": text, "label": [[0, 9, "DATE"]]}, ensure_ascii=False)
                    + "\n", encoding="utf-8")
    (loaded,) = load_corpus(path)  # autodetected as doccano; id made from line + hash
    assert loaded.entities[0].text == "2024年第三季度" and loaded.id.startswith("000_")


# ---------------------------------------------------------------------------------------------
# Label Studio
# ---------------------------------------------------------------------------------------------
def test_labelstudio_round_trip(tmp_path):
    tasks = to_labelstudio(ALL)
    assert from_labelstudio(json.loads(json.dumps(tasks))) == ALL
    res = tasks[0]["annotations"][0]["result"]
    assert res[0]["type"] == "labels" and res[0]["value"]["labels"] == ["ORG"]
    assert any(r["type"] == "relation" and r["direction"] == "right" for r in res)
    path = tmp_path / "ls.json"
    write_labelstudio(ALL, path)
    assert load_corpus(path) == ALL


def test_labelstudio_export_quirks():
    text = "𠮷山区委第五巡察组对𠮷山区水务局党组进行巡察"
    ent = [("a1", 2, 10, "ORG"), ("b2", 13, 20, "ORG")]  # UTF-16 offsets (𠮷 is 2 units)
    result = [{"id": i, "type": "labels", "from_name": "label", "to_name": "text",
               "value": {"start": s, "end": e, "text": "", "labels": [lab]}}
              for i, s, e, lab in ent]
    result[0]["value"]["text"] = "山区委第五巡察组"
    result[1]["value"]["text"] = "山区水务局党组"
    result.append({"type": "relation", "from_id": "b2", "to_id": "a1", "direction": "left",
                   "labels": ["INSPECTS"]})
    task = {"id": 42, "data": {"text": text, "batch": 3},
            "annotations": [{"was_cancelled": True, "result": []}, {"result": result}]}
    (rec,) = from_labelstudio([task])
    assert rec.id == "42" and rec.meta == {"batch": 3}
    assert [e.text for e in rec.entities] == ["山区委第五巡察组", "山区水务局党组"]
    assert rec.relations == (RelationAnnotation("INSPECTS", 0, 1),)  # "left" reversed
    assert rec.validate() == []
    # no annotation: empty unless predictions are asked for
    pred = {"data": {"text": text}, "predictions": [{"result": result}]}
    assert from_labelstudio(pred)[0].entities == ()
    assert len(from_labelstudio(pred, use_predictions=True)[0].entities) == 2
    with pytest.raises(ValueError):
        from_labelstudio([{"data": {"html": "<p>x</p>"}}])


# ---------------------------------------------------------------------------------------------
# spaCy DocBin
# ---------------------------------------------------------------------------------------------
def test_docbin_round_trip(tmp_path):
    db = to_docbin(ALL)
    assert from_docbin(db) == ALL
    docs = list(db.get_docs(__import__("spacy").blank("zh").vocab))
    overlap_doc = docs[ALL.index(REC_OVERLAP)]
    assert len(overlap_doc.spans["entities"]) == 3
    assert [e.text for e in overlap_doc.ents] == ["区住建局新增400个轿车车位", "整改完成率100%"]
    plain = docs[0]
    assert plain.user_data["relations"][0] == (0, 7, 25, 35, "INSPECTS")
    path = tmp_path / "c.spacy"
    write_docbin(ALL, path)
    assert load_corpus(path) == ALL


def test_docbin_with_a_given_nlp():
    import spacy

    nlp = spacy.blank("zh")
    assert from_docbin(to_docbin([REC_PLAIN], nlp), nlp) == [REC_PLAIN]


def test_docbin_reads_plain_ents(tmp_path):
    import spacy
    from spacy.tokens import DocBin

    nlp = spacy.blank("zh")
    doc = nlp.make_doc("区委第六巡察组进驻")
    doc.ents = [doc.char_span(0, 7, label="ORG")]
    (rec,) = from_docbin(DocBin(docs=[doc]))
    assert [(e.label, e.text) for e in rec.entities] == [("ORG", "区委第六巡察组")]
    (tmp_path / "bad.spacy").write_bytes(b"not a docbin")
    with pytest.raises(RectifyInputError):
        load_corpus(tmp_path / "bad.spacy")


# ---------------------------------------------------------------------------------------------
# CoNLL
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("scheme", ["BIO", "BMES", "BIOES"])
@pytest.mark.parametrize("sentences", [False, True])
def test_conll_round_trip(scheme, sentences):
    out = to_conll(FLAT, scheme, sentences=sentences)
    expect = [r.without_relations() for r in FLAT]
    expect = [CorpusRecord(r.id, r.text, r.entities, (), {}) for r in expect]
    assert from_conll(out) == expect  # scheme autodetected
    assert from_conll(out, scheme) == expect
    for line in out.split("\n"):
        assert line == "" or line.startswith("-DOCSTART- ") or len(line.split("\t")) == 2


def test_conll_layout_and_placeholders():
    rec = make("d1", "7月 底\n\t\u3000", [("DATE", "7月", 0)])
    lines = to_conll([rec], "BMES").split("\n")
    assert lines == ["-DOCSTART- d1", "7\tB-DATE", "月\tE-DATE", "<SP>\tO", "底\tO", "<NL>\tO",
                     "<TAB>\tO", "<IDSP>\tO", "", ""]
    assert "S-ORG" in to_conll([make("d2", "甲乙", [("ORG", "甲", 0)])], "BMES")


def test_conll_overlap_drops_shorter_and_logs(caplog):
    with caplog.at_level(logging.WARNING, logger="rectify_nlp.corpus.conll"):
        out = to_conll([REC_OVERLAP])
    assert "dropped 1" in caplog.text
    (back,) = from_conll(out)
    assert [e.text for e in back.entities] == ["区住建局新增400个轿车车位", "整改完成率100%"]


def test_conll_foreign_files(tmp_path):
    foreign = ("-DOCSTART- -X- O O\n\n"
               "区委 NR B-ORG\n巡察组 NN I-ORG\n进驻 VV O\n\n"
               "清退 VV B-OUTCOME\n资金 NN I-OUTCOME\n5万元 M I-OUTCOME\n")
    (rec,) = from_conll(foreign)  # both blocks follow one DOCSTART: one document
    assert rec.text == "区委巡察组进驻清退资金5万元"
    assert [(e.label, e.text) for e in rec.entities] == [("ORG", "区委巡察组"),
                                                         ("OUTCOME", "清退资金5万元")]
    no_docstart = "甲\tB-ORG\n乙\tI-ORG\n\n丙\tS-DATE\n"
    recs = from_conll(no_docstart)
    assert [r.text for r in recs] == ["甲乙", "丙"] and recs[1].entities[0].label == "DATE"
    with pytest.raises(ValueError):
        from_conll("甲\tX-ORG\n")
    with pytest.raises(ValueError):
        from_conll("甲\tM-ORG\n", scheme="BIO")
    with pytest.raises(ValueError):
        from_conll("甲\n")
    path = tmp_path / "c.bmes"
    write_conll(FLAT, path, "BMES")
    assert [r.text for r in load_corpus(path)] == [r.text for r in FLAT]


def test_conll_lenient_decoding():
    (rec,) = from_conll("甲\tI-ORG\n乙\tI-ORG\n丙\tO\n丁\tI-DATE\n")
    assert [(e.label, e.text) for e in rec.entities] == [("ORG", "甲乙"), ("DATE", "丁")]


# ---------------------------------------------------------------------------------------------
# Hypothesis: random non-overlapping entity sets over random text
# ---------------------------------------------------------------------------------------------
_ALPHABET = st.sampled_from(
    list("区委巡察组第三年月日至整改完成率%0123456789,。;:()“”《》—、")
    + ["a", "Z", "<", ">", "-", " ", "\n", "\t", "\r", "\u3000", "\u00a0", "\u200b", "，",
       "（", "２", "𠮷", "\x85", "\u2028"]
)


@st.composite
def records(draw, with_relations: bool = True) -> CorpusRecord:
    text = draw(st.text(alphabet=_ALPHABET, max_size=40))
    n = len(text)
    cuts = sorted(draw(st.sets(st.integers(0, n), max_size=12))) if n else []
    entities = []
    for a, b in zip(cuts, cuts[1:]):
        if draw(st.booleans()):
            label = draw(st.sampled_from(["ORG", "DATE", "PROBLEM", "OUTCOME"]))
            entities.append(EntityAnnotation(len(entities), label, a, b, text[a:b]))
    relations = []
    if with_relations and len(entities) >= 2:
        for _ in range(draw(st.integers(0, 3))):
            h, t = draw(st.integers(0, len(entities) - 1)), draw(st.integers(0, len(entities) - 1))
            relations.append(RelationAnnotation(
                draw(st.sampled_from(["INSPECTS", "ADDRESSES", "DURING"])), h, t))
    rid = draw(st.from_regex(r"[0-9a-z_]{1,12}", fullmatch=True))
    return CorpusRecord(rid, text, tuple(entities), tuple(relations),
                        {"k": draw(st.integers(-5, 5))})


_SETTINGS = settings(max_examples=40, deadline=None,
                     suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(st.lists(records(), max_size=3))
def test_property_jsonl_doccano_labelstudio(recs):
    assert [CorpusRecord.from_dict(json.loads(json.dumps(r.to_dict()))) for r in recs] == recs
    assert [from_doccano(json.loads(json.dumps(to_doccano(r)))) for r in recs] == recs
    assert from_labelstudio(json.loads(json.dumps(to_labelstudio(recs)))) == recs


@_SETTINGS
@given(st.lists(records(), max_size=3))
def test_property_docbin(recs):
    assert from_docbin(to_docbin(recs)) == recs


@_SETTINGS
@given(st.lists(records(with_relations=False), max_size=3),
       st.sampled_from(["BIO", "BMES", "BIOES"]), st.booleans())
def test_property_conll(recs, scheme, sentences):
    expect = [CorpusRecord(r.id, r.text, r.entities, (), {}) for r in recs]
    assert from_conll(to_conll(recs, scheme, sentences=sentences)) == expect


def test_property_jsonl_file(tmp_path):
    @_SETTINGS
    @given(st.lists(records(), max_size=3))
    def check(recs):
        path = tmp_path / "h.jsonl"
        write_jsonl(recs, path)
        assert read_jsonl(path) == recs

    check()


# ---------------------------------------------------------------------------------------------
# Hugging Face datasets
# ---------------------------------------------------------------------------------------------
def _many(n: int) -> list[CorpusRecord]:
    return [CorpusRecord(f"{i:03d}_r", f"第{i}号通报:{REC_PLAIN.text}", tuple(
        EntityAnnotation(e.id, e.label, e.start + len(f"第{i}号通报:"),
                         e.end + len(f"第{i}号通报:"), e.text) for e in REC_PLAIN.entities),
        REC_PLAIN.relations, {}) for i in range(n)]


def test_dataset_dict_splits_are_disjoint_and_seeded():
    recs = [*_many(17), *ALL]
    dd = to_dataset_dict(recs, dev_ratio=0.2, test_ratio=0.2, seed=3)
    ids = {name: set(split["id"]) for name, split in dd.items()}
    assert set(ids) == {"train", "dev", "test"}
    assert not (ids["train"] & ids["dev"] or ids["train"] & ids["test"] or ids["dev"] & ids["test"])
    assert set().union(*ids.values()) == {r.id for r in recs}
    assert len(ids["test"]) == len(ids["dev"]) == 5
    again = to_dataset_dict(recs, dev_ratio=0.2, test_ratio=0.2, seed=3)
    assert again["test"]["id"] == dd["test"]["id"]
    other = to_dataset_dict(recs, dev_ratio=0.2, test_ratio=0.2, seed=4)
    assert other["test"]["id"] != dd["test"]["id"]


def test_dataset_columns_and_back():
    dd = to_dataset_dict(ALL, splits={"train": [r.id for r in ALL]})
    train = dd["train"]
    assert set(train.column_names) == {"id", "text", "entities", "relations", "meta", "tokens",
                                       "ner_tags"}
    assert train.features["ner_tags"].feature.names == list(NER_TAGS)
    row = train[0]
    assert row["tokens"] == list(REC_PLAIN.text) and len(row["ner_tags"]) == len(REC_PLAIN.text)
    assert NER_TAGS[row["ner_tags"][0]] == "B-ORG" and NER_TAGS[row["ner_tags"][1]] == "I-ORG"
    assert row["entities"][0] == {"label": "ORG", "start": 0, "end": 7, "text": "市委第二巡视组"}
    assert from_dataset(train) == ALL


def test_explicit_splits_are_checked():
    ids = [r.id for r in ALL]
    dd = to_dataset_dict(ALL, splits={"train": ids[:4], "test": ids[4:]})
    assert dd["train"]["id"] == ids[:4] and dd["test"]["id"] == ids[4:]
    with pytest.raises(ValueError, match="unknown"):
        to_dataset_dict(ALL, splits={"train": ["nope"]})
    with pytest.raises(ValueError, match="in splits"):
        to_dataset_dict(ALL, splits={"train": ids[:3], "test": ids[2:]})
    with pytest.raises(ValueError, match="duplicate"):
        to_dataset_dict([REC_PLAIN, REC_PLAIN])


def test_leave_one_out_yields_n_folds():
    folds = list(leave_one_out(FLAT))
    assert [rid for rid, _ in folds] == [r.id for r in FLAT]
    for rid, dd in folds:
        assert dd["test"]["id"] == [rid]
        assert sorted(dd["train"]["id"]) == sorted(r.id for r in FLAT if r.id != rid)


# ---------------------------------------------------------------------------------------------
# load_corpus dispatch
# ---------------------------------------------------------------------------------------------
def test_load_corpus_dispatch(tmp_path):
    write_jsonl(ALL, tmp_path / "a.jsonl")
    assert load_corpus(tmp_path / "a.jsonl") == ALL
    (tmp_path / "b.json").write_text(json.dumps([r.to_dict() for r in ALL], ensure_ascii=False),
                                     encoding="utf-8")
    assert load_corpus(tmp_path / "b.json") == ALL
    write_conll(FLAT, tmp_path / "c.conll")
    assert [r.text for r in load_corpus(tmp_path / "c.conll")] == [r.text for r in FLAT]
    (tmp_path / "d.csv").write_text("x", encoding="utf-8")
    with pytest.raises(RectifyInputError, match="extension"):
        load_corpus(tmp_path / "d.csv")
    (tmp_path / "e.json").write_text("<html>", encoding="utf-8")
    with pytest.raises(RectifyInputError):
        load_corpus(tmp_path / "e.json")


def test_missing_datasets_gives_a_clear_error(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "datasets", None)  # makes `import datasets` fail
    with pytest.raises(ImportError, match=r"rectify-nlp\[corpus\]"):
        to_dataset_dict(ALL)


def test_load_corpus_works_without_datasets(monkeypatch, tmp_path):
    import sys

    monkeypatch.setitem(sys.modules, "datasets", None)
    write_jsonl(ALL, tmp_path / "a.jsonl")
    assert load_corpus(tmp_path / "a.jsonl") == ALL
