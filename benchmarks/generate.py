"""Write a deterministic synthetic graph of about N triples in kgtool's own vocabulary.

The folder is laid out like the shipped graph (ontology/ and queries/ copied from it, data/ written
as N-Triples), so `kgtool --kg DIR ...` runs on it. Fan-out is modelled on the shipped data: each
event has a type, a date, a place, sources and participations (agent + role); sources are news
articles with a publisher cited in a compilation post; quotes have a speaker, an occasion and the
article they were quoted from; figures are one estimate per source with value, unit and date. The data
conforms to the shapes: the post carries a synthetic text (the same for every generator, so new data
joins an existing graph) that each quote is cut from at its selector's offsets; each event is dated
under one of three synthetic presidential terms (office/us-president, as in the shipped graph), has its
acting participations linked as such, and sources not published before it.

    python benchmarks/generate.py --triples 100000 -o bench-data/100k
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

KGO = "https://w3id.org/kgtool/ontology#"
BASE = "https://w3id.org/kgtool/iraq/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
XSD = "http://www.w3.org/2001/XMLSchema#"
OA = "http://www.w3.org/ns/oa#"

EVENT_CLASSES = [
    ("Withdrawal", "withdrawal"),
    ("ReturnOfForces", "deployment"),
    ("ParliamentaryVote", "parliamentary-vote"),
    ("Statement", "statement"),
    ("ThreatOfSanctions", "threat-of-sanctions"),
    ("Meeting", "meeting"),
    ("ReachingAgreement", "agreement"),
    ("Announcement", "announcement"),
]
ROLES = ["actor", "speaker", "target", "party", "present"]
ACTING_ROLES = frozenset({"actor", "speaker", "party"})
#: Synthetic presidential terms (start, end, slug): every generated event is dated under one.
TERMS = [
    ("2009-01-20", "2017-01-20", "gen-president-1"),
    ("2017-01-20", "2021-01-20", "gen-president-2"),
    ("2021-01-20", "2025-01-20", "gen-president-3"),
]
POST_SEED = 19
POST_WORDS = 4000
ACTOR_CLASSES = ["Person", "Person", "Person", "Organization", "MilitaryForce"]
WORDS = [
    "troops",
    "withdrawal",
    "parliament",
    "vote",
    "sanctions",
    "agreement",
    "mission",
    "embassy",
    "coalition",
    "forces",
    "base",
    "security",
    "talks",
    "statement",
    "minister",
    "president",
    "government",
    "strike",
    "airport",
    "leave",
    "remain",
]


def iri(path: str) -> str:
    return f"<{BASE}{path}>"


def kgo(name: str) -> str:
    return f"<{KGO}{name}>"


def lit(text: str, datatype: str | None = None, lang: str | None = None) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    if lang:
        return f'"{escaped}"@{lang}'
    if datatype:
        return f'"{escaped}"^^<{XSD}{datatype}>'
    return f'"{escaped}"'


class Generator:
    """Emits N-Triples lines for one synthetic graph; every run with the same seed is identical."""

    def __init__(self, seed: int, tag: str = "gen") -> None:
        self.rng = random.Random(seed)
        self.tag = tag
        self.countries: list[str] = []
        self.places: list[str] = []
        self.actors: list[str] = []
        self.publishers: list[str] = []
        self.articles: list[str] = []
        self.events: list[tuple[str, str]] = []  # (IRI, date)
        self.published: dict[str, str] = {}  # article IRI -> date published
        self.post = iri("source/compilation-post-gen")
        words = random.Random(POST_SEED)
        self.post_text = " ".join(words.choice(WORDS) for _ in range(POST_WORDS))
        self.word_starts = [0] + [i + 1 for i, c in enumerate(self.post_text) if c == " "]

    def link_to_existing(self) -> None:
        """Reuse the shared nodes a graph generated with tag "gen" has (for new data that joins it)."""
        self.countries = [iri(f"actor/country-{i:03d}") for i in range(20)]
        self.publishers = [iri(f"actor/publisher-{i:03d}") for i in range(10)]

    def words(self, n: int) -> str:
        return " ".join(self.rng.choice(WORDS) for _ in range(n))

    def date(self) -> str:
        year = self.rng.randint(2011, 2021)
        return f"{year}-{self.rng.randint(1, 12):02d}-{self.rng.randint(1, 28):02d}"

    def t(self, s: str, p: str, o: str) -> str:
        return f"{s} {p} {o} .\n"

    def setup(self) -> Iterator[str]:
        t = self.t
        yield t(self.post, RDF_TYPE_T, kgo("CompilationPost"))
        yield t(self.post, LABEL_T, lit("Synthetic compilation post", lang="en"))
        author = iri(f"actor/{self.tag}-post-author")
        yield t(self.post, kgo("author"), author)
        yield t(self.post, kgo("dateModified"), lit("2021-08-01", "date"))
        yield t(self.post, kgo("text"), lit(self.post_text))
        yield t(author, RDF_TYPE_T, kgo("Person"))
        yield t(author, LABEL_T, lit("Post author", lang="en"))
        # The office of the shipped graph (same IRI and words), held by synthetic presidents.
        office, country = iri("office/us-president"), iri("actor/united-states")
        yield t(country, RDF_TYPE_T, kgo("Country"))
        yield t(country, LABEL_T, lit("United States", lang="en"))
        yield t(office, RDF_TYPE_T, kgo("Office"))
        yield t(office, LABEL_T, lit("President of the United States", lang="en"))
        yield t(office, kgo("officeOf"), country)
        for n, (start, end, slug) in enumerate(TERMS, 1):
            person, term = iri(f"actor/{slug}"), iri(f"office-holding/{slug}")
            yield t(person, RDF_TYPE_T, kgo("Person"))
            yield t(person, LABEL_T, lit(f"President {n}", lang="en"))
            yield t(term, RDF_TYPE_T, kgo("OfficeHolding"))
            yield t(term, LABEL_T, lit(f"President {n} as US president", lang="en"))
            yield t(term, kgo("holder"), person)
            yield t(term, kgo("office"), office)
            yield t(term, kgo("startDate"), lit(start, "date"))
            yield t(term, kgo("endDate"), lit(end, "date"))
            yield t(term, kgo("attestedOn"), lit(start, "date"))
            yield t(term, kgo("source"), self.post)
        for i in range(20):
            c = iri(f"actor/country-{i:03d}")
            self.countries.append(c)
            yield t(c, RDF_TYPE_T, kgo("Country"))
            yield t(c, LABEL_T, lit(f"Country {i}", lang="en"))
        for i in range(10):
            pub = iri(f"actor/publisher-{i:03d}")
            self.publishers.append(pub)
            yield t(pub, RDF_TYPE_T, kgo("NewsOrganization"))
            yield t(pub, LABEL_T, lit(f"Publisher {i}", lang="en"))
            yield t(pub, kgo("country"), self.rng.choice(self.countries))

    def place(self) -> Iterator[str]:
        t = self.t
        n = len(self.places)
        p = iri(f"place/{self.tag}-place-{n:06d}")
        self.places.append(p)
        yield t(p, RDF_TYPE_T, kgo("Place"))
        yield t(p, LABEL_T, lit(f"Place {n}", lang="en"))
        yield t(p, kgo("containedIn"), self.rng.choice(self.countries))

    def actor(self) -> Iterator[str]:
        t = self.t
        n = len(self.actors)
        cls = self.rng.choice(ACTOR_CLASSES)
        a = iri(f"actor/{self.tag}-{cls.lower()}-{n:06d}")
        self.actors.append(a)
        yield t(a, RDF_TYPE_T, kgo(cls))
        yield t(a, LABEL_T, lit(f"{cls} {n}", lang="en"))
        yield t(a, kgo("country"), self.rng.choice(self.countries))

    def article(self) -> Iterator[str]:
        t = self.t
        n = len(self.articles)
        day = self.date()
        a = iri(f"source/{self.tag}-article-{day}-{n:06d}")
        self.articles.append(a)
        self.published[a] = day
        yield t(a, RDF_TYPE_T, kgo("NewsArticle"))
        yield t(a, LABEL_T, lit(f"Article {n}", lang="en"))
        yield t(a, kgo("headline"), lit(self.words(6).capitalize()))
        yield t(a, kgo("publisher"), self.rng.choice(self.publishers))
        yield t(a, kgo("datePublished"), lit(day, "date"))
        yield t(a, kgo("citedIn"), self.post)

    def event(self) -> Iterator[str]:
        t, rng = self.t, self.rng
        n = len(self.events)
        cls, etype = rng.choice(EVENT_CLASSES)
        day = self.date()
        e = iri(f"event/{day}-{self.tag}-{n:06d}")
        yield t(e, RDF_TYPE_T, kgo(cls))
        yield t(e, LABEL_T, lit(f"{cls} {n}: {self.words(3)}", lang="en"))
        yield t(e, kgo("eventType"), iri(f"event-type/{etype}"))
        yield t(e, kgo("date"), lit(day, "date"))
        yield t(e, kgo("place"), rng.choice(self.places))
        term = next(slug for start, _, slug in reversed(TERMS) if start <= day)
        yield t(e, kgo("duringTerm"), iri(f"office-holding/{term}"))
        # An article cannot report an event before it happened: cite later ones, else the post.
        later = [a for a in self.articles if self.published.get(a, "9999") >= day]
        for article in rng.sample(later, k=min(len(later), rng.choice((1, 1, 2)))) or [self.post]:
            yield t(e, kgo("source"), article)
        for k in range(rng.choice((1, 2, 2, 3))):
            part = iri(f"participation/{self.tag}-{n:06d}-{k}")
            role = rng.choice(ROLES)
            yield t(e, kgo("hasParticipation"), part)
            if role in ACTING_ROLES:
                yield t(e, kgo("hasActingParticipation"), part)
            yield t(part, RDF_TYPE_T, kgo("Participation"))
            yield t(part, kgo("agent"), rng.choice(self.actors))
            yield t(part, kgo("role"), iri(f"role/{role}"))
        earlier = [other for other, when in self.events[-50:] if when <= day]
        if earlier and rng.random() < 0.3:
            yield t(e, kgo("follows"), rng.choice(earlier))  # never before the event it follows
        self.events.append((e, day))
        if cls in ("Statement", "ThreatOfSanctions", "Announcement"):
            yield from self.quote(e, n)
        if rng.random() < 0.2:
            yield from self.figure(e, n, day)

    def quote(self, event: str, n: int) -> Iterator[str]:
        t = self.t
        q = iri(f"quote/{self.tag}-{n:06d}")
        first = self.rng.randrange(0, len(self.word_starts) - 13)
        start, end = self.word_starts[first], self.word_starts[first + 12] - 1
        text = self.post_text[start:end]  # twelve words of the post, where the selectors say
        span, quote_sel, pos_sel = (iri(f"quote/{self.tag}-{n:06d}/{part}") for part in ("span", "tq", "tp"))
        yield t(q, RDF_TYPE_T, kgo("Quote"))
        yield t(q, LABEL_T, lit(f"Quote {n}", lang="en"))
        yield t(q, kgo("text"), lit(text))
        yield t(q, kgo("speaker"), self.rng.choice(self.actors))
        yield t(q, kgo("occasion"), event)
        yield t(q, kgo("quotedFrom"), self.rng.choice(self.articles))
        yield t(q, kgo("inPostAt"), span)
        yield t(span, RDF_TYPE_T, f"<{OA}SpecificResource>")
        yield t(span, f"<{OA}hasSource>", self.post)
        yield t(span, f"<{OA}hasSelector>", quote_sel)
        yield t(span, f"<{OA}hasSelector>", pos_sel)
        yield t(quote_sel, RDF_TYPE_T, f"<{OA}TextQuoteSelector>")
        yield t(quote_sel, f"<{OA}exact>", lit(text))
        yield t(pos_sel, RDF_TYPE_T, f"<{OA}TextPositionSelector>")
        yield t(pos_sel, f"<{OA}start>", lit(str(start), "integer"))
        yield t(pos_sel, f"<{OA}end>", lit(str(end), "integer"))

    def figure(self, event: str, n: int, day: str) -> Iterator[str]:
        t, rng = self.t, self.rng
        qty = iri(f"quantity/{self.tag}-{n:06d}")
        yield t(qty, RDF_TYPE_T, kgo("Quantity"))
        yield t(qty, LABEL_T, lit(f"US troops in Iraq, case {n}", lang="en"))
        for k in range(rng.choice((1, 2))):
            f = iri(f"figure/{self.tag}-{n:06d}-{k}")
            value = rng.randrange(500, 20000, 100)
            estimate = rng.random() < 0.4
            yield t(f, RDF_TYPE_T, kgo("Figure"))
            yield t(f, LABEL_T, lit(f"Figure {n}-{k}: {value} troops", lang="en"))
            yield t(f, kgo("figureFor"), qty)
            yield t(f, kgo("value"), lit(str(value), "integer"))
            yield t(f, kgo("unitText"), lit("troops"))
            yield t(f, kgo("date"), lit(day, "date"))
            yield t(f, kgo("isEstimate"), lit("true" if estimate else "false", "boolean"))
            yield t(
                f, kgo("asWritten"), lit(f"an estimated {value} troops" if estimate else f"{value} troops")
            )
            if estimate:
                yield t(f, kgo("qualifier"), iri("qualifier/estimate"))
            yield t(f, kgo("source"), rng.choice(self.articles))
            yield t(f, kgo("about"), event)

    def lines(self, target: int, setup: bool = True) -> Iterator[str]:
        """Yield N-Triples lines until about `target` triples are written."""
        count = 0
        for line in self.setup() if setup else ():
            count += 1
            yield line
        while count < target:
            streams = [self.event()]
            if not self.places or self.rng.random() < 0.05:
                streams.append(self.place())
            if len(self.actors) < 5 or self.rng.random() < 0.1:
                streams.append(self.actor())
            if len(self.articles) < 3 or self.rng.random() < 0.3:
                streams.append(self.article())
            for stream in reversed(streams):
                for line in stream:
                    count += 1
                    yield line


RDF_TYPE_T = f"<{RDF_TYPE}>"
LABEL_T = f"<{RDFS_LABEL}>"


def shipped_root() -> Path:
    """The shipped graph (the checkout this script lives in, or the installed package's copy)."""
    from kgtool.store.graph_folder import locate

    return locate(None).root


def generate(triples: int, out: Path, seed: int = 20200105) -> Path:
    """Write the graph folder and return the data file."""
    root = shipped_root()
    out.mkdir(parents=True, exist_ok=True)
    for part in ("ontology", "queries"):
        if (out / part).exists():
            shutil.rmtree(out / part)
        if (root / part).is_dir():
            shutil.copytree(root / part, out / part)
    data = out / "data"
    if data.exists():
        shutil.rmtree(data)
    data.mkdir()
    target = data / "generated.nt"
    with open(target, "w", encoding="utf-8") as handle:
        handle.writelines(Generator(seed).lines(triples))
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, required=True, help="about how many data triples")
    parser.add_argument("-o", "--out", type=Path, required=True, help="graph folder to (re)write")
    parser.add_argument("--seed", type=int, default=20200105)
    args = parser.parse_args(argv)
    if args.triples < 1:
        parser.error("--triples must be positive")
    path = generate(args.triples, args.out, args.seed)
    print(f"wrote {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
