"""The cache directory shared by the inference cache and the on-disk index, and its write discipline.

Location: `$KGTOOL_CACHE`, else `$XDG_CACHE_HOME/kgtool`, else `~/.cache/kgtool`. Entries are keyed by
the graph's content hash; they are written with kgtool's one crash-safe writer (`write_entry`), so a
crash never leaves a half-written entry behind. Hashing big graphs is not free, so `fingerprint`
remembers the hash per folder together with every file's (size, mtime_ns) and rehashes only when one
of them changes.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path

from kgtool.options import GraphPart
from kgtool.store.graph_folder import KnowledgeGraph

ENV_VAR = "KGTOOL_CACHE"


def cache_dir() -> Path:
    """The cache root (not created here)."""
    explicit = os.environ.get(ENV_VAR)
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "kgtool"


def write_entry(path: Path, data: bytes) -> None:
    """Write a cache entry crash-safely (`rdf.atomic_write`); a cache that cannot be written only costs
    speed, so a failure is ignored."""
    from kgtool.errors import InputError
    from kgtool.rdf.atomic_write import write_atomic

    with contextlib.suppress(InputError):
        write_atomic(path, data, make_parents=True)


def _signature(kg: KnowledgeGraph, only: GraphPart) -> list[list[object]]:
    out: list[list[object]] = []
    for path in kg.files(only):
        st = path.stat()
        out.append([path.relative_to(kg.root).as_posix(), st.st_size, st.st_mtime_ns])
    return out


def fingerprint(kg: KnowledgeGraph, only: GraphPart = GraphPart.ALL) -> str:
    """`kg.fingerprint(only)`, memoised on disk against the files' names, sizes and mtimes."""
    signature = _signature(kg, only)
    key = hashlib.sha256(f"{kg.root}\0{only.value}".encode()).hexdigest()[:32]
    memo = cache_dir() / "fingerprints" / f"{key}.json"
    try:
        saved = json.loads(memo.read_text())
        if saved.get("signature") == signature and isinstance(saved.get("fingerprint"), str):
            return str(saved["fingerprint"])
    except (OSError, ValueError):
        pass
    value = kg.fingerprint(only)
    write_entry(memo, json.dumps({"signature": signature, "fingerprint": value}).encode())
    return value
