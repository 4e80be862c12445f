"""`kgtool serve`: the graph published on the web, read-only.

One process answers HTTP (`app`: Starlette on uvicorn, routes and request checks only); every query runs
in a worker process (`pool`) that the server kills when the time limit passes. What a worker does with
a request (`site`): the SPARQL 1.1 Protocol (`sparql`), the saved queries as a Web API (`api`, with its
OpenAPI document, `openapi`), linked-data pages with content negotiation (`pages`, read from the graph
by `resource`, written by the Jinja2 templates of `html`). `negotiation` reads Accept headers.
Nothing here is imported by any other command.
"""
