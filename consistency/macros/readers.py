"""Read a help desk's canned responses: a CSV (id, title, body) or a Zendesk macros export.

A file that cannot be read as a whole (missing, not UTF-8, not JSON, a CSV
without ``title`` and ``body`` columns) raises :class:`MacroFileError` naming
the file and what was expected: there is nothing to check. A bad row inside a
good file is reported as a :class:`~consistency.macros.models.MacroError`
(file, row, field, why) and skipped, so one broken macro never hides the rest.

Zendesk macros are JSON, ``{"macros": [...]}`` as the API lists them, a bare
list, or ``{"macro": {...}}`` as it shows one. The text a macro sends is in its
``actions``: ``{"field": "comment_value", "value": "..."}`` or
``comment_value_html`` (HTML, stripped to text here); ``value`` may be a
string or a list such as ``["channel:all", "text"]``. Macros that only set
fields (``status``, ``priority``) send no text and are reported as ``no-text``.
Placeholders (``{{ticket.requester.first_name}}``) are kept in the body as
written; :func:`consistency.macros.check.mask_placeholders` blanks them for
checking.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import re
from collections.abc import Callable, Iterable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from consistency.ingest.sinks import reporter
from consistency.macros.models import Macro, MacroError, MacroErrorType
from consistency.textcheck import printable, unencodable_reason

__all__ = [
    "CSV_COLUMNS",
    "MacroErrorSink",
    "MacroFileError",
    "read_macros",
    "read_macros_csv",
    "read_zendesk_macros",
    "strip_html",
]

logger = logging.getLogger("consistency.macros")
logger.addHandler(logging.NullHandler())

#: The CSV header; ``id`` may be absent (the row number is used), extra columns are ignored.
CSV_COLUMNS: tuple[str, ...] = ("id", "title", "body")
_CSV_REQUIRED = ("title", "body")
_COMMENT_FIELDS = ("comment_value", "comment_value_html")

#: Where a reader reports skipped macros: a list to append to, a callback, or
#: ``None`` to log each one as a warning on the ``consistency.macros`` logger.
MacroErrorSink = list[MacroError] | Callable[[MacroError], Any] | None


class MacroFileError(ValueError):
    """A macros file that cannot be read at all; the message names the file and what was expected."""

    def __init__(self, file: str, reason: str) -> None:
        super().__init__(f"{file}: {reason}")
        self.file = file
        self.reason = reason


def _reporter(errors: MacroErrorSink) -> Callable[[MacroError], None]:
    return reporter(errors, lambda err: logger.warning("%s", err))


def _read_text(path: Path) -> str:
    """The whole file, newlines untranslated (a ``\\r`` inside a CSV cell is the cell's)."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return handle.read()
    except FileNotFoundError:
        raise MacroFileError(str(path), "no such file") from None
    except IsADirectoryError:
        raise MacroFileError(str(path), "is a folder, expected a .csv or .json file") from None
    except UnicodeDecodeError as exc:
        raise MacroFileError(
            str(path), f"not UTF-8 text ({exc.reason} at byte {exc.start})"
        ) from None
    except OSError as exc:
        raise MacroFileError(str(path), f"cannot read: {exc.strerror or exc}") from None


def _short(value: object) -> str:
    """A value for a message, cut at 50 characters (it may be customer-facing text)."""
    text = value if isinstance(value, str) else repr(value)
    return repr(text[:50] + ("…" if len(text) > 50 else ""))


class _Dedupe:
    """Reports a macro whose id an earlier macro in the same file already has."""

    def __init__(self, file: str, report: Callable[[MacroError], None]) -> None:
        self.file = file
        self.report = report
        self.seen: dict[str, int | None] = {}

    def keep(self, macro: Macro, line: int | None, field: str) -> bool:
        first = self.seen.setdefault(macro.id, macro.row)
        if first == macro.row:
            return True
        self.report(
            MacroError(
                file=self.file,
                row=macro.row,
                line=line,
                field=field,
                macro_id=macro.id,
                type="duplicate-id",
                reason=f"id {_short(macro.id)} is already used by row {first}; row skipped",
            )
        )
        return False


# --------------------------------------------------------------------------- CSV


def read_macros_csv(path: str | os.PathLike[str], *, errors: MacroErrorSink = None) -> list[Macro]:
    """Macros from a CSV with the columns ``id`` (optional), ``title`` and ``body``.

    Column names are matched case-insensitively (spreadsheets capitalise them).
    A row whose ``id`` is empty gets its row number as id. A row with too many
    cells, a missing cell or an empty body is reported and skipped.

    Raises:
        MacroFileError: the file is missing or unreadable, or lacks ``title`` or ``body``.
    """
    path = Path(path)
    file = str(path)
    report = _reporter(errors)
    dedupe = _Dedupe(file, report)
    reader = csv.reader(io.StringIO(_read_text(path), newline=""))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise MacroFileError(file, f"bad CSV header: {exc}") from None
    names = [h.strip().lower() for h in header or ()]
    missing = [c for c in _CSV_REQUIRED if c not in names]
    if missing:
        found = ", ".join(h.strip() for h in header or ()) or "nothing"
        raise MacroFileError(
            file,
            f"header lacks column(s) {', '.join(missing)}; expected {', '.join(CSV_COLUMNS)} "
            f"(id optional), found {found}",
        )
    where = {name: names.index(name) for name in CSV_COLUMNS if name in names}
    macros: list[Macro] = []
    row = 1
    line = reader.line_num + 1
    while True:
        row += 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            report(
                MacroError(file=file, row=row, line=line, reason=f"bad CSV: {exc}", type="bad-csv")
            )
            line = reader.line_num + 1
            continue
        start, line = line, reader.line_num + 1
        if not any(c.strip() for c in cells):
            continue  # an empty row, as spreadsheets leave them: nothing to check, nothing lost
        macro = _csv_macro(cells, where, len(names), file=file, row=row, line=start, report=report)
        if macro is not None and dedupe.keep(macro, start, "id"):
            macros.append(macro)
    return macros


def _csv_macro(
    cells: list[str],
    where: dict[str, int],
    width: int,
    *,
    file: str,
    row: int,
    line: int,
    report: Callable[[MacroError], None],
) -> Macro | None:
    def err(reason: str, err_type: MacroErrorType, field: str, macro_id: str | None) -> None:
        report(
            MacroError(
                file=file,
                row=row,
                line=line,
                field=field,
                reason=reason,
                type=err_type,
                macro_id=macro_id,
            )
        )

    macro_id = cells[where["id"]].strip() if "id" in where and where["id"] < len(cells) else ""
    macro_id = macro_id or str(row)
    if len(cells) > width:
        err(f"{len(cells)} cells, the header has {width} columns", "bad-csv", "body", macro_id)
        return None
    for field in _CSV_REQUIRED:
        if where[field] >= len(cells):
            err(f"missing {field} cell ({len(cells)} of {width})", "missing-field", field, macro_id)
            return None
    body = cells[where["body"]].strip()
    if not body:
        err("empty body: nothing to check", "no-text", "body", macro_id)
        return None
    title = cells[where["title"]].strip()
    return Macro(id=macro_id, title=title, body=body, source_file=file, row=row)


# --------------------------------------------------------------------------- Zendesk


def read_zendesk_macros(
    path: str | os.PathLike[str], *, errors: MacroErrorSink = None
) -> list[Macro]:
    """Macros from a Zendesk export: ``{"macros": [...]}``, a list, or ``{"macro": {...}}``.

    Each macro's text is every ``comment_value`` / ``comment_value_html``
    action joined by a blank line (HTML stripped by :func:`strip_html`). A
    macro with no such action, an action whose value is neither a string nor a
    list of strings, or an item that is not an object is reported and skipped.

    Raises:
        MacroFileError: the file is missing, unreadable, not JSON, or not one of the shapes above.
    """
    path = Path(path)
    file = str(path)
    report = _reporter(errors)
    dedupe = _Dedupe(file, report)
    try:
        data = json.loads(_read_text(path))
    except json.JSONDecodeError as exc:
        raise MacroFileError(file, f"not JSON: {exc.msg} at line {exc.lineno}") from None
    if isinstance(data, dict) and isinstance(data.get("macros"), list):
        items, key = data["macros"], "macros"
    elif isinstance(data, dict) and isinstance(data.get("macro"), dict):
        items, key = [data["macro"]], "macro"
    elif isinstance(data, list):
        items, key = data, ""
    else:
        raise MacroFileError(
            file,
            'expected a Zendesk macros export: {"macros": [...]}, a list of macros, '
            'or {"macro": {...}}',
        )
    macros: list[Macro] = []
    for number, item in enumerate(items, 1):
        loc: tuple[str | int, ...] = (key, number - 1) if key else (number - 1,)
        macro = _zendesk_macro(item, file=file, row=number, loc=loc, report=report)
        if macro is not None and dedupe.keep(macro, None, "id"):
            macros.append(macro)
    return macros


def _zendesk_macro(
    item: Any,
    *,
    file: str,
    row: int,
    loc: tuple[str | int, ...],
    report: Callable[[MacroError], None],
) -> Macro | None:
    def err(
        reason: str, err_type: MacroErrorType, field: str | None, macro_id: str | None, *at: Any
    ) -> None:
        report(
            MacroError(
                file=file,
                row=row,
                field=field,
                reason=reason,
                type=err_type,
                macro_id=macro_id,
                loc=(*loc, *at),
            )
        )

    if not isinstance(item, dict):
        err(f"expected a macro object, got {type(item).__name__}", "bad-record", None, None)
        return None
    raw_id = item.get("id")
    if raw_id is None or raw_id == "":
        macro_id = str(row)
    elif isinstance(raw_id, str | int) and not isinstance(raw_id, bool):
        macro_id = str(raw_id).strip() or str(row)
    else:
        err(f"id must be a string or a number, got {_short(raw_id)}", "bad-value", "id", None, "id")
        return None
    title = item.get("title", "")
    if not isinstance(title, str):
        err(f"title must be a string, got {_short(title)}", "bad-value", "title", macro_id, "title")
        return None
    actions = item.get("actions", [])
    if not isinstance(actions, list):
        err("actions must be a list", "bad-value", "actions", macro_id, "actions")
        return None
    texts: list[str] = []
    for number, action in enumerate(actions):
        if not isinstance(action, dict) or action.get("field") not in _COMMENT_FIELDS:
            continue
        field = str(action["field"])
        text = _comment_text(action.get("value"), html=field == "comment_value_html")
        if text is None:
            err(
                f"{field} value must be a string or a list of strings, "
                f"got {_short(action.get('value'))}",
                "bad-value",
                field,
                macro_id,
                "actions",
                number,
                "value",
            )
            return None
        if text and text not in texts:
            texts.append(text)
    if not texts:
        err(
            "no comment_value or comment_value_html action with text: nothing to check",
            "no-text",
            "actions",
            macro_id,
            "actions",
        )
        return None
    body = "\n\n".join(texts)
    for field, value in (("id", macro_id), ("title", title), ("actions", body)):
        # a lone surrogate from a JSON escape: refused here, not by the encoder later
        if (reason := unencodable_reason(value)) is not None:
            err(reason, "bad-value", field, printable(macro_id), field)
            return None
    return Macro(id=macro_id, title=title.strip(), body=body, source_file=file, row=row)


def _comment_text(value: Any, *, html: bool) -> str | None:
    """The text of a comment action's value; ``None`` when it has an unexpected type.

    A list value is ``["channel:all", "text"]`` in Zendesk's exports: the
    ``channel:`` items say where the comment goes, the rest is the text.
    """
    if isinstance(value, str):
        parts = [value]
    elif isinstance(value, list) and all(isinstance(v, str) for v in value):
        parts = [v for v in value if not re.fullmatch(r"channel:\w*", v.strip())]
    else:
        return None
    if html:
        parts = [strip_html(p) for p in parts]
    return "\n".join(p.strip() for p in parts if p.strip())


# --------------------------------------------------------------------------- HTML

_BLOCK_TAGS = frozenset(
    {"p", "div", "br", "li", "ul", "ol", "tr", "table", "blockquote", "hr", "pre"}
    | {f"h{i}" for i in range(1, 7)}
)
_SKIP_TAGS = frozenset({"script", "style", "head", "title"})


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.links: list[tuple[str, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self.skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")
        elif tag == "a":
            href = dict(attrs).get("href") or ""
            self.links.append((href, len(self.parts)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")
        elif tag == "a" and self.links:
            href, start = self.links.pop()
            target = _link_target(href)
            if target and target not in "".join(self.parts[start:]):
                self.parts.append(f" ({target})")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def _link_target(href: str) -> str:
    """What a link points at, as a reader would write it: a web address, an email, a number."""
    href = href.strip()
    lowered = href.lower()
    if lowered.startswith(("mailto:", "tel:")):
        return href.split(":", 1)[1].split("?", 1)[0]
    if lowered.startswith(("http://", "https://")):
        return href
    return ""


def strip_html(html: str) -> str:
    """The text of an HTML fragment, one line per paragraph, entities decoded.

    Block tags (``p``, ``br``, ``li``, ``div``…) end a line; runs of spaces and
    tabs inside a line become one space and blank lines are dropped. A link
    whose text does not show where it goes (``<a href="https://…/returns">our
    returns page</a>``) gets the address in brackets after it, so a wrong link
    is checked like a wrong address written out. Script and style contents are
    dropped.

    Example:
        >>> strip_html("<p>Hi {{ticket.requester.first_name}},</p><p>Returns take 5&nbsp;days.</p>")
        'Hi {{ticket.requester.first_name}},\\nReturns take 5 days.'
    """
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts).replace("\xa0", " ")
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


# --------------------------------------------------------------------------- any


def read_macros(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    errors: MacroErrorSink = None,
) -> list[Macro]:
    """Macros from each file in turn: ``.csv`` by :func:`read_macros_csv`, ``.json`` as Zendesk.

    Raises:
        MacroFileError: a file has another extension, or cannot be read at all.
    """
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    out: list[Macro] = []
    for path in map(Path, paths):
        suffix = Path(path).suffix.lower()
        if suffix == ".csv":
            out.extend(read_macros_csv(path, errors=errors))
        elif suffix == ".json":
            out.extend(read_zendesk_macros(path, errors=errors))
        else:
            raise MacroFileError(
                str(path),
                "cannot tell the format; expected .csv (id, title, body) "
                "or .json (a Zendesk macros export)",
            )
    return out
