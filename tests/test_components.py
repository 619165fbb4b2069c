"""The rule layer as a spaCy component, inside any pipeline."""

from __future__ import annotations

import rectify_nlp.pipeline.components  # noqa: F401  (registers the factory)
from rectify_nlp.pipeline import blank_pipeline


def test_rule_component_writes_the_same_entities_as_the_extractor(township_text, rules_extractor):
    nlp = blank_pipeline()
    nlp.add_pipe("rectify_rules")
    doc = nlp(township_text)
    found = {(s.label_, s.text) for s in doc.spans["rectify_rules"]}
    assert ("ORG", "县委第三巡察组") in found
    assert ("PROBLEM", "乡村振兴产业发展基础薄弱") in found
    assert doc._.rectify_rules.is_notice
    expected = {(e.label, e.text) for e in rules_extractor(township_text).entities}
    assert found == expected


def test_rule_component_on_a_non_notice_adds_nothing():
    nlp = blank_pipeline()
    nlp.add_pipe("rectify_rules")
    doc = nlp("今天天气很好。")
    assert list(doc.spans["rectify_rules"]) == [] and not doc._.rectify_rules.is_notice


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("巡察组整改a1,。 \t\n\r\u3000\u00a0\x1c\u2028")),
               max_size=40))
def test_char_doc_makes_the_doc_spacys_char_tokenizer_makes(text):
    from rectify_nlp.pipeline.language import char_doc

    nlp = _BLANK
    expected = [(t.text, t.whitespace_) for t in nlp.make_doc(text)]
    assert [(t.text, t.whitespace_) for t in char_doc(nlp.vocab, text)] == expected
    assert char_doc(nlp.vocab, text).text == text


def _blank():
    from rectify_nlp.pipeline.language import blank_pipeline, uses_char_tokens

    nlp = blank_pipeline()
    assert uses_char_tokens(nlp)
    return nlp


_BLANK = _blank()
