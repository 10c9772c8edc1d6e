"""From the model's verdicts to a Grade, trusting nothing the model says about marks.

Each credited point needs a quote that (1) really occurs in the answer, (2) lies outside the
sentences that address the grader, and (3) bears on that point: the quote shares a
meaning-bearing word (stem or root, or a known synonym; not a stop word, a general word, a bare
number or a word of the question) with the point's title, text or keyword alternatives, or the
model's comment on it does. Otherwise the point is voided and the grade says why.

When the answer addresses the grader, the model may have been talked round, so its word counts
for less: the comment no longer vouches for a quote, and each point's credit is capped at the
offline verdict (what the rubric's own terms find in the answer, the addressed text left out).
Unknown point ids are ignored, missing ones count as missed, and the score is ours: the same
`total_score` the offline grader uses, from verdicts and weights.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from mockinterview.grading import scoring
from mockinterview.grading.llm.schema import GradeReply, PointReply, ReplyError
from mockinterview.models import Evidence, Grade, PointResult, Rubric, RubricPoint, Verdict
from mockinterview.text.analysis import is_weak, question_words, tokenise
from mockinterview.text.synonyms import alternatives_for

CREDIT = {"hit": 1.0, "partial": 0.5, "miss": 0.0}
MIN_QUOTE_CHARS = 3
_QUOTE_MARKS = "\"'“”‘’`"
_FOLD = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-"})


def _folded(text: str) -> tuple[str, list[int]]:
    """`text` lower-cased with whitespace runs collapsed and quotes straightened, plus the
    offset in `text` of each folded character (to map a match back)."""
    chars: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        if ch.isspace():
            if chars and chars[-1] == " ":
                continue
            ch = " "
        chars.append(ch.translate(_FOLD).lower())
        offsets.append(i)
    return "".join(chars), offsets


def _locate(answer: str, quote: str) -> tuple[int, int] | None:
    start = answer.find(quote)
    if start >= 0:
        return start, start + len(quote)
    folded_answer, offsets = _folded(answer)
    folded_quote, _ = _folded(quote)
    start = folded_answer.find(folded_quote)
    if start < 0:
        return None
    return offsets[start], offsets[start + len(folded_quote) - 1] + 1


def find_quote(answer: str, quote: str) -> tuple[int, int] | None:
    """Where `quote` occurs in `answer`: exactly, else ignoring case, spacing and curly quotes;
    as given, else without the quote marks or "..." a model may have wrapped it in."""
    quote = quote.strip()
    bare = quote.strip(_QUOTE_MARKS).strip().removesuffix("...").removeprefix("...").strip()
    for candidate in dict.fromkeys((quote, bare)):
        if sum(ch.isalnum() for ch in candidate) >= MIN_QUOTE_CHARS:
            span = _locate(answer, candidate)
            if span is not None:
                return span
    return None


def _inside(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    """True when most of `span` lies within the grader-addressed sentences."""
    length = max(1, span[1] - span[0])
    covered = sum(max(0, min(span[1], e) - max(span[0], s)) for s, e in spans)
    return covered * 2 >= length


def _words(text: str) -> set[str]:
    """Stems and roots of the meaning-bearing words of `text` (no stop or general words, no
    bare numbers, no one-letter words)."""
    found: set[str] = set()
    for token in tokenise(text):
        if is_weak(token.norm) or len(token.norm) < 2 or token.norm.isdigit():
            continue
        found.add(token.stem)
        found.add(token.root)
    return found


@lru_cache(maxsize=1024)
def _point_words(question: str, title: str, text: str, keywords: tuple[str, ...]) -> frozenset[str]:
    """What a quote must share with a point to bear on it: the point's own words and their
    known synonyms, minus the question's (repeating the question is no evidence)."""
    words: set[str] = set()
    for part in (title, text, *keywords):
        words |= _words(part)
        for token in tokenise(part):
            for other in alternatives_for(token.norm)[1:]:
                words |= _words(other)
    return frozenset(words - question_words(question))


def point_words(question: str, point: RubricPoint) -> frozenset[str]:
    keywords = tuple(k for group in point.keywords for k in group)
    return _point_words(question, point.title, point.text, keywords)


def bears_on(text: str, words: frozenset[str]) -> bool:
    """Whether `text` shares a meaning-bearing word with a point's `words`."""
    return not words.isdisjoint(_words(text))


_ORDER: dict[str, int] = {"miss": 0, "partial": 1, "hit": 2}


def _known_verdict(said: str) -> Verdict | None:
    word = said.strip().lower()
    for known in ("hit", "partial", "miss"):  # spelled out: a Literal, not any str
        if word == known:
            return known
    return None


def _judge(
    point: RubricPoint,
    said: PointReply | None,
    answer: str,
    injected: list[tuple[int, int]],
    warnings: list[str],
    question: str,
    ceiling: Mapping[str, Verdict] | None,
) -> PointResult:
    def result(verdict: Verdict, note: str, evidence: list[Evidence] | None = None) -> PointResult:
        return PointResult(
            point.id, point.title, point.weight, verdict, CREDIT[verdict], evidence or [], note
        )

    if said is None:
        return result("miss", "the model gave no verdict for this point")
    comment = strip_markup(said.comment)
    verdict = _known_verdict(said.verdict)
    if verdict is None:
        warnings.append(f"{point.title}: the model's verdict {said.verdict!r} is not one we know")
        return result("miss", f"unknown verdict {said.verdict!r}")
    if verdict == "miss":
        return result("miss", comment)
    quote = " ".join(said.evidence_quote.split())
    span = find_quote(answer, said.evidence_quote)
    if span is None:
        shown = quote[:80] or "(none)"
        warnings.append(
            f"{point.title}: the model's quote is not in the answer, so the point is void: "
            f"{shown!r}"
        )
        return result("miss", f"void: quote not found in the answer ({comment})".strip())
    if _inside(span, injected):
        warnings.append(
            f"{point.title}: the model's evidence is text addressed to the grader; no credit"
        )
        return result("miss", "void: the quote is an instruction to the grader, not an answer")
    start, end = span
    words = point_words(question, point)
    vouched = ceiling is None and bears_on(comment, words)  # a talked-round model's word is not
    if not bears_on(answer[start:end], words) and not vouched:
        warnings.append(
            f"{point.title}: the model's quote has no word of this point, so the point is "
            f"void: {quote[:80]!r}"
        )
        return result("miss", f"void: the quote does not bear on this point ({comment})".strip())
    evidence = [Evidence(answer[start:end], start, end)]
    if ceiling is not None:
        cap = ceiling.get(point.id, "miss")
        if _ORDER[verdict] > _ORDER[cap]:
            note = (
                f"capped at {cap}: the answer addresses the grader, so credit needs the "
                f"rubric's own terms ({comment})"
            )
            return result(cap, note, evidence if cap != "miss" else [])
    return result(verdict, comment, evidence)


def grade_from_reply(
    question_id: str,
    rubric: Rubric,
    answer: str,
    reply: GradeReply,
    *,
    grader: str,
    injected: list[tuple[int, int]],
    question: str = "",
    ceiling: Mapping[str, Verdict] | None = None,
) -> Grade:
    """The Grade for `answer` from a validated reply (see module docstring for the rules).

    `question` is the question's text (its words are no evidence); `ceiling`, given when the
    answer addresses the grader, caps each point's verdict (the offline verdicts)."""
    warnings: list[str] = []
    by_id: dict[str, PointReply] = {}
    known = {p.id for p in rubric.points}
    unknown: list[str] = []
    for said in reply.points:
        if said.id not in known:
            unknown.append(said.id)
        by_id.setdefault(said.id, said)
    if unknown:
        warnings.append("ignored verdicts for unknown points: " + ", ".join(sorted(set(unknown))))
    if not any(
        by_id.get(p.id) and by_id[p.id].verdict.strip().lower() in CREDIT for p in rubric.points
    ):
        raise ReplyError("the model's reply had no usable verdict for any rubric point")
    missing = [p.title for p in rubric.points if p.id not in by_id]
    if missing:
        warnings.append("no verdict from the model (counted as missed): " + "; ".join(missing))
    results = [
        _judge(p, by_id.get(p.id), answer, injected, warnings, question, ceiling)
        for p in rubric.points
    ]
    score = min(100.0, max(0.0, scoring.total_score(results, rubric.required)))
    feedback = strip_markup(reply.feedback) or scoring.feedback(results, score, rubric.required)
    return Grade(
        question_id=question_id,
        grader=grader,
        score=round(score, 1),
        points=results,
        feedback=feedback,
        warnings=warnings,
    )


def strip_markup(text: str) -> str:
    """A one-line, control-character-free version of model text for terminals."""
    return re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", "", " ".join(text.split()))
