"""Fakes of an OpenAI-compatible server for the LLM grader's tests: replay recorded bodies.

Two ways in, one script format. `replay_client(script)` gives an `httpx2.Client` on a
MockTransport for the openai SDK's `http_client`; `FakeServer(script)` is a stdlib HTTP server on
127.0.0.1 for end-to-end runs of the real command line. A script is a list of steps, each a
`(status, recorded-file-name or dict)` pair, a callable `(request_json) -> (status, body)`, or
"timeout"; the last step repeats once the list is used up. Nothing here touches the network.
"""

from __future__ import annotations

import json
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
        if callable(step):
            status, body = step(payload)
        else:
            status, body = step  # type: ignore[misc]
        if isinstance(body, str):
            body = recorded(body)
        headers = {"content-type": "application/json"}
        if status == 429:
            headers["retry-after"] = "0"
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

    def __init__(self, script: Script, timeout_sleep: float = 3.0) -> None:
        self.script = script
        self.timeout_sleep = timeout_sleep
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                payload = json.loads(self.rfile.read(length) or b"{}")
                step = fake.script.next(payload, {k.lower(): v for k, v in self.headers.items()})
                if step == "timeout":
                    time.sleep(fake.timeout_sleep)
                    step = (500, {"error": {"message": "too late"}})
                status, body, headers = Script.resolve(step, payload)
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def __enter__(self) -> FakeServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def quoting_model(payload: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """A stand-in model: "hit" for every point id of the request's schema, quoting the first
    five words of the fenced answer, with a follow-up question."""
    schema = payload["response_format"]["json_schema"]["schema"]
    ids = schema["$defs"]["PointVerdict"]["properties"]["id"]["enum"]
    answer = payload["messages"][-1]["content"].split("\n")[2]
    quote = " ".join(answer.split()[:5])
    points = [{"id": i, "verdict": "hit", "evidence_quote": quote, "comment": "ok"} for i in ids]
    body = {"points": points, "feedback": "Well done.", "follow_up": "Why identity, not zero?"}
    return 200, envelope(json.dumps(body))


if __name__ == "__main__":  # by hand: python tests/fake_llm_server.py [good|500] -> prints the URL
    import sys

    mode = sys.argv[1] if len(sys.argv) > 1 else "good"
    steps: list[Step] = [(500, "server_error_500.response.json")]
    if mode == "good":
        steps = [quoting_model]
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
