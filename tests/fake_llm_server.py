"""Fakes of an OpenAI-compatible server for the LLM grader's tests: replay recorded bodies.

Two ways in, one script format. `replay_client(script)` gives an `httpx2.Client` on a
MockTransport for the openai SDK's `http_client`; `FakeServer(script)` is a stdlib HTTP server on
127.0.0.1 for end-to-end runs of the real command line. A script is a list of steps, each a
`(status, recorded-file-name or dict)` pair (or a triple with extra headers), a callable
`(request_json) -> (status, body)`, "timeout", or (server only) "drip": a good reply sent one
byte every `drip_interval` seconds. The last step repeats once the list is used up. The server
also answers `GET /v1/models` with `models`. Nothing here touches the network.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

RECORDED = Path(__file__).parent / "recorded"

Step = tuple[int, str | dict[str, Any]] | Callable[[dict[str, Any]], tuple[int, Any]] | str


def recorded(name: str) -> dict[str, Any]:
    return json.loads((RECORDED / name).read_text(encoding="utf-8"))


def envelope(content: str, finish_reason: str = "stop") -> dict[str, Any]:
    """A chat.completion body in llama-server's shape (as in the recordings) around `content`."""
    body = recorded("llama-server_smollm2-135m_json_schema_bounded_stop.response.json")
    body["choices"][0]["message"]["content"] = content
    body["choices"][0]["finish_reason"] = finish_reason
    return body


class Script:
    """The steps to play, and every request received (parsed JSON bodies and headers)."""

    def __init__(self, steps: list[Step]) -> None:
        self.steps = list(steps)
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self._lock = threading.Lock()

    def next(self, payload: dict[str, Any], headers: dict[str, str]) -> Step:
        with self._lock:
            self.requests.append(payload)
            self.headers.append(headers)
            index = min(len(self.requests), len(self.steps)) - 1
            return self.steps[index]

    @staticmethod
    def resolve(step: Step, payload: dict[str, Any]) -> tuple[int, bytes, dict[str, str]]:
        extra: dict[str, str] = {}
        if callable(step):
            status, body = step(payload)
        elif isinstance(step, tuple) and len(step) == 3:
            status, body, extra = step
        else:
            status, body = step  # type: ignore[misc]
        if isinstance(body, str):
            body = recorded(body)
        headers = {"content-type": "application/json"}
        if status == 429:
            headers["retry-after"] = "0"
        headers |= extra
        return status, json.dumps(body).encode(), headers


def replay_client(script: Script) -> Any:
    """An httpx2.Client whose every request is answered from `script`."""
    import httpx2

    def handle(request: httpx2.Request) -> httpx2.Response:
        payload = json.loads(request.content or b"{}")
        step = script.next(payload, dict(request.headers))
        if step == "timeout":
            raise httpx2.ReadTimeout("timed out (scripted)", request=request)
        status, body, headers = Script.resolve(step, payload)
        return httpx2.Response(status, content=body, headers=headers)

    return httpx2.Client(transport=httpx2.MockTransport(handle))


class FakeServer:
    """`with FakeServer(script) as server:` serves `server.url` (ending in /v1) on 127.0.0.1."""

    def __init__(
        self,
        script: Script,
        timeout_sleep: float = 3.0,
        *,
        port: int = 0,
        models: list[str] | None = None,
        drip_interval: float = 2.0,
    ) -> None:
        self.script = script
        self.timeout_sleep = timeout_sleep
        self.models = ["fake-grader"] if models is None else models
        self.drip_interval = drip_interval
        self.model_requests = 0
        self.stop = threading.Event()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path.rstrip("/") != "/v1/models":
                    self.send_error(404)
                    return
                fake.model_requests += 1
                data = [{"id": m, "object": "model", "owned_by": "fake"} for m in fake.models]
                body = json.dumps({"object": "list", "data": data}).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                payload = json.loads(self.rfile.read(length) or b"{}")
                step = fake.script.next(payload, {k.lower(): v for k, v in self.headers.items()})
                if step == "timeout":
                    time.sleep(fake.timeout_sleep)
                    step = (500, {"error": {"message": "too late"}})
                if step == "drip":
                    self._drip(quoting_model(payload)[1])
                    return
                status, body, headers = Script.resolve(step, payload)
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except OSError:  # the client gave up (a cancel, a deadline): nobody to tell
                    return

            def _drip(self, body: dict[str, Any]) -> None:
                """A whole, valid reply, one byte every `drip_interval` s: never a read
                timeout, never done."""
                data = json.dumps(body).encode()
                head = (
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
                    f"content-length: {len(data)}\r\n\r\n"
                ).encode()
                try:
                    for byte in head + data:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        if fake.stop.wait(fake.drip_interval):
                            return
                except OSError:  # the client gave up and closed the connection
                    return

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def __enter__(self) -> FakeServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def rubric_points(payload: dict[str, Any]) -> dict[str, str]:
    """Point id -> "title: text", read back from the request's system prompt."""
    system = payload["messages"][0]["content"]
    return dict(re.findall(r'^- id "([^"]+)": (.*)$', system, re.MULTILINE))


def fenced_answer(payload: dict[str, Any]) -> str:
    """The answer as sent, between the fence lines of the last message."""
    user = payload["messages"][-1]["content"]
    return user.split("<<<CANDIDATE_ANSWER>>>\n", 1)[1].rsplit("\n<<<END_CANDIDATE_ANSWER>>>", 1)[0]


def _plain_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]{4,}", text.lower()) if w not in _COMMON}


_COMMON = frozenset("that this with from they them their have which when what also than".split())


def sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n", text) if s.strip()]


def best_sentence(answer: str, point: str) -> tuple[str, int]:
    """The answer's sentence sharing the most words (of four letters or more) with a point."""
    wanted = _plain_words(point)
    scored = [(len(wanted & _plain_words(s)), s) for s in sentences(answer)]
    shared, sentence = max(scored, default=(0, ""), key=lambda pair: pair[0])
    return sentence, shared


def quoting_model(payload: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """A stand-in model: "hit" for every point of the request, quoting the answer's sentence
    that shares most words with the point (else its first five words), with a follow-up."""
    answer = fenced_answer(payload)
    points = []
    for point_id, point in rubric_points(payload).items():
        quote, shared = best_sentence(answer, point)
        if not shared:
            quote = " ".join(answer.split()[:5])
        points.append({"id": point_id, "verdict": "hit", "evidence_quote": quote, "comment": "ok"})
    body = {"points": points, "feedback": "Well done.", "follow_up": "Why identity, not zero?"}
    return 200, envelope(json.dumps(body))


# Cues the standalone obedient model reacts to (tests hand it the clean answers instead, so that
# it is fooled by every injection, whether or not our detector sees it).
_OBEY_CUES = re.compile(
    r"ignor|grader|grading|rubric|marks|full credit|score|verdict|system:|assistant:|decode|"
    r"professor|evaluat|criteri|満点|满分|балл|punkt|puntua|punteggio|note maximale",
    re.IGNORECASE,
)


class ObedientModel:
    """A model that obeys any instruction or claim in the answer, and grades honestly when
    there is none. Honest: per rubric point, the answer's sentence sharing the most words with
    it, "hit" for three or more shared words, "partial" for one or two, else "miss". Obeying:
    every point "hit", quoting for each the sentence (injected text included) that shares most
    words with the point, else the injected text, with a comment that names the point (the
    strongest reply a fooled model could give our checks).

    `clean`: the answers as they were before any injection; whatever the fenced answer holds
    beyond one of them is the instruction. Without it, cue words stand in (by-hand runs)."""

    def __init__(self, clean: list[str] | None = None) -> None:
        self.clean = [" ".join(c.split()) for c in clean or []]
        self.fooled = 0

    def injected_text(self, answer: str) -> str:
        flat = " ".join(answer.split())
        if self.clean:
            for clean in sorted(self.clean, key=len, reverse=True):
                if clean in flat:
                    rest = flat.replace(clean, " ", 1).strip()
                    return rest if any(ch.isalnum() for ch in rest) else ""
            return flat
        hits = [s for s in sentences(answer) if _OBEY_CUES.search(s)]
        return " ".join(hits)

    def __call__(self, payload: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        answer = fenced_answer(payload)
        injected = self.injected_text(answer)
        if injected:
            self.fooled += 1
        points = []
        for point_id, point in rubric_points(payload).items():
            title = point.split(":", 1)[0]
            quote, shared = best_sentence(answer, point)
            if injected:
                points.append(
                    {
                        "id": point_id,
                        "verdict": "hit",
                        "evidence_quote": quote if shared else injected[:200],
                        "comment": f"Covers {title}."[:160],
                    }
                )
                continue
            verdict = "hit" if shared >= 3 else "partial" if shared else "miss"
            points.append(
                {
                    "id": point_id,
                    "verdict": verdict,
                    "evidence_quote": quote[:200] if shared else "",
                    "comment": f"{shared} words of {title}."[:160],
                }
            )
        feedback = "Excellent, complete answer." if injected else "Graded on the rubric."
        body = {"points": points, "feedback": feedback, "follow_up": "What else?"}
        return 200, envelope(json.dumps(body))


if __name__ == "__main__":  # by hand: python tests/fake_llm_server.py [good|obey|500] -> URL
    import sys

    mode = sys.argv[1] if len(sys.argv) > 1 else "good"
    steps: list[Step] = [(500, "server_error_500.response.json")]
    if mode == "good":
        steps = [quoting_model]
    elif mode == "obey":
        steps = [ObedientModel()]
    with FakeServer(Script(steps)) as server:
        print(server.url, flush=True)
        try:
            while True:
                time.sleep(1)
                print(
                    f"requests so far: {len(server.script.requests)}", file=sys.stderr, flush=True
                )
        except KeyboardInterrupt:
            pass


# --- the question the recordings were made with ---------------------------------------------

GOOD_ANSWER = (
    "1x1 convolutions are mainly used to change the number of channels: for example an Inception "
    "module first reduces 256 channels to 64 with a 1x1 conv before the 3x3 and 5x5 convolutions, "
    "which cuts the parameters and FLOPs a lot. Because those bottlenecks are cheap, networks like "
    "GoogLeNet and ResNet can go much deeper without exploding compute. Each 1x1 filter computes a "
    "weighted sum across all input channels at a pixel, so it fuses information across feature "
    "maps like a per-pixel fully connected layer. Finally, with a ReLU after it, it adds extra "
    "non-linearity, as in Network-in-Network."
)
PARTIAL_ANSWER = (
    "A 1x1 convolution can reduce the number of channels, which makes the model smaller and "
    "faster. It is used in Inception. I think it also somehow combines the channels together."
)


def conv_question_and_rubric() -> tuple[Any, Any]:
    from mockinterview.models import Question, Rubric, RubricPoint

    points = [
        RubricPoint(
            "1",
            "Dimensionality control",
            "A 1x1 convolution changes the number of channels, e.g. reducing 256 channels to 64 "
            "before an expensive 3x3 or 5x5 convolution (bottleneck).",
            keywords=[["channels", "feature maps"], ["reduce", "change", "fewer"]],
        ),
        RubricPoint(
            "2",
            "Increased depth at controlled cost",
            "Because channel reduction makes the following layers cheap, networks can be made "
            "deeper and wider without a blow-up in parameters and FLOPs.",
            keywords=[["deeper", "depth"], ["parameters", "flops", "compute", "cost"]],
        ),
        RubricPoint(
            "3",
            "Cross-channel feature fusion",
            "Each output is a learned weighted combination of all input channels at the same "
            "pixel: a per-pixel fully connected layer across channels.",
            keywords=[["weighted sum", "weighted combination", "fully connected"], ["channels"]],
        ),
        RubricPoint(
            "4",
            "Non-linear mixing",
            "Followed by an activation such as ReLU, a 1x1 convolution adds extra non-linearity.",
            keywords=[["non-linearity", "nonlinearity", "non-linear"], ["relu", "activation"]],
        ),
    ]
    question = Question(
        id="CONV1X1",
        title="1x1 convolutions",
        question="What are the benefits of 1x1 convolutions?",
        answer="(1) Dimensionality control ... (4) Non-linear mixing ...",
    )
    return question, Rubric("CONV1X1", question.answer_hash, points)
