"""Read KB files into validated entries, collecting every problem with its line.

YAML's node tree gives a line for each entry and each field; the entries are
built from the same tree, so a problem is reported where it lies in the file.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import reprlib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from consistency.kb.errors import KBProblem
from consistency.models import KBEntry
from consistency.textcheck import printable, unencodable_reason

__all__ = ["KB_SUFFIXES", "ParsedEntry", "find_kb_files", "parse_file", "validate_entries"]

KB_SUFFIXES = (".yaml", ".yml", ".json")
_FIELDS = {"id", "topic", "questions", "answer", "tags", "valid_from", "valid_to"}
_REQUIRED = ("id", "questions", "answer")

ParsedEntry = tuple[KBEntry, int | None]


def find_kb_files(path: Path) -> list[Path]:
    """Every KB file under ``path`` (recursively, sorted), or ``[path]`` for a file."""
    if path.is_file():
        return [path]
    return sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in KB_SUFFIXES)


# libyaml's parser when PyYAML was built with it: a 10k-entry KB parses ~5x faster.
_SafeBase: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


#: The most values (mappings, lists and scalars) a KB file may expand to once its
#: aliases are followed. A 10,000-entry KB is ~200,000; a "billion laughs" file of
#: 815 bytes, ten levels of nine aliases, expands to 3.5 billion and took minutes and
#: all the memory to describe. Counted on the parsed node graph, before anything is built.
MAX_EXPANDED_VALUES = 2_000_000


class AliasBombError(yaml.YAMLError):
    """Aliases that expand a file past :data:`MAX_EXPANDED_VALUES` values, or refer to themselves."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _check_expansion(root: yaml.Node, limit: int = MAX_EXPANDED_VALUES) -> None:
    """Refuse a document whose aliases expand it past ``limit`` values, or loop.

    Each node's expanded size is counted once (an alias is the anchored node itself,
    shared), so the check costs the document's size, not its expansion.
    """
    sizes: dict[int, int] = {}
    entered: set[int] = set()  # on the path from the root: a child among them is a loop
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        if finished:
            entered.discard(key)
            size = 1 + sum(sizes[id(child)] for child in _children(node))
            if size > limit:
                raise AliasBombError(
                    node.start_mark.line + 1,
                    f"aliases expand this value to more than {limit:,} values (an alias "
                    "bomb, 'billion laughs'); the file is refused",
                )
            sizes[key] = size
            continue
        if key in sizes:
            continue
        if key in entered:
            raise AliasBombError(
                node.start_mark.line + 1, "an alias refers to the value that contains it"
            )
        entered.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node) if id(child) not in sizes)


class _LineLoader(_SafeBase):  # type: ignore[misc, valid-type]
    """A safe loader that records the line of every mapping and of every key in it, and
    refuses alias bombs (see :func:`_check_expansion`) before building anything."""

    #: Whether the text may hold aliases (an alias is written ``*name``): without a
    #: ``*`` the walk is skipped (it is ~10% of parsing a 10,000-entry KB).
    may_alias = True

    def get_single_data(self) -> Any:
        node = self.get_single_node()
        if node is None:
            return None
        if self.may_alias:
            _check_expansion(node)
        return self.construct_document(node)


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    lines = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if isinstance(key, str):
            lines[key] = key_node.start_mark.line + 1
    mapping["__line__"] = node.start_mark.line + 1
    mapping["__lines__"] = lines
    return mapping


def _construct_timestamp(loader: _LineLoader, node: yaml.ScalarNode) -> Any:
    # An impossible date such as 2024-13-01 stays a string, so validation can
    # report it against its field instead of the whole file failing to parse.
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def _load_documents(path: Path, text: str) -> Any:
    if path.suffix.lower() == ".json":
        return json.loads(text)
    loader = _LineLoader(text)
    loader.may_alias = "*" in text
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


#: Contexts whose mark is where the mistake is: something opened there and never closed
#: (the parser notices only lines later, or at the end of the file).
_OPENED_CONTEXTS = ("while scanning a quoted scalar", "while parsing a flow")


def _syntax_error(exc: yaml.YAMLError) -> tuple[int | None, str]:
    """The line a YAML error lies on, and its message.

    libyaml marks where it gave up: for a quote or bracket never closed that is the
    end of the file or the next line, while the mistake is where it opened (its
    context); for anything else the problem's own mark is the place.
    """
    problem_mark = getattr(exc, "problem_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    problem = str(getattr(exc, "problem", None) or exc)
    context = str(getattr(exc, "context", None) or "")
    if context_mark is not None and context.startswith(_OPENED_CONTEXTS):
        at = f" at line {problem_mark.line + 1}" if problem_mark is not None else ""
        opened = context.removeprefix("while ")
        return context_mark.line + 1, f"{problem}{at}, {opened} that starts on this line"
    return (problem_mark.line + 1 if problem_mark is not None else None), problem


def parse_file(path: Path, display: str) -> tuple[list[ParsedEntry], list[KBProblem]]:
    """Entries of one file and the problems found in it; never raises on bad data."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [], [KBProblem(file=display, type="unreadable", msg=f"cannot read file: {exc}")]
    try:
        data = _load_documents(path, text)
    except AliasBombError as exc:
        return [], [KBProblem(file=display, line=exc.line, type="yaml-alias", msg=exc.message)]
    except yaml.YAMLError as exc:
        line, problem = _syntax_error(exc)
        return [], [KBProblem(file=display, line=line, type="yaml-syntax", msg=problem)]
    except json.JSONDecodeError as exc:
        return [], [KBProblem(file=display, line=exc.lineno, type="json-syntax", msg=exc.msg)]
    except (ValueError, TypeError, RecursionError) as exc:
        return [], [KBProblem(file=display, type="yaml-value", msg=f"cannot read value: {exc}")]
    if data is None:
        return [], []
    if isinstance(data, Mapping) and "entries" in data:
        data = data["entries"]
    if not isinstance(data, list):
        return [], [
            KBProblem(
                file=display,
                line=1,
                type="not-a-list",
                msg=f"a KB file holds a list of entries, got {type(data).__name__}",
            )
        ]
    return validate_entries(data, display)


_SHORT = reprlib.Repr()
_SHORT.maxlevel = 3
_SHORT.maxlist = _SHORT.maxdict = 10
_SHORT.maxstring = _SHORT.maxother = 200


def _describe(value: Any) -> str:
    """A bad value for a problem report: a string as it is, anything else as a repr cut
    short (nested and long lists end in "..."), so describing a value costs little."""
    if isinstance(value, str):
        return value
    text = _SHORT.repr(value)
    return text if len(text) <= 200 else text[:199] + "…"


def validate_entries(
    items: Iterable[Any], display: str
) -> tuple[list[ParsedEntry], list[KBProblem]]:
    """Validate raw entry dicts; returns the good entries and every problem found."""
    entries: list[ParsedEntry] = []
    problems: list[KBProblem] = []
    for index, raw in enumerate(items):
        if not isinstance(raw, Mapping):
            problems.append(
                KBProblem(
                    file=display,
                    entry_index=index,
                    type="not-a-mapping",
                    msg=f"an entry is a mapping of fields, got {type(raw).__name__}",
                    input=_describe(raw),
                )
            )
            continue
        line = raw.get("__line__")
        lines: Mapping[str, int] = raw.get("__lines__") or {}
        fields = {k: v for k, v in raw.items() if k not in ("__line__", "__lines__")}
        entry_id = printable(fields["id"]) if isinstance(fields.get("id"), str) else None
        found = _check_fields(fields)

        def at(field: str | None, line_: int | None = line, lines_: Mapping[str, int] = lines):
            return lines_.get(field, line_) if field else line_

        for field, type_, msg, value in found:
            problems.append(
                KBProblem(
                    file=display,
                    line=at(field),
                    entry_index=index,
                    entry_id=entry_id,
                    loc=(field,) if field else (),
                    type=type_,
                    msg=msg,
                    input=None if value is None else _describe(value),
                )
            )
        if found:
            continue
        entries.append(
            (
                KBEntry(
                    id=fields["id"].strip(),
                    topic=fields.get("topic"),
                    questions=tuple(q.strip() for q in fields["questions"]),
                    answer=" ".join(fields["answer"].split()),
                    tags=tuple(fields.get("tags") or ()),
                    valid_from=fields.get("valid_from"),
                    valid_to=fields.get("valid_to"),
                    source_file=display,
                    source_line=line,
                ),
                index,
            )
        )
    return entries, problems


def _parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


#: An entry id is kebab-case, as the format reference says: it appears in URLs
#: (/v1/entries/{id}), file names and reports, so no spaces or capitals.
_KEBAB = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_KEBAB_RULE = (
    "must be kebab-case: lower-case letters and digits, words joined by single hyphens "
    "(returns-window)"
)


def _check_fields(fields: dict[str, Any]) -> list[tuple[str | None, str, str, Any]]:
    """Problems of one entry as (field, type, msg, input); normalises dates in place."""
    found: list[tuple[str | None, str, str, Any]] = []
    for name in _REQUIRED:
        if name not in fields or fields[name] is None:
            found.append((name, "missing", "field required", None))
    for name in sorted(set(fields) - _FIELDS, key=str):
        known = ", ".join(sorted(_FIELDS))
        found.append((str(name), "unknown-field", f"unknown field; known fields: {known}", None))
    if isinstance(fields.get("id"), str):
        if not fields["id"].strip():
            found.append(("id", "empty", "must be a non-empty string", fields["id"]))
        elif not _KEBAB.fullmatch(fields["id"].strip()):
            found.append(("id", "id-format", _KEBAB_RULE, fields["id"]))
    elif fields.get("id") is not None:
        found.append(("id", "type", "must be a string", fields["id"]))
    questions = fields.get("questions")
    if questions is not None:
        if not isinstance(questions, list):
            found.append(("questions", "type", "must be a list of strings", questions))
        elif not questions:
            found.append(("questions", "empty", "needs at least one question", None))
        else:
            for i, q in enumerate(questions):
                if not isinstance(q, str) or not q.strip():
                    found.append(("questions", "type", f"item {i} must be a non-empty string", q))
    answer = fields.get("answer")
    if answer is not None and (not isinstance(answer, str) or not answer.strip()):
        found.append(("answer", "type", "must be a non-empty string", answer))
    topic = fields.get("topic")
    if topic is not None and not isinstance(topic, str):
        found.append(("topic", "type", "must be a string", topic))
    tags = fields.get("tags")
    if tags is not None and (
        not isinstance(tags, list) or not all(isinstance(t, str) for t in tags)
    ):
        found.append(("tags", "type", "must be a list of strings", tags))
    for name in ("valid_from", "valid_to"):
        value = fields.get(name)
        if value is None:
            continue
        parsed = _parse_date(value)
        if parsed is None:
            found.append((name, "date", "must be a date YYYY-MM-DD", value))
        else:
            fields[name] = parsed
    start, end = fields.get("valid_from"), fields.get("valid_to")
    if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
        found.append(("valid_to", "date-order", "must not be before valid_from", end.isoformat()))
    for name in ("id", "topic", "questions", "answer", "tags"):
        # a lone surrogate from a JSON escape (libyaml refuses one in YAML itself)
        value = fields.get(name)
        for i, text in enumerate(value if isinstance(value, list) else [value]):
            if isinstance(text, str) and (reason := unencodable_reason(text)) is not None:
                where = f"item {i}: " if isinstance(value, list) else ""
                found.append((name, "bad-text", where + reason, None))
    return found
