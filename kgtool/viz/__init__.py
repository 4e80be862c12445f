"""Pictures generated from the graph: `kgtool timeline`, `kgtool graph` and `kgtool query NAME --view`.

The graph is read only through SPARQL (`internal_queries`: the `.rq` files of `queries/` run on an
engine), into a drawing-neutral model (`model`, `dates`, `timeline_data`, `network_data`), which one
module per picture draws: `timeline_draw` (matplotlib: SVG and PNG), `timeline_html` (the self-contained
HTML page and the fragment `kgtool serve` embeds), `network_dot` (Graphviz), `views` (a saved query's
rows as its `defaultView`: timeline, bar chart, graph or table; `bar_chart`, `table_html`). `palette`
holds the colours, `output` writes a picture to a file or stdout. Drawing libraries are imported only
here, so the other commands start without them.
"""
