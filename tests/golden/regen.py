"""Rewrite tests/golden/<case>.tsv from tests/golden/cases.json, after checking both engines agree.

Each file is the W3C SPARQL 1.1 TSV that pyoxigraph writes for the case over the shipped ontology +
shapes + data (no inference). Read every rewritten file against the source text before committing:
a golden file states what is right. Run: python tests/golden/regen.py
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pyoxigraph as ox

from kgtool.options import EngineName
from kgtool.query import catalog
from kgtool.query.engines import make_engine
from kgtool.query.lookup import bind_all
from kgtool.query.substitution import substitute
from kgtool.rdf import parsing as loader
from kgtool.store import graph_folder as kg

HERE = Path(__file__).resolve().parent


def main() -> None:
    graph = kg.locate(None)
    store = loader.load_store(graph.files())
    for case in json.loads((HERE / "cases.json").read_text(encoding="utf-8")):
        query = catalog.load(graph.query_dir, case["query"])
        rows = {}
        for name in EngineName:
            engine = make_engine(name, store)
            bindings = bind_all(engine, query.params, case["params"], query.prefixes)
            rows[name] = Counter(engine.execute(query.prepared, bindings).all_rows())
        if rows[EngineName.OXIGRAPH] != rows[EngineName.RDFLIB]:
            raise SystemExit(f"{case['case']}: the engines disagree")
        text = substitute(query.prepared, bindings)
        result = store.query(text, use_default_graph_as_union=True)
        if isinstance(result, bool):
            out = ("true" if result else "false") + "\n"
        else:
            out = result.serialize(format=ox.QueryResultsFormat.TSV).decode("utf-8")
        (HERE / f"{case['case']}.tsv").write_text(out, encoding="utf-8")
        print(f"{case['case']}: {sum(rows[EngineName.OXIGRAPH].values())} rows")


if __name__ == "__main__":
    main()
