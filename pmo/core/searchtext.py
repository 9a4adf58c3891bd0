"""Text of the global search index: pieces of Chinese, words, queries and snippets.

No Django import here, so it can be tested exhaustively. Chinese has no spaces between
words, so a run of Chinese characters is indexed as its overlapping two-character pieces
("项目风险" → 项目, 目风, 风险) at consecutive positions; other text as lower-case words.
A query for any Chinese substring of two or more characters becomes the phrase of its
pieces (风险管理 → 风险 <-> 险管 <-> 管理), which PostgreSQL answers from a GIN index on
the ``tsvector``; the phrase operator keeps the pieces adjacent, so the match is exact.
"""

from __future__ import annotations

import html
import re

# CJK unified ideographs (with extension A and compatibility ideographs).
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_CJK}]+|[^\W_{_CJK}]+", re.UNICODE)
_IS_CJK = re.compile(rf"[{_CJK}]")
MAX_WORD = 60
# PostgreSQL keeps positions up to 16383; the body is cut well below that.
MAX_POSITION = 16383
TITLE_WEIGHT = "A"


def _is_cjk(token: str) -> bool:
    return bool(_IS_CJK.match(token))


def pieces(text: str) -> list[str]:
    """The index terms of a text in order: two-character pieces of Chinese runs (a lone
    character stays whole) and lower-case words of everything else."""
    out: list[str] = []
    for token in _TOKEN.findall(text or ""):
        if _is_cjk(token):
            if len(token) == 1:
                out.append(token)
            else:
                out.extend(token[i : i + 2] for i in range(len(token) - 1))
        else:
            out.append(token.lower()[:MAX_WORD])
    return out


def _quote(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(title: str, body: str) -> str:
    """A ``tsvector`` in its text form: title terms weighted A, then the body's terms.

    The body starts one position after a gap so that no phrase spans title and body.
    """
    positions: dict[str, list[str]] = {}
    position = 0
    for term in pieces(title):
        position += 1
        positions.setdefault(term, []).append(f"{position}{TITLE_WEIGHT}")
    position += 1
    for term in pieces(body):
        position += 1
        if position > MAX_POSITION:
            break
        positions.setdefault(term, []).append(str(position))
    return " ".join(f"{_quote(t)}:{','.join(p)}" for t, p in positions.items())


def query_parts(query: str) -> list[str]:
    """The parts of a query that must all be found: Chinese runs and words."""
    return [t for t in _TOKEN.findall(query or "") if t.strip()]


def tsquery_literal(query: str) -> str:
    """A ``tsquery`` in its text form, or "" when the query has nothing to search.

    Each Chinese run of two or more characters becomes the phrase of its pieces, a word
    a prefix match (``manag:*`` finds "management"); all parts must match. A lone
    Chinese character cannot be looked up in the index ("" is returned).
    """
    clauses = []
    for part in query_parts(query):
        if _is_cjk(part):
            if len(part) < 2:
                return ""
            terms = [part[i : i + 2] for i in range(len(part) - 1)]
            clauses.append("(" + " <-> ".join(_quote(t) for t in terms) + ")")
        else:
            clauses.append(_quote(part.lower()[:MAX_WORD]) + ":*")
    return " & ".join(clauses)


def highlight(text: str, query: str, width: int = 80) -> str:
    """An HTML-escaped snippet of ``text`` around the first match, matches in <mark>."""
    text = " ".join((text or "").split())
    parts = sorted(set(query_parts(query)), key=len, reverse=True)
    if not text:
        return ""
    if not parts:
        return html.escape(text[:width]) + ("…" if len(text) > width else "")
    pattern = re.compile("|".join(re.escape(p) for p in parts), re.IGNORECASE)
    first = pattern.search(text)
    start = 0
    if first and first.start() > width // 3:
        start = first.start() - width // 3
    end = min(len(text), start + width)
    window = text[start:end]
    out, last = [], 0
    for match in pattern.finditer(window):
        out.append(html.escape(window[last : match.start()]))
        out.append("<mark>" + html.escape(match.group(0)) + "</mark>")
        last = match.end()
    out.append(html.escape(window[last:]))
    return ("…" if start else "") + "".join(out) + ("…" if end < len(text) else "")
