"""Fixtures for canned responses: the shipped samples checked once per session."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
MACROS_CSV = EXAMPLES / "macros.csv"
ZENDESK_JSON = EXAMPLES / "zendesk_macros.json"
TRUTH = json.loads((EXAMPLES / "macros_truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def sample_macros():
    """Both shipped samples read, with the readers' skipped macros."""
    from consistency.macros import read_macros

    errors: list = []
    macros = read_macros([MACROS_CSV, ZENDESK_JSON], errors=errors)
    return macros, errors


@pytest.fixture(scope="session")
def sample_report(checker, sample_macros):
    """The shipped samples checked once against the sample KB (newest versions)."""
    from consistency.macros import check_macros

    return check_macros(sample_macros[0], checker)
