"""The pytest plugin and ``consistency.testing``: the README's example runs as written."""

from __future__ import annotations

import fnmatch
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from consistency import pytest_plugin
from consistency.testing import assert_consistent, assert_contradicts, explain_verdict

from .conftest import DATA, ROOT, SAMPLE_KB

pytest_plugins = ["pytester"]

RETURNS = "How long do I have to return an item?"
GOOD = "You can return unused items in their original packaging within 28 days of delivery."
OLD_GOOD = "You can return unused items in their original packaging within 30 days of delivery."
THREE_WEEKS = "can I still send it back after 3 weeks?"
DRIFTED = "Sure, you have 14 days from delivery."


def _readme_block(info: str) -> str:
    """The README's fenced block whose info string is ``info`` (e.g. ``ini title="pytest.ini"``)."""
    text = (ROOT / "README.md").read_text()
    blocks = re.findall(r"^```" + re.escape(info) + r"\n(.*?)^```", text, flags=re.S | re.M)
    assert len(blocks) == 1, f"expected one README block ```{info}, found {len(blocks)}"
    return blocks[0]


@pytest.fixture
def project(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, encoder, checker):
    """A QA team's project: the sample KB beside the tests, the session's model and cache reused."""
    shutil.copytree(SAMPLE_KB, pytester.path / "knowledge_base")
    monkeypatch.setenv("CONSISTENCY_CACHE_DIR", str(checker.index.store.directory))
    monkeypatch.setattr("consistency.checker.make_encoder", lambda *a, **k: encoder)
    return pytester


def _run(pytester: pytest.Pytester, ini: str, tests: str) -> pytest.RunResult:
    pytester.makefile(".ini", pytest=ini)
    pytester.makepyfile(test_answers=tests)
    return pytester.runpytest("-p", "no:cacheprovider")


@pytest.mark.model
def test_readme_pytest_example_runs_as_written(project: pytest.Pytester) -> None:
    ini = _readme_block('ini title="pytest.ini"')
    tests = _readme_block('python title="test_answers.py"')
    expected = _readme_block('text title="pytest output"').splitlines()
    result = _run(project, ini, tests)
    result.assert_outcomes(passed=2, failed=1)
    assert "test_answers.py::test_drifted_answer" in "\n".join(
        line for line in result.outlines if line.startswith("FAILED")
    )
    # Every line the README shows, in order, whatever pytest's indentation after "E".
    result.stdout.re_match_lines([r"E\s+" + re.escape(line[1:].strip()) + "$" for line in expected])


CONFIG_CASES = [
    ("", "consistency_kb is not set in"),
    ("consistency_kb = nowhere\n", "nowhere does not exist"),
    ("consistency_kb = knowledge_base\nconsistency_backend = gpu\n", "expected one of auto, onnx, torch"),
    ("consistency_kb = knowledge_base\nconsistency_on = tomorrow\n", "consistency_on = tomorrow in *: expected a date YYYY-MM-DD"),
]  # fmt: skip


@pytest.mark.parametrize(("settings", "message"), CONFIG_CASES)
def test_bad_settings_name_the_setting_and_what_was_expected(
    pytester: pytest.Pytester, settings: str, message: str
) -> None:
    (pytester.path / "knowledge_base").mkdir()
    pytester.makefile(".ini", pytest="[pytest]\n" + settings)
    config = pytester.parseconfig()
    with pytest.raises(pytest.fail.Exception) as info:
        pytest_plugin.session_checker(config)
    assert fnmatch.fnmatch(str(info.value), f"*{message}*"), str(info.value)
    assert str(pytest_plugin.pytest_report_header(config) or "").startswith(
        "consistency: " if settings else ""
    )


def test_a_settings_error_fails_the_test_without_a_traceback(pytester: pytest.Pytester) -> None:
    tests = "def test_it(consistency_checker):\n    pass\n"
    result = _run(pytester, "[pytest]\n", tests)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*consistency_kb is not set in *pytest.ini: add `consistency_kb*"])
    assert "Traceback" not in result.stdout.str()


def test_a_broken_kb_is_reported_with_its_problems(pytester: pytest.Pytester) -> None:
    shutil.copytree(DATA / "kb_bad", pytester.path / "kb_bad")
    pytester.makefile(".ini", pytest="[pytest]\nconsistency_kb = kb_bad\n")
    config = pytester.parseconfig()
    with pytest.raises(pytest.fail.Exception, match=r"the KB at .*kb_bad has problems:\n\d+ error"):
        pytest_plugin.session_checker(config)
    # Remembered: the broken KB is not reloaded for every test that asks.
    assert isinstance(config.stash[pytest_plugin._CHECKER], str)


@pytest.mark.model
def test_consistency_on_judges_against_that_days_kb(project: pytest.Pytester) -> None:
    tests = (
        "from consistency.testing import assert_consistent\n\n"
        f"def test_old_policy():\n    assert_consistent({RETURNS!r}, {OLD_GOOD!r})\n\n"
        f"def test_new_policy_by_hand():\n    assert_consistent({RETURNS!r}, {GOOD!r}, on='2026-07-01')\n"
    )
    result = _run(project, "[pytest]\nconsistency_kb = knowledge_base\nconsistency_on = 2026-03-02\n", tests)  # fmt: skip
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["consistency: kb=*knowledge_base, backend=auto, on=2026-03-02"])


def test_a_suite_without_settings_is_untouched(pytester: pytest.Pytester) -> None:
    config = pytester.parseconfig()
    assert pytest_plugin.pytest_report_header(config) is None
    assert pytest_plugin.default_on(config) is None


def test_loading_the_plugin_loads_no_model() -> None:
    code = (
        "import sys, consistency.pytest_plugin, consistency.testing; "
        "print(sorted(m for m in ('torch', 'onnxruntime', 'numpy', 'consistency.checker', "
        "'consistency.kb') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# -- assert_consistent / assert_contradicts with an explicit checker ---------------------


@pytest.mark.model
def test_assert_consistent_returns_the_verdict(checker) -> None:
    verdict = assert_consistent(RETURNS, GOOD, checker=checker, entry="returns-window")
    assert (verdict.status, verdict.entry_id) == ("consistent", "returns-window")


@pytest.mark.model
def test_assert_consistent_explains_a_contradiction(checker) -> None:
    with pytest.raises(AssertionError) as info:
        assert_consistent(THREE_WEEKS, DRIFTED, checker=checker)
    lines = str(info.value).splitlines()
    assert lines[0] == "expected a consistent answer, got contradiction"
    assert "  conflict:  duration: the answer says 14 days ('14 days' at [15:22]); " in lines[-1]
    assert lines[-1].endswith("the KB says 28 days ('28 days' at [33:40])")


@pytest.mark.model
def test_a_dropped_condition_is_named(checker) -> None:
    with pytest.raises(AssertionError, match=r"(?s)got contradiction.*conflict:  condition"):
        assert_consistent(RETURNS, "You have 28 days from delivery.", checker=checker)


@pytest.mark.model
def test_no_match_and_unverified_fail_by_default(checker) -> None:
    with pytest.raises(AssertionError, match=r"^expected a consistent answer, got no_match\n"):
        assert_consistent("what's the weather like?", "sunny", checker=checker)
    with pytest.raises(
        AssertionError, match=r"got unverified\n(?s:.*)why:       the answer states none"
    ):
        assert_consistent(RETURNS, "Let me check that for you.", checker=checker)
    verdict = assert_consistent(
        RETURNS, "Let me check that for you.", checker=checker, allow_unverified=True
    )
    assert verdict.status == "unverified"


@pytest.mark.model
def test_the_entry_must_match_when_given(checker) -> None:
    with pytest.raises(
        AssertionError, match=r"\(expected entry delivery-cost, matched returns-window\)"
    ):
        assert_consistent(RETURNS, GOOD, checker=checker, entry="delivery-cost")


@pytest.mark.model
def test_assert_contradicts(checker) -> None:
    verdict = assert_contradicts(THREE_WEEKS, DRIFTED, checker=checker, kind="duration")
    assert verdict.conflicts[0].kind == "duration"
    with pytest.raises(AssertionError, match=r"^expected a contradiction, got consistent\n"):
        assert_contradicts(RETURNS, GOOD, checker=checker)
    with pytest.raises(AssertionError, match=r"expected a money conflict, found duration"):
        assert_contradicts(THREE_WEEKS, DRIFTED, checker=checker, kind="money")


@pytest.mark.model
def test_on_accepts_a_date_string(checker) -> None:
    assert_consistent(RETURNS, OLD_GOOD, checker=checker, on="2026-03-02")
    with pytest.raises(ValueError, match="on= must be a date or 'YYYY-MM-DD', got 'soon'"):
        assert_consistent(RETURNS, OLD_GOOD, checker=checker, on="soon")


@pytest.mark.model
def test_explain_verdict_names_status_entry_and_spans(checker) -> None:
    verdict = checker.check(THREE_WEEKS, DRIFTED)
    text = explain_verdict(verdict, question=THREE_WEEKS, answer=DRIFTED)
    assert text.splitlines()[:4] == [
        "status:    contradiction",
        f"question:  {THREE_WEEKS}",
        f"answer:    {DRIFTED}",
        f"entry:     returns-window (match {verdict.score:.2f})",
    ]
    assert verdict.canonical_answer is not None
    start, end = verdict.conflicts[0].kb_span  # type: ignore[misc]
    assert verdict.canonical_answer[start:end] == "28 days"


def test_without_a_checker_outside_pytest_is_a_type_error(monkeypatch) -> None:
    monkeypatch.setattr(pytest_plugin, "_ACTIVE", [])
    with pytest.raises(TypeError, match="no checker: pass checker="):
        assert_consistent(RETURNS, GOOD)


def test_without_a_checker_in_an_unconfigured_run_fails_clearly() -> None:
    # This repo's own suite sets no consistency_kb: the plugin says so instead of guessing.
    with pytest.raises(pytest.fail.Exception, match="consistency_kb is not set"):
        assert_consistent(RETURNS, GOOD)


def test_plugin_is_registered_as_an_entry_point() -> None:
    from importlib.metadata import entry_points

    (ep,) = [e for e in entry_points(group="pytest11") if e.name == "consistency"]
    assert ep.value == "consistency.pytest_plugin"
    assert Path(pytest_plugin.__file__).name == "pytest_plugin.py"
