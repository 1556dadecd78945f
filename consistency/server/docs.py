"""``/docs``: the API reference as one plain HTML page, rendered from the OpenAPI schema.

FastAPI's Swagger UI and ReDoc load their scripts and styles from a CDN, so on a
machine without internet access ``/docs`` was a blank page. This page needs
nothing from outside and no script: every operation with its summary, its
description, the request body and the responses, each schema's fields, and a
link to ``/openapi.json`` for tools (a local Swagger UI, an API client).
"""

from __future__ import annotations

import re
from html import escape
from typing import Any

__all__ = ["render_api_reference"]

_METHODS = ("get", "post", "put", "patch", "delete")
_CODE = re.compile(r"`([^`]+)`")


def _prose(text: str) -> str:
    """Escaped text, with the schema's Markdown code spans (`x`) as ``<code>``."""
    return _CODE.sub(r"<code>\1</code>", escape(text))


def _ref_name(schema: dict[str, Any]) -> str:
    """The type a schema names: a model (``CheckRequest``), an array of one, or a JSON type."""
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if schema.get("type") == "array":
        return f"list of {_ref_name(schema.get('items', {}))}"
    if "anyOf" in schema:
        return " or ".join(_ref_name(s) for s in schema["anyOf"])
    return str(schema.get("type", "any"))


def _link(name: str) -> str:
    return f'<a href="#schema-{escape(name)}">{escape(name)}</a>'


def _type(schema: dict[str, Any], schemas: dict[str, Any]) -> str:
    name = _ref_name(schema)
    parts = [_link(p) if p in schemas else escape(p) for p in name.split(" or ")]
    return " or ".join(parts)


def _operation(path: str, method: str, op: dict[str, Any], schemas: dict[str, Any]) -> str:
    out = [f'<section class="op"><h3><code>{method.upper()} {escape(path)}</code></h3>']
    if op.get("summary"):
        out.append(f"<p><strong>{escape(op['summary'])}</strong></p>")
    if op.get("description"):
        out.extend(f"<p>{_prose(p)}</p>" for p in op["description"].split("\n\n") if p.strip())
    params = op.get("parameters", [])
    if params:
        out.append("<h4>Parameters</h4><ul>")
        for p in params:
            desc = escape(p.get("description", ""))
            typ = _type(p.get("schema", {}), schemas)
            need = ", required" if p.get("required") else ""
            out.append(
                f"<li><code>{escape(p['name'])}</code> ({escape(p['in'])}{need}, {typ}) {desc}</li>"
            )
        out.append("</ul>")
    body = op.get("requestBody", {}).get("content", {}).get("application/json")
    if body is not None:
        out.append(f"<h4>Request body</h4><p>JSON: {_type(body.get('schema', {}), schemas)}</p>")
    responses = op.get("responses", {})
    if responses:
        out.append("<h4>Responses</h4><ul>")
        for code, resp in responses.items():
            content = resp.get("content", {}).get("application/json")
            typ = f" ({_type(content.get('schema', {}), schemas)})" if content else ""
            desc = escape(resp.get("description", ""))
            out.append(f"<li><code>{escape(str(code))}</code>{typ} {desc}</li>")
        out.append("</ul>")
    if op.get("security"):
        out.append("<p>Needs <code>Authorization: Bearer &lt;token&gt;</code>.</p>")
    out.append("</section>")
    return "\n".join(out)


def _schema(name: str, schema: dict[str, Any], schemas: dict[str, Any]) -> str:
    out = [f'<section class="schema" id="schema-{escape(name)}"><h3>{escape(name)}</h3>']
    if schema.get("description"):
        out.append(f"<p>{escape(schema['description'])}</p>")
    props = schema.get("properties", {})
    if props:
        required = set(schema.get("required", []))
        out.append("<table><tr><th>field</th><th>type</th><th>description</th></tr>")
        for field, spec in props.items():
            limits = [
                f"{key} {spec[key]}"
                for key in ("minLength", "maxLength", "minItems", "maxItems")
                if key in spec
            ]
            note = f" ({', '.join(limits)})" if limits else ""
            star = " *" if field in required else ""
            out.append(
                f"<tr><td><code>{escape(field)}</code>{star}</td>"
                f"<td>{_type(spec, schemas)}{escape(note)}</td>"
                f"<td>{_prose(spec.get('description', ''))}</td></tr>"
            )
        out.append("</table>")
    elif "enum" in schema:
        out.append(f"<p>One of: {escape(', '.join(map(str, schema['enum'])))}</p>")
    out.append("</section>")
    return "\n".join(out)


def render_api_reference(openapi: dict[str, Any]) -> str:
    """The whole reference page for an OpenAPI document (``app.openapi()``).

    Example:
        >>> page = render_api_reference({"info": {"title": "t", "version": "1"}, "paths": {}})
        >>> "<h1>t 1</h1>" in page and "://" not in page
        True
    """
    info = openapi.get("info", {})
    schemas = openapi.get("components", {}).get("schemas", {})
    title = f"{info.get('title', 'API')} {info.get('version', '')}".strip()
    ops = [
        _operation(path, method, item[method], schemas)
        for path, item in openapi.get("paths", {}).items()
        for method in _METHODS
        if method in item
    ]
    body = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)} · API reference</title>",
        '<link rel="stylesheet" href="static/docs.css"></head><body>',
        f"<h1>{escape(title)}</h1>",
    ]
    if info.get("summary"):
        body.append(f"<p><strong>{escape(info['summary'])}</strong></p>")
    description = info.get("description", "")
    body.extend(f"<p>{_prose(p.strip())}</p>" for p in description.split("\n\n") if p.strip())
    body.append(
        '<p>The machine-readable schema is at <a href="openapi.json"><code>/openapi.json</code></a>'
        ' (load it into any OpenAPI tool). The agent page is at <a href="."><code>/</code></a>.</p>'
    )
    body.append("<h2>Operations</h2>")
    body.extend(ops)
    body.append("<h2>Schemas</h2>")
    body.extend(_schema(name, spec, schemas) for name, spec in schemas.items())
    body.append("</body></html>")
    return "\n".join(body) + "\n"
