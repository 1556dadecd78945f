"""The audit's stages, as plain functions over batches.

The local engine (:mod:`consistency.audit.engines.local`) and a distributed one (Ray
Data) call the same functions; an engine only schedules, groups by key and
moves records. Data flow::

    transcripts ─► segment_batch ─► match_batch ─► judge_batch ─► [ExchangeRecord]
        records ─► contradiction_findings                       (per record)
        unmatched ─► group by block_keys ─► link_block ─► components
                  ─► assign_cluster                             (sets .group)
        all ─► group by .group ─► compare_group ─► findings + [SlottedFact]
        slotted ─► group by customer_key ─► compare_customer ─► findings
    transcripts (+ their records) ─► promise_batch ─► [Promise | Chase]  (per batch)
        promises, chases ─► group by promise_key (+ fulfilment rows)
                  ─► compare_promises ─► broken_promise findings
        every finding ─► finalise (ids, stable order)

Implementations live in :mod:`~consistency.audit.analyse`,
:mod:`~consistency.audit.cluster` and :mod:`~consistency.audit.group`; this
module lists the stage functions an engine calls. Nothing compares all answers
with all answers: answers meet only inside a KB entry, a cluster of similar
questions (blocked by nearest entries, clustered with top-k neighbours), or
one customer's calls.

On Ray Data the same chain is ``map_batches(segment_batch → analyse_batch)``
in actors that hold a Checker, ``flat_map(contradiction_findings)``,
``groupby(block_keys).map_groups(link_block)`` then ``components`` over the
edges (small) and ``map(assign_cluster)``, ``groupby(group_key)
.map_groups(compare_group)``, ``groupby(customer_key).map_groups(compare_customer)``,
``groupby(promise_key).map_groups(compare_promises)``, and ``finalise`` on the
driver. Records cross process boundaries as
``ExchangeRecord.to_dict()`` / ``from_dict``.
"""

from consistency.audit.analyse import (
    MatchedBatch,
    analyse_batch,
    contradiction_findings,
    group_key,
    in_period,
    judge_batch,
    load_promise_item,
    match_batch,
    promise_batch,
    promise_item_dict,
    segment_batch,
    value_key,
)
from consistency.audit.cluster import assign_cluster, block_keys, components, link_block
from consistency.audit.group import (
    SlottedFact,
    compare_customer,
    compare_group,
    compare_promises,
    customer_key,
    finalise,
    promise_key,
)
from consistency.audit.options import AuditOptions

__all__ = [
    "AuditOptions",
    "MatchedBatch",
    "SlottedFact",
    "analyse_batch",
    "assign_cluster",
    "block_keys",
    "compare_customer",
    "compare_group",
    "compare_promises",
    "components",
    "contradiction_findings",
    "customer_key",
    "finalise",
    "group_key",
    "in_period",
    "judge_batch",
    "link_block",
    "load_promise_item",
    "match_batch",
    "promise_batch",
    "promise_item_dict",
    "promise_key",
    "segment_batch",
    "value_key",
]
