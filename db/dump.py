"""Helpers for each feature's export(): rows as JSON-ready dicts with readable UTC times."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlite_utils import Database


def utc(seconds: int | None) -> str | None:
    """Epoch seconds as an ISO 8601 UTC time (what a person can read in an export)."""
    return None if seconds is None else datetime.fromtimestamp(seconds, UTC).isoformat()


def rows(
    db: Database,
    sql: str,
    params: Sequence[Any],
    times: Iterable[str] = (),
    json_columns: Iterable[str] = (),
) -> list[dict[str, Any]]:
    """Query rows as dicts; `times` columns become UTC times, `json_columns` are parsed."""
    times, json_columns = set(times), set(json_columns)
    found = []
    for row in db.query(sql, params):
        item = dict(row)
        for column in times & item.keys():
            item[column] = utc(item[column])
        for column in json_columns & item.keys():
            item[column] = json.loads(item[column]) if item[column] else None
        found.append(item)
    return found


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # OWASP "CSV Injection"


def cell(value: Any) -> Any:
    """A text a spreadsheet would run as a formula (her note "=HYPERLINK(...)", "-2 days",
    "@home") is written as text: OWASP's advice, a single quote before it. Numbers stay
    numbers; the JSON export keeps every text exactly as she wrote it."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_bytes(rows: Sequence[dict[str, Any]]) -> bytes:
    """Rows of one export section as a CSV file a spreadsheet opens (UTF-8 with its mark),
    every cell safe to open (see `cell`)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]) if rows else [])
    writer.writeheader()
    writer.writerows({key: cell(value) for key, value in row.items()} for row in rows)
    return buffer.getvalue().encode("utf-8-sig")
