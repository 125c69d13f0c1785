"""Property tests: reading and extraction never crash, and the offset map holds."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extract.pipeline import extract_text
from extract.read import ReadError, decode, normalise
from extract.structure import segment

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# characters policy texts are made of: common hanzi (simplified and traditional),
# clause numbering, Chinese punctuation, brackets, digits, whitespace and a little ASCII
HANZI = "市县省区人民政府生态环境局牵头配合负责单位责任落实加强推进建立健全监管制度年月日第一二三四五六七八九十章节条附表环保護態員會廳這為"
PUNCT = "（）()、，。；：！？《》“”【】〔〕—…·"
SPACE = "\n\t \r\u3000\u00a0"
ALPHABET = st.sampled_from(list(HANZI + PUNCT + SPACE + "0123456789abcXYZ<>/&;#"))
policy_text = st.one_of(
    st.text(alphabet=ALPHABET, max_size=400),
    st.lists(st.sampled_from([
        "一、", "（一）", "（二）", "1.", "第一章", "第二节", "附表", "序号\t任务\t牵头单位\n", "\n", "\t",
        "市生态环境局牵头，市公安局配合。", "（责任单位：县水利局）", "各区县人民政府要", "向市政府报告",
        "到2025年底", "加强大气污染防治", "<p>", "</p>", "&amp;", "<script>x</script>", "。", "、",
    ]), max_size=60).map("".join),
    st.text(max_size=200),
)


@SETTINGS
@given(st.binary(max_size=2000))
def test_decode_never_raises_but_readerror(data):
    try:
        text, enc = decode(data)
    except ReadError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert isinstance(text, str) and isinstance(enc, str)


@SETTINGS
@given(policy_text)
def test_decode_round_trips_utf8(text):
    try:
        decoded, enc = decode(text.encode("utf-8"))
    except ReadError:
        return
    if enc == "utf-8":
        assert decoded == text


@SETTINGS
@given(policy_text)
def test_normalise_origin_map(text):
    try:
        mt = normalise(text)
    except ReadError:
        return
    assert len(mt.origin) == len(mt.text)
    assert all(0 <= o < max(len(text), 1) or (o == len(text)) for o in mt.origin)
    # every clean character except synthetic line breaks maps to a real character
    for i, c in enumerate(mt.text):
        if c != "\n":
            assert 0 <= mt.origin[i] < len(text), (i, c, mt.origin[i], len(text))
    assert all(a <= b for a, b in zip(mt.origin, mt.origin[1:])), "origins go backwards"
    # characters that no step converts (ASCII letters/digits, Chinese punctuation) are the original ones
    for i, c in enumerate(mt.text):
        if c.isascii() and c.isalnum() or c in PUNCT:
            assert text[mt.origin[i]] == c or text[mt.origin[i]] in "&<", (i, c, text[mt.origin[i]])


@SETTINGS
@given(policy_text)
def test_normalise_plain_text_not_html(text):
    try:
        mt = normalise(text, html_input=False)
    except ReadError:
        return
    for i, c in enumerate(mt.text):
        if c != "\n":
            assert 0 <= mt.origin[i] < len(text)
        if c.isascii() and c.isalnum() or c in PUNCT:
            assert text[mt.origin[i]] == c


@SETTINGS
@given(policy_text)
def test_span_is_a_valid_original_range(text):
    mt = normalise(text)
    n = len(mt.text)
    for start, end in ((0, n), (0, 1), (n // 2, n), (n // 3, 2 * n // 3)):
        s, e = mt.span(start, end)
        assert 0 <= s <= e <= len(text) + 1


@SETTINGS
@given(policy_text)
def test_segment_never_crashes(text):
    clauses = segment(text)
    for cl in clauses:
        assert 0 <= cl.start <= cl.end <= len(text)


@SETTINGS
@given(policy_text)
def test_extract_text_never_crashes(text):
    try:
        doc = extract_text(text, "prop.txt")
    except ReadError:
        return
    for ob in doc.obligations:
        assert 0 <= ob.start <= ob.end <= len(text) + 1
        for w in ob.owners:
            assert 0 <= w.evidence.start <= w.evidence.end <= len(text) + 1


@pytest.mark.parametrize("text", ["", "\n", "（", "一、\n（一）", "附表\n序号\t任务\n1\t\t", "\t\t\t"])
def test_edge_cases(text):
    segment(text)
    try:
        extract_text(text)
    except ReadError:
        pass
