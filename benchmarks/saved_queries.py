"""Every saved query of a (generated) graph, the way a user runs it, next to pyoxigraph in memory.

    python benchmarks/saved_queries.py --kg bench-data/kg-1000000 [--only timeline,sources] [--no-direct]

For each saved query, whole `kgtool` processes (start-up included), each with its peak memory:
- first page, first run: `kgtool query NAME --limit 100` with no answer kept yet for this graph version
  (a whole-graph listing is computed on an in-memory copy, a query with parameters on the index);
- first page, kept: the same command again (read from the kept answer);
- full listing, kept: `kgtool query NAME --format tsv`;
- on the index, not kept: `kgtool sparql --file queries/NAME.rq`, the index answering directly (ad-hoc
  queries are never kept): where the on-disk store stands by itself;
and, as the reference, pyoxigraph in memory: the same query text on an in-memory store of the same
files in one process (the load once, then each query serialized to TSV), query time only.
Required parameters get a node of the generated graph (the actor with most participations, the first
event), and `events-by-actor` is also run with that actor's label (a name looked up).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PICK = {
    "actor": "SELECT ?x (COUNT(*) AS ?n) WHERE { ?p <https://w3id.org/kgtool/ontology#agent> ?x }"
    " GROUP BY ?x ORDER BY DESC(?n) STR(?x) LIMIT 1",
    "event": "SELECT ?x WHERE { ?x <https://w3id.org/kgtool/ontology#eventType> ?t }"
    " ORDER BY STR(?x) LIMIT 1",
}
LABEL = "SELECT ?l WHERE {{ <{iri}> <http://www.w3.org/2000/01/rdf-schema#label> ?l }} LIMIT 1"


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Wall seconds, peak resident MB and output lines of one process; fails loudly on an error.

    The peak is measured by GNU time when it is there: a process forked from this one would otherwise
    report this process's own peak (Linux keeps ru_maxrss across fork and exec)."""
    gnu_time = Path("/usr/bin/time")
    wrapped = [str(gnu_time), "-f", "%M", *cmd] if gnu_time.is_file() else cmd
    started = time.perf_counter()
    proc = subprocess.Popen(wrapped, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    lines = sum(chunk.count(b"\n") for chunk in iter(lambda: proc.stdout.read(1 << 16), b""))  # type: ignore[union-attr]
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    stderr = proc.stderr.read().decode() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed: {stderr.strip()}")
    peak_kb = float(stderr.strip().splitlines()[-1]) if wrapped is not cmd else usage.ru_maxrss
    return seconds, peak_kb / 1024, lines


def fmt(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kg", type=Path, required=True)
    parser.add_argument("--only", help="comma-separated query names")
    parser.add_argument("--no-direct", action="store_true", help="skip the slow on-the-index runs")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))

    import pyoxigraph as ox

    from kgtool.query import catalog
    from kgtool.store import disk_index
    from kgtool.store.graph_folder import locate

    kg = locate(str(args.kg))
    kgtool = shutil.which("kgtool", path=str(Path(sys.executable).parent)) or "kgtool"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    built = disk_index.build(kg)
    results = built.path / "results"
    store = disk_index.open_built(built)
    picks = {name: list(store.query(text))[0][0].value for name, text in PICK.items()}  # type: ignore[index]
    label = list(store.query(LABEL.format(iri=picks["actor"])))[0][0].value  # type: ignore[index]
    del store

    runs: list[tuple[str, str, list[str]]] = []
    for query in catalog.load_all(kg.query_dir):
        if args.only and query.name not in args.only.split(","):
            continue
        values = [f"{p.name}={picks[p.name]}" for p in query.params if p.required and p.default is None]
        runs.append((query.name, query.name, values))
        if query.name == "events-by-actor":
            runs.append((f"{query.name} (by name: {label})", query.name, [f"actor={label}"]))

    measured = []
    for title, name, values in runs:
        print(f"{title} ...", file=sys.stderr)
        params = [arg for value in values for arg in ("-p", value)]
        base = [kgtool, "--kg", str(kg.root)]
        shutil.rmtree(results, ignore_errors=True)
        cold = timed([*base, "query", name, *params, "--limit", "100", "-f", "tsv"], env)
        kept = statistics.median(
            timed([*base, "query", name, *params, "--limit", "100", "-f", "tsv"], env)[0] for _ in range(3)
        )
        full = timed([*base, "query", name, *params, "-f", "tsv"], env)
        direct = None
        if not args.no_direct:
            rq = kg.query_dir / f"{name}.rq"
            direct = timed([*base, "sparql", "--file", str(rq), *params, "-f", "tsv"], env)
        measured.append((title, name, values, cold, kept, full, direct))

    print("reference: loading the graph into an in-memory pyoxigraph store ...", file=sys.stderr)
    from kgtool.query.engines import OxigraphEngine
    from kgtool.query.lookup import bind_all
    from kgtool.store.dataset import open_dataset

    started = time.perf_counter()
    memory = open_dataset(kg, in_memory=True)
    load_seconds = time.perf_counter() - started
    engine = OxigraphEngine(memory.store)
    rows_out = []
    for title, name, values, cold, kept, full, direct in measured:
        saved = catalog.load(kg.query_dir, name)
        bindings = bind_all(engine, saved.params, dict(v.split("=", 1) for v in values), memory.prefixes)
        text = saved.prepared.for_run(memory.prefixes).engine_text(bindings)
        t0 = time.perf_counter()
        answer = memory.store.query(text, use_default_graph_as_union=True)
        with open(os.devnull, "wb") as sink:
            if isinstance(answer, ox.QuerySolutions):
                answer.serialize(sink, format=ox.QueryResultsFormat.TSV)
        reference = time.perf_counter() - t0
        rows_out.append((title, full[2] - 1, cold, kept, full, direct, reference))

    print(
        f"\n{len(rows_out)} runs on {kg.root} ({built.triples:,} triples in the index); "
        f"in-memory reference load {fmt(load_seconds)}\n"
    )
    print(
        "| query (rows) | first page, first run | first page, kept | full listing, kept | "
        "on the index, not kept | pyoxigraph in memory (query only) |"
    )
    print("|---|---|---|---|---|---|")
    for title, rows, cold, kept, full, direct, reference in rows_out:
        direct_text = f"{fmt(direct[0])}, {direct[1]:.0f} MB" if direct else "-"
        print(
            f"| `{title}` ({rows:,}) | {fmt(cold[0])}, {cold[1]:.0f} MB | {fmt(kept)} | "
            f"{fmt(full[0])}, {full[1]:.0f} MB | {direct_text} | {fmt(reference)} |"
        )


if __name__ == "__main__":
    main()
