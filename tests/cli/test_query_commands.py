"""The query commands through the CLI edge: output, exit status, one-line errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "query-kg"
BAD = Path(__file__).resolve().parents[1] / "fixtures" / "queries"


@pytest.fixture
def q(cli):
    """Run kgtool against the small query fixture graph."""
    return lambda *args, **kw: cli(["--kg", MINI, *args], **kw)


from tests.query.test_depth_guard import CRASHED, EXPECTED  # noqa: E402
from tests.query.test_depth_guard import SHAPES as GUARDED  # noqa: E402


def one_error_line(result) -> str:
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def test_queries_lists_name_title_parameters(q):
    result = q("queries")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].split() == ["NAME", "TITLE", "PARAMETERS"]
    assert "events-by-actor  Events involving one actor       actor (string, required)" in result.stdout
    assert [line.split()[0] for line in result.stdout.splitlines()[1:]] == [
        "actor-graph",
        "events-by-actor",
        "has-troops",
        "since",
        "timeline",
    ]


def test_query_piped_default_is_w3c_tsv(q):
    result = q("query", "timeline")
    assert result.exit_code == 0
    parsed = ox.parse_query_results(result.stdout.encode(), format=ox.QueryResultsFormat.TSV)
    assert [v.value for v in parsed.variables] == ["date", "event", "label", "actor"]
    assert len(list(parsed)) == 3


def test_query_table_and_params(q):
    result = q("query", "events-by-actor", "-p", "actor=Donald Trump", "--format", "table")
    assert result.exit_code == 0
    assert result.stdout == (
        "date        event\n"
        "----------  -----------------------------\n"
        "2020-01-06  event:2020-01-06-trump-threat\n"
        "(1 row)\n"
    )


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_query_json_on_both_engines(q, engine):
    result = q("query", "since", "--param", "from=2011-01-01", "--format", "json", "--engine", engine)
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert [b["event"]["value"].rsplit("/", 1)[1] for b in document["results"]["bindings"]] == [
        "2011-12-18-withdrawal",
        "2020-01-05-parliament-vote",
        "2020-01-06-trump-threat",
    ]


def test_infer_rdfs_answers_in_schema_terms(q):
    text = "SELECT (COUNT(?e) AS ?n) WHERE { ?e a <http://schema.org/Event> }"
    assert q("sparql", text, "--format", "csv").stdout == "n\r\n0\r\n"
    assert q("sparql", text, "--format", "csv", "--infer", "rdfs").stdout == "n\r\n3\r\n"


def test_ask_true_exits_0_false_exits_1(q):
    yes = q("query", "has-troops", "-p", "min=100")
    assert (yes.exit_code, yes.stdout, yes.stderr) == (0, "true\n", "")
    no = q("query", "has-troops", "-p", "min=100000")
    assert (no.exit_code, no.stdout, no.stderr) == (1, "false\n", "")


def test_construct_prints_turtle(q):
    result = q("query", "actor-graph")
    assert result.exit_code == 0
    assert "actor:donald-trump" in result.stdout
    triples = list(ox.parse(result.stdout.encode(), format=ox.RdfFormat.TURTLE))
    assert len(triples) == 4
    nt = q("query", "actor-graph", "--format", "nt")
    assert len(nt.stdout.splitlines()) == 4


def test_query_help_shows_the_query_own_documentation(q):
    result = q("query", "since", "--help")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "since: Events since a date"
    assert "  from (date, default 2020-01-01)  ?_from" in result.stdout
    assert "  kind (iri, optional)  ?_kind" in result.stdout
    assert "      one of: kgo:Event" in result.stdout
    assert "      The class of events." in result.stdout


def test_query_help_without_name_is_the_command_help(q):
    result = q("query", "--help")
    assert result.exit_code == 0
    assert result.stdout.startswith("Usage: kgtool query [OPTIONS] [NAME]")
    assert "--engine ENGINE" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["query", "timline"],
            "kgtool: unknown query 'timline'; did you mean timeline? (run `kgtool queries` to list them)",
        ),
        (["query"], "kgtool: missing query NAME; `kgtool queries` lists them"),
        (
            ["query", "events-by-actor"],
            "kgtool: missing required parameter 'actor' (string), e.g. -p 'actor=Donald Trump'",
        ),
        (
            ["query", "events-by-actor", "-p", "actor="],
            "kgtool: required parameter 'actor' (string) may not be empty, e.g. -p 'actor=Donald Trump'",
        ),
        (
            ["query", "since", "-p", "from=5 January 2020"],
            "kgtool: parameter 'from' expects an xsd:date like 2020-01-05, got '5 January 2020', e.g. -p from=2019-01-01",  # noqa: E501
        ),
        (
            ["query", "since", "-p", "frm=2020-01-01"],
            "kgtool: unknown parameter 'frm' (known: from, kind); did you mean 'from'?",
        ),
        (["query", "since", "-p", "kind=kgo:Actor"], "kgtool: parameter 'kind' must be one of kgo:Event; got 'kgo:Actor'"),  # noqa: E501
        (["query", "has-troops", "-p", "min=lots"], "kgtool: parameter 'min' expects an xsd:integer like 5200, got 'lots', e.g. -p min=5200"),  # noqa: E501
        (
            ["query", "timeline", "--format", "turtle"],
            "kgtool: format 'turtle' does not apply to SELECT/ASK results; choose one of table, csv, tsv, json, xml, md",  # noqa: E501
        ),
        (["query", "timeline", "--engine", "jena"], "kgtool: unknown engine 'jena'; choose one of oxigraph, rdflib"),  # noqa: E501
        (["query", "timeline", "--infer", "owl"], "kgtool: unknown inference mode 'owl'; choose one of none, rdfs, owlrl"),  # noqa: E501
        (["sparql"], "kgtool: give the query as QUERY text or with --file FILE.rq (one of them)"),
        (["sparql", "  \n"], "kgtool: <query>: the query is empty"),
        (
            ["sparql", "SELECT * WHERE { ?s ?p }"],
            "kgtool: <query>:1:24: SPARQL syntax error: expected one of LATERAL, SERVICE",
        ),
        (
            ["sparql", "SELECT * WHERE {"],
            'kgtool: <query>:1:16: SPARQL syntax error: expected one of "$", "\'", "\'\'\'", "(", "+", "-", ".", ":", '  # noqa: E501
            '"<", "<<", "<<(", "?", "[", "\\"", "\\"\\"\\"", "_:", "false", "true", "{", "}", a number, a name',  # noqa: E501
        ),
        (
            ["sparql", "SELECT * WHERE { ?s ?p ?o } }"],
            "kgtool: <query>:1:29: SPARQL syntax error: unexpected text here",
        ),
        (
            ["sparql", "SELECT * WHERE {\n  ?s foo:bar ?o }"],
            "kgtool: <query>:2:6: SPARQL syntax error: unknown prefix foo: (declare it with PREFIX foo: <...>)",  # noqa: E501
        ),
        (
            ["sparql", "SELECT * WHERE {\n  ?s foo:bar ?o }", "--engine", "rdflib"],
            "kgtool: <query>:2:6: SPARQL syntax error: unknown prefix foo: (declare it with PREFIX foo: <...>)",  # noqa: E501
        ),
        (["sparql", "CLEAR ALL"], "kgtool: <query>:1:1: SPARQL Update (CLEAR) is refused: kgtool queries are read-only"),  # noqa: E501
        (
            ["sparql", "SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"],
            "kgtool: <query>:1:12: SERVICE is refused: kgtool never sends queries to remote endpoints",
        ),
        (
            ["sparql", "SELECT * FROM <http://example.org/g> { ?s ?p ?o }"],
            "kgtool: <query>:1:15: FROM <http://example.org/g> is refused: kgtool never loads remote graphs "
            "(only its own named graphs https://w3id.org/kgtool/graph/... may be named)",
        ),
    ],
)  # fmt: skip
def test_errors_are_one_line_exit_2(q, args, message):
    result = q(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert one_error_line(result) == message


def test_malformed_saved_query_names_file_and_line(cli, tmp_path):
    kg = tmp_path / "kg"
    shutil.copytree(MINI, kg)
    shutil.copy(BAD / "unknown-key.rq", kg / "queries" / "broken.rq")
    result = cli(["--kg", kg, "query", "broken"])
    assert result.exit_code == 2
    path = kg / "queries" / "broken.rq"
    assert one_error_line(result) == (
        f"kgtool: {path}:2: malformed query header: unknown header key 'parms'; did you mean 'params'?"
    )
    listing = cli(["--kg", kg, "queries"])
    assert listing.exit_code == 2
    assert one_error_line(listing).startswith(f"kgtool: {path}:2: ")


def test_malformed_data_file_names_file_line_column(cli, tmp_path):
    kg = tmp_path / "kg"
    shutil.copytree(MINI, kg)
    (kg / "data" / "zz-broken.ttl").write_text("@prefix ex: <http://example.org/> .\nex:a ex:b .\n")
    result = cli(["--kg", kg, "query", "timeline"])
    assert result.exit_code == 2
    line = one_error_line(result)
    assert line.startswith(f"kgtool: {kg / 'data' / 'zz-broken.ttl'}:2:")


def test_sparql_from_file_and_stdin(q, tmp_path):
    query = tmp_path / "count.rq"
    query.write_text("#+ summary: count\nSELECT (COUNT(*) AS ?n) WHERE { ?e a ?_type_iri }\n")
    kgo_event = "-p", "type=https://w3id.org/kgtool/ontology#Event"
    result = q("sparql", "--file", query, *kgo_event, "--format", "csv")
    assert (result.exit_code, result.stdout) == (0, "n\r\n3\r\n")
    piped = q("sparql", "--file", "-", *kgo_event, "--format", "csv", input=query.read_text())
    assert (piped.exit_code, piped.stdout) == (0, "n\r\n3\r\n")
    missing = q("sparql", "--file", tmp_path / "nope.rq")
    assert missing.exit_code == 2
    assert one_error_line(missing) == f"kgtool: {tmp_path / 'nope.rq'}: no such query file"
    folder = q("sparql", "--file", tmp_path)
    assert folder.exit_code == 2
    assert one_error_line(folder) == f"kgtool: {tmp_path}: is a folder, not a query file"
    # -f is --format everywhere (issue 10): in sparql it no longer names the query file
    short = q("sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?e a kgo:Event }", "-f", "csv")
    assert (short.exit_code, short.stdout) == (0, "n\r\n3\r\n")


def test_sparql_refuses_a_url_as_query_file_as_validate_and_add_do(q):
    result = q("sparql", "--file", "http://x/q.rq")
    assert (result.exit_code, result.stdout) == (2, "")
    assert one_error_line(result) == (
        "kgtool: http://x/q.rq: kgtool reads only local files, never a URL; download it first "
        "(e.g. curl -o FILE URL)"
    )


def test_sparql_stdin_that_is_not_utf8_names_the_byte_as_a_file_does(q, tmp_path):
    piped = q("sparql", "--file", "-", input=b"ASK {}\xff")
    assert piped.exit_code == 2
    assert one_error_line(piped) == "kgtool: <stdin>: not valid UTF-8 (byte 6)"
    latin1 = tmp_path / "latin1.rq"
    latin1.write_bytes(b"ASK {}\xff")
    from_file = q("sparql", "--file", latin1)
    assert one_error_line(from_file) == f"kgtool: {latin1}: not valid UTF-8 (byte 6)"


def test_sparql_syntax_error_in_file_points_into_the_file(q, tmp_path):
    query = tmp_path / "bad.rq"
    query.write_text("#+ summary: broken\nSELECT ?x\nWHERE { ?x ?p }\n")
    result = q("sparql", "--file", query)
    assert result.exit_code == 2
    assert one_error_line(result).startswith(f"kgtool: {query}:3:")


def test_kgtool_help_documents_exit_status(cli):
    result = cli(["--help"])
    assert result.exit_code == 0
    for command in ("queries", "query", "sparql"):
        assert command in result.stdout
    assert "Exit status: 0 success; 1 a check failed" in result.stdout


@pytest.fixture
def listener():
    """A local TCP port that records any connection and closes it (a SERVICE endpoint stand-in)."""
    import socket
    import threading

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    server.settimeout(0.05)
    seen: list[bool] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                server.accept()[0].close()
            except TimeoutError:
                continue
            seen.append(True)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1], lambda: bool(seen)
    stop.set()
    thread.join()
    server.close()


BYPASSES = [
    # \u escapes decoded first would put SERVICE inside a string; pyoxigraph does not decode them.
    'SELECT ?s WHERE {{ BIND("\\u0022" AS ?x) SERVICE <http://127.0.0.1:{port}/b> {{ ?s ?p ?o }} '
    'BIND("\\u0022" AS ?y) }}',
    'SELECT ?s WHERE {{ BIND("\\U00000022" AS ?x) service SILENT <http://127.0.0.1:{port}/b> {{ ?s ?p ?o }} '
    'BIND("\\U00000022" AS ?y) }}',
    # an escaped quote in a prefixed name (PN_LOCAL_ESC) is not a string
    "PREFIX ex: <http://x/> SELECT ?s WHERE {{ OPTIONAL {{ ?a ex:a\\'b ?o }} "
    "SERVICE <http://127.0.0.1:{port}/a> {{ ?s ?p ?o }} }} # '",
    "PREFIX ex: <http://x/> SELECT ?s WHERE {{ ?a ex:a\\'b\\'c ?o . "
    "Service # '\n <http://127.0.0.1:{port}/a> {{ ?s ?p ?o }} }}",
    # `<` as less-than before a quote, next to an IRI holding a quote
    "SELECT ?s WHERE {{ ?s <http://x/p'q> ?o . FILTER(?a<'>') "
    "SERVICE <http://127.0.0.1:{port}/c> {{ ?s ?p ?o }} }} #'",
]


@pytest.mark.parametrize("template", BYPASSES)
def test_hidden_service_is_refused_before_any_connection(q, listener, template):
    port, connected = listener
    result = q("sparql", template.format(port=port))
    assert result.exit_code == 2
    line = one_error_line(result)
    assert line.startswith("kgtool: ") and line.endswith(
        "SERVICE is refused: kgtool never sends queries to remote endpoints"
    ), line
    assert not connected()


def test_service_only_in_strings_comments_and_iris_runs(q):
    text = 'SELECT ?x WHERE { VALUES ?x { "service <http://127.0.0.1:9/> {}" <http://x/service> } } # service'
    result = q("sparql", text, "--format", "tsv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == '?x\n"service <http://127.0.0.1:9/> {}"\n<http://x/service>\n'


# --- issue 9: grlc repositories, actor names, paging, time limits, nesting, the graph's prefixes --------

GRLC = Path(__file__).resolve().parents[1] / "fixtures" / "grlc-kg"


def test_one_bad_query_file_hides_no_other(cli, tmp_path):
    kg = tmp_path / "kg"
    shutil.copytree(MINI, kg)
    shutil.copy(BAD / "unclosed-quote.rq", kg / "queries" / "broken.rq")
    shutil.copy(BAD / "update.rq", kg / "queries" / "writes.rq")
    listed = cli(["--kg", kg, "queries"])
    assert listed.exit_code == 2
    assert [line.split()[0] for line in listed.stdout.splitlines()[1:]] == [
        "actor-graph",
        "events-by-actor",
        "has-troops",
        "since",
        "timeline",
    ]
    assert listed.stderr.splitlines() == [
        f"kgtool: {kg / 'queries' / 'broken.rq'}:1:31: malformed query header: invalid YAML: found unexpected "  # noqa: E501
        "end of stream while scanning a quoted scalar",
        f"kgtool: {kg / 'queries' / 'writes.rq'}:3:1: SPARQL Update (INSERT) is refused: kgtool queries are "
        "read-only",
    ]
    good = cli(["--kg", kg, "query", "timeline", "--format", "csv"])
    assert (good.exit_code, good.stderr) == (0, "")
    assert len(good.stdout.splitlines()) == 4


def test_grlc_queries_run_with_every_basil_type(cli):
    values = {
        "label": "troops in Iraq",
        "place": "https://example.org/grlc-kg/iraq",
        "count": "2500",
        "status": "v1",
        "wording": "about 2,500",
        "exact": "2500",
        "day": "2021-12-09",
        "year": "2021",
        "estimate": "1",
        "share": "0.5",
    }
    args = [arg for name, value in values.items() for arg in ("-p", f"{name}={value}")]
    result = cli(["--kg", GRLC, "query", "basil-types", *args, "-f", "json"])
    assert result.exit_code == 0, result.stderr
    (row,) = json.loads(result.stdout)["results"]["bindings"]
    assert row["figure"]["value"] == "https://example.org/grlc-kg/figure"
    wrong = cli(["--kg", GRLC, "query", "basil-types", *args[:-2], "-p", "share=half", "-f", "json"])
    assert wrong.exit_code == 2
    assert one_error_line(wrong) == (
        "kgtool: parameter 'share' expects an xsd:decimal like 2.5, got 'half', e.g. -p share=2.5"
    )


def test_grlc_pagination_pages(cli):
    first = cli(["--kg", GRLC, "query", "enumerated", "-p", "status=v1", "-f", "csv"])
    assert first.exit_code == 0
    assert len(first.stdout.splitlines()) == 3  # header and grlc's page of 2 rows
    assert first.stderr == "kgtool: page 1 of 2 rows; --page 2 shows the next\n"
    pages = [
        cli(["--kg", GRLC, "query", "enumerated", "-p", "status=v1", "-f", "csv", "--page", str(k)])
        for k in range(1, 7)
    ]
    rows = [line for page in pages for line in page.stdout.splitlines()[1:]]
    everything = cli(["--kg", GRLC, "query", "enumerated", "-p", "status=v1", "-f", "csv", "--limit", "100"])
    assert rows == everything.stdout.splitlines()[1:] and len(rows) == 10
    assert pages[4].stderr == "" and pages[5].stdout == "figure,p,o\r\n"
    off_list = cli(["--kg", GRLC, "query", "enumerated", "-p", "status=v3"])
    assert one_error_line(off_list) == "kgtool: parameter 'status' must be one of v1, v2; got 'v3'"


def test_limit_and_offset(q):
    every = q("query", "timeline", "--format", "csv").stdout.splitlines()
    some = q("query", "timeline", "--format", "csv", "--limit", "1", "--offset", "1").stdout.splitlines()
    assert some == [every[0], every[2]]
    assert (
        q(
            "sparql", "SELECT ?e { ?e a kgo:Event } ORDER BY ?e LIMIT 2", "--offset", "1", "-f", "csv"
        ).stdout.count("\n")
        == 2
    )  # the header and the one row left inside the query's own LIMIT 2
    bad = q("query", "timeline", "--limit", "-1")
    assert bad.exit_code == 2
    assert "expected a number of rows, got '-1'" in one_error_line(bad)
    paged = q("query", "timeline", "--page", "2")
    assert one_error_line(paged) == (
        "kgtool: --page needs a page size: --limit N, or `#+ pagination: N` in the query's header"
    )


def test_sparql_knows_the_graph_prefixes_on_both_engines(cli):
    for engine in ("oxigraph", "rdflib"):
        issue = cli(["sparql", "SELECT ?e WHERE { ?e a kgo:Event }", "-f", "csv", "--engine", engine])
        assert (issue.exit_code, issue.stderr) == (0, "")
        inferred = cli(
            ["sparql", "SELECT ?e WHERE { ?e a kgo:Event } ORDER BY ?e LIMIT 1", "-f", "csv", "--infer", "rdfs",  # noqa: E501
             "--engine", engine]
        )  # fmt: skip
        assert inferred.exit_code == 0, inferred.stderr
        assert inferred.stdout.splitlines()[1].startswith("https://w3id.org/kgtool/iraq/event/")
        declared = cli(
            ["sparql", "PREFIX kgo: <http://example.org/other#> SELECT ?e WHERE { ?e a kgo:Event }", "-f", "csv",  # noqa: E501
             "--infer", "rdfs", "--engine", engine]
        )  # fmt: skip
        assert (declared.exit_code, declared.stdout) == (0, "e\r\n")  # the query's own prefix wins
        unknown = cli(["sparql", "SELECT ?e WHERE {\n  ?e a nope:Event }", "--engine", engine])
        assert one_error_line(unknown) == (
            "kgtool: <query>:2:8: SPARQL syntax error: unknown prefix nope: (declare it with PREFIX nope: <...>)"  # noqa: E501
        )


def test_actors_are_matched_the_way_people_name_them(cli):
    trump = cli(["query", "events-by-actor", "-p", "actor=Trump", "-f", "csv"])
    assert trump.exit_code == 0
    assert [line.split(",")[1].rsplit("/", 1)[1] for line in trump.stdout.splitlines()[1:]] == [
        "2020-01-05-trump-threatens-sanctions",
        "2020-01-07-trump-remarks-at-the-white-house",
    ]
    assert trump.stderr == (
        "kgtool: actor 'Trump' is Donald Trump <https://w3id.org/kgtool/iraq/actor/donald-trump> (by family name)\n"  # noqa: E501
    )
    typo = cli(["query", "events-by-actor", "-p", "actor=Obamma", "-f", "csv"])
    assert (typo.exit_code, typo.stdout) == (0, "date,event,label,actor,role,office,sources\r\n")
    assert typo.stderr == "kgtool: no actor 'Obamma'; did you mean Barack Obama?\n"
    for iri in ("actor:obamma", "https://w3id.org/kgtool/iraq/actor/obamma"):
        not_an_actor = cli(["query", "events-by-actor", "-p", f"actor={iri}", "-f", "csv"])
        assert (not_an_actor.exit_code, not_an_actor.stdout) == (0, typo.stdout)
        assert not_an_actor.stderr == f"kgtool: no actor '{iri}'; did you mean Barack Obama?\n"
    help_text = cli(["query", "events-by-actor", "--help"]).stdout
    assert "      example: -p 'actor=Donald Trump'" in help_text
    assert (
        "names a kgo:Actor: its IRI, the last part of its IRI, or its rdfs:label, kgo:alsoCalled" in help_text
    )


def test_a_query_nested_too_deep_is_refused_before_parsing(q):
    deep = q("sparql", "SELECT * WHERE " + "{ " * 5000 + "?s ?p ?o " + "} " * 5000)
    assert deep.exit_code == 2
    assert one_error_line(deep).startswith(
        "kgtool: <query>:1:516: query nested too deep: more than 250 levels of {}, () and []"
    )


@pytest.mark.parametrize("name", sorted(GUARDED))
def test_each_crashing_shape_is_refused_by_sparql_and_by_a_saved_query(cli, tmp_path, name):
    """The shapes that crashed pyoxigraph (exit 139, no message): one line, exit 2, both ways in."""
    text = GUARDED[name](CRASHED[name])
    expected = f"{EXPECTED[name]} (a larger query could crash the SPARQL engine)"
    adhoc = cli(["sparql", text])
    assert (adhoc.exit_code, adhoc.stdout) == (2, "")
    assert one_error_line(adhoc).startswith("kgtool: <query>:1:")
    assert one_error_line(adhoc).endswith(expected)
    kg = tmp_path / "kg"
    shutil.copytree(MINI, kg)
    (kg / "queries").mkdir(exist_ok=True)
    saved = kg / "queries" / "crafted.rq"
    saved.write_text("#+ summary: a crafted query\n" + text + "\n")
    result = cli(["--kg", kg, "query", "crafted"])
    assert (result.exit_code, result.stdout) == (2, "")
    assert one_error_line(result).startswith(f"kgtool: {saved}:2:")
    assert one_error_line(result).endswith(expected)


RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def test_timeout_stops_a_runaway_query(cli):
    result = cli(["sparql", "--timeout", "0.5", RUNAWAY])
    assert result.exit_code == 2
    assert one_error_line(result) == "kgtool: <query>: query stopped after 0.5 s (--timeout 0.5)"


@pytest.mark.parametrize("value", ["1e12", "1000000.5"])
def test_a_timeout_beyond_the_documented_maximum_is_one_line(cli, value):
    result = cli(["sparql", "--timeout", value, "ASK {}"])
    assert (result.exit_code, result.stdout) == (2, "")
    assert one_error_line(result) == f"kgtool: expected at most 1000000 seconds, got '{value}'"


def test_the_longest_timeout_is_accepted(cli):
    result = cli(["sparql", "--timeout", "1000000", "ASK {}", "-f", "csv"])
    assert (result.exit_code, result.stdout) == (0, "true\n")


@pytest.mark.parametrize(
    "args",
    [
        ["query", "timeline", "-f", "json"],
        ["query", "events-by-actor", "-p", "actor=Obamma"],
        ["query", "events-by-actor", "-p", "actor="],
        ["sparql", "ASK { ?s a <http://example.org/Nothing> }"],
        ["sparql", "SELECT * WHERE { ?s ?p }"],
        ["sparql", "CONSTRUCT { ?s ?p ?o } WHERE { ?s a kgo:Event ; ?p ?o }", "--engine", "rdflib"],
    ],
)
def test_a_run_with_a_time_limit_prints_what_a_run_without_one_does(cli, args):
    plain = cli(args)
    limited = cli([*args, "--timeout", "60"])
    assert (limited.exit_code, limited.stdout, limited.stderr) == (
        plain.exit_code,
        plain.stdout,
        plain.stderr,
    )
