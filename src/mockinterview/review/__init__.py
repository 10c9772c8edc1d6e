"""Review of past attempts: stats, progress, spaced repetition, export, re-grading."""
