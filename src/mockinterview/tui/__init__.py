"""The Textual face of mockinterview. Nothing in the core imports this package."""
