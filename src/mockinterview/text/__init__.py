"""Text analysis shared by the rubric builder and the graders: splitting an answer into words,
normalising and stemming them, synonyms and known phrases, typo candidates. Pure functions
over strings; nothing here knows about questions, rubrics or grades."""
