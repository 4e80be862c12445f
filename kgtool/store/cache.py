"""The cache directory shared by the inference cache and the on-disk index, and its write discipline.

Location: `$KGTOOL_CACHE`, else `$XDG_CACHE_HOME/kgtool`, else `~/.cache/kgtool`. Entries are keyed by
the graph's content hash; they are written with kgtool's one crash-safe writer (`write_entry`), so a
crash never leaves a half-written entry behind. Hashing big graphs is not free (0.5 s for 155 MB), so
`fingerprint` remembers each file's hash with its (size, mtime_ns) and rehashes only the files that
changed: after `kgtool add` writes one contribution, only that file is hashed.
"""

from __future__ import annotations

import contextlib
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


def file_digest(path: Path) -> bytes:
    """SHA-256 of a file's bytes, read in chunks (a graph file may be hundreds of MB)."""
    import hashlib  # here, not at the top: the query path reads cached headers without it

    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.digest()


def fingerprint(kg: KnowledgeGraph, only: GraphPart = GraphPart.ALL) -> str:
    """`kg.fingerprint(only)`, each file's hash memoised on disk against its size and mtime."""
    import hashlib  # here, not at the top: the query path reads cached headers without it

    key = hashlib.sha256(f"{kg.root}\0{only.value}".encode()).hexdigest()[:32]
    memo = cache_dir() / "fingerprints" / f"{key}.json"
    try:
        saved = json.loads(memo.read_text()).get("files", {})
        saved = saved if isinstance(saved, dict) else {}
    except (OSError, ValueError):
        saved = {}
    files: dict[str, list[object]] = {}
    total = hashlib.sha256()
    for path in kg.files(only):
        name = path.relative_to(kg.root).as_posix()
        st = path.stat()
        entry = saved.get(name)
        if isinstance(entry, list) and entry[:2] == [st.st_size, st.st_mtime_ns] and len(entry) == 3:
            digest = bytes.fromhex(str(entry[2]))
        else:
            digest = file_digest(path)
        files[name] = [st.st_size, st.st_mtime_ns, digest.hex()]
        total.update(name.encode())
        total.update(b"\0")
        total.update(digest)
    value = total.hexdigest()
    if files != saved:
        write_entry(memo, json.dumps({"files": files, "fingerprint": value}).encode())
    return value
