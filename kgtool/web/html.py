"""HTML pages from Jinja2 templates (`kgtool/web/templates/`), every value autoescaped.

Links come ready-made from `kgtool.web.resource` (local pages and http(s) addresses only); the one
value inserted unescaped is the timeline fragment `kgtool.viz` builds with its own escaping. JSON-LD
embedded in a page goes through `script_json`, which escapes `<`, `>` and `&` so no text in the graph
can close the script element.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import jinja2
from markupsafe import Markup

#: Pages load nothing from anywhere else and run no script; styles come from this server (the
#: timeline fragment carries inline styles); forms post only here; nobody may frame the pages.
CSP = (
    "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("kgtool.web", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["script_json"] = script_json
    return env


def render(template: str, **values: Any) -> bytes:
    """A page, as UTF-8 bytes."""
    return environment().get_template(template).render(**values).encode("utf-8")


def script_json(document: str | bytes) -> Markup:
    """JSON to embed in `<script type="application/ld+json">`: `<`, `>`, `&` as JSON escapes."""
    text = document.decode("utf-8") if isinstance(document, bytes) else document
    escaped = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(escaped)  # noqa: S704  (escaped above for a script element)


def stylesheet() -> bytes:
    """The site's one stylesheet (`/static/kgtool.css`)."""
    return (resources.files("kgtool.web") / "static" / "kgtool.css").read_bytes()
