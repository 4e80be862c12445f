"""Result formats: W3C SPARQL 1.1 results that pyoxigraph and rdflib read back term for term."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox
import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.query import Result as RdflibResult

from kgtool.errors import UsageError
from kgtool.query import result_formats
from kgtool.query.engines import Result
from kgtool.query.result_formats import choose_format, shorten

XSD = "http://www.w3.org/2001/XMLSchema#"


def render(
    result: Result, fmt: str, prefixes: dict[str, str] | None = None, *, width: int | None = None
) -> str:
    """The result in the format a user names, chosen (and checked) as the CLI does, then rendered."""
    chosen = choose_format(result.kind, fmt, tty=False)
    return result_formats.render(result, chosen, prefixes, width=width)


EX = "http://example.org/"
PREFIXES = {"ex": EX, "xsd": XSD}

ROWS = [
    (
        ox.NamedNode(EX + "a"),
        ox.Literal('tab\there, "quoted", comma\nnew line <b>&amp;', language="en"),
        ox.Literal("42", datatype=ox.NamedNode(XSD + "integer")),
    ),
    (ox.BlankNode("b0"), ox.Literal("plain"), None),
    (ox.NamedNode("http://other.org/x"), None, ox.Literal("2020-01-05", datatype=ox.NamedNode(XSD + "date"))),
]
SELECT = Result("select", variables=["s", "label", "n"], rows=list(ROWS))

OX_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "tsv": ox.QueryResultsFormat.TSV,
}


def _ox_rows(text: str, fmt: str) -> tuple[list[str], list[tuple]]:
    parsed = ox.parse_query_results(text.encode(), format=OX_FORMATS[fmt])
    variables = [v.value for v in parsed.variables]
    return variables, [tuple(solution[v] for v in variables) for solution in parsed]


def _same_blank_structure(rows: list[tuple]) -> list[tuple]:
    """Blank node labels may be renamed by a parser; compare them as 'a blank node'."""
    return [tuple("_:" if isinstance(t, ox.BlankNode) else t for t in row) for row in rows]


@pytest.mark.parametrize("fmt", ["json", "xml", "tsv"])
def test_pyoxigraph_reads_back_every_term(fmt):
    variables, rows = _ox_rows(render(SELECT, fmt), fmt)
    assert variables == ["s", "label", "n"]
    assert _same_blank_structure(rows) == _same_blank_structure(ROWS)


def _to_rdflib(term):
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == XSD + "string":
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


@pytest.mark.parametrize("fmt", ["json", "xml", "tsv"])
def test_rdflib_reads_back_every_term(fmt):
    parsed = RdflibResult.parse(io.BytesIO(render(SELECT, fmt).encode()), format=fmt)
    assert [str(v) for v in parsed.vars] == ["s", "label", "n"]
    got = [tuple(row) for row in parsed]
    expected = [tuple(_to_rdflib(t) for t in row) for row in ROWS]
    assert [tuple(t for t in row if not isinstance(t, BNode)) for row in got] == [
        tuple(t for t in row if not isinstance(t, BNode)) for row in expected
    ]
    assert isinstance(got[1][0], BNode)


def test_csv_is_rfc4180_with_plain_values():
    text = render(SELECT, "csv")
    assert text.endswith("\r\n")
    assert list(csv.reader(io.StringIO(text, newline=""))) == [
        ["s", "label", "n"],
        [EX + "a", 'tab\there, "quoted", comma\nnew line <b>&amp;', "42"],
        ["_:b0", "plain", ""],
        ["http://other.org/x", "", "2020-01-05"],
    ]
    parsed = RdflibResult.parse(io.BytesIO(text.encode()), format="csv")
    assert [str(v) for v in parsed.vars] == ["s", "label", "n"]
    assert len(list(parsed)) == 3


def test_json_document_shape():
    document = json.loads(render(SELECT, "json"))
    assert document["head"] == {"vars": ["s", "label", "n"]}
    assert document["results"]["bindings"][1] == {
        "s": {"type": "bnode", "value": "b0"},
        "label": {"type": "literal", "value": "plain"},
    }
    assert document["results"]["bindings"][0]["n"] == {
        "type": "literal",
        "value": "42",
        "datatype": XSD + "integer",
    }


def test_table_is_aligned_with_short_iris_numbers_right_and_a_row_count():
    result = Result(
        "select",
        variables=["event", "troops"],
        rows=[
            (ox.NamedNode(EX + "vote"), ox.Literal("5200", datatype=ox.NamedNode(XSD + "integer"))),
            (ox.NamedNode(EX + "withdrawal-of-all"), ox.Literal("0", datatype=ox.NamedNode(XSD + "integer"))),
            (ox.NamedNode(EX + "x"), None),
        ],
    )
    assert render(result, "table", PREFIXES) == (
        "event                 troops\n"
        "--------------------  ------\n"
        "ex:vote                 5200\n"
        "ex:withdrawal-of-all       0\n"
        "ex:x\n"
        "(3 rows)\n"
    )
    assert render(Result("select", variables=["a"], rows=[]), "table") == "a\n-\n(0 rows)\n"


def test_table_cells():
    lines = render(SELECT, "table", PREFIXES).splitlines()
    assert lines[0].split() == ["s", "label", "n"]
    assert lines[2].startswith("ex:a  ")
    assert lines[2].endswith("  42")
    assert lines[3].split() == ["_:b0", "plain"]
    # an IRI under no known namespace is shown whole
    assert lines[4].startswith("<http://other.org/x>")
    assert lines[4].endswith("2020-01-05")
    assert lines[-1] == "(3 rows)"
    assert len({len(line) for line in lines[1:2]}) == 1


def test_markdown_escapes_pipes():
    result = Result("select", variables=["a|b"], rows=[(ox.Literal("x | y"),), (ox.NamedNode(EX + "z"),)])
    assert render(result, "md", PREFIXES) == "| a\\|b |\n| --- |\n| x \\| y |\n| ex:z |\n"


@pytest.mark.parametrize(
    ("fmt", "true", "false"),
    [
        ("table", "true\n", "false\n"),
        ("json", '{"head":{},"boolean":true}\n', '{"head":{},"boolean":false}\n'),
    ],
)
def test_ask(fmt, true, false):
    assert render(Result("ask", boolean=True), fmt) == true
    assert render(Result("ask", boolean=False), fmt) == false


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_ask_results_parse_as_booleans(fmt):
    for value in (True, False):
        parsed = ox.parse_query_results(
            render(Result("ask", boolean=value), fmt).encode(), format=OX_FORMATS[fmt]
        )
        assert bool(parsed) is value
        assert (
            RdflibResult.parse(
                io.BytesIO(render(Result("ask", boolean=value), fmt).encode()), format=fmt
            ).askAnswer
            is value
        )


TRIPLES = [
    ox.Triple(ox.NamedNode(EX + "a"), ox.NamedNode(EX + "p"), ox.Literal("x", language="en")),
    ox.Triple(
        ox.NamedNode(EX + "a"),
        ox.NamedNode(EX + "q"),
        ox.Literal("1", datatype=ox.NamedNode(XSD + "integer")),
    ),
]


@pytest.mark.parametrize(
    ("fmt", "rdf_format"),
    [
        ("turtle", ox.RdfFormat.TURTLE),
        ("nt", ox.RdfFormat.N_TRIPLES),
        ("nquads", ox.RdfFormat.N_QUADS),
        ("trig", ox.RdfFormat.TRIG),
        ("json-ld", ox.RdfFormat.JSON_LD),
        ("xml", ox.RdfFormat.RDF_XML),
    ],
)
def test_graph_formats_round_trip(fmt, rdf_format):
    text = render(Result("graph", triples=list(TRIPLES)), fmt, PREFIXES)
    parsed = {ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(text.encode(), format=rdf_format)}
    assert parsed == set(TRIPLES)


def test_turtle_uses_the_prefixes():
    text = render(Result("graph", triples=list(TRIPLES)), "turtle", PREFIXES)
    assert "@prefix ex: <http://example.org/> ." in text
    assert "ex:a " in text


@pytest.mark.parametrize(
    ("kind", "fmt", "tty", "chosen"),
    [
        ("select", None, True, "table"),
        ("select", None, False, "tsv"),
        ("ask", None, False, "tsv"),
        ("graph", None, True, "turtle"),
        ("select", "JSON", False, "json"),
        ("select", "markdown", False, "md"),
        ("graph", "ttl", False, "turtle"),
        ("graph", "jsonld", False, "json-ld"),
        ("graph", "xml", False, "xml"),
    ],
)
def test_choose_format(kind, fmt, tty, chosen):
    assert choose_format(kind, fmt, tty=tty).name == chosen


def test_format_that_does_not_fit_the_result():
    with pytest.raises(UsageError) as info:
        choose_format("graph", "csv", tty=False)
    assert info.value.message == (
        "format 'csv' does not apply to CONSTRUCT/DESCRIBE results; choose one of turtle, nt, nquads, trig, json-ld, xml"  # noqa: E501
    )
    with pytest.raises(UsageError, match="does not apply to SELECT/ASK results"):
        choose_format("select", "turtle", tty=False)


def test_shorten_picks_the_longest_namespace():
    prefixes = {"iraq": "https://w3id.org/kgtool/iraq/", "actor": "https://w3id.org/kgtool/iraq/actor/"}
    assert shorten("https://w3id.org/kgtool/iraq/actor/donald-trump", prefixes) == "actor:donald-trump"
    assert shorten("https://w3id.org/kgtool/iraq/event/x", prefixes) == "iraq:event/x"
    assert shorten("http://other/x", prefixes) == "<http://other/x>"


def test_table_too_wide_for_the_terminal_shows_one_block_per_row():
    result = Result(
        "select",
        variables=["id", "longer_name"],
        rows=[(ox.Literal("a"), ox.Literal("x" * 100)), (ox.Literal("b"), None)],
    )
    assert render(result, "table", width=40) == (
        "-[ 1 ]-------\n"
        "id           a\n"
        "longer_name  " + "x" * 100 + "\n"
        "-[ 2 ]-------\n"
        "id           b\n"
        "longer_name\n"
        "(2 rows)\n"
    )
    assert render(result, "table", width=200).splitlines()[0] == "id  longer_name"
    assert render(result, "table").splitlines()[2] == "a   " + "x" * 100  # only a terminal's width folds it


def test_control_characters_are_escaped_in_table_and_markdown():
    rows = [
        (ox.Literal("\x1b[31mRED\x1b[0m"),),
        (ox.Literal("bell\x07 del\x7f csi\x9b cr\r"),),
        (ox.Literal("two\nlines\tand tab"),),
    ]
    result = Result("select", variables=["x"], rows=rows)
    assert render(result, "table") == (
        "x\n"
        + "-" * 31
        + "\n\\x1b[31mRED\\x1b[0m\nbell\\x07 del\\x7f csi\\x9b cr\\x0d\ntwo lines and tab\n(3 rows)\n"
    )
    assert render(result, "md") == (
        "| x |\n| --- |\n| \\\\x1b[31mRED\\\\x1b[0m |\n| bell\\\\x07 del\\\\x7f csi\\\\x9b cr\\\\x0d |\n"
        "| two lines and tab |\n"
    )
    assert render(result, "table", width=10).count("\x1b") == 0


# --- streaming: pyoxigraph's serializer for every engine, rows written as they come -------------------

TRICKY = [
    ox.Literal(text)
    for text in ("", 'q"uote', "back\\slash", "tab\there", "cr\rlf\n", "é 漢 😀", " lead", "trail ", "<&>'")
] + [
    ox.Literal("x", language="en-GB"),
    ox.Literal("+5", datatype=ox.NamedNode(XSD + "integer")),
    ox.Literal(".5", datatype=ox.NamedNode(XSD + "decimal")),
    ox.Literal("1E3", datatype=ox.NamedNode(XSD + "double")),
    ox.Literal("1", datatype=ox.NamedNode(XSD + "boolean")),
    ox.Literal("2020-01-05", datatype=ox.NamedNode(XSD + "date")),
    ox.Literal("x", datatype=ox.NamedNode(EX + "dt")),
    ox.NamedNode("http://example.org/é?a=1&b=2"),
]
TRICKY_QUERY = "SELECT ?s ?o ?unbound WHERE { ?s ?p ?o } ORDER BY ?s"


@pytest.fixture(scope="module")
def tricky_store() -> ox.Store:
    store = ox.Store()
    for i, term in enumerate(TRICKY):
        store.add(ox.Quad(ox.NamedNode(f"{EX}s{i:02d}"), ox.NamedNode(EX + "p"), term))
    return store


def native_result(store: ox.Store, text: str = TRICKY_QUERY) -> Result:
    from kgtool.query.engines import OxigraphEngine
    from kgtool.query.prepared import prepare

    return OxigraphEngine(store).execute(prepare(text), {})


def python_result(store: ox.Store, text: str = TRICKY_QUERY) -> Result:
    """The same rows without an engine serializer (as the rdflib engine gives them)."""
    result = native_result(store, text)
    return Result("select", variables=result.variables, rows=list(result.row_iterator()))


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "xml"])
def test_both_paths_write_the_same_bytes(tricky_store, fmt):
    chosen = choose_format("select", fmt, tty=False)
    native = result_formats.render(native_result(tricky_store), chosen)
    assert native_result(tricky_store).native is not None
    assert result_formats.render(python_result(tricky_store), chosen) == native
    if fmt in ("json", "xml"):
        assert native.endswith("\n") and native.count("\n") >= 1
    want = [tuple(sol[i] for i in range(3)) for sol in tricky_store.query(TRICKY_QUERY)]  # type: ignore[union-attr]
    if fmt != "csv":
        assert _ox_rows(native, fmt)[1] == want


def test_csv_and_tsv_are_what_pyoxigraph_writes_byte_for_byte(tricky_store):
    for fmt, results_format in (("csv", ox.QueryResultsFormat.CSV), ("tsv", ox.QueryResultsFormat.TSV)):
        ours = render(python_result(tricky_store), fmt)
        theirs = tricky_store.query(TRICKY_QUERY).serialize(format=results_format)  # type: ignore[union-attr]
        assert ours.encode() == theirs


def test_xml_keeps_a_carriage_return_that_pyoxigraph_would_lose(tricky_store):
    from xml.etree import ElementTree

    text = render(native_result(tricky_store), "xml")
    assert "cr&#13;lf" in text and "\r" not in text
    literals = [e.text or "" for e in ElementTree.fromstring(text).iter(f"{{{SPARQL_NS}}}literal")]
    assert "cr\rlf\n" in literals
    assert any(row[1] == ox.Literal("cr\rlf\n") for row in _ox_rows(text, "xml")[1])


SPARQL_NS = "http://www.w3.org/2005/sparql-results#"


class Recorder:
    """A binary sink that notes how many rows had been read when its first bytes arrived."""

    def __init__(self, counter: list[int]) -> None:
        self.counter = counter
        self.first_write_at: int | None = None
        self.size = 0

    def write(self, data: bytes) -> int:
        if self.first_write_at is None and data:
            self.first_write_at = self.counter[0]
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        pass


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "xml", "md"])
def test_rows_are_written_as_they_come(fmt):
    read = [0]

    def rows():
        for i in range(50_000):
            read[0] += 1
            yield (ox.Literal(f"row {i}"), ox.NamedNode(f"{EX}{i}"))

    sink = Recorder(read)
    result_formats.write(Result("select", ["a", "b"], rows()), choose_format("select", fmt, tty=False), sink)
    assert read[0] == 50_000
    assert sink.first_write_at is not None and sink.first_write_at < 5_000


def test_an_engine_error_midway_is_raised_after_the_rows_before_it():
    from kgtool.errors import QueryError

    def rows():
        yield (ox.Literal("one"),)
        raise QueryError("query failed: disk went away", file="q.rq")

    out = io.BytesIO()
    with pytest.raises(QueryError, match="disk went away"):
        result_formats.write(Result("select", ["a"], rows()), choose_format("select", "tsv", tty=False), out)


@pytest.mark.parametrize("path", ["native", "python"])
def test_a_table_shows_one_page_and_counts_the_rest(path):
    store = ox.Store()
    for i in range(250):
        store.add(ox.Quad(ox.NamedNode(f"{EX}s{i:03d}"), ox.NamedNode(EX + "p"), ox.Literal(str(i))))
    query = "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s"
    result = native_result(store, query) if path == "native" else python_result(store, query)
    lines = result_formats.render(result, choose_format("select", "table", tty=True), PREFIXES, page=100)
    assert lines.splitlines()[2] == "ex:s000"
    assert lines.splitlines()[-2] == "ex:s099"
    assert lines.splitlines()[-1] == (
        "(rows 1-100 of 250; --offset 100 shows the next 100, --format tsv all of them)"
    )
    small = python_result(store, query + " LIMIT 7")
    assert result_formats.render(small, choose_format("select", "table", tty=True), page=100).endswith(
        "(7 rows)\n"
    )
