"""Findings and verdicts as tables: Arrow, Parquet, pandas and polars.

QA pipelines live in DataFrames, so the audit's findings and the checker's
verdicts are offered as one row per finding (or verdict) with flat, typed
columns. The columns are derived from the pydantic models by fixed rules, so a
field added to :class:`~consistency.findings.Finding` becomes a column
without touching this module, and an existing column never changes type:

* ``str`` and string ``Literal`` -> ``string``; ``int`` -> ``int64``;
  ``float`` -> ``float64``; ``bool`` -> ``bool``; ``date`` -> ``date32``;
  ``Decimal`` and ``datetime`` -> ``string`` (exact, ISO);
* ``X | None`` -> ``X``, nullable;
* ``tuple[X, ...]`` -> ``list<X>``;
* a span field ``name: tuple[int, int]`` -> two ``int64`` columns,
  ``name_start`` and ``name_end`` (null when there is no span);
* a nested model (``Evidence``, ``Conflict``...) -> ``struct`` of its own
  fields by the same rules;
* anything else (``Any``, ``dict``) -> ``string`` holding JSON.

pandas, polars and pyarrow come with the ``frames`` extra
(``pip install 'consistency[frames]'``); they are imported only when a function
here needs them, never by ``import consistency``.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib
import json
import os
import types
import typing
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from consistency.findings import SCHEMA_VERSION, Finding, json_default
from consistency.models import Verdict

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = [
    "FRAME_BACKENDS",
    "FindingProblem",
    "FindingsFileError",
    "FrameBackend",
    "findings_schema",
    "findings_to_arrow",
    "findings_to_frame",
    "read_findings",
    "require",
    "verdicts_schema",
    "verdicts_to_arrow",
    "verdicts_to_frame",
    "write_findings_parquet",
]

FrameBackend = Literal["pandas", "polars"]
#: The DataFrame libraries :func:`findings_to_frame` can return.
FRAME_BACKENDS: tuple[str, ...] = FrameBackend.__args__  # type: ignore[attr-defined]

#: Columns put first, in this order, when the model has them (the rest follow in field order).
_FIRST = ("id",)


def require(module: str) -> Any:
    """Import ``module`` (pandas, polars, pyarrow), or say which extra installs it.

    Raises:
        ImportError: the library is not installed; the message names
            ``pip install 'consistency[frames]'``.
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise ImportError(
            f"{module} is needed for DataFrames and Parquet but is not installed ({exc}); "
            "install the extra: pip install 'consistency[frames]'"
        ) from None


# -- the schema, derived from the models --------------------------------------------------


def _same(value: Any) -> Any:
    return value


def _nullsafe(fn: Callable[[Any], Any]) -> Callable[[Any], Any]:
    if fn is _same:
        return fn
    return lambda value: None if value is None else fn(value)


def _unwrap_optional(annotation: Any) -> tuple[Any, bool]:
    """``(X, True)`` for ``X | None``, ``(annotation, False)`` otherwise."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = typing.get_args(annotation)
        rest = [a for a in args if a is not type(None)]
        if len(rest) == 1 and len(rest) < len(args):
            return rest[0], True
    return annotation, False


def _is_span(annotation: Any) -> bool:
    return typing.get_origin(annotation) is tuple and typing.get_args(annotation) == (int, int)


def _to_json(value: Any) -> str:
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json")
    return json.dumps(value, default=json_default, sort_keys=True)


@dataclass(frozen=True)
class _Column:
    """One column (or struct field): where it comes from and how its values convert."""

    name: str
    field: str
    part: int | None  # 0 / 1: the start / end of a span field; None: the whole field
    type: pa.DataType
    nullable: bool
    encode: Callable[[Any], Any]
    decode: Callable[[Any], Any]


def _convert(annotation: Any) -> tuple[pa.DataType, Callable[[Any], Any], Callable[[Any], Any]]:
    """The Arrow type of one annotation, and how to encode / decode a (non-null) value."""
    pa = require("pyarrow")
    inner, _ = _unwrap_optional(annotation)
    origin, args = typing.get_origin(inner), typing.get_args(inner)
    if inner is bool:
        return pa.bool_(), _same, _same
    if inner is int:
        return pa.int64(), _same, _same
    if inner is float:
        return pa.float64(), _same, _same
    if inner is str:
        return pa.string(), _same, _same
    if inner is dt.datetime:
        return pa.string(), lambda v: v.isoformat(), _same
    if inner is dt.date:
        return pa.date32(), _same, _same
    if inner is Decimal:
        return pa.string(), str, _same
    if origin is Literal and args and all(isinstance(a, str) for a in args):
        return pa.string(), _same, _same
    if origin in (tuple, list) and (origin is list or (len(args) == 2 and args[1] is Ellipsis)):
        item_type, enc, dec = _convert(args[0])
        enc, dec = _nullsafe(enc), _nullsafe(dec)
        return (
            pa.list_(item_type),
            lambda v: [enc(x) for x in v],
            lambda v: [dec(x) for x in v],
        )
    if origin is tuple and args and all(a is int for a in args):  # a span inside a list
        return pa.list_(pa.int64()), list, tuple
    if isinstance(inner, type) and issubclass(inner, BaseModel):
        columns = _columns(inner)
        struct = pa.struct([pa.field(c.name, c.type, nullable=c.nullable) for c in columns])
        return struct, functools.partial(_encode, columns), functools.partial(_decode, columns)
    return pa.string(), _to_json, json.loads


@functools.cache
def _columns(model: type[BaseModel]) -> tuple[_Column, ...]:
    """Every field of ``model`` as columns, by the module's rules (cached per model)."""
    columns: list[_Column] = []
    names = [n for n in _FIRST if n in model.model_fields]
    names += [n for n in model.model_fields if n not in names]
    for name in names:
        annotation, optional = _unwrap_optional(model.model_fields[name].annotation)
        if _is_span(annotation):
            pa = require("pyarrow")
            for part, suffix in enumerate(("start", "end")):
                columns.append(
                    _Column(f"{name}_{suffix}", name, part, pa.int64(), optional, _same, _same)
                )
            continue
        arrow_type, enc, dec = _convert(annotation)
        nullable = optional or enc is _to_json  # JSON text of Any may be null
        columns.append(_Column(name, name, None, arrow_type, nullable, enc, dec))
    seen: set[str] = set()
    for column in columns:
        if column.name in seen:
            raise TypeError(f"{model.__name__}: two fields map to the column {column.name!r}")
        seen.add(column.name)
    return tuple(columns)


def _encode(columns: Sequence[_Column], obj: BaseModel) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for c in columns:
        value = getattr(obj, c.field)
        if c.part is not None:
            row[c.name] = None if value is None else value[c.part]
        else:
            row[c.name] = None if value is None else c.encode(value)
    return row


def _decode(columns: Sequence[_Column], row: dict[str, Any]) -> dict[str, Any]:
    """A row back to the model's field values (for ``model_validate``); absent columns are left out."""
    data: dict[str, Any] = {}
    for c in columns:
        if c.name not in row:
            continue
        value = row[c.name]
        if c.part is None:
            data[c.field] = None if value is None else c.decode(value)
        elif c.part == 0:
            end = row.get(f"{c.field}_end")
            data[c.field] = None if value is None or end is None else (value, end)
    return data


def _schema(model: type[BaseModel], name: str) -> pa.Schema:
    pa = require("pyarrow")
    return pa.schema(
        [pa.field(c.name, c.type, nullable=c.nullable) for c in _columns(model)],
        metadata={"consistency.model": name, "consistency.schema_version": str(SCHEMA_VERSION)},
    )


def findings_schema() -> pa.Schema:
    """The Arrow schema of :func:`findings_to_arrow`: one column per ``Finding`` field.

    ``id`` comes first, then the fields in ``Finding``'s order (``kind``,
    ``transcript_ids``, ``agent_ids``, ``customer_ids``, ``entry_id``,
    ``fact_kind``, ``values``, ``evidence``, ``explanation``...). ``evidence``
    and ``answers`` are ``list<struct>`` with one struct field per ``Evidence``
    field, the span as ``span_start`` / ``span_end``.
    """
    return _schema(Finding, "Finding")


def verdicts_schema() -> pa.Schema:
    """The Arrow schema of :func:`verdicts_to_arrow`: one column per ``Verdict`` field.

    ``conflicts`` is ``list<struct>`` of ``Conflict`` (spans as ``answer_span_start``
    ... ``kb_span_end``); ``matches``, ``supported`` and ``unverified_facts`` are
    ``list<struct>`` too; a fact's ``value`` and ``upper`` are JSON text
    (their type depends on the fact kind).
    """
    return _schema(Verdict, "Verdict")


def _rows(items: Iterable[Any], model: type[BaseModel], what: str) -> list[dict[str, Any]]:
    columns = _columns(model)
    rows = []
    for i, item in enumerate(items):
        if not isinstance(item, model):
            raise TypeError(
                f"{what}: item {i} is a {type(item).__name__}, expected a {model.__name__}"
            )
        rows.append(_encode(columns, item))
    return rows


def findings_to_arrow(findings: Iterable[Finding]) -> pa.Table:
    """Findings as an Arrow table, one row per finding, schema :func:`findings_schema`.

    Raises:
        TypeError: an item is not a :class:`Finding` (read files with :func:`read_findings`).
        ImportError: pyarrow is missing (the ``frames`` extra).
    """
    pa = require("pyarrow")
    rows = _rows(findings, Finding, "findings_to_arrow")
    return pa.Table.from_pylist(rows, schema=findings_schema())


def verdicts_to_arrow(verdicts: Iterable[Verdict]) -> pa.Table:
    """Verdicts as an Arrow table, one row per verdict, in the order given.

    A verdict does not carry its question and answer: join the table with your
    own by position (``check_many`` returns verdicts in input order).
    """
    pa = require("pyarrow")
    rows = _rows(verdicts, Verdict, "verdicts_to_arrow")
    return pa.Table.from_pylist(rows, schema=verdicts_schema())


def _frame(table: pa.Table, backend: str) -> Any:
    if backend == "pandas":
        pd = require("pandas")
        frame = table.to_pandas()
        # Nested columns as plain Python lists and dicts: Arrow's default turns them into
        # numpy arrays and a nullable int inside a struct into a float (turn 4 -> 4.0).
        for field in table.schema:
            if field.type.num_fields:  # list or struct
                column = table.column(field.name).to_pylist()
                frame[field.name] = pd.Series(column, index=frame.index, dtype=object)
        return frame
    if backend == "polars":
        return require("polars").from_arrow(table)
    raise ValueError(f"unknown DataFrame backend {backend!r}; known: {', '.join(FRAME_BACKENDS)}")


def findings_to_frame(findings: Iterable[Finding], *, backend: FrameBackend = "pandas") -> Any:
    """Findings as a pandas or polars DataFrame with the columns of :func:`findings_schema`.

    Args:
        findings: :class:`Finding` objects (from :func:`consistency.audit.audit`'s
            output via :func:`read_findings`, or your own).
        backend: ``"pandas"`` (string columns are pandas' string dtype;
            list columns hold Python lists, a struct is a dict) or ``"polars"``
            (typed ``List`` and ``Struct`` columns).

    Raises:
        ValueError: an unknown backend (the message lists the known ones).
        ImportError: the backend is not installed (the ``frames`` extra).

    Example (``read_findings("audit-out")`` gives an audit's findings; one made here):
        >>> from consistency.findings import Finding
        >>> wrong = Finding(kind="kb_contradiction", transcript_ids=("t1",), agent_ids=("a7",),
        ...                 customer_ids=(), entry_id="returns-window", fact_kind="duration",
        ...                 values=("14 days",), evidence=(), explanation="")
        >>> df = findings_to_frame([wrong])
        >>> df[df.kind == "kb_contradiction"].groupby("entry_id").size().to_dict()
        {'returns-window': 1}
    """
    if backend not in FRAME_BACKENDS:
        raise ValueError(
            f"unknown DataFrame backend {backend!r}; known: {', '.join(FRAME_BACKENDS)}"
        )
    return _frame(findings_to_arrow(findings), backend)


def verdicts_to_frame(verdicts: Iterable[Verdict], *, backend: FrameBackend = "pandas") -> Any:
    """Verdicts as a pandas or polars DataFrame, one row per verdict (:func:`verdicts_schema`)."""
    if backend not in FRAME_BACKENDS:
        raise ValueError(
            f"unknown DataFrame backend {backend!r}; known: {', '.join(FRAME_BACKENDS)}"
        )
    return _frame(verdicts_to_arrow(verdicts), backend)


# -- files --------------------------------------------------------------------------------


def write_findings_parquet(path: str | os.PathLike[str], findings: Iterable[Finding]) -> int:
    """Write ``findings.parquet`` (zstd) atomically: a temporary name, then a rename.

    Returns:
        The number of findings written.
    """
    pq = require("pyarrow.parquet")
    table = findings_to_arrow(findings)
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    pq.write_table(table, tmp, compression="zstd")
    os.replace(tmp, path)
    return table.num_rows


class FindingProblem(BaseModel):
    """A finding :func:`read_findings` could not read: where, and why.

    ``line`` is the 1-based line of a JSONL file or row of a Parquet file
    (``None`` for a problem with the whole file, such as an unknown column);
    ``loc`` the field path pydantic reported.
    """

    model_config = ConfigDict(frozen=True)

    file: str
    line: int | None
    reason: str
    loc: tuple[str | int, ...] = ()

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        field = f" {'.'.join(str(p) for p in self.loc)}:" if self.loc else ""
        return f"{where}{field} {self.reason}"


class FindingsFileError(ValueError):
    """A findings file with problems; ``problems`` holds every one of them."""

    def __init__(self, problems: Sequence[FindingProblem]) -> None:
        self.problems = tuple(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} reading findings"
        super().__init__("\n".join([head, *(str(p) for p in self.problems)]))


ProblemSink = list[FindingProblem] | Callable[[FindingProblem], None] | None


def _validation_problems(file: str, line: int, exc: ValidationError) -> list[FindingProblem]:
    return [
        FindingProblem(file=file, line=line, loc=tuple(e["loc"]), reason=e["msg"])
        for e in exc.errors(include_url=False)
    ]


def _read_jsonl(path: Path, report: Callable[[FindingProblem], None]) -> list[Finding]:
    findings = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                findings.append(Finding.model_validate_json(line))
            except ValidationError as exc:
                for problem in _validation_problems(str(path), number, exc):
                    report(problem)
    return findings


def _read_parquet(path: Path, report: Callable[[FindingProblem], None]) -> list[Finding]:
    pq = require("pyarrow.parquet")
    try:
        table = pq.read_table(path)
    except (OSError, ValueError) as exc:  # ArrowInvalid is a ValueError
        report(FindingProblem(file=str(path), line=None, reason=f"not a Parquet file: {exc}"))
        return []
    columns = _columns(Finding)
    known = {c.name for c in columns}
    unknown = [n for n in table.column_names if n not in known]
    if unknown:
        report(
            FindingProblem(
                file=str(path),
                line=None,
                reason=(
                    f"unknown column(s) {', '.join(unknown)} (written by a newer version?); "
                    "they were not read"
                ),
            )
        )
        table = table.drop_columns(unknown)
    required = [c.name for c in columns if Finding.model_fields[c.field].is_required()]
    missing = [n for n in required if n not in table.column_names]
    if missing:
        report(
            FindingProblem(
                file=str(path), line=None, reason=f"missing column(s) {', '.join(missing)}"
            )
        )
        return []
    findings = []
    for number, row in enumerate(table.to_pylist(), start=1):
        try:
            findings.append(Finding.model_validate(_decode(columns, row)))
        except ValidationError as exc:
            for problem in _validation_problems(str(path), number, exc):
                report(problem)
    return findings


def read_findings(path: str | os.PathLike[str], *, errors: ProblemSink = None) -> list[Finding]:
    """Read ``findings.jsonl`` or ``findings.parquet`` back into :class:`Finding` objects.

    Args:
        path: a ``.jsonl`` / ``.ndjson`` or ``.parquet`` file, or an audit's
            output folder (its ``findings.jsonl``, which every audit writes).
        errors: where unreadable findings go: a list (appended to) or a
            callable; they are skipped and the rest are returned. ``None``
            (the default) raises :class:`FindingsFileError` with every problem
            once the file has been read.

    Returns:
        The findings in file order, equal to the ones written.

    Raises:
        FindingsFileError: problems in the file and ``errors`` is ``None``.
        ValueError: an extension that is neither JSONL nor Parquet.
        FileNotFoundError: no such file.
    """
    source = Path(path)
    if source.is_dir():
        source = source / "findings.jsonl"
    suffix = source.suffix.lower()
    if suffix not in (".jsonl", ".ndjson", ".parquet"):
        raise ValueError(
            f"{source}: cannot tell the format from {suffix or 'no extension'!r}; "
            "expected .jsonl, .ndjson or .parquet"
        )
    if not source.exists():
        raise FileNotFoundError(f"no findings file at {source}")
    collected: list[FindingProblem] = []
    if errors is None:
        report: Callable[[FindingProblem], None] = collected.append
    elif isinstance(errors, list):
        report = errors.append
    else:
        report = errors
    reader = _read_parquet if suffix == ".parquet" else _read_jsonl
    findings = reader(source, report)
    if collected:
        raise FindingsFileError(collected)
    return findings
