"""The trainable relation component (``rectify_relations``): candidates, features, training,
decoding, serialisation, hostile and huge input.

The notices are invented for these tests (names, numbers and dates vary between them); none
is taken from the corpus.
"""

from __future__ import annotations

import io
import re
import time

import pytest
import spacy
from spacy.training import Example
from thinc.api import fix_random_seed

from rectify_nlp.assemble.relations import structural_relations
from rectify_nlp.corpus.records import CorpusRecord, EntityAnnotation, RelationAnnotation
from rectify_nlp.pipeline.relations import (
    SPANS_KEY,
    Candidate,
    CandidateLimits,
    RelationContext,
    build_relation_model,
    candidate_pairs,
    decode,
    pair_features,
    score_relations,
)
from rectify_nlp.rules.analysis import analyze
from rectify_nlp.spans import ScoredRelation, Span
from rectify_nlp.training.relations import (
    RelationCorpus,
    holdout_ids,
    prepare_record,
    relation_docs,
    relation_example,
    train_relations,
)

_MARK = re.compile(r"\[([A-Z]+)#(\w+) ([^\]]+)\]")


def marked_record(marked: str, rels: list[tuple[str, str, str]], rid: str) -> CorpusRecord:
    """A record from text with inline marks ``[LABEL#key text]``; relations by key."""
    out, ents, ids, pos, n = [], [], {}, 0, 0
    for m in _MARK.finditer(marked):
        out.append(marked[pos:m.start()])
        n += m.start() - pos
        label, key, s = m.groups()
        ids[key] = len(ents)
        ents.append(EntityAnnotation(len(ents), label, n, n + len(s), s))
        out.append(s)
        n += len(s)
        pos = m.end()
    out.append(marked[pos:])
    return CorpusRecord(rid, "".join(out), tuple(ents),
                        tuple(RelationAnnotation(lab, ids[h], ids[t]) for lab, h, t in rels))


def notice(v: dict, rid: str) -> CorpusRecord:
    """An invented county-level 巡察 notice with two problems, five outcomes, four dates."""
    text = (
        f"关于{v['target']}巡察整改进展情况的通报\n"
        f"[DATE#d0 {v['y']}年{v['m1']}月{v['d1']}日至{v['m2']}月{v['d2']}日],"
        f"[ORG#g {v['insp']}]对[ORG#t1 {v['target']}]开展了常规巡察。"
        f"[DATE#d1 {v['m3']}月{v['d3']}日],[ORG#g2 {v['insp']}]向[ORG#t2 {v['target']}]"
        "反馈了巡察意见。现将巡察整改进展情况予以公布。\n"
        "一、整改工作开展情况\n成立整改工作领导小组,研究制定整改方案。\n"
        "二、巡察反馈问题整改落实情况\n"
        f"(一)针对“[PROBLEM#p1 {v['prob1']}]”问题的整改\n"
        f"[DATE#d2 {v['m4']}月]以来,[OUTCOME#o1 {v['a1']}],[OUTCOME#o2 {v['a2']}]。"
        f"建立长效机制,[OUTCOME#o3 {v['a3']}]。\n"
        f"(二)针对“[PROBLEM#p2 {v['prob2']}]”问题的整改\n"
        f"一是加强督导检查,[DATE#d3 {v['m5']}月]共[OUTCOME#o4 {v['a4']}]。"
        f"二是完善制度,[OUTCOME#o5 {v['a5']}]。\n"
        "三、下一步工作打算\n持续巩固整改成果。\n"
        f"中共{v['target']}委员会\n{v['y']}年{v['m6']}月{v['d6']}日\n"
    )
    rels = [("INSPECTS", "g", "t1"), ("ADDRESSES", "o1", "p1"), ("ADDRESSES", "o2", "p1"),
            ("ADDRESSES", "o3", "p1"), ("ADDRESSES", "o4", "p2"), ("ADDRESSES", "o5", "p2"),
            ("DURING", "o1", "d2"), ("DURING", "o2", "d2"), ("DURING", "o4", "d3")]
    return marked_record(text, rels, rid)


VARIANTS = [
    dict(target="青山镇党委", insp="县委第二巡察组", y=2023, m1=3, d1=6, m2=5, d2=12, m3=6,
         d3=20, prob1="基层治理能力不强", prob2="耕地保护责任落实不到位", m4=7,
         a1="排查隐患点位46处", a2="整改问题31个", a3="培训网格员120人次", m5=9,
         a4="拆除违法建筑8宗", a5="修订制度5项", m6=11, d6=2),
    dict(target="市水务局党组", insp="市委第五巡察组", y=2022, m1=4, d1=11, m2=6, d2=30, m3=8,
         d3=3, prob1="重点项目推进缓慢", prob2="资金监管存在漏洞", m4=9,
         a1="完成管网改造17.5公里", a2="新建泵站3座", a3="追回资金82.4万元", m5=10,
         a4="约谈责任人12名", a5="清理账户7个", m6=12, d6=15),
    dict(target="河西街道党工委", insp="区委第一巡察组", y=2024, m1=2, d1=19, m2=4, d2=26, m3=5,
         d3=28, prob1="为民服务意识有待增强", prob2="作风建设抓得不够实", m4=6,
         a1="走访群众2300余户", a2="解决诉求154件", a3="办结信访件41件", m5=8,
         a4="开展暗访检查26次", a5="通报典型问题9起", m6=10, d6=9),
    dict(target="县卫生健康局党委", insp="县委第四巡察组", y=2021, m1=9, d1=1, m2=10, d2=31,
         m3=12, d3=7, prob1="医疗服务质量不高", prob2="药品采购管理不规范", m4=1,
         a1="引进专业人才23名", a2="增设门诊科室4个", a3="开展义诊65场次", m5=3,
         a4="整改采购问题18项", a5="建立台账6本", m6=5, d6=20),
]


def blank() -> spacy.language.Language:
    return spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "char"}}})


def _rel_keys(doc, key=SPANS_KEY):
    group = doc.spans[key]
    return {(r.label, group[r.head].text, group[r.tail].text) for r in doc._.relations}


@pytest.fixture(scope="module")
def prepared():
    return [prepare_record(notice(v, f"n{i}")) for i, v in enumerate(VARIANTS)]


@pytest.fixture(scope="module")
def trained(prepared):
    """A pipeline whose relation component was trained on the first three notices."""
    fix_random_seed(0)
    nlp = blank()
    nlp.add_pipe("rectify_relations", name="relations")
    examples = [relation_example(nlp, rr) for rr in prepared[:3]]
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(15):
        for eg in examples:
            nlp.update([eg], sgd=optimizer, drop=0.1)
    return nlp


# -- data -----------------------------------------------------------------------------------
def test_prepared_records_and_docs(prepared):
    rr = prepared[0]
    assert all(rr.text[e.start:e.end] == e.text for e in rr.entities)
    assert len(rr.relations) == 9
    nlp = blank()
    pred, ref = relation_docs(nlp, rr)
    assert [s.text for s in pred.spans[SPANS_KEY]] == [e.text for e in rr.entities]
    assert pred._.rectify_rules is rr.analysis and pred._.relations is None
    assert len(ref._.relations) == 9
    # the structural rule agrees with these invented notices
    got = {(r.label, r.head, r.tail) for r in
           structural_relations(rr.text, list(rr.entities), rr.analysis)}
    assert got == {(r.label, r.head, r.tail) for r in rr.relations}


def test_full_width_input_maps_offsets():
    rec = notice(dict(VARIANTS[1], a2="新建泵站３座"), "fw")
    rec = CorpusRecord(rec.id, rec.text.replace(",", "，"), rec.entities, rec.relations)
    rr = prepare_record(rec)
    assert "，" not in rr.text and len(rr.relations) == 9
    assert any(e.text == "新建泵站3座" for e in rr.entities)


def test_holdout_and_reader(tmp_path, prepared):
    assert len(holdout_ids(["a", "b", "c", "d"], 0.25)) == 1
    assert holdout_ids(["a"], 0.5) == set() and holdout_ids(["a", "b"], 0) == set()
    from rectify_nlp.corpus.records import write_jsonl

    path = tmp_path / "c.jsonl"
    write_jsonl([notice(v, f"r{i}") for i, v in enumerate(VARIANTS)], path)
    nlp = blank()
    train = list(RelationCorpus(path, part="train", holdout=0.25)(nlp))
    dev = list(RelationCorpus(path, part="dev", holdout=0.25)(nlp))
    assert len(train) == 3 and len(dev) == 1
    assert {e.reference.text for e in train}.isdisjoint({e.reference.text for e in dev})
    assert all(isinstance(e, Example) and e.reference._.relations for e in train + dev)


# -- candidates and features -------------------------------------------------------------------
def test_candidates_bounded_and_structural_included(prepared):
    rr = prepared[2]
    ents = list(rr.entities)
    ctx = RelationContext.build(rr.text, ents, rr.analysis)
    lim = CandidateLimits(addresses_k=1, during_k=1, during_max_chars=5, inspects_k=1,
                          inspects_max_chars=10)
    cands = candidate_pairs(ents, ctx.structural, lim)
    keys = {(c.label, c.head, c.tail) for c in cands}
    # every structural pair is a candidate, flagged
    assert {(r.label, r.head, r.tail) for r in ctx.structural} <= keys
    assert all(c.structural == ((c.label, c.head, c.tail) in
                                {(r.label, r.head, r.tail) for r in ctx.structural})
               for c in cands)
    for c in cands:
        want = {"INSPECTS": ("ORG", "ORG"), "ADDRESSES": ("OUTCOME", "PROBLEM"),
                "DURING": ("OUTCOME", "DATE")}[c.label]
        assert (ents[c.head].label, ents[c.tail].label) == want and c.head != c.tail
    # ADDRESSES tails start before the outcome; INSPECTS comes in both directions
    assert all(ents[c.tail].start <= ents[c.head].start for c in cands if c.label == "ADDRESSES"
               and not c.structural)
    insp = {(c.head, c.tail) for c in cands if c.label == "INSPECTS"}
    assert all((t, h) in insp for h, t in insp)


def test_candidates_respect_limits():
    ents = [Span(i * 10, i * 10 + 4, "PROBLEM", "问题问题") for i in range(8)]
    ents.append(Span(100, 106, "OUTCOME", "完成整改3项"))
    ents += [Span(110 + i * 30, 114 + i * 30, "DATE", "5月以来") for i in range(6)]
    cands = candidate_pairs(ents, (), CandidateLimits(addresses_k=3, during_k=2,
                                                      during_max_chars=40))
    addr = [c for c in cands if c.label == "ADDRESSES"]
    during = [c for c in cands if c.label == "DURING"]
    assert [c.tail for c in sorted(addr, key=lambda c: c.rank)] == [7, 6, 5]
    assert len(during) == 2 and all(ents[c.tail].start < 160 for c in during)
    assert candidate_pairs([], ()) == [] and candidate_pairs(ents[:1], ()) == []


def test_pair_features(prepared):
    rr = prepared[1]
    ents = list(rr.entities)
    ctx = RelationContext.build(rr.text, ents, rr.analysis)
    cands = {(c.label, c.head, c.tail): c for c in candidate_pairs(ents, ctx.structural)}
    idx = {e.text: i for i, e in reversed(list(enumerate(ents)))}
    c = cands[("ADDRESSES", idx["新建泵站3座"], idx["重点项目推进缓慢"])]
    f = pair_features(ctx, c)
    assert {"ADDRESSES|struct=1", "ADDRESSES|outl=inner", "ADDRESSES|dir=L"} <= set(f)
    assert all(x.startswith("ADDRESSES|") for x in f)
    d = pair_features(ctx, cands[("DURING", idx["新建泵站3座"], idx["9月"])])
    assert {"DURING|sent=0", "DURING|struct=1", "DURING|samesec=1"} <= set(d)
    i = pair_features(ctx, cands[("INSPECTS", idx["市委第五巡察组"], idx["市水务局党组"])])
    assert {"INSPECTS|hinsp=1", "INSPECTS|ttarget=1", "INSPECTS|hhdr=1"} <= set(i)
    # long text between is truncated at both ends
    long_ctx = RelationContext.build("甲" * 5 + "乙" * 300 + "丙" * 5,
                                     [Span(0, 5, "DATE", "甲" * 5),
                                      Span(305, 310, "OUTCOME", "丙" * 5)], None)
    g = pair_features(long_ctx, Candidate("DURING", 1, 0))
    assert "DURING|noanalysis" in g and len(g) < 80


def test_decode_constraints():
    cands = [Candidate("ADDRESSES", 5, 1), Candidate("ADDRESSES", 5, 2),
             Candidate("DURING", 5, 3), Candidate("DURING", 6, 3),
             Candidate("INSPECTS", 7, 8), Candidate("INSPECTS", 8, 7), Candidate("INSPECTS", 7, 9)]
    probs = [0.6, 0.8, 0.4, 0.7, 0.9, 0.95, 0.55]
    out = decode(cands, probs, {"ADDRESSES": 0.5, "DURING": 0.5, "INSPECTS": 0.5})
    got = {(r.label, r.head, r.tail) for r in out}
    assert got == {("ADDRESSES", 5, 2), ("DURING", 6, 3), ("INSPECTS", 8, 7),
                   ("INSPECTS", 7, 9)}
    assert all(r.score is not None and 0 <= r.score <= 1 for r in out)
    assert decode(cands, probs, {"ADDRESSES": 0.99, "DURING": 0.99, "INSPECTS": 0.99}) == []


# -- training and prediction ------------------------------------------------------------------
def test_trained_component_predicts_held_out_notice(trained, prepared):
    rel = trained.get_pipe("relations")
    eg = relation_example(trained, prepared[3])
    doc = rel(eg.predicted)
    assert doc._.relations and all(isinstance(r, ScoredRelation) for r in doc._.relations)
    # decoding: one ADDRESSES and one DURING tail per outcome at most
    for label in ("ADDRESSES", "DURING"):
        heads = [r.head for r in doc._.relations if r.label == label]
        assert len(heads) == len(set(heads))
    scores = score_relations([Example(doc, eg.reference)])
    assert scores["rel_f"] >= 0.8, scores
    assert set(scores["rel_f_per_type"]) == {"INSPECTS", "ADDRESSES", "DURING"}
    assert ("DURING", "增设门诊科室4个", "1月") in _rel_keys(doc)
    # nlp.evaluate uses the component's score()
    assert trained.evaluate([eg])["rel_f"] >= 0.8


def test_thresholds_per_label(trained, prepared):
    rel = trained.get_pipe("relations")
    saved, fallback = dict(rel.cfg["threshold"]), rel.cfg["fallback"]
    try:
        rel.cfg["threshold"] = {"INSPECTS": 1.0, "ADDRESSES": 1.0, "DURING": 0.0}
        rel.cfg["fallback"] = False
        doc = rel(relation_example(trained, prepared[0]).predicted)
        assert {r.label for r in doc._.relations} == {"DURING"}
        # with the fallback, the structural rule's pairs come back where the model kept none
        rel.cfg["fallback"] = True
        doc = rel(relation_example(trained, prepared[0]).predicted)
        assert {r.label for r in doc._.relations} == {"DURING", "ADDRESSES", "INSPECTS"}
    finally:
        rel.cfg["threshold"], rel.cfg["fallback"] = saved, fallback


def test_no_entities_no_analysis_and_hostile_input(trained):
    rel = trained.get_pipe("relations")
    for text in ("", "   \n ", "The inspection team visited. 100 cars.", "<p>整改</p>"):
        doc = rel(trained.make_doc(text))
        assert doc._.relations == []
    # entities without a rule analysis (and a text that is no notice): analysis run on the fly
    doc = trained.make_doc("5月以来，清理垃圾30吨；6月，新增车位12个。")
    doc.spans[SPANS_KEY] = [doc.char_span(0, 4, "DATE"), doc.char_span(5, 11, "OUTCOME"),
                            doc.char_span(12, 14, "DATE"), doc.char_span(15, 22, "OUTCOME")]
    rel(doc)
    assert all(doc.spans[SPANS_KEY][r.head].label_ == "OUTCOME" for r in doc._.relations)
    # entities only in doc.ents: written to the span group
    doc = trained.make_doc("8月,完成整改12项。")
    doc.ents = [doc.char_span(0, 2, "DATE"), doc.char_span(3, 9, "OUTCOME")]
    rel(doc)
    assert len(doc.spans[SPANS_KEY]) == 2 and doc._.relations is not None


def test_overlapping_entities_in_span_group(trained, prepared):
    rr = prepared[0]
    extra = [Span(e.start, e.start + 2, "ORG", rr.text[e.start:e.start + 2])
             for e in rr.entities if e.label == "PROBLEM"]
    pred, _ = relation_docs(trained, rr, entities=list(rr.entities) + extra)
    rel = trained.get_pipe("relations")
    rel(pred)
    group = pred.spans[SPANS_KEY]
    assert len(group) == len(rr.entities) + len(extra)
    assert all(r.head < len(group) and r.tail < len(group) for r in pred._.relations)


def test_long_notice_is_linear(trained):
    body = []
    for i in range(800):
        body.append(f"({i + 1})针对“第{i + 1}项工作落实不到位”问题的整改\n"
                    f"{i % 12 + 1}月以来,清理河道{i + 3}公里,拆除违建{i + 7}处。"
                    f"同时完善机制,培训干部{i + 20}人次。\n")
    text = ("2023年3月1日至4月30日,市委第三巡察组对某区水务局党组开展了巡察。"
            "现将整改情况通报如下。\n二、巡察反馈问题整改落实情况\n" + "".join(body))
    assert len(text) > 50000
    analysis = analyze(text)
    ents = analysis.entity_spans()
    doc = trained.make_doc(text)
    doc.spans[SPANS_KEY] = [doc.char_span(e.start, e.end, e.label) for e in ents]
    doc._.rectify_rules = analysis
    rel = trained.get_pipe("relations")
    t = time.perf_counter()
    batch = rel.make_batch([doc])
    n_out = sum(e.label == "OUTCOME" for e in ents)
    n_org = sum(e.label == "ORG" for e in ents)
    assert len(batch) <= n_out * (5 + 3 + 2) + n_org * 6
    rel(doc)
    assert time.perf_counter() - t < 15
    addr = [r for r in doc._.relations if r.label == "ADDRESSES"]
    assert len(addr) > n_out // 2


def test_tok2vec_variant_trains(prepared):
    """A CNN tok2vec plugged into the model: pooled head/tail vectors join the features."""
    from spacy.ml.models import build_hash_embed_cnn_tok2vec

    fix_random_seed(1)
    nlp = blank()
    t2v = build_hash_embed_cnn_tok2vec(width=16, depth=1, embed_size=500, window_size=1,
                                       maxout_pieces=2, subword_features=False,
                                       pretrained_vectors=None)
    model = build_relation_model(hidden_width=16, embed_width=16, embed_rows=500,
                                 sparse_length=2 ** 12, tok2vec=t2v)
    from rectify_nlp.pipeline.relations import RelationExtractor

    rel = RelationExtractor(nlp.vocab, model, "relations")
    examples = [relation_example(nlp, rr) for rr in prepared[:2]]
    rel.initialize(lambda: examples, nlp=nlp)
    opt = nlp.create_optimizer()
    losses = {}
    for _ in range(3):
        rel.update(examples, sgd=opt, losses=losses)
    assert losses["relations"] > 0
    doc = rel(relation_example(nlp, prepared[3]).predicted)
    assert doc._.relations is not None
    rel2 = RelationExtractor(nlp.vocab, build_relation_model(
        hidden_width=16, embed_width=16, embed_rows=500, sparse_length=2 ** 12,
        tok2vec=build_hash_embed_cnn_tok2vec(width=16, depth=1, embed_size=500, window_size=1,
                                             maxout_pieces=2, subword_features=False,
                                             pretrained_vectors=None)), "relations")
    rel2.from_bytes(rel.to_bytes())
    doc2 = rel2(relation_example(nlp, prepared[3]).predicted)
    assert [(r.label, r.head, r.tail) for r in doc2._.relations] == \
        [(r.label, r.head, r.tail) for r in doc._.relations]


# -- serialisation -----------------------------------------------------------------------------
def test_round_trip_and_sourcing_into_another_pipeline(tmp_path, trained, prepared):
    eg = relation_example(trained, prepared[3])
    before = trained.get_pipe("relations")(eg.predicted)
    want = [(r.label, r.head, r.tail, r.score) for r in before._.relations]

    trained.to_disk(tmp_path / "rel")
    loaded = spacy.load(tmp_path / "rel")
    doc = loaded.get_pipe("relations")(relation_example(loaded, prepared[3]).predicted)
    assert [(r.label, r.head, r.tail, r.score) for r in doc._.relations] == want

    # merged into another pipeline (as the NER training does), saved and loaded again
    host = blank()
    host.add_pipe("rectify_rules")
    host.add_pipe("relations", source=trained)
    host.get_pipe("relations").cfg["spans_key"] = "rectify_rules"
    host.to_disk(tmp_path / "host")
    again = spacy.load(tmp_path / "host")
    assert again.pipe_names == ["rectify_rules", "relations"]
    doc = again(prepared[3].text)
    assert doc._.relations
    group = doc.spans["rectify_rules"]
    assert {r.label for r in doc._.relations} == {"INSPECTS", "ADDRESSES", "DURING"}
    assert all(group[r.head].label_ in ("ORG", "OUTCOME") for r in doc._.relations)
    b = again.get_pipe("relations").to_bytes()
    assert again.get_pipe("relations").from_bytes(b).to_bytes() == b


def test_train_relations_with_spacy_loop(tmp_path):
    records = [notice(v, f"t{i}") for i, v in enumerate(VARIANTS)]
    log = io.StringIO()
    nlp = train_relations(records[:3], tmp_path / "out", dev=records[3:], max_steps=6,
                          overrides={"training.eval_frequency": 3}, stdout=log)
    assert nlp.pipe_names == ["relations"]
    assert (tmp_path / "out" / "config.cfg").exists()
    assert "REL_F" in log.getvalue()
    cfg = spacy.util.load_config(tmp_path / "out" / "config.cfg")
    assert cfg["paths"]["train"] is None
    with pytest.raises(ValueError):
        train_relations(records[:2], checkpoint="middle")
