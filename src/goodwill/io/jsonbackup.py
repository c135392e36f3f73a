"""The JSON backup format: ``{"format": "goodwill", "version": 1, "workspace": {…},
"tables": {"<model>": [{field: value, …}, …]}}``. Rows keep their original ids so
foreign keys (``person_id`` …) can be remapped on restore."""

from __future__ import annotations

import json
from typing import Any

from .records import UnreadableFile

FORMAT = "goodwill"
VERSION = 1


def dumps(workspace: dict[str, Any], tables: dict[str, list[dict[str, Any]]]) -> str:
    doc = {"format": FORMAT, "version": VERSION, "workspace": workspace, "tables": tables}
    return json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=False) + "\n"


def loads(data: bytes) -> dict[str, Any]:
    """The parsed backup, checked for shape; UnreadableFile when it is not one."""
    if not data.strip():
        raise UnreadableFile("the file is empty")
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise UnreadableFile(f"not a goodwill JSON export ({str(exc)[:80]})") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise UnreadableFile('not a goodwill JSON export (no "format": "goodwill")')
    if doc.get("version") != VERSION:
        raise UnreadableFile(
            f"unsupported goodwill export version {doc.get('version')!r} (this reads {VERSION})"
        )
    tables = doc.get("tables")
    if not isinstance(tables, dict) or not all(
        isinstance(rows, list) and all(isinstance(r, dict) for r in rows)
        for rows in tables.values()
    ):
        raise UnreadableFile('a goodwill export needs "tables": {name: [rows]}')
    workspace = doc.setdefault("workspace", {})
    if not isinstance(workspace, dict) or not isinstance(workspace.setdefault("users", {}), dict):
        raise UnreadableFile('"workspace" must be an object with "users": {id: username}')
    return doc
