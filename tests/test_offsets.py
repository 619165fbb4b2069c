"""Offset maps: unit tests and hypothesis properties (bounds, monotony, identity, compose)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rectify_nlp.text import clean_text
from rectify_nlp.text.normalize import translate_chars
from rectify_nlp.text.offsets import OffsetMap, TextBuilder

# ----------------------------------------------------------------------------- unit tests


def test_identity_maps_every_span_to_itself():
    m = OffsetMap.identity(6)
    assert m.clean_length == m.original_length == 6
    assert m.is_identity
    for s in range(7):
        for e in range(s, 7):
            assert m.to_original(s, e) == (s, e)


def test_identity_of_empty_text():
    m = OffsetMap.identity(0)
    assert m.to_original(0, 0) == (0, 0)
    with pytest.raises(ValueError):
        OffsetMap.identity(-1)


def test_builder_replacement_maps_to_whole_stretch():
    original = "整改&amp;落实\r\n完成"
    b = TextBuilder(original)
    b.keep(0, 2)
    b.replace("&", 2, 7)
    b.keep(7, 9)
    b.replace("\n", 9, 11)
    b.keep(11, 13)
    text, m = b.build()
    assert text == "整改&落实\n完成"
    assert m.to_original(2, 3) == (2, 7)
    assert m.to_original(5, 6) == (9, 11)
    assert m.to_original(0, len(text)) == (0, len(original))
    assert m.to_original(3, 5) == (7, 9)


def test_deleted_stretch_is_skipped_and_empty_span_is_a_point():
    original = "<b>巡察</b>"
    b = TextBuilder(original)
    b.replace("", 0, 3)
    b.keep(3, 5)
    text, m = b.build()  # the closing tag is never visited: deleted
    assert text == "巡察"
    assert m.to_original(0, 2) == (3, 5)
    assert m.to_original(0, 0) == (3, 3)
    assert m.to_original(2, 2) == (len(original), len(original))


def test_equal_length_replacement_maps_char_by_char():
    b = TextBuilder("（一）")
    b.replace("(一)", 0, 3)
    _, m = b.build()
    assert [m.to_original(i, i + 1) for i in range(3)] == [(0, 1), (1, 2), (2, 3)]


def test_builder_rejects_going_backwards():
    b = TextBuilder("abcdef")
    b.keep(2, 4)
    with pytest.raises(ValueError):
        b.keep(1, 3)
    with pytest.raises(ValueError):
        b.replace("x", 5, 9)


def test_to_original_rejects_bad_spans():
    m = OffsetMap.identity(3)
    for s, e in [(-1, 1), (2, 1), (0, 4)]:
        with pytest.raises(ValueError):
            m.to_original(s, e)


def test_compose_rejects_mismatched_lengths():
    with pytest.raises(ValueError):
        OffsetMap.identity(3).compose(OffsetMap.identity(4))


def test_segments_not_characters():
    # 5 MB of text with a few edits: a handful of segments, not one entry per character
    original = "巡察整改" * 1_250_000 + "\r\n" + "完成" * 10
    b = TextBuilder(original)
    n = len(original)
    b.keep(0, n - 22)
    b.replace("\n", n - 22, n - 20)
    b.keep(n - 20, n)
    text, m = b.build()
    assert m.segment_count == 3
    assert m.to_original(len(text) - 1, len(text)) == (n - 1, n)


# ----------------------------------------------------------------------------- properties

_TOKENS = [
    "巡察",
    "整改",
    "區委",
    "組織",
    "對",
    "開展",
    "問題",
    "，",
    "；",
    "：",
    "（",
    "）",
    "！",
    "１２",
    "ＡＢ",
    "％",
    "\r\n",
    "\r",
    "\n",
    "\u3000",
    "\u3000\u3000",
    "\xa0",
    " ",
    "  ",
    "\t",
    "。",
    "、",
    "“",
    "”",
    "《",
    "》",
    "<p>",
    "</p>",
    "<br/>",
    '<div class="x">',
    "</div>",
    "<span>",
    "</span>",
    "&amp;",
    "&nbsp;",
    "&#12345;",
    "&#x4e00;",
    "&lt;",
    "<!-- c -->",
    "<script>x<1</script>",
    "<",
    ">",
    "&",
    "a",
    "Z",
    "0",
    "9",
    "来源:某网",
    "主办单位:某委",
    "[NextPage]",
    "|",
    "\u200b",
]

texts = st.lists(st.sampled_from(_TOKENS), max_size=40).map("".join)


def _char_maps(ct):
    return [ct.to_original(i, i + 1) for i in range(len(ct.text))]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts, st.sampled_from([None, True, False]))
def test_clean_text_maps_in_bounds_and_monotone(original, html):
    ct = clean_text(original, html=html)
    n = len(original)
    spans = _char_maps(ct)
    for a, b in spans:
        assert 0 <= a < b <= n
    for (a1, b1), (a2, b2) in zip(spans, spans[1:]):
        assert a1 <= a2 and b1 <= b2
    for p in range(len(ct.text) + 1):
        q, r = ct.to_original(p, p)
        assert q == r and 0 <= q <= n


@settings(max_examples=150, deadline=None)
@given(texts, st.sampled_from([None, True, False]))
def test_clean_text_characters_come_from_their_original(original, html):
    ct = clean_text(original, html=html)
    for i, ch in enumerate(ct.text):
        a, b = ct.to_original(i, i + 1)
        if ch.isalnum():
            src = original[a:b]
            # a kept (or 1:1 normalised) character, or a decoded HTML entity
            assert (b - a == 1 and translate_chars(src) == ch) or src.startswith("&"), (ch, src)


@settings(max_examples=100, deadline=None)
@given(texts)
def test_full_span_covers_every_kept_char(original):
    ct = clean_text(original)
    if not ct.text:
        return
    a, b = ct.to_original(0, len(ct.text))
    assert (a, b) == (ct.to_original(0, 1)[0], ct.to_original(len(ct.text) - 1, len(ct.text))[1])
    for x, y in _char_maps(ct):
        assert a <= x and y <= b


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="巡察整改情况龙穴街道党工委abc123。、“”《》", max_size=60))
def test_unchanged_text_is_identity(original):
    ct = clean_text(original, html=False)
    assert ct.text == original
    for i in range(len(original)):
        assert ct.to_original(i, i + 1) == (i, i + 1)


@st.composite
def edited(draw, original: str):
    """A random edit of ``original``: keeps, deletions, skips and replacements (no insertions)."""
    b = TextBuilder(original)
    pos = 0
    while pos < len(original):
        end = min(len(original), pos + draw(st.integers(1, 4)))
        op = draw(st.sampled_from(["keep", "keep", "delete", "replace", "skip"]))
        if op == "keep":
            b.keep(pos, end)
        elif op == "delete":
            b.replace("", pos, end)
        elif op == "replace":
            b.replace(draw(st.text(alphabet="xy&", min_size=1, max_size=3)), pos, end)
        pos = end
    return b.build()


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_compose_agrees_with_applying_maps_in_turn(data):
    a_text = data.draw(st.text(alphabet="巡察整改ab&\n", max_size=30))
    b_text, b_to_a = data.draw(edited(a_text))
    c_text, c_to_b = data.draw(edited(b_text))
    c_to_a = b_to_a.compose(c_to_b)
    assert c_to_a.clean_length == len(c_text)
    assert c_to_a.original_length == len(a_text)
    for s in range(len(c_text) + 1):
        for e in range(s, len(c_text) + 1):
            assert c_to_a.to_original(s, e) == b_to_a.to_original(*c_to_b.to_original(s, e))


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_builder_keeps_map_to_identical_chars(data):
    original = data.draw(st.text(alphabet="巡察整改ab\r\n", max_size=30))
    text, m = data.draw(edited(original))
    assert m.clean_length == len(text) and m.original_length == len(original)
    for i, ch in enumerate(text):
        a, b = m.to_original(i, i + 1)
        assert 0 <= a <= b <= len(original)
        if b - a == 1 and ch not in "xy&":
            assert original[a] == ch
