"""One grading request to an OpenAI-compatible endpoint, made reliable.

Our own retry loop rather than the SDK's: a server that rejects `json_schema` (llama-cpp-python
answers HTTP 500 for it) must switch to JSON mode at once instead of being retried, and every
failure must end as a plain reason a person can act on, with the key scrubbed from it.
`openai` is imported here, and only when the first request is made.

A grading can be cancelled from another thread (the app's escape key): inside
`with cancellable(cancellation):` a request is sent on a client of its own whose sockets the
`Cancellation` knows (httpcore's `trace` request extension reports each connection made), and
`cancel()` shuts them down, so the blocked read returns at once instead of at the timeout; the
retry loop and its back-off stop too, and `GradingCancelled` is raised in place of any reply.
The sync SDK has no other way to stop a request in flight: closing the client does not wake a
read blocked in another thread, while `socket.shutdown` does.

The same mechanism keeps one total deadline per grade (`llm_deadline`): a timer shuts the
sockets when it passes, so a server that drips one byte every few seconds (never tripping a
read timeout) cannot hold a grade past it; each try's timeout is cut to the time left, and a
retry (or a Retry-After) that would end past it is not waited for. Redirects are not followed:
a grading request (with its key) goes to the configured origin or nowhere.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from mockinterview.config import Settings, redact
from mockinterview.errors import MockInterviewError

SCHEMA, JSON_MODE = "json_schema", "json_object"
NO_KEY = "no-key"  # sent to keyless local servers: the SDK insists on some key
MAX_RETRY_AFTER = 30.0
MAX_TIMEOUT_RETRIES = 1
MAX_REFUSED_RETRIES = 1  # nothing listening: one quick retry (a server just starting), no backoff
REFUSED_RETRY_DELAY = 0.25


class LLMUnavailable(MockInterviewError):
    """No usable reply; `str(exc)` is a one-line reason, free of the key."""


class GradingCancelled(Exception):
    """The grading was cancelled: there is no grade, and nothing may be cached or recorded."""


class Cancellation:
    """Stops one grading from another thread: no further request or retry, and the request in
    flight aborted by shutting its sockets down (which wakes a read blocked in another thread).
    """

    def __init__(self) -> None:
        self._event = threading.Event()
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def cancel(self) -> None:
        with self._lock:
            self._event.set()
            sockets, self._sockets = self._sockets, []
        for sock in sockets:
            _shut(sock)

    def watch(self, sock: socket.socket) -> None:
        """A connection the grading's request uses: shut at once if already cancelled."""
        with self._lock:
            if not self._event.is_set():
                self._sockets.append(sock)
                return
        _shut(sock)

    def wait(self, seconds: float) -> bool:
        """Sleep up to `seconds`; True (early) if cancelled meanwhile."""
        return self._event.wait(seconds)

    def check(self) -> None:
        if self._event.is_set():
            raise GradingCancelled("grading cancelled")


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed by its own thread: nothing to stop
        sock.shutdown(socket.SHUT_RDWR)


_CURRENT: ContextVar[Cancellation | None] = ContextVar("grading_cancellation", default=None)


@contextlib.contextmanager
def cancellable(cancellation: Cancellation) -> Iterator[Cancellation]:
    """Requests made in this thread within the block stop when `cancellation` is cancelled.
    A context variable, not an argument, so `Grader.grade(question, rubric, answer)` stays as
    it is for every grader (and any wrapper) between the app and the endpoint."""
    token = _CURRENT.set(cancellation)
    try:
        yield cancellation
    finally:
        _CURRENT.reset(token)


def current_cancellation() -> Cancellation | None:
    """The `Cancellation` of the grading running in this thread, if it can be cancelled."""
    return _CURRENT.get()


@dataclass(slots=True)
class Reply:
    """What came back, with the usage of every request it took."""

    content: str | None
    refusal: str | None
    finish_reason: str | None
    prompt_tokens: int
    completion_tokens: int
    mode: str
    requests: int


def _error_text(exc: Any) -> str:
    body = getattr(exc, "body", None)
    message = body.get("message") if isinstance(body, dict) else None
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        message = body["error"].get("message")
    text = str(message or getattr(exc, "message", "") or exc)
    cause = exc.__cause__ if isinstance(exc, BaseException) else None
    if text.rstrip(".") in ("Connection error", "Request timed out") and cause is not None:
        text = f"{text.rstrip('.')}: {cause}"  # the useful part, e.g. "Connection refused"
    return text


def _gave_up(reason: str, tries: int) -> str:
    return reason if tries == 0 else f"{reason}; gave up after {tries + 1} tries"


def _refused(exc: BaseException) -> bool:
    """The connection was refused (nothing listening at the address), as opposed to a reset,
    a DNS failure or a timeout: retrying with backoff only makes the user wait."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ConnectionRefusedError) or "Connection refused" in str(current):
            return True
        current = current.__cause__ or current.__context__
    return False


class DeadlinePassed(LLMUnavailable):
    """The grade's total deadline passed before a usable reply came."""


def _deadline_reason(seconds: float, where: str) -> str:
    return (
        f"no complete reply from {where} within the grading deadline of {seconds:g} s "
        "([llm] deadline or --llm-deadline)"
    )


def _rejects_schema(exc: Any) -> bool:
    """A 4xx/5xx that complains about `response_format`: the server cannot do json_schema."""
    text = _error_text(exc).lower()
    return "response_format" in text or "json_schema" in text


class ChatEndpoint:
    """A lazily built openai client plus what we learnt about the server (its JSON mode)."""

    def __init__(
        self,
        settings: Settings,
        *,
        http_client: Any = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings
        self.mode = SCHEMA
        self._http_client = http_client
        self._sleep = sleep
        self._client: Any = None
        self._lock = threading.Lock()
        self.requests = 0  # requests sent so far, retries included

    @property
    def where(self) -> str:
        return self.settings.llm_base_url or "https://api.openai.com/v1"

    def client(self) -> Any:
        with self._lock:
            if self._client is None:
                import openai

                if not self.settings.api_key and not self.settings.llm_base_url:
                    raise LLMUnavailable(
                        "no API key for OpenAI: set OPENAI_API_KEY, or --llm-base-url for a "
                        "local server"
                    )
                http_client = self._http_client
                if http_client is None:  # the SDK's own would follow redirects anywhere
                    http_client = openai.DefaultHttpxClient(
                        timeout=self.settings.timeout, follow_redirects=False
                    )
                self._client = openai.OpenAI(
                    api_key=self.settings.api_key or NO_KEY,
                    base_url=self.settings.llm_base_url,
                    timeout=self.settings.timeout,
                    max_retries=0,
                    http_client=http_client,
                )
            return self._client

    def _reason(self, text: str) -> str:
        return redact(" ".join(text.split())[:300], self.settings.api_key)

    def complete(
        self, messages: list[dict[str, str]], response_format: Callable[[str], dict[str, Any]]
    ) -> Reply:
        """Send one grading request, retrying 429/5xx/timeouts with backoff; JSON-mode fallback.

        `response_format(mode)` builds the request field for "json_schema" or "json_object".
        Within `cancellable(...)`, raises `GradingCancelled` as soon as it is cancelled. Raises
        `DeadlinePassed` once `llm_deadline` seconds have gone by, whatever the server does.
        """
        cancel = current_cancellation()
        if cancel is not None:
            cancel.check()
        seconds = self.settings.llm_deadline
        deadline = time.monotonic() + seconds
        expiry = Cancellation()  # cancelled by the timer: shuts the sockets in flight
        timer = threading.Timer(seconds, expiry.cancel)
        timer.daemon = True
        client, own = self._guarded_client([w for w in (cancel, expiry) if w is not None])
        timer.start()
        try:
            return self._complete(client, messages, response_format, cancel, expiry, deadline)
        finally:
            timer.cancel()
            if own is not None:
                own.close()

    def _guarded_client(self, watchers: list[Cancellation]) -> tuple[Any, Any]:
        """The client, on an HTTP client of its own (returned, to be closed) whose sockets
        each watcher will shut when cancelled (the user's cancel, the deadline). Our own only:
        a client handed in (tests' MockTransport) is used as it is, and then only the retries
        and their waits stop."""
        client = self.client()
        if self._http_client is not None:
            return client, None
        import openai

        def trace(event: str, info: dict[str, Any]) -> None:
            if event in ("connection.connect_tcp.complete", "connection.start_tls.complete"):
                stream = info.get("return_value")
                sock = stream.get_extra_info("socket") if stream is not None else None
                if isinstance(sock, socket.socket):
                    for watcher in watchers:
                        watcher.watch(sock)

        def add_trace(request: Any) -> None:
            request.extensions["trace"] = trace

        own = openai.DefaultHttpxClient(
            timeout=self.settings.timeout,
            follow_redirects=False,
            event_hooks={"request": [add_trace]},
        )
        return client.with_options(http_client=own), own

    def _complete(
        self,
        client: Any,
        messages: list[dict[str, str]],
        response_format: Callable[[str], dict[str, Any]],
        cancel: Cancellation | None,
        expiry: Cancellation,
        deadline: float,
    ) -> Reply:
        import openai

        settings = self.settings
        prompt_tokens = completion_tokens = requests = tries = timeouts = refusals = 0
        late = _deadline_reason(settings.llm_deadline, self.where)
        # A test's stand-in sleep takes no time: what it "slept" still counts to the deadline.
        skew = 0.0
        while True:
            left = deadline - time.monotonic() - skew
            if left <= 0 or expiry.cancelled:
                raise DeadlinePassed(_gave_up(late, tries))
            mode = self.mode
            requests += 1
            with self._lock:
                self.requests += 1
            try:
                try:
                    response = client.chat.completions.create(
                        model=settings.llm_model,
                        messages=messages,
                        temperature=0,
                        seed=0,
                        max_tokens=settings.max_output_tokens,
                        response_format=response_format(mode),
                        timeout=min(settings.timeout, left),
                    )
                finally:
                    if cancel is not None:
                        cancel.check()  # whatever came back (a reply, a cut connection)
                    if expiry.cancelled:  # the timer shut the sockets: whatever came is cut
                        raise DeadlinePassed(_gave_up(late, tries))
            except openai.APIStatusError as exc:
                if 300 <= exc.status_code < 400:
                    raise LLMUnavailable(self._redirect_reason(exc)) from None
                if mode == SCHEMA and exc.status_code in (400, 422, 500) and _rejects_schema(exc):
                    self.mode = JSON_MODE  # remembered: later grades go straight to JSON mode
                    continue
                retryable = exc.status_code in (408, 409, 429) or exc.status_code >= 500
                reason = self._status_reason(exc)
                if not retryable or tries >= settings.max_retries:
                    raise LLMUnavailable(_gave_up(reason, tries)) from None
                delay = self._retry_after(exc)
            except openai.APITimeoutError:
                reason = f"no reply from {self.where} within {min(settings.timeout, left):g} s"
                timeouts += 1  # a slow server is as slow again: one more try, not max_retries
                if tries >= settings.max_retries or timeouts > MAX_TIMEOUT_RETRIES:
                    raise LLMUnavailable(_gave_up(reason, tries)) from None
                delay = None
            except openai.APIConnectionError as exc:
                reason = self._reason(f"cannot reach {self.where} ({_error_text(exc)})")
                refused = _refused(exc)
                refusals += refused
                if tries >= settings.max_retries or refusals > MAX_REFUSED_RETRIES:
                    raise LLMUnavailable(_gave_up(reason, tries)) from None
                delay = min(settings.backoff, REFUSED_RETRY_DELAY) if refused else None
            except openai.OpenAIError as exc:
                raise LLMUnavailable(self._reason(f"{type(exc).__name__}: {exc}")) from None
            else:
                usage = getattr(response, "usage", None)
                prompt_tokens += getattr(usage, "prompt_tokens", 0) or 0
                completion_tokens += getattr(usage, "completion_tokens", 0) or 0
                if not response.choices:
                    raise LLMUnavailable("the server replied with no choices")
                choice = response.choices[0]
                return Reply(
                    content=choice.message.content,
                    refusal=getattr(choice.message, "refusal", None),
                    finish_reason=choice.finish_reason,
                    prompt_tokens=prompt_tokens,
                    completion_tokens=completion_tokens,
                    mode=mode,
                    requests=requests,
                )
            wait = settings.backoff * 2**tries if delay is None else delay
            if wait >= deadline - time.monotonic() - skew:  # waiting only to give up: give up now
                raise LLMUnavailable(
                    f"{_gave_up(reason, tries)}; a retry in {wait:g} s would end past the "
                    f"grading deadline of {settings.llm_deadline:g} s"
                )
            tries += 1
            self._pause(min(wait, MAX_RETRY_AFTER), cancel)
            if self._sleep is not time.sleep:
                skew += min(wait, MAX_RETRY_AFTER)

    def _pause(self, seconds: float, cancel: Cancellation | None) -> None:
        """The back-off between tries; a cancel ends it at once (unless a test's fake sleep
        stands in for time)."""
        if cancel is not None and self._sleep is time.sleep:
            cancel.wait(seconds)
        else:
            self._sleep(seconds)
        if cancel is not None:
            cancel.check()

    def _status_reason(self, exc: Any) -> str:
        status = exc.status_code
        detail = _error_text(exc)
        if status in (401, 403):
            return self._reason(f"{self.where} refused the API key (HTTP {status})")
        if status == 404:
            if "model" in detail.lower():
                return self._reason(
                    f"model {self.settings.llm_model!r} not found at {self.where} ({detail})"
                )
            return self._reason(
                f"{self.where} has no chat/completions endpoint (HTTP 404; does the URL end "
                "in /v1?)"
            )
        if status == 429:
            return self._reason(f"rate limited by {self.where} (HTTP 429: {detail})")
        return self._reason(f"HTTP {status} from {self.where}: {detail}")

    def _redirect_reason(self, exc: Any) -> str:
        headers = getattr(getattr(exc, "response", None), "headers", None) or {}
        target = headers.get("location") or "elsewhere"
        return self._reason(
            f"{self.where} redirected the request (HTTP {exc.status_code}) to {target}; "
            "redirects are not followed, so the key goes nowhere else: set the base URL to "
            "the address that answers"
        )

    @staticmethod
    def _retry_after(exc: Any) -> float | None:
        headers = getattr(getattr(exc, "response", None), "headers", None) or {}
        value = headers.get("retry-after")
        try:
            return max(0.0, float(value)) if value is not None else None
        except ValueError:
            return None


def list_models(
    base_url: str,
    *,
    timeout: float = 2.0,
    api_key: str | None = None,
    http_client: Any = None,
) -> list[str]:
    """The model ids a server offers (`GET <base_url>/models`), in its order. Raises
    LLMUnavailable (key-free reason) when it cannot be asked or answers with something else.
    No redirects followed; `timeout` bounds connecting and each read."""
    import httpx2

    url = base_url.rstrip("/") + "/models"
    headers = {"authorization": f"Bearer {api_key}"} if api_key else {}
    client = http_client or httpx2.Client(timeout=timeout, follow_redirects=False)
    try:
        response = client.get(url, headers=headers)
    except httpx2.HTTPError as exc:
        raise LLMUnavailable(redact(f"{type(exc).__name__}: {exc}", api_key)) from None
    finally:
        if http_client is None:
            client.close()
    if response.status_code != 200:
        raise LLMUnavailable(f"HTTP {response.status_code} for GET {url}")
    try:
        data = response.json()
    except ValueError:
        raise LLMUnavailable(f"GET {url} did not answer with JSON") from None
    items = data.get("data") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise LLMUnavailable(f"GET {url} did not answer with a model list")
    return [str(item["id"]) for item in items if isinstance(item, dict) and item.get("id")]
