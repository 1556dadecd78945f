"""Macro readers: CSV and Zendesk exports, bad rows reported and skipped, bad files refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from consistency.macros import (
    MacroError,
    MacroFileError,
    read_macros,
    read_macros_csv,
    read_zendesk_macros,
    strip_html,
)


def _csv(tmp_path: Path, text: str, name: str = "m.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _json(tmp_path: Path, data: object, name: str = "z.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


# -- CSV ----------------------------------------------------------------------------------


def test_csv_reads_ids_titles_bodies_with_placeholders_and_rows(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "id,title,body\n"
        'M1,Returns,"Hi {{ticket.requester.first_name}},\n\nYou have 28 days."\n'
        "M2, Delivery ,Standard delivery is £4.49.\n",
    )
    m1, m2 = read_macros_csv(path, errors=[])
    assert (m1.id, m1.title, m1.body) == (
        "M1",
        "Returns",
        "Hi {{ticket.requester.first_name}},\n\nYou have 28 days.",
    )
    assert (m2.id, m2.title, m2.row, m2.source_file) == ("M2", "Delivery", 3, str(path))


def test_csv_without_id_column_uses_the_row_number(tmp_path: Path) -> None:
    path = _csv(tmp_path, "Title,Body\nA,one\n,two\n")  # capitalised, as spreadsheets write it
    macros = read_macros_csv(path, errors=[])
    assert [(m.id, m.title, m.body) for m in macros] == [("2", "A", "one"), ("3", "", "two")]


def test_csv_empty_id_cell_uses_the_row_number(tmp_path: Path) -> None:
    path = _csv(tmp_path, "id,title,body\nX,a,one\n,b,two\n")
    assert [m.id for m in read_macros_csv(path, errors=[])] == ["X", "3"]


def test_csv_missing_columns_is_refused_naming_file_and_columns(tmp_path: Path) -> None:
    path = _csv(tmp_path, "id,name,text\n1,a,b\n")
    with pytest.raises(MacroFileError) as info:
        read_macros_csv(path)
    assert info.value.file == str(path)
    assert str(info.value) == (
        f"{path}: header lacks column(s) title, body; expected id, title, body (id optional), "
        "found id, name, text"
    )


def test_csv_empty_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(MacroFileError, match="lacks column"):
        read_macros_csv(_csv(tmp_path, ""))


def test_csv_bad_rows_are_reported_with_row_field_and_skipped(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "id,title,body\n"
        "ok1,A,fine\n"
        "extra,B,body,surplus\n"  # row 3: too many cells
        "short,C\n"  # row 4: no body cell
        "blank,D,   \n"  # row 5: empty body
        '"multi","E","line one\nline two"\n'  # row 6, lines 6-7
        "ok1,F,again\n"  # row 7 (line 8): duplicate id
        "ok2,G,fine too\n",
    )
    errors: list[MacroError] = []
    macros = read_macros_csv(path, errors=errors)
    assert [m.id for m in macros] == ["ok1", "multi", "ok2"]
    assert [m.row for m in macros] == [2, 6, 8]
    got = [(e.row, e.line, e.field, e.type, e.macro_id) for e in errors]
    assert got == [
        (3, 3, "body", "bad-csv", "extra"),
        (4, 4, "body", "missing-field", "short"),
        (5, 5, "body", "no-text", "blank"),
        (7, 8, "id", "duplicate-id", "ok1"),
    ]
    assert all(e.file == str(path) for e in errors)
    assert str(errors[1]) == (
        f"{path} row 4 macro 'short' body: missing body cell (2 of 3) [type=missing-field]"
    )


def test_csv_blank_rows_are_not_errors_but_keep_row_numbers(tmp_path: Path) -> None:
    path = _csv(tmp_path, "title,body\nA,one\n\nB,two\n")
    errors: list[MacroError] = []
    assert [(m.id, m.row) for m in read_macros_csv(path, errors=errors)] == [("2", 2), ("4", 4)]
    assert errors == []


def test_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(MacroFileError, match="no such file"):
        read_macros_csv(tmp_path / "nope.csv")
    with pytest.raises(MacroFileError, match="no such file"):
        read_zendesk_macros(tmp_path / "nope.json")


def test_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_bytes(b"title,body\nA,\xff\xfe caf\xe9\n")
    with pytest.raises(MacroFileError, match="not UTF-8"):
        read_macros_csv(path)


def test_errors_default_to_the_logger(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = _csv(tmp_path, "title,body\nA,\n")
    assert read_macros_csv(path) == []
    assert "empty body" in caplog.text


# -- Zendesk ------------------------------------------------------------------------------


def _macro(mid: object, title: str, *actions: dict) -> dict:
    return {"id": mid, "title": title, "active": True, "actions": list(actions)}


def test_zendesk_export_with_string_list_and_html_values(tmp_path: Path) -> None:
    path = _json(
        tmp_path,
        {
            "macros": [
                _macro(1, "Returns::Window", {"field": "comment_value", "value": "28 days."}),
                _macro(
                    2,
                    "Delivery",
                    {"field": "comment_value", "value": ["channel:all", "Delivery is £4.49."]},
                    {"field": "status", "value": "solved"},
                ),
                _macro(
                    3,
                    "Html",
                    {
                        "field": "comment_value_html",
                        "value": "<p>Hi {{ticket.requester.first_name}},</p>"
                        "<p>Gift cards last <b>24&nbsp;months</b> &amp; more.</p>",
                    },
                ),
            ],
            "count": 3,
        },
    )
    macros = read_zendesk_macros(path, errors=[])
    assert [(m.id, m.title, m.body, m.row) for m in macros] == [
        ("1", "Returns::Window", "28 days.", 1),
        ("2", "Delivery", "Delivery is £4.49.", 2),
        ("3", "Html", "Hi {{ticket.requester.first_name}},\nGift cards last 24 months & more.", 3),
    ]


def test_zendesk_bare_list_and_single_macro_shapes(tmp_path: Path) -> None:
    one = _macro("a", "T", {"field": "comment_value", "value": "x"})
    assert [m.id for m in read_zendesk_macros(_json(tmp_path, [one], "l.json"))] == ["a"]
    assert [m.id for m in read_zendesk_macros(_json(tmp_path, {"macro": one}, "s.json"))] == ["a"]


def test_zendesk_bad_macros_are_reported_with_their_place_and_skipped(tmp_path: Path) -> None:
    path = _json(
        tmp_path,
        {
            "macros": [
                "not a macro",
                _macro(10, "No text", {"field": "status", "value": "solved"}),
                _macro(11, "Bad value", {"field": "comment_value", "value": {"x": 1}}),
                _macro([1], "Bad id", {"field": "comment_value", "value": "x"}),
                _macro(13, "Good", {"field": "comment_value", "value": "fine"}),
                _macro(None, "No id", {"field": "comment_value", "value": "fine"}),
            ]
        },
    )
    errors: list[MacroError] = []
    macros = read_zendesk_macros(path, errors=errors)
    assert [(m.id, m.row) for m in macros] == [("13", 5), ("6", 6)]
    got = [(e.row, e.type, e.field, e.macro_id, e.loc) for e in errors]
    assert got == [
        (1, "bad-record", None, None, ("macros", 0)),
        (2, "no-text", "actions", "10", ("macros", 1, "actions")),
        (3, "bad-value", "comment_value", "11", ("macros", 2, "actions", 0, "value")),
        (4, "bad-value", "id", None, ("macros", 3, "id")),
    ]
    assert all(e.line is None and e.file == str(path) for e in errors)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "not JSON"),
        ('{"tickets": []}', "expected a Zendesk macros export"),
        ("42", "expected a Zendesk macros export"),
    ],
)
def test_zendesk_unusable_files_are_refused(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "z.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MacroFileError, match=message) as info:
        read_zendesk_macros(path)
    assert str(info.value).startswith(f"{path}: ")


# -- HTML and dispatch ----------------------------------------------------------------------


# fmt: off
STRIP_CASES = [
    ("<p>One</p><p>Two</p>", "One\nTwo"),
    ("Line<br>break<br/>here", "Line\nbreak\nhere"),
    ("<ul><li>a</li><li>b</li></ul>", "a\nb"),
    ("<p>  lots   of\tspace </p>", "lots of space"),
    ("<p>5&nbsp;days &pound;10 &lt;b&gt;</p>", "5 days £10 <b>"),
    ("<style>p{color:red}</style><p>kept</p><script>alert(1)</script>", "kept"),
    ('<a href="https://x.example/returns">our returns page</a>', "our returns page (https://x.example/returns)"),
    ('<a href="https://x.example/r">https://x.example/r</a>', "https://x.example/r"),
    ('<a href="mailto:help@x.example?subject=Hi">email us</a>', "email us (help@x.example)"),
    ('<a href="tel:08000487710">0800 048 7710</a>', "0800 048 7710 (08000487710)"),
    ('<a href="/relative">here</a>', "here"),
]
# fmt: on


@pytest.mark.parametrize(("html", "text"), STRIP_CASES)
def test_strip_html(html: str, text: str) -> None:
    assert strip_html(html) == text


def test_read_macros_dispatches_on_extension(tmp_path: Path) -> None:
    csv_path = _csv(tmp_path, "title,body\nA,one\n")
    json_path = _json(tmp_path, [_macro(5, "B", {"field": "comment_value", "value": "two"})])
    assert [m.body for m in read_macros([csv_path, json_path], errors=[])] == ["one", "two"]
    assert [m.body for m in read_macros(str(csv_path), errors=[])] == ["one"]
    other = _csv(tmp_path, "title,body\nA,one\n", name="m.txt")
    with pytest.raises(MacroFileError, match=r"expected \.csv"):
        read_macros([other])


def test_shipped_samples_read_with_one_macro_without_text(sample_macros) -> None:
    macros, errors = sample_macros
    assert len(macros) == 35
    assert [(e.macro_id, e.type) for e in errors] == [("360001007", "no-text")]
    html = next(m for m in macros if m.id == "360001004")
    assert "phishing@voltstream.co.uk" in html.body  # from the mailto link
    assert "<" not in html.body
