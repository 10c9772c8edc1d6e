"""The question bank: Markdown files with TOML front matter, their rubrics, and importers."""

from mockinterview.bank.loader import Bank, load_bank
from mockinterview.problems import Problem

__all__ = ["Bank", "Problem", "load_bank"]
