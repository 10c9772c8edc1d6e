"""mockinterview: practise technical interviews in the terminal, graded against rubrics."""

__version__ = "0.1.0"
