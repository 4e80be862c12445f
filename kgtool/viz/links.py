"""Which IRIs may become links: only `http`/`https` addresses, so a graph's `javascript:` or `data:` IRI
is shown as text and never followed. The one home of the rule, for the pictures and `kgtool serve`."""

from __future__ import annotations

_FOLLOWABLE = ("http://", "https://")


def followable(iri: str | None) -> str | None:
    """`iri` itself when a reader may follow it (an http(s) address), else None."""
    return iri if iri and iri.lower().startswith(_FOLLOWABLE) else None
