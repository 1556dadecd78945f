"""Where readers report the records they skip: a list, a callback, or a default."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["reporter"]

E = TypeVar("E")


def reporter(
    errors: list[E] | Callable[[E], Any] | None, default: Callable[[E], None]
) -> Callable[[E], None]:
    """A report function for a reader's ``errors=`` argument.

    A list collects the errors, a callable receives each one, and ``None`` means
    the reader's ``default`` (log a warning, or raise).
    """
    if errors is None:
        return default
    if isinstance(errors, list):
        return errors.append
    return errors
