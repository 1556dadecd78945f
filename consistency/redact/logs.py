"""A logging filter that masks personal data in every record it sees.

Attached to a logger (the server's, uvicorn's), it rewrites each record before
any handler formats it: the message with its arguments filled in, and the
traceback text, since an exception message may quote what a customer wrote.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from consistency.redact.redactor import Redactor

__all__ = ["RedactingFilter"]

_FORMATTER = logging.Formatter()


class RedactingFilter(logging.Filter):
    """Mask personal data in log records; never drops a record.

    Args:
        redactor: a :class:`Redactor`, or a callable returning the current one
            (the server's KB can be reloaded, and with it what stays visible).
    """

    def __init__(self, redactor: Redactor | Callable[[], Redactor]) -> None:
        super().__init__()
        self._redactor = redactor

    @property
    def redactor(self) -> Redactor:
        r = self._redactor
        return r if isinstance(r, Redactor) else r()

    def filter(self, record: logging.LogRecord) -> bool:
        redactor = self.redactor
        record.msg = redactor.redact_text(record.getMessage())
        record.args = None
        if record.exc_info:
            record.exc_text = redactor.redact_text(_FORMATTER.formatException(record.exc_info))
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = redactor.redact_text(record.exc_text)
        if record.stack_info:
            record.stack_info = redactor.redact_text(record.stack_info)
        return True
