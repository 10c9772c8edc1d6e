"""The one error type every face shows as a plain message: bad input, named where it is.

Kept import-free so the command line can catch it without loading the modules that raise it.
"""


class InputError(Exception):
    """Bad input (a file, a flag, a setting): the message names what and where; exit 1."""
