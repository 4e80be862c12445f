"""Reading a `Timeline` from the graph: the internal queries of `kgtool/viz/queries/` run on an engine,
and their rows assembled into events, presidential terms, plans and figures, each with its sources and
with what is not from the post marked as such (an outside fact's own sources attached)."""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox

from kgtool.query.engines import Engine
from kgtool.viz import dates
from kgtool.viz.internal_queries import Row, best_label, flag, iri, number, rows, slug, text
from kgtool.viz.model import Dated, Event, Figure, Plan, Source, Term, Timeline
from kgtool.viz.palette import TypePalette

ONE_DAY = dates.dt.timedelta(days=1)


def read_timeline(engine: Engine) -> tuple[Timeline, TypePalette]:
    """Everything `kgtool timeline` draws, and the colours of the event types."""
    cites = citations(engine)
    palette = TypePalette.read(engine)
    events = read_events(engine, cites, palette)
    dated = sorted((e for e in events.values() if e.dates), key=_order)
    undated = sorted((e for e in events.values() if not e.dates), key=lambda e: (e.label, e.iri))
    timeline = Timeline(
        title="",
        events=dated,
        undated=undated,
        terms=_terms(engine, cites),
        plans=_plans(engine, cites, events),
        figures=_figures(engine, cites),
    )
    timeline.title, timeline.subtitle = _titles(timeline)
    return timeline, palette


def _order(event: Event) -> tuple[object, ...]:
    key = event.key_date().span
    return key.start, key.days, event.label, event.iri


def _titles(timeline: Timeline) -> tuple[str, str]:
    spans = [d.span for e in timeline.events for d in e.dates]
    years = (
        f", {min(s.start.year for s in spans)}–{max((s.end - ONE_DAY).year for s in spans)}" if spans else ""
    )
    count = len(timeline.events) + len(timeline.undated)
    sources = len(timeline.sources())
    title = f"Timeline of events{years}, as the sources report them"
    subtitle = (
        f"{count} events and {len(timeline.figures)} reported figures from {sources} sources; every date at "
        "the precision its source gives. Generated from the graph by kgtool timeline."
    )
    return title, subtitle


def citations(engine: Engine) -> dict[str, tuple[Source, ...]]:
    """What each item cites: {item IRI: its sources, ordered by label}."""
    known: dict[str, dict[str, list[ox.Literal]]] = defaultdict(lambda: defaultdict(list))
    for row in rows(engine, "sources"):
        source = iri(row, "source")
        if source is None:
            continue
        entry = known[source]
        for var in ("label", "publisher", "author", "url"):
            term = row.get(var)
            if isinstance(term, ox.Literal):
                entry[var].append(term)
            elif isinstance(term, ox.NamedNode) and var == "url":
                entry[var].append(ox.Literal(term.value))
    sources = {
        source: Source(
            iri=source,
            label=best_label(entry["label"]) or slug(source),
            url=min((t.value for t in entry["url"]), default=None),
            by=best_label(entry["publisher"]) or best_label(entry["author"]),
        )
        for source, entry in known.items()
    }
    cited: dict[str, set[str]] = defaultdict(set)
    for row in rows(engine, "citations"):
        item, source = iri(row, "item"), iri(row, "source")
        if item is not None and source in sources:
            cited[item].add(source)
    return {
        item: tuple(sorted((sources[s] for s in found), key=lambda s: (s.label, s.iri)))
        for item, found in cited.items()
    }


def read_events(
    engine: Engine, cites: dict[str, tuple[Source, ...]], palette: TypePalette
) -> dict[str, Event]:
    """Every event with its dates (outside ones marked, with their sources), types and sources."""
    labels: dict[str, list[ox.Literal]] = defaultdict(list)
    written: dict[str, list[ox.Literal]] = defaultdict(list)
    in_post: dict[str, bool] = {}
    for row in rows(engine, "events"):
        event = iri(row, "event")
        if event is None:
            continue
        in_post[event] = flag(row, "inPost")
        _collect(labels[event], row.get("label"))
        _collect(written[event], row.get("asWritten"))
    found_dates: dict[str, dict[dates.Span, Dated]] = defaultdict(dict)
    for row in rows(engine, "event-dates"):
        event, literal = iri(row, "event"), row.get("date")
        if event not in in_post or not isinstance(literal, ox.Literal):
            continue
        span = dates.parse(literal.value, literal.datatype.value)
        if span is None:
            continue
        fact = iri(row, "fact")
        outside = fact is not None or not in_post[event]
        previous = found_dates[event].get(span)
        if previous is None or (previous.in_post and outside):  # one outside fact is enough to say so
            sources = cites.get(fact, ()) if fact else ()
            found_dates[event][span] = Dated(span, in_post=not outside, sources=sources)
    kinds, kind_labels = palette.event_kinds(engine)
    return {
        event: Event(
            iri=event,
            label=best_label(labels[event]) or slug(event),
            dates=tuple(sorted(found_dates[event].values(), key=lambda d: (d.span.start, d.span.days))),
            kinds=kinds.get(event, ()),
            kind_labels=kind_labels.get(event, ()),
            sources=cites.get(event, ()),
            in_post=in_post[event],
            as_written=best_label(written[event]),
        )
        for event in in_post
    }


def _collect(into: list[ox.Literal], term: object) -> None:
    if isinstance(term, ox.Literal) and term not in into:
        into.append(term)


def _span(row: Row, var: str) -> dates.Span | None:
    literal = row.get(var)
    if not isinstance(literal, ox.Literal):
        return None
    return dates.parse(literal.value, literal.datatype.value)


def _terms(engine: Engine, cites: dict[str, tuple[Source, ...]]) -> list[Term]:
    """Presidential terms: from kgo:startDate to kgo:endDate where the graph has them, else from the
    first to the last date the graph shows the president in office."""
    shown: dict[str, list[dates.Span]] = defaultdict(list)
    for row in rows(engine, "term-dates"):
        term, span = iri(row, "term"), _span(row, "on")
        if term is not None and span is not None:
            shown[term].append(span)
    holders: dict[str, list[ox.Literal]] = defaultdict(list)
    bounds: dict[str, dict[str, dates.Span]] = defaultdict(dict)
    for row in rows(engine, "terms"):
        term = iri(row, "term")
        if term is None:
            continue
        _collect(holders[term], row.get("holder"))
        for var in ("start", "end"):
            span = _span(row, var)
            if span is not None:
                bounds[term][var] = span
    terms = []
    for term in sorted(set(holders) | set(bounds)):
        known = shown.get(term, [])
        start = bounds[term].get("start") or min(known, default=None, key=lambda s: s.start)
        end = bounds[term].get("end") or max(known, default=None, key=lambda s: s.end)
        if start is None or end is None:
            continue
        exact = "start" in bounds[term] and "end" in bounds[term]
        holder = best_label(holders[term]) or slug(term)
        terms.append(Term(term, holder, start, end, exact, cites.get(term, ())))
    return sorted(terms, key=lambda t: (t.start.start, t.holder))


def _dated(
    found: list[Row], var: str, fact_var: str, in_post: bool, cites: dict[str, tuple[Source, ...]]
) -> Dated | None:
    """The date bound to `var` in rows about one item, marked outside the post (with the outside fact's
    sources) when a row names an outside fact for it or the item itself is not in the post; a date
    from outside wins over the same item's date from the post."""
    chosen = None
    for row in found:
        span = _span(row, var)
        if span is None:
            continue
        fact = iri(row, fact_var)
        outside = fact is not None or not in_post
        chosen = Dated(span, in_post=not outside, sources=cites.get(fact, ()) if fact else ())
        if outside:
            break
    return chosen


def _plans(engine: Engine, cites: dict[str, tuple[Source, ...]], events: dict[str, Event]) -> list[Plan]:
    """Plans, each from the date of the event that made it to its target date."""
    grouped: dict[str, list[Row]] = defaultdict(list)
    for row in rows(engine, "plans"):
        plan = iri(row, "plan")
        if plan is not None:
            grouped[plan].append(row)
    plans = []
    for plan, found in grouped.items():
        in_post = flag(found[0], "inPost")
        label = best_label(t for r in found if isinstance(t := r.get("label"), ox.Literal)) or slug(plan)
        decided_by = next((events[e] for r in found if (e := iri(r, "decidedIn")) in events), None)
        target = _dated(found, "target", "targetFact", in_post, cites)
        carriers = sorted({events[c].label for r in found if (c := iri(r, "carrier")) in events})
        plans.append(
            Plan(
                iri=plan,
                label=label,
                decided=decided_by.key_date() if decided_by and decided_by.dates else None,
                decided_in=decided_by.label if decided_by else None,
                target=target,
                carried_out_by=tuple(carriers),
                sources=cites.get(plan, ()),
                in_post=in_post,
            )
        )
    return sorted(plans, key=lambda p: (_plan_start(p), p.label))


def _plan_start(plan: Plan) -> object:
    first = plan.decided or plan.target
    return first.span.start if first else dates.dt.date.max


def _figures(engine: Engine, cites: dict[str, tuple[Source, ...]]) -> list[Figure]:
    """Reported figures grouped by the quantity they count, the post's own first."""
    grouped: dict[str, list[Row]] = defaultdict(list)
    for row in rows(engine, "figures"):
        figure = iri(row, "figure")
        if figure is not None:
            grouped[figure].append(row)
    figures = [f for figure, found in grouped.items() if (f := _figure(figure, found, cites)) is not None]
    return sorted(figures, key=lambda f: (f.quantity, not f.in_post, f.per, f.iri))


def _first(found: list[Row], var: str) -> str | None:
    return min((v for r in found if (v := text(r, var)) is not None), default=None)


def _figure(figure: str, found: list[Row], cites: dict[str, tuple[Source, ...]]) -> Figure | None:
    value = next((v for r in found if (v := number(r, "value")) is not None), None)
    low = next((v for r in found if (v := number(r, "min")) is not None), None)
    high = next((v for r in found if (v := number(r, "max")) is not None), None)
    estimate = any(flag(r, "estimate", default=False) for r in found)
    qualifiers = {q.lower() for r in found if (q := text(r, "qualifier")) is not None}
    amount = _amount(value, low, high, estimate, "more than" in qualifiers)
    if amount is None:
        return None
    in_post = flag(found[0], "inPost")
    sources = cites.get(figure, ())
    per_row = next((r for r in found if text(r, "per") is not None), None)
    if per_row is not None:
        per, per_fact = text(per_row, "per") or "", iri(per_row, "perFact")
        per_in_post, per_sources = per_fact is None and in_post, cites.get(per_fact, ()) if per_fact else ()
    else:
        first = sources[0] if sources else None
        per = (first.by or first.label) if first else "no source"
        per_in_post, per_sources = in_post, ()
    date = _dated(found, "date", "dateFact", in_post, cites)
    if value is not None:
        low = high = value
    return Figure(
        iri=figure,
        quantity=_first(found, "quantity") or "(a quantity with no label)",
        amount=amount,
        unit=_first(found, "unit") or "",
        low=low if low is not None else 0.0,
        high=high,
        estimate=estimate,
        per=per,
        per_in_post=per_in_post,
        per_sources=per_sources,
        date=date,
        sources=sources,
        in_post=in_post,
    )


def amount_text(number_: float) -> str:
    """5200.0 -> `5,200`."""
    return f"{number_:,.0f}" if float(number_).is_integer() else f"{number_:,}"


def _amount(
    value: float | None, low: float | None, high: float | None, estimate: bool, more_than: bool
) -> str | None:
    """A figure in words: `5,200`, `about 5,000`, `more than 20,000`, `about 11,000 to 16,000`."""
    about = "about " if estimate else ""
    if value is not None:
        return f"{about}{amount_text(value)}"
    if low is not None and high is not None:
        return f"{about}{amount_text(low)} to {amount_text(high)}"
    if low is not None:
        return f"{'more than' if more_than else 'at least'} {amount_text(low)}"
    if high is not None:
        return f"up to {amount_text(high)}"
    return None
