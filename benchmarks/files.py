"""Benchmark the file side of kgtool on a generated graph: export in every format next to rapper (raptor2)
and pyoxigraph converting the same file, and validate/add against the warm on-disk index.

    python benchmarks/files.py --triples 1000000 [--data bench-data] [--runs 3] [--markdown]

Every step is a real process run under `/usr/bin/time` (wall time, peak resident memory), the best of
`--runs` runs. The anchors convert the very N-Triples file kgtool exports from: `rapper -i ntriples -o
turtle` (Debian `raptor2-utils`) and pyoxigraph's bulk load + Turtle dump; kgtool additionally parses
the ontology and shapes, sorts every statement, labels blank nodes canonically and writes prefixes.
The add steps run on a copy of the graph whose index is built first (warm), with the same ~140 new
triples `run.py` validates; "first query after add" is the query that used to rebuild the index.
"""

from __future__ import annotations

import argparse
import platform
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TIME = "/usr/bin/time"
OXIGRAPH_DUMP = """
import sys, pyoxigraph as ox
store = ox.Store()
store.bulk_load(path=sys.argv[1], format=ox.RdfFormat.N_TRIPLES)
store.dump(output=sys.argv[2], format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph())
"""


def measure(command: list[str], runs: int, env: dict[str, str] | None = None) -> tuple[float, float]:
    """(best wall seconds, peak MB of that run) of `command`, its output thrown away."""
    best: tuple[float, float] | None = None
    for _ in range(runs):
        with tempfile.NamedTemporaryFile(mode="r") as report:
            done = subprocess.run(
                [TIME, "-f", "%e %M", "-o", report.name, *command],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                env=env,
                check=False,
            )
            if done.returncode not in (0, 1):
                sys.exit(f"{' '.join(command)} failed: {done.stderr.decode()[-500:]}")
            seconds, kilobytes = report.read().split()[-2:]
        result = (float(seconds), int(kilobytes) / 1024)
        best = result if best is None or result[0] < best[0] else best
    assert best is not None
    return best


def new_triples(out: Path) -> Path:
    """The ~140 new triples, linked into the generated graph, that run.py validates."""
    sys.path.insert(0, str(HERE))
    from generate import Generator

    gen = Generator(seed=777, tag="new")
    gen.link_to_existing()
    out.write_text("".join(gen.lines(100, setup=False)))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--data", type=Path, default=ROOT / "bench-data")
    parser.add_argument("--runs", type=int, default=1, help="best of this many runs per step")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    args = parser.parse_args(argv)
    if shutil.which("rapper") is None:
        sys.exit("rapper is missing: apt-get install raptor2-utils")
    sys.path.insert(0, str(HERE))
    from generate import generate

    kg_dir = args.data / f"kg-{args.triples}"
    nt = kg_dir / "data" / "generated.nt"
    if not nt.is_file():
        generate(args.triples, kg_dir)
    kgtool = [sys.executable, "-m", "kgtool"]
    rows: list[tuple[str, float, float]] = []

    def step(label: str, command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
        seconds, peak = measure(command, args.runs, env)
        rows.append((label, seconds, peak))
        print(f"  {label}: {seconds:.2f} s, {peak:.0f} MB", file=sys.stderr)
        return seconds, peak

    with tempfile.TemporaryDirectory(prefix="kgtool-bench-files-", dir=args.data) as tmp:
        out = Path(tmp)
        env = {"PATH": "/usr/bin:/bin", "KGTOOL_CACHE": str(out / "cache"), "HOME": str(out)}
        step("rapper: N-Triples -> Turtle", ["rapper", "-q", "-i", "ntriples", "-o", "turtle", str(nt)])
        step(
            "pyoxigraph: load + Turtle dump",
            [sys.executable, "-c", OXIGRAPH_DUMP, str(nt), str(out / "oxigraph.ttl")],
        )
        for name, suffix in (
            ("Turtle", "ttl"),
            ("N-Triples", "nt"),
            ("N-Quads", "nq"),
            ("JSON-LD", "jsonld"),
        ):
            target = out / f"export.{suffix}"
            step(f"kgtool export {name}", [*kgtool, "--kg", str(kg_dir), "export", "-o", str(target)], env)
        new = new_triples(out / "new.nt")
        fresh: list[list[tuple[float, float]]] = []
        for run in range(args.runs):  # an add changes the graph: each run starts from a fresh copy
            graph = out / f"kg-{run}"
            shutil.copytree(kg_dir, graph)
            subprocess.run([*kgtool, "--kg", str(graph), "index"], env=env, check=True, capture_output=True)
            fresh.append(
                [
                    measure([*kgtool, "--kg", str(graph), "validate", str(new)], 1, env),
                    measure([*kgtool, "--kg", str(graph), "add", str(new)], 1, env),
                    measure([*kgtool, "--kg", str(graph), "sparql", "ASK { ?s ?p ?o }"], 1, env),
                ]
            )
            shutil.rmtree(graph)
        labels = (
            "kgtool validate ~140 new triples (warm index)",
            "kgtool add ~140 new triples (warm index)",
            "first query after the add",
        )
        for i, label in enumerate(labels):
            seconds, peak = min(run[i] for run in fresh)
            rows.append((label, seconds, peak))
            print(f"  {label}: {seconds:.2f} s, {peak:.0f} MB", file=sys.stderr)
    rapper, oxigraph = rows[0][1], rows[1][1]
    machine = f"{platform.machine()}, {platform.python_implementation()} {platform.python_version()}"
    print(f"\n{args.triples:,} triples, {date.today().isoformat()}, {machine}, best of {args.runs}\n")
    head = ("step", "seconds", "peak", "vs rapper", "vs pyoxigraph")
    lines = [
        (label, f"{s:.2f} s", f"{m:.0f} MB", f"{s / rapper:.2f}x", f"{s / oxigraph:.2f}x")
        if "export" in label or ":" in label
        else (label, f"{s:.2f} s", f"{m:.0f} MB", "", "")
        for label, s, m in rows
    ]
    if args.markdown:
        print("| " + " | ".join(head) + " |\n|" + "---|" * len(head))
        for line in lines:
            print("| " + " | ".join(line) + " |")
    else:
        widths = [max(len(str(r[i])) for r in [head, *lines]) for i in range(len(head))]
        for line in [head, *lines]:
            print("  ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=True)).rstrip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
