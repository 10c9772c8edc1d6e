"""The offline grader: keyword groups of a rubric matched in the answer's words (`matching`),
turned into per-point verdicts and a score (`grader`). No key, no network, no state."""
