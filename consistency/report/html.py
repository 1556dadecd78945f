"""The audit's HTML report: one self-contained file, rendered from finding records.

The page is built from :class:`~consistency.audit.models.Finding` and
:class:`~consistency.audit.models.AuditSummary` only; nothing is recomputed
here. Every piece of transcript or KB text goes through :func:`html.escape`
(customers type ``<script>`` too), and the differing span is wrapped in
``<mark>`` by its offsets into the snippet, after escaping each part. Finding
kinds are shown in plain words (:data:`~consistency.report.labels.KIND_LABELS`)
and quotes are cut at word boundaries (:func:`~consistency.report.labels.clip_quote`).
CSS is inline; no script, font or stylesheet is fetched, so the file opens
offline and can be mailed as is.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from html import escape

from consistency.findings import (
    FINDING_KINDS,
    NOT_AUDIT_KINDS,
    AuditSummary,
    Evidence,
    Finding,
)
from consistency.report.labels import clip_quote, kind_label, tidy_quotes

__all__ = ["highlight", "render_report"]

_TITLES = {
    "kb_contradiction": "Contradictions of the knowledge base",
    "agent_disagreement": "Agents disagreeing with each other",
    "repeat_contact_conflict": "Customers told different things on different calls",
    "kb_gap": "Questions the knowledge base does not answer",
    "macro_contradiction": "Canned responses contradicting the knowledge base",
    "broken_promise": "Broken promises",
}

_CSS = """
body{
  font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;
  margin:0;
  color:#1d232a;
  background:#f6f7f9;
}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}
h2{font-size:18px;margin:32px 0 8px;border-bottom:2px solid #d5dae1;padding-bottom:4px}
h3{font-size:15px;margin:20px 0 6px;color:#374151}
.cards{display:flex;flex-wrap:wrap;gap:10px;margin:12px 0}
.card{
  background:#fff;
  border:1px solid #d5dae1;
  border-radius:6px;
  padding:8px 14px;
  min-width:110px;
}
.card b{display:block;font-size:20px}
table{border-collapse:collapse;background:#fff;margin:6px 0 12px;font-size:13px}
th,td{border:1px solid #d5dae1;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#eef1f5}
.finding{
  background:#fff;
  border:1px solid #d5dae1;
  border-left:4px solid #9aa5b1;
  border-radius:6px;
  padding:10px 14px;
  margin:10px 0;
}
.finding.high{border-left-color:#c62828}
.finding.medium{border-left-color:#ef8f00}
.finding.low{border-left-color:#1e88e5}
.meta{color:#5b6573;font-size:12px}
.quote{background:#f3f5f8;border-radius:4px;padding:4px 8px;margin:4px 0;white-space:pre-wrap}
mark{background:#ffe08a;padding:0 2px;border-radius:2px}
.kb mark{background:#b9f6ca}
.muted{color:#7b8491}
"""


def highlight(snippet: str, span: Sequence[int] | None) -> str:
    """``snippet`` HTML-escaped with ``snippet[start:end]`` in ``<mark>``."""
    if not span or not (0 <= span[0] <= span[1] <= len(snippet)):
        return escape(snippet)
    s, e = span[0], span[1]
    return f"{escape(snippet[:s])}<mark>{escape(snippet[s:e])}</mark>{escape(snippet[e:])}"


def _quote(snippet: str, span: Sequence[int] | None, *, whole: bool) -> str:
    """A snippet cut at word boundaries, "…" where it was cut, the span in ``<mark>``."""
    text, inner, before, after = clip_quote(snippet, span, whole=whole)
    return f"{'…' if before else ''}{highlight(text, inner)}{'…' if after else ''}"


def _evidence(ev: Evidence, *, macro_id: str | None = None) -> str:
    if ev.source == "kb":
        where = f"KB entry {escape(ev.entry_id or '')}"
        cls = "quote kb"
    elif ev.source == "question":
        customer = escape(ev.customer_id or "-")
        where = f"{escape(ev.transcript_id or '')}, turn {ev.turn}, customer {customer}"
        cls = "quote"
    elif macro_id is not None and ev.transcript_id is None:
        where, cls = f"macro {escape(macro_id)}", "quote"
    else:
        where = (
            f"{escape(ev.transcript_id or '')}, turn {ev.turn}, agent {escape(ev.agent_id or '-')}"
            f", {escape((ev.started_at or '')[:10])}"
        )
        cls = "quote"
    if ev.snippet:
        body = _quote(ev.snippet, ev.snippet_span, whole=ev.snippet == ev.text)
    else:
        body = f"<mark>{escape(ev.text)}</mark>" if ev.source != "question" else escape(ev.text)
    value = f" &rarr; <b>{escape(ev.display or ev.value)}</b>" if (ev.display or ev.value) else ""
    return f'<div class="{cls}"><span class="meta">{where}{value}</span><br>{body}</div>'


def _time(iso: str) -> str:
    """``2026-03-30T12:03:41+00:00`` -> ``2026-03-30 12:03 UTC`` (else its offset)."""
    try:
        moment = dt.datetime.fromisoformat(iso)
    except ValueError:
        return iso
    offset = moment.strftime("%z")
    zone = "UTC" if offset in ("+0000", "") else f"{offset[:3]}:{offset[3:]}"
    return f"{moment:%Y-%m-%d %H:%M} {zone}"


def _promise(f: Finding) -> str:
    """broken_promise: what was promised, when it was due, and what shows it broken."""
    p = f.promise
    if p is None:
        return ""
    due = escape(_time(p.due) if p.due else "no due time")
    said = f" <span class=muted>(&ldquo;{escape(p.due_text)}&rdquo;)</span>" if p.due_text else ""
    made_in = escape(f.transcript_ids[0]) if f.transcript_ids else "-"
    rows = [
        ("promised", escape(p.kind.replace("_", " "))),
        ("made", f"{escape(_time(p.made_at))} in {made_in}"),
        ("due", f"{due}{said}"),
    ]
    if p.chased_at:
        chased_in = escape(f.transcript_ids[-1]) if len(f.transcript_ids) > 1 else "-"
        rows.append(("chased", f"{escape(_time(p.chased_at))} in {chased_in}"))
    if p.fulfilled_at:
        rows.append(("done", f"{escape(_time(p.fulfilled_at))} (fulfilment file)"))
    elif p.reason == "not_kept":
        rows.append(("done", "never (fulfilment file)"))
    cells = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows)
    return f"<table>{cells}</table>"


def _distribution(f: Finding) -> str:
    if not f.distribution:
        return ""
    rows = "".join(
        f"<tr><td>{escape(v.value)}{' <span class=muted>(KB)</span>' if v.kb else ''}</td>"
        f"<td>{v.answers}</td><td>{v.agents}</td><td>{escape(', '.join(v.agent_ids))}</td></tr>"
        for v in f.distribution
    )
    return (
        "<table><tr><th>value</th><th>answers</th><th>agents</th><th>agent ids</th></tr>"
        f"{rows}</table>"
    )


def _explanation(f: Finding) -> str:
    """The finding's explanation, its shortened quotes cut at a word."""
    sources = [*f.questions, *(ev.text for ev in f.evidence), *(ev.text for ev in f.answers)]
    return tidy_quotes(f.explanation, sources)


def _finding(f: Finding) -> str:
    parts = [
        f'<div class="finding {escape(f.severity)}" id="f-{escape(f.id)}">',
        f"<div>{escape(_explanation(f))}</div>",
        '<div class="meta">',
        f"{escape(kind_label(f.kind))} &middot; {escape(f.fact_kind or 'no fact kind')} &middot; "
        f"severity {escape(f.severity)} &middot; conversations: "
        f"{escape(', '.join(f.transcript_ids[:12]))}{' …' if len(f.transcript_ids) > 12 else ''}"
        f" &middot; agents: {escape(', '.join(f.agent_ids[:12]) or '-')}"
        f" &middot; id {escape(f.id)}",
        "</div>",
    ]
    if f.values and f.kind != "kb_gap":
        parts.append(f"<div>Values: <b>{escape(' / '.join(f.values))}</b></div>")
    parts.append(_distribution(f))
    parts.append(_promise(f))
    if f.kind == "kb_gap":
        parts.append(f"<div>{f.volume} questions. Examples:</div>")
        parts.extend(f'<div class="quote">{escape(q)}</div>' for q in f.questions)
        if f.answers:
            parts.append("<div>What agents answered:</div>")
            parts.extend(_evidence(a) for a in f.answers)
    else:
        parts.extend(_evidence(ev, macro_id=f.macro_id) for ev in f.evidence)
    parts.append("</div>")
    return "\n".join(parts)


def _agents(summary: AuditSummary, shown: Sequence[str]) -> str:
    kinds = [k for k in shown if k != "kb_gap"]
    head = "".join(f"<th>{escape(kind_label(k))}</th>" for k in kinds)
    rows = []
    for agent, counts in summary.agents.items():
        cells = "".join(f"<td>{counts.get(k, 0)}</td>" for k in kinds)
        total = sum(counts.get(k, 0) for k in kinds)
        rows.append(
            f"<tr><td>{escape(agent)}</td><td>{counts.get('exchanges', 0)}</td>{cells}"
            f"<td><b>{total}</b></td></tr>"
        )
    return (
        f"<table><tr><th>agent</th><th>exchanges</th>{head}<th>total</th></tr>"
        f"{''.join(rows)}</table>"
    )


def _counts(title: str, counts: dict[str, int]) -> str:
    if not counts:
        return ""
    rows = "".join(f"<tr><td>{escape(k)}</td><td>{v}</td></tr>" for k, v in counts.items())
    return f"<h3>{escape(title)}</h3><table>{rows}</table>"


def _trends(summary: AuditSummary) -> str:
    t = summary.trends
    if not t or not t.get("runs"):
        return ""
    runs = t["runs"]
    head = "".join(f"<th>{escape(r)}</th>" for r in runs)
    out = ["<h2>Trends (last runs)</h2>"]
    for key, title in (("by_agent", "Findings per agent"), ("by_topic", "Findings per topic")):
        rows = "".join(
            f"<tr><td>{escape(name)}</td>"
            + "".join(f"<td>{series.get(r, 0)}</td>" for r in runs)
            + "</tr>"
            for name, series in t.get(key, {}).items()
        )
        out.append(f"<h3>{title}</h3><table><tr><th></th>{head}</tr>{rows}</table>")
    return "\n".join(out)


def render_report(
    findings: Sequence[Finding],
    summary: AuditSummary,
    *,
    title: str = "Consistency audit",
    subtitle: str | None = None,
    kinds: Sequence[str] | None = None,
    cards: Sequence[tuple[str, int]] | None = None,
    agents: bool = True,
) -> str:
    """The whole report as one HTML string: summary, findings by kind and entry, agents.

    Args:
        findings: the finished findings, in the order to show them within an entry.
        summary: the counts behind the cards and tables.
        title: the page's heading and ``<title>``.
        subtitle: the line under the heading; by default the conversations' period.
        kinds: the finding kinds that get a section (and a card, and an agents
            column), in this order; by default the audit's kinds.
        cards: the summary cards as ``(label, count)``; by default the audit's.
        agents: whether to end with the per-agent table (meaningless without agents).
    """
    shown = (
        list(kinds) if kinds is not None else [k for k in FINDING_KINDS if k not in NOT_AUDIT_KINDS]
    )
    if cards is None:
        cards = [
            ("conversations", summary.conversations),
            ("exchanges", summary.exchanges),
            ("findings", summary.findings),
            *((kind_label(k), summary.by_kind.get(k, 0)) for k in shown),
            ("input errors", summary.errors),
        ]
    if subtitle is None:
        period = " to ".join(p for p in summary.period if p) or "no conversations"
        subtitle = f"Conversations from {period}"
    body = [
        f"<h1>{escape(title)}</h1>",
        f'<div class="meta">{escape(subtitle)}</div>',
        '<div class="cards">'
        + "".join(f'<div class="card"><b>{v}</b>{escape(k)}</div>' for k, v in cards)
        + "</div>",
        _counts("Findings by topic", summary.by_topic),
        _counts("Findings by KB entry", summary.by_entry),
        _trends(summary),
    ]
    by_kind: dict[str, dict[str, list[Finding]]] = defaultdict(lambda: defaultdict(list))
    for f in findings:
        by_kind[f.kind][f.entry_id or "(no KB entry)"].append(f)
    for kind in shown:
        groups = by_kind.get(kind)
        body.append(
            f"<h2>{escape(_TITLES.get(kind) or kind_label(kind))} ({sum(len(v) for v in (groups or {}).values())})</h2>"
        )
        if not groups:
            body.append('<p class="muted">None found.</p>')
            continue
        for entry in sorted(groups):
            body.append(f"<h3>{escape(entry)}</h3>")
            body.extend(_finding(f) for f in groups[entry])
    if agents:
        body.append("<h2>Agents</h2>")
        body.append(_agents(summary, shown))
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_CSS}</style></head>"
        f"<body><main>{''.join(body)}</main></body></html>\n"
    )
