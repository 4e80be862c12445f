"""Saved and ad-hoc SPARQL queries: the catalog of `.rq` files with their `#+` headers (catalog,
yaml_header), typed parameters (params), preparing a query once (prepared, sparql_tokens) and refusing
what is not read-only (read_only_guard), binding values as terms (substitution), the engines and what
they return (engines, result), syntax errors (syntax_errors) and output formats (result_formats)."""
