"""The error every input reader raises: a draft that cannot be read, in one line."""

from __future__ import annotations


class LoadError(Exception):
    """A file that cannot be read as a draft; the message is one line."""
