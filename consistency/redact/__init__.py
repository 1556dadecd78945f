"""Mask customers' personal data in every output, keeping the KB's own facts visible.

``Redactor(kb)`` finds card numbers (Luhn-checked, typed or read out, whole or
in pieces), phone numbers and emails the KB does not state, UK postcodes,
street addresses, sort codes, account numbers, IBANs (mod-97), NHS numbers
(mod-11), National Insurance and passport numbers, dates of birth, names people
give, and customer ids that are bare names, and masks them with
same-length placeholders (``[CARD████…]``), so spans stay valid. The audit
(``audit(..., redact_pii=True)``, ``consistency audit --redact-pii``) and the
server (``create_app(..., redact_pii=True)``, ``consistency serve
--redact-pii``) use it; :func:`redact_outputs` redacts files other commands wrote.
"""

from __future__ import annotations

from consistency.redact.detectors import (
    Detector,
    default_detectors,
    iban_valid,
    luhn_valid,
    nhs_valid,
)
from consistency.redact.logs import RedactingFilter
from consistency.redact.outputs import redact_file, redact_outputs
from consistency.redact.redactor import Redactor, RedactorUsageError
from consistency.redact.spans import MASK_CHAR, PII_KINDS, PIISpan, RedactedText, mask

__all__ = [
    "MASK_CHAR",
    "PII_KINDS",
    "Detector",
    "PIISpan",
    "RedactedText",
    "RedactingFilter",
    "Redactor",
    "RedactorUsageError",
    "default_detectors",
    "iban_valid",
    "luhn_valid",
    "mask",
    "nhs_valid",
    "redact_file",
    "redact_outputs",
]
