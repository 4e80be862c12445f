"""RDF files: parsing them safely (parsing, literal_checks), the prefixes they declare (prefixes), the
bridge to rdflib (rdflib_bridge), where in a file a triple was written (source_lines), exporting a
graph (export) and writing files crash-safely (atomic_write)."""
