"""Properties of the macro readers and text helpers on arbitrary text."""

from __future__ import annotations

import csv
import html
import io
import json
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from consistency.macros import (
    MacroError,
    MacroFileError,
    mask_placeholders,
    read_macros_csv,
    read_zendesk_macros,
    strip_html,
)

TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)
ROWS = st.lists(
    st.tuples(
        st.one_of(st.just(""), st.from_regex(r"M-[a-z0-9]{1,6}", fullmatch=True)), TEXT, TEXT
    ),
    max_size=8,
)


def _write(data: bytes) -> Path:
    handle = tempfile.NamedTemporaryFile(suffix=".csv", delete=False)  # noqa: SIM115
    handle.write(data)
    handle.close()
    return Path(handle.name)


@settings(max_examples=100, deadline=None)
@given(ROWS)
def test_csv_cells_round_trip_or_are_reported(rows: list[tuple[str, str, str]]) -> None:
    """Every row comes back (title and body stripped), is reported, or was blank."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(["id", "title", "body"])
    writer.writerows(rows)
    path = _write(buffer.getvalue().encode("utf-8"))
    errors: list[MacroError] = []
    try:
        macros = read_macros_csv(path, errors=errors)
    finally:
        path.unlink()
    by_row = {m.row: m for m in macros}
    reported = {e.row for e in errors}
    seen_ids: set[str] = set()
    for number, (mid, title, body) in enumerate(rows, 2):
        if not (mid.strip() or title.strip() or body.strip()):
            assert number not in by_row and number not in reported
        elif not body.strip() or (mid and mid in seen_ids):
            assert number in reported and number not in by_row
        else:
            macro = by_row[number]
            assert (macro.title, macro.body) == (title.strip(), body.strip())
            assert macro.id == (mid or str(number))
            seen_ids.add(mid)
    assert len({m.id for m in macros}) == len(macros)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_csv_reader_never_crashes_on_arbitrary_bytes(data: bytes) -> None:
    path = _write(data)
    try:
        macros = read_macros_csv(path, errors=[])
    except MacroFileError as exc:
        assert str(exc).startswith(str(path))
    else:
        assert all(m.body.strip() and m.id for m in macros)
    finally:
        path.unlink()


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)
ACTION = st.fixed_dictionaries(
    {"field": st.sampled_from(["comment_value", "comment_value_html", "status"]), "value": JSON}
)
MACRO = st.fixed_dictionaries(
    {"id": JSON, "title": JSON, "actions": st.lists(ACTION, max_size=3) | JSON}
)


@settings(max_examples=100, deadline=None)
@given(
    st.one_of(
        JSON,
        st.lists(MACRO | JSON, max_size=4),
        st.builds(lambda m: {"macros": m}, st.lists(MACRO, max_size=4)),
    )
)
def test_zendesk_reader_never_crashes_on_arbitrary_json(data: object) -> None:
    handle = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8")  # noqa: SIM115
    json.dump(data, handle)
    handle.close()
    path = Path(handle.name)
    errors: list[MacroError] = []
    try:
        macros = read_zendesk_macros(path, errors=errors)
    except MacroFileError:
        assert not isinstance(data, list) and not (
            isinstance(data, dict) and isinstance(data.get("macros"), list)
        )
    else:
        assert all(m.body.strip() and m.id for m in macros)
        items = (
            data
            if isinstance(data, list)
            else data.get("macros")
            if isinstance(data, dict)
            else None
        )  # type: ignore[union-attr]
        if isinstance(items, list):
            assert len(macros) + len(errors) == len(items)  # every macro read or reported
    finally:
        path.unlink()


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_strip_html_keeps_the_words_of_escaped_text(text: str) -> None:
    assert strip_html(f"<p>{html.escape(text)}</p>").split() == text.split()


@settings(max_examples=200, deadline=None)
@given(st.text(st.sampled_from("<>/ab p&;#x\"'= \n"), max_size=60))
def test_strip_html_never_crashes_and_lines_are_clean(text: str) -> None:
    out = strip_html(text)
    assert all(line and line == " ".join(line.split()) for line in out.split("\n")) or out == ""


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(TEXT, st.booleans()), max_size=6))
def test_mask_placeholders_keeps_length_and_blanks_only_placeholders(
    parts: list[tuple[str, bool]],
) -> None:
    pieces = [p.replace("{", "(").replace("}", ")").replace("%", "") for p, _ in parts]
    text = "".join(
        f"{{{{{p}}}}}" if is_placeholder else p
        for p, (_, is_placeholder) in zip(pieces, parts, strict=True)
    )
    masked = mask_placeholders(text)
    assert len(masked) == len(text)
    assert "{{" not in masked
    expected = "".join(
        " " * (len(p) + 4) if is_placeholder else p
        for p, (_, is_placeholder) in zip(pieces, parts, strict=True)
    )
    assert masked == expected
