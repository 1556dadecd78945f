"""Text accepted at the library's boundaries: strings that can be written out as UTF-8.

Why: JSON (``"\\ud800"``) and YAML escapes can carry a lone surrogate into a Python
``str``. Such a string is accepted by everything until it must be encoded: the
tokenizer refuses it (TypeError) and pydantic cannot serialise it when outputs are
written. So text is checked once where it enters (transcript readers, ``Checker.check``,
the HTTP request schemas, the KB loader) and a bad value is reported there, for that
line or field, instead of failing later.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator

__all__ = [
    "EncodableStr",
    "printable",
    "require_encodable",
    "unencodable_at",
    "unencodable_reason",
]


def unencodable_at(text: str) -> int | None:
    """The index of the first character of ``text`` that UTF-8 cannot encode, or ``None``."""
    if text.isascii():
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        return exc.start
    return None


def require_encodable(text: str, what: str = "text") -> str:
    """``text`` itself when it can be encoded as UTF-8.

    Raises:
        TypeError: ``text`` is not a str.
        ValueError: it holds a lone surrogate; the message names ``what``, the
            character's code point and its index, and never the character itself.
    """
    if not isinstance(text, str):
        raise TypeError(f"{what} must be a str, got {type(text).__name__}")
    reason = unencodable_reason(text)
    if reason is not None:
        raise ValueError(f"{what}: {reason}")
    return text


def unencodable_reason(text: str) -> str | None:
    """Why ``text`` cannot be encoded as UTF-8 (for an error record), or ``None`` when it can."""
    at = unencodable_at(text)
    if at is None:
        return None
    return f"character {at} is a lone surrogate (U+{ord(text[at]):04X}), which UTF-8 cannot encode"


def printable(text: str) -> str:
    """``text`` with any unencodable character written as a backslash escape (for reports)."""
    if unencodable_at(text) is None:
        return text
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _encodable(value: str) -> str:
    return require_encodable(value, "text")


#: A pydantic ``str`` field that refuses text UTF-8 cannot encode (a ``value_error``).
EncodableStr = Annotated[str, AfterValidator(_encodable)]
