"""Errors that reach the user as one clear line (exit code 2), never as a traceback."""


class GreensimError(Exception):
    """Base class for errors the CLI reports as a single message."""


class ScenarioError(GreensimError):
    """A scenario file (or a --set override) is missing, malformed or invalid.

    The message names the file, the key path and what was expected.
    """
