"""kgtool against a remote SPARQL 1.1 store (issue 11): imported only when `--endpoint` is given.

`endpoint` (where: the query, update and Graph Store URLs, timeouts, credentials from the environment),
`client` (the HTTP client: auth, timeouts, one-line errors), `dataset` (kgtool's "union of all graphs"
sent explicitly), `engine` (the remote `Engine`), `push` (Graph Store HTTP Protocol upload, `INSERT DATA`
fallback), `context` (validate/add read the store and write a contribution in one request).
"""
