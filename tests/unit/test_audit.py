"""Reading the audit log by time when its rows were written with different UTC offsets."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

from itpm_tui.store import Store


def test_since_compares_instants_not_text_across_utc_offsets(store: Store) -> None:
    # Three writers in three zones (or one across a DST change): text order is not time order.
    stamps = {
        "2026-11-23T09:30:00+01:00": "08:30Z, before",
        "2026-11-23T08:45:00+00:00": "08:45Z, after",
        "2026-11-23T09:10:00+02:00": "07:10Z, before",
        "2026-11-22T23:30:00-10:00": "09:30Z on the 23rd, after (local date the 22nd)",
    }
    with sqlite3.connect(store.path) as conn:
        conn.executemany(
            "INSERT INTO audit (at, who, entity, entity_id, field, old, new)"
            " VALUES (?, 'pm', 'task', 1, 'title', NULL, ?)",
            list(stamps.items()),
        )
    since = datetime(2026, 11, 23, 8, 40, tzinfo=UTC)
    found = store.audit.find(since=since, newest_first=False)
    assert [e.new for e in found] == [
        "08:45Z, after",
        "09:30Z on the 23rd, after (local date the 22nd)",
    ]
    assert [e.new for e in store.audit.find(since=since, limit=1)] == [
        "09:30Z on the 23rd, after (local date the 22nd)"
    ]
