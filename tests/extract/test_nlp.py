"""The spaCy pipeline: blank zh + jieba + envgov_bodies."""
import pytest

from extract.bodies import BodyParser, make_context
from extract.nlp import BODIES_KEY, make_nlp


@pytest.fixture(scope="module")
def nlp():
    return make_nlp()


def run(nlp, text, place="漳州市"):
    doc = nlp.make_doc(text)
    doc._.envgov_parser = BodyParser(make_context(place, text))
    return nlp(doc)


def test_pipeline_is_blank_zh_with_jieba(nlp):
    from extract.nlp import JiebaRsTokenizer

    assert nlp.lang == "zh"
    assert isinstance(nlp.tokenizer, JiebaRsTokenizer)  # jieba's segmentation, by jieba-rs
    assert nlp.pipe_names == ["envgov_bodies"]


def test_segmentation_is_jiebas_with_department_words_whole(nlp):
    doc = nlp.make_doc("市生态环境局牵头，县(区)人民政府负责落实排污许可制度。")
    words = [t.text for t in doc]
    assert "".join(words) == "市生态环境局牵头，县(区)人民政府负责落实排污许可制度。"
    assert "生态环境局" in words and "人民政府" in words and "牵头" in words
    # spaces survive as spaCy expects (whitespace tokens, offsets intact)
    doc = nlp.make_doc("市财政局 配合")
    assert doc.text == "市财政局 配合" and doc[0].idx == 0


@pytest.mark.parametrize("text", [
    "市财政局 配合", "  市财政局", "市财政局  \t配合 ", "第一条\n\n  各县 (区) 人民政府\u3000负责。\r\n", " ", "",
    "一、 总体要求 \n（一）市生态环境局 牵头 ，  市财政局配合",
])
def test_words_and_spaces_are_spacys_in_linear_time(text):
    """The tokenizer's own alignment gives what spacy.util.get_words_and_spaces
    gives (it is there only because spaCy's copies the rest of the text per word)."""
    import rjieba
    from spacy.util import get_words_and_spaces

    from extract.nlp import _words_and_spaces

    words = [w for w in rjieba.cut(text) if w]
    assert _words_and_spaces(words, text) == get_words_and_spaces(words, text)


def test_suffix_tokens_are_found_without_a_matcher(nlp):
    """A token ending in a department suffix is a candidate; a word that merely
    contains or ends in the character (部署, 格局) is not."""
    doc = run(nlp, "县水利局部署工作，改变格局；县农业农村局配合。")
    found = {sp.text for sp in doc.spans[BODIES_KEY]}
    assert found == {"县水利局", "县农业农村局"}


@pytest.mark.parametrize(
    "text,expected",
    [
        ("市生态环境局会同市财政局、团市委开展评估。",
         [("市生态环境局", "生态环境局", "department"), ("市财政局", "财政局", "department"), ("团市委", "共青团", "mass_organisation")]),
        ("各县(区)党委要督促重点排污单位安装在线监控。",
         [("各县(区)党委", "县(区)党委", "party"), ("重点排污单位", "重点排污单位", "enterprise")]),
        ("做好生态环境保护工作的各项决策部署，提高领导干部能力。", []),
    ],
)
def test_body_spans(nlp, text, expected):
    doc = run(nlp, text)
    got = [(sp.text, sp._.envgov_body.name, sp.label_) for sp in doc.spans[BODIES_KEY]]
    assert got == expected
    for sp in doc.spans[BODIES_KEY]:
        assert sp.kb_id_ == f"漳州市/{sp._.envgov_body.name}"


def test_unknown_place_resolves_from_context(nlp):
    doc = run(nlp, "阿勒泰地区生态环境局负责。", place="阿勒泰地区")
    assert [(sp._.envgov_body.jurisdiction, sp._.envgov_body.name) for sp in doc.spans[BODIES_KEY]] == [("阿勒泰地区", "生态环境局")]


def test_without_context_nothing_is_guessed(nlp):
    doc = nlp("市生态环境局负责。")
    assert list(doc.spans[BODIES_KEY]) == []
