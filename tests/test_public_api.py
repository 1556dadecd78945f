"""The top-level API: ``__all__`` matches what imports, and importing is cheap."""

from __future__ import annotations

import subprocess
import sys

import consistency


def test_all_names_import() -> None:
    for name in consistency.__all__:
        assert getattr(consistency, name) is not None


def test_unknown_name_is_an_attribute_error() -> None:
    try:
        consistency.Nope  # type: ignore[attr-defined]  # noqa: B018
    except AttributeError as exc:
        assert "Nope" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("expected AttributeError")


def test_import_does_not_load_torch() -> None:
    code = (
        "import sys, consistency; consistency.KnowledgeBase; consistency.Verdict; "
        "print('torch' in sys.modules, 'sentence_transformers' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False False"


def test_finding_is_one_class_wherever_it_is_imported_from() -> None:
    """The output contract moved to ``consistency.findings``; the old path re-exports it."""
    from consistency.audit import models as audit_models
    from consistency.findings import AuditSummary, Evidence, Finding

    assert consistency.Finding is Finding is audit_models.Finding
    assert audit_models.Evidence is Evidence and audit_models.AuditSummary is AuditSummary
