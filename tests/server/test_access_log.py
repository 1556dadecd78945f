"""The access log cannot be forged: control characters in a request path are escaped."""

from __future__ import annotations

import logging
import unicodedata

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from consistency.server.middleware import escape_controls

FORGED = "/nope%0A2026-12-04%2015:16:14,000%20INFO%20FORGED"


def _lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    """What a handler writes: each record formatted as the server formats it, split in lines."""
    formatter = logging.Formatter("%(asctime)s %(levelname)s %(message)s")
    records = [r for r in caplog.records if r.name == "consistency.server"]
    return "\n".join(formatter.format(r) for r in records).splitlines()


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        (FORGED, "/nope\\x0a2026-12-04 15:16:14,000 INFO FORGED"),
        ("/nope%0D%0A2026-12-04%20INFO%20FORGED", "/nope\\x0d\\x0a2026-12-04 INFO FORGED"),
        ("/nope%00INFO", "/nope\\x00INFO"),
        ("/nope%1B%5B31mRED%1B%5B0m", "/nope\\x1b[31mRED\\x1b[0m"),
        ("/nope%C2%85next%E2%80%A8line", "/nope\\x85next\\u2028line"),
        ("/back%5Cx0aslash", "/back\\\\x0aslash"),
    ],
)
@pytest.mark.parametrize("redact", [False, True])
def test_a_path_cannot_write_a_second_log_line(  # type: ignore[no-untyped-def]
    make_app, caplog: pytest.LogCaptureFixture, path: str, shown: str, redact: bool
) -> None:
    app = make_app(redact_pii=redact)
    with TestClient(app) as client:
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="consistency.server"):
            assert client.get(path).status_code == 404
    lines = _lines(caplog)
    access = [line for line in lines if "GET /" in line]
    assert len(access) == 1, lines
    assert f"GET {shown} 404" in access[0]
    assert not any("FORGED" in line and "GET" not in line for line in lines)
    for line in lines:
        assert not any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in line), line


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80))
def test_escaped_text_has_no_control_character(text: str) -> None:
    out = escape_controls(text)
    assert not any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in out)
    assert len(out.splitlines()) <= 1
    assert escape_controls(text + "\n") != escape_controls(text + "\\x0a")  # no two alike
    plain = not any(unicodedata.category(c) in ("Cc", "Zl", "Zp") or c == "\\" for c in text)
    assert (out == text) is plain


def test_escapes_read_back_as_the_original() -> None:
    text = "a\nb\x00c\x1b[0m\\x0a d\x85é\u2028"
    decoded = escape_controls(text).encode("ascii", "backslashreplace").decode("unicode_escape")
    assert decoded == text


def test_docstring_example() -> None:
    import doctest

    import consistency.server.middleware as middleware

    result = doctest.testmod(middleware)
    assert result.attempted > 0 and result.failed == 0
