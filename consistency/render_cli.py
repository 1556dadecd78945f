"""Rich renderings of verdicts and KB problems for the terminal (render only, never decide)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from consistency.kb.errors import KBProblem
from consistency.models import Span, Verdict

__all__ = ["STATUS_STYLE", "highlight", "render_problems", "render_verdict"]

STATUS_STYLE = {
    "consistent": "bold green",
    "contradiction": "bold red",
    "no_match": "bold yellow",
    "unverified": "bold yellow",
}


def highlight(text: str, spans: Sequence[Span | None], style: str = "bold reverse red") -> Text:
    """``text`` with each span styled; overlapping or empty spans are harmless."""
    rendered = Text(text)
    for span in spans:
        if span is not None and span[1] > span[0]:
            rendered.stylize(style, span[0], span[1])
    return rendered


def render_verdict(verdict: Verdict, answer: str) -> Group:
    head = Text.assemble(
        ("Verdict: ", "bold"), (verdict.status, STATUS_STYLE.get(verdict.status, "bold"))
    )
    if verdict.entry_id:
        head.append(f"   entry {verdict.entry_id}  (match {verdict.score:.2f})")
    parts: list[object] = [head, Text(verdict.explanation)]
    if verdict.canonical_answer is not None:
        kb_spans = [c.kb_span for c in verdict.conflicts]
        parts.append(Panel(highlight(verdict.canonical_answer, kb_spans), title="KB answer"))
        answer_spans = [c.answer_span for c in verdict.conflicts]
        parts.append(Panel(highlight(answer, answer_spans), title="Answer"))
    if verdict.conflicts:
        table = Table(title="Conflicts", show_lines=False)
        for column in ("kind", "answer says", "KB says", "answer span", "KB span"):
            table.add_column(column)
        for c in verdict.conflicts:
            table.add_row(
                c.kind,
                f"{c.answer_value} ({c.answer_text!r})",
                f"{c.kb_value} ({c.kb_text!r})",
                str(list(c.answer_span)) if c.answer_span else "-",
                str(list(c.kb_span)) if c.kb_span else "-",
            )
        parts.append(table)
    elif verdict.status == "no_match" and verdict.matches:
        table = Table(title="Nearest entries")
        for column in ("entry", "score", "embedding", "fuzzy", "phrasing"):
            table.add_column(column)
        for m in verdict.matches[:3]:
            table.add_row(
                m.entry_id,
                f"{m.score:.2f}",
                "-" if m.embedding_score is None else f"{m.embedding_score:.2f}",
                f"{m.fuzzy_score:.2f}",
                m.matched_question,
            )
        parts.append(table)
    return Group(*parts)  # type: ignore[arg-type]


def render_problems(problems: Sequence[KBProblem]) -> Text:
    n = len(problems)
    text = Text(f"{n} problem{'s' if n != 1 else ''} in the knowledge base\n", style="bold red")
    for problem in problems:
        text.append(problem.render() + "\n")
    return text
