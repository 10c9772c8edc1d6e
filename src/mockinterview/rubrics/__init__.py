"""Rubrics: deriving gradable points from a reference answer, and the hand-editable files."""
