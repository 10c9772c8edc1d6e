"""Graders: offline keyword matching (always there) and the optional LLM grader."""
