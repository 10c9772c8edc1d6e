"""Stable ids for sources that have none: a topic prefix and a short hash of what identifies
the question (its normalised text, or an Anki note's guid). Importing the same file again gives
the same ids, so nothing changes; an edited answer keeps its id (a conflict, or an update with
--replace), while an edited question text is a new question unless the source carries a guid."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from mockinterview.bank.importers.guess import TOPIC_BY_PREFIX

_PREFIX_BY_TOPIC = {topic: prefix for prefix, topic in TOPIC_BY_PREFIX.items()}
_MARKUP = re.compile(r"[*_`~]+|<[^>]{1,80}>")
_NON_WORD = re.compile(r"[^\w]+")
HASH_LENGTH = 8


def normalise_question(text: str) -> str:
    """Case, accents, Markdown/HTML markup, punctuation and spacing do not make a new question:
    'What is **bias**?' and 'what is bias' are one."""
    text = unicodedata.normalize("NFKC", _MARKUP.sub(" ", text)).casefold()
    return " ".join(_NON_WORD.sub(" ", text).split())


def question_key(text: str) -> str:
    return "q:" + normalise_question(text)


def guid_key(guid: str) -> str:
    return "guid:" + guid.strip()


def topic_prefix(topic: str) -> str:
    """`machine learning` -> `ML` (the bank's own prefixes first), else the initials of up to
    three words (`system reliability` -> `SR`), else `Q`."""
    topic = " ".join(topic.lower().replace("-", " ").replace("_", " ").split())
    if topic in _PREFIX_BY_TOPIC:
        return str(_PREFIX_BY_TOPIC[topic])
    words: list[str] = re.findall(r"[a-z]+", topic)
    if not words:
        return "Q"
    if len(words) == 1:
        return words[0][:3].upper()
    return "".join(w[0] for w in words[:3]).upper()


def generated_id(topic: str, key: str) -> str:
    """`ML-3f9a2c1b`: valid as a file name (ID_PATTERN) and stable for the same key."""
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:HASH_LENGTH]
    return f"{topic_prefix(topic)}-{digest}"
