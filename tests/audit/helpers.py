"""Matching found findings with planted ones (examples/ground_truth.json)."""

from __future__ import annotations

from typing import Any

KINDS = ("kb_contradiction", "agent_disagreement", "repeat_contact_conflict", "kb_gap")


def matches(found: dict[str, Any], planted: dict[str, Any]) -> bool:
    """Same kind, same entry (when the planted one names one), same fact kind, shared conversations.

    A finding about a question no KB entry covers has ``entry_id`` null on both
    sides; its cluster is identified by the conversations it shares.
    """
    if found["kind"] != planted["kind"]:
        return False
    if found.get("entry_id") != planted.get("entry_id"):
        return False
    if planted.get("fact_kind") and found.get("fact_kind") != planted["fact_kind"]:
        return False
    return bool(set(found["transcript_ids"]) & set(planted["transcript_ids"]))


def acceptable(found: dict[str, Any], planted: dict[str, Any]) -> bool:
    """A planted finding may name other kinds it is fine to report it as (``also_acceptable``)."""
    if found["kind"] not in planted.get("also_acceptable", ()):
        return False
    return bool(set(found["transcript_ids"]) & set(planted["transcript_ids"]))


def score(found: list[dict[str, Any]], truth: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Precision and recall per kind, with the misses and false alarms for messages."""
    planted = truth["findings"]
    out = {}
    for kind in KINDS:
        mine = [f for f in found if f["kind"] == kind]
        theirs = [p for p in planted if p["kind"] == kind]
        true_pos = [f for f in mine if any(matches(f, p) or acceptable(f, p) for p in planted)]
        hit = [p for p in theirs if any(matches(f, p) for f in mine)]
        out[kind] = {
            "precision": len(true_pos) / len(mine) if mine else 1.0,
            "recall": len(hit) / len(theirs) if theirs else 1.0,
            "false_alarms": [
                (f["entry_id"], f["fact_kind"], f["values"], f["transcript_ids"][:4])
                for f in mine
                if f not in true_pos
            ],
            "missed": [
                (p["entry_id"], p["fact_kind"], p["values"], p["transcript_ids"][:4])
                for p in theirs
                if p not in hit
            ],
        }
    return out
