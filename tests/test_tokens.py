"""Token counting offline: the shipped cl100k_base is tiktoken's own, loads without a network
and never hangs; without it, counts fall back to a labelled estimate."""

from __future__ import annotations

import hashlib
import shutil
import socket
from importlib import resources

import pytest

from mockinterview.grading.llm import tokens
from mockinterview.grading.llm.tokens import TokenCounter, count_messages, estimate_cost

SAMPLES = [
    "1x1 convolutions reduce 256 channels to 64 before a 3x3 convolution.",
    "Résumé: naïve Bayes — P(y|x) ∝ P(x|y)P(y); emoji 🙂 and 中文 text too.\n\n  indented\tcode",
    "<|endoftext|> is just text here, not a special token.",
]


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture
def fresh_encoding(monkeypatch: pytest.MonkeyPatch) -> None:
    """Forget the process-wide encoding, so the test loads it itself."""
    monkeypatch.setattr(tokens, "_encoding", None)
    monkeypatch.setattr(tokens, "_load_error", None)


def test_shipped_file_is_the_official_one():
    blob = resources.files("mockinterview.data").joinpath("cl100k_base.tiktoken").read_bytes()
    assert hashlib.sha256(blob).hexdigest() == tokens.CL100K_SHA256


def test_counts_match_tiktokens_own_cl100k_base(tmp_path, monkeypatch, no_network, fresh_encoding):
    """tiktoken's registry, fed our file through its cache (named by the sha1 of its URL)."""
    import tiktoken
    import tiktoken.registry

    url = "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken"
    source = resources.files("mockinterview.data").joinpath("cl100k_base.tiktoken")
    with resources.as_file(source) as path:
        shutil.copy(path, tmp_path / hashlib.sha1(url.encode()).hexdigest())
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(tiktoken.registry, "ENCODINGS", {})
    official = tiktoken.get_encoding("cl100k_base")
    ours = tokens.shipped_encoding()
    assert ours is not None
    for text in SAMPLES:
        assert ours.encode(text, disallowed_special=()) == official.encode(
            text, disallowed_special=()
        )


def test_loading_and_counting_never_touch_the_network(no_network, fresh_encoding):
    counter = TokenCounter.for_model("gpt-4")
    assert counter.exact and counter.method == "cl100k_base"
    assert tokens.shipped_encoding().encode("hello world") == [15339, 1917]  # cl100k's ids
    assert counter.count("hello world") == 2


def test_unknown_model_falls_back_to_the_named_default_encoding(no_network):
    counter = TokenCounter.for_model("smollm2-135m")
    assert not counter.exact
    assert counter.method == "cl100k_base (approximate for smollm2-135m)"
    assert counter.count(SAMPLES[0]) == TokenCounter.for_model("gpt-4").count(SAMPLES[0])


def test_truncate_keeps_a_prefix_within_the_limit():
    counter = TokenCounter.for_model("gpt-4")
    text = " ".join(SAMPLES * 20)
    cut = counter.truncate(text, 50)
    assert text.startswith(cut)
    assert 45 <= counter.count(cut) <= 50
    assert counter.truncate(SAMPLES[0], 1000) == SAMPLES[0]


def test_a_damaged_file_falls_back_to_a_labelled_estimate(monkeypatch, fresh_encoding):
    def damaged() -> dict[bytes, int]:
        raise ValueError("cl100k_base.tiktoken is damaged (sha256 mismatch)")

    monkeypatch.setattr(tokens, "_load_ranks", damaged)
    counter = TokenCounter.for_model("gpt-4")
    assert counter.method.startswith("estimate") and not counter.exact
    assert counter.count("x" * 40) == 10
    assert counter.truncate("y" * 100, 5) == "y" * 20


def test_message_framing_and_cost():
    counter = TokenCounter.for_model("gpt-4")
    messages = [{"role": "system", "content": "abc"}, {"role": "user", "content": "abc"}]
    assert count_messages(counter, messages) == 2 * counter.count("abc") + 2 * 4 + 3
    assert estimate_cost(1000, 500, 0.15, 0.6) == pytest.approx(0.45)
    assert estimate_cost(1000, 500, None, None) is None
