"""The optional OpenAI-compatible grader and what else talks to a model: the client with its
deadline and retries (`client`), the prompt and its fences (`prompt`), the bounded reply schema
(`schema`), verdicts checked against the answer (`verdicts`), token budgets (`tokens`), the
endpoint check (`check`) and rubric enrichment (`enrich`). The only package that imports
openai, always lazily."""
