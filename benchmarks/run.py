"""Benchmark kgtool on a generated graph of N triples, against the pure-Python reference tools.

    python benchmarks/run.py --triples 100000 [--data bench-data] [--timeout 300] [--markdown]

Every step runs in its own Python process (so each reports its own peak memory, and a step that
exceeds --timeout is stopped and reported as such). Columns: kgtool's path (pyoxigraph, the on-disk
index, the fast reasoner, focus-node validation) beside the reference path (rdflib, owlrl, pyshacl on
the whole graph), their ratio, and each side's peak resident memory.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


# --------------------------------------------------------------------------------------------------
# Steps, each run in a child process: `run.py --step NAME --kg DIR` prints one JSON object.


def _new_triples_file(out: Path, count: int = 100) -> Path:
    """About `count` new triples (events, their actors, places, articles) that link into the graph."""
    sys.path.insert(0, str(HERE))
    from generate import Generator

    gen = Generator(seed=777, tag="new")
    gen.link_to_existing()
    out.write_text("".join(gen.lines(count, setup=False)))
    return out


#: For parameters naming a node, a node of the generated graph (the examples name shipped ones).
PICK = {
    "actor": "SELECT ?x (COUNT(*) AS ?n) WHERE { ?p <https://w3id.org/kgtool/ontology#agent> ?x }"
    " GROUP BY ?x ORDER BY DESC(?n) STR(?x) LIMIT 1",
    "event": "SELECT ?x WHERE { ?x <https://w3id.org/kgtool/ontology#eventType> ?t }"
    " ORDER BY STR(?x) LIMIT 1",
}


def _params(query: Any, store: Any) -> dict[str, str]:
    values = {}
    for p in query.params:
        if not p.required or p.default is not None:
            continue
        picked = list(store.query(PICK[p.name])) if p.name in PICK else []
        values[p.name] = picked[0][0].value if picked else p.example
    return values


def step(name: str, kg_dir: Path, side: str) -> dict[str, Any]:
    """Run one measured step; returns {"seconds": ..., extra...}."""
    from kgtool.store.graph_folder import locate

    kg = locate(kg_dir)
    result: dict[str, Any] = {}
    started = time.perf_counter()
    if name == "load":
        if side == "fast":
            from kgtool.rdf.parsing import load_store

            result["triples"] = len(load_store(kg.files()))
        else:
            from kgtool.rdf.rdflib_bridge import load_rdflib

            result["triples"] = len(load_rdflib(kg.files()))
    elif name == "index":
        from kgtool.progress import silent
        from kgtool.store import disk_index

        result["triples"] = disk_index.build(kg, rebuild=True, progress=silent()).triples
    elif name == "queries":
        from kgtool.options import EngineName
        from kgtool.query import catalog
        from kgtool.query.engines import make_engine
        from kgtool.query.lookup import bind_all
        from kgtool.store.dataset import open_dataset

        store = open_dataset(kg).store  # the on-disk index above its threshold, else in memory
        runner = make_engine(EngineName.OXIGRAPH if side == "fast" else EngineName.RDFLIB, store)
        result["prepare"] = time.perf_counter() - started
        print(json.dumps({"prepare": result["prepare"]}), flush=True)  # survives a later timeout
        times: dict[str, Any] = {}
        for query in catalog.load_all(kg.query_dir):
            bindings = bind_all(runner, query.params, _params(query, store), query.prefixes)
            t0 = time.perf_counter()
            answer = runner.execute(query.prepared, bindings)
            count = len(answer.all_rows()) or len(answer.all_triples())
            times[query.name] = [time.perf_counter() - t0, count]
            print(json.dumps({"partial": times}), flush=True)
        result["queries"] = times
    elif name.startswith("validate"):
        from kgtool.options import InferMode

        mode = InferMode.RDFS if name.endswith("rdfs") else InferMode.NONE
        with tempfile.TemporaryDirectory() as tmp:
            new = _new_triples_file(Path(tmp) / "new.nt")
            started = time.perf_counter()
            if side == "fast":
                from kgtool.validate import validate

                report = validate(kg, [new], infer=mode)
                result.update(conforms=report.conforms, focus=report.focus_nodes, new=report.new_triples)
            else:
                import pyshacl

                from kgtool.rdf.rdflib_bridge import load_rdflib

                data = load_rdflib(kg.ontology_files() + kg.data_files() + [new])
                shapes = load_rdflib(kg.shapes_files())
                conforms, _, _ = pyshacl.validate(data, shacl_graph=shapes, inference=mode.value)
                result.update(conforms=bool(conforms))
    elif name == "open-rdfs":
        from kgtool.options import InferMode

        if side == "fast":
            from kgtool.store.dataset import open_dataset

            store = open_dataset(kg, InferMode.RDFS).store  # the inference index above the threshold
        else:
            from kgtool.rdf.parsing import load_store
            from kgtool.reasoning.closure import inferred_quads

            store = load_store(kg.files())
            store.extend(inferred_quads(kg, InferMode.RDFS, store))
        result["quads"] = len(store)
    elif name == "infer":
        from kgtool.options import InferMode
        from kgtool.reasoning.closure import fast_closure
        from kgtool.reasoning.owlrl_reference import owlrl_closure

        if side == "fast":
            from kgtool.rdf.parsing import iter_quads

            triples = [(q.subject, q.predicate, q.object) for q in iter_quads(kg.files())]
            added = fast_closure(triples, InferMode.OWLRL)  # type: ignore[arg-type]
        else:
            from kgtool.rdf.rdflib_bridge import load_rdflib

            added = owlrl_closure(load_rdflib(kg.files()), InferMode.OWLRL)  # type: ignore[assignment]
        result["inferred"] = len(added)
    elif name.startswith("export"):
        fmt = "json-ld" if name.endswith("jsonld") else "turtle"
        if side == "fast":
            from kgtool import formats
            from kgtool.rdf.export import export

            result["bytes"] = len(export(kg, formats.parse(fmt, formats.RDF_FORMATS)).body)
        else:
            from kgtool.rdf.rdflib_bridge import load_rdflib

            result["bytes"] = len(load_rdflib(kg.files()).serialize(format=fmt, encoding="utf-8"))
    else:
        raise SystemExit(f"unknown step {name}")
    result["seconds"] = time.perf_counter() - started
    return result


def child_main(args: argparse.Namespace) -> int:
    result = step(args.step, Path(args.kg), args.side)
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result), flush=True)
    return 0


# --------------------------------------------------------------------------------------------------
# The parent: generate, run every step on both sides, print the table.


def run_child(step_name: str, kg_dir: Path, side: str, timeout: float, cache: Path) -> dict[str, Any]:
    env = dict(os.environ, KGTOOL_CACHE=str(cache))
    cmd = [sys.executable, str(Path(__file__)), "--step", step_name, "--kg", str(kg_dir), "--side", side]
    last: dict[str, Any] = {}
    try:
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
        out = proc.stdout
        if proc.returncode != 0:
            return {"error": (proc.stderr.strip().splitlines() or ["failed"])[-1]}
    except subprocess.TimeoutExpired as exc:
        raw = exc.stdout or b""
        out = raw.decode() if isinstance(raw, bytes) else raw
        last = {"timeout": timeout}
    for line in out.splitlines():
        if line.startswith("{"):
            data = json.loads(line)
            if "partial" in data:
                last.setdefault("queries", {}).update(data["partial"])
            else:
                last.update(data)
    return last


def fmt_s(value: Any) -> str:
    if value is None:
        return "-"
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def cold_start(repeat: int = 7) -> tuple[float, float]:
    """Median wall time of `kgtool query timeline` on the shipped graph and of the import floor."""
    kgtool = Path(sys.executable).with_name("kgtool")

    def median(cmd: list[str]) -> float:
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            subprocess.run(cmd, capture_output=True, check=False, env=dict(os.environ, KGTOOL_KG=""))
            times.append(time.perf_counter() - t0)
        return sorted(times)[len(times) // 2]

    floor = median([sys.executable, "-c", "import typer, pyoxigraph"])
    query = median([str(kgtool), "query", "timeline"])
    return query, floor


def parent_main(args: argparse.Namespace) -> int:
    sys.path.insert(0, str(HERE))
    from generate import generate

    kg_dir = args.data / f"kg-{args.triples}"
    if not (kg_dir / "data" / "generated.nt").is_file():
        generate(args.triples, kg_dir)
    with tempfile.TemporaryDirectory(prefix="kgtool-bench-cache-") as tmp:
        return _run_all(args, kg_dir, Path(tmp))


def _run_all(args: argparse.Namespace, kg_dir: Path, cache: Path) -> int:
    rows: list[tuple[str, dict[str, Any], dict[str, Any]]] = []

    only = set(args.only.split(",")) if args.only else None

    def wanted(name: str) -> bool:
        return only is None or name in only

    def both(label: str, name: str, reference: bool = True, fast_name: str | None = None) -> None:
        if not wanted(name):
            return
        fast = run_child(fast_name or name, kg_dir, "fast", args.timeout, cache)
        reference = reference and not args.no_reference
        ref = run_child(name, kg_dir, "reference", args.timeout, cache) if reference else {"skipped": True}
        rows.append((label, fast, ref))
        print(f"  {label}: {summary(fast)} | {summary(ref)}", file=sys.stderr)

    big = args.triples > args.reference_max
    both("load: pyoxigraph in memory vs rdflib", "load")
    if not wanted("index"):
        run_child("index", kg_dir, "fast", args.timeout, cache)  # the later steps measure a warm index
    both("index build, on disk (kgtool index)", "index", reference=False)
    queries_fast: dict[str, Any] = {}
    queries_ref: dict[str, Any] = {}
    if wanted("queries"):
        queries_fast = run_child("queries", kg_dir, "fast", args.timeout, cache)
        if not args.no_reference:
            queries_ref = run_child("queries", kg_dir, "reference", args.timeout, cache)
    both("validate 100 new triples, no inference", "validate", reference=not big)
    both("validate 100 new triples, RDFS inference", "validate-rdfs", reference=not big)
    both("open dataset with RDFS inference, first use (builds the closure)", "open-rdfs", reference=False)
    both("open dataset with RDFS inference, warm: kgtool vs in-memory load + cached closure", "open-rdfs")
    both("OWL-RL closure: fast reasoner vs owlrl", "infer", reference=not big)
    both("export Turtle", "export-turtle")
    both("export JSON-LD", "export-jsonld")
    print_table(args, rows, queries_fast, queries_ref)
    return 0


def summary(result: dict[str, Any]) -> str:
    if "timeout" in result:
        return f"> {result['timeout']:.0f} s (stopped)"
    if "skipped" in result:
        return "not run"
    if "error" in result:
        return f"error: {result['error']}"
    return fmt_s(result.get("seconds"))


def ratio(fast: dict[str, Any], ref: dict[str, Any]) -> str:
    if "timeout" in ref and "seconds" in fast:
        return f"> {ref['timeout'] / fast['seconds']:.0f}x"
    if "seconds" in fast and "seconds" in ref and fast["seconds"] > 0:
        return f"{ref['seconds'] / fast['seconds']:.1f}x"
    return "-"


def mem(result: dict[str, Any]) -> str:
    return f"{result['peak_mb']:.0f} MB" if "peak_mb" in result else "-"


def print_table(
    args: argparse.Namespace,
    rows: list[tuple[str, dict[str, Any], dict[str, Any]]],
    qf: dict[str, Any],
    qr: dict[str, Any],
) -> None:
    out: Callable[[str], None] = print
    out(f"\n### {args.triples:,} triples ({time.strftime('%Y-%m-%d')}, {platform.python_version()})\n")
    out("| step | kgtool | reference | reference / kgtool | kgtool peak | reference peak |")
    out("|---|---|---|---|---|---|")
    for label, fast, ref in rows:
        out(f"| {label} | {summary(fast)} | {summary(ref)} | {ratio(fast, ref)} | {mem(fast)} | {mem(ref)} |")
    prep_f = {"seconds": qf.get("prepare"), **({"peak_mb": qf["peak_mb"]} if "peak_mb" in qf else {})}
    prep_r = {"seconds": qr.get("prepare"), **({"peak_mb": qr["peak_mb"]} if "peak_mb" in qr else {})}
    if qr.get("prepare") is None and "timeout" in qr:
        prep_r = {"timeout": qr["timeout"]}
    if not qr:
        prep_r = {"skipped": True}
    if qf or qr:
        out(
            f"| open dataset for queries: index (or memory) vs rdflib | {summary(prep_f)} | {summary(prep_r)}"
            f" | {ratio(prep_f, prep_r)} | {mem(qf)} | {mem(qr)} |"
        )
    names = sorted(set(qf.get("queries", {})) | set(qr.get("queries", {})))
    for name in names:
        f = qf.get("queries", {}).get(name)
        r = qr.get("queries", {}).get(name)
        fd = {"seconds": f[0]} if f else ({"timeout": qf["timeout"]} if "timeout" in qf else {"error": "-"})
        rd = {"seconds": r[0]} if r else ({"timeout": qr["timeout"]} if "timeout" in qr else {"skipped": 1})
        rows_n = f[1] if f else (r[1] if r else "?")
        out(f"| query `{name}` ({rows_n} rows) | {summary(fd)} | {summary(rd)} | {ratio(fd, rd)} | | |")
    if args.cold:
        query, floor = cold_start()
        out(
            f"\nCold `kgtool query timeline` on the shipped graph: {fmt_s(query)}; "
            f"floor `python -c 'import typer, pyoxigraph'`: {fmt_s(floor)}; ratio {query / floor:.2f}x"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=10000)
    parser.add_argument("--data", type=Path, default=ROOT / "bench-data", help="where graphs are generated")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds before a step is stopped")
    parser.add_argument(
        "--reference-max",
        type=int,
        default=100000,
        help="skip the whole-graph pyshacl/owlrl reference runs above this size (minutes to hours)",
    )
    parser.add_argument("--cold", action="store_true", help="also time the cold query process")
    parser.add_argument("--only", help="comma-separated steps to run (load,index,queries,validate,...)")
    parser.add_argument("--no-reference", action="store_true", help="skip the reference (rdflib...) side")
    parser.add_argument("--step", help=argparse.SUPPRESS)
    parser.add_argument("--kg", help=argparse.SUPPRESS)
    parser.add_argument("--side", default="fast", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.step:
        return child_main(args)
    return parent_main(args)


if __name__ == "__main__":
    sys.exit(main())
