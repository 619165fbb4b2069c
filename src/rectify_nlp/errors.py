"""Exceptions raised by rectify_nlp."""

from __future__ import annotations


class RectifyError(Exception):
    """Base class of every error rectify_nlp raises on purpose."""


class RectifyInputError(RectifyError, ValueError):
    """The input cannot be read as text (binary data, an unknown encoding, a missing file).

    The message names the problem and, where known, the source (a file name).
    Text that is merely *not a notice* is not an error: it yields an empty result.
    """

    def __init__(self, message: str, *, source: str | None = None) -> None:
        self.source = source
        super().__init__(f"{source}: {message}" if source else message)


class RectifyModelError(RectifyError):
    """A pipeline folder cannot be loaded (missing, corrupt, or made by an incompatible version)."""
