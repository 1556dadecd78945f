"""``broken-url`` / ``broken-email`` (error): a link or an address that cannot work.

Syntax only, no network: a scheme or host that cannot be, a space inside, a
mailbox or domain no mail system accepts.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from consistency.kb.knowledge_base import KnowledgeBase
from consistency.lint.common import answer_span, cut, make_issue, version_label
from consistency.lint.models import LintIssue, shipped
from consistency.lint.registry import LintCheck, LintContext
from consistency.models import Span

__all__ = ["CHECK", "check"]


_URL_START = re.compile(
    r"(?<![\w@./-])(?:[a-z][a-z0-9+.-]*:/+|[a-z][a-z0-9+.-]*//|h?t?tps?:|www\.)\S*", re.IGNORECASE
)
_TRAILING = ".,;:!?)]}'\"’”"
_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$", re.IGNORECASE)
_TLD = re.compile(r"^[a-z]{2,24}$", re.IGNORECASE)
_SPACED_ON = re.compile(r"\s+[./][\w-]")
_MAIL_TOKEN = re.compile(r"[^\s<>()\[\]\"',;]*@[^\s<>()\[\]\"',;]*")
_MAIL_SPACED = re.compile(r"[\w.+-]+(?:\s+@\s+|@\s+)[\w-]+(?:\.[\w-]+)+")
_LOCAL = re.compile(r"^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$", re.I)


def _host_problem(host: str) -> str | None:
    if not host:
        return "has no host"
    if "." not in host:
        return f"host {host!r} has no dot"
    if "." not in host.removeprefix("www."):
        return f"host {host!r} has no domain after 'www.'"
    labels = host.split(".")
    if not all(_LABEL.match(label) for label in labels):
        return f"host {host!r} is not a valid domain name"
    if not _TLD.match(labels[-1]):
        return f"host {host!r} does not end in a top-level domain"
    return None


def _url_problem(raw: str) -> str | None:
    """Why ``raw`` cannot be a working web link, or ``None``."""
    if raw.lower().startswith("www."):
        raw = "https://" + raw
    m = re.match(r"^([a-z][a-z0-9+.-]*)(:?)(/*)", raw, re.IGNORECASE)
    if m is None:
        return "is not a web address"
    scheme, colon, slashes = m.group(1).lower(), m.group(2), m.group(3)
    if scheme not in ("http", "https"):
        return f"scheme {scheme!r} is not http or https"
    if not colon or slashes != "//":
        return f"should start {scheme}://"
    try:
        parts = urlsplit(raw)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError as exc:
        return f"cannot be parsed ({exc})"
    if "@" in parts.netloc:
        return "has '@' in its host"
    return _host_problem(host)


def _email_problem(raw: str) -> str | None:
    if raw.count("@") != 1:
        return "must have exactly one '@'"
    local, domain = raw.split("@")
    if not local or not _LOCAL.match(local):
        return f"mailbox {local!r} is not valid"
    return _host_problem(domain.lower())


def _broken_links(kb: KnowledgeBase) -> list[LintIssue]:
    issues = []
    for entry in kb.entries:
        versioned = len(kb.versions(entry.id)) > 1
        text = entry.answer
        for m in _URL_START.finditer(text):
            raw = m.group().rstrip(_TRAILING)
            start, end = m.start(), m.start() + len(raw)
            problem = _url_problem(raw)
            spaced = _SPACED_ON.match(text, end)
            if problem is None and spaced is not None:
                problem = "is broken by a space"
            if problem is None:
                continue
            if spaced is not None:
                tail = re.match(r"\s+\S*", text[end:])
                end += len(tail.group().rstrip(_TRAILING)) if tail else 0
            span = answer_span(entry, (start, end), versioned=versioned)
            issues.append(
                make_issue(
                    "broken-url",
                    [span],
                    f"{version_label(kb, entry)}: link {cut(span.text)!r} {problem}.",
                    kb,
                    (entry,),
                )
            )
        taken: list[Span] = []
        for m in _MAIL_SPACED.finditer(text):
            span = answer_span(entry, (m.start(), m.end()), versioned=versioned)
            taken.append((m.start(), m.end()))
            issues.append(
                make_issue(
                    "broken-email",
                    [span],
                    f"{version_label(kb, entry)}: address {cut(span.text)!r} has a space in it.",
                    kb,
                    (entry,),
                )
            )
        for m in _MAIL_TOKEN.finditer(text):
            raw = m.group().rstrip(_TRAILING)
            start, end = m.start(), m.start() + len(raw)
            if raw.lower().startswith("mailto:"):
                raw, start = raw[7:], start + 7
            if any(a < end and start < b for a, b in taken):
                continue
            if raw.startswith("@") and raw.count("@") == 1 and "." not in raw:
                continue  # a social handle, "@VoltstreamHelp"
            if "://" in raw:
                continue  # a URL with credentials is the URL check's business
            problem = _email_problem(raw)
            if problem is None:
                continue
            span = answer_span(entry, (start, end), versioned=versioned)
            issues.append(
                make_issue(
                    "broken-email",
                    [span],
                    f"{version_label(kb, entry)}: address {cut(raw)!r} {problem}.",
                    kb,
                    (entry,),
                )
            )
    return issues


def check(ctx: LintContext) -> list[LintIssue]:
    """The ``broken-links`` check, as the registry calls it."""
    return _broken_links(ctx.kb)


CHECK = LintCheck(
    "broken-links",
    shipped("broken-url", "broken-email"),
    check,
)
