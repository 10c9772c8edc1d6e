"""Words of a text with their offsets, normalised and stemmed, so that "Reduces", "reducing" and
"REDUCTION" can meet while evidence still points at the exact characters the candidate typed.

Tokenising runs on the original string (offsets stay true); normalisation (Unicode NFKC, case,
curly apostrophes, "1×1" -> "1x1") is applied per token afterwards.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from typing import Any, NamedTuple

# A word: "1x1" / "3 × 3" kernels, contractions ("doesn't", "doesn’t"), or a run of letters/digits.
# A word: a run of letters/digits, a contraction ("doesn't", "doesn’t"), or a kernel size
# ("1x1", "1×1", "3 × 3"). Captured, so `re.split` keeps the words and the gaps between them.
WORD_SPLIT = re.compile(r"(\w+(?:['’]\w+)?(?:(?<=\d)\s?[x×*]\s?\d+)?)")
CLAUSE_BREAKS = frozenset(".;:!?,()\n\u2014\u2013")  # a gap holding one of these ends a clause
# Where a kernel size may span a space ("3 x 3"), so the text cannot be split piece by piece.
_KERNEL_START = re.compile(r"\d\s?[x×*]")

# Quantifiers and order words ("at least once", "all but the first") are kept as content.
STOP_WORDS = frozenset(
    """a about above  again against  also am an and any are aren't as at be because been
     being below between both but by can could did do does doing down during each etc few
    for from further had has have having he her here hers him his how i if in into is it it's its
    itself just let me more most my myself of off on   or other our ours out over own
     she should so some such than that that's the their theirs them then there these they
    this those through thus to too under until up very via was we were what when where which
    while who whom why will with would you your yours e.g i.e eg ie one two may might must
    use used using uses make makes made get gets got well like way ways
    """.split()
)

# General words that rarely carry the idea of a point: kept out of keywords and text recall.
WEAK_WORDS = frozenset(
    """problem problems issue issues example examples approach thing things case cases
    kind lot often generally typically usually several various many much key
    important crucial essential significant certain specific particular able allow allows
    allowed allowing help helps helped helping enable enables enabled enabling provide
    provides provided providing lead leads leading result results resulting becomes become
    even still rather instead however therefore additionally furthermore another new
    different amount sense makes making ensure ensures ensuring need
    needs needed want wants take takes taken taking give gives given giving show shows shown
    mean means meant include includes including included contain contains containing called
    known refer refers regard regarding respect respectively whether either whereas
    thereby hence since although though already sometimes just really actually simply
    basically especially particularly mainly mostly better best good bad way also yes
    following follow follows followed said say says correct correctly answer answers
    acceptable accepted mentioned mention mentions stated describe described
    explain explained tackle tackles address addresses incorporate incorporates incorporating
    introduce introduces introducing enhance enhances enhancing achieve achieves create creates
    creating consider considered involve involves involving total overall various terms deal
    necessary aspect aspects factor factors part parts sort""".split()
)

# Cue words whose scope covers the next few words of the same clause.
NEGATIONS = frozenset(
    """not no never cannot can't don't doesn't didn't isn't aren't wasn't weren't won't
    wouldn't shouldn't couldn't hasn't haven't hadn't neither nor none nothing nobody without
    fails fail hardly""".split()
)


class Token(NamedTuple):
    """One word of a text. `clause` numbers the clauses so negation stays within its own;
    `root` strips derivational suffixes too, so "reusability" meets "reuse"."""

    norm: str
    stem: str
    start: int
    end: int
    clause: int
    root: str


_local = threading.local()
_stem_cache: dict[str, str] = {}
_root_cache: dict[str, str] = {}
_SUFFIXES = (
    "ation",
    "ition",
    "abil",
    "ibil",
    "iti",
    "abl",
    "ibl",
    "ment",
    "ness",
    "ion",
    "ful",
    "ous",
    "ism",
    "ist",
    "ic",
    "al",
    "iv",
    "at",
    "ar",
    "or",
    "er",
    "e",
)


def _stemmer() -> Any:  # Stemmer objects are not thread-safe: one per thread.
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        import Stemmer

        stemmer = _local.stemmer = Stemmer.Stemmer("english")
    return stemmer


# British "-ise" verbs spelled the American way before stemming ("normalise" meets "normalize"):
# only after endings that make verbs (normal-, token-, optim-, harmon- ...), so "precise",
# "noise", "expertise" and "promise" stay as they are.
_BRITISH_ISE = re.compile(
    r"(?<=\w\w)(al|el|il|ar|or|er|ic|en|an|im|rd|it|on)is(e|es|ed|ing|er|ers|ation|ations)$"
)
_BRITISH_YSE = re.compile(r"(?<=\w\w)lys(e|es|ed|ing|er|ers)$")
# Words Snowball folds onto another word of a different meaning in this field: "positive"
# onto "position", "normalization" onto "normal", "identical" onto "identity", "activation"
# onto "active", "regularization" onto "regular". A word starting with one of these keeps
# that stem (and `root` leaves it alone); "positivevalue", a joined compound, does not.
_OWN_STEMS = frozenset(
    """positiv normaliz regulariz generaliz localiz initializ optimiz standardiz identic
    activat direction relativ successiv additiv transitiv precision optimizer""".split()
)
_OWN_STEM_WORD = re.compile(
    "(" + "|".join(sorted(_OWN_STEMS, key=len, reverse=True)) + ")"
    "(?:e|es|ed|er|ers|ing|ion|ions|ation|ations|al|ally|ional|ely|ity|ities|s|ly)?$"
)


def kept_apart(one: str, other: str) -> bool:
    """Whether two stems are words `_OWN_STEMS` keeps apart ("normaliz" and "normal"), which
    typo tolerance must not join again: one is the other with a suffix Snowball would strip."""
    if one in _OWN_STEMS:
        return one.startswith(other)
    return other in _OWN_STEMS and other.startswith(one)


def american_spelling(word: str) -> str:
    """ "normalisation" -> "normalization", "analysed" -> "analyzed"; other words unchanged."""
    if "is" in word:
        word = _BRITISH_ISE.sub(r"\1iz\2", word)
    if "lys" in word:
        word = _BRITISH_YSE.sub(r"lyz\1", word)
    return word


def stem(word: str) -> str:
    """Snowball stem of a normalised word, cached (dict reads and writes are atomic), with
    British spellings folded onto American ones and a few over-eager foldings undone."""
    cached = _stem_cache.get(word)
    if cached is None:
        if not word.isalpha():
            cached = word
        else:
            spelled = american_spelling(word)
            own = _OWN_STEM_WORD.match(spelled)
            cached = own[1] if own else str(_stemmer().stemWord(spelled))
        if len(_stem_cache) < 200_000:
            _stem_cache[word] = cached
    return cached


def root(word_stem: str) -> str:
    """A stem stripped of derivational suffixes ("reusabl" -> "reus", "abstract" stays)."""
    cached = _root_cache.get(word_stem)
    if cached is None:
        cached = word_stem
        changed = word_stem not in _OWN_STEMS
        while changed:
            changed = False
            for suffix in _SUFFIXES:
                if cached.endswith(suffix) and len(cached) - len(suffix) >= 4:
                    cached = cached[: -len(suffix)]
                    changed = True
                    break
        if len(_root_cache) < 200_000:
            _root_cache[word_stem] = cached
    return cached


def normalise_word(word: str) -> str:
    """Case, Unicode compatibility forms, apostrophes and the "1 × 1" notation, per word."""
    if not word.isascii():
        word = unicodedata.normalize("NFKC", word).replace("’", "'").replace("×", "x")
    word = word.lower()
    if word[0].isdigit() and ("x" in word or "*" in word):
        word = re.sub(r"\s+", "", word).replace("*", "x")
    return word


def split_words(text: str) -> list[str]:
    """`WORD_SPLIT.split(text)` (lead, word, gap, word, ..., gap), at about half the cost.

    A word never spans a space unless it is a kernel size, so the text is split at spaces in C
    and only the pieces holding more than letters and digits go through the regex (cached: the
    same "word," recurs across answers). Texts where a kernel size may occur take the regex."""
    if _kernel_possible(text):
        return WORD_SPLIT.split(text)
    pieces = [""]  # pieces[-1] is the gap being collected
    append, extend = pieces.append, pieces.extend
    chunks = _chunks
    for chunk in text.split(" "):
        if chunk.isalnum():  # a whole word: str.isalnum is the regex's \w without "_"
            append(chunk)
            append(" ")
            continue
        lead, rest = chunks.get(chunk) or _split_chunk(chunk)
        pieces[-1] += lead
        extend(rest)
    pieces[-1] = pieces[-1][:-1]  # the space after the last piece is not in the text
    return pieces


def words_may_touch(text: str) -> bool:
    """Whether two words of `text` may meet with no gap between them. A word ends where `\\w`
    stops, and the next starts with `\\w`, so only a kernel size can end just before a word
    ("3×3a" gives "3×3", "a")."""
    return _kernel_possible(text)


def _kernel_possible(text: str) -> bool:
    """Whether `text` may hold a kernel size: a digit, maybe a whitespace, then x, × or *."""
    if "x" not in text and "×" not in text and "*" not in text:
        return False
    if text.isascii() and not any(map(text.__contains__, "0123456789")):
        return False
    return _KERNEL_START.search(text) is not None


_chunks: dict[str, tuple[str, tuple[str, ...]]] = {}


def _split_chunk(chunk: str) -> tuple[str, tuple[str, ...]]:
    """A space-free piece of text split by the regex: the gap it starts with, then its words
    and gaps, the last gap followed by the space that ends the piece."""
    pieces = WORD_SPLIT.split(chunk)
    pieces[-1] += " "
    entry = (pieces[0], tuple(pieces[1:]))
    if len(chunk) <= 64 and len(_chunks) < 200_000:  # a pasted log must not fill memory
        _chunks[chunk] = entry
    return entry


def normalise(text: str) -> str:
    """The whole text normalised the way tokens are (for comparisons, not for offsets)."""
    return " ".join(t.norm for t in tokenise(text))


def tokenise(text: str) -> list[Token]:
    """Words of `text` with offsets into it. Hyphenated words split ("non-linear" -> 2 tokens);
    the matcher also tries adjacent pairs joined, so "nonlinear" meets them.

    `re.split` with a capturing group gives gap, word, gap, word, ..., gap: offsets are running
    sums of lengths, which is cheaper than a match object per word on this hot path."""
    pieces = split_words(text)
    tokens: list[Token] = []
    append = tokens.append
    forms = _forms
    new = tuple.__new__  # skips NamedTuple's keyword handling
    position = len(pieces[0])
    clause = 0
    for k in range(1, len(pieces), 2):
        word = pieces[k]
        end = position + len(word)
        form = forms.get(word) or word_forms(word)
        append(new(Token, (form[0], form[1], position, end, clause, form[2])))
        gap = pieces[k + 1]
        if gap != " " and (not CLAUSE_BREAKS.isdisjoint(gap) or " - " in gap):
            clause += 1
        position = end + len(gap)
    return tokens


_forms: dict[str, tuple[str, str, str]] = {}


def word_forms(word: str) -> tuple[str, str, str]:
    """(normalised, stem, root) of a word as typed, cached: most words recur across answers."""
    norm = normalise_word(word)
    word_stem = stem(norm)
    form = (norm, word_stem, root(word_stem))
    if len(_forms) < 200_000:
        _forms[word] = form
    return form


_ADVERB_EXCEPTIONS = frozenset(
    "anomaly assembly monopoly family supply multiply apply reply".split()
)


def is_weak(norm: str) -> bool:
    """Stop words, negations, general words and -ly adverbs: never the idea of a point."""
    if norm in STOP_WORDS or norm in NEGATIONS or norm in WEAK_WORDS:
        return True
    return len(norm) > 5 and norm.endswith("ly") and norm not in _ADVERB_EXCEPTIONS


def is_markup(text: str, token: Token) -> bool:
    """A LaTeX command name (`\\cdot`, `\\frac`): formula markup, not words of the answer."""
    return token.start > 0 and text[token.start - 1] == "\\"


def content_stems(text: str, exclude: frozenset[str] | set[str] = frozenset()) -> list[str]:
    """Distinct stems of the content words of `text`, in order, minus those whose stem or root
    is in `exclude` (the question's words: "deeper" repeats a question about "deep" nets)."""
    seen: dict[str, None] = {}
    for token in tokenise(text):
        if is_weak(token.norm) or token.stem in exclude or token.root in exclude:
            continue
        if (len(token.norm) < 2 and not token.norm.isdigit()) or is_markup(text, token):
            continue
        seen.setdefault(token.stem, None)
    return list(seen)


def content_roots(text: str, exclude: frozenset[str] | set[str] = frozenset()) -> set[str]:
    """Distinct roots of the content words of `text`, minus those of the question (`exclude`)."""
    return {
        token.root
        for token in tokenise(text)
        if not is_weak(token.norm)
        and token.root not in exclude
        and (len(token.norm) > 1 and not is_markup(text, token))
    }


def question_words(question: str) -> frozenset[str]:
    """Stems and roots of the content words of a question: repeating them earns nothing."""
    words: set[str] = set()
    for token in tokenise(question):
        if not is_weak(token.norm):
            words.add(token.stem)
            words.add(token.root)
    return frozenset(words)
