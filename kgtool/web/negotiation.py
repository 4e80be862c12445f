"""Content negotiation: which of the representations a route offers an `Accept` header prefers.

RFC 9110 §12.5.1: each offer takes the quality of the most specific media range that matches it
(`type/subtype` over `type/*` over `*/*`); an offer with quality 0 is refused. The best offer wins; on
a tie, one the client named explicitly beats one it reached by a wildcard, then the route's own
order decides. No `Accept` header accepts everything.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T", covariant=True)


@dataclass(frozen=True)
class MediaRange:
    """One element of an Accept header: `type/subtype` (either may be `*`) and its quality."""

    type: str
    subtype: str
    q: float

    def specificity(self, media_type: str) -> int:
        """How exactly this range names `media_type` (2 exact, 1 `type/*`, 0 `*/*`), -1 if it does not."""
        kind, _, sub = media_type.partition("/")
        if self.type == "*":
            return 0
        if self.type != kind:
            return -1
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == sub else -1


@dataclass(frozen=True)
class Offer(Generic[T]):
    """A representation a route can send: its media type (then aliases, matched only when named
    exactly, never by a wildcard), and what it is."""

    media_types: tuple[str, ...]
    value: T


def parse_accept(header: str) -> list[MediaRange]:
    """The media ranges of an Accept header; malformed elements are skipped, a bad q counts as 1."""
    ranges = []
    for element in header.split(","):
        media, *params = (part.strip() for part in element.split(";"))
        kind, slash, sub = media.lower().partition("/")
        if not slash or not kind or not sub or (kind == "*" and sub != "*"):
            continue
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    q = 1.0
        ranges.append(MediaRange(kind, sub, q))
    return ranges


def choose(header: str | None, offers: Sequence[Offer[T]]) -> Offer[T] | None:
    """The offer the header prefers, or None when it accepts none of them (answer 406)."""
    if not offers:
        return None
    if header is None or not header.strip():
        return offers[0]
    ranges = parse_accept(header)
    if not ranges:
        return offers[0]
    best: tuple[float, int, int] | None = None
    chosen = None
    for order, offer in enumerate(offers):
        q, specific = _quality(ranges, offer.media_types)
        if q <= 0:
            continue
        key = (q, specific, -order)
        if best is None or key > best:
            best, chosen = key, offer
    return chosen


def _quality(ranges: list[MediaRange], media_types: tuple[str, ...]) -> tuple[float, int]:
    """The quality of the best-matching of an offer's media types, and how specific that match was;
    an offer one of whose media types the header names exactly with q=0 is refused (quality 0)."""
    best = (0.0, -1)
    for number, media_type in enumerate(media_types):
        matches = [(r.specificity(media_type), r.q) for r in ranges]
        specific, q = max(((s, q) for s, q in matches if s >= 0), default=(-1, 0.0))
        if number and specific < 2:
            continue  # an alias counts only when named exactly: `text/*` means CSV, not text/javascript
        if specific == 2 and q == 0:
            return 0.0, specific
        if specific >= 0 and (q, specific) > best:
            best = (q, specific)
    return best
