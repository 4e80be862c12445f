"""Where a graph lives and how it is served: the graph folder and its writer lock (graph_folder), the
cache (cache), the on-disk Oxigraph index (disk_index) and the dataset a query runs on (dataset)."""
