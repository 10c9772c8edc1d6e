"""The LLM grader: a second opinion with prose feedback, over any OpenAI-compatible endpoint.

It never stands alone: the offline grade is always computed too, shown beside the LLM's (the
side-by-side view) and returned instead, clearly labelled, whenever the endpoint fails or the
grade's deadline passes. Grades are cached by (endpoint, model, prompt version, rubric
fingerprint, answer hash), so the same answer is sent once, and another server never serves a
grade it did not give. Text of the reply is scrubbed of the key (in any disguise) before use.
Thread-safe: `grade --batch` runs `concurrency` grades at once, the TUI one in a worker.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from mockinterview.config import Settings, redact
from mockinterview.grading.injection import injection_spans
from mockinterview.grading.llm.client import (
    ChatEndpoint,
    GradingCancelled,
    LLMUnavailable,
    current_cancellation,
    list_models,
)
from mockinterview.grading.llm.prompt import (
    PROMPT_VERSION,
    neutralise,
    rubric_fingerprint,
    system_message,
    user_message,
)
from mockinterview.grading.llm.tokens import TokenCounter, count_messages, estimate_cost
from mockinterview.models import Grade, Grader, PointResult, Question, Rubric, Verdict, text_hash
from mockinterview.store import StoreError

if TYPE_CHECKING:
    from mockinterview.grading.llm.schema import GradeReply
    from mockinterview.store import Store

FALLBACK_GRADER = "offline (LLM unavailable)"


@dataclass(slots=True)
class Prompt:
    """A request ready to send, with what was counted and cut to fit the budget."""

    messages: list[dict[str, str]]
    prompt_tokens: int
    cache_key: str
    warnings: list[str] = field(default_factory=list)


class LLMGrader:
    """Grades with an LLM against the rubric; falls back to `fallback` (the offline grader)."""

    def __init__(
        self,
        settings: Settings,
        *,
        fallback: Grader,
        store: Store | None = None,
        http_client: Any = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings
        self.name = f"llm:{settings.llm_model}"
        self.concurrency = max(1, settings.concurrency)
        self.fallback = fallback
        self.store = store
        self.endpoint = ChatEndpoint(settings, http_client=http_client, sleep=sleep)
        self._counter: TokenCounter | None = None
        self._lock = threading.Lock()
        self._key_locks: dict[str, threading.Lock] = {}
        self._model_lock = threading.Lock()

    def _choose_model(self) -> None:
        """A preset with no model named: the first model the server lists (asked once)."""
        settings = self.settings
        if not settings.llm_preset or settings.model_chosen:
            return
        with self._model_lock:
            if self.settings.model_chosen:
                return
            where = self.endpoint.where
            try:
                models = list_models(where, timeout=min(5.0, settings.llm_deadline))
            except LLMUnavailable as exc:
                raise LLMUnavailable(f"cannot ask {where} for its models ({exc})") from None
            if not models:
                raise LLMUnavailable(
                    f"{where} lists no models: load one, or name it with --llm-model"
                )
            self.settings = replace(settings, llm_model=models[0], model_chosen=True)
            self.endpoint.settings = self.settings
            self.name = f"llm:{models[0]}"
            self._counter = None

    @property
    def counter(self) -> TokenCounter:
        """Built on first use: loading the encoding takes ~0.4 s, not for TUI start-up."""
        if self._counter is None:
            self._counter = TokenCounter.for_model(self.settings.llm_model)
        return self._counter

    @property
    def requests_sent(self) -> int:
        """Requests this grader has sent (retries included): tests and `llm check` read it."""
        return self.endpoint.requests

    # --- the prompt -------------------------------------------------------------------------

    def prepare(self, question: Question, rubric: Rubric, answer: str) -> Prompt:
        """Messages within the token budget; raises LLMUnavailable if the rubric alone is over."""
        budget = self.settings.token_budget
        system = system_message(question, rubric)
        frame = [
            {"role": "system", "content": system},
            {"role": "user", "content": user_message("")},
        ]
        fixed = count_messages(self.counter, frame)
        room = budget - fixed
        if room <= 0:
            raise LLMUnavailable(
                f"the question and rubric alone take {fixed} prompt tokens, over the token "
                f"budget of {budget} (raise [llm] token_budget)"
            )
        sent = neutralise(answer)
        answer_tokens = self.counter.count(sent)
        warnings = []
        if answer_tokens > room:
            sent = self.counter.truncate(sent, room)
            warnings.append(
                f"answer truncated for the LLM: only its first {room} of {answer_tokens} tokens "
                f"were graded (token budget {budget})"
            )
            answer_tokens = self.counter.count(sent)
        endpoint = (self.settings.llm_base_url or self.endpoint.where).rstrip("/")
        key_parts = (
            endpoint,
            self.settings.llm_model,
            PROMPT_VERSION,
            rubric_fingerprint(question, rubric),
        )
        key = hashlib.sha256(repr((*key_parts, text_hash(sent))).encode()).hexdigest()
        messages = [frame[0], {"role": "user", "content": user_message(sent)}]
        return Prompt(messages, fixed + answer_tokens, key, warnings)

    # --- grading ----------------------------------------------------------------------------

    def grade(self, question: Question, rubric: Rubric, answer: str) -> Grade:
        """The LLM's grade, else the offline one labelled as such. Within
        `llm_client.cancellable(...)` a cancel raises `GradingCancelled` at once."""
        offline = self.fallback.grade(question, rubric, answer)
        if not any(ch.isalnum() for ch in answer):
            return self._empty_grade(question, rubric, offline)
        try:
            self._choose_model()
            prompt = self.prepare(question, rubric, answer)
            with self._lock_for(prompt.cache_key):  # the same answer twice at once: one request
                grade = self._cached(prompt.cache_key)
                if grade is None:
                    grade = self._ask(question, rubric, answer, prompt, offline)
                    _check_cancelled()  # a reply that came as it was cancelled: not kept
                    self._remember(prompt.cache_key, grade)
                else:
                    grade.question_id = question.id
                    grade.extra["cached"] = True
        except GradingCancelled:
            raise  # no grade at all, not the offline fallback: nobody is waiting for one
        except LLMUnavailable as exc:
            return self._fallback_grade(offline, str(exc))
        except Exception as exc:  # a server's odd reply must never crash a session or a batch
            return self._fallback_grade(offline, f"unexpected {type(exc).__name__}: {exc}")
        grade.extra["offline_grade"] = offline.to_dict()
        return grade

    def _ask(
        self, question: Question, rubric: Rubric, answer: str, prompt: Prompt, offline: Grade
    ) -> Grade:
        from mockinterview.grading.llm.schema import ReplyError, parse_reply, response_format
        from mockinterview.grading.llm.verdicts import grade_from_reply, strip_markup

        reply = self.endpoint.complete(prompt.messages, lambda mode: response_format(rubric, mode))
        key = self.settings.api_key
        if reply.refusal:
            refusal = redact(reply.refusal.strip(), key)
            raise LLMUnavailable(f"the model declined to grade ({refusal[:120]})")
        if reply.finish_reason == "content_filter":
            raise LLMUnavailable("the endpoint's content filter stopped the reply")
        if reply.finish_reason == "length":
            raise LLMUnavailable(
                f"the reply was cut off at {self.settings.max_output_tokens} tokens "
                "(finish_reason: length); raise [llm] max_output_tokens"
            )
        injected = injection_spans(answer)
        ceiling = _verdicts_of(offline) if injected else None
        try:
            parsed = _scrubbed(parse_reply(reply.content), key)
            grade = grade_from_reply(
                question.id,
                rubric,
                answer,
                parsed,
                grader=self.name,
                injected=injected,
                question=question.question,
                ceiling=ceiling,
            )
        except ReplyError as exc:
            raise LLMUnavailable(redact(str(exc), key)) from None
        grade.warnings[:0] = prompt.warnings
        if injected:
            addressed = [" ".join(answer[start:end].split()) for start, end in injected]
            shown = addressed[0] if len(addressed[0]) <= 80 else addressed[0][:77] + "..."
            grade.warnings.insert(
                0,
                f"text addressed to the grader was left out of what earns credit: '{shown}'"
                + (f" (and {len(addressed) - 1} more)" if len(addressed) > 1 else "")
                + "; each point's credit is capped at what the rubric's terms find",
            )
            grade.extra["grader_directed"] = addressed
        settings = self.settings
        prompt_tokens = reply.prompt_tokens or prompt.prompt_tokens
        grade.extra.update(
            model=settings.llm_model,
            prompt_version=PROMPT_VERSION,
            follow_up=strip_markup(parsed.follow_up),
            tokens={
                "prompt": prompt_tokens,
                "completion": reply.completion_tokens,
                "counted_prompt": prompt.prompt_tokens,
                "count_method": self.counter.method,
            },
            cost_usd=estimate_cost(
                prompt_tokens,
                reply.completion_tokens,
                settings.price_in_per_1k,
                settings.price_out_per_1k,
            ),
            response_format=reply.mode,
            requests=reply.requests,
        )
        return grade

    def _empty_grade(self, question: Question, rubric: Rubric, offline: Grade) -> Grade:
        """Nothing to grade: no request, every point missed."""
        points = [
            PointResult(p.id, p.title, p.weight, "miss", 0.0, [], "empty answer")
            for p in rubric.points
        ]
        return Grade(
            question.id,
            self.name,
            0.0,
            points,
            feedback="The answer is empty.",
            warnings=["empty answer: nothing was sent to the LLM"],
            extra={"model": self.settings.llm_model, "offline_grade": offline.to_dict()},
        )

    def _fallback_grade(self, offline: Grade, reason: str) -> Grade:
        reason = redact(reason, self.settings.api_key)
        extra = dict(offline.extra, llm_unavailable=reason, llm_model=self.settings.llm_model)
        return replace(
            offline,
            grader=FALLBACK_GRADER,
            warnings=[f"LLM unavailable: offline grade ({reason})", *offline.warnings],
            extra=extra,
        )

    # --- the cache --------------------------------------------------------------------------

    def _lock_for(self, key: str) -> threading.Lock:
        with self._lock:
            return self._key_locks.setdefault(key, threading.Lock())

    def _cached(self, key: str) -> Grade | None:
        """The stored grade for `key`; an unreadable cache entry is simply a miss."""
        if self.store is None:
            return None
        with self._lock:
            try:
                return self.store.cached_grade(key)
            except (sqlite3.Error, StoreError, ValueError, KeyError, TypeError):
                return None

    def _remember(self, key: str, grade: Grade) -> None:
        """Cache a fresh grade; a store that cannot be written only costs a request later."""
        if self.store is not None:
            with self._lock:
                try:
                    self.store.cache_grade(key, grade)
                except (sqlite3.Error, StoreError):
                    grade.warnings.append(
                        "could not cache this grade (attempts store not writable)"
                    )


def _verdicts_of(grade: Grade) -> dict[str, Verdict]:
    return {point.id: point.verdict for point in grade.points}


def _scrubbed(reply: GradeReply, key: str | None) -> GradeReply:
    """The reply with the key taken out of every text in it (a model may echo it back, in any
    case, reversed or split up): what we store, export and print never holds it."""
    if not key:
        return reply
    for point in reply.points:
        point.evidence_quote = redact(point.evidence_quote, key)
        point.comment = redact(point.comment, key)
    reply.feedback = redact(reply.feedback, key)
    reply.follow_up = redact(reply.follow_up, key)
    return reply


def _check_cancelled() -> None:
    cancel = current_cancellation()
    if cancel is not None:
        cancel.check()
