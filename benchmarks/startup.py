"""Cold start-up of `kgtool query timeline`, timed as whole processes next to two floors.

(a) `python -c 'import typer, pyoxigraph'`: the imports kgtool cannot avoid;
(b) a minimal rdflib script that parses the same graph files and runs the same query text.
Each command runs `--runs` times (after one warm-up that fills the OS and .pyc caches); the median is
reported with its ratio to each floor. Usage: python benchmarks/startup.py [--runs 10] [--kg DIR]
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

RDFLIB_SCRIPT = """
import sys
from rdflib import Dataset
ds = Dataset(default_union=True)
for path in sys.argv[2:]:
    ds.parse(path, format="turtle" if path.endswith(".ttl") else None)
for row in ds.query(open(sys.argv[1], encoding="utf-8").read()):
    print("\\t".join("" if t is None else t.n3() for t in row))
"""


def timed(cmd: list[str], runs: int, env: dict[str, str]) -> float:
    """Median wall-clock seconds of `runs` executions (after one warm-up); fails loudly on error."""
    subprocess.run(cmd, check=True, capture_output=True, env=env)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--kg", type=Path, default=ROOT, help="graph folder (default: the shipped one)")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    from kgtool.store.graph_folder import locate

    kg = locate(str(args.kg))
    files = [str(p) for p in kg.files("all")]
    query = kg.query_dir / "timeline.rq"
    kgtool = shutil.which("kgtool", path=str(Path(sys.executable).parent)) or "kgtool"
    # Byte-code caching as in a normal install (pip compiles wheels; some shells disable it).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["KGTOOL_KG"] = str(kg.root)
    commands = {
        "kgtool query timeline": [kgtool, "query", "timeline", "--format", "tsv"],
        "python -c 'import typer, pyoxigraph'": [sys.executable, "-c", "import typer, pyoxigraph"],
        "minimal rdflib script (parse + query)": [sys.executable, "-c", RDFLIB_SCRIPT, str(query), *files],
    }
    results = {name: timed(cmd, args.runs, env) for name, cmd in commands.items()}
    ours = results["kgtool query timeline"]
    print(f"{len(files)} graph files, median of {args.runs} runs each")
    print(f"{'command':<42} {'median ms':>10} {'kgtool / this':>14}")
    for name, seconds in results.items():
        print(f"{name:<42} {seconds * 1000:>10.1f} {ours / seconds:>14.2f}")


if __name__ == "__main__":
    main()
