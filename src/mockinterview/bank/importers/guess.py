"""Defaults for what a source does not state: topic from the id prefix, difficulty from the
kind of question, tags from a small vocabulary of interview subjects. All are guesses: they
fill new bank files but never overwrite what a bank file already says."""

from __future__ import annotations

import re

TOPIC_BY_PREFIX = {
    "DL": "deep learning",
    "ML": "machine learning",
    "NLP": "natural language processing",
    "CV": "computer vision",
    "SD": "system design",
    "DB": "databases",
    "ST": "statistics",
}

# tag -> words that, found in the title or question, suggest it
TAG_RULES: dict[str, tuple[str, ...]] = {
    "activation-functions": ("activation", "relu", "sigmoid", "tanh", "softmax", "gelu"),
    "cnn": ("convolution", "convolutional", "kernel", "pooling"),
    "initialization": ("initializ", "initialis"),
    "architecture": ("residual", "skip connection", "bottleneck"),
    "optimization": ("gradient", "optimizer", "learning rate", "convergence"),
    "regression": ("regression",),
    "classification": ("classification", "classifier"),
    "regularization": ("regulariz", "regularis", "dropout", "overfitting"),
    "pros-and-cons": ("advantages", "disadvantages", "benefits", "limitations", "drawbacks"),
}

_NUMBER = re.compile(r"(\d+)")


def guess_topic(question_id: str, fallback: str = "") -> str:
    prefix = _NUMBER.split(question_id, maxsplit=1)[0].upper()
    return TOPIC_BY_PREFIX.get(prefix) or fallback or "general"


def guess_difficulty(question: str) -> str:
    """Definitions are easy; trade-offs, comparisons and design questions are medium."""
    text = question.strip().lower()
    if re.match(r"(what is|what are|define|name)\b", text) and not re.search(
        r"\b(advantages|disadvantages|benefits|limitations|consequences|trade-?offs?|why|how)\b",
        text,
    ):
        return "easy"
    if re.search(r"\b(design|prove|derive|implement)\b", text):
        return "hard"
    return "medium"


def guess_tags(title: str, question: str) -> list[str]:
    text = f"{title} {question}".lower()
    return [tag for tag, words in TAG_RULES.items() if any(w in text for w in words)]
