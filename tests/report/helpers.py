"""Hand-made findings for the report's and exports' unit tests (no model needed)."""

from __future__ import annotations

from html.parser import HTMLParser

from consistency.audit.models import AuditSummary, Evidence, Finding, PromiseDetail


def visible_text(html: str) -> str:
    """What a reader sees of a page: its text outside ``<style>`` and ``<script>``."""

    class _Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.hidden = 0
            self.parts: list[str] = []

        def handle_starttag(self, tag: str, attrs: object) -> None:
            if tag in ("style", "script"):
                self.hidden += 1

        def handle_endtag(self, tag: str) -> None:
            if tag in ("style", "script"):
                self.hidden -= 1

        def handle_data(self, data: str) -> None:
            if not self.hidden:
                self.parts.append(data)

    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts)


#: An agent's answer and the KB's, long enough that the audit's 70 characters of
#: context either side of the value fall inside words.
ANSWER = (
    "Thanks for waiting, I have checked the order history and it is actually ready "
    "for collection: the store keeps it for 14 days before it is sent back to the "
    "warehouse for a full refund to your original payment card, which takes five working days."
)
KB_ANSWER = (
    "Click and collect is free and your order is usually ready within 2 hours at over "
    "400 partner stores. We hold it for 7 days, then return it and refund you."
)


def snippet_around(text: str, value: str, margin: int = 70) -> tuple[str, tuple[int, int]]:
    """As the audit cuts a snippet: ``margin`` characters either side, wherever they fall."""
    s = text.index(value)
    e = s + len(value)
    lo, hi = max(0, s - margin), min(len(text), e + margin)
    return text[lo:hi], (s - lo, e - lo)


def contradiction(**changes: object) -> Finding:
    snippet, span = snippet_around(ANSWER, "14 days")
    kb_snippet, kb_span = snippet_around(KB_ANSWER, "7 days")
    finding = Finding(
        kind="kb_contradiction",
        transcript_ids=("chat-1",),
        agent_ids=("a1",),
        customer_ids=("c1",),
        entry_id="click-and-collect",
        fact_kind="duration",
        values=("14 days", "7 days"),
        evidence=(
            Evidence(
                transcript_id="chat-1",
                turn=3,
                span=(ANSWER.index("14 days"), ANSWER.index("14 days") + 7),
                text="14 days",
                value="14 day",
                display="14 days",
                agent_id="a1",
                customer_id="c1",
                started_at="2026-03-30T10:11:52+00:00",
                entry_id="click-and-collect",
                snippet=snippet,
                snippet_span=span,
            ),
            Evidence(
                transcript_id=None,
                turn=None,
                span=(KB_ANSWER.index("7 days"), KB_ANSWER.index("7 days") + 6),
                text="7 days",
                value="7 day",
                display="7 days",
                source="kb",
                entry_id="click-and-collect",
                snippet=kb_snippet,
                snippet_span=kb_span,
            ),
        ),
        explanation="Agent a1 said 14 days; the KB (click-and-collect) says 7 days.",
        severity="high",
        topic="Orders",
        kb_value="7 days",
        questions=("How long will you keep my click and collect order?",),
        volume=1,
        first_seen="2026-03-30T10:11:52+00:00",
        last_seen="2026-03-30T10:11:52+00:00",
    )
    return finding.model_copy(update=changes).with_id()


def broken_promise() -> Finding:
    said = "i'll call you back tomorrow before five"
    return Finding(
        kind="broken_promise",
        transcript_ids=("call-1", "chat-2"),
        agent_ids=("a2",),
        customer_ids=("c2",),
        entry_id=None,
        fact_kind="promise",
        values=("callback due 2026-03-31T17:00+01:00", "chased 2026-04-01"),
        evidence=(
            Evidence(
                transcript_id="call-1",
                turn=5,
                span=(0, len(said)),
                text=said,
                value="callback due 2026-03-31T17:00+01:00",
                agent_id="a2",
                customer_id="c2",
                started_at="2026-03-30T12:03:23+00:00",
                snippet=said,
                snippet_span=(0, len(said)),
            ),
        ),
        explanation=f'Agent a2 promised a callback on 2026-03-30 (call-1: "{said}").',
        promise=PromiseDetail(
            kind="callback",
            made_at="2026-03-30T12:03:23+00:00",
            due="2026-03-31T17:00+01:00",
            due_text="tomorrow before five",
            reason="chased",
            chased_at="2026-04-01T17:12:29+00:00",
        ),
    ).with_id()


def gap() -> Finding:
    question = (
        "hello there I wanted to ask whether you take old electricals back for recycling "
        "because my council says that the shop that sold them has to take them back"
    )
    return Finding(
        kind="kb_gap",
        transcript_ids=("call-3",),
        agent_ids=("a3",),
        customer_ids=("c3",),
        entry_id=None,
        fact_kind=None,
        values=(),
        evidence=(
            Evidence(
                transcript_id="call-3",
                turn=1,
                span=None,
                text=question,
                value="",
                source="question",
                customer_id="c3",
                started_at="2026-04-01T09:00:00+00:00",
            ),
        ),
        answers=(
            Evidence(
                transcript_id="call-3",
                turn=2,
                span=(0, 30),
                text="yes we take them back for free",
                value="",
                agent_id="a3",
                started_at="2026-04-01T09:00:00+00:00",
                snippet="yes we take them back for free",
            ),
        ),
        questions=(question,),
        # as the audit words it: the question cut at 120 characters, wherever that falls
        explanation=(
            "1 customer questions in 1 conversations match no KB entry (nearest: recycling), "
            f'e.g. "{question[:120]}". Agents answered them without a canonical answer.'
        ),
        volume=1,
        severity="low",
    ).with_id()


def summary_of(findings: list[Finding]) -> AuditSummary:
    by_kind: dict[str, int] = {}
    agents: dict[str, dict[str, int]] = {}
    for f in findings:
        by_kind[f.kind] = by_kind.get(f.kind, 0) + 1
        for agent in f.flagged_agents():
            counts = agents.setdefault(agent, {"exchanges": 1})
            counts[f.kind] = counts.get(f.kind, 0) + 1
    return AuditSummary(
        conversations=3,
        exchanges=3,
        findings=len(findings),
        by_kind=by_kind,
        agents=agents,
        period=("2026-03-30", "2026-04-01"),
    )
