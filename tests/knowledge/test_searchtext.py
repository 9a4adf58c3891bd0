"""The pure text functions of the search index (pmo.core.searchtext)."""

from hypothesis import given
from hypothesis import strategies as st

from pmo.core import searchtext

CJK = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x4E80), min_size=2)


def test_chinese_runs_become_overlapping_pieces_and_words_lower_case():
    assert searchtext.pieces("项目风险 Risk-Log 2026") == [
        "项目",
        "目风",
        "风险",
        "risk",
        "log",
        "2026",
    ]
    assert searchtext.pieces("A风B") == ["a", "风", "b"]


def test_queries_are_phrases_of_pieces_and_prefix_words():
    assert searchtext.tsquery_literal("风险管理") == "('风险' <-> '险管' <-> '管理')"
    assert searchtext.tsquery_literal("风险 Manag") == "('风险') & 'manag':*"
    assert searchtext.tsquery_literal("风") == ""
    assert searchtext.tsquery_literal("'; drop") == "'drop':*"
    assert searchtext.tsquery_literal("it's") == "'it':* & 's':*"


def test_vector_literal_weights_the_title_and_quotes_terms():
    literal = searchtext.tsvector_literal("风险", "o'neil 风险")
    assert literal == "'风险':1A,5 'o':3 'neil':4"
    assert searchtext.tsvector_literal("x", "a'b\\") == "'x':1A 'a':3 'b':4"


@given(st.text(max_size=5), CJK, st.text(max_size=5))
def test_every_chinese_substring_query_is_a_phrase_of_the_indexed_pieces(before, word, after):
    indexed = searchtext.pieces(before + word + after)
    wanted = searchtext.pieces(word)
    n = len(wanted)
    assert any(indexed[i : i + n] == wanted for i in range(len(indexed) - n + 1)) or not n


def test_highlight_escapes_and_marks_matches():
    html = searchtext.highlight("<b>项目风险</b>管理经验", "风险")
    assert html == "&lt;b&gt;项目<mark>风险</mark>&lt;/b&gt;管理经验"
    long = "甲" * 100 + "风险" + "乙" * 100
    snippet = searchtext.highlight(long, "风险", width=40)
    assert snippet.startswith("…") and snippet.endswith("…") and "<mark>风险</mark>" in snippet
