"""Answer-vs-KB and answer-vs-answer comparison of typed facts.

``compare_answer(answer, canonical)`` aligns the answer's facts with the
canonical answer's by kind and role and returns a
:class:`~consistency.models.Comparison`; ``compare_facts(a, b)`` gives the
differing pairs between two answers; ``explain(conflicts)`` renders the
conflicts as one readable paragraph. ``facts_for`` and ``render`` belong to the
facts stage (:mod:`consistency.facts`) and are re-exported here for old imports.
"""

from __future__ import annotations

from consistency.compare.align import Alignment, align
from consistency.compare.answer import compare_answer, compare_facts, explain
from consistency.compare.roles import RoledFact, role_similarity, roles_for
from consistency.compare.values import relation
from consistency.facts import facts_for, render

__all__ = [
    "Alignment",
    "RoledFact",
    "align",
    "compare_answer",
    "compare_facts",
    "explain",
    "facts_for",
    "relation",
    "render",
    "role_similarity",
    "roles_for",
]
