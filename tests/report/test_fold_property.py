"""Folding never loses or duplicates a finding, whatever the mix (Hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from consistency.report import render_report
from consistency.report.html import fold
from tests.report.helpers import broken_promise, contradiction, gap, summary_of

_one = st.one_of(
    st.builds(
        lambda i, agent, entry, value: contradiction(
            transcript_ids=(f"chat-{i}",),
            agent_ids=(agent,),
            entry_id=entry,
            values=(value, "7 days"),
        ),
        st.integers(0, 30),
        st.sampled_from(["a1", "a2", "<a3>"]),
        st.sampled_from(["e1", "e2", "e&3"]),
        st.sampled_from(["14 days", "21 days"]),
    ),
    st.integers(0, 30).map(
        lambda i: broken_promise().model_copy(update={"transcript_ids": (f"c-{i}",)}).with_id()
    ),
    st.integers(0, 30).map(
        lambda i: gap().model_copy(update={"transcript_ids": (f"g-{i}",)}).with_id()
    ),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_one, max_size=25))
def test_every_finding_is_in_exactly_one_card(findings) -> None:
    groups = fold(findings)
    assert sorted(id(f) for g in groups for f in g) == sorted(id(f) for f in findings)
    for g in groups:
        head = g[0]
        if head.kind in ("kb_gap", "broken_promise"):
            assert {f.id for f in g} == {head.id}
        else:
            assert {(f.kind, f.entry_id, f.fact_kind, tuple(sorted(f.values))) for f in g} == {
                (head.kind, head.entry_id, head.fact_kind, tuple(sorted(head.values)))
            }
    html = render_report(findings, summary_of(findings))
    assert html.count("<article") == len(groups)
    for f in findings:
        assert f'id="f-{f.id}"' in html
    assert "<a3>" not in html
