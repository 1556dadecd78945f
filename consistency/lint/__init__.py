"""KB health: what makes a KB give two answers to one question (``consistency kb lint``).

A KB that loads can still mislead. Two entries may state different values for
one fact (two numbers for the fraud line); a phrasing may lead the matcher to
another entry; two entries may say the same thing; an entry may have expired
with nothing after it; an answer may hold nothing the checker can verify; a
link or an address may be mistyped. :func:`lint` finds each of these and
returns records, like pydantic's errors: a stable ``code``, the entries, fields
and spans involved and a sentence for people. Nothing here prints.

Each check is a module of this package, registered in :data:`default_checks`
(name -> check, like the fact extractors); :func:`register_check` adds one.
The lint sits above the checker: it reads the KB with the facts, compare and
match stages; ``consistency.kb`` only loads, validates and versions.

Codes, each with one fixed severity (:data:`SEVERITIES`):

* ``conflicting-facts`` (error): two entries valid at the same time give
  different values of one kind for what is clearly the same thing.
* ``broken-url`` / ``broken-email`` (error): a link or address that cannot work
  (syntax only, no network).
* ``ambiguous-question`` (warning): held out of its entry, a phrasing is matched
  to another entry by a clear margin.
* ``duplicate-question`` (warning): one phrasing (after ``match_key``) in two entries.
* ``near-duplicate-answer`` (warning): two answers whose embeddings almost coincide.
* ``version-gap`` (warning): days between two versions of one id that no version covers.
* ``expired-entry`` (warning): the last version of an id ended before ``today``.
* ``no-checkable-fact`` (info): the answer has no fact the checker can compare, so
  every answer matched to it is ``unverified``.

Example:
    >>> from consistency.kb import KnowledgeBase
    >>> kb = KnowledgeBase.from_entries([
    ...     {"id": "help", "questions": ["Where is help?"],
    ...      "answer": "See https://www.example/help for help."},
    ... ])
    >>> report = lint(kb, checks=["broken-url"])
    >>> [(i.code, i.spans[0].text) for i in report.issues]
    [('broken-url', 'https://www.example/help')]
"""

from consistency.lint import (
    ambiguity,
    checkable,
    conflicting_facts,
    duplicates,
    links,
    near_duplicates,
    versions,
)
from consistency.lint.common import answer_span, cut, cut_left, make_issue, version_label, where
from consistency.lint.models import (
    AMBIGUITY_MARGIN,
    DUPLICATE_COSINE,
    LINT_CODES,
    MATCHER_CODES,
    SEVERITIES,
    LintCode,
    LintIssue,
    LintReport,
    LintSpan,
    Severity,
)
from consistency.lint.registry import (
    LintCheck,
    LintContext,
    LintRegistry,
    default_checks,
    register_check,
)
from consistency.lint.run import lint

# The shipped checks, registered in the order of their codes (LINT_CODES).
for _module in (
    conflicting_facts,
    links,
    ambiguity,
    duplicates,
    near_duplicates,
    versions,
    checkable,
):
    default_checks.register(_module.CHECK)

__all__ = [
    "AMBIGUITY_MARGIN",
    "DUPLICATE_COSINE",
    "LINT_CODES",
    "MATCHER_CODES",
    "SEVERITIES",
    "LintCheck",
    "LintCode",
    "LintContext",
    "LintIssue",
    "LintRegistry",
    "LintReport",
    "LintSpan",
    "Severity",
    "answer_span",
    "cut",
    "cut_left",
    "default_checks",
    "lint",
    "make_issue",
    "register_check",
    "version_label",
    "where",
]
