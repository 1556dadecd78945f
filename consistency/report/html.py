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
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from consistency.findings import (
    FINDING_KINDS,
    NOT_AUDIT_KINDS,
    AuditSummary,
    Evidence,
    Finding,
)
from consistency.report.charts import bar_chart, stacked_chart
from consistency.report.labels import clip_quote, kind_label, tidy_quotes
from consistency.report.navigate import DECISIONS, JS, NAV_CSS

__all__ = ["fold", "highlight", "render_report"]

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


def _days(f: Finding) -> list[str]:
    """The days (``YYYY-MM-DD``) the finding's answers were given."""
    days = {ev.started_at[:10] for ev in (*f.evidence, *f.answers) if ev.started_at}
    if not days and f.first_seen:
        days.add(f.first_seen[:10])
    if f.promise is not None:
        days.add(f.promise.made_at[:10])
    return sorted(days)


def _group_title(f: Finding) -> str:
    """The heading a finding is filed under in its kind's section."""
    if f.kind == "broken_promise":
        if f.topic:
            return f.topic
        if f.promise is not None:
            return f"Promised: {f.promise.kind.replace('_', ' ')}"
        return "Promises"
    return f.entry_id or "No KB entry"


def fold(findings: Sequence[Finding]) -> list[list[Finding]]:
    """Findings of one (kind, entry, fact, values) together, in first-seen order.

    One problem (an answer contradicting one KB value) is raised once per
    conversation; a reader wants it once, with how often and by whom. KB gaps and
    broken promises are each their own problem and are not folded.
    """
    groups: dict[tuple[object, ...], list[Finding]] = {}
    for f in findings:
        if f.kind in ("kb_gap", "broken_promise"):
            key: tuple[object, ...] = (f.kind, f.id or id(f))
        else:
            key = (f.kind, f.entry_id, f.fact_kind, tuple(sorted(f.values)))
        groups.setdefault(key, []).append(f)
    return list(groups.values())


def _review_state(group: Sequence[Finding], reviews: Mapping[str, Any]) -> str:
    """``unreviewed``, a decision, or ``mixed`` when occurrences were judged differently."""
    states = {getattr(reviews.get(f.id), "decision", None) or "unreviewed" for f in group}
    return states.pop() if len(states) == 1 else "mixed"


def _review_block(group: Sequence[Finding], reviews: Mapping[str, Any], served: bool) -> str:
    state = _review_state(group, reviews)
    last = max(
        (reviews[f.id] for f in group if f.id in reviews),
        key=lambda r: str(getattr(r, "decided_at", "")),
        default=None,
    )
    said = ""
    if last is not None:
        note = f": {escape(last.note)}" if getattr(last, "note", "") else ""
        said = f" by {escape(last.reviewer)}{note}"
    label = DECISIONS.get(state, state.replace("_", " "))
    status = f'<span class="review-state">Review: <b>{escape(label)}</b>{said}</span>'
    if not served:
        return f'<div class="review">{status}</div>'
    ids = escape(" ".join(f.id for f in group))
    buttons = "".join(
        f'<button type="button" data-decision="{k}">{escape(v)}</button>'
        for k, v in DECISIONS.items()
        if k in ("confirmed", "false_alarm", "wont_fix")
    )
    return (
        f'<div class="review" data-ids="{ids}">{status} '
        '<input class="reviewer" placeholder="your name" aria-label="Reviewer"> '
        '<input class="note" placeholder="note" aria-label="Note"> '
        f"{buttons}</div>"
    )


def _occurrences(group: Sequence[Finding]) -> str:
    rows = "".join(
        f'<li><a href="#f-{escape(f.id)}" id="f-{escape(f.id)}">{escape(", ".join(f.transcript_ids[:4]))}</a>'
        f" &middot; {escape(', '.join(f.agent_ids[:4]) or '-')} &middot; {escape(', '.join(_days(f)) or '-')}"
        f"<br>{escape(_explanation(f))}</li>"
        for f in group
    )
    return f"<details><summary>All {len(group)} occurrences</summary><ol>{rows}</ol></details>"


def _card(group: Sequence[Finding], reviews: Mapping[str, Any], served: bool) -> str:
    f = group[0]
    agents = sorted({a for g in group for a in g.agent_ids})
    days = sorted({d for g in group for d in _days(g)})
    conversations = sorted({t for g in group for t in g.transcript_ids})
    order = {"high": 3, "medium": 2, "low": 1}
    text = " ".join([_explanation(f), *f.values, *agents, *conversations, f.entry_id or ""])
    attrs = (
        f'data-kind="{escape(f.kind)}" data-entry="{escape(f.entry_id or "")}" '
        f'data-agents="{escape(" ".join(agents))}" data-days="{escape(" ".join(days))}" '
        f'data-review="{escape(_review_state(group, reviews))}" data-count="{len(group)}" '
        f'data-severity="{order.get(f.severity, 0)}" data-first="{escape(days[0] if days else "")}" '
        f'data-text="{escape(text.lower())}"'
    )
    fact = f" &middot; {escape(f.fact_kind.replace('_', ' '))}" if f.fact_kind else ""
    parts = [
        f'<article class="finding {escape(f.severity)}" {attrs}>',
        f"<div>{escape(_explanation(f))}</div>",
        f'<div class="meta">{escape(kind_label(f.kind))}{fact} &middot; {escape(f.severity)} severity'
        f" &middot; <b>{len(group)}</b> occurrence{'s' if len(group) != 1 else ''}"
        f" &middot; {len(conversations)} conversation{'s' if len(conversations) != 1 else ''}"
        f" &middot; agents: {escape(', '.join(agents[:12]) or '-')}{' …' if len(agents) > 12 else ''}"
        f" &middot; days: {escape(', '.join(days[:7]) or '-')}{' …' if len(days) > 7 else ''}</div>",
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
    if len(group) > 1:
        parts.append(_occurrences(group))
    else:
        parts.append(f'<span id="f-{escape(f.id)}"></span>')
    parts.append(_review_block(group, reviews, served))
    parts.append("</article>")
    return "\n".join(parts)


def _per_100(summary: AuditSummary, kinds: Sequence[str]) -> dict[str, float]:
    """Findings counted against each agent per 100 exchanges they handled."""
    out: dict[str, float] = {}
    for agent, counts in summary.agents.items():
        exchanges = counts.get("exchanges", 0)
        if exchanges:
            out[agent] = round(100 * sum(counts.get(k, 0) for k in kinds) / exchanges, 1)
    return dict(sorted(out.items(), key=lambda kv: -kv[1]))


def _agents(summary: AuditSummary, shown: Sequence[str]) -> str:
    kinds = [k for k in shown if k != "kb_gap"]
    head = "".join(f"<th>{escape(kind_label(k))}</th>" for k in kinds)
    rates = _per_100(summary, kinds)
    rows = []
    for agent, counts in sorted(summary.agents.items(), key=lambda kv: -rates.get(kv[0], 0)):
        cells = "".join(f"<td>{counts.get(k, 0)}</td>" for k in kinds)
        total = sum(counts.get(k, 0) for k in kinds)
        rate = rates.get(agent)
        rows.append(
            f"<tr><td>{escape(agent)}</td><td>{counts.get('exchanges', 0)}</td>{cells}"
            f"<td><b>{total}</b></td><td>{'-' if rate is None else rate}</td></tr>"
        )
    return (
        f"<table><tr><th>Agent</th><th>Exchanges</th>{head}<th>Total</th>"
        f"<th>Per 100 exchanges</th></tr>{''.join(rows)}</table>"
    )


def _counts(title: str, counts: dict[str, int], head: str) -> str:
    if not counts:
        return ""
    rows = "".join(
        f"<tr><td>{escape(k if k not in _NONE else 'None')}</td><td>{v}</td></tr>"
        for k, v in counts.items()
    )
    return f"<h3>{escape(title)}</h3><table><tr><th>{escape(head)}</th><th>Findings</th></tr>{rows}</table>"


#: How summaries write "no topic" / "no KB entry".
_NONE = ("-", "", "None")


def _night(label: str) -> str:
    """A run's label as a short night: ``2026-03-30..2026-03-30`` -> ``03-30``."""
    first, _, last = label.partition("..")
    if len(first) == 10 and first[4] == "-" and (not last or last == first):
        return first[5:]
    return label


def _charts(summary: AuditSummary, shown: Sequence[str]) -> str:
    """Findings per night (by kind where the history has it), per agent rate, top entries."""
    out: list[str] = []
    t = summary.trends or {}
    runs = list(t.get("runs") or [])
    if runs:
        short = {r: _night(r) for r in runs}
        by_kind = t.get("by_kind") or {}
        series = (
            {kind_label(k): v for k, v in by_kind.items()}
            if by_kind
            else {"Findings": t.get("totals", {})}
        )
        series = {
            name: {short[r]: n for r, n in s.items() if r in short} for name, s in series.items()
        }
        runs = [short[r] for r in runs]
        title = "Findings per night by kind" if by_kind else "Findings per night"
        out.append(stacked_chart(title, runs, series))
    kinds = [k for k in shown if k != "kb_gap"]
    rates = dict(list(_per_100(summary, kinds).items())[:15])
    out.append(bar_chart("Findings per agent per 100 exchanges", rates, xlabel="per 100 exchanges"))
    top = dict(
        sorted(
            ((k, v) for k, v in summary.by_entry.items() if k not in _NONE), key=lambda kv: -kv[1]
        )[:10]
    )
    out.append(bar_chart("KB entries behind most findings", top, xlabel="findings"))
    drawn = "".join(f'<figure class="chart">{c}</figure>' for c in out if c)
    return f'<div class="charts">{drawn}</div>' if drawn else ""


def _trends(summary: AuditSummary) -> str:
    t = summary.trends
    if not t or not t.get("runs"):
        return ""
    runs = t["runs"]
    head = "".join(f"<th>{escape(r)}</th>" for r in runs)
    out = []
    for key, title in (("by_agent", "Findings per agent"), ("by_topic", "Findings per topic")):
        rows = "".join(
            f"<tr><td>{escape(name)}</td>"
            + "".join(f"<td>{series.get(r, 0)}</td>" for r in runs)
            + "</tr>"
            for name, series in t.get(key, {}).items()
        )
        out.append(f"<h3>{title}</h3><table><tr><th></th>{head}</tr>{rows}</table>")
    return "\n".join(out)


def _precision(summary: AuditSummary) -> str:
    """Reviewed precision per kind, fact kind and KB entry: where the tool is wrong on this data."""
    tables = getattr(summary, "reviewed_precision", None) or {}
    out = []
    for key, title, head, name_of in (
        ("by_kind", "By kind", "Kind", kind_label),
        ("by_fact_kind", "By fact", "Fact", lambda k: k.replace("_", " ")),
        ("by_entry", "By KB entry", "KB entry", str),
    ):
        rows = tables.get(key) or {}
        if not rows:
            continue
        body = "".join(
            f"<tr><td>{escape(name_of(name) if name != 'unknown' else 'Not recorded')}</td>"
            f"<td>{r.get('reviewed', 0)}</td><td>{r.get('confirmed', 0)}</td>"
            f"<td>{r.get('false_alarm', 0)}</td><td>{r.get('wont_fix', 0)}</td>"
            f"<td><b>{round(100 * float(r.get('precision', 0)))}%</b></td></tr>"
            for name, r in rows.items()
        )
        out.append(
            f"<h3>{title}</h3><table><tr><th>{head}</th><th>Reviewed</th><th>Confirmed</th>"
            f"<th>False alarms</th><th>Won't fix</th><th>Right</th></tr>{body}</table>"
        )
    if not out:
        return ""
    return (
        '<section id="precision"><h2>How often the flags were right</h2>'
        "<p class=\"muted\">From reviewers' decisions: confirmed and won't fix count as right, "
        "false alarms as wrong.</p>" + "".join(out) + "</section>"
    )


def _select(name: str, label: str, options: Sequence[tuple[str, str]]) -> str:
    opts = "".join(f'<option value="{escape(v)}">{escape(t)}</option>' for v, t in options)
    return (
        f'<label>{escape(label)} <select id="filter-{name}" data-filter="{name}">'
        f'<option value="">All</option>{opts}</select></label>'
    )


def _toolbar(groups: Sequence[Sequence[Finding]], shown: Sequence[str]) -> str:
    agents = sorted({a for g in groups for f in g for a in f.agent_ids})
    entries = sorted({f.entry_id for g in groups for f in g if f.entry_id})
    days = sorted({d for g in groups for f in g for d in _days(f)})
    return (
        '<form id="toolbar" role="search" onsubmit="return false">'
        '<label>Search <input id="search" type="search" placeholder="words, agents, conversations"></label>'
        + _select("kind", "Kind", [(k, kind_label(k)) for k in shown])
        + _select("agents", "Agent", [(a, a) for a in agents])
        + _select("entry", "KB entry", [(e, e) for e in entries])
        + _select("days", "Day", [(d, d) for d in days])
        + _select("review", "Review", [(k, v) for k, v in DECISIONS.items()])
        + '<label>Sort <select id="sort"><option value="">As found</option>'
        '<option value="count">Most occurrences</option><option value="severity">Severity</option>'
        '<option value="first">Earliest day</option></select></label>'
        '<span id="shown" aria-live="polite"></span></form>'
    )


def render_report(
    findings: Sequence[Finding],
    summary: AuditSummary,
    *,
    title: str = "Consistency audit",
    subtitle: str | None = None,
    kinds: Sequence[str] | None = None,
    cards: Sequence[tuple[str, int]] | None = None,
    agents: bool = True,
    reviews: Mapping[str, Any] | None = None,
    review_url: str | None = None,
) -> str:
    """The whole report as one HTML string: contents, charts, folded findings, agents.

    Args:
        findings: the finished findings, in the order to show them within an entry.
        summary: the counts behind the cards, tables and charts (``trends`` from the history).
        title: the page's heading and ``<title>``.
        subtitle: the line under the heading; by default the conversations' period.
        kinds: the finding kinds that get a section, in this order; by default the audit's.
        cards: the summary cards as ``(label, count)``; by default the audit's.
        agents: whether to end with the per-agent table (meaningless without agents).
        reviews: decisions by finding id (:func:`consistency.review.load_reviews`), shown
            read-only on each card.
        review_url: where the page POSTs a decision; set only when served, it adds the
            review buttons.
    """
    reviews = reviews or {}
    shown = (
        list(kinds) if kinds is not None else [k for k in FINDING_KINDS if k not in NOT_AUDIT_KINDS]
    )
    if cards is None:
        cards = [
            ("Conversations", summary.conversations),
            ("Exchanges", summary.exchanges),
            ("Findings", summary.findings),
            *((kind_label(k), summary.by_kind.get(k, 0)) for k in shown),
            ("Input errors", summary.errors),
        ]
        if getattr(summary, "suppressed", 0):
            cards.append(("Not raised again (judged false alarms)", summary.suppressed))
    if subtitle is None:
        period = " to ".join(p for p in summary.period if p) or "no conversations"
        subtitle = f"Conversations from {period}"
    groups = fold(findings)
    by_kind: dict[str, dict[str, list[list[Finding]]]] = defaultdict(lambda: defaultdict(list))
    for g in groups:
        by_kind[g[0].kind][_group_title(g[0])].append(g)
    contents = ['<li><a href="#overview">Overview</a></li>']
    charts = _charts(summary, shown)
    if charts:
        contents.append('<li><a href="#charts">Charts</a></li>')
    sections = []
    for kind in shown:
        kgroups = by_kind.get(kind) or {}
        n = sum(len(v) for v in kgroups.values())
        heading = _TITLES.get(kind) or kind_label(kind)
        contents.append(
            f'<li><a href="#k-{escape(kind)}">{escape(heading)}</a> '
            f'<span class="muted">({n})</span></li>'
        )
        sec = [
            f'<section class="kind" id="k-{escape(kind)}" data-kind="{escape(kind)}" '
            f'data-title="{escape(heading)}"><h2>{escape(heading)} ({n})</h2>'
        ]
        if not kgroups:
            sec.append('<p class="muted">None found.</p>')
        for name in sorted(kgroups):
            sec.append(f'<div class="group"><h3>{escape(name)}</h3>')
            sec.extend(_card(g, reviews, review_url is not None) for g in kgroups[name])
            sec.append("</div>")
        sec.append("</section>")
        sections.append("".join(sec))
    precision = _precision(summary)
    if precision:
        contents.append('<li><a href="#precision">How often the flags were right</a></li>')
    if agents:
        contents.append('<li><a href="#agents">Agents</a></li>')
    body = [
        f"<h1>{escape(title)}</h1>",
        f'<div class="meta">{escape(subtitle)}</div>',
        '<section id="overview"><div class="cards">'
        + "".join(f'<div class="card"><b>{v}</b>{escape(k)}</div>' for k, v in cards)
        + "</div>",
        f'<nav id="contents"><h2>Contents</h2><ol>{"".join(contents)}</ol></nav></section>',
    ]
    if charts:
        body.append(f'<section id="charts"><h2>Charts</h2>{charts}')
        body.append("<details><summary>The numbers behind the charts</summary>")
        body.append(_counts("Findings by topic", summary.by_topic, "Topic"))
        body.append(_counts("Findings by KB entry", summary.by_entry, "KB entry"))
        body.append(_trends(summary))
        body.append("</details></section>")
    body.append(_toolbar(groups, shown))
    body.extend(sections)
    if precision:
        body.append(precision)
    if agents:
        body.append('<section id="agents"><h2>Agents</h2>')
        body.append(_agents(summary, shown))
        body.append("</section>")
    data = f' data-review-url="{escape(review_url)}"' if review_url else ""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_CSS}{NAV_CSS}</style></head>"
        f"<body{data}><main>{''.join(body)}</main><script>{JS}</script></body></html>\n"
    )
