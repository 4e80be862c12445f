"""Blank node canonicalisation on the graphs that made exports run for minutes: rdflib's RGDA1
(`to_canonical_graph`, what export used), pyoxigraph's RDFC-1.0 (`Dataset.canonicalize`) and kgtool's
`kgtool.rdf.canonical`, each case in its own process, stopped after `--timeout` seconds.

    python benchmarks/canonical.py [--timeout 60] [--markdown]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

PREFIX = "@prefix ex: <http://example.org/> .\n"
CASES = {
    "list of 400 equal items": "ex:s ex:p ( " + '"x" ' * 400 + ") .",
    "list of 1000 equal items": "ex:s ex:p ( " + '"x" ' * 1000 + ") .",
    "list of 1000 items 0..999": "ex:s ex:p ( " + " ".join(str(i) for i in range(1000)) + " ) .",
    '30 equal [ ex:q "x" ]': 'ex:s ex:p [ ex:q "x" ] .\n' * 30,
    "lists nested 200 deep (0.6 KB)": "ex:s ex:p " + "( " * 200 + ")" * 200 + " .",
    "500 equal ( ( ) ( ) ) (6 KB)": "ex:s ex:p ( " + "( ( ) ( ) ) " * 500 + ") .",
    '300 equal ( "a" "b" ( "c" ) ) (6 KB)': "ex:s ex:p ( " + '( "a" "b" ( "c" ) ) ' * 300 + ") .",
    "ring of 500 shared blank nodes": "".join(f"_:r{i} ex:next _:r{(i + 1) % 500} .\n" for i in range(500)),
}

RUN = {
    "rdflib": """
from rdflib import Graph
from rdflib.compare import to_canonical_graph
to_canonical_graph(Graph().parse(data=DATA, format="turtle"))
""",
    "pyoxigraph": """
import pyoxigraph as ox
dataset = ox.Dataset(ox.parse(DATA.encode(), format=ox.RdfFormat.TURTLE))
dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
""",
    "kgtool": """
import pyoxigraph as ox
from kgtool.rdf.canonical import canonical_labels
canonical_labels(list(ox.parse(DATA.encode(), format=ox.RdfFormat.TURTLE)))
""",
}


def timed(tool: str, data: str, timeout: float) -> str:
    code = f"import time\nDATA = {data!r}\nstart = time.perf_counter()\n{RUN[tool]}\n"
    code += "print(time.perf_counter() - start)\n"
    started = time.perf_counter()
    try:
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return f"> {timeout:.0f} s (stopped)"
    if done.returncode != 0:
        return "error: " + (done.stderr.strip().splitlines() or ["?"])[-1][:60]
    seconds = float(done.stdout.split()[-1]) if done.stdout.strip() else time.perf_counter() - started
    return f"{seconds:.3f} s"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args(argv)
    head = ("graph", "rdflib RGDA1", "pyoxigraph RDFC-1.0", "kgtool")
    rows = []
    for name, body in CASES.items():
        row = (name, *(timed(tool, PREFIX + body, args.timeout) for tool in RUN))
        print("  " + " | ".join(row), file=sys.stderr)
        rows.append(row)
    if args.markdown:
        print("| " + " | ".join(head) + " |\n|" + "---|" * len(head))
        for row in rows:
            print("| " + " | ".join(row) + " |")
    else:
        widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
        for row in [head, *rows]:
            print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
