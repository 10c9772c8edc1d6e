"""Keyword matching: phrases within a window, any order, typos, joined words, negation."""

from __future__ import annotations

from mockinterview.grading.offline.matching import AnswerIndex, keyword_stems
from mockinterview.text.analysis import stem


def find(answer: str, keyword: str):
    index = AnswerIndex.build(answer)
    return index, index.find(keyword_stems(keyword))


def test_phrase_matches_in_any_order_within_a_window() -> None:
    index, match = find("During training the gradients vanish quickly.", "vanishing gradient")
    assert match is not None and not match.negated and not match.fuzzy
    assert index.span_text(match)[0] == "gradients vanish"


def test_phrase_words_far_apart_do_not_match() -> None:
    answer = "The database is large. " + "Many unrelated words follow here. " * 5 + "Sharding."
    assert find(answer, "database sharding")[1] is None


def test_one_word_of_a_phrase_is_not_enough() -> None:
    assert find("We store everything in one database.", "database sharding")[1] is None


def test_typos_match_as_fuzzy() -> None:
    index, match = find("it prevents vanishng gradeints", "vanishing gradient")
    assert match is not None and match.fuzzy
    assert index.span_text(match)[0] == "vanishng gradeints"


def test_short_words_need_an_exact_match() -> None:
    assert find("the date is wrong", "gate")[1] is None


def test_hyphenated_and_joined_forms_meet() -> None:
    assert find("a nonlinear mixing step", "non-linear")[1] is not None
    assert find("non-linear mixing", "nonlinear")[1] is not None
    assert find("each featuremap", "feature map")[1] is not None


def test_negation_before_the_phrase_is_flagged() -> None:
    _, match = find("It does not help with vanishing gradients.", "vanishing gradient")
    assert match is not None and match.negated


def test_negation_inside_the_phrase_states_the_fix() -> None:
    _, match = find("so the gradients do not vanish", "vanishing gradient")
    assert match is not None and not match.negated


def test_negation_stops_at_the_clause_boundary() -> None:
    _, match = find("It is not slow; it reduces overfitting.", "overfitting")
    assert match is not None and not match.negated


def test_not_only_is_not_a_negation() -> None:
    _, match = find("not only faster but also reduces overfitting", "faster")
    assert match is not None and not match.negated


def test_evidence_offsets_point_at_the_answer() -> None:
    answer = "Residual links: the Identity Shortcut helps."
    index, match = find(answer, "identity shortcut")
    text, start, end = index.span_text(match)
    assert answer[start:end] == text == "Identity Shortcut"


def test_index_tokens_and_offsets_agree_with_the_tokeniser() -> None:
    from mockinterview.text.analysis import tokenise

    text = "  Non-linear units don't saturate; the 3 × 3 kernels - mostly -\r\nfine.\u2014 Ok"
    index = AnswerIndex.build(text)
    lazy = [index.offsets(i) for i in range(len(index.words))]
    assert index.tokens == tokenise(text)
    assert lazy == [(t.start, t.end) for t in tokenise(text)]


def test_negation_stops_at_the_end_of_its_clause() -> None:
    index = AnswerIndex.build("it does not, however, vanish")
    assert index.find(keyword_stems("vanish")) is not None
    assert not index.find(keyword_stems("vanish")).negated


def test_word_lookup_takes_other_forms_but_not_typos() -> None:
    negated = AnswerIndex.build("the model is not reliable")
    assert negated.word(stem("reliable")) == (4, True)
    index = AnswerIndex.build("reusability matters; the relaibility too")
    assert index.word(stem("reuse")) == (0, False)  # same root
    assert index.word(stem("reliable")) == (None, False)  # a typo: left to keyword groups
    assert index.find((stem("reliable"),)) is not None


def test_british_and_american_spellings_are_the_same_word() -> None:
    for keyword, answer in [
        ("normalization", "we apply batch normalisation first"),
        ("regularise", "L2 regularization shrinks weights"),
        ("analyzed", "the logs were analysed"),
    ]:
        match = find(answer, keyword)[1]
        assert match is not None and not match.fuzzy, (keyword, answer)


def test_words_stemming_folds_together_but_that_mean_other_things_stay_apart() -> None:
    """Snowball stems "positive" like "position" and "normalization" like "normal"; an answer
    about one must not earn a keyword about the other, not even as a typo."""
    for keyword, answer in [
        ("each position", "outputs are always positive"),
        ("normalization", "the errors follow a normal distribution"),
        ("regularization", "a regular grid of pixels"),
        ("generalization", "in general it works"),
        ("identity mapping", "identical mapping of neurons"),
        ("activation", "only the active neurons"),
        ("optimizer", "the optimal weights"),
        ("precision", "a precise answer"),
    ]:
        assert find(answer, keyword)[1] is None, (keyword, answer)
    assert stem("positives") == stem("positive") != stem("position")
    assert find("the validation loss of the regularised model", "regularization")[1]


def test_a_joined_compound_is_not_taken_for_a_word_kept_apart() -> None:
    """ "positive values" may be written "positivevalues", never found in a bare "positive"."""
    assert find("decays for large positive x", "positive values")[1] is None


def negated_words(answer: str) -> list[str]:
    index = AnswerIndex.build(answer)
    return [word for i, word in enumerate(index.words) if i in index.negated]


def test_a_dismissal_denies_its_subject() -> None:
    """ "X isn't a real issue" says X does not hold, as "no X" would."""
    assert "Dying" in negated_words("Dying neurons aren't a practical issue.")
    assert "skip" in negated_words("The skip path makes no real difference.")
    assert "centered" in negated_words("Being zero-centered doesn't matter at all.")
    assert "unbounded" in negated_words("The unbounded output doesn't cause any problems.")


def test_a_negated_verb_before_a_problem_word_is_not_a_dismissal() -> None:
    assert "Recursion" not in negated_words("Recursion that doesn't reduce the problem loops.")
    assert negated_words("No matter what the input is, gradients flow.") == []
    assert "Local" not in negated_words("Local variables cannot be used outside the function.")


def test_a_hedge_neither_ends_a_negation_nor_uses_up_its_reach() -> None:
    _, match = find("It doesn't really help with vanishing gradients.", "vanishing gradient")
    assert match is not None and match.negated
    _, match = find("They don't actually slow training down.", "slow training")
    assert match is not None and match.negated


def test_two_words_written_as_one_match_but_one_word_alone_never_stands_for_both() -> None:
    assert find("the featuremaps are big", "feature map")[1] is not None
    assert find("tune the hyperparameters", "hyper parameter")[1] is not None
    for keyword, answer in [
        ("channel mixing", "each channel alone"),
        ("gradient dies", "the gradient is fine"),
        ("probabilities add up", "the probabilities are fine"),
        ("released during i/o", "the lock is released"),
    ]:
        assert find(answer, keyword)[1] is None, (keyword, answer)


def test_saying_something_is_not_a_thing_dismisses_it() -> None:
    assert "Dead" in negated_words("Dead neurons aren't a thing with this activation.")


def test_the_full_stops_of_i_e_and_e_g_end_no_sentence() -> None:
    index = AnswerIndex.build("Logits become probabilities, i.e. numbers summing to one. Next.")
    numbers = dict(zip(index.words, index.sentences, strict=True))
    assert numbers["Logits"] == numbers["summing"] != numbers["Next"]


def claim_found(answer: str, claim: str) -> bool:
    stems = keyword_stems(claim)
    return bool(AnswerIndex.build(answer).find_in_order(stems, 2 * len(stems) + 4))


def test_a_claim_read_in_order_stays_within_one_sentence_and_one_side_of_a_contrast() -> None:
    claim = "bert predicts the next token"
    assert claim_found("BERT predicts the next token from the left.", claim)
    assert claim_found("BERT predicts the next token, unlike GPT.", claim)
    assert not claim_found("Unlike BERT, GPT predicts the next token.", claim)
    assert not claim_found("BERT reads both ways, whereas GPT predicts the next token.", claim)
    assert not claim_found("BERT is an encoder. Decoders predict the next token.", claim)
    assert claim_found("Tanh is cheaper than ReLU to compute.", "tanh cheaper than relu")


def test_a_full_stop_inside_a_name_ends_no_sentence() -> None:
    index = AnswerIndex.build("Calling gc.disable stops collection. Next.")
    numbers = dict(zip(index.words, index.sentences, strict=True))
    assert numbers["Calling"] == numbers["disable"] == numbers["collection"] != numbers["Next"]


def test_another_subject_after_and_starts_a_second_statement() -> None:
    """ "Stemming is fast and lemmatisation is more accurate" does not say "stemming is more
    accurate": a question word after "and" or a comma, inside the claim's span, starts a new
    statement. The same subject word without a join does not."""
    stems = keyword_stems("stemming more accurate")
    subjects = frozenset(keyword_stems("lemmatisation"))
    joined = AnswerIndex.build("Stemming is fast and lemmatisation is more accurate.")
    assert not joined.find_in_order(stems, 2 * len(stems) + 4, subjects)
    said = AnswerIndex.build("Stemming is more accurate than anything.")
    assert said.find_in_order(stems, 2 * len(stems) + 4, subjects)
    compared = AnswerIndex.build("Compared with stemming, lemmas are more accurate.")
    assert not compared.find_in_order(stems, 2 * len(stems) + 4, subjects)


def test_the_evidence_of_a_negation_never_reaches_into_the_sentence_before() -> None:
    index = AnswerIndex.build("It makes no real difference. The skip path doesn't help.")
    skip = index.words.index("skip")
    assert index.cue_before(skip) is None
    assert index.words[index.cue_before(index.words.index("help"))] == "doesn't"
