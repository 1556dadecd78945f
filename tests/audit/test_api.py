"""The audit package's public names resolve, and importing it stays cheap."""

from __future__ import annotations

import subprocess
import sys

import consistency.audit


def test_all_names_resolve():
    for name in consistency.audit.__all__:
        assert getattr(consistency.audit, name) is not None
    assert sorted(dir(consistency.audit)) == sorted(consistency.audit.__all__)


def test_registering_the_cli_does_not_load_the_fact_engine():
    code = (
        "import sys, consistency.audit.cli; "
        "print(any(m.startswith(('consistency.compare', 'consistency.facts', 'torch')) "
        "for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
