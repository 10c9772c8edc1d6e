"""A practice session without its screens: which questions to ask (`plan`) and the session's
running state, timings and summary (`session`). Used by the TUI and the command line."""
