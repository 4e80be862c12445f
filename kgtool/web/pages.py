"""Linked-data pages: every IRI under `https://w3id.org/kgtool/iraq/` at `/iraq/...`, with content
negotiation as Cool URIs for the Semantic Web describe it.

`/iraq/event/X` names the event, not a document: it answers 303 See Other to `X.html`, `X.ttl` or
`X.jsonld` by `Accept` (q-values honoured; no Accept gets HTML, `*/*` alone Turtle, as Pubby does),
with `Vary: Accept`; 406 when none is acceptable; 404 when no triple mentions the IRI. Each document
is 200 with its fixed Content-Type and a `Link` header naming the other two (`rel="alternate"`); the
HTML repeats them as `<link>` elements and embeds the JSON-LD. Turtle and JSON-LD hold the resource's
asserted triples (outgoing, with their blank nodes, and incoming), JSON-LD compacted with the graph's
own context (inline: nothing to fetch).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kgtool import formats
from kgtool.rdf.export import serialize
from kgtool.vocab import INSTANCES
from kgtool.web import html
from kgtool.web.negotiation import Offer, choose
from kgtool.web.resource import LOCAL, describe, exists, quads
from kgtool.web.sparql import fail

if TYPE_CHECKING:
    from kgtool.web.pool import Job, Reply
    from kgtool.web.site import Worker


@dataclass(frozen=True)
class Variant:
    """One document about a resource: its suffix, media type and name for people."""

    suffix: str
    media_type: str
    name: str


HTML = Variant("html", "text/html", "HTML")
TURTLE = Variant("ttl", formats.TURTLE.media_type, "Turtle")
JSON_LD = Variant("jsonld", formats.JSON_LD.media_type, "JSON-LD")
VARIANTS = {v.suffix: v for v in (HTML, TURTLE, JSON_LD)}
#: The order a wildcard falls back on: programs (curl's `*/*`) get Turtle; browsers name text/html.
_OFFERS = (
    Offer((TURTLE.media_type, *formats.TURTLE.media_aliases), TURTLE),
    Offer((JSON_LD.media_type, *formats.JSON_LD.media_aliases), JSON_LD),
    Offer((HTML.media_type, "application/xhtml+xml"), HTML),
)


def alternates(path: str, but: Variant | None = None) -> list[dict[str, str]]:
    """The documents about `/iraq/<path>` (all but one), for Link headers and `<link>` elements."""
    return [
        {"href": f"{LOCAL}{path}.{v.suffix}", "media_type": v.media_type, "name": v.name}
        for v in VARIANTS.values()
        if v is not but
    ]


def answer(worker: Worker, job: Job, reply: Reply) -> None:
    path: str = job["path"]
    variant = VARIANTS.get(job["variant"]) if job.get("variant") else None
    iri = INSTANCES + path
    if not exists(worker.store, iri):
        fail(reply, 404, f"nothing in the graph is called <{iri}>")
        return
    if variant is None:
        chosen = HTML if not (job.get("accept") or "").strip() else _choose(job.get("accept"))
        if chosen is None:
            offered = ", ".join(v.media_type for v in VARIANTS.values())
            fail(reply, 406, f"<{iri}> is described in {offered} only", [("Vary", "Accept")])
            return
        reply.head(
            303,
            [
                ("Location", f"{LOCAL}{path}.{chosen.suffix}"),
                ("Vary", "Accept"),
                ("Content-Type", html_type()),
            ],
        )
        return
    links = ", ".join(
        f'<{a["href"]}>; rel="alternate"; type="{a["media_type"]}"' for a in alternates(path, variant)
    )
    headers = [("Link", links)]
    context = worker.site.context
    triples = quads(worker.store, iri)
    if variant is HTML:
        jsonld = serialize(triples, formats.JSON_LD, worker.site.prefixes, context)
        resource = describe(worker.store, iri)
        page = html.render(
            "resource.html",
            title=resource.label,
            r=resource,
            jsonld=jsonld,
            alternates=alternates(path, HTML),
        )
        reply.head(200, [("Content-Type", html_type()), *headers])
        reply.write(page)
        return
    fmt = formats.TURTLE if variant is TURTLE else formats.JSON_LD
    reply.head(200, [("Content-Type", _with_charset(fmt.media_type)), *headers])
    reply.write(serialize(triples, fmt, worker.site.prefixes, context))


def _choose(accept: str | None) -> Variant | None:
    chosen = choose(accept, _OFFERS)
    return chosen.value if chosen is not None else None


def html_type() -> str:
    return "text/html; charset=utf-8"


def _with_charset(media_type: str) -> str:
    return f"{media_type}; charset=utf-8" if media_type.startswith("text/") else media_type
