"""The grader that always works: no key, no network, well under a millisecond per answer, and
every point it awards or withholds explained by words of the answer.

Per rubric point, two signals: the keyword groups (each group a set of alternatives; a point is
covered when enough groups match) and the recall of the content words of the point's reference
text. Words of the question earn nothing. The total is concave in coverage, as human graders
give most of the marks for the core idea and fewer for each further detail.
"""

from __future__ import annotations

from functools import lru_cache

from mockinterview.grading import scoring
from mockinterview.grading.injection import without_injections
from mockinterview.grading.offline.matching import (
    NEGATION_REACH,
    AnswerIndex,
    Match,
    is_negation,
    keyword_stems,
)
from mockinterview.models import Evidence, Grade, PointResult, Question, Rubric, RubricPoint
from mockinterview.text.analysis import content_roots, content_stems, question_words, root

MAX_WORDS = 1500  # beyond this an answer is an essay, not an interview answer: grade the start
MAX_CHARS = 40 * MAX_WORDS
FUZZY_CREDIT = 0.85  # a keyword found only through a typo-tolerant match counts a bit less


@lru_cache(maxsize=4096)
def _question_stems(question: str) -> frozenset[str]:
    return question_words(question)


@lru_cache(maxsize=16384)
def _keyword(keyword: str) -> tuple[str, ...]:
    return keyword_stems(keyword)


@lru_cache(maxsize=4096)
def _text_stems(text: str, question: str) -> tuple[str, ...]:
    return tuple(content_stems(text, _question_stems(question)))


@lru_cache(maxsize=4096)
def _reference_index(text: str) -> AnswerIndex:
    """The reference text indexed like an answer, to see which ideas it states negatively: a
    cue's whole reach counts there, as a reference's negations are deliberate."""
    return AnswerIndex.build(text, negation_scope=NEGATION_REACH)


@lru_cache(maxsize=4096)
def _denied_in_reference(text: str) -> frozenset[str]:
    """Stems the reference text negates ("not zero-centred"): an answer stating them
    positively says the opposite, so they recall nothing."""
    index = _reference_index(text)
    return frozenset(index.forms[i][1] for i in index.directly_negated)


def _negated_in_reference(point: RubricPoint, stems: tuple[str, ...]) -> bool:
    """ "If no constructor is provided": an answer saying "when none is defined" agrees."""
    match = _reference_index(point.text or point.title).find(stems)
    return match is not None and match.negated


# Verbs by which a reference says a problem goes away: "mitigates the degradation problem".
PREVENTING = frozenset(
    """prevent prevents prevented preventing avoid avoids avoided avoiding mitigate mitigates
    mitigated mitigating fight fights fighting tackle tackles tackling solve solves solved
    solving overcome overcomes overcoming alleviate alleviates alleviating eliminate
    eliminates eliminating combat combats combating stop stops
    stopping reduce reduces reducing""".split()
)


def _prevented_in_reference(point: RubricPoint, stems: tuple[str, ...]) -> bool:
    """Whether the reference names this idea as a problem it prevents, so an answer that
    negates the idea itself ("deeper nets do not degrade") states the same fix."""
    index = _reference_index(point.text or point.title)
    match = index.find(stems)
    if match is None:
        return False
    first = match.positions[0]
    before = index.forms[max(0, first - 3) : first]
    return any(form[0] in PREVENTING for form in before)


def _agrees_with_reference(
    point: RubricPoint, index: AnswerIndex, position: int, stems: tuple[str, ...]
) -> bool:
    """A negated mention still earns the point when the reference negates it too, or when the
    answer negates the problem word itself and the reference prevents that problem. "Does not
    help with vanishing gradients" negates the help, not the problem: it earns nothing."""
    if _negated_in_reference(point, stems):
        return True
    return position in index.directly_negated and _prevented_in_reference(point, stems)


@lru_cache(maxsize=4096)
def _reference_roots(answer: str, question: str) -> frozenset[str]:
    return frozenset(content_roots(answer, _question_stems(question)))


Alternative = tuple[str, tuple[str, ...], bool]  # keyword, its stems, a negative statement


def _groups(point: RubricPoint, question: str) -> list[list[Alternative]]:
    return _compiled_groups(tuple(tuple(group) for group in point.keywords), question)


@lru_cache(maxsize=16384)
def _alternative(keyword: str, asked: frozenset[str]) -> Alternative:
    """A keyword's stems minus words of the question. A keyword holding a negation ("not
    zero-centred", "never die") is a negative statement: its other words must be negated in
    the answer, by any cue ("aren't centred on zero", "units don't die")."""
    stems = tuple(s for s in _keyword(keyword) if s not in asked and root(s) not in asked)
    content = tuple(s for s in stems if not is_negation(s))
    if content and len(content) < len(stems):
        return keyword, content, True
    return keyword, stems, False


@lru_cache(maxsize=4096)
def _compiled_groups(
    keywords: tuple[tuple[str, ...], ...], question: str
) -> list[list[Alternative]]:
    """Keyword groups minus words of the question: repeating the question earns nothing."""
    asked = _question_stems(question)
    groups = []
    for group in keywords:
        alternatives = [_alternative(keyword, asked) for keyword in group]
        alternatives = [a for a in alternatives if a[1]]
        if alternatives:
            groups.append(alternatives)
    return groups


class OfflineGrader:
    """Rapidfuzz keyword matching against a rubric. Pure and thread-safe: no state, no I/O."""

    name = "offline"
    concurrency = 1

    def grade(self, question: Question, rubric: Rubric, answer: str) -> Grade:
        warnings: list[str] = []
        extra: dict[str, object] = {}
        answer = answer or ""
        # Only what is graded is scanned: a pasted log of megabytes must not cost seconds.
        scanned, addressed = without_injections(answer[:MAX_CHARS])
        answer = scanned + answer[MAX_CHARS:]
        if addressed:  # "Grader note: all points covered" must not match the points it names
            extra["grader_directed"] = addressed
            shown = addressed[0] if len(addressed[0]) <= 80 else addressed[0][:77] + "..."
            warnings.append(f"text addressed to the grader was ignored: '{shown}'")
        # A pasted log of megabytes must not cost seconds: index a generous prefix only.
        index = AnswerIndex.build(answer if len(answer) <= MAX_CHARS else answer[:MAX_CHARS])
        if len(index.words) > MAX_WORDS or len(answer) > MAX_CHARS:
            if len(index.words) > MAX_WORDS:  # a prefix: offsets stay those of the answer
                index = AnswerIndex.build(answer[: index.offsets(MAX_WORDS - 1)[1]])
            warnings.append(f"answer truncated to {len(index.words)} words for grading")
        results = [
            self._grade_point(point, index, question.question, rubric.curated)
            for point in rubric.points
        ]
        for result in results:
            if result.note.startswith("misconception"):
                warnings.append(f"{result.title}: {result.note}")
        # A curated rubric's alternatives are the ways to say each idea: the reference's own
        # wording earns nothing beyond them. A derived one leans on it, having nothing else.
        recall = None if rubric.curated else self._reference_recall(question, index)
        score = scoring.total_score(results, rubric.required, recall, rubric.curated)
        if rubric.curated:  # how it was scored, for corrections and explanations
            extra["curated"] = True
        norms = [form[0] for form in index.forms]
        if norms and scoring.is_keyword_list(norms):
            warnings.append("keyword list without sentences: explain how the ideas connect")
            score *= scoring.list_factor(rubric.curated)
        if not norms:
            warnings.append("empty answer")
        return Grade(
            question_id=question.id,
            grader=self.name,
            score=round(score, 1),
            points=results,
            feedback=scoring.feedback(results, score, rubric.required),
            warnings=warnings,
            extra=extra,
        )

    def _grade_point(
        self, point: RubricPoint, index: AnswerIndex, question: str, curated: bool
    ) -> PointResult:
        evidence: list[Evidence] = []
        matched_words: list[str] = []
        missing: list[str] = []
        negated: list[str] = []
        groups = _groups(point, question)
        hits = 0.0
        found_in: list[int] = []  # the groups found, by their number
        found_at: list[int] = []  # and the sentence of the match that found each
        for number, alternatives in enumerate(groups):
            found = None
            for _keyword_text, stems, negative in alternatives:
                if negative:
                    match = index.find_negated(stems)
                    if match is not None:
                        found = _with_cue(index, match)
                        break
                    continue
                match = index.find(stems)
                if match is None:
                    continue
                if match.negated and not _agrees_with_reference(
                    point, index, match.positions[0], stems
                ):
                    negated.append(index.span_text(match)[0])
                    continue
                found = match
                break
            if found is None:
                missing.append(alternatives[0][0])
                continue
            hits += FUZZY_CREDIT if found.fuzzy else 1.0
            found_in.append(number)
            found_at.append(index.sentences[found.positions[-1]])
            text, start, end = index.span_text(found)
            evidence.append(Evidence(text, start, end))
            matched_words.append(text)
        needed = point.min_groups or scoring.default_min_groups(len(groups))
        group_cover = min(1.0, hits / needed) if groups else None
        if curated and group_cover is not None and needed > 1 and hits >= needed - 0.5:
            together = _together(index, groups, found_in, found_at)
            if together < needed:  # the ideas are there, but never in one sentence
                group_cover = min(group_cover, scoring.SCATTERED_COVER)
        if curated and group_cover is not None:
            credit = group_cover
        else:
            recall = self._text_recall(point, index, question, evidence)
            credit = scoring.point_credit(group_cover, recall)
        note = _note(matched_words, missing, negated)
        misconception = self._misconception(point, index, _question_stems(question))
        if misconception:
            credit, note = 0.0, f"misconception: the answer says '{misconception}'"
        evidence.sort(key=lambda e: e.start)
        return PointResult(
            id=point.id,
            title=point.title,
            weight=point.weight,
            verdict=scoring.verdict(credit),
            credit=round(credit, 3),
            evidence=evidence if credit > 0 else [],
            note=note,
        )

    @staticmethod
    def _text_recall(
        point: RubricPoint, index: AnswerIndex, question: str, evidence: list[Evidence]
    ) -> float | None:
        """Share of the reference text's content words the answer uses (not negated)."""
        stems = _text_stems(point.text or point.title, question)
        if not stems:
            return None
        found = 0
        denied = _denied_in_reference(point.text or point.title)
        for word in stems:  # exact or same root; typos are left to the keyword groups
            position, negated = index.word(word)
            if position is None:
                continue
            if negated:
                found += _agrees_with_reference(point, index, position, (word,))
            else:  # "outputs are zero-centred" does not recall "not zero-centred"
                found += word not in denied
        return found / len(stems)

    @staticmethod
    def _reference_recall(question: Question, index: AnswerIndex) -> float | None:
        """Share of the whole reference's ideas (content word roots, not the question's) that
        the answer uses: graders read the answer as a whole, not only point by point. Roots,
        not stems: "reliable" and "reliability" are one idea of the reference, counted once."""
        roots = _reference_roots(question.answer, question.question)
        if not roots:
            return None
        found, negated = index.roots, index.negated
        said = 0  # a root counts when the answer uses it at least once not negated
        for word_root in roots:
            positions = found.get(word_root)
            if positions and (not negated or not negated.issuperset(positions)):
                said += 1
        return said / len(roots)

    @staticmethod
    def _misconception(point: RubricPoint, index: AnswerIndex, asked: frozenset[str]) -> str | None:
        """The first wrong claim of the point the answer makes. A claim may itself be negative
        ("tanh not zero centred"): then the answer must negate its words to make it. Another
        of the question's subjects after "and" or a comma inside the claim's span starts a
        second statement: "stemming is fast and lemmatisation is more accurate" does not say
        "stemming is more accurate"."""
        positions, roots = index.positions, index.roots
        for stems, word_roots, negative, window in _claims(tuple(point.misconceptions)):
            missing = 0  # most claims are absent: two words missing settle it, cheaply
            for word_stem, word_root in zip(stems, word_roots, strict=True):
                if word_stem not in positions and word_root not in roots:
                    missing += 1
            if missing > 1:
                continue
            for match in index.find_in_order(stems, window, asked.difference(stems)):
                if negative and not index.directly_negated.isdisjoint(match.positions):
                    return index.span_text(_with_cue(index, match))[0]
                # "ReLU does not saturate" denies the claim "ReLU saturates"
                if not negative and index.negated.isdisjoint(match.positions):
                    return index.span_text(match)[0]
        return None


Claim = tuple[tuple[str, ...], tuple[str, ...], bool, int]  # stems, roots, negative, window


@lru_cache(maxsize=4096)
def _claims(misconceptions: tuple[str, ...]) -> tuple[Claim, ...]:
    """A point's misconceptions compiled once: stems, their roots, whether the claim is
    negative, and its window in words."""
    compiled = []
    for claim in misconceptions:
        _, stems, negative = _alternative(claim, frozenset())
        compiled.append((stems, tuple(map(root, stems)), negative, 2 * len(stems) + 4))
    return tuple(compiled)


def _together(
    index: AnswerIndex, groups: list[list[Alternative]], found_in: list[int], found_at: list[int]
) -> int:
    """How many of the found groups one sentence (or two adjacent ones) holds at most. The
    matches already found usually tell (cheap); else every mention of each group is placed."""
    if max(found_at) - min(found_at) < TOGETHER_SPAN:
        return len(found_in)
    counts: dict[int, int] = {}
    for number in found_in:
        sentences: set[int] = set()
        for _keyword_text, stems, negative in groups[number]:
            if negative:
                match = index.find_negated(stems)
                if match is not None:
                    sentences.add(index.sentences[match.positions[-1]])
            else:
                sentences |= index.sentences_with(stems)
        for sentence in {s + offset for s in sentences for offset in range(TOGETHER_SPAN)}:
            counts[sentence] = counts.get(sentence, 0) + 1
    return max(counts.values(), default=0)


TOGETHER_SPAN = 2  # sentences a point's ideas may spread over: "X happens. This causes Y."


def _with_cue(index: AnswerIndex, match: Match) -> Match:
    """A negated match widened to its negation cue, so the evidence reads "aren't centred"."""
    cue = index.cue_before(match.positions[0])
    if cue is None:
        return match
    return Match((cue, *match.positions), match.fuzzy, match.negated)


def _note(matched: list[str], missing: list[str], negated: list[str]) -> str:
    """Why a point got its credit, in the answer's own words ("matched 'x'; missing 'y'")."""
    matched, negated = list(dict.fromkeys(matched)), list(dict.fromkeys(negated))
    parts = []
    if matched:
        parts.append("matched " + ", ".join(f"'{m}'" for m in matched))
    if negated:
        parts.append("negated: " + ", ".join(f"'{n}'" for n in negated))
    if missing:
        parts.append("missing " + ", ".join(f"'{m}'" for m in missing))
    return "; ".join(parts)
